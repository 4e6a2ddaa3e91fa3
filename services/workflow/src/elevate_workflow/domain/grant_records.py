"""Small pure helpers over a workflow's list of grants."""

from collections.abc import Iterable, Mapping

from elevate_shared.records import GrantRecord, GrantState

#: Grants whose access is, or may yet be, in effect; a revoke covers these.
IN_EFFECT: frozenset[GrantState] = frozenset({"pending", "granted"})


def find_grant(grants: Iterable[GrantRecord], grant_id: str) -> GrantRecord | None:
    """Return the grant of that id, if the workflow has one."""
    return next((grant for grant in grants if grant.grant_id == grant_id), None)


def in_states(grants: Iterable[GrantRecord], *states: GrantState) -> list[GrantRecord]:
    """Return the grants in any of ``states``, in order."""
    return [grant for grant in grants if grant.state in states]


def with_states(
    grants: Iterable[GrantRecord], states: Mapping[str, GrantState], reason: str = ""
) -> list[GrantRecord]:
    """Return the grants with new states for the ids in ``states``."""
    return [
        grant.model_copy(update={"state": states[grant.grant_id], "reason": reason or grant.reason})
        if grant.grant_id in states
        else grant
        for grant in grants
    ]


def with_reason(grants: Iterable[GrantRecord], grant_id: str, reason: str) -> list[GrantRecord]:
    """Return the grants with ``reason`` noted on the one of ``grant_id``, state unchanged."""
    return [
        grant.model_copy(update={"reason": reason}) if grant.grant_id == grant_id else grant
        for grant in grants
    ]


def all_in(grants: Iterable[GrantRecord], *states: GrantState) -> bool:
    """Tell whether every grant is in one of ``states``."""
    return all(grant.state in states for grant in grants)
