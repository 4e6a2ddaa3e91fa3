"""The one place errors become HTTP answers: RFC 9457 problem details.

Domain errors (the tree in :mod:`elevate_shared.errors`, plus the gateway's
:class:`~elevate_gateway.domain.errors.RateLimited`) keep their status and safe detail;
Litestar's own HTTP errors (unknown route, body too large) keep theirs; anything else is
logged with its traceback and answered as a bare 500 that reveals nothing.
"""

import re
from typing import Any

import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap

from elevate_gateway.domain.errors import RateLimited
from elevate_shared.errors import ElevateError

log = structlog.get_logger(__name__)

PROBLEM_JSON = "application/problem+json"
#: Problem types are URNs: stable names clients can switch on, not pages to fetch.
TYPE_BASE = "urn:elevate:problem:"

_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    413: "Request body too large",
    415: "Unsupported media type",
    500: "Internal error",
}


def problem(
    request: Request[Any, Any, Any],
    status: int,
    title: str,
    detail: str,
    *,
    kind: str | None = None,
    **extensions: Any,
) -> Response[dict[str, Any]]:
    """Build a problem-details answer for ``request``; ``kind`` names its type."""
    body: dict[str, Any] = {
        "type": f"{TYPE_BASE}{kind or f'http-{status}'}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    correlation_id = request.state.get("correlation_id")
    if correlation_id:
        body["correlation_id"] = correlation_id
    body.update({key: value for key, value in extensions.items() if value is not None})
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


def _domain_error(request: Request[Any, Any, Any], error: ElevateError) -> Response[Any]:
    kind = re.sub(r"(?<!^)(?=[A-Z])", "-", type(error).__name__).lower()
    response = problem(
        request, error.status, error.title, error.detail, kind=kind, field=error.field
    )
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="elevate"'
    log.info("request_refused", status=error.status, field=error.field)
    return response


def _http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    status = error.status_code
    title = _TITLES.get(status, "Error")
    # Litestar's 500s may carry internals in their detail; those are not shown.
    detail = error.detail if status < 500 else "the gateway failed; the error is logged"
    if status == 413:
        limit = request.route_handler.resolve_request_max_body_size()
        detail = f"the body is larger than the {limit} bytes accepted"
    response = problem(request, status, title, detail)
    response.headers.update(error.headers or {})
    return response


def _unexpected(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    # Litestar hands the error over outside its except block, so it is passed explicitly.
    log.error("request_failed", error_type=type(error).__name__, exc_info=error)
    return problem(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        _TITLES[500],
        "the gateway failed; the error is logged with this request's correlation id",
    )


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    ElevateError: _domain_error,
    HTTPException: _http_error,
    Exception: _unexpected,
}
