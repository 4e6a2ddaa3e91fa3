"""Who may call: OIDC tokens, API keys and their scopes, and the development identity."""

import time
from collections.abc import Callable
from uuid import uuid4

import pytest
from gateway_support import AUDIENCE, AppFactory, Client, Issuer, Published, api_key  # type: ignore[import-not-found]
from litestar.testing import AsyncTestClient
from pydantic import SecretStr

from elevate_shared.catalogue import Catalogue

pytestmark = pytest.mark.stack

Headers = Callable[..., dict[str, str]]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def request_body(unique: str) -> dict[str, object]:
    return {"role": "s3-reader", "providers": ["aws"], "reason": f"auth {unique}"}


async def test_a_request_without_credentials_gets_401_and_nothing_is_published(
    client: Client, published: Published, unique: str
) -> None:
    response = await client.post("/elevate", json=request_body(unique))

    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["type"] == "urn:elevate:problem:not-authenticated"
    assert await published.mentioning(unique) == []


@pytest.mark.parametrize("path", ["/roles", "/workflows/wf_anything", "/elevate"])
async def test_every_api_route_needs_a_caller(client: Client, path: str) -> None:
    assert (await client.get(path)).status_code == 401


@pytest.mark.parametrize("path", ["/health", "/ready"])
async def test_health_and_readiness_are_open(client: Client, path: str) -> None:
    assert (await client.get(path)).status_code == 200


@pytest.mark.parametrize(
    ("claims", "explanation"),
    [
        ({"exp": int(time.time()) - 600}, "expired"),
        ({"aud": "another-service"}, "audience"),
        ({"iss": "https://another-issuer.test"}, "issuer"),
        ({"nbf": int(time.time()) + 600}, "not valid yet"),
        ({"exp": None}, "required claim"),
        ({"email": None}, "'email' claim"),
        ({"email_verified": False}, "not verified"),
        ({"email_verified": None}, "not verified"),
    ],
)
async def test_a_token_that_does_not_hold_up_gets_401_saying_why(
    client: Client,
    issuer: Issuer,
    published: Published,
    unique: str,
    claims: dict[str, object],
    explanation: str,
) -> None:
    token = issuer.token(f"mallory-{unique}@example.com", **claims)

    response = await client.post("/elevate", json=request_body(unique), headers=bearer(token))

    assert response.status_code == 401
    assert explanation in response.json()["detail"]
    assert token not in response.text
    assert await published.mentioning(unique) == []


async def test_a_token_signed_by_another_key_gets_401(client: Client, unique: str) -> None:
    impostor = Issuer()  # same issuer and audience, but a key the JWKS does not have

    response = await client.get("/roles", headers=bearer(impostor.token(f"eve-{unique}@x.io")))

    assert response.status_code == 401
    assert "not signed by a key of the issuer" in response.json()["detail"]


async def test_a_token_with_the_key_id_of_the_issuer_but_another_key_gets_401(
    client: Client, issuer: Issuer, unique: str
) -> None:
    impostor = Issuer()
    impostor.kid = issuer.kid

    response = await client.get("/roles", headers=bearer(impostor.token(f"eve-{unique}@x.io")))

    assert response.status_code == 401
    assert "signature" in response.json()["detail"]


async def test_a_token_that_leans_on_clock_skew_within_the_leeway_is_accepted(
    client: Client, issuer: Issuer, unique: str
) -> None:
    token = issuer.token(f"bob-{unique}@example.com", exp=int(time.time()) - 2)

    assert (await client.get("/roles", headers=bearer(token))).status_code == 200


async def test_a_valid_token_names_the_requester_with_its_groups(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    headers = person("carol", groups=("sre-leads", "dbas"))

    response = await client.post("/elevate", json=request_body(unique), headers=headers)

    assert response.status_code == 202
    [command] = await published.for_workflow(response.json()["output"]["workflow_id"])
    assert command["requester"] == {
        "subject": f"carol-{unique}@example.com",
        "authenticator": "oidc",
        "groups": ["sre-leads", "dbas"],
        "kind": "user",
        "admin": False,
    }
    assert AUDIENCE not in str(command)


async def test_an_api_key_with_the_request_scope_starts_an_elevation_as_its_service(
    client: Client, published: Published, unique: str
) -> None:
    body = {**request_body(unique), "identities": ["deploy-bot"]}

    response = await client.post("/elevate", json=body, headers=api_key("deploy-bot"))

    assert response.status_code == 202
    [command] = await published.for_workflow(response.json()["output"]["workflow_id"])
    assert command["requester"]["subject"] == "deploy-bot"
    assert command["requester"]["kind"] == "service"
    assert command["requester"]["authenticator"] == "api_key"


async def test_an_api_key_without_the_request_scope_may_read_but_not_request(
    client: Client, published: Published, unique: str
) -> None:
    headers = api_key("reader-bot")

    assert (await client.get("/roles", headers=headers)).status_code == 200
    response = await client.post("/elevate", json=request_body(unique), headers=headers)

    assert response.status_code == 403
    assert "elevate:request" in response.json()["detail"]
    assert await published.mentioning(unique) == []


async def test_an_unknown_api_key_gets_401(client: Client) -> None:
    response = await client.get("/roles", headers={"X-API-Key": "not-a-key"})

    assert response.status_code == 401
    assert "API key" in response.json()["detail"]


async def test_two_kinds_of_credential_at_once_get_401(client: Client, person: Headers) -> None:
    response = await client.get("/roles", headers={**person(), **api_key("reader-bot")})

    assert response.status_code == 401
    assert "one credential" in response.json()["detail"]


async def test_the_development_token_is_refused_unless_dev_mode_is_on(
    client: Client, make_app: AppFactory
) -> None:
    dev_token = "dev-" + uuid4().hex
    token = bearer(dev_token)
    assert (await client.get("/roles", headers=token)).status_code == 401

    dev_settings = {"dev_mode": True, "dev_token": SecretStr(dev_token)}
    async with AsyncTestClient(make_app(auth=dev_settings)) as dev_client:
        response = await dev_client.get("/roles", headers=token)

    assert response.status_code == 200


async def test_the_named_authenticator_must_be_the_one_the_caller_came_through(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    body = {**request_body(unique), "authenticator": "aws"}

    response = await client.post("/elevate", json=body, headers=person())

    assert response.status_code == 403
    assert response.json()["field"] == "authenticator"
    assert await published.mentioning(unique) == []


async def test_a_role_can_insist_on_the_authenticator_of_its_requesters(
    make_app: AppFactory, catalogue: Catalogue, person: Headers, published: Published, unique: str
) -> None:
    role = catalogue.roles["s3-reader"].model_copy(update={"authenticators": ("api_key",)})
    restricted = catalogue.model_copy(update={"roles": {**catalogue.roles, role.name: role}})
    by_service = {**request_body(unique), "identities": ["deploy-bot"]}

    async with AsyncTestClient(make_app(catalogue=restricted)) as restricted_client:
        refused = await restricted_client.post(
            "/elevate", json=request_body(unique), headers=person()
        )
        accepted = await restricted_client.post(
            "/elevate", json=by_service, headers=api_key("deploy-bot")
        )

    assert refused.status_code == 403
    assert refused.json()["field"] == "authenticator"
    assert accepted.status_code == 202
    [command] = await published.mentioning(unique)
    assert command["requester"]["subject"] == "deploy-bot"
