"""``GET /elevate`` and ``POST /elevate``: start an elevation, as the contract shows."""

from collections.abc import Callable
from typing import Any

import structlog
from litestar import Controller, Request, Response, get, post

from elevate_gateway.container import Services
from elevate_gateway.domain.caller import SCOPE_REQUEST, Caller
from elevate_gateway.domain.elevation import Accepted
from elevate_gateway.domain.parsing import parse_form, parse_json_body, parse_query
from elevate_gateway.domain.requests import ElevationRequest, StaticRequest
from elevate_gateway.entrypoints.body import read_body, require_known_media_type
from elevate_gateway.entrypoints.correlation import correlation_id_of
from elevate_gateway.entrypoints.dependencies import CallerParam, ServicesParam
from elevate_gateway.handlers.idempotent import Answer, once
from elevate_gateway.handlers.request_elevation import request_elevation

log = structlog.get_logger(__name__)


class ElevateController(Controller):
    """Start elevations from query parameters, a JSON body or form data."""

    path = "/elevate"
    opt = {"scope": SCOPE_REQUEST, "rate": "requests"}  # noqa: RUF012 (Litestar reads it)

    @get("/", name="elevate_by_query")
    async def by_query(
        self, request: Request[Any, Any, Any], caller: CallerParam, services: ServicesParam
    ) -> Response[Any]:
        """Start a static elevation from query parameters."""
        pairs = request.query_params.multi_items()
        return await _start(request, caller, services, lambda: parse_query(pairs).as_static())

    @post("/", name="elevate_by_body")
    async def by_body(
        self, request: Request[Any, Any, Any], caller: CallerParam, services: ServicesParam
    ) -> Response[Any]:
        """Start a static elevation (JSON) or a dynamic one (JSON or form data)."""
        body = await read_body(request)
        require_known_media_type(body)
        form = body.form

        def parse() -> ElevationRequest:
            return parse_form(form) if form is not None else parse_json_body(body.content)

        return await _start(request, caller, services, parse)


async def _start(
    request: Request[Any, Any, Any],
    caller: Caller,
    services: Services,
    parse: Callable[[], ElevationRequest],
) -> Response[Any]:
    correlation_id = correlation_id_of(request.scope)

    async def run(ids: Accepted) -> Answer:
        elevation = parse()
        accepted = await request_elevation(
            elevation,
            caller,
            catalogue=services.catalogue,
            publisher=services.publisher,
            accepted=ids,
            correlation_id=correlation_id,
        )
        log.info(
            "elevation_requested",
            workflow_id=accepted.workflow_id,
            requester=caller.subject,
            kind="static" if isinstance(elevation, StaticRequest) else "dynamic",
            providers=list(elevation.providers),
        )
        return Answer(202, accepted.as_contract())

    key = request.headers.get("idempotency-key")
    answer = await once(services.idempotency, caller, key, await _content(request), run)
    return _respond(answer)


async def _content(request: Request[Any, Any, Any]) -> bytes:
    """Return what identifies a request for idempotency: method, path, query and body."""
    head = f"{request.method} {request.url.path}?{request.url.query}\n".encode()
    return head + await request.body()


def _respond(answer: Answer) -> Response[Any]:
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else {}
    workflow_id = answer.body.get("output", {}).get("workflow_id")
    if workflow_id:
        headers["Location"] = f"/workflows/{workflow_id}"
    return Response(answer.body, status_code=answer.status, headers=headers)
