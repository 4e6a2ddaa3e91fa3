from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.unit.workflow.conftest import World

from elevate_shared.messages import AccessGranted, RevokeAccess
from elevate_shared.states import WorkflowState
from elevate_workflow.domain.requests import new_record
from elevate_workflow.domain.timers import on_timer
from elevate_workflow.handlers.timers import fire_timer

S = WorkflowState


async def active(world: World, duration: str = "PT10M") -> str:
    command = world.request(duration=duration)
    await world.send(command)
    grant_id = f"{command.workflow_id}-aws"
    await world.send(
        AccessGranted(workflow_id=command.workflow_id, grant_id=grant_id, provider="aws")
    )
    return command.workflow_id


async def test_nothing_fires_before_its_time(world: World) -> None:
    workflow_id = await active(world)
    world.clock.advance(timedelta(minutes=9, seconds=59))

    await world.fire_timers()

    assert world.record(workflow_id).state is S.ACTIVE


async def test_people_hear_that_access_expires_soon_then_it_expires(world: World) -> None:
    workflow_id = await active(world, duration="PT10M")
    world.clock.advance(timedelta(minutes=7, seconds=30))

    await world.fire_timers()

    record = world.record(workflow_id)
    assert record.state is S.ACTIVE
    assert record.warned_at == world.clock.now
    assert (record.timer, record.due_at) == ("expiry", record.expires_at)
    assert record.history[-1].reason.startswith("access expires at")

    world.clock.advance(timedelta(minutes=2, seconds=30))
    await world.fire_timers()

    assert world.record(workflow_id).state is S.REVOKING


async def test_a_warning_found_late_expires_the_access_instead(world: World) -> None:
    workflow_id = await active(world, duration="PT10M")
    world.clock.advance(timedelta(minutes=11))

    await world.fire_timers()

    record = world.record(workflow_id)
    assert record.state is S.REVOKING
    assert record.warned_at is None


def test_the_warning_is_a_notice_for_the_notify_steps(world: World) -> None:
    now = world.clock.now
    record = new_record(world.request(duration="PT10M"), now)
    stored = record.model_copy(
        update={
            "state": S.ACTIVE,
            "activated_at": now,
            "expires_at": now + timedelta(minutes=10),
            "timer": "expiry_warning",
            "due_at": now + timedelta(minutes=7),
        }
    )
    later = now + timedelta(minutes=7)

    decision = on_timer(stored, "expiry_warning", later, world.context.policy, later)

    assert decision is not None
    assert decision.notice == "expiring_soon"


async def test_expiry_revokes_every_grant(world: World) -> None:
    workflow_id = await active(world)
    world.clock.advance(timedelta(minutes=10))

    await world.fire_timers()

    record = world.record(workflow_id)
    assert record.state is S.REVOKING
    assert record.history[-1].reason == "access expired"
    revoke = world.publisher.commands(workflow_id)[-1]
    assert isinstance(revoke, RevokeAccess)
    assert revoke.grant_id == f"{workflow_id}-aws"
    assert record.timer == "revoke_retry"  # a revoke nobody answers is sent again


async def test_an_unanswered_revoke_is_sent_again(world: World) -> None:
    workflow_id = await active(world)
    world.clock.advance(timedelta(minutes=10))
    await world.fire_timers()
    world.clock.advance(world.context.policy.revoke_timeout)

    await world.fire_timers()

    revokes = [c for c in world.publisher.commands(workflow_id) if isinstance(c, RevokeAccess)]
    assert len(revokes) == 2
    assert revokes[0].event_id != revokes[1].event_id  # a retry is a new command
    assert world.record(workflow_id).revoke_attempts == 1


async def test_approvers_who_do_not_answer_time_the_request_out(world: World) -> None:
    command = world.request(role="admin")
    await world.send(command)
    world.clock.advance(timedelta(hours=1))

    await world.fire_timers()

    record = world.record(command.workflow_id)
    assert record.state is S.TIMED_OUT
    assert record.timer is None


async def test_a_workflow_may_deny_on_timeout(world: World) -> None:
    command = world.request(role="strict-admin")
    await world.send(command)
    world.clock.advance(timedelta(days=1))

    await world.fire_timers()

    assert world.record(command.workflow_id).state is S.DENIED


async def test_a_provisioner_that_never_answers_fails_the_workflow_and_revokes(
    world: World,
) -> None:
    command = world.request()
    await world.send(command)
    world.clock.advance(world.context.policy.grant_timeout)

    await world.fire_timers()

    record = world.record(command.workflow_id)
    assert record.state is S.FAILED
    revoke = world.publisher.commands(command.workflow_id)[-1]
    assert isinstance(revoke, RevokeAccess)  # the grant may still land: take it back
    assert record.timer == "revoke_retry"


async def test_two_replicas_firing_the_same_timer_apply_it_once(world: World) -> None:
    workflow_id = await active(world)
    world.clock.advance(timedelta(minutes=10))
    [seen_by_both] = await world.store.due(world.clock.now, 10)

    await fire_timer(seen_by_both, world.context)
    await fire_timer(seen_by_both, world.context)

    assert world.states(workflow_id).count("revoking") == 1
    revokes = [c for c in world.publisher.commands(workflow_id) if isinstance(c, RevokeAccess)]
    assert len(revokes) == 1


def test_a_timer_that_was_replaced_does_not_fire(world: World) -> None:
    now = world.clock.now
    stored = new_record(world.request(), now).model_copy(
        update={"timer": "expiry", "due_at": now, "state": S.ACTIVE}
    )
    later = now + timedelta(seconds=1)

    assert on_timer(stored, "expiry", later, world.context.policy, later) is None
    assert on_timer(stored, "grant_timeout", now, world.context.policy, later) is None


def test_a_timer_found_in_another_state_is_cleared_without_a_move(world: World) -> None:
    now = world.clock.now
    stored = new_record(world.request(), now).model_copy(
        update={"timer": "expiry", "due_at": now, "state": S.PROVISIONING}
    )

    decision = on_timer(stored, "expiry", now, world.context.policy, now)

    assert decision is not None
    assert decision.moves == ()
    assert decision.timer is None
