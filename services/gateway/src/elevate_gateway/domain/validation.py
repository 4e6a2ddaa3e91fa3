"""Turn pydantic validation errors into one :class:`RequestRejected` naming the field."""

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from elevate_shared.errors import RequestRejected

M = TypeVar("M", bound=BaseModel)

#: Most problems reported in one answer; the rest are counted.
_MAX_PROBLEMS = 5


def validated(model: type[M], data: Any) -> M:
    """Return ``data`` as ``model``, or raise :class:`RequestRejected` naming the field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise _rejection(model, error) from None


def _rejection(model: type[BaseModel], error: ValidationError) -> RequestRejected:
    problems = error.errors(include_url=False, include_input=False)
    first = problems[0]
    lines = [_describe(model, problem) for problem in problems[:_MAX_PROBLEMS]]
    if len(problems) > _MAX_PROBLEMS:
        lines.append(f"and {len(problems) - _MAX_PROBLEMS} more problems")
    return RequestRejected("; ".join(lines), field=_field(first["loc"]) or None)


def _describe(model: type[BaseModel], problem: Any) -> str:
    where = _path(problem["loc"]) or "body"
    if problem["type"] == "extra_forbidden":
        if "." in where:
            return f"unknown field {where!r}"
        allowed = ", ".join(sorted(model.model_fields))
        return f"unknown field {where!r} (allowed: {allowed})"
    return f"{where}: {problem['msg']}"


def _field(loc: tuple[Any, ...]) -> str:
    return str(loc[0]) if loc else ""


def _path(loc: tuple[Any, ...]) -> str:
    # Union members show up in the location under a capitalised tag or class name; the
    # caller never wrote those, so they are left out of the path shown.
    parts = [str(part) for part in loc if not (isinstance(part, str) and part[:1].isupper())]
    return ".".join(parts)
