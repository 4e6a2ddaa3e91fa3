from datetime import UTC, datetime
from typing import Any

import pytest
from gateway_fakes import alice  # type: ignore[import-not-found]

from elevate_gateway.domain.access import check_named_authenticator, check_on_behalf, may_see
from elevate_gateway.domain.requests import RoleObject
from elevate_gateway.domain.role_object import check_role_object
from elevate_shared.catalogue import Role
from elevate_shared.errors import NotAllowed, RequestRejected
from elevate_shared.messages import Principal
from elevate_shared.records import WorkflowRecord

ROLE = Role.model_validate(
    {
        "name": "reader",
        "description": "Reads.",
        "providers": ["aws", "aws-eu"],
        "workflows": ["auto", "default"],
        "permissions": {"aws": {"managed_policy_arns": ["arn:aws:iam::aws:policy/ReadOnly"]}},
        "max_duration": "PT2H",
    }
)


def test_a_role_object_that_agrees_in_any_order_passes() -> None:
    given = RoleObject.model_validate(
        {"name": "reader", "providers": ["aws-eu", "aws"], "description": "old text"}
    )

    check_role_object(given, ROLE)


@pytest.mark.parametrize(
    "fields",
    [
        {"providers": ["aws"]},
        {"workflows": ["auto"]},
        {"enabled": False},
        {"max_duration": "PT8H"},
        {"permissions": {"aws": {"managed_policy_arns": ["arn:aws:iam::aws:policy/Admin"]}}},
        {"authenticators": ["oidc"]},
    ],
)
def test_a_role_object_that_disagrees_is_refused(fields: dict[str, Any]) -> None:
    given = RoleObject.model_validate({"name": "reader", **fields})

    with pytest.raises(RequestRejected) as caught:
        check_role_object(given, ROLE)

    assert caught.value.field == "role"
    assert next(iter(fields)) in caught.value.detail


def test_naming_only_oneself_needs_no_scope() -> None:
    check_on_behalf(alice(), ("alice@example.com",))


def test_naming_someone_else_needs_the_on_behalf_scope() -> None:
    with pytest.raises(NotAllowed):
        check_on_behalf(alice(), ("alice@example.com", "bob@example.com"))
    check_on_behalf(alice("elevate-admins"), ("bob@example.com",))


def test_the_authenticator_asked_for_must_be_the_callers() -> None:
    check_named_authenticator(alice(), "oidc")
    check_named_authenticator(alice(), None)
    with pytest.raises(NotAllowed):
        check_named_authenticator(alice(), "aws")


def record(**fields: Any) -> WorkflowRecord:
    now = datetime.now(UTC)
    return WorkflowRecord.model_validate(
        {
            "_id": "wf_1",
            "execution_id": "exec_1",
            "correlation_id": "c",
            "state": "awaiting_approval",
            "requester": Principal(subject="bob@example.com", authenticator="oidc"),
            "providers": ["aws"],
            "identities": ["bob@example.com"],
            "reason": "r",
            "created_at": now,
            "updated_at": now,
            **fields,
        }
    )


def test_a_stranger_does_not_see_a_workflow_but_an_identity_or_admin_does() -> None:
    assert not may_see(alice(), record())
    assert may_see(alice(), record(identities=["bob@example.com", "alice@example.com"]))
    assert may_see(alice("elevate-admins"), record())


def test_an_approver_by_group_sees_the_workflow() -> None:
    definition = {
        "name": "default",
        "steps": [
            {"type": "approvals", "approvers": ["group:sre-leads"]},
            {"type": "authorize"},
            {"type": "revoke"},
        ],
    }

    assert may_see(alice("sre-leads"), record(definition=definition))
    assert not may_see(alice("dbas"), record(definition=definition))
