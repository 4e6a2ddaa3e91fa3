"""What a due timer does. A workflow has at most one timer: the next thing it waits for.

Firing is idempotent: the firing's event id is derived from the timer's kind and due
time, so two replicas that fire the same timer write it once (the version guard lets
one win, the other then sees the event applied).
"""

from collections.abc import Callable
from datetime import datetime

from elevate_shared.records import TimerKind, WorkflowRecord
from elevate_shared.states import WorkflowState
from elevate_workflow.domain.deadlines import next_deadline
from elevate_workflow.domain.decision import Decision, Move
from elevate_workflow.domain.grant_records import IN_EFFECT, in_states
from elevate_workflow.domain.grants import begin_revoke, compensation, revoke_command
from elevate_workflow.domain.policy import TimerPolicy

S = WorkflowState

Fire = Callable[[WorkflowRecord, TimerPolicy, datetime, str], Decision]

#: The state each kind of timer belongs to; a timer found in another state is stale.
#: Revoke retries outlive the state they started in: a failed workflow still revokes.
EXPECTED_STATE: dict[TimerKind, WorkflowState | None] = {
    "approval_timeout": S.AWAITING_APPROVAL,
    "grant_timeout": S.PROVISIONING,
    "expiry_warning": S.ACTIVE,
    "expiry": S.ACTIVE,
    "revoke_retry": None,
}


def timer_event_id(kind: TimerKind, due_at: datetime) -> str:
    """Name one firing of one timer, the same in every replica."""
    return f"timer:{kind}:{due_at.isoformat()}"


def on_timer(
    record: WorkflowRecord, kind: TimerKind, due_at: datetime, policy: TimerPolicy, now: datetime
) -> Decision | None:
    """Fire the workflow's timer if it is still the one that came due."""
    if record.timer != kind or record.due_at != due_at:
        return None  # another replica fired it, or the workflow moved on
    event_id = timer_event_id(kind, due_at)
    expected = EXPECTED_STATE[kind]
    if expected is not None and record.state is not expected:
        return Decision(event_id=event_id, timer=None, note=f"stale {kind} timer cleared")
    return _FIRE[kind](record, policy, now, event_id)


def _approval_timed_out(
    record: WorkflowRecord, policy: TimerPolicy, now: datetime, event_id: str
) -> Decision:
    step = record.definition.approvals if record.definition else None
    to_state = S.DENIED if step and step.on_timeout == "deny" else S.TIMED_OUT
    move = Move(to_state, "no decision from the approvers in time")
    return Decision(event_id=event_id, moves=(move,), timer=None)


def _grant_timed_out(
    record: WorkflowRecord, policy: TimerPolicy, now: datetime, event_id: str
) -> Decision:
    targets = in_states(record.grants, *IN_EFFECT)
    move = Move(S.FAILED, "the provisioner did not answer in time")
    return compensation(record, targets, policy, now, event_id=event_id, moves=(move,))


def _expiring_soon(
    record: WorkflowRecord, policy: TimerPolicy, now: datetime, event_id: str
) -> Decision:
    if record.expires_at is None or now >= record.expires_at:
        return _expired(record, policy, now, event_id)  # late: no point warning of the past
    warned = record.model_copy(update={"warned_at": now})
    revoke_due = now + policy.revoke_timeout  # keep any outstanding revoke in view
    return Decision(
        event_id=event_id,
        updates={"warned_at": now},
        timer=next_deadline(warned, policy, revoke_due),
        note=f"access expires at {record.expires_at.isoformat(timespec='seconds')}",
        notice="expiring_soon",
    )


def _expired(record: WorkflowRecord, policy: TimerPolicy, now: datetime, event_id: str) -> Decision:
    return begin_revoke(record, policy, now, event_id=event_id, reason="access expired")


def _retry_revokes(
    record: WorkflowRecord, policy: TimerPolicy, now: datetime, event_id: str
) -> Decision:
    targets = in_states(record.grants, "revoking")
    if not targets:
        timer = next_deadline(record, policy, None)
        return Decision(event_id=event_id, timer=timer, note="no revoke left to retry")
    # A retry is due after a failure or after no answer: either way, send them again.
    attempts = record.revoke_attempts + 1
    escalated = policy.escalates(attempts)
    note = f"revoke sent again (retry {attempts}) for {len(targets)} grant(s)"
    return Decision(
        event_id=event_id,
        updates={"revoke_attempts": attempts},
        commands=tuple(revoke_command(record, grant) for grant in targets),
        timer=next_deadline(record, policy, now + policy.revoke_timeout),
        note=f"escalated: {note}" if escalated else note,
        announce=escalated,
    )


_FIRE: dict[TimerKind, Fire] = {
    "approval_timeout": _approval_timed_out,
    "grant_timeout": _grant_timed_out,
    "expiry_warning": _expiring_soon,
    "expiry": _expired,
    "revoke_retry": _retry_revokes,
}
