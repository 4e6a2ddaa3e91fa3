"""The timer index: one small document per workflow that has a timer.

The workflow record is the truth; this index only spares the timer loop a scan of every
workflow ever stored (FerretDB evaluates filters other than ``_id`` by reading the whole
collection). Each entry carries the record version it was copied from, and an entry is
only replaced by a newer version's, so writers that finish out of order leave the newest.
A firing that finds the record disagreeing re-copies it, a redelivered message re-copies
its workflow's, and the index is rebuilt at every service start and every few minutes
after, so an entry lost to a crash or a failed write comes back.
"""

import contextlib
from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from elevate_workflow.adapters.store import DueTimer

Document = dict[str, Any]


class TimerIndex:
    """Where due timers are looked up."""

    def __init__(self, timers: AsyncCollection[Document]) -> None:
        self._timers = timers

    async def ensure_indexes(self) -> None:
        """Index the due time, which real MongoDB uses for the due query."""
        await self._timers.create_index([("due_at", ASCENDING)], name="due_at")

    async def copy(self, record: Document) -> None:
        """Copy the record's timer (or its absence) unless a newer version was copied."""
        key = {"_id": record["_id"], "doc_version": {"$lt": record["doc_version"]}}
        if record.get("timer") is None or record.get("due_at") is None:
            await self._timers.delete_one(key)
            return
        entry = {
            "_id": record["_id"],
            "kind": record["timer"],
            "due_at": record["due_at"],
            "doc_version": record["doc_version"],
            "correlation_id": record["correlation_id"],
        }
        # A duplicate key: the entry is from this version or a newer one already.
        with contextlib.suppress(DuplicateKeyError):
            await self._timers.replace_one(key, entry, upsert=True)

    async def due(self, now: datetime, limit: int) -> list[DueTimer]:
        """Return the timers due at ``now``, the most overdue first."""
        cursor = self._timers.find({"due_at": {"$lte": now}}).sort("due_at", ASCENDING)
        return [
            DueTimer(d["_id"], d["kind"], d["due_at"], d["correlation_id"])
            async for d in cursor.limit(limit)
        ]

    async def drop(self, workflow_id: str) -> None:
        """Forget the timer of a workflow that has no record."""
        await self._timers.delete_one({"_id": workflow_id})
