from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.unit.workflow.conftest import World

from elevate_shared.messages import CancelElevation, GrantAccess, Principal, ResumeWorkflow
from elevate_shared.states import WorkflowState

S = WorkflowState
CAROL = Principal(subject="carol@example.com", authenticator="oidc")
LEAD = Principal(subject="lead@example.com", authenticator="oidc")
MALLORY = Principal(subject="mallory@example.com", authenticator="oidc")
REQUESTER = Principal(subject="alice@example.com", authenticator="oidc")
SRE = Principal(subject="bob@example.com", authenticator="oidc", groups=("sre-leads",))


async def waiting(world: World, role: str = "admin") -> str:
    command = world.request(role=role)
    await world.send(command)
    return command.workflow_id


def answer(
    world: World, workflow_id: str, approver: str, actor: Principal, *, approved: bool = True
) -> ResumeWorkflow:
    return ResumeWorkflow(
        workflow_id=workflow_id,
        task_token=world.tokens.token(workflow_id, approver),
        actor=actor,
        approved=approved,
    )


def last_line(world: World, workflow_id: str) -> tuple[bool, str]:
    entry = world.record(workflow_id).history[-1]
    return entry.accepted, entry.reason


async def test_one_approval_starts_provisioning(world: World) -> None:
    workflow_id = await waiting(world)

    await world.send(answer(world, workflow_id, "lead@example.com", LEAD))

    record = world.record(workflow_id)
    assert record.state is S.PROVISIONING
    assert world.states(workflow_id)[-2:] == ["approved", "provisioning"]
    assert isinstance(world.publisher.commands(workflow_id)[0], GrantAccess)
    assert record.tokens[1].used_at == world.clock.now
    assert record.approvals[0].approver == LEAD


async def test_a_group_member_answers_for_the_group(world: World) -> None:
    workflow_id = await waiting(world)

    await world.send(answer(world, workflow_id, "group:sre-leads", SRE))

    assert world.record(workflow_id).state is S.PROVISIONING


async def test_two_of_three_needs_two_different_people(world: World) -> None:
    workflow_id = await waiting(world, "db-admin")

    await world.send(answer(world, workflow_id, "lead@example.com", LEAD))
    assert world.record(workflow_id).state is S.AWAITING_APPROVAL
    assert last_line(world, workflow_id) == (True, "approved by lead@example.com (1 of 2)")

    await world.send(answer(world, workflow_id, "carol@example.com", CAROL))
    assert world.record(workflow_id).state is S.PROVISIONING


async def test_one_deny_ends_the_request(world: World) -> None:
    workflow_id = await waiting(world, "db-admin")
    await world.send(answer(world, workflow_id, "lead@example.com", LEAD))

    await world.send(answer(world, workflow_id, "carol@example.com", CAROL, approved=False))

    record = world.record(workflow_id)
    assert record.state is S.DENIED
    assert record.timer is None
    assert world.publisher.commands(workflow_id) == []


async def test_nobody_approves_their_own_request(world: World) -> None:
    workflow_id = await waiting(world)
    lead_asking = world.request(role="admin", requester=LEAD, identities=("lead@example.com",))
    await world.send(lead_asking)

    await world.send(answer(world, lead_asking.workflow_id, "lead@example.com", LEAD))

    assert world.record(lead_asking.workflow_id).state is S.AWAITING_APPROVAL
    accepted, reason = last_line(world, lead_asking.workflow_id)
    assert not accepted
    assert "asked for or would benefit from" in reason
    del workflow_id


async def test_an_approver_cannot_approve_access_given_to_them(world: World) -> None:
    command = world.request(role="admin", identities=("alice@example.com", "lead@example.com"))
    await world.send(command)

    await world.send(answer(world, command.workflow_id, "lead@example.com", LEAD))

    assert world.record(command.workflow_id).state is S.AWAITING_APPROVAL


async def test_a_workflow_may_allow_self_approval(world: World) -> None:
    workflow_id = await waiting(world, "self-admin")

    await world.send(answer(world, workflow_id, "alice@example.com", REQUESTER))

    assert world.record(workflow_id).state is S.PROVISIONING


async def test_someone_else_holding_the_token_is_refused(world: World) -> None:
    workflow_id = await waiting(world)

    await world.send(answer(world, workflow_id, "lead@example.com", MALLORY))

    assert world.record(workflow_id).state is S.AWAITING_APPROVAL
    assert last_line(world, workflow_id) == (
        False,
        "mallory@example.com may not answer for lead@example.com",
    )


