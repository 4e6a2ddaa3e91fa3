"""Requesting for someone else: only with the on-behalf scope."""

from collections.abc import Callable

import pytest
from gateway_support import Client, Published, api_key  # type: ignore[import-not-found]

pytestmark = pytest.mark.stack

Headers = Callable[..., dict[str, str]]


def body_for(identities: list[str], unique: str) -> dict[str, object]:
    return {
        "role": "s3-reader",
        "providers": ["aws"],
        "reason": f"for others {unique}",
        "identities": identities,
    }


async def test_a_person_may_not_request_for_someone_else(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    body = body_for(["victim@example.com"], unique)

    response = await client.post("/elevate", json=body, headers=person())

    assert response.status_code == 403
    assert response.json()["field"] == "identities"
    assert await published.mentioning(unique) == []


async def test_a_person_may_name_only_themselves(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    body = body_for([f"alice-{unique}@example.com"], unique)

    response = await client.post("/elevate", json=body, headers=person("alice"))

    assert response.status_code == 202


async def test_an_admin_may_request_for_others(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    body = body_for(["bob@example.com", "carol@example.com"], unique)

    response = await client.post("/elevate", json=body, headers=person(groups=("elevate-admins",)))

    assert response.status_code == 202
    [command] = await published.for_workflow(response.json()["output"]["workflow_id"])
    assert command["identities"] == ["bob@example.com", "carol@example.com"]
    assert command["requester"]["subject"] == f"alice-{unique}@example.com"


async def test_an_api_key_needs_the_on_behalf_scope_to_name_people(
    client: Client, published: Published, unique: str
) -> None:
    body = body_for(["bob@example.com"], unique)

    without_scope = await client.post("/elevate", json=body, headers=api_key("deploy-bot"))
    with_scope = await client.post("/elevate", json=body, headers=api_key("ops-bot"))

    assert without_scope.status_code == 403
    assert with_scope.status_code == 202
    [command] = await published.mentioning(unique)
    assert command["requester"]["subject"] == "ops-bot"
    assert command["identities"] == ["bob@example.com"]
