"""Commands: requests that a service do something. Named in the imperative."""

from datetime import timedelta
from typing import Annotated, Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from elevate_shared.catalogue.models import AwsPermissions
from elevate_shared.messages.base import Message, Principal

#: What a workflow id may be: up to 64 letters, digits and ``_.:-``; senders choose it.
WORKFLOW_ID_PATTERN: Final = r"^[A-Za-z0-9_.:-]{1,64}$"
#: The pattern, with its length limits stated too, so a refusal says what is wrong.
WorkflowId = Annotated[str, Field(min_length=1, max_length=64, pattern=WORKFLOW_ID_PATTERN)]


class DynamicPermissions(BaseModel):
    """Explicit permissions asked for instead of a catalogue role.

    Unknown fields are ignored, as in :class:`Message`, so a field added later does not
    dead-letter requests on older consumers; what is granted is still bounded by the
    provider's dynamic policy, checked against the fields known here.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    permissions: tuple[str, ...] = Field(min_length=1, max_length=100)
    resources: tuple[str, ...] = Field(default=("*",), max_length=100)
    groups: tuple[str, ...] = Field(default=(), max_length=50)
    users: tuple[str, ...] = Field(default=(), max_length=50)


class RequestElevation(Message):
    """Start an elevation workflow. Sent by the gateway or by any other service.

    ``workflow_id`` is chosen by the sender, so it can answer before the workflow exists;
    a second command with the same ``workflow_id`` is a duplicate and is ignored.
    """

    type: Literal["RequestElevation"] = "RequestElevation"
    workflow_id: WorkflowId
    execution_id: str = Field(min_length=1, max_length=64)
    requester: Principal
    role: str | None = Field(default=None, max_length=128)
    dynamic: DynamicPermissions | None = None
    providers: tuple[str, ...] = Field(min_length=1, max_length=10)
    workflow: str | None = Field(default=None, max_length=128)
    reason: str = Field(min_length=1, max_length=2000)
    duration: str | None = Field(default=None, max_length=64)
    identities: tuple[str, ...] = Field(default=(), max_length=50)
    authenticator: str | None = Field(default=None, max_length=64)
    source: Literal["http", "kafka", "advisor"] = "kafka"


class ResumeWorkflow(Message):
    """Answer a paused workflow step with a task token and the user's input."""

    type: Literal["ResumeWorkflow"] = "ResumeWorkflow"
    workflow_id: WorkflowId
    task_token: str = Field(min_length=1, max_length=4096)
    actor: Principal
    approved: bool
    comment: str | None = Field(default=None, max_length=2000)


class CancelElevation(Message):
    """Withdraw a request that has not been granted yet."""

    type: Literal["CancelElevation"] = "CancelElevation"
    workflow_id: WorkflowId
    actor: Principal
    comment: str | None = Field(default=None, max_length=2000)


class EndAccess(Message):
    """End active access before its expiry: revoke at once."""

    type: Literal["EndAccess"] = "EndAccess"
    workflow_id: WorkflowId
    actor: Principal
    comment: str | None = Field(default=None, max_length=2000)


class GrantAccess(Message):
    """Give identities the permissions of one grant in one provider."""

    type: Literal["GrantAccess"] = "GrantAccess"
    workflow_id: WorkflowId
    grant_id: str = Field(min_length=1, max_length=128)
    provider: str
    identities: tuple[str, ...] = Field(min_length=1)
    #: A catalogue model, which refuses unknown fields. Deliberately so here: nothing
    #: checks a grant's permissions after the provisioner, so one that cannot read them
    #: all must not grant without the part it ignored. The command is dead-lettered and
    #: the workflow's grant deadline fails the workflow.
    aws: AwsPermissions | None = None
    duration: timedelta
    expires_at: AwareDatetime | None = None


class RevokeAccess(Message):
    """Take away exactly what the grant of the same ``grant_id`` gave."""

    type: Literal["RevokeAccess"] = "RevokeAccess"
    workflow_id: WorkflowId
    grant_id: str = Field(min_length=1, max_length=128)
    provider: str
    identities: tuple[str, ...] = Field(min_length=1)


class SuggestRole(Message):
    """Ask the advisor to turn a plain-words reason into a role suggestion."""

    type: Literal["SuggestRole"] = "SuggestRole"
    requester: Principal
    reason: str = Field(min_length=1, max_length=2000)
    reply_to: str = Field(min_length=1, max_length=249)
    eligible_roles: tuple[str, ...] = ()
