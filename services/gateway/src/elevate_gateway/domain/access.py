"""Who may ask for what, and who may see a workflow.

The requester is always the authenticated caller. Naming other identities needs the
``elevate:on-behalf`` scope (the admin group, or an API key given it). A request that
names an authenticator must have come through it; whether the role or policy accepts
that authenticator is the shared eligibility rules' to say.
"""

from elevate_gateway.domain.caller import SCOPE_ADMIN, SCOPE_ON_BEHALF, Caller
from elevate_shared.errors import NotAllowed
from elevate_shared.messages import Principal
from elevate_shared.permissions import has_answered, matches_approver, same_subject
from elevate_shared.records import WorkflowRecord


def identities_or_self(caller: Caller, identities: tuple[str, ...]) -> tuple[str, ...]:
    """Return the identities asked for, or the caller alone when none are named."""
    return identities or (caller.subject,)


def check_on_behalf(caller: Caller, identities: tuple[str, ...]) -> None:
    """Refuse identities other than the caller's own unless the caller may name others."""
    others = [identity for identity in identities if identity != caller.subject]
    if others and not caller.may(SCOPE_ON_BEHALF):
        raise NotAllowed(
            f"you may request access only for yourself ({caller.subject}), "
            f"not for {others[0][:64]!r}",
            field="identities",
        )


def check_named_authenticator(caller: Caller, asked: str | None) -> None:
    """Refuse a request naming an authenticator the caller did not come through."""
    came_through = caller.principal.authenticator
    if asked and asked != came_through:
        raise NotAllowed(
            f"you authenticated through {came_through!r}, not {asked[:64]!r}",
            field="authenticator",
        )


def may_see(caller: Caller, record: WorkflowRecord) -> bool:
    """Tell whether the caller is the requester, an identity, an approver or an admin."""
    if caller.may(SCOPE_ADMIN):
        return True
    actor = caller.principal
    involved = (record.requester.subject, *record.identities)
    return (
        any(same_subject(actor.subject, subject) for subject in involved)
        or has_answered(record, actor)
        or _named_approver(actor, record)
    )


def _named_approver(actor: Principal, record: WorkflowRecord) -> bool:
    step = record.definition.approvals if record.definition else None
    return step is not None and any(matches_approver(a, actor) for a in step.approvers)
