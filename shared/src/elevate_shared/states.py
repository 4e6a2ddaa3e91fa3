"""The states an elevation workflow goes through."""

from enum import StrEnum


class WorkflowState(StrEnum):
    """Where an elevation stands. The transition table lives in the workflow service."""

    REQUESTED = "requested"
    VALIDATING = "validating"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    PROVISIONING = "provisioning"
    ACTIVE = "active"
    REVOKING = "revoking"
    REVOKED = "revoked"
    EXPIRED = "expired"
    DENIED = "denied"
    CANCELLED = "cancelled"
    FAILED = "failed"
    TIMED_OUT = "timed_out"

    @property
    def is_terminal(self) -> bool:
        """Tell whether nothing can follow this state."""
        return self in TERMINAL_STATES


TERMINAL_STATES = frozenset(
    {
        WorkflowState.REVOKED,
        WorkflowState.EXPIRED,
        WorkflowState.DENIED,
        WorkflowState.CANCELLED,
        WorkflowState.FAILED,
        WorkflowState.TIMED_OUT,
    }
)
