"""Idempotency keys and rate limits, kept in Redis."""

from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

import pytest
import yaml
from gateway_support import AppFactory, Client, Published  # type: ignore[import-not-found]
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis

from elevate_gateway.adapters.auth.api_keys import hash_key

pytestmark = pytest.mark.stack

Headers = Callable[..., dict[str, str]]


def body(unique: str, **fields: object) -> dict[str, object]:
    return {"role": "s3-reader", "providers": ["aws"], "reason": f"once {unique}", **fields}


async def test_a_retried_request_gets_the_first_answer_and_starts_one_workflow(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    headers = {**person(), "Idempotency-Key": f"key-{unique}"}

    first = await client.post("/elevate", json=body(unique), headers=headers)
    second = await client.post("/elevate", json=body(unique), headers=headers)

    assert first.status_code == second.status_code == 202
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert len(await published.mentioning(unique)) == 1


async def test_a_retry_whose_first_answer_was_lost_publishes_the_same_workflow_ids(
    client: Client, stack: dict[str, str], person: Headers, published: Published, unique: str
) -> None:
    headers = {**person(), "Idempotency-Key": f"key-{unique}"}
    first = await client.post("/elevate", json=body(unique), headers=headers)
    await _forget_answers(stack["REDIS_URL"], f"user:oidc:alice-{unique}@example.com")

    retried = await client.post("/elevate", json=body(unique), headers=headers)

    assert first.status_code == retried.status_code == 202
    assert "Idempotent-Replayed" not in retried.headers
    assert retried.json()["output"] == first.json()["output"]
    commands = await published.mentioning(unique)
    assert len(commands) == 2
    assert {c["workflow_id"] for c in commands} == {first.json()["output"]["workflow_id"]}
    assert {c["execution_id"] for c in commands} == {first.json()["output"]["execution_id"]}


async def _forget_answers(redis_url: str, rate_key: str) -> None:
    """Drop the caller's stored answers, as if storing them had failed."""
    redis = Redis.from_url(redis_url)
    try:
        async for name in redis.scan_iter(match=f"elevate:idempotency:{rate_key}:*"):
            await redis.delete(name)
    finally:
        await redis.aclose()


async def test_the_same_key_with_another_body_is_refused(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    headers = {**person(), "Idempotency-Key": f"key-{unique}"}
    await client.post("/elevate", json=body(unique), headers=headers)

    other = await client.post("/elevate", json=body(unique, duration="PT1M"), headers=headers)

    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"
    assert len(await published.mentioning(unique)) == 1


async def test_a_refused_request_frees_its_key_for_the_corrected_one(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    headers = {**person(), "Idempotency-Key": f"key-{unique}"}

    refused = await client.post("/elevate", json=body(unique, duration="PT9H"), headers=headers)
    accepted = await client.post("/elevate", json=body(unique), headers=headers)

    assert refused.status_code == 422
    assert accepted.status_code == 202
    assert len(await published.mentioning(unique)) == 1


async def test_keys_belong_to_their_caller(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    key = {"Idempotency-Key": f"key-{unique}"}

    alice = await client.post("/elevate", json=body(unique), headers={**person("alice"), **key})
    bob = await client.post("/elevate", json=body(unique), headers={**person("bob"), **key})

    assert alice.json()["output"] != bob.json()["output"]
    assert len(await published.mentioning(unique)) == 2


async def test_a_malformed_key_is_refused(client: Client, person: Headers, unique: str) -> None:
    headers = {**person(), "Idempotency-Key": "x" * 300}

    response = await client.post("/elevate", json=body(unique), headers=headers)

    assert response.status_code == 422
    assert response.json()["field"] == "Idempotency-Key"


async def test_requests_over_the_limit_get_429_with_retry_after(
    make_app: AppFactory, person: Headers, published: Published, unique: str
) -> None:
    app = make_app(gateway={"rate_limit_requests": 2, "rate_limit_window_seconds": 3600})

    async with AsyncTestClient(app) as limited:
        answers = [
            await limited.post("/elevate", json=body(f"{unique}-{n}"), headers=person("alice"))
            for n in range(3)
        ]
        other_person = await limited.post("/elevate", json=body(unique), headers=person("bob"))

    assert [a.status_code for a in answers] == [202, 202, 429]
    assert 0 < int(answers[2].headers["Retry-After"]) <= 3600
    assert answers[2].headers["content-type"].startswith("application/problem+json")
    assert answers[2].json()["type"] == "urn:elevate:problem:rate-limited"
    assert await published.mentioning(f"{unique}-2") == []
    assert other_person.status_code == 202


async def test_reads_have_their_own_limit(make_app: AppFactory, person: Headers) -> None:
    app = make_app(gateway={"rate_limit_reads": 2, "rate_limit_window_seconds": 3600})
    headers = person()

    async with AsyncTestClient(app) as limited:
        codes = [(await limited.get("/roles", headers=headers)).status_code for _ in range(3)]

    assert codes == [200, 200, 429]


async def test_an_api_key_is_limited_on_its_own(
    make_app: AppFactory, tmp_path: Path, unique: str
) -> None:
    key = f"limited-{uuid4().hex}"
    entry = {"name": f"bot-{unique}", "sha256": hash_key(key), "scopes": ["elevate:read"]}
    (tmp_path / "keys.yaml").write_text(yaml.safe_dump({"api_keys": [entry]}))
    app = make_app(
        gateway={"rate_limit_reads": 1, "rate_limit_window_seconds": 3600},
        auth={"api_keys_file": tmp_path / "keys.yaml"},
    )

    async with AsyncTestClient(app) as limited:
        codes = [
            (await limited.get("/roles", headers={"X-API-Key": key})).status_code for _ in range(2)
        ]

    assert codes == [200, 429]
