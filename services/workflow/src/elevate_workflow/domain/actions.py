"""People's actions on a running elevation: cancelling it, or ending its access early."""

from datetime import datetime

from elevate_shared.errors import Conflict, NotAllowed
from elevate_shared.messages import CancelElevation, EndAccess
from elevate_shared.permissions import is_requester, may_end_access
from elevate_shared.records import WorkflowRecord
from elevate_shared.states import WorkflowState
from elevate_workflow.domain.decision import Decision, Move
from elevate_workflow.domain.grants import begin_revoke
from elevate_workflow.domain.policy import TimerPolicy

S = WorkflowState


def on_cancel(record: WorkflowRecord, command: CancelElevation, now: datetime) -> Decision:
    """Withdraw a request before anything is granted; the table refuses it later on."""
    if not is_requester(record, command.actor):
        raise NotAllowed("only the requester may cancel a request")
    cancelled = Move(S.CANCELLED, f"cancelled by {command.actor.subject}")
    return Decision(str(command.event_id), actor=command.actor, moves=(cancelled,), timer=None)


def on_end_access(
    record: WorkflowRecord, command: EndAccess, policy: TimerPolicy, now: datetime
) -> Decision:
    """Revoke active access now and drop its expiry timer."""
    if not may_end_access(record, command.actor):
        raise NotAllowed("only the requester, an approver or an admin may end access")
    if record.state is not S.ACTIVE:
        raise Conflict(f"only active access can be ended; the workflow is {record.state.value}")
    reason = f"ended early by {command.actor.subject}"
    event_id = str(command.event_id)
    return begin_revoke(record, policy, now, event_id=event_id, reason=reason, actor=command.actor)
