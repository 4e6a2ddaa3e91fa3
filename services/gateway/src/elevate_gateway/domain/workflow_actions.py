"""Who may answer, cancel or end an elevation, and when: the gateway's early refusals.

The workflow service checks the same rules again when the command arrives, because its
state may have moved on in between and because other services publish commands too;
refusing here gives the caller a clear answer at once instead of a silent no later.
"""

from elevate_gateway.domain.caller import SCOPE_ADMIN, SCOPE_REQUEST, SCOPE_RESUME, Caller
from elevate_shared.errors import Conflict, NotAllowed
from elevate_shared.permissions import (
    EndAccessCapacity,
    end_access_capacities,
    has_answered,
    is_requester,
)
from elevate_shared.records import TaskTokenRecord, WorkflowRecord
from elevate_shared.states import WorkflowState
from elevate_shared.task_tokens import TaskTokenClaims, may_approve, token_hash

S = WorkflowState

#: The scope a caller's credential needs to end access in each capacity.
END_ACCESS_SCOPES: dict[EndAccessCapacity, str] = {
    "requester": SCOPE_REQUEST,
    "approver": SCOPE_RESUME,
    "admin": SCOPE_ADMIN,
}

#: States a request can be withdrawn from: nothing has been granted yet.
CANCELLABLE = frozenset({S.REQUESTED, S.VALIDATING, S.AWAITING_APPROVAL, S.APPROVED})


def check_answer(
    record: WorkflowRecord, claims: TaskTokenClaims, token: str, caller: Caller
) -> TaskTokenRecord:
    """Return the stored token if ``caller`` may answer with it now; raise otherwise.

    The caller's right comes first, so someone who may not answer learns nothing about
    the token's use or the workflow's state.
    """
    step = record.definition.approvals if record.definition else None
    allow_self = step.allow_self_approval if step else False
    if not may_approve(
        claims,
        caller.principal,
        requester=record.requester,
        identities=record.identities,
        allow_self_approval=allow_self,
    ):
        raise NotAllowed(f"you may not answer for {claims.approver} on this request")

    stored = _stored(record, claims, token)
    if stored.used_at is not None:
        raise Conflict("the task token was already used")
    if record.state is not S.AWAITING_APPROVAL:
        raise Conflict(f"the request is {record.state.value}; it no longer takes answers")
    if has_answered(record, caller.principal):
        raise Conflict("you already answered this request")
    return stored


def check_cancel(record: WorkflowRecord, caller: Caller) -> None:
    """Refuse unless the caller asked for the elevation and nothing is granted yet."""
    if not is_requester(record, caller.principal):
        raise NotAllowed("only the requester may cancel a request")
    if record.state not in CANCELLABLE:
        raise Conflict(f"the request is {record.state.value}; it can no longer be cancelled")


def check_end(record: WorkflowRecord, caller: Caller) -> None:
    """Refuse unless the caller is the requester, an approver or an admin, and access is on."""
    if not may_end(record, caller):
        raise NotAllowed("only the requester, an approver or an admin may end access")
    if record.state is not S.ACTIVE:
        raise Conflict(f"only active access can be ended; the request is {record.state.value}")


def may_end(record: WorkflowRecord, caller: Caller) -> bool:
    """Tell whether the caller may end the access, each capacity with its own scope.

    The capacities are the shared rule the workflow service applies too; the scopes
    only narrow them (a read-only API key of the requester ends nothing).
    """
    capacities = end_access_capacities(record, caller.principal)
    return any(caller.may(END_ACCESS_SCOPES[capacity]) for capacity in capacities)


def _stored(record: WorkflowRecord, claims: TaskTokenClaims, token: str) -> TaskTokenRecord:
    digest = token_hash(token)
    stored = next((t for t in record.tokens if t.token_hash == digest), None)
    if stored is None or (stored.step, stored.approver) != (claims.step, claims.approver):
        raise NotAllowed("the task token was not issued for this request")
    return stored
