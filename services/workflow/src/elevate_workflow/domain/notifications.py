"""What the workflow tells people, and the port every notification channel implements.

A :class:`Notification` describes one moment of one elevation (approval needed, access
granted, denied, expiring soon, revoked, timed out, cancelled). Its ``reason`` comes
from the requester and is untrusted: every channel escapes it for its own markup.
Approval notifications carry, per approver, links to the gateway's resume page; the
task token in them lets the approver open the page, and the approver must still sign in.
"""

import abc
from datetime import datetime
from urllib.parse import urlencode
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from elevate_shared.catalogue.models import NotificationKind
from elevate_shared.durations import IsoDuration
from elevate_shared.messages.base import utcnow
from elevate_shared.records import WorkflowRecord

__all__ = [
    "ApprovalLinks",
    "DeliveryFailed",
    "Notification",
    "NotificationKind",
    "Notifier",
    "approval_links",
    "describe",
]

#: Path of the gateway's page where approvers answer.
RESUME_PATH = "/elevate/resume"


class DeliveryFailed(Exception):
    """A channel did not take a notification; the message is safe to log.

    ``retryable`` is false when sending the same notification again cannot help (the
    channel refused it as invalid or unauthorised), so the dispatcher stops at once.
    """

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class ApprovalLinks(BaseModel):
    """Where one approver approves or denies; the URLs hold a task token: never log them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    approver: str
    approve_url: str
    deny_url: str


class Notification(BaseModel):
    """One moment of one elevation, told to people through the workflow's channels."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Unique per notification, so a receiver can drop a retried delivery it already has.
    notification_id: UUID = Field(default_factory=uuid4)
    kind: NotificationKind
    workflow_id: str
    requester: str
    role: str | None = None
    providers: tuple[str, ...] = ()
    identities: tuple[str, ...] = ()
    #: The requester's words: untrusted, escaped by every channel.
    reason: str = ""
    duration: IsoDuration | None = None
    expires_at: AwareDatetime | None = None
    #: Addresses told besides a channel's own recipients (email channels only).
    recipients: tuple[str, ...] = ()
    links: tuple[ApprovalLinks, ...] = ()
    occurred_at: AwareDatetime = Field(default_factory=utcnow)
    correlation_id: str | None = None

    @property
    def what(self) -> str:
        """Return what is asked for: the role, or dynamic permissions."""
        return self.role or "dynamic permissions"


class Notifier(abc.ABC):
    """One notification channel: email, Slack, a webhook."""

    def __init__(self, name: str) -> None:
        self.name = name

    @abc.abstractmethod
    async def send(self, notification: Notification) -> None:
        """Deliver ``notification`` once, raising :class:`DeliveryFailed` if it was not taken."""


def approval_links(public_url: str, workflow_id: str, approver: str, token: str) -> ApprovalLinks:
    """Build the approve and deny links of one approver's task token."""
    base = public_url.rstrip("/") + RESUME_PATH

    def link(decision: str) -> str:
        query = {"workflow_id": workflow_id, "task_token": token, "decision": decision}
        return f"{base}?{urlencode(query)}"

    return ApprovalLinks(approver=approver, approve_url=link("approve"), deny_url=link("deny"))


def describe(
    record: WorkflowRecord,
    kind: NotificationKind,
    *,
    links: tuple[ApprovalLinks, ...] = (),
    recipients: tuple[str, ...] = (),
    now: datetime | None = None,
) -> Notification:
    """Build the notification of ``kind`` about the workflow ``record``."""
    return Notification(
        kind=kind,
        workflow_id=record.workflow_id,
        requester=record.requester.subject,
        role=record.role,
        providers=record.providers,
        identities=record.identities,
        reason=record.reason,
        duration=record.duration,
        expires_at=record.expires_at,
        recipients=recipients,
        links=links,
        occurred_at=now or utcnow(),
        correlation_id=record.correlation_id,
    )
