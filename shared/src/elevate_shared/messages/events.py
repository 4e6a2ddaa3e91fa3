"""Events: facts that happened. Named in the past tense."""

from datetime import timedelta
from typing import Any, Literal

from pydantic import AwareDatetime, Field

from elevate_shared.messages.base import Message, Principal
from elevate_shared.states import WorkflowState


class WorkflowStatusChanged(Message):
    """A workflow moved from one state to another. Published on the status topic."""

    type: Literal["WorkflowStatusChanged"] = "WorkflowStatusChanged"
    workflow_id: str
    execution_id: str
    from_state: WorkflowState | None
    to_state: WorkflowState
    reason: str = ""
    actor: Principal | None = None
    requester: Principal
    role: str | None = None
    providers: tuple[str, ...] = ()
    identities: tuple[str, ...] = ()
    expires_at: AwareDatetime | None = None
    document_version: int


class AccessGranted(Message):
    """The provider gave the identities the grant's permissions."""

    type: Literal["AccessGranted"] = "AccessGranted"
    workflow_id: str
    grant_id: str
    provider: str


class GrantFailed(Message):
    """The provider could not grant; ``reason`` says why."""

    type: Literal["GrantFailed"] = "GrantFailed"
    workflow_id: str
    grant_id: str
    provider: str
    reason: str


class AccessRevoked(Message):
    """The provider took the grant's permissions away (or they were already gone)."""

    type: Literal["AccessRevoked"] = "AccessRevoked"
    workflow_id: str
    grant_id: str
    provider: str


class RevokeFailed(Message):
    """The provider could not revoke; the workflow retries until it succeeds."""

    type: Literal["RevokeFailed"] = "RevokeFailed"
    workflow_id: str
    grant_id: str
    provider: str
    reason: str


class RoleSuggested(Message):
    """The advisor's answer to a :class:`SuggestRole`; ``role`` is None when nothing fits."""

    type: Literal["RoleSuggested"] = "RoleSuggested"
    request_event_id: str
    role: str | None
    duration: timedelta | None = None
    providers: tuple[str, ...] = ()
    rationale: str = Field(default="", max_length=1000)
    alternatives: tuple[str, ...] = ()
    engine: str = ""


class DeadLettered(Message):
    """A record that could not be parsed or applied, kept with the reason.

    ``payload`` is the record as JSON with its secret fields replaced, or, for a record
    that is not JSON, only its length and SHA-256.
    """

    type: Literal["DeadLettered"] = "DeadLettered"
    source_topic: str
    source_partition: int | None = None
    source_offset: int | None = None
    #: The record's key: the workflow id of a well-formed record.
    source_key: str | None = None
    consumer: str
    reason: str
    payload: str
    headers: dict[str, Any] = Field(default_factory=dict)
