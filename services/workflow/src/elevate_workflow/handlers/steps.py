"""The steps every change of a workflow takes: load, check, act, save, emit.

``update`` loads the record, lets a domain function decide (check and act), writes the
decision in one version-guarded update (save), then publishes and notifies (emit). A
lost version race means another writer changed the record first: load again and decide
again, so racing answers, timers and cancellations resolve to exactly one outcome.
"""

from collections.abc import Callable
from datetime import datetime

import structlog

from elevate_shared.errors import ElevateError, NotFound
from elevate_shared.messages import Principal
from elevate_shared.records import WorkflowRecord
from elevate_workflow.domain.changes import Changes, prepare
from elevate_workflow.domain.decision import Decision, refused
from elevate_workflow.handlers.context import Context

log = structlog.get_logger(__name__)

Decide = Callable[[WorkflowRecord, datetime], Decision | None]

#: Lost races before giving up; each loss means another writer made progress.
MAX_RACES = 20


class TooMuchContention(Exception):
    """The record kept changing under the handler; the consumer retries the message."""


async def update(
    context: Context,
    workflow_id: str,
    event_id: str,
    decide: Decide,
    *,
    actor: Principal | None = None,
) -> WorkflowRecord | None:
    """Apply one message or timer to one workflow; return the record as written."""
    for _ in range(MAX_RACES):
        record = await context.store.load(workflow_id)
        if record is None:
            raise NotFound(f"there is no workflow {workflow_id!r}")
        # Kafka delivers at least once and every replica fires timers: an event that is
        # already applied must change nothing a second time. Its first delivery may have
        # failed after the write but before the timer index took the new timer (hence
        # the redelivery), so index the timer again.
        if event_id in record.applied_events:
            await context.store.reindex_timer(workflow_id)
            return None

        now = context.clock()
        planned = _plan(record, event_id, actor, decide, now)
        if planned is None:
            return None
        decision, changes = planned
        saved = await context.store.apply(record, changes)
        if saved is not None:
            await emit(context, saved, decision, previous=record)
            return saved
        log.info("version_race_lost", workflow_id=workflow_id, version=record.doc_version)
    raise TooMuchContention(f"workflow {workflow_id!r} kept changing; try again")


async def emit(
    context: Context, record: WorkflowRecord, decision: Decision, previous: WorkflowRecord | None
) -> None:
    """Log the change, publish its outbox and tell people about it."""
    log.info(
        "workflow_changed",
        workflow_id=record.workflow_id,
        event_id=decision.event_id,
        from_state=previous.state if previous else None,
        to_state=record.state,
        version=record.doc_version,
        accepted=decision.accepted,
    )
    await context.relay.relay_or_defer(record.workflow_id)
    context.notices.announce(record, decision)


def _plan(
    record: WorkflowRecord,
    event_id: str,
    actor: Principal | None,
    decide: Decide,
    now: datetime,
) -> tuple[Decision, Changes] | None:
    """Decide and prepare the write; a refusal is written as a refused attempt."""
    try:
        decision = decide(record, now)
        return None if decision is None else (decision, prepare(record, decision, now))
    except ElevateError as error:
        log.warning(
            "attempt_refused", workflow_id=record.workflow_id, state=record.state, why=error.detail
        )
        decision = refused(event_id, actor, error.detail)
        return decision, prepare(record, decision, now)
