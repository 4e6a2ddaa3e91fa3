import re

import pytest

from elevate_provisioner.domain.errors import InvalidGrant
from elevate_provisioner.domain.iam_names import MAX_GROUP_NAME, group_name, user_names

IAM_NAME = re.compile(r"[A-Za-z0-9+=,.@_-]+")


def test_a_plain_grant_id_is_kept_readable() -> None:
    assert group_name("wf-123.aws") == "elevate-wf-123.aws"


@pytest.mark.parametrize(
    "grant_id",
    ["wf:1/aws", "WF-1", "é-grant", "a b", "x" * 200, "wf-1-0123456789abcdef"],
)
def test_other_grant_ids_become_valid_names_with_a_hash(grant_id: str) -> None:
    name = group_name(grant_id)

    assert IAM_NAME.fullmatch(name)
    assert len(name) <= MAX_GROUP_NAME
    assert name.startswith("elevate-")
    assert re.search(r"-[0-9a-f]{16}$", name)


def test_the_same_grant_id_always_gives_the_same_group() -> None:
    assert group_name("wf:1/aws") == group_name("wf:1/aws")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("wf:1", "wf/1"),  # both sanitise to wf-1
        ("Grant", "grant"),  # IAM names ignore case
        ("x" * 200 + "a", "x" * 200 + "b"),  # both cut to the same prefix
        ("wf-1", "wf:1"),  # a readable id and one that sanitises to it
    ],
)
def test_grant_ids_that_look_alike_get_different_groups(first: str, second: str) -> None:
    assert group_name(first).lower() != group_name(second).lower()


def test_an_id_shaped_like_a_hashed_name_cannot_take_that_name() -> None:
    hashed = group_name("wf:1")
    lookalike = hashed.removeprefix("elevate-")

    assert group_name(lookalike) != hashed


def test_user_names_are_kept_as_given_once_each() -> None:
    names = user_names(["alice@example.com", "bob", "alice@example.com"])

    assert names == ("alice@example.com", "bob")


@pytest.mark.parametrize("identity", ["has space", "slash/name", "x" * 65, "", "ünï"])
def test_an_identity_iam_would_refuse_is_refused_with_its_name(identity: str) -> None:
    with pytest.raises(InvalidGrant, match="not a valid IAM user name"):
        user_names(["alice", identity])
