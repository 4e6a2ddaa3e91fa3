"""The one table of moves a workflow may make; any other move is refused."""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from elevate_shared.states import TERMINAL_STATES, WorkflowState
from elevate_workflow.domain.errors import IllegalTransition

S = WorkflowState

#: Allowed moves by state; ``None`` is a workflow not stored yet. Terminal states allow
#: nothing. ``expired`` has no way in: access that runs out is revoked like access ended
#: early, and the history's reason tells the two apart.
TRANSITIONS: Final[Mapping[WorkflowState | None, frozenset[WorkflowState]]] = MappingProxyType(
    {
        None: frozenset({S.REQUESTED}),
        S.REQUESTED: frozenset({S.VALIDATING, S.CANCELLED}),
        S.VALIDATING: frozenset({S.AWAITING_APPROVAL, S.APPROVED, S.FAILED, S.CANCELLED}),
        S.AWAITING_APPROVAL: frozenset({S.APPROVED, S.DENIED, S.TIMED_OUT, S.CANCELLED}),
        S.APPROVED: frozenset({S.PROVISIONING, S.CANCELLED}),
        S.PROVISIONING: frozenset({S.ACTIVE, S.FAILED}),
        S.ACTIVE: frozenset({S.REVOKING}),
        S.REVOKING: frozenset({S.REVOKED}),
        **{state: frozenset() for state in TERMINAL_STATES},
    }
)


def check_transition(from_state: WorkflowState | None, to_state: WorkflowState) -> None:
    """Raise :class:`IllegalTransition` unless the table allows the move."""
    if to_state not in TRANSITIONS[from_state]:
        raise IllegalTransition(from_state, to_state)
