"""Send commands to the workflow service over Kafka."""

import abc

import structlog
from faststream.kafka import KafkaBroker

from elevate_shared.errors import Unavailable
from elevate_shared.kafka import publish
from elevate_shared.messages import Message
from elevate_shared.topics import WORKFLOW_COMMANDS

log = structlog.get_logger(__name__)


class CommandPublisher(abc.ABC):
    """Port: hand a command to the workflow service."""

    @abc.abstractmethod
    async def publish(self, command: Message) -> None:
        """Publish ``command``; raise :class:`Unavailable` when it could not be sent."""


class KafkaCommandPublisher(CommandPublisher):
    """Publish on the workflow commands topic, keyed by workflow, acknowledged by all."""

    def __init__(self, broker: KafkaBroker) -> None:
        self._broker = broker

    async def publish(self, command: Message) -> None:
        try:
            await publish(self._broker, WORKFLOW_COMMANDS, command)
        except Exception as error:
            # The caller gets a 503 and may retry with the same Idempotency-Key.
            log.warning("command_not_published", type=type(command).__name__, error=repr(error))
            raise Unavailable("the request could not be queued; try again shortly") from error
