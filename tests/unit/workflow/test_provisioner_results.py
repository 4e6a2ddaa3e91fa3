from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from elevate_shared.messages import Principal

if TYPE_CHECKING:
    from tests.unit.workflow.conftest import World

from elevate_shared.messages import (
    AccessGranted,
    AccessRevoked,
    CancelElevation,
    GrantFailed,
    RevokeAccess,
    RevokeFailed,
)
from elevate_shared.states import WorkflowState
from elevate_workflow.domain.policy import TimerPolicy

S = WorkflowState
REQUESTER = Principal(subject="alice@example.com", authenticator="oidc")


def granted(workflow_id: str, provider: str = "aws") -> AccessGranted:
    return AccessGranted(
        workflow_id=workflow_id, grant_id=f"{workflow_id}-{provider}", provider=provider
    )


def revoked(workflow_id: str, provider: str = "aws") -> AccessRevoked:
    return AccessRevoked(
        workflow_id=workflow_id, grant_id=f"{workflow_id}-{provider}", provider=provider
    )


def revoke_failed(workflow_id: str) -> RevokeFailed:
    grant_id = f"{workflow_id}-aws"
    return RevokeFailed(
        workflow_id=workflow_id, grant_id=grant_id, provider="aws", reason="throttled"
    )


async def provisioning(world: World) -> str:
    command = world.request(duration="PT10M")
    await world.send(command)
    return command.workflow_id


async def active(world: World) -> str:
    workflow_id = await provisioning(world)
    await world.send(granted(workflow_id))
    return workflow_id


async def test_access_counts_from_activation_not_from_the_request(world: World) -> None:
    workflow_id = await provisioning(world)
    world.clock.advance(timedelta(minutes=3))

    await world.send(granted(workflow_id))

    record = world.record(workflow_id)
    assert record.state is S.ACTIVE
    assert record.activated_at == world.clock.now
    assert record.expires_at == world.clock.now + timedelta(minutes=10)
    # The first timer warns that access expires soon, a quarter of the duration before.
    assert (record.timer, record.due_at) == (
        "expiry_warning",
        record.expires_at - timedelta(minutes=2, seconds=30),
    )
    assert world.publisher.statuses(workflow_id)[-1].expires_at == record.expires_at


async def test_the_same_grant_result_twice_changes_nothing_the_second_time(world: World) -> None:
    workflow_id = await provisioning(world)
    result = granted(workflow_id)

    await world.send(result)
    await world.send(result)
    await world.send(granted(workflow_id))  # the same fact, reported under a new event id

    assert world.states(workflow_id).count("active") == 1
    assert world.record(workflow_id).doc_version == 5


async def test_a_grant_arriving_after_cancellation_is_revoked(world: World) -> None:
    command = world.request(role="admin")
    await world.send(command)
    await world.send(CancelElevation(workflow_id=command.workflow_id, actor=REQUESTER))

    await world.send(granted(command.workflow_id))  # a stray grant: no workflow wants it

    [revoke] = world.publisher.commands(command.workflow_id)
    assert isinstance(revoke, RevokeAccess)
    record = world.record(command.workflow_id)
    assert record.state is S.CANCELLED
    assert record.timer == "revoke_retry"  # and it will be chased until confirmed


def grant_failed(workflow_id: str, provider: str = "aws", reason: str = "denied") -> GrantFailed:
    return GrantFailed(
        workflow_id=workflow_id,
        grant_id=f"{workflow_id}-{provider}",
        provider=provider,
        reason=reason,
    )


def revoked_ids(world: World, workflow_id: str) -> list[str]:
    commands = world.publisher.commands(workflow_id)
    return [c.grant_id for c in commands if isinstance(c, RevokeAccess)]


