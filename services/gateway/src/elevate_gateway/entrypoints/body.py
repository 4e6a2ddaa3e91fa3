"""Read a request's body once, within the size limit, as JSON text or form fields."""

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.enums import RequestEncodingType

from elevate_gateway.domain.errors import UnsupportedMediaType

_FORMS = frozenset({RequestEncodingType.URL_ENCODED.value, RequestEncodingType.MULTI_PART.value})


@dataclass(frozen=True)
class RawBody:
    """A body's bytes, and its form fields when it is form data."""

    content: bytes
    media_type: str
    form: list[tuple[str, Any]] | None = None

    @property
    def is_json(self) -> bool:
        """Tell whether the body claims to be JSON."""
        return self.media_type == "application/json" or self.media_type.endswith("+json")

    @property
    def is_empty(self) -> bool:
        """Tell whether there is no body at all."""
        return not self.content


async def read_body(request: Request[Any, Any, Any]) -> RawBody:
    """Return the body; Litestar caches it, and refuses it past the size limit (413)."""
    # Read the bytes first: multipart parsing then reads the cached bytes, not the stream.
    content = await request.body()
    media_type, _ = request.content_type
    form = list((await request.form()).multi_items()) if media_type in _FORMS else None
    return RawBody(content=content, media_type=media_type, form=form)


def require_known_media_type(body: RawBody) -> None:
    """Refuse a body that is neither JSON nor form data."""
    if not (body.is_json or body.form is not None):
        raise UnsupportedMediaType(
            "send application/json, application/x-www-form-urlencoded or multipart/form-data",
            field="Content-Type",
        )
