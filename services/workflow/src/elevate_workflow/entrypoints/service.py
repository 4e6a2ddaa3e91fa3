"""Run the workflow service until SIGTERM: consumers, timer loop and outbox sweep."""

import asyncio
import signal
from collections.abc import Awaitable, Callable, Sequence

import structlog
from faststream.kafka import KafkaBroker

from elevate_shared.logging import configure_logging
from elevate_shared.settings import ElevateSettings
from elevate_workflow.entrypoints.loops import background_loops
from elevate_workflow.handlers.context import Context
from elevate_workflow.settings import WorkflowSettings

log = structlog.get_logger(__name__)

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
    """Entry point of ``python -m elevate_workflow``."""
    settings = ElevateSettings()
    configure_logging("workflow", level=settings.log_level, json=settings.log_json)
    asyncio.run(serve())


async def serve() -> None:
    """Run until SIGTERM or SIGINT, then stop gracefully."""
    from elevate_workflow.bootstrap import bootstrap  # the root imports this module

    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)

    service = await bootstrap()
    await service.start()
    await stopping.wait()
    log.info("workflow_service_stopping")
    await service.stop()
