"""The AWS provider against the local AWS endpoint: what IAM holds after each step."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from pydantic import HttpUrl

from elevate_provisioner.adapters.aws import (
    GROUP_PATH,
    INLINE_POLICY_NAME,
    AwsProvider,
    iam_client,
)
from elevate_provisioner.domain.errors import IdentityNotFound, InvalidGrant, ProviderFailed
from elevate_provisioner.domain.iam_names import group_name
from elevate_shared.catalogue import Provider
from elevate_shared.messages import GrantAccess, RevokeAccess
from elevate_shared.settings import AwsSettings

if TYPE_CHECKING:
    from types_boto3_iam.client import IAMClient

pytestmark = pytest.mark.stack

MakeGrant = Callable[..., GrantAccess]
RevokeFor = Callable[[GrantAccess], RevokeAccess]


@pytest.fixture
def aws(make_provider: Callable[..., AwsProvider]) -> AwsProvider:
    return make_provider(create_missing_users=False)


def members(iam: "IAMClient", group: str) -> list[str]:
    return [user["UserName"] for user in iam.get_group(GroupName=group)["Users"]]


def attached(iam: "IAMClient", group: str) -> list[str]:
    policies = iam.list_attached_group_policies(GroupName=group)["AttachedPolicies"]
    return [policy["PolicyArn"] for policy in policies]


def groups_of(iam: "IAMClient", user: str) -> list[str]:
    return [group["GroupName"] for group in iam.list_groups_for_user(UserName=user)["Groups"]]


def group_exists(iam: "IAMClient", group: str) -> bool:
    try:
        iam.get_group(GroupName=group)
    except iam.exceptions.NoSuchEntityException:
        return False
    return True


async def test_a_grant_puts_the_user_in_a_group_holding_the_permissions(
    aws: AwsProvider, iam: "IAMClient", user: str, managed_policy: str, make_grant: MakeGrant
) -> None:
    grant = make_grant((user,))

    await aws.grant(grant)

    group = group_name(grant.grant_id)
    assert iam.get_group(GroupName=group)["Group"]["Path"] == GROUP_PATH
    assert members(iam, group) == [user]
    assert attached(iam, group) == [managed_policy]
    inline = iam.get_group_policy(GroupName=group, PolicyName=INLINE_POLICY_NAME)
    # botocore decodes IAM policy documents into dicts; the type stubs say str.
    document: Any = inline["PolicyDocument"]
    assert document["Statement"] == [
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::logs/*"]}
    ]
    assert await aws.check(grant.grant_id, [user])


async def test_a_revoke_takes_everything_the_grant_gave(
    aws: AwsProvider, iam: "IAMClient", user: str, make_grant: MakeGrant, revoke_for: RevokeFor
) -> None:
    grant = make_grant((user,))
    await aws.grant(grant)

    await aws.revoke(revoke_for(grant))

    assert not group_exists(iam, group_name(grant.grant_id))
    assert groups_of(iam, user) == []
    assert not await aws.check(grant.grant_id, [user])


async def test_granting_twice_is_the_same_as_granting_once(
    aws: AwsProvider, iam: "IAMClient", user: str, managed_policy: str, make_grant: MakeGrant
) -> None:
    grant = make_grant((user,))

    await aws.grant(grant)
    await aws.grant(grant)

    group = group_name(grant.grant_id)
    assert members(iam, group) == [user]
    assert attached(iam, group) == [managed_policy]
    assert groups_of(iam, user) == [group]


async def test_revoking_twice_or_without_a_grant_is_harmless(
    aws: AwsProvider, iam: "IAMClient", user: str, make_grant: MakeGrant, revoke_for: RevokeFor
) -> None:
    granted, never_granted = make_grant((user,)), make_grant((user,))
    await aws.grant(granted)

    await aws.revoke(revoke_for(granted))
    await aws.revoke(revoke_for(granted))
    await aws.revoke(revoke_for(never_granted))

    assert not group_exists(iam, group_name(granted.grant_id))
    assert groups_of(iam, user) == []


async def test_overlapping_grants_of_one_policy_do_not_cancel_each_other(
    aws: AwsProvider,
    iam: "IAMClient",
    user: str,
    managed_policy: str,
    make_grant: MakeGrant,
    revoke_for: RevokeFor,
) -> None:
    first, second = make_grant((user,)), make_grant((user,))
    await aws.grant(first)
    await aws.grant(second)

    await aws.revoke(revoke_for(first))

    remaining = group_name(second.grant_id)
    assert groups_of(iam, user) == [remaining]
    assert attached(iam, remaining) == [managed_policy]
    assert await aws.check(second.grant_id, [user])
    assert not await aws.check(first.grant_id, [user])


async def test_a_missing_user_fails_the_grant_when_users_are_not_created(
    aws: AwsProvider, iam: "IAMClient", user: str, make_grant: MakeGrant
) -> None:
    grant = make_grant((user, "nobody-" + user))

    with pytest.raises(IdentityNotFound, match=r"IAM user 'nobody-user-\w+' does not exist"):
        await aws.grant(grant)

    assert not group_exists(iam, group_name(grant.grant_id))


async def test_a_missing_user_is_created_when_the_provider_allows_it(
    make_provider: Callable[..., AwsProvider],
    iam: "IAMClient",
    new_id: Callable[[str], str],
    make_grant: MakeGrant,
) -> None:
    aws = make_provider(create_missing_users=True)
    newcomer = new_id("newcomer")
    grant = make_grant((newcomer,))

    await aws.grant(grant)

    tags = iam.list_user_tags(UserName=newcomer)["Tags"]
    assert {"Key": "elevate:created-by", "Value": "elevate-provisioner"} in tags
    assert groups_of(iam, newcomer) == [group_name(grant.grant_id)]


async def test_a_policy_iam_does_not_know_fails_with_iams_reason(
    aws: AwsProvider, user: str, make_grant: MakeGrant
) -> None:
    grant = make_grant((user,))
    unknown = "arn:aws:iam::123456789012:policy/does-not-exist"
    assert grant.aws is not None
    grant = grant.model_copy(
        update={"aws": grant.aws.model_copy(update={"managed_policy_arns": (unknown,)})}
    )

    with pytest.raises(ProviderFailed, match="IAM AttachGroupPolicy failed: NoSuchEntity"):
        await aws.grant(grant)


async def test_input_iam_would_refuse_is_refused_before_any_call(
    aws: AwsProvider, iam: "IAMClient", make_grant: MakeGrant
) -> None:
    grant = make_grant(("not a user name",))

    with pytest.raises(InvalidGrant, match="not a valid IAM user name"):
        await aws.grant(grant)

    assert not group_exists(iam, group_name(grant.grant_id))


async def test_an_endpoint_that_does_not_answer_is_a_provider_failure(
    make_grant: MakeGrant, user: str
) -> None:
    closed_port = Provider(name="aws", type="aws", endpoint_url=HttpUrl("http://127.0.0.1:9"))
    aws = AwsProvider(closed_port, iam_client(closed_port, AwsSettings()))

    with pytest.raises(ProviderFailed, match="IAM GetUser failed: Could not connect"):
        await aws.grant(make_grant((user,)))
