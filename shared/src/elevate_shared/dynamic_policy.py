"""Check a dynamic request (explicit permissions) against the catalogue's policies.

The gateway runs this before publishing, and the workflow service runs it again in its
``validating`` state, because other services can publish requests straight to Kafka.
Each provider named must have an enabled policy; every requested action and resource
must lie inside an allow pattern and touch no deny pattern (deny wins); the request
goes through the policy's workflow; the duration stays within the policy's maximum;
the requester came through an authenticator every policy involved accepts.
"""

from dataclasses import dataclass
from datetime import timedelta

from elevate_shared import aws_iam, globs
from elevate_shared.catalogue.models import (
    AwsPermissions,
    Catalogue,
    DynamicPolicy,
    WorkflowDefinition,
)
from elevate_shared.eligibility import (
    allowed_duration,
    check_authenticator,
    well_formed_identities,
)
from elevate_shared.errors import RequestRejected
from elevate_shared.messages.commands import DynamicPermissions


@dataclass(frozen=True)
class ResolvedDynamic:
    """A dynamic request whose permissions, workflow and duration policy allows."""

    policies: tuple[DynamicPolicy, ...]
    providers: tuple[str, ...]
    workflow: WorkflowDefinition
    duration: timedelta
    identities: tuple[str, ...]
    permissions: DynamicPermissions
    aws: AwsPermissions


def resolve_dynamic(
    catalogue: Catalogue,
    *,
    providers: tuple[str, ...],
    permissions: DynamicPermissions,
    workflow: str | None,
    duration: str | None,
    identities: tuple[str, ...],
    reason: str,
    authenticator: str,
) -> ResolvedDynamic:
    """Return the resolved request, or raise :class:`RequestRejected` naming the field.

    ``permissions.users`` are identities too: they are added to ``identities``.
    ``authenticator`` is the one the requester came through; each policy that names its
    authenticators refuses any other with :class:`NotAllowed` (field ``authenticator``),
    after the request itself was found valid.
    """
    if not reason.strip():
        raise RequestRejected("a reason is required", field="reason")
    policies = _policies(catalogue, providers)
    for policy in policies:
        _within_policy(policy, permissions)
    resolved = ResolvedDynamic(
        policies=policies,
        providers=tuple(policy.provider for policy in policies),
        workflow=catalogue.workflows[_one_workflow(policies, workflow)],
        duration=allowed_duration(
            duration,
            default=min(policy.default_duration for policy in policies),
            maximum=min(policy.max_duration for policy in policies),
            limited_by="policy",
        ),
        identities=well_formed_identities((*identities, *permissions.users)),
        permissions=permissions,
        aws=_aws_permissions(permissions),
    )
    for policy in policies:
        check_authenticator(policy.authenticators, authenticator)
    return resolved


def _policies(catalogue: Catalogue, providers: tuple[str, ...]) -> tuple[DynamicPolicy, ...]:
    if not providers:
        raise RequestRejected("name at least one provider", field="providers")
    found = []
    for provider in dict.fromkeys(providers):
        policy = catalogue.policy_for(provider)
        if policy is None:
            raise RequestRejected(
                f"provider {provider!r} takes no dynamic requests", field="providers"
            )
        found.append(policy)
    return tuple(found)


def _within_policy(policy: DynamicPolicy, permissions: DynamicPermissions) -> None:
    for action in permissions.permissions:
        if not aws_iam.is_action(action):
            raise RequestRejected(
                f"{action[:128]!r} is not an action name like s3:GetObject", field="permissions"
            )
        _allowed(action.lower(), policy.allow_actions, policy.deny_actions, "permissions")
    for resource in permissions.resources:
        if not aws_iam.is_arn(resource):
            raise RequestRejected(f"{resource[:128]!r} is not an ARN", field="resources")
        _allowed(resource, policy.allow_resources, policy.deny_resources, "resources")
    for group in permissions.groups:
        _allowed(group, policy.allow_groups, (), "groups")


def _allowed(requested: str, allow: tuple[str, ...], deny: tuple[str, ...], field: str) -> None:
    # Actions are compared in lower case because IAM treats them so; deny patterns are
    # compared in lower case for resources too, so a case variant cannot slip past.
    lowered = field == "permissions"
    allows = (p.lower() if lowered else p for p in allow)
    if not any(globs.covers(pattern, requested) for pattern in allows):
        raise RequestRejected(f"{requested[:128]!r} is not allowed by policy", field=field)
    if any(globs.overlap(pattern.lower(), requested.lower()) for pattern in deny):
        raise RequestRejected(f"{requested[:128]!r} is denied by policy", field=field)


def _one_workflow(policies: tuple[DynamicPolicy, ...], asked: str | None) -> str:
    chosen = {policy.workflow for policy in policies}
    if len(chosen) > 1:
        raise RequestRejected(
            "these providers' policies use different workflows; ask for one at a time",
            field="providers",
        )
    workflow = chosen.pop()
    if asked and asked != workflow:
        raise RequestRejected(
            f"dynamic requests here go through workflow {workflow!r}", field="workflow"
        )
    return workflow


def _aws_permissions(permissions: DynamicPermissions) -> AwsPermissions:
    aws = aws_iam.dynamic_permissions(permissions.permissions, permissions.resources)
    size = aws_iam.policy_size(aws)
    if size > aws_iam.MAX_GROUP_INLINE_POLICY_CHARS:
        raise RequestRejected(
            f"the inline policy would be {size} characters; AWS allows "
            f"{aws_iam.MAX_GROUP_INLINE_POLICY_CHARS} per group",
            field="permissions",
        )
    return aws
