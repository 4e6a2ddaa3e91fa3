"""Slack through the Web API's ``chat.postMessage``, with a bot token."""

import httpx

from elevate_workflow.adapters.notifiers import render
from elevate_workflow.adapters.notifiers.http import post
from elevate_workflow.domain.notifications import DeliveryFailed, Notification, Notifier

#: Slack's error codes that a retry can cure; any other is a mistake in the set-up.
_TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable"}
)


class SlackNotifier(Notifier):
    """Post each notification to one Slack channel as the bot."""

    def __init__(
        self, name: str, *, client: httpx.AsyncClient, api_url: str, token: str, channel: str
    ) -> None:
        super().__init__(name)
        self._client = client
        self._url = api_url.rstrip("/") + "/chat.postMessage"
        self._headers = {"Authorization": f"Bearer {token}"}
        self._channel = channel

    async def send(self, notification: Notification) -> None:
        """Post the message; Slack answers 200 with ``ok: false`` when it refuses one."""
        body = {
            "channel": self._channel,
            "text": render.mrkdwn(notification),
            "unfurl_links": False,
            "unfurl_media": False,
        }
        response = await post(self._client, self._url, json=body, headers=self._headers)

        answer = response.json()
        if not answer.get("ok"):
            error = str(answer.get("error", "unknown"))[:100]
            raise DeliveryFailed(f"slack refused: {error}", retryable=error in _TRANSIENT_ERRORS)
