"""Reading workflows (only for the people involved), roles, health and readiness."""

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from gateway_support import (  # type: ignore[import-not-found]
    TASK_TOKEN_SECRET,
    AppFactory,
    Client,
    api_key,
)
from litestar.testing import AsyncTestClient
from pymongo import AsyncMongoClient

from elevate_gateway.bootstrap import bootstrap
from elevate_gateway.settings import AuthSettings
from elevate_shared.catalogue import Catalogue
from elevate_shared.messages import Principal
from elevate_shared.records import WORKFLOWS_COLLECTION, HistoryEntry, WorkflowRecord
from elevate_shared.settings import MongoSettings
from elevate_shared.states import WorkflowState

pytestmark = pytest.mark.stack

Headers = Callable[..., dict[str, str]]
Seed = Callable[..., Any]


@pytest.fixture
async def seed(stack: dict[str, str], catalogue: Catalogue) -> AsyncIterator[Seed]:
    """Store workflow documents as the workflow service would, and remove them after."""
    settings = MongoSettings()
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.uri, tz_aware=True)
    collection = mongo[settings.database][WORKFLOWS_COLLECTION]
    stored: list[str] = []

    async def store(workflow_id: str, requester: str, **fields: Any) -> WorkflowRecord:
        now = datetime.now(UTC)
        record = WorkflowRecord.model_validate(
            {
                "_id": workflow_id,
                "execution_id": f"exec_{workflow_id}",
                "correlation_id": f"corr-{workflow_id}",
                "state": WorkflowState.ACTIVE,
                "requester": Principal(subject=requester, authenticator="oidc"),
                "role": "s3-reader",
                "providers": ("aws",),
                "identities": (requester,),
                "reason": "read the logs",
                "workflow": "default",
                "definition": catalogue.workflows["default"],
                "duration": timedelta(minutes=5),
                "activated_at": now,
                "expires_at": now + timedelta(minutes=5),
                "history": [
                    HistoryEntry(at=now, from_state=None, to_state=WorkflowState.REQUESTED),
                    HistoryEntry(
                        at=now, from_state=WorkflowState.PROVISIONING, to_state=WorkflowState.ACTIVE
                    ),
                ],
                "created_at": now,
                "updated_at": now,
                **fields,
            }
        )
        await collection.insert_one(record.model_dump(mode="json", by_alias=True))
        stored.append(workflow_id)
        return record

    yield store
    await collection.delete_many({"_id": {"$in": stored}})
    await mongo.close()


async def test_the_requester_sees_state_history_and_expiry(
    client: Client, person: Headers, seed: Seed, unique: str
) -> None:
    await seed(f"wf_{unique}", f"alice-{unique}@example.com")

    response = await client.get(f"/workflows/wf_{unique}", headers=person("alice"))

    assert response.status_code == 200
    view = response.json()
    assert view["state"] == "active"
    assert view["role"] == "s3-reader"
    assert view["providers"] == ["aws"]
    assert view["identities"] == [f"alice-{unique}@example.com"]
    assert view["expires_at"] is not None
    assert [h["to_state"] for h in view["history"]] == ["requested", "active"]
    assert "tokens" not in view
    assert "outbox" not in view


@pytest.mark.parametrize(
    ("who", "groups"),
    [("bob", ()), ("lead", ()), ("sam", ("sre-leads",)), ("root", ("elevate-admins",))],
    ids=["an identity", "a named approver", "an approver by group", "an admin"],
)
async def test_the_people_involved_see_the_workflow(
    client: Client,
    person: Headers,
    seed: Seed,
    unique: str,
    who: str,
    groups: tuple[str, ...],
) -> None:
    definition = {
        "name": "default",
        "steps": [
            {"type": "validate"},
            {"type": "approvals", "approvers": ["group:sre-leads", f"lead-{unique}@example.com"]},
            {"type": "authorize"},
            {"type": "revoke"},
        ],
    }
    identities = (f"alice-{unique}@example.com", f"bob-{unique}@example.com")
    await seed(
        f"wf_{unique}", f"alice-{unique}@example.com", identities=identities, definition=definition
    )

    response = await client.get(f"/workflows/wf_{unique}", headers=person(who, groups=groups))

    assert response.status_code == 200


async def test_anyone_else_is_told_there_is_no_such_workflow(
    client: Client, person: Headers, seed: Seed, unique: str
) -> None:
    await seed(f"wf_{unique}", f"alice-{unique}@example.com")

    stranger = await client.get(f"/workflows/wf_{unique}", headers=person("mallory"))
    service = await client.get(f"/workflows/wf_{unique}", headers=api_key("ops-bot"))
    missing = await client.get(f"/workflows/wf_missing_{unique}", headers=person("alice"))

    assert stranger.status_code == service.status_code == missing.status_code == 404
    assert stranger.json()["title"] == missing.json()["title"]


async def test_roles_lists_enabled_roles_with_durations_and_the_policies(
    client: Client, person: Headers
) -> None:
    response = await client.get("/roles", headers=person())

    listed = response.json()
    names = [role["name"] for role in listed["roles"]]
    assert "s3-reader" in names
    assert "retired" not in names
    reader = next(role for role in listed["roles"] if role["name"] == "s3-reader")
    assert reader["providers"] == ["aws"]
    assert reader["workflows"] == ["auto", "default"]
    assert (reader["default_duration"], reader["max_duration"]) == ("PT5S", "PT1H")
    assert [policy["provider"] for policy in listed["policies"]] == ["aws"]


async def test_ready_names_the_server_that_does_not_answer(
    stack: dict[str, str],
    auth_settings: AuthSettings,
    catalogue: Catalogue,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in stack.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    monkeypatch.setenv("ELEVATE_TASK_TOKEN_SECRET", TASK_TOKEN_SECRET)

    async with AsyncTestClient(bootstrap(auth=auth_settings, catalogue=catalogue)) as broken:
        health = await broken.get("/health")
        ready = await broken.get("/ready")

    assert health.status_code == 200
    assert ready.status_code == 503
    checks = {"kafka": "ok", "mongodb": "ok", "redis": "failed", "advice_replies": "ok"}
    assert ready.json()["checks"] == checks
    assert "redis" in ready.json()["detail"]


async def test_ready_fails_once_the_advisors_replies_are_no_longer_read(
    make_app: AppFactory,
) -> None:
    async with AsyncTestClient(make_app()) as test_client:
        before = await test_client.get("/ready")
        # As if the reply loop had ended; the app runs on the client's own event loop.
        portal = test_client.blocking_portal
        await asyncio.to_thread(portal.call, test_client.app.state.advice.stop)
        after = await test_client.get("/ready")

    assert before.json()["checks"]["advice_replies"] == "ok"
    assert after.status_code == 503
    assert after.json()["checks"]["advice_replies"] == "failed"


async def test_a_well_formed_correlation_id_is_kept_and_a_malformed_one_replaced(
    client: Client, person: Headers, unique: str
) -> None:
    kept = await client.get("/roles", headers={**person(), "X-Correlation-ID": f"c-{unique}"})
    replaced = await client.get("/workflows/wf_x", headers={**person(), "X-Correlation-ID": "a b"})

    assert kept.headers["X-Correlation-ID"] == f"c-{unique}"
    assert replaced.headers["X-Correlation-ID"] != "a b"
    assert replaced.json()["correlation_id"] == replaced.headers["X-Correlation-ID"]
