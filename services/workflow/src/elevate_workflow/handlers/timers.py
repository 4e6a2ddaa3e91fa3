"""Fire due timers: approval timeouts, grant deadlines, expiry and revoke retries."""

import structlog

from elevate_shared.logging import bind_correlation
from elevate_shared.records import WorkflowRecord
from elevate_workflow.domain.timers import on_timer, timer_event_id
from elevate_workflow.handlers.context import Context
from elevate_workflow.handlers.steps import update

log = structlog.get_logger(__name__)


async def fire_timer(record: WorkflowRecord, context: Context) -> None:
    """Apply the record's due timer once, however many replicas found it due."""
    kind, due_at = record.timer, record.due_at
    if kind is None or due_at is None:
        return
    bind_correlation(record.correlation_id, record.workflow_id)
    if kind == "revoke_retry":
        log.warning(
            "revoke_retrying", workflow_id=record.workflow_id, retries=record.revoke_attempts
        )
    await update(
        context,
        record.workflow_id,
        timer_event_id(kind, due_at),
        lambda current, now: on_timer(current, kind, due_at, context.policy, now),
    )


async def fire_due_timers(context: Context, limit: int) -> int:
    """Fire every timer due now, up to ``limit``; return how many were found."""
    records = await context.store.due(context.clock(), limit)
    for record in records:
        try:
            await fire_timer(record, context)
        except Exception:
            # One broken workflow must not stop the others' timers; it is tried again on
            # the next look, since its timer is still due.
            log.exception("timer_failed", workflow_id=record.workflow_id, timer=record.timer)
    return len(records)
