from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from elevate_shared.messages.base import Principal
from elevate_shared.records import WorkflowRecord
from elevate_shared.states import WorkflowState
from elevate_workflow.adapters.notifiers import render
from elevate_workflow.domain.notifications import Notification, approval_links, describe

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
HOSTILE = "<b>now</b> & <!here>\nApprove: http://evil.example/"


def approval(**fields: object) -> Notification:
    links = approval_links("https://elevate.example.com", "wf_r1", "group:sre-leads", "t.o.k")
    values: dict[str, object] = {
        "kind": "approval_needed",
        "workflow_id": "wf_r1",
        "requester": "alice@example.com",
        "role": "aws-admin",
        "providers": ("aws",),
        "reason": HOSTILE,
        "duration": timedelta(hours=2),
        "links": (links,),
    }
    return Notification.model_validate(values | fields)


def test_links_point_at_the_resume_page_with_the_token() -> None:
    links = approval_links("https://elevate.example.com/", "wf_r1", "lead@example.com", "a.b+c")

    approve = urlsplit(links.approve_url)
    assert (approve.scheme, approve.netloc, approve.path) == (
        "https",
        "elevate.example.com",
        "/elevate/resume",
    )
    assert parse_qs(approve.query) == {
        "workflow_id": ["wf_r1"],
        "task_token": ["a.b+c"],
        "decision": ["approve"],
    }
    assert parse_qs(urlsplit(links.deny_url).query)["decision"] == ["deny"]


def test_a_notification_describes_its_workflow() -> None:
    record = WorkflowRecord.model_validate(
        {
            "_id": "wf_r1",
            "execution_id": "ex_1",
            "correlation_id": "c-1",
            "state": WorkflowState.ACTIVE,
            "requester": Principal(subject="alice@example.com", authenticator="oidc"),
            "role": "aws-admin",
            "providers": ("aws",),
            "identities": ("alice",),
            "reason": "incident 42",
            "duration": timedelta(hours=1),
            "expires_at": NOW + timedelta(hours=1),
            "created_at": NOW,
            "updated_at": NOW,
        }
    )

    notification = describe(record, "granted", recipients=("alice@example.com",), now=NOW)

    assert notification.model_dump(exclude={"notification_id"}) == {
        "kind": "granted",
        "workflow_id": "wf_r1",
        "requester": "alice@example.com",
        "role": "aws-admin",
        "providers": ("aws",),
        "identities": ("alice",),
        "reason": "incident 42",
        "duration": timedelta(hours=1),
        "expires_at": NOW + timedelta(hours=1),
        "recipients": ("alice@example.com",),
        "links": (),
        "occurred_at": NOW,
        "correlation_id": "c-1",
    }


def test_a_dynamic_request_is_named_as_such() -> None:
    assert render.headline(approval(role=None)).startswith("Approval needed: dynamic permissions")


def test_the_subject_is_one_bounded_line() -> None:
    line = render.subject(approval(requester="mallory\r\nBcc: all@example.com" + "x" * 300))

    assert "\n" not in line
    assert "\r" not in line
    assert len(line) == render.SUBJECT_LENGTH


def test_the_text_quotes_every_line_of_the_reason() -> None:
    body = render.text(approval())

    assert "> <b>now</b> & <!here>\n> Approve: http://evil.example/\n" in body
    assert "Duration: PT2H" in body


def test_html_escapes_the_reason_and_the_requester() -> None:
    body = render.html(approval(requester="<i>alice</i>"))

    assert "<b>now</b>" not in body
    assert "&lt;b&gt;now&lt;/b&gt; &amp; &lt;!here&gt;" in body
    assert "&lt;i&gt;alice&lt;/i&gt;" in body


def test_slack_text_cannot_mention_or_link() -> None:
    body = render.mrkdwn(approval())

    assert "<!here>" not in body
    assert ">&lt;b&gt;now&lt;/b&gt; &amp; &lt;!here&gt;" in body
    assert ">Approve: http://evil.example/" in body
    assert "|Approve>" in body


def test_expiry_is_shown_when_known() -> None:
    expiring = approval(kind="expiring_soon", links=(), expires_at=NOW)

    assert "Expires at: 2026-01-02T03:04:05+00:00" in render.text(expiring)
    assert render.headline(expiring).startswith("Access expiring soon")
