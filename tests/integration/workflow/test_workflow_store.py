"""The MongoDB store on the real server: the write guard, duplicates, timers, the log."""

import asyncio
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from elevate_shared.messages import Principal, RequestElevation
from elevate_shared.records import WorkflowRecord
from elevate_shared.states import WorkflowState
from elevate_workflow.adapters.mongo_store import MongoWorkflowStore
from elevate_workflow.domain.changes import Changes, prepare
from elevate_workflow.domain.clock import utcnow
from elevate_workflow.domain.decision import Decision, Move, Timer
from elevate_workflow.domain.requests import new_record

pytestmark = pytest.mark.stack

S = WorkflowState
REQUESTER = Principal(subject="alice@example.com", authenticator="oidc")


class CrashingStore(MongoWorkflowStore):
    """Commits writes, then dies before applying them to the record."""

    async def _insert_record(self, document: dict[str, Any]) -> None:
        raise ConnectionError("the process died here")

    async def _replace_record(self, base_version: int, document: dict[str, Any]) -> None:
        raise ConnectionError("the process died here")


def creation(**fields: Any) -> Changes:
    command = RequestElevation(
        workflow_id=f"wf_{uuid4().hex[:16]}",
        execution_id="exec_store",
        requester=REQUESTER,
        role="s3-reader",
        providers=("aws",),
        reason="store test",
    )
    record = new_record(command, utcnow())
    decision = Decision("create", moves=(Move(S.REQUESTED, "test"),), updates=fields)
    return prepare(record, decision, record.created_at)


async def stored(store: MongoWorkflowStore, **fields: Any) -> WorkflowRecord:
    """Create a workflow in ``requested``, with its status event unpublished."""
    changes = creation(**fields)
    assert await store.create(changes.after, changes.outbox)
    loaded = await store.load(changes.after.workflow_id)
    assert loaded is not None
    return loaded


def move(record: WorkflowRecord, event_id: str, to_state: WorkflowState) -> Changes:
    return prepare(record, Decision(event_id, moves=(Move(to_state, event_id),)), utcnow())


@pytest.mark.parametrize("round_", range(10))
async def test_of_concurrent_writes_from_one_version_exactly_one_wins(
    store: MongoWorkflowStore, round_: int
) -> None:
    record = await stored(store)
    targets = [S.VALIDATING, S.CANCELLED, S.VALIDATING, S.CANCELLED]
    writes = [move(record, f"w{i}", state) for i, state in enumerate(targets)]

    results = await asyncio.gather(*(store.apply(record, w) for w in writes))

    winners = [w for w, result in zip(writes, results, strict=True) if result is not None]
    assert len(winners) == 1
    final = await store.load(record.workflow_id)
    assert final is not None
    assert final.applied_events[-1] == winners[0].event_id
    assert final.doc_version == record.doc_version + 1
    assert len(final.history) == 2


async def test_a_second_create_of_the_same_workflow_is_refused(store: MongoWorkflowStore) -> None:
    changes = creation()
    assert await store.create(changes.after, changes.outbox)

    assert await store.create(changes.after) is False


async def test_a_record_reads_back_as_it_was_written(store: MongoWorkflowStore) -> None:
    record = await stored(store, duration=timedelta(minutes=90))

    assert record.duration == timedelta(minutes=90)
    assert record.created_at.tzinfo is not None
    assert record.state is S.REQUESTED


async def test_only_due_timers_are_found(store: MongoWorkflowStore) -> None:
    now = utcnow()
    due = await stored(store)
    later = await stored(store)
    await store.apply(due, prepare(due, Decision("t1", timer=Timer("expiry", now)), now))
    later_timer = Timer("expiry", now + timedelta(hours=1))
    await store.apply(later, prepare(later, Decision("t2", timer=later_timer), now))

    found = {r.workflow_id for r in await store.due(now, 1000)}

    assert due.workflow_id in found
    assert later.workflow_id not in found


async def test_messages_stay_unpublished_until_marked(store: MongoWorkflowStore) -> None:
    record = await stored(store)
    [pending] = await store.unpublished(record.workflow_id)
    assert pending.entries[0].payload["to_state"] == "requested"

    await store.mark_published([pending])

    assert await store.unpublished(record.workflow_id) == []


async def test_writes_left_unpublished_are_found_once_old_enough(
    store: MongoWorkflowStore,
) -> None:
    record = await stored(store)

    young = await store.left_unpublished(record.created_at - timedelta(seconds=1), 1000)
    old = await store.left_unpublished(record.created_at + timedelta(seconds=1), 1000)

    assert record.workflow_id not in young
    assert record.workflow_id in old


async def test_a_write_committed_by_a_process_that_died_is_finished_by_the_next_load(
    store: MongoWorkflowStore, database: AsyncDatabase[dict[str, Any]]
) -> None:
    record = await stored(store)
    crashing = CrashingStore(database)
    with pytest.raises(ConnectionError):
        await crashing.apply(record, move(record, "half-done", S.VALIDATING))

    loaded = await store.load(record.workflow_id)

    assert loaded is not None
    assert loaded.state is S.VALIDATING
    assert loaded.applied_events[-1] == "half-done"
    assert await store.apply(record, move(record, "late", S.CANCELLED)) is None


async def test_a_creation_cut_short_is_finished_by_the_next_load(
    database: AsyncDatabase[dict[str, Any]], store: MongoWorkflowStore
) -> None:
    changes = creation()
    with pytest.raises(ConnectionError):
        await CrashingStore(database).create(changes.after, changes.outbox)

    loaded = await store.load(changes.after.workflow_id)

    assert loaded is not None
    assert loaded.state is S.REQUESTED
    assert await store.create(changes.after) is False


async def test_the_timer_index_follows_the_record(store: MongoWorkflowStore) -> None:
    record = await stored(store)
    now = utcnow()
    timed = await store.apply(
        record, prepare(record, Decision("t", timer=Timer("expiry", now)), now)
    )
    assert timed is not None
    assert record.workflow_id in {t.workflow_id for t in await store.due(now, 1000)}

    cleared = await store.apply(timed, prepare(timed, Decision("c", timer=None), now))

    assert cleared is not None
    assert record.workflow_id not in {t.workflow_id for t in await store.due(now, 1000)}


async def test_a_lost_timer_index_entry_is_restored_at_start(
    store: MongoWorkflowStore, database: AsyncDatabase[dict[str, Any]]
) -> None:
    record = await stored(store)
    now = utcnow()
    await store.apply(record, prepare(record, Decision("t", timer=Timer("expiry", now)), now))
    await database["workflow_timers"].delete_one({"_id": record.workflow_id})

    await store.restore_timers()

    assert record.workflow_id in {t.workflow_id for t in await store.due(now, 1000)}


async def test_only_the_winning_writes_messages_wait_to_be_published(
    store: MongoWorkflowStore,
) -> None:
    record = await stored(store)
    [created] = await store.unpublished(record.workflow_id)
    await store.mark_published([created])
    writes = [move(record, f"r{i}", S.VALIDATING) for i in range(3)]

    results = await asyncio.gather(*(store.apply(record, w) for w in writes))

    [winner] = [w for w, r in zip(writes, results, strict=True) if r is not None]
    [pending] = await store.unpublished(record.workflow_id)
    assert [e.payload["event_id"] for e in pending.entries] == [
        e.payload["event_id"] for e in winner.outbox
    ]
