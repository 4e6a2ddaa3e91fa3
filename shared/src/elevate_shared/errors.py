"""Errors that services raise for callers to see.

    ElevateError
    ├── RequestRejected    the request is malformed or breaks the catalogue (field named)
    ├── NotAuthenticated   no valid caller identity
    ├── NotAllowed         the caller may not do this
    ├── NotFound           no such workflow (or not visible to the caller)
    ├── Conflict           the workflow's state does not allow this now
    └── Unavailable        a dependency did not answer in time

The gateway maps each to one HTTP status in a single place; the workflow service records
them in the workflow history or dead-letters the message that caused them.
"""


class ElevateError(Exception):
    """Base of every error a caller may see. ``detail`` is safe to show."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class RequestRejected(ElevateError):
    """The request is malformed or breaks the catalogue's rules."""

    status = 422
    title = "Invalid elevation request"


class NotAuthenticated(ElevateError):
    """No valid caller identity came with the request."""

    status = 401
    title = "Authentication required"


class NotAllowed(ElevateError):
    """The caller is known but may not do this."""

    status = 403
    title = "Not allowed"


class NotFound(ElevateError):
    """The thing asked for does not exist or is not visible to the caller."""

    status = 404
    title = "Not found"


class Conflict(ElevateError):
    """The current state does not allow this action."""

    status = 409
    title = "Conflict"


class Unavailable(ElevateError):
    """A dependency did not answer in time."""

    status = 503
    title = "Service unavailable"
