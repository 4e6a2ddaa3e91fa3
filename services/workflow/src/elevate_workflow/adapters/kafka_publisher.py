"""Publish outbox entries to Kafka with the shared helper, as the messages they hold."""

from typing import Any

from faststream.kafka import KafkaBroker
from pydantic import TypeAdapter

from elevate_shared.kafka import publish
from elevate_shared.records import OutboxEntry
from elevate_shared.topics import (
    PROVISIONER_COMMANDS,
    WORKFLOW_STATUS,
    provisioner_command_adapter,
    status_adapter,
)
from elevate_workflow.adapters.publisher import Publisher

#: The topics the workflow writes to, with the parser of what each carries.
_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    WORKFLOW_STATUS: status_adapter,
    PROVISIONER_COMMANDS: provisioner_command_adapter,
}


class KafkaPublisher(Publisher):
    """Publishes through a connected FastStream broker."""

    def __init__(self, broker: KafkaBroker) -> None:
        self._broker = broker

    async def publish(self, entry: OutboxEntry) -> None:
        """Parse the stored payload back into its message and publish it."""
        adapter = _ADAPTERS.get(entry.topic)
        if adapter is None:
            raise ValueError(f"the workflow does not publish to {entry.topic!r}")
        await publish(self._broker, entry.topic, adapter.validate_python(entry.payload))
