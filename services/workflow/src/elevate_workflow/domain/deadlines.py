"""Which timer a workflow keeps: the earliest thing it waits for.

A workflow has one timer. Its state may wait for something (provisioning for the
grants, active access for its expiry) while revokes of stray grants wait for an answer
too; the timer is then whichever comes first, and firing it sets the next one, so
neither deadline is ever dropped.
"""

from datetime import datetime, timedelta

from elevate_shared.records import WorkflowRecord
from elevate_shared.states import WorkflowState
from elevate_workflow.domain.decision import Timer
from elevate_workflow.domain.policy import TimerPolicy

S = WorkflowState


def next_deadline(
    record: WorkflowRecord, policy: TimerPolicy, revoke_due: datetime | None
) -> Timer | None:
    """Return the earliest of the state's deadline and, if revokes are out, ``revoke_due``."""
    candidates = [state_deadline(record, policy)]
    if revoke_due is not None and any(g.state == "revoking" for g in record.grants):
        candidates.append(Timer("revoke_retry", revoke_due))
    timers = [timer for timer in candidates if timer is not None]
    return min(timers, key=lambda timer: timer.due_at, default=None)


def state_deadline(record: WorkflowRecord, policy: TimerPolicy) -> Timer | None:
    """Return the deadline the state itself has, among the states that hold grants."""
    if record.state is S.ACTIVE and record.expires_at is not None:
        return expiry_deadline(record, policy)
    if record.state is S.PROVISIONING:
        started = entered_at(record, S.PROVISIONING)
        return Timer("grant_timeout", started + policy.grant_timeout) if started else None
    return None


def expiry_deadline(record: WorkflowRecord, policy: TimerPolicy) -> Timer | None:
    """Return the "expiring soon" warning while it is still to come, then the expiry."""
    if record.expires_at is None:
        return None
    if record.warned_at is None and record.activated_at is not None:
        lead = policy.warning_lead(record.expires_at - record.activated_at)
        if lead > timedelta(0):
            return Timer("expiry_warning", record.expires_at - lead)
    return Timer("expiry", record.expires_at)


def entered_at(record: WorkflowRecord, state: WorkflowState) -> datetime | None:
    """Return when the workflow last moved into ``state``."""
    moves = [entry.at for entry in record.history if entry.to_state is state and entry.accepted]
    return moves[-1] if moves else None
