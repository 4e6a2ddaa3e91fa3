"""Follow the status topic and note when each workflow became active and when it ended.

Times are the Kafka record timestamps (the producer's clock, which is this machine's):
the moment the workflow service published the change, whatever this process was busy
with when it read it. During the load phase this process is busy sending requests, and
its own reading delay would otherwise count against the system.
"""

import asyncio
import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

import structlog
from aiokafka import AIOKafkaConsumer
from pydantic import ValidationError

from benchmarks.topics import topic_partitions
from elevate_shared.messages import WorkflowStatusChanged
from elevate_shared.states import WorkflowState
from elevate_shared.topics import WORKFLOW_STATUS, status_adapter

log = structlog.get_logger(__name__)


@dataclass
class Timeline:
    """When one workflow reached each state, and when its access expires; epoch seconds."""

    reached: dict[WorkflowState, float] = field(default_factory=dict)
    expires_at: float | None = None
    ended_as: WorkflowState | None = None


class StatusWatcher:
    """Reads the status topic from its end, in the background, into timelines."""

    def __init__(self, bootstrap: str) -> None:
        self._bootstrap = bootstrap
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=50
        )
        self._timelines: dict[str, Timeline] = {}
        #: Seconds from a change's ``occurred_at`` to its record on the topic.
        self.publish_delays: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Self:
        await self._consumer.start()
        partitions = await topic_partitions(self._bootstrap, WORKFLOW_STATUS)
        self._consumer.assign(partitions)
        await self._consumer.seek_to_end(*partitions)
        for partition in partitions:
            # Resolve the end now, so changes published from here on are all read.
            await self._consumer.position(partition)
        self._task = asyncio.create_task(self._follow())
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()

    def timeline(self, workflow_id: str) -> Timeline:
        """Return what is known of ``workflow_id`` so far."""
        return self._timelines.get(workflow_id, Timeline())

    async def wait_ended(self, workflow_ids: Iterable[str], within: float) -> list[str]:
        """Wait until every workflow has ended, at most ``within`` s; return those that did not."""
        waiting = set(workflow_ids)
        deadline = time.monotonic() + within
        while waiting and time.monotonic() < deadline:
            waiting = {w for w in waiting if self.timeline(w).ended_as is None}
            await asyncio.sleep(0.2)
        return sorted(waiting)

    async def _follow(self) -> None:
        while True:
            batches = await self._consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for record in records:
                    self._note(record)

    def _note(self, record: Any) -> None:
        try:
            change = status_adapter.validate_json(record.value)
        except ValidationError:
            log.warning("bench_status_record_skipped", offset=record.offset)
            return
        published = record.timestamp / 1000
        self.publish_delays.append(published - change.occurred_at.timestamp())
        _apply(self._timelines.setdefault(change.workflow_id, Timeline()), change, published)


def _apply(timeline: Timeline, change: WorkflowStatusChanged, published: float) -> None:
    timeline.reached.setdefault(change.to_state, published)
    if change.to_state == WorkflowState.ACTIVE and change.expires_at is not None:
        timeline.expires_at = change.expires_at.timestamp()
    if change.to_state.is_terminal:
        timeline.ended_as = change.to_state
