"""A new elevation: the record it starts as and the first moves of its workflow.

The request is checked again here with the gateway's own rules (the role's, or for
explicit permissions the provider's dynamic policy, including the authenticators they
accept the requester through), because other services publish requests straight to
Kafka. What was granted (workflow definition, permissions,
duration) is copied into the record, so a catalogue edited later changes no running
elevation.
"""

from dataclasses import replace
from datetime import datetime
from typing import Any

from elevate_shared.catalogue import AwsPermissions, Catalogue, WorkflowDefinition
from elevate_shared.dynamic_policy import ResolvedDynamic, resolve_dynamic
from elevate_shared.eligibility import ResolvedRequest, resolve_request
from elevate_shared.errors import NotAllowed, RequestRejected
from elevate_shared.messages import DynamicPermissions, RequestElevation
from elevate_shared.records import WorkflowRecord
from elevate_shared.states import WorkflowState
from elevate_workflow.domain.approvals import TokenIssuer, await_approval
from elevate_workflow.domain.decision import Decision, Move
from elevate_workflow.domain.grants import start_provisioning
from elevate_workflow.domain.policy import TimerPolicy

S = WorkflowState


def new_record(command: RequestElevation, now: datetime) -> WorkflowRecord:
    """Return the record of a request not stored yet (version 0)."""
    return WorkflowRecord(
        workflow_id=command.workflow_id,
        execution_id=command.execution_id,
        correlation_id=command.correlation_id,
        state=S.REQUESTED,
        requester=command.requester,
        role=command.role,
        dynamic=command.dynamic,
        providers=command.providers,
        # Without named identities, the access is for the requester.
        identities=command.identities or (command.requester.subject,),
        reason=command.reason,
        workflow=command.workflow,
        created_at=now,
        updated_at=now,
    )


def decide_request(
    record: WorkflowRecord,
    command: RequestElevation,
    catalogue: Catalogue,
    *,
    issue: TokenIssuer,
    policy: TimerPolicy,
    now: datetime,
) -> Decision:
    """Validate the request, then wait for approvers or provision straight away."""
    event_id = str(command.event_id)
    opening = (
        Move(S.REQUESTED, f"requested by {command.requester.subject}"),
        Move(S.VALIDATING, "checking the request against the catalogue"),
    )
    try:
        snapshot = _resolve(record, command, catalogue)
    except (RequestRejected, NotAllowed) as error:
        failed = Move(S.FAILED, f"invalid request: {error.detail}")
        return Decision(event_id, actor=command.requester, moves=(*opening, failed), timer=None)

    staged = record.model_copy(update=snapshot)
    step = snapshot["definition"].approvals
    if step is None:
        reason = "the workflow needs no approval"
        then = start_provisioning(staged, policy, now, event_id=event_id, reason=reason)
    else:
        then = await_approval(staged, step, issue, now, event_id=event_id)
    return replace(
        then,
        actor=command.requester,
        moves=(*opening, *then.moves),
        updates={**snapshot, **then.updates},
    )


def _resolve(
    record: WorkflowRecord, command: RequestElevation, catalogue: Catalogue
) -> dict[str, Any]:
    """Return the record fields a valid request sets, or raise RequestRejected."""
    if (record.role is None) == (record.dynamic is None):
        raise RequestRejected("name either a role or explicit permissions", field="role")
    if record.dynamic is not None:
        return _dynamic_snapshot(record, record.dynamic, command.duration, catalogue)
    resolved = resolve_request(
        catalogue,
        role=record.role or "",
        providers=record.providers,
        workflow=record.workflow,
        duration=command.duration,
        identities=record.identities,
        reason=record.reason,
        authenticator=record.requester.authenticator,
    )
    return _snapshot(resolved.workflow, resolved, resolved.role.permissions.aws)


def _dynamic_snapshot(
    record: WorkflowRecord,
    permissions: DynamicPermissions,
    duration: str | None,
    catalogue: Catalogue,
) -> dict[str, Any]:
    resolved = resolve_dynamic(
        catalogue,
        providers=record.providers,
        permissions=permissions,
        workflow=record.workflow,
        duration=duration,
        identities=record.identities,
        reason=record.reason,
        authenticator=record.requester.authenticator,
    )
    return _snapshot(resolved.workflow, resolved, resolved.aws)


def _snapshot(
    definition: WorkflowDefinition,
    resolved: ResolvedRequest | ResolvedDynamic,
    aws: AwsPermissions | None,
) -> dict[str, Any]:
    return {
        "definition": definition,
        "workflow": definition.name,
        "duration": resolved.duration,
        "aws": aws,
        "providers": resolved.providers,
        "identities": resolved.identities,
    }
