from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from tenacity import wait_none

from elevate_shared.catalogue import EmailChannel
from elevate_workflow.adapters.notifiers import EmailNotifier, NotificationDispatcher
from elevate_workflow.domain.notifications import Notification


def channel(port: int, **fields: Any) -> EmailChannel:
    return EmailChannel(
        name="team-email",
        type="email",
        host="127.0.0.1",
        port=port,
        sender="elevate@example.com",
        starttls=False,
        recipients=("sre-leads@example.com",),
        timeout_seconds=5,
        **fields,
    )


def parse(envelope: Any) -> EmailMessage:
    message = message_from_bytes(envelope.original_content, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None
    return str(part.get_content())


async def test_an_approval_email_reaches_the_channel_and_the_named_approvers(
    mailbox: Any, approval: Notification
) -> None:
    dispatcher = NotificationDispatcher({"team-email": EmailNotifier(channel(mailbox.port))})

    outcome = await dispatcher.deliver(["team-email"], approval)

    assert outcome == {"team-email": True}
    [envelope] = mailbox.envelopes
    assert envelope.mail_from == "elevate@example.com"
    assert envelope.rcpt_tos == ["sre-leads@example.com", "lead@example.com"]
    message = parse(envelope)
    assert message["Subject"] == (
        "[Elevate] Approval needed: aws-admin for alice@example.com (wf_n1)"
    )


async def test_the_email_carries_the_links_and_the_reason_escaped(
    mailbox: Any, approval: Notification
) -> None:
    await EmailNotifier(channel(mailbox.port)).send(approval)

    message = parse(mailbox.envelopes[0])
    text, html = body(message, "plain"), body(message, "html")
    link = approval.links[0]
    assert link.approve_url in text
    assert link.deny_url in text
    assert "> <script>alert(1)</script> & <!channel>" in text
    assert "> Approve: http://evil.example/" in text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt;" in html
    assert link.approve_url.replace("&", "&amp;") in html
    assert approval.reason.splitlines()[0] not in html


async def test_a_refused_recipient_is_not_retried_and_not_raised(
    mailbox: Any, approval: Notification
) -> None:
    mailbox.refuse = {"sre-leads@example.com", "lead@example.com"}
    dispatcher = NotificationDispatcher(
        {"team-email": EmailNotifier(channel(mailbox.port))}, wait=wait_none()
    )

    outcome = await dispatcher.deliver(["team-email"], approval)

    assert outcome == {"team-email": False}
    assert mailbox.envelopes == []


async def test_an_unreachable_server_is_retried_then_logged(
    approval: Notification, closed_port: int, token: str, logs: list[dict[str, Any]]
) -> None:
    dispatcher = NotificationDispatcher(
        {"team-email": EmailNotifier(channel(closed_port))}, attempts=3, wait=wait_none()
    )

    outcome = await dispatcher.deliver(["team-email"], approval)

    assert outcome == {"team-email": False}
    events = [entry["event"] for entry in logs]
    assert events == ["notification_retrying", "notification_retrying", "notification_failed"]
    assert logs[-1]["error"] == "SMTP delivery failed: ConnectionRefusedError"
    assert all(token not in str(entry) for entry in logs)
