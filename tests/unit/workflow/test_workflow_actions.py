from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.unit.workflow.conftest import World

from elevate_shared.messages import (
    AccessGranted,
    CancelElevation,
    EndAccess,
    Principal,
    ResumeWorkflow,
    RevokeAccess,
)
from elevate_shared.states import WorkflowState

S = WorkflowState
ADMIN = Principal(subject="root@example.com", authenticator="oidc", admin=True)
LEAD = Principal(subject="lead@example.com", authenticator="oidc")
MALLORY = Principal(subject="mallory@example.com", authenticator="oidc")
REQUESTER = Principal(subject="alice@example.com", authenticator="oidc")
SRE = Principal(subject="bob@example.com", authenticator="oidc", groups=("sre-leads",))


async def active(world: World, role: str = "s3-reader") -> str:
    command = world.request(role=role, duration="PT10M")
    await world.send(command)
    workflow_id = command.workflow_id
    if role == "admin":
        token = world.tokens.token(workflow_id, "lead@example.com")
        await world.send(
            ResumeWorkflow(workflow_id=workflow_id, task_token=token, actor=LEAD, approved=True)
        )
    grant_id = f"{workflow_id}-aws"
    await world.send(AccessGranted(workflow_id=workflow_id, grant_id=grant_id, provider="aws"))
    return workflow_id


async def test_the_requester_can_cancel_a_pending_request(world: World) -> None:
    command = world.request(role="admin")
    await world.send(command)

    await world.send(CancelElevation(workflow_id=command.workflow_id, actor=REQUESTER))

    record = world.record(command.workflow_id)
    assert record.state is S.CANCELLED
    assert record.timer is None
    [notice] = [n for n in await world.notifications() if n.kind == "cancelled"]
    assert notice.workflow_id == command.workflow_id


async def test_only_the_requester_can_cancel(world: World) -> None:
    command = world.request(role="admin")
    await world.send(command)

    await world.send(CancelElevation(workflow_id=command.workflow_id, actor=ADMIN))

    record = world.record(command.workflow_id)
    assert record.state is S.AWAITING_APPROVAL
    assert record.history[-1].reason == "only the requester may cancel a request"
    assert record.history[-1].actor == ADMIN


async def test_a_request_being_provisioned_cannot_be_cancelled(world: World) -> None:
    command = world.request()
    await world.send(command)

    await world.send(CancelElevation(workflow_id=command.workflow_id, actor=REQUESTER))

    record = world.record(command.workflow_id)
    assert record.state is S.PROVISIONING
    assert "cannot go from provisioning to cancelled" in record.history[-1].reason


async def test_ending_access_early_revokes_now_and_drops_the_expiry(world: World) -> None:
    workflow_id = await active(world)

    await world.send(EndAccess(workflow_id=workflow_id, actor=REQUESTER))

    record = world.record(workflow_id)
    assert record.state is S.REVOKING
    assert record.timer == "revoke_retry"
    assert record.due_at == world.clock.now + world.context.policy.revoke_timeout
    assert isinstance(world.publisher.commands(workflow_id)[-1], RevokeAccess)


async def test_an_approver_of_the_workflow_can_end_access(world: World) -> None:
    workflow_id = await active(world, role="admin")

    await world.send(EndAccess(workflow_id=workflow_id, actor=SRE))

    assert world.record(workflow_id).state is S.REVOKING


async def test_the_requester_spelled_in_another_case_can_end_access(world: World) -> None:
    workflow_id = await active(world)
    shouting = Principal(subject="ALICE@example.com", authenticator="oidc")

    await world.send(EndAccess(workflow_id=workflow_id, actor=shouting))

    assert world.record(workflow_id).state is S.REVOKING


async def test_an_admin_can_end_anyones_access(world: World) -> None:
    workflow_id = await active(world)

    await world.send(EndAccess(workflow_id=workflow_id, actor=ADMIN))

    assert world.record(workflow_id).state is S.REVOKING


async def test_nobody_else_can_end_access(world: World) -> None:
    workflow_id = await active(world)
    impostor = Principal(subject="mallory@example.com", authenticator="oidc", groups=("admins",))

    await world.send(EndAccess(workflow_id=workflow_id, actor=impostor))
    await world.send(EndAccess(workflow_id=workflow_id, actor=MALLORY))

    record = world.record(workflow_id)
    assert record.state is S.ACTIVE
    assert [e.accepted for e in record.history[-2:]] == [False, False]


async def test_access_that_is_not_active_cannot_be_ended(world: World) -> None:
    workflow_id = await active(world)
    world.clock.advance(timedelta(minutes=10))
    await world.fire_timers()

    await world.send(EndAccess(workflow_id=workflow_id, actor=REQUESTER))

    revokes = [c for c in world.publisher.commands(workflow_id) if isinstance(c, RevokeAccess)]
    assert len(revokes) == 1
    assert world.record(workflow_id).history[-1].accepted is False


async def test_people_hear_that_access_was_granted(world: World) -> None:
    workflow_id = await active(world, role="admin")

    kinds = [n.kind for n in await world.notifications() if n.workflow_id == workflow_id]

    assert kinds == ["approval_needed", "granted"]
