"""``GET /elevate/resume``: the approver's page, and its form posted back, on the stack."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

pytestmark = pytest.mark.stack

Client = AsyncTestClient[Litestar]
Headers = Callable[..., dict[str, str]]
SRE_LEAD = {"groups": ("sre-leads",)}


def link(seeded: Any, approver: str = "group:sre-leads", **extra: str) -> dict[str, str]:
    token = seeded.tokens[approver]
    return {"workflow_id": seeded.workflow_id, "task_token": token, **extra}


def hidden(page: str, name: str) -> str | None:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)">', page)
    return found.group(1) if found else None


async def test_the_page_shows_who_asks_for_what_why_and_how_long(
    client: Client, person: Headers, seed: Any, subject: Any
) -> None:
    seeded = await seed()

    response = await client.get(
        "/elevate/resume",
        params=link(seeded, decision="approve"),
        headers=person("bob", **SRE_LEAD),
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert subject("alice") in page
    assert "s3-reader" in page
    assert "PT30M" in page
    assert "group:sre-leads" in page
    assert '<form method="post" action="/elevate/resume">' in page
    assert 'name="decision" value="approve"' in page
    assert 'name="decision" value="deny"' in page
    assert '<textarea id="comment" name="comment"' in page
    assert hidden(page, "task_token") == seeded.tokens["group:sre-leads"]
    assert hidden(page, "workflow_id") == seeded.workflow_id
    assert "<script" not in page


async def test_the_reason_is_escaped(
    client: Client, person: Headers, seed: Any, hostile_reason: str
) -> None:
    seeded = await seed()

    response = await client.get(
        "/elevate/resume", params=link(seeded), headers=person("bob", **SRE_LEAD)
    )

    assert hostile_reason not in response.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;urgent&lt;/b&gt;" in (
        response.text
    )


async def test_the_page_is_never_cached_framed_or_sent_on_as_a_referrer(
    client: Client, person: Headers, seed: Any
) -> None:
    seeded = await seed()

    response = await client.get(
        "/elevate/resume", params=link(seeded), headers=person("bob", **SRE_LEAD)
    )

    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_someone_who_may_not_answer_does_not_see_the_page(
    client: Client, person: Headers, seed: Any, hostile_reason: str
) -> None:
    seeded = await seed()

    response = await client.get("/elevate/resume", params=link(seeded), headers=person("mallory"))

    assert response.status_code == 403
    assert hostile_reason not in response.text


async def test_the_page_of_a_used_token_says_so(client: Client, person: Headers, seed: Any) -> None:
    seeded = await seed(used=("group:sre-leads",))

    response = await client.get(
        "/elevate/resume", params=link(seeded), headers=person("bob", **SRE_LEAD)
    )

    assert response.status_code == 409


async def test_the_form_posts_the_answer_without_javascript(
    client: Client, person: Headers, published: Any, seed: Any, subject: Any
) -> None:
    seeded = await seed()
    page = await client.get(
        "/elevate/resume", params=link(seeded, subject("lead")), headers=person("lead")
    )
    form = {
        "workflow_id": hidden(page.text, "workflow_id") or "",
        "task_token": hidden(page.text, "task_token") or "",
        "decision": "deny",
        "comment": "not during the freeze",
    }

    response = await client.post("/elevate/resume", data=form, headers=person("lead"))

    assert response.status_code == 202, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "Your answer was sent" in response.text
    [command] = await published.for_workflow(seeded.workflow_id)
    assert (command["approved"], command["comment"]) == (False, "not during the freeze")
    assert command["actor"]["subject"] == subject("lead")


async def test_a_session_opened_page_carries_the_session_into_its_form(
    client: Client, person: Headers, published: Any, seed: Any, subject: Any
) -> None:
    seeded = await seed()
    opened = await client.post("/auth/session", headers=person("bob", **SRE_LEAD))
    session = opened.json()["session"]

    page = await client.get("/elevate/resume", params=link(seeded, session=session))
    form = {
        "workflow_id": seeded.workflow_id,
        "task_token": hidden(page.text, "task_token") or "",
        "session": hidden(page.text, "session") or "",
        "decision": "approve",
    }
    response = await client.post("/elevate/resume", data=form)

    assert page.status_code == 200, page.text
    assert response.status_code == 202, response.text
    [command] = await published.for_workflow(seeded.workflow_id)
    assert command["approved"] is True
    assert command["actor"]["subject"] == subject("bob")


async def test_a_form_with_an_unknown_decision_is_refused(
    client: Client, person: Headers, published: Any, seed: Any
) -> None:
    seeded = await seed()
    form = {**link(seeded), "decision": "maybe"}

    response = await client.post("/elevate/resume", data=form, headers=person("bob", **SRE_LEAD))

    assert response.status_code == 422
    assert response.json()["field"] == "decision"
    assert await published.for_workflow(seeded.workflow_id) == []
