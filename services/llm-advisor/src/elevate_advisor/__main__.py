"""Run the advisor: ``python -m elevate_advisor``."""

import asyncio

import structlog
from faststream import FastStream

from elevate_advisor.bootstrap import bootstrap
from elevate_advisor.settings import LlmSettings
from elevate_shared.logging import configure_logging
from elevate_shared.settings import ElevateSettings, KafkaSettings

log = structlog.get_logger(__name__)


async def main() -> None:
    """Load settings (failing fast on a bad one), then consume until stopped."""
    elevate = ElevateSettings()
    configure_logging("advisor", level=elevate.log_level, json=elevate.log_json)
    llm = LlmSettings()
    broker, advisor = bootstrap(KafkaSettings(), elevate, llm)
    log.info("advisor_starting", engine=advisor.engine.name, roles=len(advisor.roles))
    await FastStream(broker, logger=None).run()


if __name__ == "__main__":
    asyncio.run(main())
