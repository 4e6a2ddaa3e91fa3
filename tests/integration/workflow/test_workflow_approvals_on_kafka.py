"""Approvals through Kafka: the approver's mail carries the link, the answer resumes."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import pytest
from aiosmtpd.controller import Controller
from faststream.kafka import KafkaBroker

if TYPE_CHECKING:
    from tests.integration.workflow.conftest import ServiceFactory, TopicWatcher
from elevate_shared.kafka import publish
from elevate_shared.messages import GrantAccess, Principal, RequestElevation, ResumeWorkflow
from elevate_shared.topics import (
    PROVISIONER_COMMANDS,
    WORKFLOW_COMMANDS,
    WORKFLOW_STATUS,
    provisioner_command_adapter,
    status_adapter,
)
from elevate_workflow.adapters.mongo_store import MongoWorkflowStore

pytestmark = pytest.mark.stack

REQUESTER = Principal(subject="alice@example.com", authenticator="oidc")
LEAD = Principal(subject="lead@example.com", authenticator="oidc")
#: Where the test catalogue's email channel delivers.
SMTP_PORT = 12525
#: An approver's line and approve link in the mail's text part.
APPROVE = re.compile(r"As (\S+):\r?\n  Approve: (\S+)")


class Inbox:
    """An SMTP server's handler that keeps the text of every mail."""

    def __init__(self) -> None:
        self.mails: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.content, policy=default)
        assert isinstance(parsed, EmailMessage)
        body = parsed.get_body(preferencelist=("plain",))
        if body is not None:
            self.mails.append(body.get_content())
        return "250 Message accepted"

    async def approve_link(self, workflow_id: str, approver: str) -> dict[str, str]:
        """Wait for the approval mail; return the query of the approver's approve link."""
        async with asyncio.timeout(60):
            while True:
                for who, url in (m for mail in self.mails for m in APPROVE.findall(mail)):
                    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
                    if (who, query["workflow_id"]) == (approver, workflow_id):
                        return query
                await asyncio.sleep(0.1)


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    yield handler
    controller.stop()


async def test_an_approval_from_the_mailed_link_starts_provisioning_and_a_replay_is_refused(
    start_service: ServiceFactory,
    kafka: KafkaBroker,
    watch: Callable[..., Any],
    store: MongoWorkflowStore,
    inbox: Inbox,
) -> None:
    statuses: TopicWatcher = await watch(WORKFLOW_STATUS, status_adapter)
    commands: TopicWatcher = await watch(PROVISIONER_COMMANDS, provisioner_command_adapter)
    command = RequestElevation(
        workflow_id=f"wf_{uuid4().hex[:16]}",
        execution_id=f"exec_{uuid4().hex[:12]}",
        requester=REQUESTER,
        role="admin",
        providers=("aws",),
        reason="fix the broken deployment",
        identities=("alice@example.com",),
    )
    workflow_id = command.workflow_id

    async with start_service():
        await publish(kafka, WORKFLOW_COMMANDS, command)
        query = await inbox.approve_link(workflow_id, "lead@example.com")
        approve = ResumeWorkflow(
            workflow_id=workflow_id, task_token=query["task_token"], actor=LEAD, approved=True
        )
        await publish(kafka, WORKFLOW_COMMANDS, approve)
        [grant] = await commands.wait_for(workflow_id, lambda m: len(m) == 1)

        replay = approve.model_copy(update={"event_id": uuid4()})
        await publish(kafka, WORKFLOW_COMMANDS, replay)
        record = await _applied(store, workflow_id, str(replay.event_id))
        seen = await statuses.wait_for(workflow_id, lambda m: len(m) >= 5)

    assert isinstance(grant, GrantAccess)
    assert [m.to_state for m in seen] == [
        "requested",
        "validating",
        "awaiting_approval",
        "approved",
        "provisioning",
    ]
    assert record.history[-1].accepted is False
    assert record.history[-1].reason == "the workflow is provisioning, not awaiting approval"


async def _applied(store: MongoWorkflowStore, workflow_id: str, event_id: str) -> Any:
    async with asyncio.timeout(60):
        while True:
            record = await store.load(workflow_id)
            if record is not None and event_id in record.applied_events:
                return record
            await asyncio.sleep(0.1)
