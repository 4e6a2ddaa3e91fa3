"""Errors the gateway adds to the shared tree (see :mod:`elevate_shared.errors`).

    ElevateError
    ├── RateLimited            too many requests in the current window (429, Retry-After)
    └── RequestRejected
        └── UnsupportedMediaType   the body is neither JSON nor form data (415)

They are mapped to problem details with the shared ones, in ``entrypoints/problems.py``.
"""

from elevate_shared.errors import ElevateError, RequestRejected


class RateLimited(ElevateError):
    """The caller made too many requests; ``retry_after`` says when to try again."""

    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class UnsupportedMediaType(RequestRejected):
    """The body is neither JSON nor form data."""

    status = 415
    title = "Unsupported media type"
