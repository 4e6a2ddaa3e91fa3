"""Errors of the workflow's rules.

    ElevateError                 (elevate_shared.errors)
    ├── NotAllowed               the actor may not do this (not the requester, self-approval)
    └── Conflict                 the workflow's state does not allow this now
        └── IllegalTransition    the transition table has no such move

A refused human action (resume, cancel, end access) is recorded in the workflow's
history rather than raised to the consumer, so the message is not dead-lettered.
"""

from elevate_shared.errors import Conflict
from elevate_shared.states import WorkflowState


class IllegalTransition(Conflict):
    """A move the transition table does not allow (approve after expiry...)."""

    def __init__(self, from_state: WorkflowState | None, to_state: WorkflowState) -> None:
        origin = from_state.value if from_state else "nothing"
        super().__init__(f"a workflow cannot go from {origin} to {to_state.value}")
        self.from_state = from_state
        self.to_state = to_state
