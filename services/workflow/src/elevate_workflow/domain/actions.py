"""People's actions on a running elevation: cancelling it, or ending its access early."""

from datetime import datetime

from elevate_shared.errors import Conflict, NotAllowed
from elevate_shared.messages import CancelElevation, EndAccess, Principal
from elevate_shared.records import WorkflowRecord
from elevate_shared.states import WorkflowState
from elevate_shared.task_tokens import matches_approver
from elevate_workflow.domain.decision import Decision, Move
from elevate_workflow.domain.grants import begin_revoke
from elevate_workflow.domain.policy import TimerPolicy

S = WorkflowState


def on_cancel(record: WorkflowRecord, command: CancelElevation, now: datetime) -> Decision:
    """Withdraw a request before anything is granted; the table refuses it later on."""
    if command.actor.subject != record.requester.subject:
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


def may_end_access(record: WorkflowRecord, actor: Principal) -> bool:
    """Tell whether ``actor`` is the requester, one of the approvers, or an admin."""
    step = record.definition.approvals if record.definition else None
    approvers = step.approvers if step else ()
    return (
        actor.subject == record.requester.subject
        or actor.admin
        or any(matches_approver(approver, actor) for approver in approvers)
        or any(answer.approver.subject == actor.subject for answer in record.approvals)
    )
