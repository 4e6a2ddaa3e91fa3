from pathlib import Path

import pytest

from elevate_shared.catalogue import (
    CatalogueError,
    EmailChannel,
    SlackChannel,
    SlackWebhookChannel,
    WebhookChannel,
    load_catalogue,
)

TESTS_CATALOGUE = Path(__file__).parents[2] / "catalogue"

BASE = """
providers:
  - {name: aws, type: aws}
roles:
  - name: reader
    description: Reads.
    providers: [aws]
    workflows: [notified]
    permissions: {aws: {managed_policy_arns: [arn:aws:iam::aws:policy/ReadOnlyAccess]}}
    max_duration: PT1H
"""
WORKFLOW = """
workflows:
  - name: notified
    steps:
      - {type: validate}
      - {type: notify, channels: [team-email]}
      - {type: notify, channels: [audit, team-email], events: [granted]}
      - {type: authorize}
      - {type: revoke}
"""
CHANNELS = """
notifications:
  - {name: team-email, type: email, host: 127.0.0.1, port: 1025, sender: e@example.com}
  - {name: audit, type: webhook, url: "https://audit.example.com/h", secret_env: AUDIT_KEY}
"""


def write(folder: Path, **files: str) -> None:
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text)


def test_the_test_catalogue_has_every_kind_it_uses() -> None:
    catalogue = load_catalogue(TESTS_CATALOGUE)

    assert isinstance(catalogue.notifications["test-email"], EmailChannel)
    assert isinstance(catalogue.notifications["test-webhook"], WebhookChannel)
    assert catalogue.workflows["default"].channels_for("approval_needed") == (
        "test-email",
        "test-webhook",
    )


def test_channels_load_by_type(tmp_path: Path) -> None:
    write(tmp_path, base=BASE, workflows=WORKFLOW, channels=CHANNELS)

    catalogue = load_catalogue(tmp_path)

    email = catalogue.notifications["team-email"]
    assert isinstance(email, EmailChannel)
    assert (email.host, email.port, email.starttls) == ("127.0.0.1", 1025, True)
    assert isinstance(catalogue.notifications["audit"], WebhookChannel)


def test_a_notify_step_hears_only_its_events(tmp_path: Path) -> None:
    write(tmp_path, base=BASE, workflows=WORKFLOW, channels=CHANNELS)

    definition = load_catalogue(tmp_path).workflows["notified"]

    assert definition.channels_for("granted") == ("team-email", "audit")
    assert definition.channels_for("denied") == ("team-email",)


def test_an_unknown_channel_is_named_with_its_file_and_step(tmp_path: Path) -> None:
    write(tmp_path, base=BASE, workflows=WORKFLOW.replace("[audit,", "[pager,"), channels=CHANNELS)

    with pytest.raises(CatalogueError) as error:
        load_catalogue(tmp_path)

    assert (
        f"{tmp_path / 'workflows.yaml'}: workflows[0]: steps[2]: unknown notification"
        " channel 'pager'"
    ) in error.value.problems


def test_a_secret_inline_instead_of_a_variable_name_is_refused(tmp_path: Path) -> None:
    inline = CHANNELS.replace("secret_env: AUDIT_KEY", "secret: hunter2hunter2")
    write(tmp_path, base=BASE, workflows=WORKFLOW, channels=inline)

    with pytest.raises(CatalogueError) as error:
        load_catalogue(tmp_path)

    assert "channels.yaml: notifications[1]" in str(error.value)


def test_a_variable_name_must_look_like_one(tmp_path: Path) -> None:
    bad = CHANNELS.replace("secret_env: AUDIT_KEY", "secret_env: 'hunter2 hunter2'")
    write(tmp_path, base=BASE, workflows=WORKFLOW, channels=bad)

    with pytest.raises(CatalogueError, match=r"notifications\[1\]: webhook.secret_env"):
        load_catalogue(tmp_path)


def test_an_unknown_channel_type_is_refused(tmp_path: Path) -> None:
    pager = CHANNELS.replace("type: webhook", "type: pager")
    write(tmp_path, base=BASE, workflows=WORKFLOW, channels=pager)

    with pytest.raises(CatalogueError, match=r"notifications\[1\]"):
        load_catalogue(tmp_path)


def test_a_channel_defined_twice_is_refused(tmp_path: Path) -> None:
    write(tmp_path, base=BASE, workflows=WORKFLOW, channels=CHANNELS)
    write(tmp_path, more=CHANNELS)

    with pytest.raises(CatalogueError, match="'audit' is defined twice"):
        load_catalogue(tmp_path)


def test_an_email_username_needs_a_password_variable() -> None:
    with pytest.raises(ValueError, match="username and password_env"):
        EmailChannel.model_validate(
            {"name": "m", "type": "email", "host": "h", "sender": "a@b", "username": "u"}
        )


def test_slack_channels_name_their_secret_variables() -> None:
    slack = SlackChannel.model_validate(
        {"name": "s", "type": "slack", "channel": "#sre", "token_env": "SLACK_TOKEN"}
    )
    hook = SlackWebhookChannel.model_validate(
        {"name": "h", "type": "slack_webhook", "url_env": "SLACK_URL"}
    )

    assert str(slack.api_url) == "https://slack.com/api/"
    assert (slack.token_env, hook.url_env) == ("SLACK_TOKEN", "SLACK_URL")
