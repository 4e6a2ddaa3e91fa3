"""Messages from a newer producer still parse on a consumer that lacks their new fields."""

import json
from typing import Any

import pytest
from pydantic import ValidationError

from elevate_shared.messages import EndAccess, RequestElevation
from elevate_shared.topics import provisioner_command_adapter, workflow_command_adapter

PRINCIPAL = {"subject": "alice@example.com", "authenticator": "oidc", "added_later": "x"}


def request(**fields: Any) -> bytes:
    values = {
        "type": "RequestElevation",
        "workflow_id": "wf_compat",
        "execution_id": "exec_compat",
        "requester": PRINCIPAL,
        "providers": ["aws"],
        "reason": "read the logs",
        "added_later": 1,
    }
    return json.dumps(values | fields).encode()


def test_a_principal_with_a_field_added_later_is_read() -> None:
    parsed = workflow_command_adapter.validate_json(request(role="s3-reader"))

    assert isinstance(parsed, RequestElevation)
    assert parsed.requester.subject == "alice@example.com"


def test_dynamic_permissions_with_a_field_added_later_are_read() -> None:
    dynamic = {"permissions": ["s3:GetObject"], "added_later": {"any": "thing"}}

    parsed = workflow_command_adapter.validate_json(request(dynamic=dynamic))

    assert isinstance(parsed, RequestElevation)
    assert parsed.dynamic is not None
    assert parsed.dynamic.permissions == ("s3:GetObject",)


def test_an_actor_with_a_field_added_later_is_read() -> None:
    body = {"type": "EndAccess", "workflow_id": "wf_compat", "actor": PRINCIPAL}

    parsed = workflow_command_adapter.validate_json(json.dumps(body))

    assert isinstance(parsed, EndAccess)
    assert parsed.actor.authenticator == "oidc"


def test_grant_permissions_a_provisioner_cannot_read_are_refused() -> None:
    # Granting without the part it does not know could give more than was approved.
    body = {
        "type": "GrantAccess",
        "workflow_id": "wf_compat",
        "grant_id": "wf_compat-aws",
        "provider": "aws",
        "identities": ["alice"],
        "duration": "PT5M",
        "aws": {"managed_policy_arns": ["arn:aws:iam::aws:policy/ReadOnly"], "conditions": {}},
    }

    with pytest.raises(ValidationError):
        provisioner_command_adapter.validate_json(json.dumps(body))
