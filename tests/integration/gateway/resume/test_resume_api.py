"""``POST /elevate/resume`` with the contract's JSON body, on the real stack."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from elevate_shared.states import WorkflowState
from elevate_shared.task_tokens import issue

pytestmark = pytest.mark.stack

Client = AsyncTestClient[Litestar]
Headers = Callable[..., dict[str, str]]
SRE_LEAD = {"groups": ("sre-leads",)}


def answer(workflow_id: str, token: str, approved: bool = True, **extra: Any) -> dict[str, Any]:
    user_input = {"approved": approved, "additional_context": "ok for the incident"}
    return {"workflow_id": workflow_id, "task_token": token, "user_input": user_input, **extra}


async def test_an_approval_is_published_as_a_resume_command(
    client: Client, person: Headers, published: Any, seed: Any, subject: Any, unique: str
) -> None:
    seeded = await seed()
    headers = {**person("bob", **SRE_LEAD), "X-Correlation-ID": f"corr-{unique}"}
    token = seeded.tokens["group:sre-leads"]

    response = await client.post(
        "/elevate/resume", json=answer(seeded.workflow_id, token), headers=headers
    )

    assert response.status_code == 202, response.text
    assert response.json() == {
        "status": "accepted",
        "output": {"workflow_id": seeded.workflow_id, "approved": True},
    }
    [command] = await published.for_workflow(seeded.workflow_id)
    assert command["type"] == "ResumeWorkflow"
    assert command["task_token"] == token
    assert command["approved"] is True
    assert command["comment"] == "ok for the incident"
    assert command["actor"] == {
        "subject": subject("bob"),
        "authenticator": "oidc",
        "groups": ["sre-leads"],
        "kind": "user",
        "admin": False,
    }
    assert command["correlation_id"] == f"corr-{unique}"


async def test_a_named_approver_may_deny(
    client: Client, person: Headers, published: Any, seed: Any, subject: Any
) -> None:
    seeded = await seed()
    body = answer(seeded.workflow_id, seeded.tokens[subject("lead")], approved=False)

    response = await client.post("/elevate/resume", json=body, headers=person("lead"))

    assert response.status_code == 202, response.text
    [command] = await published.for_workflow(seeded.workflow_id)
    assert command["approved"] is False


async def test_the_requester_may_not_approve_their_own_request(
    client: Client, person: Headers, published: Any, seed: Any
) -> None:
    seeded = await seed()
    body = answer(seeded.workflow_id, seeded.tokens["group:sre-leads"])

    response = await client.post("/elevate/resume", json=body, headers=person("alice", **SRE_LEAD))

    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await published.for_workflow(seeded.workflow_id) == []


async def test_self_approval_counts_when_the_workflow_allows_it(
    client: Client, person: Headers, published: Any, seed: Any
) -> None:
    seeded = await seed(allow_self_approval=True)
    body = answer(seeded.workflow_id, seeded.tokens["group:sre-leads"])

    response = await client.post("/elevate/resume", json=body, headers=person("alice", **SRE_LEAD))

    assert response.status_code == 202, response.text
    assert len(await published.for_workflow(seeded.workflow_id)) == 1


async def test_someone_the_token_does_not_name_may_not_answer(
    client: Client, person: Headers, published: Any, seed: Any
) -> None:
    seeded = await seed()
    body = answer(seeded.workflow_id, seeded.tokens["group:sre-leads"])

    response = await client.post("/elevate/resume", json=body, headers=person("mallory"))

    assert response.status_code == 403
    assert "group:sre-leads" in response.json()["detail"]
    assert await published.for_workflow(seeded.workflow_id) == []


async def test_an_answer_needs_a_signed_in_caller(client: Client, seed: Any) -> None:
    seeded = await seed()
    body = answer(seeded.workflow_id, seeded.tokens["group:sre-leads"])

    response = await client.post("/elevate/resume", json=body)

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("token", "status", "title"),
    [
        ("not-a-token", 422, "Malformed task token"),
        ("a.b.c", 422, "Malformed task token"),
    ],
)
async def test_a_malformed_token_is_refused(
    client: Client, person: Headers, published: Any, seed: Any, token: str, status: int, title: str
) -> None:
    seeded = await seed()

    response = await client.post(
        "/elevate/resume", json=answer(seeded.workflow_id, token), headers=person("bob", **SRE_LEAD)
    )

    assert response.status_code == status
    assert response.json()["title"] == title
    assert await published.for_workflow(seeded.workflow_id) == []


async def test_a_forged_token_is_refused(
    client: Client, person: Headers, published: Any, seed: Any
) -> None:
    seeded = await seed()
    forged, _ = issue(
        "another-key-" + "x" * 40,
        seeded.workflow_id,
        "approvals",
        "group:sre-leads",
        timedelta(hours=1),
    )

    response = await client.post(
        "/elevate/resume",
        json=answer(seeded.workflow_id, forged),
        headers=person("bob", **SRE_LEAD),
    )

    assert response.status_code == 403
    assert response.json()["title"] == "Invalid task token"
    assert forged not in response.text
    assert await published.for_workflow(seeded.workflow_id) == []


async def test_an_expired_token_is_refused(
    client: Client, person: Headers, published: Any, seed: Any, secret: str
) -> None:
    seeded = await seed()
    yesterday = datetime.now(UTC) - timedelta(days=1)
    expired, _ = issue(
        secret,
        seeded.workflow_id,
        "approvals",
        "group:sre-leads",
        timedelta(hours=1),
        now=yesterday,
    )

    response = await client.post(
        "/elevate/resume",
        json=answer(seeded.workflow_id, expired),
        headers=person("bob", **SRE_LEAD),
    )

    assert response.status_code == 403
    assert response.json()["title"] == "Expired task token"


async def test_a_token_of_another_workflow_is_refused(
    client: Client, person: Headers, published: Any, seed: Any
) -> None:
    first, second = await seed(), await seed()
    body = answer(second.workflow_id, first.tokens["group:sre-leads"])

    response = await client.post("/elevate/resume", json=body, headers=person("bob", **SRE_LEAD))

    assert response.status_code == 403
    assert response.json()["title"] == "Task token of another workflow"
    assert await published.for_workflow(second.workflow_id) == []


async def test_a_signed_token_the_workflow_never_issued_is_refused(
    client: Client, person: Headers, published: Any, seed: Any, secret: str
) -> None:
    seeded = await seed()
    unknown, _ = issue(
        secret, seeded.workflow_id, "approvals", "group:sre-leads", timedelta(hours=1)
    )

    response = await client.post(
        "/elevate/resume",
        json=answer(seeded.workflow_id, unknown),
        headers=person("bob", **SRE_LEAD),
    )

    assert response.status_code == 403
    assert "not issued" in response.json()["detail"]


async def test_a_used_token_is_refused(
    client: Client, person: Headers, published: Any, seed: Any
) -> None:
    seeded = await seed(used=("group:sre-leads",))
    body = answer(seeded.workflow_id, seeded.tokens["group:sre-leads"])

    response = await client.post("/elevate/resume", json=body, headers=person("bob", **SRE_LEAD))

    assert response.status_code == 409
    assert response.json()["detail"] == "the task token was already used"
    assert await published.for_workflow(seeded.workflow_id) == []


@pytest.mark.parametrize(
    "state", [WorkflowState.APPROVED, WorkflowState.CANCELLED, WorkflowState.TIMED_OUT]
)
async def test_a_decided_request_takes_no_more_answers(
    client: Client, person: Headers, published: Any, seed: Any, state: WorkflowState
) -> None:
    seeded = await seed(state=state)
    body = answer(seeded.workflow_id, seeded.tokens["group:sre-leads"])

    response = await client.post("/elevate/resume", json=body, headers=person("bob", **SRE_LEAD))

    assert response.status_code == 409
    assert state.value in response.json()["detail"]


async def test_an_approver_answers_once(
    client: Client, person: Headers, published: Any, seed: Any
) -> None:
    seeded = await seed(answered_by=("lead",))
    body = answer(seeded.workflow_id, seeded.tokens["group:sre-leads"])

    response = await client.post("/elevate/resume", json=body, headers=person("lead", **SRE_LEAD))

    assert response.status_code == 409
    assert response.json()["detail"] == "you already answered this request"


async def test_an_unknown_workflow_is_not_found(
    client: Client, person: Headers, secret: str
) -> None:
    token, _ = issue(secret, "wf_nowhere", "approvals", "group:sre-leads", timedelta(hours=1))

    response = await client.post(
        "/elevate/resume", json=answer("wf_nowhere", token), headers=person("bob", **SRE_LEAD)
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"user_input": {"approved": "yes"}}, "user_input"),
        ({"user_input": {"approved": True, "admin": True}}, "user_input"),
        ({"workflow_id": {"$gt": ""}}, "workflow_id"),
        ({"extra": 1}, "extra"),
    ],
)
async def test_a_malformed_body_is_refused_naming_the_field(
    client: Client, person: Headers, published: Any, seed: Any, change: dict[str, Any], field: str
) -> None:
    seeded = await seed()
    body = {**answer(seeded.workflow_id, seeded.tokens["group:sre-leads"]), **change}

    response = await client.post("/elevate/resume", json=body, headers=person("bob", **SRE_LEAD))

    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert await published.for_workflow(seeded.workflow_id) == []
