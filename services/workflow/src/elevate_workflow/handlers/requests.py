"""Start an elevation: create its workflow and take the first steps in one write."""

import structlog

from elevate_shared.messages import RequestElevation
from elevate_workflow.domain.changes import prepare
from elevate_workflow.domain.requests import decide_request, new_record
from elevate_workflow.handlers.context import Context
from elevate_workflow.handlers.steps import emit

log = structlog.get_logger(__name__)


async def request_elevation(command: RequestElevation, context: Context) -> None:
    """Create the workflow: requested, validating, then awaiting approval or provisioning.

    The first moves need nothing but the catalogue, so they are decided before anything
    is written and stored with the record in one insert: a crash leaves either no
    workflow (the command is redelivered) or one already waiting on a timer.
    """
    # Kafka delivers at least once: an existing workflow came from an earlier delivery.
    # That delivery may have failed after storing the record but before indexing its
    # timer (hence this redelivery), so index the timer again.
    if await context.store.load(command.workflow_id) is not None:
        await context.store.reindex_timer(command.workflow_id)
        return

    now = context.clock()
    record = new_record(command, now)
    decision = decide_request(
        record,
        command,
        context.catalogue,
        issue=context.issue_token,
        policy=context.policy,
        now=now,
    )
    changes = prepare(record, decision, now)

    if not await context.store.create(changes.after, changes.outbox):
        log.info("workflow_exists", workflow_id=command.workflow_id)
        return  # a concurrent delivery created it first
    await emit(context, changes.after, decision, previous=None)
