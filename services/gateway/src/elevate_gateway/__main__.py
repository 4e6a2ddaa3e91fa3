"""Run the gateway: ``python -m elevate_gateway`` on GATEWAY_HOST:GATEWAY_PORT."""

import sys

import structlog
import uvicorn
from pydantic import ValidationError

from elevate_gateway.bootstrap import bootstrap
from elevate_gateway.settings import AuthSettings, GatewaySettings
from elevate_shared.catalogue import CatalogueError
from elevate_shared.logging import configure_logging
from elevate_shared.settings import ElevateSettings

log = structlog.get_logger("elevate_gateway")


def main() -> int:
    """Load settings, build the app and serve it until stopped."""
    elevate = ElevateSettings()
    configure_logging("gateway", level=elevate.log_level, json=elevate.log_json)
    try:
        gateway, auth = GatewaySettings(), AuthSettings()
        app = bootstrap(gateway=gateway, auth=auth)
    except ValidationError as error:
        log.error("settings_invalid", problems=_variables(error))
        return 2
    except (CatalogueError, ValueError) as error:
        log.error("start_failed", error=str(error))
        return 2

    log.info("gateway_starting", host=gateway.host, port=gateway.port)
    # Uvicorn's access log would print query strings, which may carry session tokens;
    # the correlation middleware logs each request without them.
    uvicorn.run(app, host=gateway.host, port=gateway.port, access_log=False, log_config=None)
    return 0


def _variables(error: ValidationError) -> list[str]:
    prefix = (error.title or "").removesuffix("Settings").upper()
    prefixes = {"GATEWAY": "GATEWAY_", "AUTH": "ELEVATE_AUTH_"}
    return [
        f"{prefixes.get(prefix, '')}{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
        for e in error.errors()
    ]


if __name__ == "__main__":
    sys.exit(main())
