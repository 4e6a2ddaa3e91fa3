from datetime import UTC, datetime, timedelta

import pytest

from elevate_gateway.domain.caller import SCOPE_READ, SCOPE_RESUME, Caller, person
from elevate_gateway.domain.workflow_actions import check_answer, check_cancel, check_end, may_end
from elevate_shared.catalogue import WorkflowDefinition
from elevate_shared.errors import Conflict, NotAllowed
from elevate_shared.messages import Principal
from elevate_shared.permissions import may_end_access
from elevate_shared.records import WorkflowRecord
from elevate_shared.states import WorkflowState
from elevate_shared.task_tokens import issue, verify

SECRET = "unit-test-task-token-key-" + "x" * 16
NOW = datetime(2026, 1, 1, tzinfo=UTC)
S = WorkflowState


def caller(subject: str, *groups: str) -> Caller:
    return person(subject, "oidc", groups, admin_group="elevate-admins")


def record(state: WorkflowState = S.AWAITING_APPROVAL) -> tuple[WorkflowRecord, str]:
    token, stored = issue(SECRET, "wf_u1", "approvals", "group:sre-leads", timedelta(hours=1))
    definition = WorkflowDefinition.model_validate(
        {
            "name": "default",
            "steps": [
                {"type": "approvals", "approvers": ["group:sre-leads"]},
                {"type": "authorize"},
                {"type": "revoke"},
            ],
        }
    )
    stored_record = WorkflowRecord.model_validate(
        {
            "_id": "wf_u1",
            "execution_id": "ex_1",
            "correlation_id": "c",
            "state": state,
            "requester": Principal(subject="alice@example.com", authenticator="oidc"),
            "providers": ("aws",),
            "identities": ("alice@example.com",),
            "reason": "r",
            "definition": definition,
            "tokens": [stored],
            "created_at": NOW,
            "updated_at": NOW,
        }
    )
    return stored_record, token


def test_a_group_member_may_answer() -> None:
    stored, token = record()

    found = check_answer(stored, verify(SECRET, token, "wf_u1"), token, caller("bob", "sre-leads"))

    assert found.approver == "group:sre-leads"


def test_someone_who_may_not_answer_learns_nothing_of_the_state() -> None:
    stored, token = record(S.CANCELLED)

    with pytest.raises(NotAllowed):
        check_answer(stored, verify(SECRET, token, "wf_u1"), token, caller("mallory"))


def test_a_decided_request_is_a_conflict_for_an_approver() -> None:
    stored, token = record(S.CANCELLED)

    with pytest.raises(Conflict):
        check_answer(stored, verify(SECRET, token, "wf_u1"), token, caller("bob", "sre-leads"))


def test_only_the_requester_cancels() -> None:
    stored, _ = record()

    check_cancel(stored, caller("alice@example.com"))
    with pytest.raises(NotAllowed):
        check_cancel(stored, caller("bob", "sre-leads"))


def test_ending_access_needs_the_scope_of_the_callers_role() -> None:
    stored, _ = record(S.ACTIVE)
    requester_reader = Caller(
        principal=Principal(subject="alice@example.com", authenticator="api-key", kind="service"),
        scopes=frozenset({SCOPE_READ}),
    )
    approver_resume = Caller(
        principal=Principal(subject="bob", authenticator="oidc", groups=("sre-leads",)),
        scopes=frozenset({SCOPE_RESUME}),
    )

    assert not may_end(stored, requester_reader)
    assert may_end(stored, approver_resume)
    assert may_end(stored, caller("root", "elevate-admins"))
    assert not may_end(stored, caller("carol", "dev"))


def test_the_gateway_and_the_workflow_agree_on_who_may_end_access() -> None:
    stored, _ = record(S.ACTIVE)
    shouting = caller("ALICE@example.com")

    check_end(stored, shouting)  # the workflow service accepts it too (shared rule)
    assert may_end_access(stored, shouting.principal)
    check_cancel(record()[0], shouting)


def test_only_active_access_ends() -> None:
    stored, _ = record(S.PROVISIONING)

    with pytest.raises(Conflict):
        check_end(stored, caller("alice@example.com"))
