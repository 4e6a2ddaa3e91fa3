"""The words of a notification, as plain text, HTML and Slack mrkdwn.

Whatever a person typed (the reason, above all) is escaped for the markup it goes into
and set apart as a quote, so a reason can neither add markup nor pass for Elevate's own
words or links. Catalogue names and workflow ids are escaped too: escaping costs nothing.
"""

import html as html_module
from collections.abc import Iterator

from elevate_shared.durations import format_duration
from elevate_workflow.domain.notifications import Notification, NotificationKind

#: Longest subject line; mail clients cut longer ones anyway.
SUBJECT_LENGTH = 200

_HEADLINES: dict[NotificationKind, str] = {
    "approval_needed": "Approval needed",
    "granted": "Access granted",
    "denied": "Request denied",
    "expiring_soon": "Access expiring soon",
    "revoked": "Access revoked",
    "timed_out": "Request timed out",
    "cancelled": "Request cancelled",
}


def headline(notification: Notification) -> str:
    """Return one line saying what happened, to whom, for what."""
    kind = _HEADLINES[notification.kind]
    return f"{kind}: {notification.what} for {notification.requester}"


def subject(notification: Notification) -> str:
    """Return an email subject: one line, no control characters, bounded length."""
    line = f"[Elevate] {headline(notification)} ({notification.workflow_id})"
    return " ".join(line.split())[:SUBJECT_LENGTH]


def facts(notification: Notification) -> Iterator[tuple[str, str]]:
    """Yield the label and value of each known fact, the reason excepted."""
    yield "Requester", notification.requester
    yield "Access", notification.what
    yield "Providers", ", ".join(notification.providers) or "-"
    if notification.identities:
        yield "Identities", ", ".join(notification.identities)
    if notification.duration is not None:
        yield "Duration", format_duration(notification.duration)
    if notification.expires_at is not None:
        yield "Expires at", notification.expires_at.isoformat(timespec="seconds")
    yield "Workflow", notification.workflow_id


def text(notification: Notification) -> str:
    """Return the plain-text body."""
    lines = [headline(notification), ""]
    lines += [f"{label}: {value}" for label, value in facts(notification)]
    lines += ["", "Reason given by the requester:"]
    lines += [f"> {line}" for line in notification.reason.splitlines() or [""]]
    for link in notification.links:
        lines += ["", f"As {link.approver}:"]
        lines += [f"  Approve: {link.approve_url}", f"  Deny:    {link.deny_url}"]
    return "\n".join(lines) + "\n"


def html(notification: Notification) -> str:
    """Return the HTML body; every value is escaped."""
    esc = html_module.escape
    rows = "".join(
        f"<tr><th align='left'>{esc(label)}</th><td>{esc(value)}</td></tr>"
        for label, value in facts(notification)
    )
    links = "".join(
        f"<p>As {esc(link.approver)}: <a href='{esc(link.approve_url)}'>Approve</a>"
        f" &middot; <a href='{esc(link.deny_url)}'>Deny</a></p>"
        for link in notification.links
    )
    return (
        f"<html><body><h2>{esc(headline(notification))}</h2><table>{rows}</table>"
        "<p>Reason given by the requester:</p>"
        f"<blockquote style='white-space: pre-wrap'>{esc(notification.reason)}</blockquote>"
        f"{links}</body></html>"
    )


def mrkdwn(notification: Notification) -> str:
    """Return a Slack message in mrkdwn; values are escaped as Slack asks (&, <, >)."""
    lines = [f"*{slack_escape(headline(notification))}*"]
    lines += [f"*{label}:* {slack_escape(value)}" for label, value in facts(notification)]
    lines.append("*Reason given by the requester:*")
    lines += [f">{slack_escape(line)}" for line in notification.reason.splitlines() or [""]]
    lines += [
        f"As {slack_escape(link.approver)}: <{link.approve_url}|Approve> · <{link.deny_url}|Deny>"
        for link in notification.links
    ]
    return "\n".join(lines)


def slack_escape(value: str) -> str:
    """Escape the three characters Slack reads as markup, so text cannot mention or link."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
