import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from tenacity import wait_none

from elevate_workflow.adapters.notifiers import (
    NotificationDispatcher,
    SlackNotifier,
    SlackWebhookNotifier,
    WebhookNotifier,
)
from elevate_workflow.domain.notifications import Notification, Notifier

SECRET = "webhook-signing-key"


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as http:
        yield http


def dispatcher_of(notifier: Notifier) -> NotificationDispatcher:
    return NotificationDispatcher({notifier.name: notifier}, attempts=3, wait=wait_none())


async def test_slack_gets_a_chat_post_message_with_the_bot_token(
    receiver: Any, client: httpx.AsyncClient, approval: Notification
) -> None:
    receiver.reply((200, b'{"ok": true}'))
    slack = SlackNotifier(
        "sre-slack", client=client, api_url=f"{receiver.url}/api/", token="xoxb-1", channel="#sre"
    )

    assert await dispatcher_of(slack).deliver(["sre-slack"], approval) == {"sre-slack": True}

    [request] = receiver.requests
    assert request.path == "/api/chat.postMessage"
    assert request.headers["authorization"] == "Bearer xoxb-1"
    message = request.json()
    assert message["channel"] == "#sre"
    assert f"<{approval.links[0].approve_url}|Approve>" in message["text"]
    assert "&lt;!channel&gt;" in message["text"]
    assert "<!channel>" not in message["text"]


async def test_slack_refusing_a_message_is_not_retried(
    receiver: Any, client: httpx.AsyncClient, approval: Notification
) -> None:
    receiver.reply((200, b'{"ok": false, "error": "channel_not_found"}'))
    slack = SlackNotifier(
        "sre-slack", client=client, api_url=f"{receiver.url}/api", token="xoxb-1", channel="#x"
    )

    assert await dispatcher_of(slack).deliver(["sre-slack"], approval) == {"sre-slack": False}
    assert len(receiver.requests) == 1


async def test_a_slack_incoming_webhook_gets_the_message(
    receiver: Any, client: httpx.AsyncClient, approval: Notification
) -> None:
    hook = SlackWebhookNotifier("sre-hook", client=client, url=f"{receiver.url}/services/T/B/X")

    assert await dispatcher_of(hook).deliver(["sre-hook"], approval) == {"sre-hook": True}

    [request] = receiver.requests
    assert request.path == "/services/T/B/X"
    assert "*Approval needed: aws-admin for alice@example.com*" in request.json()["text"]


async def test_a_webhook_body_is_signed_with_hmac_sha256(
    receiver: Any, client: httpx.AsyncClient, approval: Notification
) -> None:
    hook = WebhookNotifier("audit", client=client, url=f"{receiver.url}/hook", secret=SECRET)

    assert await dispatcher_of(hook).deliver(["audit"], approval) == {"audit": True}

    [request] = receiver.requests
    expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["x-elevate-signature"] == f"sha256={expected}"
    assert request.headers["x-elevate-event"] == "approval_needed"
    body = request.json()
    assert (body["kind"], body["workflow_id"], body["duration"]) == (
        "approval_needed",
        "wf_n1",
        "PT2H",
    )
    assert body["links"][0]["deny_url"] == approval.links[0].deny_url
    assert body["reason"] == approval.reason


async def test_a_signature_does_not_match_a_changed_body(
    receiver: Any, client: httpx.AsyncClient, approval: Notification
) -> None:
    hook = WebhookNotifier("audit", client=client, url=f"{receiver.url}/hook", secret=SECRET)
    await hook.send(approval)

    [request] = receiver.requests
    changed = json.dumps({**request.json(), "workflow_id": "wf_other"}).encode()
    forged = hmac.new(SECRET.encode(), changed, hashlib.sha256).hexdigest()
    assert request.headers["x-elevate-signature"] != f"sha256={forged}"


async def test_a_failing_receiver_is_retried_until_it_takes_the_message(
    receiver: Any, client: httpx.AsyncClient, approval: Notification
) -> None:
    receiver.reply((503, b"busy"), (500, b"oops"))
    hook = WebhookNotifier("audit", client=client, url=f"{receiver.url}/hook", secret=SECRET)

    assert await dispatcher_of(hook).deliver(["audit"], approval) == {"audit": True}
    assert len(receiver.requests) == 3
    assert len({r.headers["x-elevate-signature"] for r in receiver.requests}) == 1


async def test_a_receiver_that_keeps_failing_is_logged_and_never_raises(
    receiver: Any,
    client: httpx.AsyncClient,
    approval: Notification,
    token: str,
    logs: list[dict[str, Any]],
) -> None:
    receiver.reply(*[(500, b"down")] * 3)
    hook = SlackWebhookNotifier("sre-hook", client=client, url=f"{receiver.url}/secret-path")

    assert await dispatcher_of(hook).deliver(["sre-hook"], approval) == {"sre-hook": False}

    assert len(receiver.requests) == 3
    failed = [entry for entry in logs if entry["event"] == "notification_failed"]
    assert [(e["channel"], e["error"]) for e in failed] == [("sre-hook", "answered HTTP 500")]
    assert all("secret-path" not in str(entry) and token not in str(entry) for entry in logs)


async def test_a_refusing_receiver_is_not_retried(
    receiver: Any, client: httpx.AsyncClient, approval: Notification
) -> None:
    receiver.reply((404, b"no_service"))
    hook = SlackWebhookNotifier("sre-hook", client=client, url=f"{receiver.url}/gone")

    assert await dispatcher_of(hook).deliver(["sre-hook"], approval) == {"sre-hook": False}
    assert len(receiver.requests) == 1


async def test_an_unreachable_receiver_is_logged_without_its_url(
    client: httpx.AsyncClient,
    approval: Notification,
    closed_port: int,
    logs: list[dict[str, Any]],
) -> None:
    url = f"http://127.0.0.1:{closed_port}/hooks/secret-path"
    hook = SlackWebhookNotifier("sre-hook", client=client, url=url)

    assert await dispatcher_of(hook).deliver(["sre-hook"], approval) == {"sre-hook": False}

    assert logs[-1]["error"] == "request failed: ConnectError"
    assert all("secret-path" not in str(entry) for entry in logs)
