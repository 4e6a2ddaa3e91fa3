"""Oversized, malformed and hostile bodies: refused with a clear answer, nothing published."""

from collections.abc import Callable
from typing import Any

import pytest
from gateway_support import Client, Published  # type: ignore[import-not-found]

pytestmark = pytest.mark.stack

Headers = Callable[..., dict[str, str]]


def body(unique: str, **fields: Any) -> dict[str, Any]:
    return {"role": "s3-reader", "providers": ["aws"], "reason": f"hostile {unique}", **fields}


INJECTIONS: list[tuple[str, Any]] = [
    ("role", {"$gt": ""}),
    ("providers", {"$in": ["aws"]}),
    ("providers", [{"$ne": None}]),
    ("identities", [{"$ne": None}]),
    ("workflow", {"$regex": ".*"}),
    ("duration", {"$gt": ""}),
    ("authenticator", {"$exists": True}),
    ("session", {"$gt": ""}),
    ("reason", {"$where": "sleep(1000)"}),
]


@pytest.mark.parametrize(("field", "value"), INJECTIONS)
async def test_an_operator_where_a_value_belongs_is_refused(
    client: Client, person: Headers, published: Published, unique: str, field: str, value: Any
) -> None:
    hostile = body(unique, **{field: value})
    if field == "reason":
        hostile["identities"] = [f"x-{unique}"]  # keeps the unique text in the body

    response = await client.post("/elevate", json=hostile, headers=person())

    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert await published.mentioning(unique) == []


async def test_an_operator_in_the_workflow_path_never_reaches_the_store(
    client: Client, person: Headers
) -> None:
    response = await client.get('/workflows/{"$gt":""}', headers=person())

    assert response.status_code == 422
    assert response.json()["field"] == "workflow_id"


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b"x" * 70_000, "application/json", 413),
        (b"[" * 20_000 + b"]" * 20_000, "application/json", 422),
        (b"{not json", "application/json", 422),
        (b'["a", "list"]', "application/json", 422),
        (b"role=s3-reader", "text/plain", 415),
        (b"\xff\xfe\x00", "application/json", 422),
    ],
    ids=["oversized", "deeply nested", "not JSON", "not an object", "plain text", "binary"],
)
async def test_a_body_that_cannot_be_a_request_is_refused(
    client: Client, person: Headers, content: bytes, content_type: str, status: int
) -> None:
    headers = {**person(), "Content-Type": content_type}

    response = await client.post("/elevate", content=content, headers=headers)

    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"identities": [f"user{n}@example.com" for n in range(51)]}, "identities"),
        ({"providers": ["aws"] * 11}, "providers"),
        ({"reason": "r" * 2001}, "reason"),
        ({"reason": "nul \x00 inside"}, "reason"),
        ({"role": "r" * 129}, "role"),
        ({"identities": ["a" * 300]}, "identities"),
        ({"extra": "field"}, "extra"),
        ({"role": {"name": "s3-reader", "grant_everything": True}}, "role"),
    ],
    ids=[
        "too many identities",
        "too many providers",
        "reason too long",
        "control character",
        "role name too long",
        "identity too long",
        "unknown field",
        "unknown role object field",
    ],
)
async def test_limits_on_fields_and_lists_hold(
    client: Client,
    person: Headers,
    published: Published,
    unique: str,
    fields: dict[str, Any],
    field: str,
) -> None:
    hostile = {**body(unique), **fields}
    hostile["reason"] += f" {unique}"  # whatever else is wrong, the unique text rides here

    response = await client.post("/elevate", json=hostile, headers=person())

    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert await published.mentioning(unique) == []


async def test_unknown_fields_are_named_with_the_ones_allowed(
    client: Client, person: Headers, unique: str
) -> None:
    response = await client.post("/elevate", json=body(unique, admin=True), headers=person())

    detail = response.json()["detail"]
    assert "unknown field 'admin'" in detail
    assert "reason" in detail


async def test_a_field_given_twice_in_form_data_is_refused(
    client: Client, person: Headers, unique: str
) -> None:
    content = f"providers=aws&permissions=s3:GetObject&reason=a&reason={unique}"
    headers = {**person(), "Content-Type": "application/x-www-form-urlencoded"}

    response = await client.post("/elevate", content=content, headers=headers)

    assert response.status_code == 422
    assert response.json()["field"] == "reason"


async def test_a_file_upload_is_refused(client: Client, person: Headers, unique: str) -> None:
    files = {"reason": ("reason.txt", b"see attachment", "text/plain"), "providers": (None, "aws")}

    response = await client.post("/elevate", files=files, headers=person())

    assert response.status_code == 422
    assert response.json()["field"] == "reason"
