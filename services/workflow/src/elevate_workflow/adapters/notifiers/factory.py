"""Build one notifier per catalogue channel, reading each channel's secret from the
environment variable the catalogue names. Called once at start: a missing variable stops
the service with a message that names the channel and the variable, never a value.
"""

from collections.abc import Mapping

import httpx

from elevate_shared.catalogue.channels import (
    EmailChannel,
    NotificationChannel,
    SlackChannel,
    SlackWebhookChannel,
    WebhookChannel,
)
from elevate_workflow.adapters.notifiers.email import EmailNotifier
from elevate_workflow.adapters.notifiers.slack import SlackNotifier
from elevate_workflow.adapters.notifiers.slack_webhook import SlackWebhookNotifier
from elevate_workflow.adapters.notifiers.webhook import WebhookNotifier
from elevate_workflow.domain.notifications import Notifier


class ChannelSecretMissing(ValueError):
    """A channel's secret variable is unset or empty."""

    def __init__(self, channel: str, variable: str) -> None:
        super().__init__(
            f"notification channel {channel!r} needs the environment variable {variable}"
        )
        self.channel = channel
        self.variable = variable


def build_notifiers(
    channels: Mapping[str, NotificationChannel],
    *,
    environ: Mapping[str, str],
    client: httpx.AsyncClient,
) -> dict[str, Notifier]:
    """Return a notifier per channel name; ``client`` serves every HTTP channel."""
    return {name: _build(channel, environ, client) for name, channel in channels.items()}


def _build(
    channel: NotificationChannel, environ: Mapping[str, str], client: httpx.AsyncClient
) -> Notifier:
    def secret(variable: str) -> str:
        value = environ.get(variable, "")
        if not value:
            raise ChannelSecretMissing(channel.name, variable)
        return value

    match channel:
        case EmailChannel():
            password = secret(channel.password_env) if channel.password_env else None
            return EmailNotifier(channel, password=password)
        case SlackChannel():
            return SlackNotifier(
                channel.name,
                client=client,
                api_url=str(channel.api_url),
                token=secret(channel.token_env),
                channel=channel.channel,
            )
        case SlackWebhookChannel():
            return SlackWebhookNotifier(channel.name, client=client, url=secret(channel.url_env))
        case WebhookChannel():
            return WebhookNotifier(
                channel.name, client=client, url=str(channel.url), secret=secret(channel.secret_env)
            )
