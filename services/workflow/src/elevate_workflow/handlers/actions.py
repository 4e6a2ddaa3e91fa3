"""People's actions: cancel a pending request, end active access early."""

from datetime import datetime

from elevate_shared.messages import CancelElevation, EndAccess
from elevate_shared.records import WorkflowRecord
from elevate_workflow.domain.actions import on_cancel, on_end_access
from elevate_workflow.domain.decision import Decision
from elevate_workflow.domain.policy import TimerPolicy
from elevate_workflow.handlers.applying import apply_message
from elevate_workflow.handlers.context import Context


async def cancel_elevation(command: CancelElevation, context: Context) -> None:
    """Cancel the request if its requester asks before anything is granted."""
    await apply_message(command, context, _cancel, actor=command.actor)


async def end_access(command: EndAccess, context: Context) -> None:
    """Revoke active access now, for the requester, an approver or an admin."""
    await apply_message(command, context, on_end_access, actor=command.actor)


def _cancel(
    record: WorkflowRecord, command: CancelElevation, _policy: TimerPolicy, now: datetime
) -> Decision:
    # Cancelling decides without the timer policy; the shared step passes it anyway.
    return on_cancel(record, command, now)
