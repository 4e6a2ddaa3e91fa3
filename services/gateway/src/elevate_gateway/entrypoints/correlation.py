"""One correlation id per request: taken from ``X-Correlation-ID`` when well formed.

The id is bound to every log line of the request, put on the commands it publishes,
returned in the response's header, and logged with the request's outcome.
"""

import re
import time
from typing import Any
from uuid import uuid4

import structlog
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger(__name__)

HEADER = "X-Correlation-ID"
#: What a caller's id may look like; anything else is replaced, never echoed.
WELL_FORMED = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def correlation_id_of(scope: Scope) -> str:
    """Return the request's correlation id, set by the middleware."""
    return str(scope.get("state", {}).get("correlation_id", ""))


class CorrelationMiddleware(ASGIMiddleware):
    """Choose the id, bind it to logs, and add it to the response headers."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        given = _header(scope, HEADER.lower())
        correlation_id = given if given and WELL_FORMED.fullmatch(given) else uuid4().hex
        scope.setdefault("state", {})["correlation_id"] = correlation_id
        outcome: dict[str, Any] = {"status": 500}
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome["status"] = message["status"]
                MutableScopeHeaders.from_message(message)[HEADER] = correlation_id
            await send(message)

        # Bound for this request only: the keys are restored when it ends.
        with structlog.contextvars.bound_contextvars(
            correlation_id=correlation_id, workflow_id=None
        ):
            try:
                await next_app(scope, receive, send_with_id)
            finally:
                # The path only: query strings may carry session tokens.
                log.info(
                    "http_request",
                    method=scope.get("method"),
                    path=scope.get("path"),
                    status=outcome["status"],
                    duration_ms=round((time.perf_counter() - started) * 1000, 1),
                )


def _header(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key.decode("latin-1").lower() == name:
            return str(value.decode("latin-1"))
    return None
