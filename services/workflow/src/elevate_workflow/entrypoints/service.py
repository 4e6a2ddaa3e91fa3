"""Run the workflow service until SIGTERM: consumers, timer loop and outbox sweep."""

import asyncio
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence

import structlog
from faststream.kafka import KafkaBroker
from pydantic import ValidationError

from elevate_shared.catalogue import Catalogue, CatalogueError, load_catalogue
from elevate_shared.logging import configure_logging
from elevate_workflow.adapters.notifiers import ChannelSecretMissing
from elevate_workflow.entrypoints.loops import background_loops
from elevate_workflow.handlers.context import Context
from elevate_workflow.settings import ServiceSettings, WorkflowSettings

log = structlog.get_logger(__name__)

#: The service's name in logs.
SERVICE = "elevate-workflow"

Closer = Callable[[], Awaitable[object]]


class WorkflowService:
    """The consumers, the loops and the resources they hold, started and stopped as one."""

    def __init__(
        self,
        *,
        context: Context,
        broker: KafkaBroker,
        settings: WorkflowSettings,
        closers: Sequence[Closer] = (),
    ) -> None:
        self.context = context
        self.broker = broker
        self._settings = settings
        self._closers = list(closers)
        self._stopping = asyncio.Event()
        self._loops: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Connect to Kafka, start consuming, and start the timer and outbox loops."""
        await self.broker.start()
        loops = background_loops(self.context, self._settings, self._stopping)
        self._loops = [asyncio.create_task(loop) for loop in loops]
        log.info("workflow_service_started")

    async def stop(self) -> None:
        """Stop consuming first, let the loops finish their round, then close resources."""
        self._stopping.set()
        # A message cut short is not committed, so Kafka delivers it again elsewhere.
        await self.broker.stop()
        await asyncio.gather(*self._loops)
        for close in self._closers:
            await close()
        log.info("workflow_service_stopped")


def main() -> None:
    """Entry point of ``python -m elevate_workflow``: read settings, run until SIGTERM.

    Settings and the catalogue are read before anything connects; a bad variable, a bad
    catalogue entry or a channel without its secret stops the service with exit code 2
    and a message that names it.
    """
    try:
        settings = ServiceSettings.load()
    except ValidationError as error:
        sys.exit(f"{SERVICE}: invalid settings: {error}")
    configure_logging(SERVICE, level=settings.elevate.log_level, json=settings.elevate.log_json)

    try:
        catalogue = load_catalogue(settings.elevate.catalogue_dir)
        asyncio.run(serve(settings, catalogue))
    except CatalogueError as error:
        log.error("catalogue_invalid", problems=error.problems)
        sys.exit(2)
    except ChannelSecretMissing as error:
        log.error("notification_secret_missing", channel=error.channel, variable=error.variable)
        sys.exit(2)


async def serve(settings: ServiceSettings, catalogue: Catalogue) -> None:
    """Run until SIGTERM or SIGINT, then stop gracefully."""
    from elevate_workflow.bootstrap import bootstrap  # the root imports this module

    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)

    service = await bootstrap(settings, catalogue=catalogue)
    await service.start()
    await stopping.wait()
    log.info("workflow_service_stopping")
    await service.stop()
