"""JSON views of workflows, roles and policies for the read routes."""

from typing import Any

from elevate_shared.catalogue import DynamicPolicy, Role
from elevate_shared.durations import format_duration
from elevate_shared.records import WorkflowRecord


def workflow_view(record: WorkflowRecord) -> dict[str, Any]:
    """Return what the people involved may know of a workflow: no tokens, no outbox."""
    return {
        "workflow_id": record.workflow_id,
        "execution_id": record.execution_id,
        "state": record.state.value,
        "role": record.role,
        "dynamic": record.dynamic.model_dump(mode="json") if record.dynamic else None,
        "providers": list(record.providers),
        "identities": list(record.identities),
        "requester": record.requester.subject,
        "workflow": record.workflow,
        "reason": record.reason,
        "duration": format_duration(record.duration) if record.duration else None,
        "created_at": _time(record.created_at),
        "updated_at": _time(record.updated_at),
        "activated_at": _time(record.activated_at),
        "expires_at": _time(record.expires_at),
        "grants": [
            {"provider": grant.provider, "state": grant.state, "reason": grant.reason}
            for grant in record.grants
        ],
        "approvals": [
            {
                "approver": approval.approver.subject,
                "approved": approval.approved,
                "at": _time(approval.at),
                "comment": approval.comment,
            }
            for approval in record.approvals
        ],
        "history": [
            {
                "at": _time(entry.at),
                "from_state": entry.from_state,
                "to_state": entry.to_state,
                "actor": entry.actor.subject if entry.actor else None,
                "reason": entry.reason,
                "accepted": entry.accepted,
            }
            for entry in record.history
        ],
    }


def role_view(role: Role) -> dict[str, Any]:
    """Return a role as ``POST /elevate`` accepts it back in the ``role`` field."""
    return role.model_dump(mode="json")


def policy_view(policy: DynamicPolicy) -> dict[str, Any]:
    """Return a dynamic-request policy, so callers can see what they may ask for."""
    return policy.model_dump(mode="json")


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
