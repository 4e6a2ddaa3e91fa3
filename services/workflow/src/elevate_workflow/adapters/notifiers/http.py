"""One HTTP POST for the HTTP channels, turning every failure into a safe DeliveryFailed.

httpx puts the URL in its error messages, and a Slack webhook URL is a secret, so no
httpx error leaves this module: each becomes a :class:`DeliveryFailed` that names only
the kind of failure and the status code.
"""

from typing import Any

import httpx

from elevate_workflow.domain.notifications import DeliveryFailed

#: Statuses worth a retry: the receiver was busy, slow or failing, not refusing.
_TRANSIENT = frozenset({408, 425, 429})


async def post(
    client: httpx.AsyncClient,
    url: str,
    *,
    content: bytes | None = None,
    json: Any = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST to ``url`` and return a 2xx response, or raise :class:`DeliveryFailed`."""
    try:
        response = await client.post(url, content=content, json=json, headers=headers)
    except httpx.HTTPError as error:
        raise DeliveryFailed(f"request failed: {type(error).__name__}") from None

    if not response.is_success:
        status = response.status_code
        retryable = status >= 500 or status in _TRANSIENT
        raise DeliveryFailed(f"answered HTTP {status}", retryable=retryable)
    return response
