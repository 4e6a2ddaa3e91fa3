import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from pydantic import SecretStr, ValidationError

from elevate_shared.errors import NotAllowed, RequestRejected
from elevate_shared.messages.base import Principal
from elevate_shared.settings import TaskTokenSettings
from elevate_shared.task_tokens import (
    AUDIENCE,
    ExpiredTaskToken,
    ForgedTaskToken,
    MalformedTaskToken,
    TaskTokenError,
    WrongWorkflowTaskToken,
    issue,
    may_approve,
    token_hash,
    verify,
)

SECRET = "s" * 40
OTHER_SECRET = "o" * 40
HOUR = timedelta(hours=1)

REQUESTER = Principal(subject="alice@example.com", authenticator="oidc")
LEAD = Principal(subject="lead@example.com", authenticator="oidc", groups=("sre-leads",))


def test_an_issued_token_verifies_with_its_claims() -> None:
    token, record = issue(SECRET, "wf_1", "approvals", "group:sre-leads", HOUR)

    claims = verify(SECRET, token, "wf_1")

    assert (claims.workflow_id, claims.step, claims.approver) == (
        "wf_1",
        "approvals",
        "group:sre-leads",
    )
    assert claims.expires_at == record.expires_at
    assert claims.expires_at - claims.issued_at == HOUR


def test_the_record_holds_the_hash_never_the_token() -> None:
    token, record = issue(SECRET, "wf_1", "approvals", "lead@example.com", HOUR)

    assert record.token_hash == token_hash(token)
    assert token not in record.model_dump_json()
    assert (record.step, record.approver, record.used_at) == ("approvals", "lead@example.com", None)


def test_every_token_is_unique() -> None:
    first, _ = issue(SECRET, "wf_1", "approvals", "lead@example.com", HOUR)
    second, _ = issue(SECRET, "wf_1", "approvals", "lead@example.com", HOUR)

    assert first != second
    assert verify(SECRET, first, "wf_1").token_id != verify(SECRET, second, "wf_1").token_id


def test_a_token_signed_with_another_key_is_forged() -> None:
    token, _ = issue(OTHER_SECRET, "wf_1", "approvals", "lead@example.com", HOUR)

    with pytest.raises(ForgedTaskToken) as error:
        verify(SECRET, token, "wf_1")

    assert isinstance(error.value, NotAllowed)
    assert token not in error.value.detail


def test_a_token_with_a_changed_claim_is_forged() -> None:
    token, _ = issue(SECRET, "wf_1", "approvals", "lead@example.com", HOUR)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "mallory@example.com"
    changed = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    with pytest.raises(ForgedTaskToken):
        verify(SECRET, f"{header}.{changed}.{signature}", "wf_1")


def test_an_unsigned_token_is_forged() -> None:
    claims = {"jti": "x", "wf": "wf_1", "step": "approvals", "sub": "lead@example.com"}
    unsigned = jwt.encode(
        {**claims, "iat": 1, "exp": 4_000_000_000, "aud": AUDIENCE}, "", algorithm="none"
    )

    with pytest.raises(ForgedTaskToken):
        verify(SECRET, unsigned, "wf_1")


@pytest.mark.parametrize("text", ["", "not-a-token", "a.b.c", "x" * 5000])
def test_text_that_is_not_a_token_is_malformed(text: str) -> None:
    with pytest.raises(MalformedTaskToken) as error:
        verify(SECRET, text, "wf_1")

    assert isinstance(error.value, RequestRejected)
    assert error.value.field == "task_token"


def test_a_signed_token_without_the_task_claims_is_malformed() -> None:
    other_jwt = jwt.encode({"sub": "lead@example.com", "aud": AUDIENCE}, SECRET, algorithm="HS256")

    with pytest.raises(MalformedTaskToken):
        verify(SECRET, other_jwt, "wf_1")


def test_a_token_for_another_audience_is_refused() -> None:
    claims = {"jti": "x", "wf": "wf_1", "step": "approvals", "sub": "lead@example.com"}
    session_like = jwt.encode(
        {**claims, "iat": 1, "exp": 4_000_000_000, "aud": "elevate:session"},
        SECRET,
        algorithm="HS256",
    )

    with pytest.raises(TaskTokenError):
        verify(SECRET, session_like, "wf_1")


