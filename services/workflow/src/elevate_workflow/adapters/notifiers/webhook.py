"""A signed JSON webhook, for any other system.

The body is the notification as JSON. ``X-Elevate-Signature`` carries
``sha256=<hex HMAC-SHA256 of the exact body bytes>`` under the channel's key, so the
receiver can check that Elevate sent it and nobody changed it; ``notification_id`` in
the body lets it drop a delivery it already has, since failed deliveries are retried.
"""

import hashlib
import hmac
import json

import httpx

from elevate_workflow.adapters.notifiers.http import post
from elevate_workflow.domain.notifications import Notification, Notifier

SIGNATURE_HEADER = "X-Elevate-Signature"
EVENT_HEADER = "X-Elevate-Event"


def sign(secret: bytes, body: bytes) -> str:
    """Return the signature header value of ``body``."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


class WebhookNotifier(Notifier):
    """POST each notification, signed, to one URL."""

    def __init__(self, name: str, *, client: httpx.AsyncClient, url: str, secret: str) -> None:
        super().__init__(name)
        self._client = client
        self._url = url
        self._secret = secret.encode()

    async def send(self, notification: Notification) -> None:
        """Sign the exact bytes sent, then post them."""
        body = json.dumps(notification.model_dump(mode="json"), separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(self._secret, body),
            EVENT_HEADER: notification.kind,
        }
        await post(self._client, self._url, content=body, headers=headers)
