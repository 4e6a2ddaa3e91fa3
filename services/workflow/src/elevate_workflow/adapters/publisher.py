"""The port through which saved outbox entries reach Kafka."""

import abc

from elevate_shared.records import OutboxEntry


class Publisher(abc.ABC):
    """Publishes one outbox entry to its topic, keyed by its workflow."""

    @abc.abstractmethod
    async def publish(self, entry: OutboxEntry) -> None:
        """Publish ``entry``; raise if the broker did not take it."""
