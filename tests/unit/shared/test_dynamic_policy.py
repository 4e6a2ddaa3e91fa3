from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from elevate_shared.aws_iam import MAX_GROUP_INLINE_POLICY_CHARS, dynamic_permissions, policy_size
from elevate_shared.catalogue import Catalogue, CatalogueError, load_catalogue
from elevate_shared.dynamic_policy import ResolvedDynamic, resolve_dynamic
from elevate_shared.errors import NotAllowed, RequestRejected
from elevate_shared.messages import DynamicPermissions

CATALOGUE_DIR = Path(__file__).parents[2] / "catalogue"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE_DIR)


def resolve(catalogue: Catalogue, **overrides: Any) -> ResolvedDynamic:
    asked: dict[str, Any] = {
        "permissions": ("s3:GetObject", "s3:List*"),
        "resources": ("arn:aws:s3:::logs", "arn:aws:s3:::logs/*"),
    }
    asked.update(overrides.pop("asked", {}))
    request: dict[str, Any] = {
        "providers": ("aws",),
        "permissions": DynamicPermissions(**asked),
        "workflow": None,
        "duration": None,
        "identities": ("alice@example.com",),
        "reason": "read the incident logs",
        "authenticator": "oidc",
    }
    request.update(overrides)
    return resolve_dynamic(catalogue, **request)


def rejected_field(catalogue: Catalogue, **overrides: Any) -> str | None:
    with pytest.raises(RequestRejected) as caught:
        resolve(catalogue, **overrides)
    return caught.value.field


def test_a_request_inside_policy_gets_its_workflow_and_default_duration(
    catalogue: Catalogue,
) -> None:
    resolved = resolve(catalogue)

    assert resolved.workflow.name == "default"
    assert resolved.duration == timedelta(seconds=10)
    assert resolved.aws.statements[0].actions == ("s3:GetObject", "s3:List*")


def test_users_are_added_to_the_identities(catalogue: Catalogue) -> None:
    resolved = resolve(catalogue, asked={"users": ("bob@example.com",)})

    assert resolved.identities == ("alice@example.com", "bob@example.com")


@pytest.mark.parametrize(
    ("asked", "field"),
    [
        ({"permissions": ("s3:PutObject",)}, "permissions"),
        ({"permissions": ("s3:*",)}, "permissions"),
        ({"permissions": ("s3:GetBucketPolicyStatus",)}, "permissions"),
        ({"permissions": ("s3:Get*",)}, "permissions"),
        ({"permissions": ("GetObject",)}, "permissions"),
        ({"permissions": ("s3 GetObject",)}, "permissions"),
        ({"resources": ("arn:aws:s3:::audit/2024/*",)}, "resources"),
        ({"resources": ("arn:aws:s3:::*",)}, "resources"),
        ({"resources": ("*",)}, "resources"),
        ({"resources": ("not-an-arn",)}, "resources"),
        ({"groups": ("admins",)}, "groups"),
    ],
)
def test_a_request_outside_policy_is_refused_naming_the_field(
    catalogue: Catalogue, asked: dict[str, Any], field: str
) -> None:
    assert rejected_field(catalogue, asked=asked) == field


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"workflow": "auto"}, "workflow"),
        ({"duration": "PT2H"}, "duration"),
        ({"duration": "PT0S"}, "duration"),
        ({"duration": "soon"}, "duration"),
        ({"identities": ("not an identity",)}, "identities"),
        ({"providers": ("gcp",)}, "providers"),
    ],
)
def test_other_bad_fields_are_named(
    catalogue: Catalogue, overrides: dict[str, Any], field: str
) -> None:
    assert rejected_field(catalogue, **overrides) == field


def test_an_inline_policy_above_the_aws_size_limit_is_refused(catalogue: Catalogue) -> None:
    resources = tuple(f"arn:aws:s3:::logs/{'x' * 60}/{n}/*" for n in range(80))

    with pytest.raises(RequestRejected) as caught:
        resolve(catalogue, asked={"resources": resources})

    assert caught.value.field == "permissions"
    assert str(MAX_GROUP_INLINE_POLICY_CHARS) in caught.value.detail


def test_an_inline_policy_above_a_users_limit_but_within_a_groups_is_accepted(
    catalogue: Catalogue,
) -> None:
    # The grant's policy goes on an IAM group (5,120 characters), not a user (2,048).
    resources = tuple(f"arn:aws:s3:::logs/{'x' * 60}/{n}/*" for n in range(40))
    aws = dynamic_permissions(("s3:GetObject",), resources)
    assert 2048 < policy_size(aws) <= MAX_GROUP_INLINE_POLICY_CHARS

    resolved = resolve(catalogue, asked={"permissions": ("s3:GetObject",), "resources": resources})

    assert resolved.aws.statements[0].resources == resources


def test_a_policy_whose_workflow_needs_no_approval_must_say_so(tmp_path: Path) -> None:
    for source in CATALOGUE_DIR.glob("*.yaml"):
        (tmp_path / source.name).write_text(source.read_text())
    policy = (tmp_path / "policies.yaml").read_text().replace("workflow: default", "workflow: auto")
    (tmp_path / "policies.yaml").write_text(policy)

    with pytest.raises(CatalogueError, match="allow_without_approval"):
        load_catalogue(tmp_path)


def test_a_policy_refuses_requesters_from_other_authenticators(catalogue: Catalogue) -> None:
    policy = catalogue.policies["aws-dynamic"].model_copy(update={"authenticators": ("api_key",)})
    limited = catalogue.model_copy(
        update={"policies": {**catalogue.policies, "aws-dynamic": policy}}
    )

    with pytest.raises(NotAllowed) as caught:
        resolve(limited, authenticator="oidc")

    assert caught.value.field == "authenticator"
    assert resolve(limited, authenticator="api_key").providers == ("aws",)
