"""Cancel a pending request, or end active access early: load, check, publish."""

from collections.abc import Callable
from dataclasses import dataclass

import structlog

from elevate_gateway.adapters.publisher import CommandPublisher
from elevate_gateway.adapters.workflow_store import WorkflowReader
from elevate_gateway.domain.caller import Caller
from elevate_gateway.domain.workflow_actions import check_cancel, check_end
from elevate_gateway.handlers.workflow_status import workflow_status
from elevate_shared.messages import CancelElevation, EndAccess
from elevate_shared.records import WorkflowRecord

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class WorkflowAction:
    """What one action checks, the command it publishes, and the event it logs."""

    name: str
    check: Callable[[WorkflowRecord, Caller], None]
    command: type[CancelElevation] | type[EndAccess]
    logged_as: str


#: Withdraw the caller's own pending request.
CANCEL = WorkflowAction("cancel", check_cancel, CancelElevation, "cancel_requested")
#: Revoke active access now.
END = WorkflowAction("end", check_end, EndAccess, "end_access_requested")


async def request_action(
    action: WorkflowAction,
    workflow_id: str,
    caller: Caller,
    comment: str | None,
    *,
    workflows: WorkflowReader,
    publisher: CommandPublisher,
    correlation_id: str,
) -> None:
    """Ask the workflow service to apply the action, once the caller may."""
    record = await workflow_status(workflow_id, caller, workflows)

    action.check(record, caller)

    command = action.command(
        workflow_id=workflow_id,
        actor=caller.principal,
        comment=comment,
        correlation_id=correlation_id,
    )
    await publisher.publish(command)
    log.info(action.logged_as, workflow_id=workflow_id, actor=caller.subject)
