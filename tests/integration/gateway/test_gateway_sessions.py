"""Session tokens: issued after an OIDC sign-in, accepted in the body or the query."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from gateway_support import Client, Published, api_key  # type: ignore[import-not-found]

from elevate_gateway.adapters.auth.sessions import SessionCodec
from elevate_gateway.domain.caller import person as person_caller

pytestmark = pytest.mark.stack

Headers = Callable[..., dict[str, str]]


async def open_session(client: Client, headers: dict[str, str]) -> dict[str, object]:
    response = await client.post("/auth/session", headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_a_signed_in_person_gets_the_contract_session_object(
    client: Client, person: Headers
) -> None:
    session = await open_session(client, person())

    assert session["version"] == 1
    assert str(session["expiry"]).endswith("Z")
    assert isinstance(session["session"], str)


async def test_the_session_object_in_the_body_stands_for_the_person(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    session = await open_session(client, person("dora", groups=("dbas",)))
    body = {"role": "s3-reader", "providers": ["aws"], "reason": f"s {unique}", "session": session}

    response = await client.post("/elevate", json=body)

    assert response.status_code == 202
    [command] = await published.for_workflow(response.json()["output"]["workflow_id"])
    assert command["requester"]["subject"] == f"dora-{unique}@example.com"
    assert command["requester"]["authenticator"] == "oidc"
    assert command["requester"]["groups"] == ["dbas"]


async def test_the_session_query_parameter_works_for_query_requests_and_reads(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    token = str((await open_session(client, person()))["session"])
    query = {"role": "s3-reader", "provider": "aws", "reason": f"q {unique}", "session": token}

    started = await client.get("/elevate", params=query)
    roles = await client.get("/roles", params={"session": token})

    assert started.status_code == 202
    assert roles.status_code == 200
    assert len(await published.mentioning(unique)) == 1


async def test_a_tampered_session_is_refused(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    token = str((await open_session(client, person()))["session"])
    flipped = token[:40] + ("A" if token[40] != "A" else "B") + token[41:]
    body = {"role": "s3-reader", "providers": ["aws"], "reason": f"t {unique}"}

    response = await client.post("/elevate", json={**body, "session": {"session": flipped}})

    assert response.status_code == 401
    assert "session" in response.json()["detail"]
    assert await published.mentioning(unique) == []


async def test_an_expired_session_is_refused(client: Client, session_key: str, unique: str) -> None:
    caller = person_caller(f"old-{unique}@example.com", "oidc", (), admin_group="admins")
    expired = SessionCodec([session_key], timedelta(seconds=-1)).seal(caller)

    response = await client.get("/roles", params={"session": expired.token})

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


async def test_a_session_sealed_with_another_key_is_refused(client: Client, unique: str) -> None:
    caller = person_caller(f"eve-{unique}@example.com", "oidc", (), admin_group="admins")
    foreign_key = "x" * 43 + "="
    forged = SessionCodec([foreign_key], timedelta(hours=1)).seal(caller)

    response = await client.get("/roles", params={"session": forged.token})

    assert response.status_code == 401


async def test_a_session_cannot_be_opened_with_an_api_key_or_another_session(
    client: Client, person: Headers
) -> None:
    token = str((await open_session(client, person()))["session"])

    by_key = await client.post("/auth/session", headers=api_key("deploy-bot"))
    by_session = await client.post("/auth/session", params={"session": token})

    assert by_key.status_code == 403
    assert by_session.status_code == 403
