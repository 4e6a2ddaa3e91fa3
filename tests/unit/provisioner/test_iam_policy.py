import json

import pytest

from elevate_provisioner.domain.errors import InvalidGrant
from elevate_provisioner.domain.iam_policy import (
    GROUP_INLINE_POLICY_QUOTA,
    inline_policy_document,
    managed_policy_arns,
    policy_size,
)
from elevate_shared.catalogue import AwsStatement


def test_statements_become_one_policy_document() -> None:
    statements = [
        AwsStatement(actions=("s3:GetObject", "s3:ListBucket"), resources=("arn:aws:s3:::logs",)),
        AwsStatement(effect="Deny", actions=("s3:DeleteObject",)),
    ]

    document = inline_policy_document(statements)

    assert document is not None
    assert json.loads(document) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:ListBucket"],
                "Resource": ["arn:aws:s3:::logs"],
            },
            {"Effect": "Deny", "Action": ["s3:DeleteObject"], "Resource": ["*"]},
        ],
    }


def test_no_statements_means_no_inline_policy() -> None:
    assert inline_policy_document([]) is None


def test_size_is_counted_without_whitespace() -> None:
    assert policy_size('{ "a" :\n\t"b c" }') == 10


def _statement(actions: int) -> AwsStatement:
    return AwsStatement(actions=tuple(f"s3:Action{n:05d}" for n in range(actions)))


def _fits(actions: int) -> bool:
    try:
        inline_policy_document([_statement(actions)])
    except InvalidGrant:
        return False
    return True


@pytest.fixture(scope="module")
def most_actions_that_fit() -> int:
    actions = 1
    while _fits(actions + 1):
        actions += 1
    return actions


def test_a_document_up_to_the_group_quota_is_accepted(most_actions_that_fit: int) -> None:
    document = inline_policy_document([_statement(most_actions_that_fit)])

    assert document is not None
    # One more action (about 20 characters) would not fit, so this one is at the quota.
    assert GROUP_INLINE_POLICY_QUOTA - 25 < policy_size(document) <= GROUP_INLINE_POLICY_QUOTA


def test_a_document_over_the_group_quota_is_refused_with_its_size(
    most_actions_that_fit: int,
) -> None:
    with pytest.raises(InvalidGrant, match=r"inline policy has \d+ characters; IAM allows"):
        inline_policy_document([_statement(most_actions_that_fit + 1)])


def test_the_group_quota_is_iams_group_limit() -> None:
    # IAM: 2,048 for a user, 5,120 for a group, 10,240 for a role.
    assert GROUP_INLINE_POLICY_QUOTA == 5_120


@pytest.mark.parametrize("action", ["s3", "s3:Get Object", "s3:*:x", ""])
def test_a_malformed_action_is_refused(action: str) -> None:
    with pytest.raises(InvalidGrant, match="is not an IAM action"):
        inline_policy_document([AwsStatement(actions=("s3:GetObject", action))])


@pytest.mark.parametrize("resource", ["logs", "arn:aws:s3:::has space", ""])
def test_a_malformed_resource_is_refused(resource: str) -> None:
    with pytest.raises(InvalidGrant, match="is not an IAM resource"):
        inline_policy_document([AwsStatement(actions=("s3:GetObject",), resources=(resource,))])


def test_managed_policy_arns_are_kept_once_each() -> None:
    arns = managed_policy_arns(
        [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::123456789012:policy/team/LogsReader",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess",
        ]
    )

    assert arns == (
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::123456789012:policy/team/LogsReader",
        "arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess",
    )


@pytest.mark.parametrize(
    "arn",
    [
        "ReadOnlyAccess",
        "arn:aws:iam::aws:role/ReadOnlyAccess",
        "arn:aws:iam::12345:policy/Short",
        "arn:aws:s3:::bucket",
        "arn:aws:iam::aws:policy/",
    ],
)
def test_a_malformed_managed_policy_arn_is_refused(arn: str) -> None:
    with pytest.raises(InvalidGrant, match="is not an IAM managed policy ARN"):
        managed_policy_arns([arn])
