"""The port to where workflow records are kept."""

import abc
from collections.abc import Sequence
from datetime import datetime

from elevate_shared.records import OutboxEntry, WorkflowRecord
from elevate_workflow.domain.changes import Changes


class WorkflowStore(abc.ABC):
    """Keeps one record per workflow; every change is one atomic, version-guarded write."""

    @abc.abstractmethod
    async def create(self, record: WorkflowRecord) -> bool:
        """Store a new record; return False if one with its id exists already."""

    @abc.abstractmethod
    async def load(self, workflow_id: str) -> WorkflowRecord | None:
        """Return the record, or None if there is none."""

    @abc.abstractmethod
    async def apply(self, record: WorkflowRecord, changes: Changes) -> WorkflowRecord | None:
        """Write ``changes`` if the stored record is still at ``record``'s version.

        Return the record as written, or None when another writer got there first: the
        caller then loads the record again and decides again.
        """

    @abc.abstractmethod
    async def due(self, now: datetime, limit: int) -> list[WorkflowRecord]:
        """Return records whose timer is due, the most overdue first."""

    @abc.abstractmethod
    async def unsent(self, older_than: datetime, limit: int) -> list[WorkflowRecord]:
        """Return records holding outbox entries written before ``older_than``."""

    @abc.abstractmethod
    async def remove_sent(self, workflow_id: str, entries: Sequence[OutboxEntry]) -> None:
        """Drop ``entries`` from the record's outbox once they are published."""
