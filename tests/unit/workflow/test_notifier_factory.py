import httpx
import pytest

from elevate_shared.catalogue import (
    EmailChannel,
    NotificationChannel,
    SlackChannel,
    SlackWebhookChannel,
    WebhookChannel,
)
from elevate_workflow.adapters.notifiers import (
    ChannelSecretMissing,
    EmailNotifier,
    SlackNotifier,
    SlackWebhookNotifier,
    WebhookNotifier,
    build_notifiers,
)

CHANNELS: dict[str, NotificationChannel] = {
    "mail": EmailChannel(
        name="mail",
        type="email",
        host="127.0.0.1",
        sender="e@example.com",
        username="elevate",
        password_env="SMTP_PASSWORD",
    ),
    "slack": SlackChannel(name="slack", type="slack", channel="#sre", token_env="SLACK_TOKEN"),
    "hook": SlackWebhookChannel(name="hook", type="slack_webhook", url_env="SLACK_URL"),
    "audit": WebhookChannel.model_validate(
        {"name": "audit", "type": "webhook", "url": "https://a.example/h", "secret_env": "KEY"}
    ),
}
ENVIRON = {
    "SMTP_PASSWORD": "secret-password-1",
    "SLACK_TOKEN": "xoxb-secret-token",
    "SLACK_URL": "https://hooks.example/secret-path",
    "KEY": "secret-signing-key",
}


async def test_each_channel_gets_the_notifier_of_its_type() -> None:
    async with httpx.AsyncClient() as client:
        notifiers = build_notifiers(CHANNELS, environ=ENVIRON, client=client)

    assert {name: type(n) for name, n in notifiers.items()} == {
        "mail": EmailNotifier,
        "slack": SlackNotifier,
        "hook": SlackWebhookNotifier,
        "audit": WebhookNotifier,
    }


@pytest.mark.parametrize("variable", sorted(ENVIRON))
async def test_a_missing_secret_names_the_channel_and_variable(variable: str) -> None:
    environ = {**ENVIRON, variable: ""}

    async with httpx.AsyncClient() as client:
        with pytest.raises(ChannelSecretMissing) as error:
            build_notifiers(CHANNELS, environ=environ, client=client)

    assert error.value.variable == variable
    assert variable in str(error.value)
    assert all(value not in str(error.value) for value in ENVIRON.values())
