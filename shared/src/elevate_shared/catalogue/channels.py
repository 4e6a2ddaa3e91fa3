"""Notification channels of the catalogue: email, Slack, Slack webhooks, signed webhooks.

A channel names the environment variable holding its secret, never the secret itself.
"""

from typing import Annotated, Literal, Self

from pydantic import Field, HttpUrl, model_validator

from elevate_shared.catalogue.common import Name, Strict

#: Name of the environment variable that holds a channel's secret; never the secret itself.
EnvVarName = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Z_][A-Z0-9_]*$")]
Address = Annotated[str, Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")]


class EmailChannel(Strict):
    """Email over SMTP; the password, if any, comes from the variable ``password_env``."""

    name: Name
    type: Literal["email"]
    host: str = Field(min_length=1, max_length=253)
    port: int = Field(default=587, ge=1, le=65535)
    sender: Address
    starttls: bool = True
    username: str | None = Field(default=None, max_length=256)
    password_env: EnvVarName | None = None
    recipients: tuple[Address, ...] = ()
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    @model_validator(mode="after")
    def _credentials_pair(self) -> Self:
        if (self.username is None) != (self.password_env is None):
            raise ValueError("give both username and password_env, or neither")
        return self


class SlackChannel(Strict):
    """Slack's Web API ``chat.postMessage`` with a bot token from ``token_env``."""

    name: Name
    type: Literal["slack"]
    channel: str = Field(min_length=1, max_length=80)
    token_env: EnvVarName
    api_url: HttpUrl = HttpUrl("https://slack.com/api/")


class SlackWebhookChannel(Strict):
    """A Slack incoming webhook; its URL is a secret, so it comes from ``url_env``."""

    name: Name
    type: Literal["slack_webhook"]
    url_env: EnvVarName


class WebhookChannel(Strict):
    """A JSON POST to ``url``, signed with HMAC-SHA256 under the key in ``secret_env``."""

    name: Name
    type: Literal["webhook"]
    url: HttpUrl
    secret_env: EnvVarName


NotificationChannel = Annotated[
    EmailChannel | SlackChannel | SlackWebhookChannel | WebhookChannel,
    Field(discriminator="type"),
]
