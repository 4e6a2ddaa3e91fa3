from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from elevate_shared.messages import Principal

if TYPE_CHECKING:
    from tests.unit.workflow.conftest import World

from elevate_shared.messages import DynamicPermissions, GrantAccess
from elevate_shared.states import WorkflowState

S = WorkflowState
REQUESTER = Principal(subject="alice@example.com", authenticator="oidc")


async def test_a_request_without_approval_goes_straight_to_provisioning(world: World) -> None:
    command = world.request(duration="PT30M")

    await world.send(command)

    record = world.record(command.workflow_id)
    assert record.state is S.PROVISIONING
    assert world.states(command.workflow_id) == [
        "requested",
        "validating",
        "approved",
        "provisioning",
    ]
    [grant] = world.publisher.commands(command.workflow_id)
    assert isinstance(grant, GrantAccess)
    assert grant.grant_id == f"{command.workflow_id}-aws"
    assert grant.duration == timedelta(minutes=30)
    assert grant.identities == ("alice@example.com",)
    assert grant.aws is not None
    assert grant.aws.managed_policy_arns
    assert record.timer == "grant_timeout"


async def test_the_role_definition_is_copied_into_the_record(world: World) -> None:
    command = world.request()

    await world.send(command)

    record = world.record(command.workflow_id)
    assert record.definition is not None
    assert record.definition.name == "auto"
    assert record.duration == timedelta(seconds=5)  # the role's default
    assert record.aws == world.context.catalogue.roles["s3-reader"].permissions.aws


async def test_status_events_carry_successive_document_versions(world: World) -> None:
    command = world.request()

    await world.send(command)

    versions = [s.document_version for s in world.publisher.statuses(command.workflow_id)]
    assert versions == [1, 2, 3, 4]
    assert world.record(command.workflow_id).doc_version == 4


async def test_the_same_request_delivered_twice_is_applied_once(world: World) -> None:
    command = world.request()

    await world.send(command)
    await world.send(command)

    assert len(world.publisher.commands(command.workflow_id)) == 1
    assert len(world.publisher.statuses(command.workflow_id)) == 4


async def test_an_invalid_request_fails_with_the_reason_and_grants_nothing(world: World) -> None:
    command = world.request(role="retired")

    await world.send(command)

    record = world.record(command.workflow_id)
    assert record.state is S.FAILED
    assert "not an enabled role" in record.history[-1].reason
    assert record.timer is None
    assert world.publisher.commands(command.workflow_id) == []


async def test_a_duration_above_the_roles_maximum_fails_validation(world: World) -> None:
    command = world.request(duration="PT2H")

    await world.send(command)

    assert world.record(command.workflow_id).state is S.FAILED


async def test_a_request_with_approvals_waits_with_one_token_per_approver(world: World) -> None:
    command = world.request(role="admin")

    await world.send(command)

    record = world.record(command.workflow_id)
    assert record.state is S.AWAITING_APPROVAL
    assert record.timer == "approval_timeout"
    assert record.due_at == world.clock.now + timedelta(hours=1)
    assert [t.approver for t in record.tokens] == ["group:sre-leads", "lead@example.com"]
    issued = world.tokens.token(command.workflow_id, "lead@example.com")
    assert all(issued not in t.token_hash for t in record.tokens)  # only hashes are kept
    assert world.publisher.commands(command.workflow_id) == []


async def test_approvers_are_told_with_their_links(world: World) -> None:
    command = world.request(role="admin")

    await world.send(command)

    [notice] = await world.notifications()
    assert notice.kind == "approval_needed"
    assert {link.approver for link in notice.links} == {"group:sre-leads", "lead@example.com"}
    assert "lead@example.com" in notice.recipients


async def test_access_is_for_the_requester_when_no_identity_is_named(world: World) -> None:
    command = world.request(identities=())

    await world.send(command)

    assert world.record(command.workflow_id).identities == (REQUESTER.subject,)


async def test_explicit_permissions_within_the_policy_wait_for_its_approval(world: World) -> None:
    dynamic = DynamicPermissions(permissions=("s3:GetObject",), resources=("arn:aws:s3:::logs/*",))
    command = world.request(role=None, dynamic=dynamic)

    await world.send(command)

    record = world.record(command.workflow_id)
    assert record.state is S.AWAITING_APPROVAL
    assert record.aws is not None
    assert record.aws.statements


async def test_explicit_permissions_outside_the_policy_fail(world: World) -> None:
    dynamic = DynamicPermissions(permissions=("iam:CreateUser",))
    command = world.request(role=None, dynamic=dynamic)

    await world.send(command)

    assert world.record(command.workflow_id).state is S.FAILED


async def test_a_role_refuses_a_requester_from_another_authenticator(world: World) -> None:
    command = world.request(role="key-only")  # the requester came through oidc

    await world.send(command)

    record = world.record(command.workflow_id)
    assert record.state is S.FAILED
    assert "authenticators api_key" in record.history[-1].reason
    assert world.publisher.commands(command.workflow_id) == []


async def test_a_role_accepts_a_requester_from_its_authenticator(world: World) -> None:
    service = Principal(subject="deploy-bot", authenticator="api_key", kind="service")
    command = world.request(role="key-only", requester=service, identities=("deploy-bot",))

    await world.send(command)

    assert world.record(command.workflow_id).state is S.PROVISIONING


async def test_a_policy_refuses_a_requester_from_another_authenticator(
    world: World, make_world: type[World]
) -> None:
    catalogue = world.context.catalogue
    limited = catalogue.policies["aws-dynamic"].model_copy(update={"authenticators": ("api_key",)})
    policies = {**catalogue.policies, "aws-dynamic": limited}
    world = make_world(catalogue=catalogue.model_copy(update={"policies": policies}))
    dynamic = DynamicPermissions(permissions=("s3:GetObject",), resources=("arn:aws:s3:::logs/*",))
    command = world.request(role=None, dynamic=dynamic)

    await world.send(command)

    record = world.record(command.workflow_id)
    assert record.state is S.FAILED
    assert "authenticators api_key" in record.history[-1].reason
