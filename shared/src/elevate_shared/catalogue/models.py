"""Pydantic models of the catalogue, checked once at start-up."""

from collections.abc import Collection
from datetime import timedelta
from typing import Annotated, Literal, Self, get_args

from pydantic import Field, HttpUrl, model_validator

from elevate_shared.catalogue.channels import NotificationChannel
from elevate_shared.catalogue.common import Name, Strict
from elevate_shared.durations import IsoDuration

#: What a notification tells: the moments of an elevation people hear about.
NotificationKind = Literal[
    "approval_needed", "granted", "denied", "expiring_soon", "revoked", "timed_out", "cancelled"
]
NOTIFICATION_KINDS: tuple[NotificationKind, ...] = get_args(NotificationKind)


class AwsStatement(Strict):
    """One IAM policy statement: actions allowed on resources."""

    effect: Literal["Allow", "Deny"] = "Allow"
    actions: tuple[str, ...] = Field(min_length=1)
    resources: tuple[str, ...] = ("*",)


class AwsPermissions(Strict):
    """What a grant gives in AWS: managed policies and an inline policy."""

    managed_policy_arns: tuple[str, ...] = ()
    statements: tuple[AwsStatement, ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if not self.managed_policy_arns and not self.statements:
            raise ValueError("give managed_policy_arns or statements")
        return self


class RolePermissions(Strict):
    """A role's permissions per provider type."""

    aws: AwsPermissions | None = None


class Provider(Strict):
    """A target cloud account or project that access is granted in."""

    name: Name
    type: Literal["aws"]
    description: str = ""
    region: str = "us-east-1"
    endpoint_url: HttpUrl | None = None
    create_missing_users: bool = False


class ValidateStep(Strict):
    """Check the request against the catalogue and policy."""

    type: Literal["validate"]


class ApprovalsStep(Strict):
    """Pause until enough approvers agree; ``approvers`` are users or ``group:<name>``."""

    type: Literal["approvals"]
    required: int = Field(default=1, ge=1, le=10)
    approvers: tuple[str, ...] = Field(min_length=1)
    allow_self_approval: bool = False
    timeout: IsoDuration = timedelta(hours=24)
    on_deny: Literal["deny"] = "deny"
    on_timeout: Literal["time_out", "deny"] = "time_out"


class NotifyStep(Strict):
    """Tell people through the named notification channels about the listed events."""

    type: Literal["notify"]
    channels: tuple[str, ...] = ()
    events: tuple[NotificationKind, ...] = NOTIFICATION_KINDS


class AuthorizeStep(Strict):
    """Grant the access in every target provider."""

    type: Literal["authorize"]


class RevokeStep(Strict):
    """Revoke the access when the duration runs out."""

    type: Literal["revoke"]


Step = Annotated[
    ValidateStep | ApprovalsStep | NotifyStep | AuthorizeStep | RevokeStep,
    Field(discriminator="type"),
]


class WorkflowDefinition(Strict):
    """An ordered list of steps an elevation goes through."""

    name: Name
    description: str = ""
    steps: tuple[Step, ...] = Field(min_length=1)

    @property
    def approvals(self) -> ApprovalsStep | None:
        """Return the approvals step, if the workflow has one."""
        return next((s for s in self.steps if isinstance(s, ApprovalsStep)), None)

    def channels_for(self, kind: NotificationKind) -> tuple[str, ...]:
        """Return the channels the notify steps name for ``kind``, each once, in order."""
        names = (
            channel
            for step in self.steps
            if isinstance(step, NotifyStep) and kind in step.events
            for channel in step.channels
        )
        return tuple(dict.fromkeys(names))

    def unknown_channels(self, known: Collection[str]) -> list[tuple[int, str]]:
        """Return (step index, channel) for each notify step's channel missing from ``known``."""
        return [
            (index, channel)
            for index, step in enumerate(self.steps)
            if isinstance(step, NotifyStep)
            for channel in step.channels
            if channel not in known
        ]

    @model_validator(mode="after")
    def _well_ordered(self) -> Self:
        kinds = [step.type for step in self.steps]
        if "authorize" not in kinds or "revoke" not in kinds:
            raise ValueError("a workflow needs an authorize and a revoke step")
        if kinds.index("revoke") < kinds.index("authorize"):
            raise ValueError("the revoke step must come after the authorize step")
        if kinds.count("approvals") > 1:
            raise ValueError("a workflow has at most one approvals step")
        return self


class Role(Strict):
    """A named set of permissions that can be requested for a limited time."""

    name: Name
    description: str = Field(min_length=1, max_length=1000)
    enabled: bool = True
    providers: tuple[Name, ...] = Field(min_length=1)
    workflows: tuple[Name, ...] = Field(min_length=1)
    default_workflow: Name | None = None
    permissions: RolePermissions
    default_duration: IsoDuration = timedelta(hours=1)
    max_duration: IsoDuration
    keywords: tuple[str, ...] = ()
    privilege: int = Field(default=1, ge=1, le=5)
    #: Authenticators a requester must have come through; empty allows any.
    authenticators: tuple[Name, ...] = ()

    @property
    def workflow_by_default(self) -> str:
        """Return the workflow used when a request names none."""
        return self.default_workflow or self.workflows[0]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.default_workflow and self.default_workflow not in self.workflows:
            raise ValueError("default_workflow must be one of workflows")
        if self.max_duration <= timedelta(0):
            raise ValueError("max_duration must be positive")
        if not timedelta(0) < self.default_duration <= self.max_duration:
            raise ValueError("default_duration must be positive and at most max_duration")
        return self


#: A glob over action names or ARNs where ``*`` matches any run of characters. ``?`` is
#: left out on purpose: without it, whether an allow pattern covers a requested pattern
#: (itself possibly with wildcards) has an exact answer.
PolicyPattern = Annotated[str, Field(min_length=1, max_length=2048, pattern=r"^[^?\s]+$")]


class DynamicPolicy(Strict):
    """What one provider allows to be requested as explicit permissions, and how.

    A requested action or resource must lie inside an ``allow`` pattern and overlap no
    ``deny`` pattern: deny wins. Such requests go through ``workflow``, which must have an
    approvals step unless ``allow_without_approval`` says otherwise.
    """

    name: Name
    provider: Name
    description: str = ""
    enabled: bool = True
    allow_actions: tuple[PolicyPattern, ...] = Field(min_length=1)
    deny_actions: tuple[PolicyPattern, ...] = ()
    allow_resources: tuple[PolicyPattern, ...] = ("*",)
    deny_resources: tuple[PolicyPattern, ...] = ()
    #: Groups that may be named in a request; none unless listed.
    allow_groups: tuple[PolicyPattern, ...] = ()
    workflow: Name
    allow_without_approval: bool = False
    default_duration: IsoDuration = timedelta(hours=1)
    max_duration: IsoDuration
    #: Authenticators a requester must have come through; empty allows any.
    authenticators: tuple[Name, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if not timedelta(0) < self.default_duration <= self.max_duration:
            raise ValueError("default_duration must be positive and at most max_duration")
        return self


class Catalogue(Strict):
    """Everything that can be requested, where, through which workflow, told where."""

    providers: dict[str, Provider]
    roles: dict[str, Role]
    workflows: dict[str, WorkflowDefinition]
    notifications: dict[str, NotificationChannel] = Field(default_factory=dict)
    policies: dict[str, DynamicPolicy] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _references_resolve(self) -> Self:
        for role in self.roles.values():
            for provider in role.providers:
                if provider not in self.providers:
                    raise ValueError(f"role {role.name!r} names unknown provider {provider!r}")
                kind = self.providers[provider].type
                if getattr(role.permissions, kind) is None:
                    raise ValueError(f"role {role.name!r} has no {kind} permissions")
            for workflow in role.workflows:
                if workflow not in self.workflows:
                    raise ValueError(f"role {role.name!r} names unknown workflow {workflow!r}")
        for definition in self.workflows.values():
            for index, channel in definition.unknown_channels(self.notifications):
                raise ValueError(
                    f"workflow {definition.name!r} steps[{index}] names unknown"
                    f" notification channel {channel!r}"
                )
        return self

    @model_validator(mode="after")
    def _policies_resolve(self) -> Self:
        seen: set[str] = set()
        for policy in self.policies.values():
            where = f"policy {policy.name!r}"
            if policy.provider not in self.providers:
                raise ValueError(f"{where} names unknown provider {policy.provider!r}")
            if policy.provider in seen:
                raise ValueError(f"{where}: provider {policy.provider!r} has two policies")
            seen.add(policy.provider)
            definition = self.workflows.get(policy.workflow)
            if definition is None:
                raise ValueError(f"{where} names unknown workflow {policy.workflow!r}")
            if definition.approvals is None and not policy.allow_without_approval:
                raise ValueError(
                    f"{where}: workflow {policy.workflow!r} has no approvals step; "
                    "set allow_without_approval to allow that"
                )
        return self

    def policy_for(self, provider: str) -> "DynamicPolicy | None":
        """Return the enabled dynamic policy of ``provider``, if it has one."""
        found = (p for p in self.policies.values() if p.provider == provider and p.enabled)
        return next(found, None)

    def enabled_roles(self) -> list[Role]:
        """Return the roles that can be requested, by name."""
        return sorted((r for r in self.roles.values() if r.enabled), key=lambda r: r.name)
