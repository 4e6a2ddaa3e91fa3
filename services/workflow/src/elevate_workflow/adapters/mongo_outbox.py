"""Outbox markers: one small document per write whose messages are not published yet.

A marker is inserted before its write is committed and deleted once the write's
messages are published, so whatever a crash interrupts, a marker points at messages
that may still need sending. Each attempt has its own marker: writers racing over one
version each leave one, and losers take theirs back. The relay and the sweep read
markers (a small collection) rather than the write log, which keeps every write.
"""

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

Document = dict[str, Any]

#: A marker whose write was never committed is dropped after this long: its writer died
#: before committing (the message is redelivered and decided again) and will not return.
ABANDONED_AFTER = timedelta(hours=1)


class OutboxMarkers:
    """Which writes still have messages to publish."""

    def __init__(self, markers: AsyncCollection[Document]) -> None:
        self._markers = markers

    async def ensure_indexes(self) -> None:
        """Index what the relay and the sweep query by (used by real MongoDB)."""
        await self._markers.create_index([("workflow_id", ASCENDING)], name="workflow")
        await self._markers.create_index([("at", ASCENDING)], name="at")

    async def add(self, write_id: str, workflow_id: str, base_version: int, at: datetime) -> str:
        """Mark a write about to be committed as having messages; return the marker's id."""
        marker_id = f"{write_id}:{uuid4().hex}"
        await self._markers.insert_one(
            {
                "_id": marker_id,
                "write_id": write_id,
                "workflow_id": workflow_id,
                "base": base_version,
                "at": at,
            }
        )
        return marker_id

    async def of(self, workflow_id: str) -> list[Document]:
        """Return the workflow's markers in write order."""
        cursor = self._markers.find({"workflow_id": workflow_id}).sort("base", ASCENDING)
        return [marker async for marker in cursor]

    async def remove(self, marker_ids: list[str]) -> None:
        """Drop markers: their write's messages are published, or it was never committed."""
        if marker_ids:
            await self._markers.delete_many({"_id": {"$in": marker_ids}})

    async def older_than(self, moment: datetime, limit: int) -> list[Document]:
        """Return markers written before ``moment``, oldest first."""
        cursor = self._markers.find({"at": {"$lte": moment}}).sort("at", ASCENDING)
        return [marker async for marker in cursor.limit(limit)]
