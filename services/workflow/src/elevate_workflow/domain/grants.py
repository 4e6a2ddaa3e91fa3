"""Grant and revoke commands, and the named undo step: compensation.

Each grant moves ``pending`` → ``granted`` → ``revoking`` → ``revoked``; a grant that
failed goes from ``pending`` to ``revoking`` too, since part of it may have applied
(``failed`` is only found in records written before that). A workflow never forgets a
grant: whatever state it ends in, access that was or may be given is revoked, and the
revoke is retried until the provisioner confirms it.
"""

from collections.abc import Sequence
from datetime import datetime

from elevate_shared.messages import GrantAccess, Principal, RevokeAccess
from elevate_shared.records import GrantRecord, WorkflowRecord
from elevate_shared.states import WorkflowState
from elevate_workflow.domain.deadlines import next_deadline
from elevate_workflow.domain.decision import Decision, Move, Timer
from elevate_workflow.domain.grant_records import with_states
from elevate_workflow.domain.policy import TimerPolicy

S = WorkflowState


def grant_id(workflow_id: str, provider: str) -> str:
    """Name the grant of one workflow in one provider; the provisioner keys on it."""
    return f"{workflow_id}-{provider}"


def start_provisioning(
    record: WorkflowRecord, policy: TimerPolicy, now: datetime, *, event_id: str, reason: str
) -> Decision:
    """Approve, then send one grant per provider, with a deadline for their results."""
    grants = [
        GrantRecord(grant_id=grant_id(record.workflow_id, provider), provider=provider)
        for provider in record.providers
    ]
    return Decision(
        event_id=event_id,
        moves=(Move(S.APPROVED, reason), Move(S.PROVISIONING, "granting access")),
        updates={"grants": grants},
        commands=tuple(grant_command(record, grant) for grant in grants),
        timer=Timer("grant_timeout", now + policy.grant_timeout),
    )


def compensation(
    record: WorkflowRecord,
    targets: Sequence[GrantRecord],
    policy: TimerPolicy,
    now: datetime,
    *,
    event_id: str,
    moves: tuple[Move, ...] = (),
    actor: Principal | None = None,
    note: str = "",
) -> Decision:
    """Take back ``targets``: access given, or maybe given, that must not stay.

    Revokes are idempotent at the provisioner, so revoking a grant that never happened
    is harmless, while forgetting one that did is the failure this step exists for.
    The revoke deadline resends the revokes if no answer comes; a deadline of the state
    (expiry of active access) that comes sooner is kept.
    """
    ids = {grant.grant_id for grant in targets}
    grants = with_states(record.grants, dict.fromkeys(ids, "revoking"))
    state = moves[-1].to_state if moves else record.state
    after = record.model_copy(update={"grants": grants, "state": state})
    return Decision(
        event_id=event_id,
        actor=actor,
        moves=moves,
        note=note,
        updates={"grants": grants},
        commands=tuple(revoke_command(record, grant) for grant in targets),
        timer=next_deadline(after, policy, now + policy.revoke_timeout),
    )


def begin_revoke(
    record: WorkflowRecord,
    policy: TimerPolicy,
    now: datetime,
    *,
    event_id: str,
    reason: str,
    actor: Principal | None = None,
) -> Decision:
    """Move active access to ``revoking`` and take every grant in effect back."""
    targets = [grant for grant in record.grants if grant.state == "granted"]
    moves: tuple[Move, ...] = (Move(S.REVOKING, reason),)
    if not targets:
        moves += (Move(S.REVOKED, "nothing left to revoke"),)
    return compensation(record, targets, policy, now, event_id=event_id, moves=moves, actor=actor)


def grant_command(record: WorkflowRecord, grant: GrantRecord) -> GrantAccess:
    """Build the command that gives one grant's access."""
    if record.duration is None:
        raise ValueError("a workflow provisions only after validation set its duration")
    return GrantAccess(
        correlation_id=record.correlation_id,
        workflow_id=record.workflow_id,
        grant_id=grant.grant_id,
        provider=grant.provider,
        identities=record.identities,
        aws=record.aws,
        duration=record.duration,
    )


def revoke_command(record: WorkflowRecord, grant: GrantRecord) -> RevokeAccess:
    """Build the command that takes one grant's access away."""
    return RevokeAccess(
        correlation_id=record.correlation_id,
        workflow_id=record.workflow_id,
        grant_id=grant.grant_id,
        provider=grant.provider,
        identities=record.identities,
    )
