"""Fire due timers: approval timeouts, grant deadlines, expiry and revoke retries."""

import structlog

from elevate_shared.errors import NotFound
from elevate_shared.logging import bind_correlation
from elevate_workflow.adapters.store import DueTimer
from elevate_workflow.domain.timers import on_timer, timer_event_id
from elevate_workflow.handlers.context import Context
from elevate_workflow.handlers.steps import update

log = structlog.get_logger(__name__)


async def fire_timer(timer: DueTimer, context: Context) -> None:
    """Apply the workflow's due timer once, however many replicas found it due."""
    bind_correlation(timer.correlation_id, timer.workflow_id)
    if timer.kind == "revoke_retry":
        log.warning("revoke_retrying", workflow_id=timer.workflow_id)
    try:
        written = await update(
            context,
            timer.workflow_id,
            timer_event_id(timer.kind, timer.due_at),
            lambda record, now: on_timer(record, timer.kind, timer.due_at, context.policy, now),
        )
    except NotFound:
        written = None
    if written is None:
        # Fired elsewhere, or the record moved on: the index entry is stale, so refresh
        # it rather than find it due again on the next look.
        await context.store.reindex_timer(timer.workflow_id)


async def fire_due_timers(context: Context, limit: int) -> int:
    """Fire every timer due now, up to ``limit``; return how many were found."""
    timers = await context.store.due(context.clock(), limit)
    for timer in timers:
        try:
            await fire_timer(timer, context)
        except Exception:
            # One broken workflow must not stop the others' timers; it is tried again on
            # the next look, since its timer is still due.
            log.exception("timer_failed", workflow_id=timer.workflow_id, timer=timer.kind)
    return len(timers)
