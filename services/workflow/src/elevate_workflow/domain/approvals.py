"""Approvals: issuing task tokens, and counting the answers they bring back.

An answer counts only if its token is one this workflow issued and has not used, the
person answering may speak for the token's approver, and that person is not the one
asking or receiving the access (unless the workflow allows it). Approvers are counted
once each, whatever tokens they hold; one deny ends the request.
"""

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Protocol

from elevate_shared.catalogue import ApprovalsStep
from elevate_shared.errors import Conflict, NotAllowed
from elevate_shared.messages import Principal, ResumeWorkflow
from elevate_shared.permissions import GROUP_PREFIX, has_answered, matches_approver
from elevate_shared.records import ApprovalRecord, TaskTokenRecord, WorkflowRecord
from elevate_shared.states import WorkflowState
from elevate_shared.task_tokens import TaskTokenClaims, benefits, token_hash
from elevate_workflow.domain.decision import ApproverToken, Decision, Move, Timer
from elevate_workflow.domain.grants import start_provisioning
from elevate_workflow.domain.policy import TimerPolicy

S = WorkflowState

#: The step name task tokens of the approvals step are bound to.
APPROVAL_STEP = "approvals"


class TokenIssuer(Protocol):
    """Signs a task token; returns it and the record (with its hash) to store."""

    def __call__(
        self, workflow_id: str, step: str, approver: str, ttl: timedelta, *, now: datetime
    ) -> tuple[str, TaskTokenRecord]: ...


def await_approval(
    record: WorkflowRecord, step: ApprovalsStep, issue: TokenIssuer, now: datetime, *, event_id: str
) -> Decision:
    """Pause for approvers: one token each, and a deadline for their answers."""
    issued = [
        (approver, *issue(record.workflow_id, APPROVAL_STEP, approver, step.timeout, now=now))
        for approver in step.approvers
    ]
    waiting = f"waiting for {step.required} approval(s)"
    return Decision(
        event_id=event_id,
        moves=(Move(S.AWAITING_APPROVAL, waiting),),
        updates={"tokens": [stored for _, _, stored in issued]},
        timer=Timer("approval_timeout", now + step.timeout),
        tokens=tuple(ApproverToken(approver, token) for approver, token, _ in issued),
    )


def on_resume(
    record: WorkflowRecord,
    command: ResumeWorkflow,
    claims: TaskTokenClaims,
    policy: TimerPolicy,
    now: datetime,
) -> Decision:
    """Count one approver's answer; raise NotAllowed or Conflict to refuse it."""
    step = _approvals_step(record)
    if record.state is not S.AWAITING_APPROVAL:
        raise Conflict(f"the workflow is {record.state.value}, not awaiting approval")
    token = _unused_token(record, command.task_token, claims, now)
    _check_approver(record, step, claims, command.actor)

    answer = ApprovalRecord(
        approver=command.actor, approved=command.approved, at=now, comment=command.comment
    )
    used = _spend(token, command.actor, now)
    updates = {
        "tokens": [used if t is token else t for t in record.tokens],
        "approvals": [*record.approvals, answer],
    }
    return _outcome(record.model_copy(update=updates), command, step, policy, now)


def _outcome(
    record: WorkflowRecord,
    command: ResumeWorkflow,
    step: ApprovalsStep,
    policy: TimerPolicy,
    now: datetime,
) -> Decision:
    event_id, actor = str(command.event_id), command.actor
    updates = {"tokens": record.tokens, "approvals": record.approvals}
    if not command.approved:
        denied = Move(S.DENIED, f"denied by {actor.subject}")
        return Decision(event_id, actor=actor, moves=(denied,), updates=updates, timer=None)

    approvers = sorted({a.approver.subject.casefold() for a in record.approvals if a.approved})
    if len(approvers) < step.required:
        note = f"approved by {actor.subject} ({len(approvers)} of {step.required})"
        return Decision(event_id, actor=actor, updates=updates, note=note)

    reason = f"approved by {', '.join(approvers)}"
    then = start_provisioning(record, policy, now, event_id=event_id, reason=reason)
    return replace(then, actor=actor, updates={**updates, **then.updates})


def _approvals_step(record: WorkflowRecord) -> ApprovalsStep:
    step = record.definition.approvals if record.definition else None
    if step is None:
        raise Conflict("the workflow has no approvals step")
    return step


def _unused_token(
    record: WorkflowRecord, token: str, claims: TaskTokenClaims, now: datetime
) -> TaskTokenRecord:
    digest = token_hash(token)
    stored = next((t for t in record.tokens if t.token_hash == digest), None)
    if stored is None or (stored.step, stored.approver) != (claims.step, claims.approver):
        raise NotAllowed("the task token was not issued for this workflow's approval")
    if stored.used_at is not None:
        raise NotAllowed("the task token was already used")
    if stored.expires_at <= now:
        raise NotAllowed("the task token has expired")
    return stored


def _spend(token: TaskTokenRecord, actor: Principal, now: datetime) -> TaskTokenRecord:
    """Use a user's token up; use a group's token up for this member only."""
    used_by = [*token.used_by, actor.subject]
    if token.approver.startswith(GROUP_PREFIX):
        return token.model_copy(update={"used_by": used_by})
    return token.model_copy(update={"used_at": now, "used_by": used_by})


def _check_approver(
    record: WorkflowRecord, step: ApprovalsStep, claims: TaskTokenClaims, actor: Principal
) -> None:
    if not matches_approver(claims.approver, actor):
        raise NotAllowed(f"{actor.subject} may not answer for {claims.approver}")
    if has_answered(record, actor):
        raise Conflict(f"{actor.subject} already answered this request")
    asks = benefits(actor, requester=record.requester, identities=record.identities)
    if asks and not step.allow_self_approval:
        raise NotAllowed("nobody may approve a request they asked for or would benefit from")
