"""What one message or timer does to one workflow, decided before anything is written."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, Final

from elevate_shared.catalogue import NotificationKind
from elevate_shared.messages import GrantAccess, Principal, RevokeAccess
from elevate_shared.records import TimerKind
from elevate_shared.states import WorkflowState


class _Keep(Enum):
    KEEP = "keep"


#: A decision's timer when it leaves the workflow's timer as it is.
KEEP: Final = _Keep.KEEP


@dataclass(frozen=True)
class Timer:
    """A moment when the workflow must act unless something happened first."""

    kind: TimerKind
    due_at: datetime


@dataclass(frozen=True)
class Move:
    """One transition, with the reason the history and the status event give."""

    to_state: WorkflowState
    reason: str


@dataclass(frozen=True)
class ApproverToken:
    """A task token for one approver: handed to the notifier, never stored or logged."""

    approver: str
    token: str = field(repr=False)


@dataclass(frozen=True)
class Decision:
    """The moves, field updates, timer and commands of one atomic write.

    ``event_id`` is the message (or timer firing) being applied; it is stored with the
    change so a redelivery is recognised. A decision without moves still leaves a
    history line (``note``); ``accepted=False`` marks an attempt that was refused.
    ``announce`` publishes that line as a status event without a move (an escalation);
    ``notice`` tells people of something that is not a move (access expiring soon).
    """

    event_id: str
    actor: Principal | None = None
    moves: tuple[Move, ...] = ()
    updates: Mapping[str, Any] = field(default_factory=dict)
    timer: Timer | _Keep | None = KEEP
    commands: tuple[GrantAccess | RevokeAccess, ...] = ()
    note: str = ""
    accepted: bool = True
    announce: bool = False
    notice: NotificationKind | None = None
    tokens: tuple[ApproverToken, ...] = field(default=(), repr=False)


def refused(event_id: str, actor: Principal | None, reason: str) -> Decision:
    """Record an attempt that changes nothing but the audit trail."""
    return Decision(event_id=event_id, actor=actor, note=reason, accepted=False)
