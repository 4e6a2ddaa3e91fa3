"""The handlers with the real ledger and the AWS provider on the local stack."""

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from elevate_provisioner.adapters.aws import AwsProvider
from elevate_provisioner.adapters.mongo_ledger import MongoGrantLedger
from elevate_provisioner.domain.iam_names import group_name
from elevate_provisioner.handlers import Dependencies, handle
from elevate_shared.messages import (
    AccessGranted,
    AccessRevoked,
    GrantAccess,
    GrantFailed,
    Message,
    RevokeAccess,
)

if TYPE_CHECKING:
    from types_boto3_iam.client import IAMClient

pytestmark = pytest.mark.stack

MakeGrant = Callable[..., GrantAccess]
RevokeFor = Callable[[GrantAccess], RevokeAccess]


class Emitted(list[Message]):
    async def __call__(self, message: Message) -> None:
        self.append(message)


@pytest.fixture
def emitted() -> Emitted:
    return Emitted()


@pytest.fixture
def deps(
    ledger: MongoGrantLedger, make_provider: Callable[..., AwsProvider], emitted: Emitted
) -> Dependencies:
    providers = {"aws": make_provider(create_missing_users=False)}
    return Dependencies(ledger=ledger, providers=providers, emit=emitted)


def groups_of(iam: "IAMClient", user: str) -> list[str]:
    return [group["GroupName"] for group in iam.list_groups_for_user(UserName=user)["Groups"]]


async def test_a_grant_and_its_revoke_leave_nothing_behind(
    deps: Dependencies,
    emitted: Emitted,
    iam: "IAMClient",
    user: str,
    make_grant: MakeGrant,
    revoke_for: RevokeFor,
) -> None:
    grant = make_grant((user,))

    await handle(grant, deps)
    granted_groups = groups_of(iam, user)
    await handle(revoke_for(grant), deps)

    assert granted_groups == [group_name(grant.grant_id)]
    assert groups_of(iam, user) == []
    assert [type(m) for m in emitted] == [AccessGranted, AccessRevoked]
    assert {m.workflow_id for m in emitted} == {grant.workflow_id}


async def test_a_grant_delivered_after_its_revoke_is_refused_by_the_ledger(
    deps: Dependencies,
    emitted: Emitted,
    iam: "IAMClient",
    user: str,
    make_grant: MakeGrant,
    revoke_for: RevokeFor,
) -> None:
    grant = make_grant((user,))

    await handle(revoke_for(grant), deps)
    await handle(grant, deps)

    assert groups_of(iam, user) == []
    [revoked, refused] = emitted
    assert isinstance(revoked, AccessRevoked)
    assert isinstance(refused, GrantFailed)
    assert "revoked before it was applied" in refused.reason


async def test_a_missing_user_is_reported_as_a_failed_grant_with_the_reason(
    deps: Dependencies, emitted: Emitted, iam: "IAMClient", user: str, make_grant: MakeGrant
) -> None:
    grant = make_grant((user, f"{user}-absent"))

    await handle(grant, deps)

    [failed] = emitted
    assert isinstance(failed, GrantFailed)
    assert f"IAM user '{user}-absent' does not exist" in failed.reason
    assert groups_of(iam, user) == []


async def test_a_grant_that_fails_halfway_is_undone(
    deps: Dependencies, emitted: Emitted, iam: "IAMClient", user: str, make_grant: MakeGrant
) -> None:
    grant = make_grant((user,))
    assert grant.aws is not None
    unknown = "arn:aws:iam::123456789012:policy/does-not-exist"
    arns = (*grant.aws.managed_policy_arns, unknown)
    grant = grant.model_copy(
        update={"aws": grant.aws.model_copy(update={"managed_policy_arns": arns})}
    )

    await handle(grant, deps)

    [failed] = emitted
    assert isinstance(failed, GrantFailed)
    assert "AttachGroupPolicy failed: NoSuchEntity" in failed.reason
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_group(GroupName=group_name(grant.grant_id))