def test_an_expired_token_is_refused() -> None:
    two_hours_ago = datetime.now(UTC) - 2 * HOUR
    token, _ = issue(SECRET, "wf_1", "approvals", "lead@example.com", HOUR, now=two_hours_ago)

    with pytest.raises(ExpiredTaskToken) as error:
        verify(SECRET, token, "wf_1")

    assert isinstance(error.value, NotAllowed)


def test_a_token_of_another_workflow_is_refused() -> None:
    token, _ = issue(SECRET, "wf_1", "approvals", "lead@example.com", HOUR)

    with pytest.raises(WrongWorkflowTaskToken):
        verify(SECRET, token, "wf_2")


def test_a_secret_string_works_like_its_value() -> None:
    token, _ = issue(SecretStr(SECRET), "wf_1", "approvals", "lead@example.com", HOUR)

    assert verify(SECRET, token, "wf_1").approver == "lead@example.com"


def test_a_short_secret_or_a_non_positive_ttl_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32"):
        issue("short", "wf_1", "approvals", "lead@example.com", HOUR)
    with pytest.raises(ValueError, match="ttl"):
        issue(SECRET, "wf_1", "approvals", "lead@example.com", timedelta(0))


def test_the_settings_name_the_missing_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ELEVATE_TASK_TOKEN_SECRET", raising=False)

    with pytest.raises(ValidationError, match="ELEVATE_TASK_TOKEN_SECRET"):
        TaskTokenSettings()


def test_the_settings_refuse_a_short_secret_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ELEVATE_TASK_TOKEN_SECRET", "hunter2-too-short")

    with pytest.raises(ValidationError) as error:
        TaskTokenSettings()

    assert "ELEVATE_TASK_TOKEN_SECRET" in str(error.value)
    assert "hunter2" not in str(error.value)


def test_the_settings_read_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ELEVATE_TASK_TOKEN_SECRET", SECRET)

    assert TaskTokenSettings().secret.get_secret_value() == SECRET


def test_a_named_approver_may_approve() -> None:
    named = Principal(subject="lead@example.com", authenticator="oidc")

    assert may_approve("lead@example.com", named, requester=REQUESTER)


def test_a_group_member_may_approve_for_the_group() -> None:
    assert may_approve("group:sre-leads", LEAD, requester=REQUESTER)


def test_someone_outside_the_group_may_not_approve() -> None:
    outsider = Principal(subject="bob@example.com", authenticator="oidc", groups=("dev",))

    assert not may_approve("group:sre-leads", outsider, requester=REQUESTER)
    assert not may_approve("lead@example.com", outsider, requester=REQUESTER)


def test_a_group_name_is_not_a_subject() -> None:
    impostor = Principal(subject="group:sre-leads", authenticator="oidc")

    assert not may_approve("group:sre-leads", impostor, requester=REQUESTER)


def test_the_requester_may_not_approve_their_own_request() -> None:
    requester_in_group = Principal(
        subject="alice@example.com", authenticator="oidc", groups=("sre-leads",)
    )

    assert not may_approve("group:sre-leads", requester_in_group, requester=REQUESTER)


def test_self_approval_is_refused_whatever_the_case_of_the_subject() -> None:
    shouting = Principal(subject="ALICE@example.com", authenticator="oidc", groups=("sre-leads",))

    assert not may_approve("group:sre-leads", shouting, requester=REQUESTER)


def test_an_identity_that_would_get_the_access_may_not_approve() -> None:
    assert not may_approve(
        "group:sre-leads", LEAD, requester=REQUESTER, identities=("lead@example.com",)
    )


def test_self_approval_counts_when_the_workflow_allows_it() -> None:
    requester_in_group = Principal(
        subject="alice@example.com", authenticator="oidc", groups=("sre-leads",)
    )

    assert may_approve(
        "group:sre-leads", requester_in_group, requester=REQUESTER, allow_self_approval=True
    )


def test_the_claims_name_the_approver() -> None:
    token, _ = issue(SECRET, "wf_1", "approvals", "group:sre-leads", HOUR)
    claims = verify(SECRET, token, "wf_1")

    assert may_approve(claims, LEAD, requester=REQUESTER)
    assert not may_approve(claims, REQUESTER, requester=REQUESTER)
