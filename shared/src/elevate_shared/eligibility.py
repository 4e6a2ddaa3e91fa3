"""Check an elevation request against the catalogue.

The gateway runs this before publishing, and the workflow service runs it again in its
``validating`` state, because other services can publish requests straight to Kafka.
Both refuse a requester who came through an authenticator the role does not accept.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from elevate_shared.catalogue.models import Catalogue, Role, WorkflowDefinition
from elevate_shared.durations import InvalidDuration, parse_duration
from elevate_shared.errors import NotAllowed, RequestRejected

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
    authenticator: str,
) -> ResolvedRequest:
    """Return the resolved request, or raise :class:`RequestRejected` naming the field.

    ``authenticator`` is the one the requester came through; a role that names its
    authenticators refuses any other with :class:`NotAllowed` (field ``authenticator``),
    after the request itself was found valid.
    """
    if not reason.strip():
        raise RequestRejected("a reason is required", field="reason")
    found = _enabled_role(catalogue, role)
    resolved = ResolvedRequest(
        role=found,
        providers=_allowed_providers(found, providers),
        workflow=catalogue.workflows[_allowed_workflow(found, workflow)],
        duration=allowed_duration(
            duration,
            default=found.default_duration,
            maximum=found.max_duration,
            limited_by="role",
        ),
        identities=well_formed_identities(identities),
    )
    check_authenticator(found.authenticators, authenticator)
    return resolved


def check_authenticator(allowed: tuple[str, ...], authenticator: str) -> None:
    """Refuse a requester whose authenticator is not ``allowed``; empty allows any."""
    if allowed and authenticator not in allowed:
        raise NotAllowed(
            f"this needs one of the authenticators {', '.join(allowed)}; "
            f"you came through {authenticator[:64]!r}",
            field="authenticator",
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


def allowed_duration(
    text: str | None, *, default: timedelta, maximum: timedelta, limited_by: str
) -> timedelta:
    """Return the requested ISO-8601 duration, or ``default`` when none is given.

    A duration that does not parse, is not positive or is above ``maximum`` is refused;
    ``limited_by`` names what sets the maximum ("role", "policy") in the refusal.
    """
    if text is None or not text.strip():
        return default
    try:
        duration = parse_duration(text)
    except InvalidDuration as error:
        raise RequestRejected(str(error), field="duration") from error
    if duration <= timedelta(0):
        raise RequestRejected("duration must be positive", field="duration")
    if duration > maximum:
        raise RequestRejected(
            f"duration {text} is above the {limited_by}'s maximum", field="duration"
        )
    return duration


def well_formed_identities(identities: tuple[str, ...]) -> tuple[str, ...]:
    """Return the identities without repeats; one that is no user name or email is refused."""
    for identity in identities:
        if not IDENTITY_PATTERN.fullmatch(identity):
            raise RequestRejected(
                f"identity {identity[:64]!r} is not a valid user name or email",
                field="identities",
            )
    return tuple(dict.fromkeys(identities))
