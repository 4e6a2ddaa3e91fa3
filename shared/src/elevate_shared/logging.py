"""Structured logging with structlog, one setup for every service.

Log calls use a constant event name plus key-values. The correlation id of the message
or HTTP request being handled is bound with :func:`bind_correlation` and appears on
every line logged while handling it.
"""

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

#: Keys whose values never reach a log line or a dead letter (see :func:`is_secret_key`).
SECRET_KEYS = frozenset({"token", "task_token", "password", "secret", "api_key", "session"})
#: What stands in for a secret value.
REDACTED = "[redacted]"


def is_secret_key(key: str) -> bool:
    """Tell whether the value under ``key`` is secret.

    Secret are the keys of :data:`SECRET_KEYS` in any case, and keys ending in ``_<key>``
    (``access_token``, ``client_secret``).
    """
    lowered = key.lower()
    return lowered in SECRET_KEYS or any(lowered.endswith(f"_{secret}") for secret in SECRET_KEYS)


def _drop_secrets(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in [key for key in event if is_secret_key(key)]:
        event[key] = REDACTED
    return event


def configure_logging(service: str, *, level: str = "INFO", json: bool = True) -> None:
    """Send structured log lines for ``service`` to standard error."""
    renderer: Any = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _drop_secrets,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)


def bind_correlation(correlation_id: str, workflow_id: str | None = None) -> None:
    """Tag every following log line of this task with the correlation and workflow ids."""
    structlog.contextvars.bind_contextvars(correlation_id=correlation_id, workflow_id=workflow_id)
