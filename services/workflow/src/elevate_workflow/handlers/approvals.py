"""Resume a workflow waiting for approvers with one approver's answer."""

from datetime import datetime

from elevate_shared.messages import ResumeWorkflow
from elevate_shared.records import WorkflowRecord
from elevate_workflow.domain.approvals import on_resume
from elevate_workflow.domain.decision import Decision
from elevate_workflow.handlers.context import Context
from elevate_workflow.handlers.steps import update


async def resume_workflow(command: ResumeWorkflow, context: Context) -> None:
    """Check the token and the approver, then count the answer.

    A refused answer (forged, expired, replayed or foreign token, an approver answering
    their own request, a workflow already decided) is recorded in the history and
    changes nothing else.
    """

    def decide(record: WorkflowRecord, now: datetime) -> Decision:
        claims = context.verify_token(command.task_token, command.workflow_id)
        return on_resume(record, command, claims, context.policy, now)

    await update(context, command.workflow_id, str(command.event_id), decide, actor=command.actor)
