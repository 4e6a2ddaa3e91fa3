from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.unit.workflow.conftest import World

from elevate_shared.messages import AccessGranted
from elevate_workflow.entrypoints.loops import background_loops
from elevate_workflow.settings import WorkflowSettings


async def test_a_redelivered_request_indexes_its_timer_again(world: World) -> None:
    command = world.request()
    await world.send(command)
    assert world.store.reindexed == []

    # The first delivery stored the record, then failed to index its timer: Kafka retries.
    await world.send(command)

    assert world.store.reindexed == [command.workflow_id]


async def test_a_redelivered_result_indexes_its_timer_again(world: World) -> None:
    command = world.request()
    await world.send(command)
    result = AccessGranted(
        workflow_id=command.workflow_id, grant_id=f"{command.workflow_id}-aws", provider="aws"
    )
    await world.send(result)
    assert world.store.reindexed == []

    await world.send(result)

    assert world.store.reindexed == [command.workflow_id]


async def test_the_timer_index_is_rebuilt_again_and_again_after_start(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuild = world.store.restore_timers
    rebuilt_twice = asyncio.Event()

    async def counted_rebuild() -> None:
        await rebuild()
        if world.store.restores == 2:
            rebuilt_twice.set()

    monkeypatch.setattr(world.store, "restore_timers", counted_rebuild)
    settings = WorkflowSettings(
        timer_restore_seconds=0.01, timer_poll_seconds=0.01, outbox_sweep_seconds=0.01
    )
    stopping = asyncio.Event()
    loops = [
        asyncio.create_task(loop) for loop in background_loops(world.context, settings, stopping)
    ]

    await asyncio.sleep(0)
    assert world.store.restores == 0  # the start already rebuilt it: the loop waits first
    await asyncio.wait_for(rebuilt_twice.wait(), timeout=10)
    stopping.set()
    await asyncio.gather(*loops)
