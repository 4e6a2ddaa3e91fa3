"""People's actions: cancel a pending request, end active access early."""

from elevate_shared.messages import CancelElevation, EndAccess
from elevate_workflow.domain.actions import on_cancel, on_end_access
from elevate_workflow.handlers.context import Context
from elevate_workflow.handlers.steps import update


async def cancel_elevation(command: CancelElevation, context: Context) -> None:
    """Cancel the request if its requester asks before anything is granted."""
    await update(
        context,
        command.workflow_id,
        str(command.event_id),
        lambda record, now: on_cancel(record, command, now),
        actor=command.actor,
    )


async def end_access(command: EndAccess, context: Context) -> None:
    """Revoke active access now, for the requester, an approver or an admin."""
    await update(
        context,
        command.workflow_id,
        str(command.event_id),
        lambda record, now: on_end_access(record, command, context.policy, now),
        actor=command.actor,
    )