async def test_a_failed_grant_fails_the_workflow_and_takes_back_every_grant(
    world: World,
) -> None:
    command = world.request(role="multi", providers=("aws", "aws-backup"))
    await world.send(command)
    workflow_id = command.workflow_id
    await world.send(granted(workflow_id, "aws"))

    await world.send(grant_failed(workflow_id, "aws-backup", "no such user"))

    record = world.record(workflow_id)
    assert record.state is S.FAILED
    assert "no such user" in record.history[-1].reason
    assert [g.state for g in record.grants] == ["revoking", "revoking"]
    assert record.grants[1].reason == "no such user"
    # The failed grant may have added some identities before failing: it is revoked too.
    assert revoked_ids(world, workflow_id) == [f"{workflow_id}-aws", f"{workflow_id}-aws-backup"]
    assert record.timer == "revoke_retry"


async def test_a_lone_failed_grant_is_revoked_until_the_provisioner_confirms(
    world: World,
) -> None:
    workflow_id = await provisioning(world)

    await world.send(grant_failed(workflow_id))

    record = world.record(workflow_id)
    assert record.state is S.FAILED
    assert revoked_ids(world, workflow_id) == [f"{workflow_id}-aws"]
    assert record.timer == "revoke_retry"

    world.clock.advance(world.context.policy.revoke_timeout)
    await world.fire_timers()  # no answer yet: the failed workflow sends the revoke again
    assert revoked_ids(world, workflow_id) == [f"{workflow_id}-aws"] * 2

    await world.send(revoked(workflow_id))
    record = world.record(workflow_id)
    assert (record.state, record.timer) == (S.FAILED, None)
    assert [g.state for g in record.grants] == ["revoked"]


async def test_a_failed_revoke_of_a_failed_grant_is_retried(world: World) -> None:
    workflow_id = await provisioning(world)
    await world.send(grant_failed(workflow_id))

    await world.send(revoke_failed(workflow_id))

    record = world.record(workflow_id)
    assert record.timer == "revoke_retry"
    world.clock.advance(record.due_at - world.clock.now if record.due_at else timedelta(0))
    await world.fire_timers()
    assert revoked_ids(world, workflow_id) == [f"{workflow_id}-aws"] * 2


async def test_the_timer_stays_until_every_compensating_revoke_is_confirmed(
    world: World,
) -> None:
    command = world.request(role="multi", providers=("aws", "aws-backup"))
    await world.send(command)
    workflow_id = command.workflow_id
    await world.send(granted(workflow_id, "aws"))
    await world.send(grant_failed(workflow_id, "aws-backup", "no such user"))

    await world.send(revoked(workflow_id, "aws"))
    assert world.record(workflow_id).timer == "revoke_retry"  # aws-backup may still hold

    await world.send(revoked(workflow_id, "aws-backup"))
    record = world.record(workflow_id)
    assert record.state is S.FAILED
    assert record.timer is None
    assert [g.state for g in record.grants] == ["revoked", "revoked"]


async def test_activation_waits_for_every_provider(world: World) -> None:
    command = world.request(role="multi", providers=("aws", "aws-backup"))
    await world.send(command)

    await world.send(granted(command.workflow_id, "aws"))
    assert world.record(command.workflow_id).state is S.PROVISIONING

    await world.send(granted(command.workflow_id, "aws-backup"))
    assert world.record(command.workflow_id).state is S.ACTIVE


async def test_revoked_everywhere_ends_the_workflow_and_its_timers(world: World) -> None:
    workflow_id = await active(world)
    world.clock.advance(timedelta(minutes=10))
    await world.fire_timers()

    await world.send(revoked(workflow_id))

    record = world.record(workflow_id)
    assert record.state is S.REVOKED
    assert record.timer is None
    assert record.due_at is None
    assert world.states(workflow_id)[-3:] == ["active", "revoking", "revoked"]


