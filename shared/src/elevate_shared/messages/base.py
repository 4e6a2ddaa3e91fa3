"""The envelope every message shares."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Message(BaseModel):
    """Fields common to every command and event.

    Unknown fields are ignored rather than refused, so a producer can add a field without
    breaking consumers that do not know it yet; ``version`` changes only when a field's
    meaning does.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    version: int = 1
    event_id: UUID = Field(default_factory=uuid4)
    correlation_id: str = Field(default_factory=lambda: uuid4().hex, min_length=1, max_length=128)
    occurred_at: AwareDatetime = Field(default_factory=utcnow)
    workflow_id: str | None = Field(default=None, max_length=64)

    @property
    def partition_key(self) -> bytes | None:
        """Key all messages of one elevation alike, so Kafka keeps them in order."""
        return self.workflow_id.encode() if self.workflow_id else None


class Principal(BaseModel):
    """Who did something: an authenticated person or service.

    Unknown fields are ignored, as in :class:`Message`: a field added later must not
    dead-letter every message that carries a principal on consumers not updated yet.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    subject: str = Field(min_length=1, max_length=256)
    authenticator: str = Field(min_length=1, max_length=64)
    groups: tuple[str, ...] = ()
    kind: str = Field(default="user", pattern="^(user|service)$")
    #: Set by the gateway for callers it holds to be admins (its admin group, or an API
    #: key with the admin scope); consumers trust it as they trust the rest of the message.
    admin: bool = False
