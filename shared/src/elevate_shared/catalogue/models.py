"""Pydantic models of the catalogue, checked once at start-up."""

from datetime import timedelta
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from elevate_shared.durations import IsoDuration

Name = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AwsStatement(_Strict):
    """One IAM policy statement: actions allowed on resources."""

    effect: Literal["Allow", "Deny"] = "Allow"
    actions: tuple[str, ...] = Field(min_length=1)
    resources: tuple[str, ...] = ("*",)


class AwsPermissions(_Strict):
    """What a grant gives in AWS: managed policies and an inline policy."""

    managed_policy_arns: tuple[str, ...] = ()
    statements: tuple[AwsStatement, ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if not self.managed_policy_arns and not self.statements:
            raise ValueError("give managed_policy_arns or statements")
        return self


class RolePermissions(_Strict):
    """A role's permissions per provider type."""

    aws: AwsPermissions | None = None


class Provider(_Strict):
    """A target cloud account or project that access is granted in."""

    name: Name
    type: Literal["aws"]
    description: str = ""
    region: str = "us-east-1"
    endpoint_url: HttpUrl | None = None
    create_missing_users: bool = False


class ValidateStep(_Strict):
    """Check the request against the catalogue and policy."""

    type: Literal["validate"]


class ApprovalsStep(_Strict):
    """Pause until enough approvers agree; ``approvers`` are users or ``group:<name>``."""

    type: Literal["approvals"]
    required: int = Field(default=1, ge=1, le=10)
    approvers: tuple[str, ...] = Field(min_length=1)
    allow_self_approval: bool = False
    timeout: IsoDuration = timedelta(hours=24)
    on_deny: Literal["deny"] = "deny"
    on_timeout: Literal["time_out", "deny"] = "time_out"


class NotifyStep(_Strict):
    """Tell people through the named notification channels."""

    type: Literal["notify"]
    channels: tuple[str, ...] = ()


class AuthorizeStep(_Strict):
    """Grant the access in every target provider."""

    type: Literal["authorize"]


class RevokeStep(_Strict):
    """Revoke the access when the duration runs out."""

    type: Literal["revoke"]


Step = Annotated[
    ValidateStep | ApprovalsStep | NotifyStep | AuthorizeStep | RevokeStep,
    Field(discriminator="type"),
]


class WorkflowDefinition(_Strict):
    """An ordered list of steps an elevation goes through."""

    name: Name
    description: str = ""
    steps: tuple[Step, ...] = Field(min_length=1)

    @property
    def approvals(self) -> ApprovalsStep | None:
        """Return the approvals step, if the workflow has one."""
        return next((s for s in self.steps if isinstance(s, ApprovalsStep)), None)

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


class Role(_Strict):
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


class Catalogue(_Strict):
    """Everything that can be requested, where, and through which workflow."""

    providers: dict[str, Provider]
    roles: dict[str, Role]
    workflows: dict[str, WorkflowDefinition]

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
        return self

    def enabled_roles(self) -> list[Role]:
        """Return the roles that can be requested, by name."""
        return sorted((r for r in self.roles.values() if r.enabled), key=lambda r: r.name)
