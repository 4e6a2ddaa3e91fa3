"""Check an elevation request against the catalogue.

The gateway runs this before publishing, and the workflow service runs it again in its
``validating`` state, because other services can publish requests straight to Kafka.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from elevate_shared.catalogue.models import Catalogue, Role, WorkflowDefinition
from elevate_shared.durations import InvalidDuration, parse_duration
from elevate_shared.errors import RequestRejected

#: Emails or IAM-style user names: the characters IAM allows in a user name, up to 64.
IDENTITY_PATTERN = re.compile(r"^[A-Za-z0-9+=,.@_-]{1,64}$")


@dataclass(frozen=True)
class ResolvedRequest:
    """A request whose role, providers, workflow and duration are known to be allowed."""

    role: Role
    providers: tuple[str, ...]
    workflow: WorkflowDefinition
    duration: timedelta
    identities: tuple[str, ...]


def resolve_request(
    catalogue: Catalogue,
    *,
    role: str,
    providers: tuple[str, ...],
    workflow: str | None,
    duration: str | None,
    identities: tuple[str, ...],
    reason: str,
) -> ResolvedRequest:
    """Return the resolved request, or raise :class:`RequestRejected` naming the field."""
    if not reason.strip():
        raise RequestRejected("a reason is required", field="reason")
    found = _enabled_role(catalogue, role)
    return ResolvedRequest(
        role=found,
        providers=_allowed_providers(found, providers),
        workflow=catalogue.workflows[_allowed_workflow(found, workflow)],
        duration=_allowed_duration(found, duration),
        identities=_well_formed(identities),
    )


def _enabled_role(catalogue: Catalogue, name: str) -> Role:
    role = catalogue.roles.get(name)
    if role is None or not role.enabled:
        raise RequestRejected(f"role {name!r} is not an enabled role", field="role")
    return role


def _allowed_providers(role: Role, providers: tuple[str, ...]) -> tuple[str, ...]:
    if not providers:
        raise RequestRejected("name at least one provider", field="providers")
    for provider in providers:
        if provider not in role.providers:
            allowed = ", ".join(role.providers)
            raise RequestRejected(
                f"provider {provider!r} is not allowed for role {role.name!r} ({allowed})",
                field="providers",
            )
    return tuple(dict.fromkeys(providers))


def _allowed_workflow(role: Role, workflow: str | None) -> str:
    chosen = workflow or role.workflow_by_default
    if chosen not in role.workflows:
        raise RequestRejected(
            f"workflow {chosen!r} is not allowed for role {role.name!r}", field="workflow"
        )
    return chosen


def _allowed_duration(role: Role, text: str | None) -> timedelta:
    if text is None or not text.strip():
        return role.default_duration
    try:
        duration = parse_duration(text)
    except InvalidDuration as error:
        raise RequestRejected(str(error), field="duration") from error
    if duration <= timedelta(0):
        raise RequestRejected("duration must be positive", field="duration")
    if duration > role.max_duration:
        raise RequestRejected(f"duration {text} is above the role's maximum", field="duration")
    return duration


def _well_formed(identities: tuple[str, ...]) -> tuple[str, ...]:
    for identity in identities:
        if not IDENTITY_PATTERN.fullmatch(identity):
            raise RequestRejected(
                f"identity {identity[:64]!r} is not a valid user name or email",
                field="identities",
            )
    return tuple(dict.fromkeys(identities))
