"""The ``caller`` dependency: who is calling, allowed this route, within their rate limit.

Each route says in its ``opt`` which scope it needs (``scope``) and which rate limit it
counts against (``rate``: ``requests`` or ``reads``). Routes that declare no ``caller``
parameter (health, readiness, static pages) are open.
"""

import json
from typing import Any

from litestar import Request

from elevate_gateway.adapters.auth.base import Credentials
from elevate_gateway.container import Services
from elevate_gateway.domain.caller import SCOPE_READ, Caller
from elevate_gateway.domain.errors import RateLimited
from elevate_gateway.domain.parsing import session_token
from elevate_gateway.entrypoints.body import RawBody, read_body
from elevate_gateway.entrypoints.dependencies import ServicesParam
from elevate_gateway.handlers.authenticate import authenticate, require_scope


async def provide_caller(request: Request[Any, Any, Any], services: ServicesParam) -> Caller:
    """Authenticate the request, check the route's scope, and count it against the limit."""
    credentials = await _credentials(request)
    caller = await authenticate(services.authenticators, credentials)
    require_scope(caller, request.route_handler.opt.get("scope", SCOPE_READ))
    await _count(request, caller, services)
    return caller


async def _credentials(request: Request[Any, Any, Any]) -> Credentials:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    bearer = token.strip() if scheme.lower() == "bearer" and token.strip() else None
    session = request.query_params.get("session") or _body_session(await read_body(request))
    return Credentials(
        bearer=bearer,
        api_key=request.headers.get("x-api-key") or None,
        session=session,
    )


def _body_session(body: RawBody) -> str | None:
    if body.form is not None:
        return session_token(dict(body.form))
    if body.is_json:
        try:
            return session_token(json.loads(body.content))
        except (ValueError, RecursionError):
            return None  # the route refuses the body itself, with its reason
    return None


async def _count(request: Request[Any, Any, Any], caller: Caller, services: Services) -> None:
    settings = services.gateway
    bucket = request.route_handler.opt.get("rate", "reads")
    limit = settings.rate_limit_requests if bucket == "requests" else settings.rate_limit_reads
    wait = await services.rate_limiter.hit(
        f"{bucket}:{caller.rate_key}",
        limit=limit,
        window_seconds=settings.rate_limit_window_seconds,
    )
    if wait is not None:
        raise RateLimited(f"at most {limit} {bucket} per window; try again later", retry_after=wait)
