"""What survives a crash or a restart: timers in the database, unsent outbox entries."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import pytest

if TYPE_CHECKING:
    from tests.integration.workflow.conftest import ServiceFactory, TopicWatcher
from elevate_shared.messages import (
    AccessGranted,
    GrantAccess,
    Principal,
    RequestElevation,
    RevokeAccess,
)
from elevate_shared.states import WorkflowState
from elevate_shared.topics import (
    PROVISIONER_COMMANDS,
    WORKFLOW_STATUS,
    provisioner_command_adapter,
    status_adapter,
)
from elevate_workflow.adapters.mongo_store import MongoWorkflowStore
from elevate_workflow.domain.changes import prepare
from elevate_workflow.domain.requests import decide_request, new_record
from elevate_workflow.handlers import handle

pytestmark = pytest.mark.stack

S = WorkflowState
REQUESTER = Principal(subject="alice@example.com", authenticator="oidc")


def request(duration: str) -> RequestElevation:
    return RequestElevation(
        workflow_id=f"wf_{uuid4().hex[:16]}",
        execution_id=f"exec_{uuid4().hex[:12]}",
        requester=REQUESTER,
        role="s3-reader",
        providers=("aws",),
        reason="recovery test",
        duration=duration,
    )


async def test_an_expiry_timer_fires_in_a_service_started_after_it_was_set(
    start_service: ServiceFactory, store: MongoWorkflowStore, watch: Callable[..., Any]
) -> None:
    commands: TopicWatcher = await watch(PROVISIONER_COMMANDS, provisioner_command_adapter)
    command = request("PT2S")
    grant_id = f"{command.workflow_id}-aws"
    async with start_service(consume=False) as first:
        await handle(command, first.context)
        granted = AccessGranted(workflow_id=command.workflow_id, grant_id=grant_id, provider="aws")
        await handle(granted, first.context)
    record = await store.load(command.workflow_id)
    assert record is not None
    # The first timer is the "expiring soon" warning; found late, it expires the access.
    assert (record.state, record.timer) == (S.ACTIVE, "expiry_warning")

    # No service runs while the access expires.
    await asyncio.sleep(2.5)
    async with start_service(consume=False):
        sent = await commands.wait_for(
            command.workflow_id, lambda m: any(isinstance(c, RevokeAccess) for c in m)
        )

    assert [type(c) for c in sent] == [GrantAccess, RevokeAccess]
    record = await store.load(command.workflow_id)
    assert record is not None
    assert record.state is S.REVOKING
    assert record.history[-1].reason == "access expired"


async def test_messages_saved_but_never_sent_are_sent_by_the_sweep(
    start_service: ServiceFactory, store: MongoWorkflowStore, watch: Callable[..., Any]
) -> None:
    statuses: TopicWatcher = await watch(WORKFLOW_STATUS, status_adapter)
    commands: TopicWatcher = await watch(PROVISIONER_COMMANDS, provisioner_command_adapter)
    command = request("PT1H")
    async with start_service(consume=False) as service:
        # What a replica does before it crashes: the write, and not the publishing after.
        context = service.context
        record = new_record(command, context.clock())
        decision = decide_request(
            record,
            command,
            context.catalogue,
            issue=context.issue_token,
            policy=context.policy,
            now=record.created_at,
        )
        changes = prepare(record, decision, record.created_at)
        assert await store.create(changes.after, changes.outbox)

        seen = await statuses.wait_for(command.workflow_id, lambda m: len(m) == 4)
        [grant] = await commands.wait_for(command.workflow_id, lambda m: len(m) == 1)

    assert [m.to_state for m in seen] == [S.REQUESTED, S.VALIDATING, S.APPROVED, S.PROVISIONING]
    assert isinstance(grant, GrantAccess)
    assert await store.unpublished(command.workflow_id) == []
