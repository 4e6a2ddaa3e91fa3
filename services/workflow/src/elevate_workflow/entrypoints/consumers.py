"""Kafka subscribers: parse each record with its topic's adapter and call the handler.

Commands and provisioner results have their own consumer groups, so a burst of new
requests never holds up the results that activate or revoke access.
"""

from faststream.kafka import KafkaBroker

from elevate_shared.kafka import subscribe
from elevate_shared.messages import Message
from elevate_shared.settings import KafkaSettings
from elevate_shared.topics import (
    PROVISIONER_RESULTS,
    WORKFLOW_COMMANDS,
    provisioner_result_adapter,
    workflow_command_adapter,
)
from elevate_workflow.handlers import handle
from elevate_workflow.handlers.context import Context

#: Consumer group of the workflow commands (request, resume, cancel, end access).
COMMANDS_GROUP = "elevate-workflow"
#: Consumer group of the provisioner's results.
RESULTS_GROUP = "elevate-workflow-results"


def register_consumers(broker: KafkaBroker, settings: KafkaSettings, context: Context) -> None:
    """Subscribe the handlers to the workflow commands and the provisioner's results."""

    async def on_message(message: Message) -> None:
        await handle(message, context)

    subscribe(
        broker,
        settings,
        topic=WORKFLOW_COMMANDS,
        group_id=COMMANDS_GROUP,
        adapter=workflow_command_adapter,
        handler=on_message,
    )
    subscribe(
        broker,
        settings,
        topic=PROVISIONER_RESULTS,
        group_id=RESULTS_GROUP,
        adapter=provisioner_result_adapter,
        handler=on_message,
    )
