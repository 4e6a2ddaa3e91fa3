"""The stored shape of a workflow: one MongoDB document per elevation.

The workflow service is the only writer; each change is committed as one write in its
own log and then copied here whole (see ``elevate_workflow.adapters.mongo_store``), with
``doc_version`` counting the writes. The gateway reads these documents to answer status
queries and to refuse a task token that was already used. The messages a change sends
live with its write in the log, so ``outbox`` here stays empty.
"""

from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from elevate_shared.catalogue.models import AwsPermissions, WorkflowDefinition
from elevate_shared.messages.base import Principal
from elevate_shared.messages.commands import DynamicPermissions
from elevate_shared.states import WorkflowState

#: Collection of workflow documents.
WORKFLOWS_COLLECTION = "workflows"

TimerKind = Literal["approval_timeout", "expiry_warning", "expiry", "revoke_retry", "grant_timeout"]
GrantState = Literal["pending", "granted", "failed", "revoking", "revoked"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class HistoryEntry(_Record):
    """One line of the audit trail: a transition, or an attempt that was refused."""

    at: datetime
    from_state: WorkflowState | None
    to_state: WorkflowState | None
    event_id: str | None = None
    actor: Principal | None = None
    reason: str = ""
    accepted: bool = True


class GrantRecord(_Record):
    """Access given (or to give) in one provider."""

    grant_id: str
    provider: str
    state: GrantState = "pending"
    reason: str = ""


class ApprovalRecord(_Record):
    """One approver's answer."""

    approver: Principal
    approved: bool
    at: datetime
    comment: str | None = None


class TaskTokenRecord(_Record):
    """A task token issued to an approver; only its SHA-256 hash is kept.

    A user's token is spent by its one use (``used_at``). A group's token is spent once
    per member (``used_by``), so that "two of group:sre-leads" can be reached with the one
    link the group was sent.
    """

    token_hash: str
    step: str
    approver: str
    expires_at: datetime
    used_at: datetime | None = None
    used_by: list[str] = Field(default_factory=list)


class OutboxEntry(_Record):
    """A message written with the state change and published right after it."""

    topic: str
    key: str
    payload: dict[str, Any]


class WorkflowRecord(_Record):
    """One elevation, from request to revocation."""

    workflow_id: str = Field(alias="_id")
    execution_id: str
    correlation_id: str
    doc_version: int = 0
    state: WorkflowState
    requester: Principal
    role: str | None = None
    dynamic: DynamicPermissions | None = None
    providers: tuple[str, ...]
    identities: tuple[str, ...]
    reason: str
    workflow: str | None = None
    definition: WorkflowDefinition | None = None
    duration: timedelta | None = None
    aws: AwsPermissions | None = None
    grants: list[GrantRecord] = Field(default_factory=list)
    approvals: list[ApprovalRecord] = Field(default_factory=list)
    tokens: list[TaskTokenRecord] = Field(default_factory=list)
    due_at: datetime | None = None
    timer: TimerKind | None = None
    activated_at: datetime | None = None
    expires_at: datetime | None = None
    warned_at: datetime | None = None
    #: Times the revokes were sent again after a failure or no answer; sets the backoff.
    revoke_attempts: int = 0
    history: list[HistoryEntry] = Field(default_factory=list)
    applied_events: list[str] = Field(default_factory=list)
    outbox: list[OutboxEntry] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime
