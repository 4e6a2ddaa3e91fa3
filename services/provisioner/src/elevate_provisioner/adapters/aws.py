"""The AWS provider: every grant is an IAM group of its own.

Why a group per grant: permissions attached straight to an IAM user form a set, so two
live grants that both attach the same managed policy to the same user would share one
attachment, and revoking the first would take the policy from the second. Instead each
grant gets a group named from its grant id, holding the grant's managed policies and its
inline policy, with the grant's identities as members. Revoking a grant empties and
deletes exactly that group; whatever other grants gave stays.

Idempotency: each step says "make it so". Creating what already exists
(``EntityAlreadyExists``) or removing what is already gone (``NoSuchEntity``) counts as
done, so a redelivered command, or a retry after a crash halfway, ends in the same state.

Retries: boto3's standard retry mode backs off and retries throttling and transient
errors; whatever still fails after its attempts is raised as ``ProviderFailed`` with the
reason, for the handler to report.

Identities are IAM user names, used as given. A missing user is created only when the
provider says ``create_missing_users``; users created here stay after revoke, because they
hold nothing once the group is gone and other grants may name them. IAM lets a user be in
at most 10 groups, so one user can hold at most 10 live grants in one account; IAM's
``LimitExceeded`` is reported as the reason when an eleventh is asked for.
"""

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Self, TypeVar

import boto3
import structlog
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from elevate_provisioner.domain.errors import IdentityNotFound, InvalidGrant, ProviderFailed
from elevate_provisioner.domain.iam_names import group_name, user_names
from elevate_provisioner.domain.iam_policy import inline_policy_document, managed_policy_arns
from elevate_provisioner.domain.ports import CloudProvider
from elevate_shared.catalogue import Provider
from elevate_shared.messages import GrantAccess, RevokeAccess
from elevate_shared.settings import AwsSettings

if TYPE_CHECKING:
    from types_boto3_iam.client import IAMClient
    from types_boto3_iam.type_defs import TagTypeDef

log = structlog.get_logger(__name__)

T = TypeVar("T")

#: IAM path of every group Elevate creates, so operators can list them together.
GROUP_PATH = "/elevate/"
#: Name of the one inline policy a grant's group holds.
INLINE_POLICY_NAME = "elevate-inline"
#: Tag on users this provider created, so operators know where they came from.
CREATED_BY_TAG: "TagTypeDef" = {"Key": "elevate:created-by", "Value": "elevate-provisioner"}
#: Attempts per IAM request, the first included; boto3's standard mode backs off between.
MAX_ATTEMPTS = 5

_EXISTS = frozenset({"EntityAlreadyExists"})
_GONE = frozenset({"NoSuchEntity"})


def iam_client(provider: Provider, settings: AwsSettings) -> "IAMClient":
    """Create the IAM client of one provider, at its endpoint, with standard retries."""
    endpoint = str(provider.endpoint_url) if provider.endpoint_url else settings.endpoint_url
    config = Config(
        retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
        connect_timeout=5,
        read_timeout=30,
    )
    return boto3.client("iam", endpoint_url=endpoint, region_name=provider.region, config=config)


@dataclass(frozen=True)
class _GrantPlan:
    """What one grant asks IAM for, checked against IAM's rules before any call."""

    group: str
    users: tuple[str, ...]
    managed_policy_arns: tuple[str, ...]
    inline_policy: str | None

    @classmethod
    def of(cls, command: GrantAccess) -> Self:
        if command.aws is None:
            raise InvalidGrant(f"grant {command.grant_id!r} carries no AWS permissions")
        return cls(
            group=group_name(command.grant_id),
            users=user_names(command.identities),
            managed_policy_arns=managed_policy_arns(command.aws.managed_policy_arns),
            inline_policy=inline_policy_document(command.aws.statements),
        )


class AwsProvider(CloudProvider):
    """Grants and revokes in one AWS account through IAM groups, one per grant."""

    def __init__(self, provider: Provider, client: "IAMClient") -> None:
        self._name = provider.name
        self._create_missing_users = provider.create_missing_users
        self._iam = client

    async def grant(self, command: GrantAccess) -> None:
        """Make the identities members of the grant's group, which holds its policies."""
        plan = _GrantPlan.of(command)
        await self._ensure_users(plan.users)

        create_group = partial(self._iam.create_group, GroupName=plan.group, Path=GROUP_PATH)
        await self._call_unless(_EXISTS, "CreateGroup", create_group)
        await self._attach_policies(plan)

        # Members last: nobody holds part of the grant while its policies are being set.
        for user in plan.users:
            add_user = partial(self._iam.add_user_to_group, GroupName=plan.group, UserName=user)
            await self._call("AddUserToGroup", add_user)

    async def revoke(self, command: RevokeAccess) -> None:
        """Empty and delete the grant's group: members first, so access ends at once."""
        group = group_name(command.grant_id)
        members = await self._call_unless(_GONE, "GetGroup", partial(self._members, group))
        if members is None:
            # The group is gone, and with it everything the grant gave: already revoked.
            return

        for user in members:
            remove = partial(self._iam.remove_user_from_group, GroupName=group, UserName=user)
            await self._call_unless(_GONE, "RemoveUserFromGroup", remove)
        await self._detach_policies(group)
        await self._call_unless(
            _GONE, "DeleteGroup", partial(self._iam.delete_group, GroupName=group)
        )

    async def check(self, grant_id: str, identities: Sequence[str]) -> bool:
        """Return whether the grant's group exists with every identity in it."""
        group = group_name(grant_id)
        members = await self._call_unless(_GONE, "GetGroup", partial(self._members, group))
        return members is not None and set(identities) <= set(members)

    async def _ensure_users(self, users: Sequence[str]) -> None:
        """Create the missing users if the provider allows it; else refuse the grant."""
        for user in users:
            get_user = partial(self._iam.get_user, UserName=user)
            if await self._call_unless(_GONE, "GetUser", get_user) is not None:
                continue
            if not self._create_missing_users:
                raise IdentityNotFound(
                    f"IAM user {user!r} does not exist in provider {self._name!r}, "
                    "which does not create missing users"
                )
            await self._call_unless(
                _EXISTS,
                "CreateUser",
                partial(self._iam.create_user, UserName=user, Tags=[CREATED_BY_TAG]),
            )

    async def _attach_policies(self, plan: _GrantPlan) -> None:
        """Attach the managed policies and put the inline one; both are idempotent in IAM."""
        for arn in plan.managed_policy_arns:
            attach = partial(self._iam.attach_group_policy, GroupName=plan.group, PolicyArn=arn)
            await self._call("AttachGroupPolicy", attach)
        if plan.inline_policy is None:
            return
        # PutGroupPolicy replaces a policy of the same name, so twice is harmless.
        put = partial(
            self._iam.put_group_policy,
            GroupName=plan.group,
            PolicyName=INLINE_POLICY_NAME,
            PolicyDocument=plan.inline_policy,
        )
        await self._call("PutGroupPolicy", put)

    async def _detach_policies(self, group: str) -> None:
        """Detach every managed policy and delete every inline one the group holds."""
        attached = partial(self._attached, group)
        for arn in await self._call_unless(_GONE, "ListAttachedGroupPolicies", attached) or []:
            detach = partial(self._iam.detach_group_policy, GroupName=group, PolicyArn=arn)
            await self._call_unless(_GONE, "DetachGroupPolicy", detach)
        inline = partial(self._inline, group)
        for name in await self._call_unless(_GONE, "ListGroupPolicies", inline) or []:
            delete = partial(self._iam.delete_group_policy, GroupName=group, PolicyName=name)
            await self._call_unless(_GONE, "DeleteGroupPolicy", delete)

    def _members(self, group: str) -> list[str]:
        pages = self._iam.get_paginator("get_group").paginate(GroupName=group)
        return [user["UserName"] for page in pages for user in page["Users"]]

    def _attached(self, group: str) -> list[str]:
        pages = self._iam.get_paginator("list_attached_group_policies").paginate(GroupName=group)
        return [policy["PolicyArn"] for page in pages for policy in page["AttachedPolicies"]]

    def _inline(self, group: str) -> list[str]:
        pages = self._iam.get_paginator("list_group_policies").paginate(GroupName=group)
        return [name for page in pages for name in page["PolicyNames"]]

    async def _call_unless(
        self, codes: frozenset[str], operation: str, call: Callable[[], T]
    ) -> T | None:
        """Run one IAM call; return None when it fails with one of the error ``codes``."""
        try:
            return await self._call(operation, call)
        except ProviderFailed as failed:
            if failed.code not in codes:
                raise
            log.info("iam_called", provider=self._name, operation=operation, outcome=failed.code)
            return None

    async def _call(self, operation: str, call: Callable[[], T]) -> T:
        """Run one blocking IAM call in a worker thread; raise its failure as ProviderFailed."""
        try:
            result = await asyncio.to_thread(call)
        except ClientError as error:
            details = error.response.get("Error", {})
            code = details.get("Code", "Unknown")
            message = details.get("Message", "")[:300]
            reason = f"IAM {operation} failed: {code}: {message}"
            raise ProviderFailed(reason, code=code) from error
        except BotoCoreError as error:
            raise ProviderFailed(f"IAM {operation} failed: {error}") from error

        log.info("iam_called", provider=self._name, operation=operation, outcome="ok")
        return result
