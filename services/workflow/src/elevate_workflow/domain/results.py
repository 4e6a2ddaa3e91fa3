"""What the provisioner's results do to a workflow.

A result may arrive late, twice, or after the workflow moved on (cancelled, failed,
revoked): a grant that lands where no access should be is revoked at once.
"""

from datetime import datetime

from elevate_shared.errors import Conflict
from elevate_shared.messages import AccessGranted, AccessRevoked, GrantFailed, RevokeFailed
from elevate_shared.records import GrantRecord, WorkflowRecord
from elevate_shared.states import WorkflowState
from elevate_workflow.domain.deadlines import expiry_deadline, next_deadline
from elevate_workflow.domain.decision import KEEP, Decision, Move
from elevate_workflow.domain.grant_records import (
    IN_EFFECT,
    all_in,
    find_grant,
    in_states,
    with_reason,
    with_states,
)
from elevate_workflow.domain.grants import compensation
from elevate_workflow.domain.policy import TimerPolicy

S = WorkflowState

ProvisionerResult = AccessGranted | GrantFailed | AccessRevoked | RevokeFailed


def on_access_granted(
    record: WorkflowRecord, event: AccessGranted, policy: TimerPolicy, now: datetime
) -> Decision | None:
    """Mark the grant; the last one activates the access, a stray one is taken back."""
    grant = find_grant(record.grants, event.grant_id)
    if grant is None:
        # Access this workflow never asked for, yet given to its identities: adopt the
        # grant so that it is revoked and chased like any other.
        grant = GrantRecord(grant_id=event.grant_id, provider=event.provider)
        record = record.model_copy(update={"grants": [*record.grants, grant]})
    elif record.state is S.PROVISIONING and grant.state == "pending":
        return _granted(record, event, policy, now)
    elif record.state in (S.PROVISIONING, S.ACTIVE) and grant.state == "granted":
        return None  # the same grant reported again: nothing changes
    return compensation(
        record,
        [grant],
        policy,
        now,
        event_id=str(event.event_id),
        note=f"grant {grant.grant_id} arrived while {record.state.value}: revoking it",
    )


def on_grant_failed(
    record: WorkflowRecord, event: GrantFailed, policy: TimerPolicy, now: datetime
) -> Decision:
    """Fail the workflow and take back every grant, the failed one included.

    The provisioner adds identities one by one and its own undo may fail as well, so a
    failed grant may have left some of them with access. Revoking it too is harmless
    when nothing stayed (the provisioner answers "already revoked"), and the revoke
    deadline keeps the failed workflow chasing it until the provisioner confirms.
    """
    grant = _grant_of(record, event)
    reason = f"grant in {event.provider} failed: {event.reason}"
    if record.state is not S.PROVISIONING:
        return Decision(event_id=str(event.event_id), note=reason)

    # The failed grant stays pending, so it is among the grants taken back below.
    marked = record.model_copy(
        update={"grants": with_reason(record.grants, grant.grant_id, event.reason)}
    )
    targets = in_states(marked.grants, *IN_EFFECT)
    return compensation(
        marked, targets, policy, now, event_id=str(event.event_id), moves=(Move(S.FAILED, reason),)
    )


def on_access_revoked(
    record: WorkflowRecord, event: AccessRevoked, policy: TimerPolicy, now: datetime
) -> Decision | None:
    """Mark the grant revoked; the last one ends a revoking workflow."""
    grant = _grant_of(record, event)
    if grant.state in ("revoked", "failed"):
        return None  # already known to be gone
    grants = with_states(record.grants, {grant.grant_id: "revoked"})
    event_id, note = str(event.event_id), f"{grant.grant_id} revoked"
    if record.state is S.REVOKING and all_in(grants, "revoked", "failed"):
        moves = (Move(S.REVOKED, "all access revoked"),)
        return Decision(event_id=event_id, updates={"grants": grants}, moves=moves, timer=None)
    if any(g.state == "revoking" for g in grants):
        return Decision(event_id=event_id, updates={"grants": grants}, note=note)
    # No revoke is out any more: back to what the state itself waits for, if anything.
    settled = record.model_copy(update={"grants": grants})
    timer = next_deadline(settled, policy, None)
    return Decision(event_id=event_id, updates={"grants": grants}, note=note, timer=timer)


def on_revoke_failed(
    record: WorkflowRecord, event: RevokeFailed, policy: TimerPolicy, now: datetime
) -> Decision | None:
    """Schedule the revoke again, later each time the revokes were sent again.

    The count of attempts is kept by the retry itself (``revoke_attempts``), which also
    covers revokes nobody answered; so it is the retry, not this failure, that announces
    an escalation, once per attempt.
    """
    grant = _grant_of(record, event)
    if grant.state != "revoking":
        return None  # an older attempt failed, but the grant is known to be gone
    attempt = record.revoke_attempts + 1
    note = f"revoke of {grant.grant_id} failed (try {attempt}): {event.reason}"
    return Decision(
        event_id=str(event.event_id),
        timer=next_deadline(record, policy, now + policy.retry_delay(attempt)),
        note=note,
    )


def _granted(
    record: WorkflowRecord, event: AccessGranted, policy: TimerPolicy, now: datetime
) -> Decision:
    grants = with_states(record.grants, {event.grant_id: "granted"})
    event_id = str(event.event_id)
    if not all_in(grants, "granted"):
        note = f"{event.grant_id} granted"
        return Decision(event_id=event_id, updates={"grants": grants}, note=note, timer=KEEP)
    if record.duration is None:
        raise ValueError("an active workflow needs a duration")
    # Access counts from activation, not from the request: approvals may take hours.
    updates = {"grants": grants, "activated_at": now, "expires_at": now + record.duration}
    return Decision(
        event_id=event_id,
        moves=(Move(S.ACTIVE, "access granted in every provider"),),
        updates=updates,
        timer=expiry_deadline(record.model_copy(update=updates), policy),
    )


def _grant_of(record: WorkflowRecord, event: ProvisionerResult) -> GrantRecord:
    grant = find_grant(record.grants, event.grant_id)
    if grant is None:
        raise Conflict(f"the workflow has no grant {event.grant_id!r}")
    return grant
