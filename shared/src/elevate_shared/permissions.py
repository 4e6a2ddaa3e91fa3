"""Who may act on an elevation: the rules the gateway and the workflow service share.

The gateway checks them to answer at once, the workflow service again when the command
arrives; with one copy of the rules the two can never disagree (a 202 from the gateway
followed by a refusal in the workflow's history).

Subjects are compared without case, everywhere: they are email addresses or names that
our authenticators hand out, and one address spelled in two cases is one mailbox. This
assumes an identity provider never gives two people subjects that differ only in case.
Group names are compared exactly, as the identity provider spells them.
"""

from typing import Literal

from elevate_shared.messages.base import Principal
from elevate_shared.records import WorkflowRecord

#: Prefix of an approver that names a group rather than one person.
GROUP_PREFIX = "group:"

#: The capacities in which someone may end access early.
EndAccessCapacity = Literal["requester", "approver", "admin"]


def same_subject(one: str, other: str) -> bool:
    """Tell whether two subjects name the same person or service."""
    return one.casefold() == other.casefold()


def matches_approver(approver: str, actor: Principal) -> bool:
    """Tell whether ``actor`` is ``approver``, or belongs to the group it names."""
    if approver.startswith(GROUP_PREFIX):
        return approver.removeprefix(GROUP_PREFIX) in actor.groups
    return same_subject(actor.subject, approver)


def is_requester(record: WorkflowRecord, actor: Principal) -> bool:
    """Tell whether ``actor`` asked for the elevation."""
    return same_subject(actor.subject, record.requester.subject)


def has_answered(record: WorkflowRecord, actor: Principal) -> bool:
    """Tell whether ``actor`` already approved or denied the elevation."""
    return any(same_subject(actor.subject, a.approver.subject) for a in record.approvals)


def end_access_capacities(record: WorkflowRecord, actor: Principal) -> frozenset[EndAccessCapacity]:
    """Return the capacities in which ``actor`` may end the access; empty if none.

    The requester, anyone the workflow names as an approver (or who answered it), and
    admins may end access early: taking access away is always safe to allow them.
    """
    step = record.definition.approvals if record.definition else None
    approvers = step.approvers if step else ()
    capacities: set[EndAccessCapacity] = set()
    if is_requester(record, actor):
        capacities.add("requester")
    if has_answered(record, actor) or any(matches_approver(a, actor) for a in approvers):
        capacities.add("approver")
    if actor.admin:
        capacities.add("admin")
    return frozenset(capacities)


def may_end_access(record: WorkflowRecord, actor: Principal) -> bool:
    """Tell whether ``actor`` is the requester, one of the approvers, or an admin."""
    return bool(end_access_capacities(record, actor))
