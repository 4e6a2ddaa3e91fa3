"""Workflow records in MongoDB (FerretDB locally): one document per workflow.

Every change is one ``find_one_and_update`` filtered on ``{_id, doc_version}``: single
document atomicity is all the store relies on, which FerretDB and MongoDB both give
(neither transactions nor change streams are needed). Durations are stored as ISO-8601
text, the form the messages and the catalogue use.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bson.codec_options import CodecOptions, TypeEncoder, TypeRegistry
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from elevate_shared.durations import format_duration
from elevate_shared.records import WORKFLOWS_COLLECTION, OutboxEntry, WorkflowRecord
from elevate_workflow.adapters.store import WorkflowStore
from elevate_workflow.domain.changes import Changes

Document = dict[str, Any]


class _DurationEncoder(TypeEncoder):
    """Write ``timedelta`` values as ISO-8601 durations; pydantic reads them back."""

    python_type = timedelta

    def transform_python(self, value: Any) -> Any:
        return format_duration(value)


CODEC_OPTIONS: CodecOptions[Document] = CodecOptions(
    tz_aware=True, tzinfo=UTC, type_registry=TypeRegistry([_DurationEncoder()])
)


class MongoWorkflowStore(WorkflowStore):
    """The workflow store on a MongoDB-compatible server."""

    def __init__(self, database: AsyncDatabase[Document]) -> None:
        self._workflows: AsyncCollection[Document] = database.get_collection(
            WORKFLOWS_COLLECTION, codec_options=CODEC_OPTIONS
        )

    async def ensure_indexes(self) -> None:
        """Create the indexes the timer loop and the outbox sweep query by."""
        await self._workflows.create_index([("due_at", ASCENDING)], name="due_at")
        await self._workflows.create_index([("outbox_since", ASCENDING)], name="outbox_since")

    async def create(self, record: WorkflowRecord) -> bool:
        """Insert the record; a duplicate key means an earlier delivery created it."""
        try:
            await self._workflows.insert_one(_document(record))
        except DuplicateKeyError:
            return False
        return True

    async def load(self, workflow_id: str) -> WorkflowRecord | None:
        """Read one record by its workflow id."""
        document = await self._workflows.find_one({"_id": workflow_id})
        return WorkflowRecord.model_validate(document) if document else None

    async def apply(self, record: WorkflowRecord, changes: Changes) -> WorkflowRecord | None:
        """Write the changes in one update guarded by the record's version."""
        document = await self._workflows.find_one_and_update(
            {"_id": record.workflow_id, "doc_version": record.doc_version},
            _update(changes),
            return_document=ReturnDocument.AFTER,
        )
        return WorkflowRecord.model_validate(document) if document else None

    async def due(self, now: datetime, limit: int) -> list[WorkflowRecord]:
        """Find records whose timer is due, the most overdue first."""
        cursor = self._workflows.find({"due_at": {"$lte": now}}).sort("due_at", ASCENDING)
        return [WorkflowRecord.model_validate(d) async for d in cursor.limit(limit)]

    async def unsent(self, older_than: datetime, limit: int) -> list[WorkflowRecord]:
        """Find records with outbox entries left since before ``older_than``."""
        query = {"outbox_since": {"$lte": older_than}}
        cursor = self._workflows.find(query).sort("outbox_since", ASCENDING).limit(limit)
        return [WorkflowRecord.model_validate(d) async for d in cursor]

    async def remove_sent(self, workflow_id: str, entries: Sequence[OutboxEntry]) -> None:
        """Pull the sent entries, then drop the outbox mark if nothing is left."""
        if entries:
            sent = [entry.model_dump() for entry in entries]
            await self._workflows.update_one({"_id": workflow_id}, {"$pullAll": {"outbox": sent}})
        # A separate update is safe: it only matches an empty outbox, and a writer that
        # adds entries in between sets the mark again in its own update.
        await self._workflows.update_one(
            {"_id": workflow_id, "outbox": {"$size": 0}}, {"$unset": {"outbox_since": ""}}
        )


def _document(record: WorkflowRecord) -> Document:
    document = record.model_dump(by_alias=True)
    if document.get("outbox_since") is None:
        # Absent rather than null: ``$min`` treats null as the smallest date there is.
        document.pop("outbox_since", None)
    return document


def _update(changes: Changes) -> Document:
    push: Document = {"applied_events": changes.event_id}
    push["history"] = {"$each": [entry.model_dump() for entry in changes.history]}
    update: Document = {
        "$set": changes.fields,
        "$inc": {"doc_version": changes.version_step},
        "$push": push,
    }
    if changes.outbox:
        push["outbox"] = {"$each": [entry.model_dump() for entry in changes.outbox]}
        # The oldest unsent entry's time: what the sweep ages entries by.
        update["$min"] = {"outbox_since": changes.at}
    return update
