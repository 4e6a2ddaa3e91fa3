import pytest

from elevate_shared.states import TERMINAL_STATES, WorkflowState
from elevate_workflow.domain.errors import IllegalTransition
from elevate_workflow.domain.transitions import TRANSITIONS, check_transition

S = WorkflowState

HAPPY_PATH = [
    (None, S.REQUESTED),
    (S.REQUESTED, S.VALIDATING),
    (S.VALIDATING, S.AWAITING_APPROVAL),
    (S.AWAITING_APPROVAL, S.APPROVED),
    (S.APPROVED, S.PROVISIONING),
    (S.PROVISIONING, S.ACTIVE),
    (S.ACTIVE, S.REVOKING),
    (S.REVOKING, S.REVOKED),
]


@pytest.mark.parametrize(("from_state", "to_state"), HAPPY_PATH)
def test_the_path_from_request_to_revocation_is_allowed(
    from_state: WorkflowState | None, to_state: WorkflowState
) -> None:
    check_transition(from_state, to_state)


@pytest.mark.parametrize(
    ("from_state", "to_state"),
    [
        (S.TIMED_OUT, S.APPROVED),  # approve after the approval window closed
        (S.REVOKED, S.DENIED),  # deny after revoke
        (S.CANCELLED, S.APPROVED),
        (S.PROVISIONING, S.CANCELLED),  # too late to cancel: access may already exist
        (S.ACTIVE, S.REVOKED),  # revocation is always confirmed by the provisioner
        (S.VALIDATING, S.PROVISIONING),  # nothing is granted without being approved
        (None, S.ACTIVE),
    ],
)
def test_illegal_moves_are_refused(
    from_state: WorkflowState | None, to_state: WorkflowState
) -> None:
    with pytest.raises(IllegalTransition, match="cannot go from"):
        check_transition(from_state, to_state)


@pytest.mark.parametrize("terminal", sorted(TERMINAL_STATES))
def test_nothing_follows_a_terminal_state(terminal: WorkflowState) -> None:
    for to_state in WorkflowState:
        with pytest.raises(IllegalTransition):
            check_transition(terminal, to_state)


def test_every_state_has_a_row_in_the_table() -> None:
    assert set(TRANSITIONS) == {None, *WorkflowState}


def test_every_non_terminal_state_can_reach_a_terminal_one() -> None:
    for state in set(WorkflowState) - TERMINAL_STATES:
        assert _reachable(state) & TERMINAL_STATES, state


def _reachable(start: WorkflowState) -> set[WorkflowState]:
    seen: set[WorkflowState] = set()
    frontier = [start]
    while frontier:
        for following in TRANSITIONS[frontier.pop()] - seen:
            seen.add(following)
            frontier.append(following)
    return seen
