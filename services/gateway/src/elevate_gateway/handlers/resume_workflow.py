"""Turn an approver's answer into a resume command: load, check, publish.

The gateway refuses what it can see is wrong (a bad token, someone who may not answer,
a used token, a decided request) so the approver hears why at once; the workflow
service checks everything again when the command arrives, and its check is the one
that counts when two answers race.
"""

from dataclasses import dataclass

import structlog
from pydantic import SecretStr

from elevate_gateway.adapters.publisher import CommandPublisher
from elevate_gateway.adapters.workflow_store import WorkflowReader
from elevate_gateway.domain.caller import Caller
from elevate_gateway.domain.resume import Answer
from elevate_gateway.domain.workflow_actions import check_answer
from elevate_shared.errors import NotFound
from elevate_shared.messages import ResumeWorkflow
from elevate_shared.records import WorkflowRecord
from elevate_shared.task_tokens import TaskTokenClaims, verify

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Answerable:
    """A request waiting for the caller's answer, and the token the caller holds."""

    record: WorkflowRecord
    claims: TaskTokenClaims


async def answerable(
    workflow_id: str, token: str, caller: Caller, *, secret: SecretStr, workflows: WorkflowReader
) -> Answerable:
    """Return the request if ``caller`` may answer it with ``token`` now; raise otherwise."""
    claims = verify(secret, token, workflow_id)

    record = await workflows.get(workflow_id)
    if record is None:
        raise NotFound(f"no workflow {workflow_id!r}")

    check_answer(record, claims, token, caller)
    return Answerable(record, claims)


async def resume_workflow(
    answer: Answer,
    caller: Caller,
    *,
    secret: SecretStr,
    workflows: WorkflowReader,
    publisher: CommandPublisher,
    correlation_id: str,
) -> Answerable:
    """Check the answer and publish it to the workflow service."""
    found = await answerable(
        answer.workflow_id, answer.task_token, caller, secret=secret, workflows=workflows
    )

    command = ResumeWorkflow(
        workflow_id=answer.workflow_id,
        task_token=answer.task_token,
        actor=caller.principal,
        approved=answer.approved,
        comment=answer.comment,
        correlation_id=correlation_id,
    )
    await publisher.publish(command)

    log.info(
        "resume_requested",
        workflow_id=answer.workflow_id,
        approver=found.claims.approver,
        actor=caller.subject,
        approved=answer.approved,
    )
    return found
