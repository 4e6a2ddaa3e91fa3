"""Fixtures of the approval tests: workflows stored as the workflow service stores them.

The gateway only reads workflow documents; these tests write them with the workflow
service's own store, each with a fresh id, its own approvers and real task tokens.
"""

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from pymongo import AsyncMongoClient

from elevate_shared.catalogue import ApprovalsStep, WorkflowDefinition
from elevate_shared.messages import Principal
from elevate_shared.messages.base import utcnow
from elevate_shared.records import ApprovalRecord, WorkflowRecord
from elevate_shared.settings import MongoSettings
from elevate_shared.states import WorkflowState
from elevate_shared.task_tokens import issue
from elevate_workflow.adapters.mongo_store import MongoWorkflowStore

# The gateway reads the key when it starts, and the session's app may start before any
# fixture here runs; the stack's own key wins when it exports one.
os.environ.setdefault("ELEVATE_TASK_TOKEN_SECRET", "test-task-token-key-" + "k" * 32)

#: A reason written to break out of the page's markup.
HOSTILE_REASON = "<script>alert('x')</script> & <b>urgent</b>"


@dataclass(frozen=True)
class Seeded:
    """A stored workflow and the task token issued to each of its approvers."""

    record: WorkflowRecord
    tokens: dict[str, str]

    @property
    def workflow_id(self) -> str:
        return self.record.workflow_id


Seed = Callable[..., Awaitable[Seeded]]


@pytest.fixture
def hostile_reason() -> str:
    """The reason every seeded workflow gives."""
    return HOSTILE_REASON


@pytest.fixture(scope="session")
def secret() -> str:
    """The task token key the gateway under test reads."""
    return os.environ["ELEVATE_TASK_TOKEN_SECRET"]


@pytest.fixture(scope="session")
async def store(stack: dict[str, str]) -> AsyncIterator[MongoWorkflowStore]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(stack["MONGODB_URI"])
    yield MongoWorkflowStore(client[MongoSettings().database])
    await client.close()


@pytest.fixture
def subject(unique: str) -> Callable[[str], str]:
    """The subject the ``person`` fixture gives ``name`` in this test."""
    return lambda name: f"{name}-{unique}@example.com"


@pytest.fixture
def seed(store: MongoWorkflowStore, secret: str, subject: Callable[[str], str]) -> Seed:
    """Store a workflow of alice's, approvable by sre-leads or by lead, and issue tokens."""

    async def make(
        *,
        state: WorkflowState = WorkflowState.AWAITING_APPROVAL,
        allow_self_approval: bool = False,
        used: tuple[str, ...] = (),
        answered_by: tuple[str, ...] = (),
    ) -> Seeded:
        step = ApprovalsStep(
            type="approvals",
            approvers=("group:sre-leads", subject("lead")),
            allow_self_approval=allow_self_approval,
        )
        definition = WorkflowDefinition.model_validate(
            {
                "name": "default",
                "steps": [{"type": "validate"}, step, {"type": "authorize"}, {"type": "revoke"}],
            }
        )
        workflow_id = f"wf_{uuid4().hex}"
        issued = {
            a: issue(secret, workflow_id, "approvals", a, timedelta(hours=1))
            for a in step.approvers
        }
        now = utcnow()
        tokens = [
            stored.model_copy(update={"used_at": now if approver in used else None})
            for approver, (_, stored) in issued.items()
        ]
        approvals = [
            ApprovalRecord(approver=_oidc(subject(name)), approved=True, at=now)
            for name in answered_by
        ]
        record = WorkflowRecord(
            workflow_id=workflow_id,
            execution_id=f"ex_{uuid4().hex}",
            correlation_id=uuid4().hex,
            state=state,
            requester=_oidc(subject("alice")),
            role="s3-reader",
            providers=("aws",),
            identities=(subject("alice"),),
            reason=HOSTILE_REASON,
            workflow="default",
            definition=definition,
            duration=timedelta(minutes=30),
            tokens=tokens,
            approvals=approvals,
            created_at=now,
            updated_at=now,
        )
        assert await store.create(record)
        return Seeded(record, {approver: token for approver, (token, _) in issued.items()})

    return make


def _oidc(subject: str) -> Principal:
    return Principal(subject=subject, authenticator="oidc")
