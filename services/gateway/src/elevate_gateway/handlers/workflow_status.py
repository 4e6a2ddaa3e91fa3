"""Show a workflow to the people it concerns."""

import re

from elevate_gateway.adapters.workflow_store import WorkflowReader
from elevate_gateway.domain.access import may_see
from elevate_gateway.domain.caller import Caller
from elevate_shared.errors import NotFound, RequestRejected
from elevate_shared.messages.commands import WORKFLOW_ID_PATTERN
from elevate_shared.records import WorkflowRecord

#: The shape commands give workflow ids.
WORKFLOW_ID = re.compile(WORKFLOW_ID_PATTERN)


async def workflow_status(
    workflow_id: str, caller: Caller, workflows: WorkflowReader
) -> WorkflowRecord:
    """Return the workflow, or raise :class:`NotFound` when absent or not the caller's."""
    if not WORKFLOW_ID.fullmatch(workflow_id):
        raise RequestRejected("not a workflow id", field="workflow_id")

    record = await workflows.get(workflow_id)

    # A workflow the caller may not see is answered like one that does not exist, so ids
    # cannot be probed for.
    if record is None or not may_see(caller, record):
        raise NotFound(f"no workflow {workflow_id!r} that you can see")
    return record
