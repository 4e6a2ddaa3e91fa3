"""The port to where workflow records, and the writes that made them, are kept."""

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from elevate_shared.records import OutboxEntry, TimerKind, WorkflowRecord
from elevate_workflow.domain.changes import Changes


@dataclass(frozen=True)
class PendingWrite:
    """A stored write whose messages are not known to be published yet."""

    write_id: str
    entries: tuple[OutboxEntry, ...]
    #: What the store tracks the pending write by (outbox markers), for marking it.
    markers: tuple[str, ...] = ()


@dataclass(frozen=True)
class DueTimer:
    """A workflow's timer that came due, as the timer index knows it."""

    workflow_id: str
    kind: TimerKind
    due_at: datetime
    correlation_id: str


class WorkflowStore(abc.ABC):
    """Keeps one record per workflow; every change is one atomic, version-guarded write.

    A write is stored with the messages it sends; the store remembers which of them
    are published, so a crash between the write and the publishing loses nothing.
    """

    @abc.abstractmethod
    async def create(self, record: WorkflowRecord, outbox: Sequence[OutboxEntry] = ()) -> bool:
        """Store a new workflow with the messages it sends; False if its id exists already."""

    @abc.abstractmethod
    async def load(self, workflow_id: str) -> WorkflowRecord | None:
        """Return the record as of its latest write, or None if there is none."""

    @abc.abstractmethod
    async def apply(self, record: WorkflowRecord, changes: Changes) -> WorkflowRecord | None:
        """Write ``changes`` if nothing was written since ``record`` was loaded.

        Return the record as written, or None when another writer got there first: the
        caller then loads the record again and decides again.
        """

    @abc.abstractmethod
    async def due(self, now: datetime, limit: int) -> list[DueTimer]:
        """Return timers due at ``now``, the most overdue first."""

    @abc.abstractmethod
    async def reindex_timer(self, workflow_id: str) -> None:
        """Make the timer index agree with the workflow's record again."""

    @abc.abstractmethod
    async def restore_timers(self) -> None:
        """Make the timer index agree with every workflow's record again."""

    @abc.abstractmethod
    async def unpublished(self, workflow_id: str) -> list[PendingWrite]:
        """Return the workflow's writes with messages not yet published, oldest first."""

    @abc.abstractmethod
    async def mark_published(self, writes: Sequence[PendingWrite]) -> None:
        """Remember that the messages of ``writes`` are published."""

    @abc.abstractmethod
    async def left_unpublished(self, older_than: datetime, limit: int) -> list[str]:
        """Return ids of workflows with writes unpublished since before ``older_than``."""
