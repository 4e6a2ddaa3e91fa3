"""Workflow records in MongoDB (FerretDB locally), committed through a write log.

``workflows`` holds one document per workflow (:class:`WorkflowRecord`, ``_id`` =
workflow id), the shape the gateway reads. ``workflow_writes`` holds one document per
write, with the whole record it produces and the messages it sends; its ``_id`` is
``<workflow id>#<version written over>``.

Why a write log: FerretDB 1.24 does not apply an update atomically. It reads the
document, changes it, and writes it back whole, so two concurrent updates can both
match ``{_id, doc_version}`` and one silently undoes the other (measured: even updates
of different fields are lost). Inserting a document with a unique ``_id`` is atomic on
every server, so inserting the write is the commit point: of two writers starting from
the same version, exactly one inserts ``<id>#<version>``, the other gets a duplicate key
and decides again. The record is then replaced (filtered on the version written over);
whoever loads a workflow first finishes a write its writer left half done, so a crash
between the two steps loses nothing. On MongoDB the same steps are exact as well.

FerretDB also reads every document for a filter other than ``_id``, so the hot paths
read by ``_id`` or from small collections: the timer index (:mod:`.mongo_timers`) and
the outbox markers (:mod:`.mongo_outbox`).
"""

import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from bson.codec_options import CodecOptions, TypeEncoder, TypeRegistry
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from elevate_shared.durations import format_duration
from elevate_shared.records import WORKFLOWS_COLLECTION, OutboxEntry, WorkflowRecord
from elevate_workflow.adapters.mongo_outbox import ABANDONED_AFTER, OutboxMarkers
from elevate_workflow.adapters.mongo_timers import TimerIndex
from elevate_workflow.adapters.store import DueTimer, PendingWrite, WorkflowStore
from elevate_workflow.domain.changes import Changes
from elevate_workflow.domain.clock import utcnow

Document = dict[str, Any]

#: The write log: every committed change of every workflow.
WRITES_COLLECTION = "workflow_writes"
#: The timer index.
TIMERS_COLLECTION = "workflow_timers"
#: The outbox markers.
OUTBOX_COLLECTION = "workflow_outbox"
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
        collection = partial(database.get_collection, codec_options=CODEC_OPTIONS)
        self._workflows: AsyncCollection[Document] = collection(WORKFLOWS_COLLECTION)
        self._writes: AsyncCollection[Document] = collection(WRITES_COLLECTION)
        self._timers = TimerIndex(collection(TIMERS_COLLECTION))
        self._markers = OutboxMarkers(collection(OUTBOX_COLLECTION))

    async def ensure_indexes(self) -> None:
        """Create the indexes of the timer index and the outbox markers."""
        await self._timers.ensure_indexes()
        await self._markers.ensure_indexes()

    async def restore_timers(self) -> None:
        """Copy every record's timer into the index, in case a crash or an error lost one."""
        async for record in self._workflows.find({"timer": {"$ne": None}}):
            await self._timers.copy(record)

    async def create(self, record: WorkflowRecord, outbox: Sequence[OutboxEntry] = ()) -> bool:
        """Commit the first write; a duplicate means an earlier delivery created it."""
        if not await self._commit(0, record, outbox):
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
        if not await self._commit(base, changes.after, changes.outbox):
            return None  # another write over this version is committed; load finishes it
        await self._replace_record(base, _record_document(changes.after))
        return changes.after

    async def due(self, now: datetime, limit: int) -> list[DueTimer]:
        """Find due timers in the timer index."""
        return await self._timers.due(now, limit)

    async def reindex_timer(self, workflow_id: str) -> None:
        """Copy the record's timer into the index again."""
        record = await self.load(workflow_id)
        if record is None:
            await self._timers.drop(workflow_id)
        else:
            await self._timers.copy(_record_document(record))

    async def unpublished(self, workflow_id: str) -> list[PendingWrite]:
        """List committed writes that have markers, in write order, with their markers."""
        markers: dict[str, list[str]] = {}
        abandoned = []
        for marker in await self._markers.of(workflow_id):
            markers.setdefault(marker["write_id"], []).append(marker["_id"])
            if marker["at"] < utcnow() - ABANDONED_AFTER:
                abandoned.append(marker["_id"])
        pending = []
        for write_id, ids in markers.items():
            write = await self._writes.find_one({"_id": write_id})
            if write is not None:
                entries = tuple(OutboxEntry.model_validate(e) for e in write["outbox"])
                pending.append(PendingWrite(write_id, entries, tuple(ids)))
            else:
                # Not committed yet, or never: a writer that died before committing.
                await self._markers.remove([i for i in ids if i in abandoned])
        return pending

    async def mark_published(self, writes: Sequence[PendingWrite]) -> None:
        """Drop the markers of the published writes."""
        await self._markers.remove([marker for write in writes for marker in write.markers])

    async def left_unpublished(self, older_than: datetime, limit: int) -> list[str]:
        """Find workflows with markers older than ``older_than``."""
        markers = await self._markers.older_than(older_than, limit)
        return list(dict.fromkeys(marker["workflow_id"] for marker in markers))

    async def _commit(
        self, base_version: int, record: WorkflowRecord, outbox: Sequence[OutboxEntry]
    ) -> bool:
        """Insert the write; True if it is the one write over ``base_version``."""
        write_id = _write_id(record.workflow_id, base_version)
        marker = None
        if outbox:
            marker = await self._markers.add(
                write_id, record.workflow_id, base_version, record.updated_at
            )
        try:
            await self._writes.insert_one(_write(write_id, base_version, record, outbox))
        except DuplicateKeyError:
            await self._markers.remove([marker] if marker else [])
            return False
        return True

    async def _insert_record(self, document: Document) -> None:
        """Store a new workflow's record; a duplicate means a reader stored it first."""
        with contextlib.suppress(DuplicateKeyError):
            await self._workflows.insert_one(document)
        await self._timers.copy(document)

    async def _replace_record(self, base_version: int, document: Document) -> None:
        """Apply a committed write to the record, unless it moved past its base already."""
        query = {"_id": document["_id"], "doc_version": base_version}
        await self._workflows.replace_one(query, document)
        await self._timers.copy(document)

    async def _finish_creation(self, workflow_id: str) -> Document | None:
        first = await self._writes.find_one({"_id": _write_id(workflow_id, 0)})
        if first is None:
            return None
        await self._insert_record(first["record"])
        record: Document = first["record"]
        return record


def _write_id(workflow_id: str, base_version: int) -> str:
    return f"{workflow_id}#{base_version}"


def _write(
    write_id: str, base_version: int, record: WorkflowRecord, outbox: Sequence[OutboxEntry]
) -> Document:
    return {
        "_id": write_id,
        "workflow_id": record.workflow_id,
        "base_version": base_version,
        "event_id": record.applied_events[-1] if record.applied_events else None,
        "at": record.updated_at,
        "record": _record_document(record),
        "outbox": [entry.model_dump() for entry in outbox],
    }


def _record_document(record: WorkflowRecord) -> Document:
    return record.model_dump(by_alias=True)
