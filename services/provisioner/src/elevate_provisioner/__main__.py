"""Run the provisioner: ``python -m elevate_provisioner``. It stops on SIGTERM or SIGINT.

Settings and the catalogue are read once, before anything connects; a bad variable or
catalogue entry stops the service at once with a message that names it.
"""

import asyncio
import sys

import structlog
from pydantic import ValidationError

from elevate_provisioner.bootstrap import SERVICE, Settings, bootstrap
from elevate_shared.catalogue import Catalogue, CatalogueError, load_catalogue
from elevate_shared.logging import configure_logging

log = structlog.get_logger(__name__)


def main() -> None:
    """Load settings and catalogue, then consume commands until told to stop."""
    try:
        settings = Settings.load()
    except ValidationError as error:
        sys.exit(f"{SERVICE}: invalid settings: {error}")
    configure_logging(SERVICE, level=settings.elevate.log_level, json=settings.elevate.log_json)

    try:
        catalogue = load_catalogue(settings.elevate.catalogue_dir)
    except CatalogueError as error:
        log.error("catalogue_invalid", problems=error.problems)
        sys.exit(2)

    asyncio.run(_run(settings, catalogue))


async def _run(settings: Settings, catalogue: Catalogue) -> None:
    # Built inside the event loop, where the database and Kafka clients will run.
    await bootstrap(settings, catalogue=catalogue).run()


if __name__ == "__main__":
    main()
