from datetime import UTC, datetime
from typing import Any

from elevate_shared.messages import Principal
from elevate_shared.permissions import (
    end_access_capacities,
    is_requester,
    matches_approver,
    may_end_access,
)
from elevate_shared.records import WorkflowRecord

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def person(subject: str, *groups: str, admin: bool = False) -> Principal:
    return Principal(subject=subject, authenticator="oidc", groups=groups, admin=admin)


def record(**fields: Any) -> WorkflowRecord:
    definition = {
        "name": "default",
        "steps": [
            {"type": "approvals", "approvers": ["lead@example.com", "group:sre-leads"]},
            {"type": "authorize"},
            {"type": "revoke"},
        ],
    }
    values = {
        "_id": "wf_p1",
        "execution_id": "ex_1",
        "correlation_id": "c",
        "state": "active",
        "requester": person("alice@example.com"),
        "providers": ("aws",),
        "identities": ("alice@example.com",),
        "reason": "r",
        "definition": definition,
        "created_at": NOW,
        "updated_at": NOW,
    }
    return WorkflowRecord.model_validate(values | fields)


def test_subjects_are_compared_without_case() -> None:
    assert is_requester(record(), person("Alice@Example.com"))
    assert matches_approver("lead@example.com", person("LEAD@example.com"))
    assert may_end_access(record(), person("ALICE@EXAMPLE.COM"))


def test_group_names_are_compared_exactly() -> None:
    assert matches_approver("group:sre-leads", person("bob", "sre-leads"))
    assert not matches_approver("group:sre-leads", person("bob", "SRE-leads"))


def test_each_capacity_that_may_end_access_is_named() -> None:
    answered = {"approver": person("carol@example.com"), "approved": True, "at": NOW}

    assert end_access_capacities(record(), person("alice@example.com")) == {"requester"}
    assert end_access_capacities(record(), person("lead@example.com")) == {"approver"}
    assert end_access_capacities(record(), person("bob", "sre-leads")) == {"approver"}
    assert end_access_capacities(record(), person("root", admin=True)) == {"admin"}
    with_answer = record(approvals=[answered])
    assert end_access_capacities(with_answer, person("Carol@example.com")) == {"approver"}


def test_a_stranger_may_not_end_access() -> None:
    assert not may_end_access(record(), person("mallory@example.com", "dev"))
    assert not may_end_access(record(), person("group:sre-leads"))
