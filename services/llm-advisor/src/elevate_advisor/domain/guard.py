"""Keep any engine's answer inside the roles the requester may use.

The reason is untrusted and a model can be talked into anything, so every answer passes
through :func:`enforce` whichever engine gave it: a role outside the eligible roles is
dropped, providers are cut to the role's own, and the duration is capped at the role's
maximum. The workflow later applies the catalogue's rules and a human approval again.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from elevate_advisor.domain.engine import Suggestion
from elevate_advisor.domain.profiles import RoleProfile

#: How many alternatives travel with a suggestion.
MAX_ALTERNATIVES = 4
#: Longest rationale kept, in characters (the message field allows 1000).
MAX_RATIONALE = 500


def enforce(suggestion: Suggestion, roles: Sequence[RoleProfile]) -> Suggestion:
    """Return ``suggestion`` bounded by ``roles``, or a no-fit answer if its role is not one."""
    by_name = {role.name: role for role in roles}
    role = by_name.get(suggestion.role or "")
    if role is None:
        refused = "no eligible role fits" if suggestion.role is None else "role not eligible"
        return Suggestion(role=None, rationale=refused)

    return replace(
        suggestion,
        duration=bounded_duration(suggestion.duration, role),
        providers=_own_providers(suggestion.providers, role),
        rationale=_printable(suggestion.rationale)[:MAX_RATIONALE],
        alternatives=_eligible_alternatives(suggestion.alternatives, role.name, by_name),
    )


def bounded_duration(duration: timedelta | None, role: RoleProfile) -> timedelta:
    """Return ``duration`` capped at the role's maximum, or its default if none or not positive."""
    if duration is None or duration <= timedelta(0):
        return role.default_duration
    return min(duration, role.max_duration)


def _own_providers(providers: Sequence[str], role: RoleProfile) -> tuple[str, ...]:
    kept = tuple(dict.fromkeys(p for p in providers if p in role.providers))
    # The role's first provider is its primary target; asking for every provider when the
    # reason names none would grant more than was asked for.
    return kept or role.providers[:1]


def _eligible_alternatives(
    names: Sequence[str], chosen: str, by_name: dict[str, RoleProfile]
) -> tuple[str, ...]:
    kept = dict.fromkeys(n for n in names if n in by_name and n != chosen)
    return tuple(kept)[:MAX_ALTERNATIVES]


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()
