"""Workflow records in MongoDB (FerretDB locally), committed through a write log.

Two collections. ``workflows`` holds one document per workflow (:class:`WorkflowRecord`,
``_id`` = workflow id), the shape the gateway reads. ``workflow_writes`` holds one
document per write, with the whole record it produces and the messages it sends; its
``_id`` is ``<workflow id>#<version written over>``.

Why a write log: FerretDB 1.24 does not apply an update atomically. It reads the
document, changes it, and writes it back whole, so two concurrent updates can both
match ``{_id, doc_version}`` and one silently undoes the other (measured: even updates
of different fields are lost). Inserting a document with a unique ``_id`` is atomic on
every server, so inserting the write is the commit point: of two writers starting from
the same version, exactly one inserts ``<id>#<version>``, the other gets a duplicate key
and decides again. The record is then replaced (filtered on the version written over);
whoever loads a workflow finishes a write its writer left half done, so a crash between
the two steps loses nothing. On MongoDB the same steps are exact as well.
"""

import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bson.codec_options import CodecOptions, TypeEncoder, TypeRegistry
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from elevate_shared.durations import format_duration
from elevate_shared.records import WORKFLOWS_COLLECTION, OutboxEntry, WorkflowRecord
from elevate_workflow.adapters.store import PendingWrite, WorkflowStore
from elevate_workflow.domain.changes import Changes

Document = dict[str, Any]

#: Collection of writes: the log every change of a workflow is committed to.
WRITES_COLLECTION = "workflow_writes"
#: Most unfinished writes one load completes before giving up (each is a crash's leftover).
MAX_CATCH_UP = 50


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
        self._writes: AsyncCollection[Document] = database.get_collection(
            WRITES_COLLECTION, codec_options=CODEC_OPTIONS
        )

    async def ensure_indexes(self) -> None:
        """Create the indexes the timer loop, the relay and the sweep query by."""
        await self._workflows.create_index([("due_at", ASCENDING)], name="due_at")
        await self._writes.create_index(
            [("workflow_id", ASCENDING), ("base_version", ASCENDING)], name="workflow"
        )
        await self._writes.create_index(
            [("published", ASCENDING), ("at", ASCENDING)], name="unpublished"
        )

    async def create(self, record: WorkflowRecord, outbox: Sequence[OutboxEntry] = ()) -> bool:
        """Commit the first write; a duplicate means an earlier delivery created it."""
        try:
            await self._writes.insert_one(_write(0, record, outbox))
        except DuplicateKeyError:
            return False
        await self._insert_record(_record_document(record))
        return True

    async def load(self, workflow_id: str) -> WorkflowRecord | None:
        """Read the record, finishing first any committed write not applied yet."""
        document = await self._workflows.find_one({"_id": workflow_id})
        if document is None:
            document = await self._finish_creation(workflow_id)
        for _ in range(MAX_CATCH_UP):
            if document is None:
                return None
            base = document["doc_version"]
            pending = await self._writes.find_one({"_id": _write_id(workflow_id, base)})
            if pending is None:
                return WorkflowRecord.model_validate(document)
            document = pending["record"]
            await self._replace_record(base, document)
        raise RuntimeError(f"workflow {workflow_id!r} has too many unfinished writes")

    async def apply(self, record: WorkflowRecord, changes: Changes) -> WorkflowRecord | None:
        """Commit the write over ``record``'s version, then replace the record."""
        base = record.doc_version
        try:
            await self._writes.insert_one(_write(base, changes.after, changes.outbox))
        except DuplicateKeyError:
            return None  # another write over this version is committed; load finishes it
        await self._replace_record(base, _record_document(changes.after))
        return changes.after

    async def due(self, now: datetime, limit: int) -> list[WorkflowRecord]:
        """Find records whose timer is due, the most overdue first."""
        cursor = self._workflows.find({"due_at": {"$lte": now}}).sort("due_at", ASCENDING)
        return [WorkflowRecord.model_validate(d) async for d in cursor.limit(limit)]

    async def unpublished(self, workflow_id: str) -> list[PendingWrite]:
        """List the workflow's writes whose messages are not marked published."""
        query = {"workflow_id": workflow_id, "published": False}
        cursor = self._writes.find(query).sort("base_version", ASCENDING)
        return [_pending(document) async for document in cursor]

    async def mark_published(self, writes: Sequence[PendingWrite]) -> None:
        """Mark the writes published. Only relays touch this flag, all setting it true."""
        if writes:
            ids = [write.write_id for write in writes]
            await self._writes.update_many({"_id": {"$in": ids}}, {"$set": {"published": True}})

    async def left_unpublished(self, older_than: datetime, limit: int) -> list[str]:
        """Find workflows with writes left unpublished since before ``older_than``."""
        query = {"published": False, "at": {"$lte": older_than}}
        cursor = self._writes.find(query, {"workflow_id": 1}).sort("at", ASCENDING)
        ids = [document["workflow_id"] async for document in cursor.limit(limit)]
        return list(dict.fromkeys(ids))

    async def _insert_record(self, document: Document) -> None:
        """Store a new workflow's record; a duplicate means a reader stored it first."""
        with contextlib.suppress(DuplicateKeyError):
            await self._workflows.insert_one(document)

    async def _replace_record(self, base_version: int, document: Document) -> None:
        """Apply a committed write to the record, unless it moved past its base already."""
        query = {"_id": document["_id"], "doc_version": base_version}
        await self._workflows.replace_one(query, document)

    async def _finish_creation(self, workflow_id: str) -> Document | None:
        first = await self._writes.find_one({"_id": _write_id(workflow_id, 0)})
        if first is None:
            return None
        await self._insert_record(first["record"])
        record: Document = first["record"]
        return record


def _write_id(workflow_id: str, base_version: int) -> str:
    return f"{workflow_id}#{base_version}"


def _write(base_version: int, record: WorkflowRecord, outbox: Sequence[OutboxEntry]) -> Document:
    workflow_id = record.workflow_id
    return {
        "_id": _write_id(workflow_id, base_version),
        "workflow_id": workflow_id,
        "base_version": base_version,
        "event_id": record.applied_events[-1] if record.applied_events else None,
        "at": record.updated_at,
        "record": _record_document(record),
        "outbox": [entry.model_dump() for entry in outbox],
        # Nothing to send is as good as sent: such writes stay out of the relay's way.
        "published": not outbox,
    }


def _record_document(record: WorkflowRecord) -> Document:
    return record.model_dump(by_alias=True)


def _pending(document: Document) -> PendingWrite:
    entries = tuple(OutboxEntry.model_validate(entry) for entry in document["outbox"])
    return PendingWrite(write_id=document["_id"], entries=entries)