async def test_a_failed_revoke_is_retried_later_each_time_then_escalated(
    make_world: type[World],
) -> None:
    policy = TimerPolicy(
        revoke_retry_base=timedelta(seconds=5),
        revoke_retry_max=timedelta(seconds=30),
        revoke_escalate_after=3,
    )
    world = make_world(policy=policy)
    workflow_id = await active(world)
    world.clock.advance(timedelta(minutes=10))
    await world.fire_timers()

    waits = []
    for _ in range(4):
        await world.send(revoke_failed(workflow_id))
        record = world.record(workflow_id)
        waits.append(record.due_at - world.clock.now if record.due_at else None)
        world.clock.advance(record.due_at - world.clock.now if record.due_at else timedelta(0))
        await world.fire_timers()

    assert waits == [timedelta(seconds=s) for s in (5, 10, 20, 30)]
    revokes = [c for c in world.publisher.commands(workflow_id) if isinstance(c, RevokeAccess)]
    assert len(revokes) == 5  # the first, then one per retry
    escalations = [s for s in world.publisher.statuses(workflow_id) if "escalated" in s.reason]
    # Retries 3 and 4 reach the threshold: each is announced once, not once more for the
    # failure before it.
    assert [s.reason for s in escalations] == [
        "escalated: revoke sent again (retry 3) for 1 grant(s)",
        "escalated: revoke sent again (retry 4) for 1 grant(s)",
    ]
    assert world.record(workflow_id).revoke_attempts == 4
    assert all(s.from_state is s.to_state is S.REVOKING for s in escalations)
    assert world.record(workflow_id).state is S.REVOKING


async def test_a_revoke_confirmed_after_retries_ends_the_workflow(world: World) -> None:
    workflow_id = await active(world)
    world.clock.advance(timedelta(minutes=10))
    await world.fire_timers()
    await world.send(revoke_failed(workflow_id))

    await world.send(revoked(workflow_id))

    assert world.record(workflow_id).state is S.REVOKED
    assert world.record(workflow_id).timer is None


async def test_a_grant_the_workflow_never_asked_for_is_revoked(world: World) -> None:
    workflow_id = await active(world)

    await world.send(AccessGranted(workflow_id=workflow_id, grant_id="stray", provider="aws"))

    [revoke] = [c for c in world.publisher.commands(workflow_id) if isinstance(c, RevokeAccess)]
    assert revoke.grant_id == "stray"
    assert world.record(workflow_id).state is S.ACTIVE


async def test_a_revoke_result_for_an_unknown_grant_is_refused_and_recorded(world: World) -> None:
    workflow_id = await provisioning(world)

    await world.send(AccessRevoked(workflow_id=workflow_id, grant_id="stray", provider="aws"))

    entry = world.record(workflow_id).history[-1]
    assert not entry.accepted
    assert "no grant" in entry.reason
    assert world.record(workflow_id).state is S.PROVISIONING


async def test_a_stray_grant_while_active_never_drops_the_expiry(world: World) -> None:
    workflow_id = await active(world)  # expires in ten minutes
    expires_at = world.record(workflow_id).expires_at
    stray = AccessGranted(workflow_id=workflow_id, grant_id="stray", provider="aws")

    await world.send(stray)
    assert world.record(workflow_id).timer == "revoke_retry"  # due sooner than the expiry

    await world.send(AccessRevoked(workflow_id=workflow_id, grant_id="stray", provider="aws"))
    record = world.record(workflow_id)
    assert expires_at is not None
    warning_at = expires_at - timedelta(minutes=2, seconds=30)  # then the expiry itself
    assert (record.timer, record.due_at) == ("expiry_warning", warning_at)
    assert record.state is S.ACTIVE


async def test_an_expiry_sooner_than_a_revoke_deadline_stays_the_timer(world: World) -> None:
    command = world.request(duration="PT30S")
    await world.send(command)
    await world.send(granted(command.workflow_id))
    expires_at = world.record(command.workflow_id).expires_at

    await world.send(
        AccessGranted(workflow_id=command.workflow_id, grant_id="stray", provider="aws")
    )

    record = world.record(command.workflow_id)
    assert expires_at is not None
    warning_at = expires_at - timedelta(seconds=7.5)  # a quarter of the duration before
    assert (record.timer, record.due_at) == ("expiry_warning", warning_at)


async def test_a_stray_grant_while_provisioning_keeps_the_grant_deadline(world: World) -> None:
    workflow_id = await provisioning(world)
    deadline = world.record(workflow_id).due_at
    world.clock.advance(world.context.policy.grant_timeout - timedelta(seconds=10))

    await world.send(AccessGranted(workflow_id=workflow_id, grant_id="stray", provider="aws"))

    record = world.record(workflow_id)
    assert (record.timer, record.due_at) == ("grant_timeout", deadline)
