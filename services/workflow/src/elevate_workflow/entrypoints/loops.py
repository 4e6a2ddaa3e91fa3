"""Background loops: due timers, outboxes a crash left unsent, the timer index's rebuild."""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

import structlog

from elevate_workflow.handlers.context import Context
from elevate_workflow.handlers.timers import fire_due_timers
from elevate_workflow.settings import WorkflowSettings

log = structlog.get_logger(__name__)


async def run_every(
    seconds: float,
    job: Callable[[], Awaitable[object]],
    *,
    name: str,
    stopping: asyncio.Event,
    wait_first: bool = False,
) -> None:
    """Run ``job`` every ``seconds`` until ``stopping`` is set; a failed run is logged."""
    if wait_first:
        await _pause(seconds, stopping)
    while not stopping.is_set():
        try:
            await job()
        except Exception:
            # The loop is what keeps timers firing: log the failure and look again.
            log.exception("loop_failed", loop=name)
        await _pause(seconds, stopping)


async def _pause(seconds: float, stopping: asyncio.Event) -> None:
    """Wait ``seconds``, or less if ``stopping`` is set meanwhile."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), timeout=seconds)


def background_loops(
    context: Context, settings: WorkflowSettings, stopping: asyncio.Event
) -> list[Coroutine[Any, Any, None]]:
    """Return the timer loop, the outbox sweep and the index rebuild, ready to run as tasks.

    The index is rebuilt at start by the composition root, so its loop waits first.
    """
    stale_after = timedelta(seconds=settings.outbox_stale_seconds)

    async def fire_timers() -> None:
        await fire_due_timers(context, settings.timer_batch)

    async def sweep_outboxes() -> None:
        await context.relay.sweep(context.clock(), stale_after, settings.timer_batch)

    return [
        run_every(settings.timer_poll_seconds, fire_timers, name="timers", stopping=stopping),
        run_every(settings.outbox_sweep_seconds, sweep_outboxes, name="outbox", stopping=stopping),
        run_every(
            settings.timer_restore_seconds,
            context.store.restore_timers,
            name="timer_index",
            stopping=stopping,
            wait_first=True,
        ),
    ]
