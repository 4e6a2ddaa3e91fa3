"""Slack through an incoming webhook, whose URL is the secret."""

import httpx

from elevate_workflow.adapters.notifiers import render
from elevate_workflow.adapters.notifiers.http import post
from elevate_workflow.domain.notifications import Notification, Notifier


class SlackWebhookNotifier(Notifier):
    """Post each notification to the channel the webhook was made for."""

    def __init__(self, name: str, *, client: httpx.AsyncClient, url: str) -> None:
        super().__init__(name)
        self._client = client
        self._url = url

    async def send(self, notification: Notification) -> None:
        """Post the message; the webhook answers a non-2xx status when it refuses one."""
        body = {"text": render.mrkdwn(notification), "unfurl_links": False}
        await post(self._client, self._url, json=body)
