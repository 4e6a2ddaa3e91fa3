"""The workflow service through real Kafka, answering the provisioner's part by hand."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import pytest
from faststream.kafka import KafkaBroker

if TYPE_CHECKING:
    from tests.integration.workflow.conftest import ServiceFactory, TopicWatcher
import itertools

from elevate_shared.kafka import publish
from elevate_shared.messages import (
    AccessGranted,
    AccessRevoked,
    CancelElevation,
    GrantAccess,
    Principal,
    RequestElevation,
    RevokeAccess,
)
from elevate_shared.topics import (
    PROVISIONER_COMMANDS,
    PROVISIONER_RESULTS,
    WORKFLOW_COMMANDS,
    WORKFLOW_STATUS,
    provisioner_command_adapter,
    status_adapter,
)
from elevate_workflow.adapters.mongo_store import MongoWorkflowStore

pytestmark = pytest.mark.stack

REQUESTER = Principal(subject="alice@example.com", authenticator="oidc")
STRANGER = Principal(subject="mallory@example.com", authenticator="oidc")
FULL_PATH = ["requested", "validating", "approved", "provisioning", "active", "revoking", "revoked"]


def request(duration: str = "PT2S") -> RequestElevation:
    return RequestElevation(
        workflow_id=f"wf_{uuid4().hex[:16]}",
        execution_id=f"exec_{uuid4().hex[:12]}",
        requester=REQUESTER,
        role="s3-reader",
        providers=("aws",),
        reason="investigate the incident",
        duration=duration,
        identities=("alice@example.com",),
    )


def states(messages: list[Any]) -> list[str]:
    return [m.to_state.value for m in messages]


def reached(state: str) -> Callable[[list[Any]], bool]:
    return lambda messages: state in states(messages)


def count_of(kind: type) -> Callable[[int], Callable[[list[Any]], bool]]:
    return lambda n: lambda messages: sum(isinstance(m, kind) for m in messages) >= n


async def test_a_request_is_granted_then_revoked_after_its_duration(
    start_service: ServiceFactory, kafka: KafkaBroker, watch: Callable[..., Any]
) -> None:
    statuses: TopicWatcher = await watch(WORKFLOW_STATUS, status_adapter)
    commands: TopicWatcher = await watch(PROVISIONER_COMMANDS, provisioner_command_adapter)
    command = request("PT2S")
    workflow_id = command.workflow_id

    async with start_service():
        await publish(kafka, WORKFLOW_COMMANDS, command)
        [grant] = await commands.wait_for(workflow_id, count_of(GrantAccess)(1))
        assert isinstance(grant, GrantAccess)
        assert grant.correlation_id == command.correlation_id
        await publish(kafka, PROVISIONER_RESULTS, answer_granted(grant))
        await statuses.wait_for(workflow_id, reached("active"))

        sent = await commands.wait_for(workflow_id, count_of(RevokeAccess)(1), seconds=30)
        revoke = sent[-1]
        assert isinstance(revoke, RevokeAccess)
        assert revoke.grant_id == grant.grant_id
        await publish(kafka, PROVISIONER_RESULTS, answer_revoked(revoke))
        seen = await statuses.wait_for(workflow_id, reached("revoked"))

    assert states(seen) == FULL_PATH
    versions = [m.document_version for m in seen]
    # One write per move; the "expiring soon" warning, when it fires in time, is a write
    # of its own without a move, so versions rise by one or two.
    assert versions[0] == 1
    assert all(0 < b - a <= 2 for a, b in itertools.pairwise(versions))
    active = seen[4]
    assert active.expires_at is not None
    assert seen[5].occurred_at >= active.expires_at  # revoked no sooner than expiry


async def test_a_request_delivered_twice_is_applied_once(
    start_service: ServiceFactory,
    kafka: KafkaBroker,
    watch: Callable[..., Any],
    store: MongoWorkflowStore,
) -> None:
    commands: TopicWatcher = await watch(PROVISIONER_COMMANDS, provisioner_command_adapter)
    command = request("PT1H")
    # Same workflow, so same partition: once the marker is applied, so is the duplicate.
    marker = CancelElevation(workflow_id=command.workflow_id, actor=STRANGER)

    async with start_service():
        for message in (command, command, marker):
            await publish(kafka, WORKFLOW_COMMANDS, message)
        await wait_until_applied(store, command.workflow_id, str(marker.event_id))

    record = await store.load(command.workflow_id)
    assert record is not None
    assert record.applied_events.count(str(command.event_id)) == 1
    assert [h.to_state for h in record.history][:4] == [
        "requested",
        "validating",
        "approved",
        "provisioning",
    ]
    sent = await commands.wait_for(command.workflow_id, count_of(GrantAccess)(1))
    assert len(sent) == 1


async def wait_until_applied(store: MongoWorkflowStore, workflow_id: str, event_id: str) -> None:
    async with asyncio.timeout(60):
        while True:
            record = await store.load(workflow_id)
            if record is not None and event_id in record.applied_events:
                return
            await asyncio.sleep(0.1)


def answer_granted(grant: GrantAccess) -> AccessGranted:
    return AccessGranted(
        correlation_id=grant.correlation_id,
        workflow_id=grant.workflow_id,
        grant_id=grant.grant_id,
        provider=grant.provider,
    )


def answer_revoked(revoke: RevokeAccess) -> AccessRevoked:
    return AccessRevoked(
        correlation_id=revoke.correlation_id,
        workflow_id=revoke.workflow_id,
        grant_id=revoke.grant_id,
        provider=revoke.provider,
    )
