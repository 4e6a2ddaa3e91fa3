"""The Kafka entrypoint: parse each provisioner command and hand it to its handler.

Offsets are committed after the handler returns (the shared subscriber's ack policy), so
a crash means redelivery, which the handlers absorb. What is not theirs to absorb:

- a record that does not parse is dead-lettered by the shared subscriber;
- a command naming a provider the catalogue lacks can never be applied: the handlers
  answer it with a failure result, then it is raised as ``PoisonMessage`` and
  dead-lettered with the reason;
- any other error (the ledger not answering) is retried by the subscriber, then
  dead-lettered. Provider failures never get here: handlers report them as results.
"""

from faststream.kafka import KafkaBroker

from elevate_provisioner.domain.errors import UnknownProvider
from elevate_provisioner.handlers import Dependencies, handle
from elevate_shared.kafka import PoisonMessage, subscribe
from elevate_shared.settings import KafkaSettings
from elevate_shared.topics import (
    PROVISIONER_COMMANDS,
    ProvisionerCommand,
    provisioner_command_adapter,
)

#: Consumer group of every provisioner replica; partitions are shared among them.
GROUP_ID = "elevate-provisioner"


def subscribe_commands(broker: KafkaBroker, settings: KafkaSettings, deps: Dependencies) -> None:
    """Subscribe the handlers to the provisioner's command topic."""

    async def on_command(command: ProvisionerCommand) -> None:
        try:
            await handle(command, deps)
        except UnknownProvider as error:
            raise PoisonMessage(str(error)) from error

    subscribe(
        broker,
        settings,
        topic=PROVISIONER_COMMANDS,
        group_id=GROUP_ID,
        adapter=provisioner_command_adapter,
        handler=on_command,
    )
