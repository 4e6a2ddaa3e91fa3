"""Read raw request input (JSON text, form fields, query parameters) into request models.

JSON bodies and form data carry the same fields; form data and query parameters give
lists comma-separated. A body naming ``role`` is a static request, one naming
``permissions`` is dynamic; naming both or neither is refused.
"""

import json
from collections.abc import Iterable
from typing import Any

from elevate_gateway.domain.requests import (
    DynamicRequest,
    ElevationRequest,
    QueryRequest,
    StaticRequest,
)
from elevate_gateway.domain.validation import validated
from elevate_shared.errors import RequestRejected

#: Fields given as comma-separated lists in form data and query parameters.
_LIST_FIELDS = frozenset(
    {"providers", "provider", "permissions", "resources", "groups", "users", "identities"}
)


def parse_json_body(body: bytes) -> ElevationRequest:
    """Parse a JSON body into a static or dynamic request."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise RequestRejected("the body is not valid JSON", field="body") from None
    if not isinstance(data, dict):
        raise RequestRejected("the body must be a JSON object", field="body")
    return _static_or_dynamic(data)


def parse_form(pairs: Iterable[tuple[str, Any]]) -> ElevationRequest:
    """Parse form fields into a static or dynamic request."""
    data = _fields(pairs)
    if isinstance(data.get("session"), str):
        data["session"] = {"session": data["session"]}
    return _static_or_dynamic(data)


def parse_query(pairs: Iterable[tuple[str, Any]]) -> QueryRequest:
    """Parse ``GET /elevate``'s query parameters."""
    return validated(QueryRequest, _fields(pairs))


def session_token(data: Any) -> str | None:
    """Return the session token a JSON body or form carries, without validating the rest."""
    value = data.get("session") if isinstance(data, dict) else None
    if isinstance(value, dict):
        value = value.get("session")
    return value if isinstance(value, str) and value else None


def _static_or_dynamic(data: dict[str, Any]) -> ElevationRequest:
    if "role" in data and "permissions" in data:
        raise RequestRejected(
            "name a role or permissions, not both (permissions make a dynamic request)",
            field="role",
        )
    if "role" in data:
        return validated(StaticRequest, data)
    if "permissions" in data:
        return validated(DynamicRequest, data)
    raise RequestRejected("name a role, or permissions for a dynamic request", field="role")


def single_values(pairs: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Return fields given once each as text; a repeated field or a file is refused."""
    data: dict[str, str] = {}
    for key, value in pairs:
        if key in data:
            raise RequestRejected(f"{key!r} is given more than once", field=key)
        if not isinstance(value, str):
            raise RequestRejected(f"{key!r} must be text, not a file", field=key)
        data[key] = value
    return data


def _fields(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    fields = single_values(pairs)
    return {k: _split(v) if k in _LIST_FIELDS else v for k, v in fields.items()}


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())
