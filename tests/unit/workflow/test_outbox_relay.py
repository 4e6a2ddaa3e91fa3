from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.unit.workflow.conftest import World

from elevate_shared.errors import NotFound
from elevate_shared.messages import AccessGranted
from elevate_shared.states import WorkflowState
from elevate_shared.topics import PROVISIONER_COMMANDS, WORKFLOW_STATUS

S = WorkflowState
STALE = timedelta(seconds=5)


async def test_published_entries_leave_the_outbox(world: World) -> None:
    command = world.request()

    await world.send(command)

    assert world.store.unsent(command.workflow_id) == []
    topics = [entry.topic for entry in world.publisher.published]
    assert topics == [WORKFLOW_STATUS] * 4 + [PROVISIONER_COMMANDS]


async def test_with_kafka_down_the_change_is_kept_and_the_sweep_sends_it_later(
    world: World,
) -> None:
    command = world.request()
    world.publisher.failing = True

    await world.send(command)

    assert len(world.store.unsent(command.workflow_id)) == 5
    assert world.record(command.workflow_id).state is S.PROVISIONING

    world.publisher.failing = False
    world.clock.advance(STALE)
    swept = await world.context.relay.sweep(world.clock.now, STALE, 100)

    assert swept == 1
    assert world.store.unsent(command.workflow_id) == []
    assert world.states(command.workflow_id) == [
        "requested",
        "validating",
        "approved",
        "provisioning",
    ]


async def test_the_sweep_leaves_fresh_outboxes_to_their_writer(world: World) -> None:
    world.publisher.failing = True
    await world.send(world.request())
    world.publisher.failing = False

    swept = await world.context.relay.sweep(world.clock.now, STALE, 100)

    assert swept == 0
    assert world.publisher.published == []


async def test_entries_left_behind_go_out_before_newer_ones_in_write_order(world: World) -> None:
    command = world.request()
    world.publisher.failing = True
    await world.send(command)
    world.publisher.failing = False
    grant_id = f"{command.workflow_id}-aws"

    await world.send(
        AccessGranted(workflow_id=command.workflow_id, grant_id=grant_id, provider="aws")
    )

    versions = [s.document_version for s in world.publisher.statuses(command.workflow_id)]
    assert versions == [1, 2, 3, 4, 5]
    assert world.store.unsent(command.workflow_id) == []


async def test_a_message_for_an_unknown_workflow_is_not_found(world: World) -> None:

    with pytest.raises(NotFound):
        await world.send(AccessGranted(workflow_id="wf_nobody", grant_id="g", provider="aws"))
