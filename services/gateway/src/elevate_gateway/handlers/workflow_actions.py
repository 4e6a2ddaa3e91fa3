"""Cancel a pending request, or end active access early: load, check, publish."""

import structlog

from elevate_gateway.adapters.publisher import CommandPublisher
from elevate_gateway.adapters.workflow_store import WorkflowReader
from elevate_gateway.domain.caller import Caller
from elevate_gateway.domain.workflow_actions import check_cancel, check_end
from elevate_gateway.handlers.workflow_status import workflow_status
from elevate_shared.messages import CancelElevation, EndAccess

log = structlog.get_logger(__name__)


async def cancel_elevation(
    workflow_id: str,
    caller: Caller,
    comment: str | None,
    *,
    workflows: WorkflowReader,
    publisher: CommandPublisher,
    correlation_id: str,
) -> None:
    """Ask the workflow service to withdraw the caller's own pending request."""
    record = await workflow_status(workflow_id, caller, workflows)

    check_cancel(record, caller)

    command = CancelElevation(
        workflow_id=workflow_id,
        actor=caller.principal,
        comment=comment,
        correlation_id=correlation_id,
    )
    await publisher.publish(command)
    log.info("cancel_requested", workflow_id=workflow_id, actor=caller.subject)


async def end_access(
    workflow_id: str,
    caller: Caller,
    comment: str | None,
    *,
    workflows: WorkflowReader,
    publisher: CommandPublisher,
    correlation_id: str,
) -> None:
    """Ask the workflow service to revoke active access now."""
    record = await workflow_status(workflow_id, caller, workflows)

    check_end(record, caller)

    command = EndAccess(
        workflow_id=workflow_id,
        actor=caller.principal,
        comment=comment,
        correlation_id=correlation_id,
    )
    await publisher.publish(command)
    log.info("end_access_requested", workflow_id=workflow_id, actor=caller.subject)