async def test_two_members_of_a_group_approve_with_the_groups_one_token(world: World) -> None:
    workflow_id = await waiting(world, "group-admin")
    other_lead = Principal(subject="dana@example.com", authenticator="oidc", groups=("sre-leads",))

    await world.send(answer(world, workflow_id, "group:sre-leads", SRE))
    assert world.record(workflow_id).state is S.AWAITING_APPROVAL

    await world.send(answer(world, workflow_id, "group:sre-leads", other_lead))
    assert world.record(workflow_id).state is S.PROVISIONING


async def test_a_group_member_cannot_count_twice(world: World) -> None:
    workflow_id = await waiting(world, "group-admin")
    await world.send(answer(world, workflow_id, "group:sre-leads", SRE))

    await world.send(answer(world, workflow_id, "group:sre-leads", SRE))

    record = world.record(workflow_id)
    assert record.state is S.AWAITING_APPROVAL
    assert len(record.approvals) == 1
    assert last_line(world, workflow_id) == (False, "bob@example.com already answered this request")


async def test_a_replayed_token_is_refused_and_recorded(world: World) -> None:
    workflow_id = await waiting(world, "db-admin")
    first = answer(world, workflow_id, "lead@example.com", LEAD)
    await world.send(first)

    replay = first.model_copy(update={"event_id": first.event_id.__class__(int=1)})
    await world.send(replay)

    record = world.record(workflow_id)
    assert record.state is S.AWAITING_APPROVAL
    assert len(record.approvals) == 1
    assert last_line(world, workflow_id) == (False, "the task token was already used")


async def test_the_same_answer_delivered_twice_is_applied_once(world: World) -> None:
    workflow_id = await waiting(world, "db-admin")
    first = answer(world, workflow_id, "lead@example.com", LEAD)

    await world.send(first)
    await world.send(first)

    assert len(world.record(workflow_id).history) == 4  # requested, validating, waiting, 1/2


async def test_a_forged_token_is_refused(world: World) -> None:
    workflow_id = await waiting(world)
    forged = ResumeWorkflow(
        workflow_id=workflow_id, task_token="not.a.token", actor=LEAD, approved=True
    )

    await world.send(forged)

    assert world.record(workflow_id).state is S.AWAITING_APPROVAL
    assert last_line(world, workflow_id) == (False, "the task token is malformed")


async def test_a_token_of_another_workflow_is_refused(world: World) -> None:
    first = await waiting(world)
    second = await waiting(world)
    crossed = answer(world, first, "lead@example.com", LEAD).model_copy(
        update={"workflow_id": second}
    )

    await world.send(crossed)

    assert world.record(second).state is S.AWAITING_APPROVAL
    assert world.record(first).state is S.AWAITING_APPROVAL
    assert not last_line(world, second)[0]


async def test_an_approval_after_the_timeout_is_refused_and_recorded(world: World) -> None:
    workflow_id = await waiting(world)
    world.clock.advance(timedelta(hours=1))
    await world.fire_timers()

    await world.send(answer(world, workflow_id, "lead@example.com", LEAD))

    record = world.record(workflow_id)
    assert record.state is S.TIMED_OUT
    assert last_line(world, workflow_id) == (
        False,
        "the workflow is timed_out, not awaiting approval",
    )


async def test_an_approval_racing_a_cancellation_has_one_winner_and_both_are_recorded(
    world: World,
) -> None:
    workflow_id = await waiting(world)
    approval = answer(world, workflow_id, "lead@example.com", LEAD)
    cancel = CancelElevation(workflow_id=workflow_id, actor=REQUESTER)

    # The approval has loaded the record when the cancellation is written.
    world.store.before_apply.append(lambda: world.send(cancel))
    await world.send(approval)

    record = world.record(workflow_id)
    assert record.state is S.CANCELLED
    assert world.store.lost_races == 1
    assert [(e.to_state, e.accepted) for e in record.history[-2:]] == [
        (S.CANCELLED, True),
        (None, False),
    ]
    assert world.publisher.commands(workflow_id) == []


async def test_an_approval_racing_the_timeout_has_one_winner(world: World) -> None:
    workflow_id = await waiting(world)
    approval = answer(world, workflow_id, "lead@example.com", LEAD)
    world.clock.advance(timedelta(hours=1))

    async def time_out() -> None:
        await world.fire_timers()

    world.store.before_apply.append(time_out)
    await world.send(approval)

    record = world.record(workflow_id)
    assert record.state is S.TIMED_OUT
    assert record.history[-1].accepted is False
    assert world.publisher.commands(workflow_id) == []
