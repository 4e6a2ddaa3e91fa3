"""The outbox relay: messages saved with a state change reach Kafka after it.

A write is stored together with the status events and provisioner commands it sends;
the relay publishes them right after, then marks them published. If the process dies
in between, the sweep finds them and publishes them: so every transition is published,
and every grant is followed by a workflow able to revoke it, whatever crashes.
Consumers may see a message twice, never zero times; they know repeats by ``event_id``.
"""

from datetime import datetime, timedelta

import structlog

from elevate_workflow.adapters.publisher import Publisher
from elevate_workflow.adapters.store import WorkflowStore

log = structlog.get_logger(__name__)


class OutboxRelay:
    """Publishes a workflow's unpublished messages in write order."""

    def __init__(self, store: WorkflowStore, publisher: Publisher) -> None:
        self._store = store
        self._publisher = publisher

    async def relay(self, workflow_id: str) -> None:
        """Publish every unpublished write's messages, oldest write first, then mark them.

        All of them go, not only the latest write's: when two writers race, the first
        copy of each message still reaches the topic in write order.
        """
        pending = await self._store.unpublished(workflow_id)
        for write in pending:
            for entry in write.entries:
                await self._publisher.publish(entry)
        await self._store.mark_published(pending)

    async def relay_or_defer(self, workflow_id: str) -> None:
        """Relay now; if Kafka is unreachable, leave the messages to the sweep."""
        try:
            await self.relay(workflow_id)
        except Exception as error:
            log.warning("outbox_relay_deferred", workflow_id=workflow_id, error=repr(error))

    async def sweep(self, now: datetime, stale_after: timedelta, limit: int) -> int:
        """Publish what was left unpublished for longer than ``stale_after``; count workflows."""
        workflow_ids = await self._store.left_unpublished(now - stale_after, limit)
        for workflow_id in workflow_ids:
            log.warning("outbox_left_behind", workflow_id=workflow_id)
            # Loading finishes a write whose writer died before applying it.
            await self._store.load(workflow_id)
            await self.relay_or_defer(workflow_id)
        return len(workflow_ids)
