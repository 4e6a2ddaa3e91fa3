"""Static elevation requests on the real stack: what is published, and what is refused."""

from collections.abc import Callable
from typing import Any

import pytest
from gateway_support import Client, Published  # type: ignore[import-not-found]

pytestmark = pytest.mark.stack

Headers = Callable[..., dict[str, str]]


async def test_a_query_request_publishes_one_command_for_the_requester(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    headers = {**person("alice"), "X-Correlation-ID": f"corr-{unique}"}
    query = {"role": "s3-reader", "provider": "aws", "reason": f"logs {unique}", "duration": "PT5M"}

    response = await client.get("/elevate", params=query, headers=headers)

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending"
    workflow_id = body["output"]["workflow_id"]
    [command] = await published.for_workflow(workflow_id)
    assert command["type"] == "RequestElevation"
    assert command["execution_id"] == body["output"]["execution_id"]
    assert command["role"] == "s3-reader"
    assert command["providers"] == ["aws"]
    assert command["duration"] == "PT5M"
    assert command["workflow"] == "auto"
    assert command["identities"] == [f"alice-{unique}@example.com"]
    assert command["requester"]["subject"] == f"alice-{unique}@example.com"
    assert command["requester"]["authenticator"] == "oidc"
    assert command["source"] == "http"
    assert command["correlation_id"] == f"corr-{unique}"
    assert response.headers["X-Correlation-ID"] == f"corr-{unique}"
    assert response.headers["Location"] == f"/workflows/{workflow_id}"


async def test_a_json_request_by_role_name_takes_the_role_default_duration(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    body = {"role": "s3-reader", "providers": ["aws"], "reason": f"read {unique}"}

    response = await client.post("/elevate", json=body, headers=person())

    assert response.status_code == 202
    [command] = await published.for_workflow(response.json()["output"]["workflow_id"])
    assert command["duration"] == "PT5S"
    assert command["dynamic"] is None


async def test_the_role_object_as_roles_shows_it_is_accepted(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    roles = (await client.get("/roles", headers=person())).json()["roles"]
    role = next(r for r in roles if r["name"] == "s3-reader")
    body = {"role": role, "providers": ["aws"], "workflow": "default", "reason": f"obj {unique}"}

    response = await client.post("/elevate", json=body, headers=person())

    assert response.status_code == 202
    [command] = await published.for_workflow(response.json()["output"]["workflow_id"])
    assert command["role"] == "s3-reader"
    assert command["workflow"] == "default"


ADMIN_POLICY = {"aws": {"managed_policy_arns": ["arn:aws:iam::aws:policy/AdministratorAccess"]}}


def role_object(**fields: Any) -> dict[str, Any]:
    """A body change giving the role as an object with ``fields``."""
    return {"role": {"name": "s3-reader", **fields}}


BAD_REQUESTS: list[tuple[str, dict[str, Any], str]] = [
    ("missing reason", {"reason": None}, "reason"),
    ("blank reason", {"reason": "   "}, "reason"),
    ("unknown role", {"role": "no-such-role"}, "role"),
    ("disabled role", {"role": "retired"}, "role"),
    ("provider not allowed", {"providers": ["gcp"]}, "providers"),
    ("no provider", {"providers": []}, "providers"),
    ("workflow not allowed", {"role": "admin", "workflow": "auto"}, "workflow"),
    ("unknown workflow", {"workflow": "no-such-workflow"}, "workflow"),
    ("bad duration", {"duration": "two hours"}, "duration"),
    ("zero duration", {"duration": "PT0S"}, "duration"),
    ("negative duration", {"duration": "-PT1H"}, "duration"),
    ("duration above the maximum", {"duration": "PT2H"}, "duration"),
    ("duration in months", {"duration": "P1M"}, "duration"),
    ("malformed identity", {"identities": ["not an identity!"]}, "identities"),
    ("role object, other providers", role_object(providers=["aws", "gcp"]), "role"),
    ("role object, other workflows", role_object(workflows=["auto"]), "role"),
    ("role object, other permissions", role_object(permissions=ADMIN_POLICY), "role"),
    ("role object, disabled", role_object(enabled=False), "role"),
    ("role object, other maximum", role_object(max_duration="PT8H"), "role"),
    ("role object of no role", {"role": {"name": "made-up", "providers": ["aws"]}}, "role"),
]


@pytest.mark.parametrize(
    ("case", "change", "field"), BAD_REQUESTS, ids=[c[0] for c in BAD_REQUESTS]
)
async def test_a_bad_json_request_is_refused_naming_the_field_and_nothing_is_published(
    client: Client,
    person: Headers,
    published: Published,
    unique: str,
    case: str,
    change: dict[str, Any],
    field: str,
) -> None:
    reason = f"bad request {unique}"
    body = {"role": "s3-reader", "providers": ["aws"], "reason": reason, **change}
    body = {key: value for key, value in body.items() if value is not None}
    if case == "blank reason":
        reason = unique  # the reason itself is blank; the unique text rides in a duration
        body["duration"] = "PT1M"

    response = await client.post("/elevate", json=body, headers=person())

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == field
    assert response.json()["status"] == 422
    assert response.json()["type"] == "urn:elevate:problem:request-rejected"
    assert await published.mentioning(reason) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"role": "retired"}, "role"),
        ({"provider": "gcp"}, "providers"),
        ({"duration": "PT0S"}, "duration"),
        ({"identities": "alice@example.com,bad identity"}, "identities"),
        ({"surprise": "1"}, "surprise"),
    ],
)
async def test_a_bad_query_request_is_refused_naming_the_field(
    client: Client,
    person: Headers,
    published: Published,
    unique: str,
    change: dict[str, str],
    field: str,
) -> None:
    query = {"role": "s3-reader", "provider": "aws", "reason": f"query {unique}", **change}

    response = await client.get("/elevate", params=query, headers=person())

    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert await published.mentioning(unique) == []
