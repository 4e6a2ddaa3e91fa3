"""Dynamic requests: explicit permissions, within the provider's policy or refused."""

from collections.abc import Callable
from typing import Any

import pytest
from gateway_support import Client, Published  # type: ignore[import-not-found]

pytestmark = pytest.mark.stack

Headers = Callable[..., dict[str, str]]


def form(unique: str, **fields: str) -> dict[str, str]:
    return {
        "providers": "aws",
        "permissions": "s3:GetObject,s3:List*",
        "resources": "arn:aws:s3:::logs,arn:aws:s3:::logs/*",
        "reason": f"dynamic {unique}",
        "duration": "PT30M",
        **fields,
    }


async def test_form_data_inside_policy_publishes_a_dynamic_request(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    response = await client.post("/elevate", data=form(unique), headers=person())

    assert response.status_code == 202
    [command] = await published.for_workflow(response.json()["output"]["workflow_id"])
    assert command["role"] is None
    assert command["dynamic"] == {
        "permissions": ["s3:GetObject", "s3:List*"],
        "resources": ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"],
        "groups": [],
        "users": [],
    }
    assert command["workflow"] == "default"
    assert command["duration"] == "PT30M"
    assert command["identities"] == [f"alice-{unique}@example.com"]


async def test_multipart_form_data_is_read_the_same_way(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    files = {name: (None, value) for name, value in form(unique).items()}

    response = await client.post("/elevate", files=files, headers=person())

    assert response.status_code == 202
    [command] = await published.for_workflow(response.json()["output"]["workflow_id"])
    assert command["dynamic"]["permissions"] == ["s3:GetObject", "s3:List*"]


async def test_the_json_equivalent_is_accepted_and_takes_the_policy_default_duration(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    body = {
        "providers": ["aws"],
        "permissions": ["ec2:DescribeInstances"],
        "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/*"],
        "reason": f"json dynamic {unique}",
    }

    response = await client.post("/elevate", json=body, headers=person())

    assert response.status_code == 202
    [command] = await published.for_workflow(response.json()["output"]["workflow_id"])
    assert command["duration"] == "PT10S"
    assert command["dynamic"]["resources"] == body["resources"]


async def test_groups_allowed_by_the_policy_are_refused_until_they_can_be_granted(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    response = await client.post("/elevate", data=form(unique, groups="readers"), headers=person())

    assert response.status_code == 422
    assert response.json()["field"] == "groups"
    assert "not supported yet" in response.json()["detail"]
    assert await published.mentioning(unique) == []


async def test_users_named_need_the_on_behalf_scope(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    fields = form(unique, users="bob@example.com")

    refused = await client.post("/elevate", data=fields, headers=person())
    accepted = await client.post(
        "/elevate", data=fields, headers=person(groups=("elevate-admins",))
    )

    assert refused.status_code == 403
    assert accepted.status_code == 202
    [command] = await published.mentioning(unique)
    assert command["identities"] == ["bob@example.com"]


OUTSIDE_POLICY: list[tuple[str, dict[str, str], str]] = [
    ("action not allowed", {"permissions": "s3:PutObject"}, "permissions"),
    ("wider than allowed", {"permissions": "s3:*"}, "permissions"),
    ("denied action", {"permissions": "s3:GetBucketPolicy"}, "permissions"),
    ("wildcard touching a denied action", {"permissions": "s3:Get*"}, "permissions"),
    ("every action", {"permissions": "*"}, "permissions"),
    ("malformed action", {"permissions": "GetObject"}, "permissions"),
    ("denied resource", {"resources": "arn:aws:s3:::audit/*"}, "resources"),
    ("every resource", {"resources": "*"}, "resources"),
    ("malformed ARN", {"resources": "arn:aws:s3"}, "resources"),
    ("group not allowed", {"groups": "admins"}, "groups"),
    ("other workflow", {"workflow": "auto"}, "workflow"),
    ("above the policy maximum", {"duration": "PT2H"}, "duration"),
    ("provider without policy", {"providers": "gcp"}, "providers"),
    ("no reason", {"reason": ""}, "reason"),
    ("role and permissions", {"role": "s3-reader"}, "role"),
    ("unknown field", {"colour": "blue"}, "colour"),
]


@pytest.mark.parametrize(
    ("case", "change", "field"), OUTSIDE_POLICY, ids=[c[0] for c in OUTSIDE_POLICY]
)
async def test_a_request_outside_policy_is_refused_and_nothing_is_published(
    client: Client,
    person: Headers,
    published: Published,
    unique: str,
    case: str,
    change: dict[str, str],
    field: str,
) -> None:
    fields = {**form(unique), **change}
    if case == "no reason":
        fields["duration"] = "PT1M"

    response = await client.post("/elevate", data=fields, headers=person())

    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert await published.mentioning(unique) == []


async def test_an_inline_policy_above_the_aws_size_limit_is_refused(
    client: Client, person: Headers, published: Published, unique: str
) -> None:
    resources = [f"arn:aws:s3:::logs/{'x' * 60}/{n}/*" for n in range(80)]
    body: dict[str, Any] = {
        "providers": ["aws"],
        "permissions": ["s3:GetObject"],
        "resources": resources,
        "reason": f"big {unique}",
    }

    response = await client.post("/elevate", json=body, headers=person())

    assert response.status_code == 422
    assert "5120" in response.json()["detail"]
    assert await published.mentioning(unique) == []
