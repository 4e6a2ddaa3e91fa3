"""``POST /workflows/{id}/cancel`` and ``/end`` on the real stack: who may, and when."""

from collections.abc import Callable
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from elevate_shared.states import WorkflowState

pytestmark = pytest.mark.stack

Client = AsyncTestClient[Litestar]
Headers = Callable[..., dict[str, str]]
S = WorkflowState


async def test_the_requester_cancels_a_pending_request(
    client: Client, person: Headers, published: Any, seed: Any, subject: Any, unique: str
) -> None:
    seeded = await seed()
    headers = {**person("alice"), "X-Correlation-ID": f"corr-{unique}"}

    response = await client.post(
        f"/workflows/{seeded.workflow_id}/cancel", json={"comment": "fixed it"}, headers=headers
    )

    assert response.status_code == 202, response.text
    assert response.json()["output"] == {"workflow_id": seeded.workflow_id, "action": "cancel"}
    [command] = await published.for_workflow(seeded.workflow_id)
    assert command["type"] == "CancelElevation"
    assert command["comment"] == "fixed it"
    assert command["actor"]["subject"] == subject("alice")
    assert command["correlation_id"] == f"corr-{unique}"


async def test_a_cancel_needs_no_body(
    client: Client, person: Headers, published: Any, seed: Any
) -> None:
    seeded = await seed(state=S.APPROVED)

    response = await client.post(f"/workflows/{seeded.workflow_id}/cancel", headers=person("alice"))

    assert response.status_code == 202, response.text
    [command] = await published.for_workflow(seeded.workflow_id)
    assert command["comment"] is None


async def test_an_approver_may_not_cancel_someone_elses_request(
    client: Client, person: Headers, published: Any, seed: Any
) -> None:
    seeded = await seed()

    response = await client.post(
        f"/workflows/{seeded.workflow_id}/cancel", headers=person("bob", groups=("sre-leads",))
    )

    assert response.status_code == 403
    assert await published.for_workflow(seeded.workflow_id) == []


async def test_a_stranger_cannot_even_see_the_request(
    client: Client, person: Headers, published: Any, seed: Any
) -> None:
    seeded = await seed()

    response = await client.post(
        f"/workflows/{seeded.workflow_id}/cancel", headers=person("mallory")
    )

    assert response.status_code == 404
    assert await published.for_workflow(seeded.workflow_id) == []


@pytest.mark.parametrize("state", [S.ACTIVE, S.REVOKED, S.DENIED])
async def test_granted_or_decided_requests_cannot_be_cancelled(
    client: Client, person: Headers, published: Any, seed: Any, state: WorkflowState
) -> None:
    seeded = await seed(state=state)

    response = await client.post(f"/workflows/{seeded.workflow_id}/cancel", headers=person("alice"))

    assert response.status_code == 409
    assert state.value in response.json()["detail"]
    assert await published.for_workflow(seeded.workflow_id) == []


@pytest.mark.parametrize(
    ("name", "groups"),
    [("alice", ()), ("bob", ("sre-leads",)), ("lead", ()), ("root", ("elevate-admins",))],
)
async def test_requester_approver_or_admin_ends_active_access(
    client: Client,
    person: Headers,
    published: Any,
    seed: Any,
    subject: Any,
    name: str,
    groups: tuple[str, ...],
) -> None:
    seeded = await seed(state=S.ACTIVE)

    response = await client.post(
        f"/workflows/{seeded.workflow_id}/end",
        data={"comment": "done early"},
        headers=person(name, groups=groups),
    )

    assert response.status_code == 202, response.text
    assert response.json()["output"] == {"workflow_id": seeded.workflow_id, "action": "end"}
    [command] = await published.for_workflow(seeded.workflow_id)
    assert command["type"] == "EndAccess"
    assert (command["actor"]["subject"], command["comment"]) == (subject(name), "done early")


async def test_someone_uninvolved_may_not_end_access(
    client: Client, person: Headers, published: Any, seed: Any
) -> None:
    seeded = await seed(state=S.ACTIVE)

    response = await client.post(
        f"/workflows/{seeded.workflow_id}/end", headers=person("carol", groups=("dev",))
    )

    assert response.status_code == 404
    assert await published.for_workflow(seeded.workflow_id) == []


@pytest.mark.parametrize("state", [S.AWAITING_APPROVAL, S.REVOKING, S.REVOKED])
async def test_only_active_access_can_be_ended(
    client: Client, person: Headers, published: Any, seed: Any, state: WorkflowState
) -> None:
    seeded = await seed(state=state)

    response = await client.post(f"/workflows/{seeded.workflow_id}/end", headers=person("alice"))

    assert response.status_code == 409
    assert await published.for_workflow(seeded.workflow_id) == []


async def test_an_action_body_with_unknown_fields_is_refused(
    client: Client, person: Headers, published: Any, seed: Any
) -> None:
    seeded = await seed()

    response = await client.post(
        f"/workflows/{seeded.workflow_id}/cancel",
        json={"comment": "x", "state": "cancelled"},
        headers=person("alice"),
    )

    assert response.status_code == 422
    assert response.json()["field"] == "state"
    assert await published.for_workflow(seeded.workflow_id) == []


async def test_an_action_needs_a_signed_in_caller(client: Client, seed: Any) -> None:
    seeded = await seed(state=S.ACTIVE)

    response = await client.post(f"/workflows/{seeded.workflow_id}/end")

    assert response.status_code == 401
