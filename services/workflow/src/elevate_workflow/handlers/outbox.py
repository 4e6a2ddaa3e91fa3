"""The outbox relay: messages saved with a state change reach Kafka after it.

A write saves its status events and provisioner commands in the workflow document; the
relay publishes them right after, then removes them. If the process dies in between,
the sweep finds them and publishes them again: so every transition is published, and
every grant is followed by a workflow able to revoke it, whatever crashes. Consumers
may see a message twice, never zero times; they recognise repeats by ``event_id``.
"""

from datetime import datetime, timedelta

import structlog

from elevate_shared.records import WorkflowRecord
from elevate_workflow.adapters.publisher import Publisher
from elevate_workflow.adapters.store import WorkflowStore

log = structlog.get_logger(__name__)


class OutboxRelay:
    """Publishes workflow outboxes in order, then empties them."""

    def __init__(self, store: WorkflowStore, publisher: Publisher) -> None:
        self._store = store
        self._publisher = publisher

    async def relay(self, record: WorkflowRecord) -> None:
        """Publish every entry of the record's outbox in order, then remove them.

        The whole outbox goes, not only the latest write's entries: when two writers
        race, the first copy of each message still reaches the topic in write order.
        """
        if not record.outbox and record.outbox_since is None:
            return
        for entry in record.outbox:
            await self._publisher.publish(entry)
        await self._store.remove_sent(record.workflow_id, record.outbox)

    async def relay_or_defer(self, record: WorkflowRecord) -> None:
        """Relay now; if Kafka is unreachable, leave the entries to the sweep."""
        try:
            await self.relay(record)
        except Exception as error:
            log.warning(
                "outbox_relay_deferred",
                workflow_id=record.workflow_id,
                entries=len(record.outbox),
                error=repr(error),
            )

    async def sweep(self, now: datetime, stale_after: timedelta, limit: int) -> int:
        """Publish outboxes left unsent for longer than ``stale_after``; return how many."""
        records = await self._store.unsent(now - stale_after, limit)
        for record in records:
            log.warning(
                "outbox_left_behind", workflow_id=record.workflow_id, entries=len(record.outbox)
            )
            await self.relay_or_defer(record)
        return len(records)
