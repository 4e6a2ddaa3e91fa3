from datetime import timedelta
from pathlib import Path
from typing import get_args
from uuid import uuid4

import pytest
import yaml
from cryptography.fernet import Fernet
from gateway_fakes import alice  # type: ignore[import-not-found]
from structlog.testing import capture_logs

from elevate_gateway.adapters.auth.api_keys import (
    ApiKey,
    ApiKeyAuthenticator,
    Scope,
    hash_key,
    load_api_keys,
)
from elevate_gateway.adapters.auth.base import Authenticator, Credentials
from elevate_gateway.adapters.auth.sessions import SessionAuthenticator, SessionCodec
from elevate_gateway.bootstrap import build_authenticators, build_services
from elevate_gateway.domain.caller import ALL_SCOPES, Caller
from elevate_gateway.handlers.authenticate import authenticate
from elevate_gateway.settings import AuthSettings, GatewaySettings, check_dev_mode_is_local
from elevate_shared.errors import NotAuthenticated

DEV_TOKEN = "dev-" + uuid4().hex
APPROVER_TOKEN = "approver-" + uuid4().hex


class Refusing(Authenticator):
    name = "refusing"

    def __init__(self) -> None:
        self.asked = 0

    async def authenticate(self, credentials: Credentials) -> Caller | None:
        self.asked += 1
        return None


def test_the_api_key_scopes_are_the_callers_scopes() -> None:
    assert set(get_args(Scope)) == ALL_SCOPES


async def test_no_credential_at_all_is_refused_before_any_authenticator_is_asked() -> None:
    refusing = Refusing()

    with pytest.raises(NotAuthenticated, match="sign in"):
        await authenticate([refusing], Credentials())
    assert refusing.asked == 0


async def test_a_credential_no_authenticator_takes_is_refused() -> None:
    with pytest.raises(NotAuthenticated, match="not accepted"):
        await authenticate([Refusing()], Credentials(bearer="token"))


async def test_an_api_key_is_known_by_its_hash_only() -> None:
    key = ApiKey(name="bot", sha256=hash_key("secret-key"), scopes=("elevate:read",))
    authenticator = ApiKeyAuthenticator((key,))

    caller = await authenticator.authenticate(Credentials(api_key="secret-key"))

    assert caller is not None
    assert caller.principal.kind == "service"
    assert caller.scopes == frozenset({"elevate:read"})
    with pytest.raises(NotAuthenticated):
        await authenticator.authenticate(Credentials(api_key="other-key"))


def test_a_keys_file_with_an_unknown_scope_stops_the_start(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text(f"api_keys:\n  - {{name: bot, sha256: {'a' * 64}, scopes: [everything]}}\n")

    with pytest.raises(ValueError, match=str(path)):
        load_api_keys(path)


@pytest.mark.parametrize("name", ["alice@example.com", "Billing", "-bot", "b" * 65, ""])
def test_a_key_name_that_is_not_a_service_name_stops_the_start(tmp_path: Path, name: str) -> None:
    path = tmp_path / "keys.yaml"
    entries = [
        {"name": "bot", "sha256": "a" * 64, "scopes": ["elevate:read"]},
        {"name": name, "sha256": "b" * 64, "scopes": ["elevate:read"]},
    ]
    path.write_text(yaml.safe_dump({"api_keys": entries}))

    with pytest.raises(ValueError, match="not a service name") as refused:
        load_api_keys(path)
    assert str(path) in str(refused.value)
    assert "api_keys[1].name" in str(refused.value)


def test_a_service_named_key_loads(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    entry = {"name": "billing-service.v2_eu", "sha256": "a" * 64, "scopes": ["elevate:read"]}
    path.write_text(yaml.safe_dump({"api_keys": [entry]}))

    assert [key.name for key in load_api_keys(path)] == ["billing-service.v2_eu"]


def codec(ttl: timedelta = timedelta(hours=1), *keys: str) -> SessionCodec:
    return SessionCodec(list(keys) or [Fernet.generate_key().decode()], ttl)


async def test_a_sealed_session_opens_as_the_same_person_checked_by_sessions() -> None:
    sessions = codec()
    sealed = sessions.seal(alice("sre-leads"))

    caller = await SessionAuthenticator(sessions, admin_group="elevate-admins").authenticate(
        Credentials(session=sealed.token)
    )

    assert caller is not None
    assert caller.subject == "alice@example.com"
    assert caller.principal.authenticator == "oidc"
    assert caller.principal.groups == ("sre-leads",)
    assert caller.checked_by == "session"


def test_an_expired_or_foreign_session_is_refused() -> None:
    expired = codec(timedelta(seconds=-1))
    with pytest.raises(NotAuthenticated, match="expired"):
        expired.open(expired.seal(alice()).token)

    with pytest.raises(NotAuthenticated, match="not valid"):
        codec().open(codec().seal(alice()).token)


def test_sessions_sealed_with_a_retired_key_still_open_after_rotation() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = codec(timedelta(hours=1), old).seal(alice()).token

    assert codec(timedelta(hours=1), new, old).open(token)["subject"] == "alice@example.com"


def test_the_development_authenticator_exists_only_when_switched_on_and_warns() -> None:
    assert [a.name for a in build_authenticators(AuthSettings(), None)] == []

    with capture_logs() as logs:
        names = [
            a.name
            for a in build_authenticators(AuthSettings(dev_mode=True, dev_token=DEV_TOKEN), None)
        ]

    assert names == ["dev"]
    assert any(
        e["event"] == "dev_authenticator_enabled" and e["log_level"] == "warning" for e in logs
    )


async def test_the_development_token_gives_the_fixed_identity() -> None:
    [dev] = build_authenticators(AuthSettings(dev_mode=True, dev_token=DEV_TOKEN), None)

    caller = await dev.authenticate(Credentials(bearer=DEV_TOKEN))

    assert caller is not None
    assert caller.subject == "dev@example.com"
    assert await dev.authenticate(Credentials(bearer="other")) is None


@pytest.mark.parametrize(
    ("tokens", "variable"),
    [
        ({}, "ELEVATE_AUTH_DEV_TOKEN"),
        ({"dev_token": "elevate-dev-token"}, "ELEVATE_AUTH_DEV_TOKEN"),
        ({"dev_token": "fifteen-chars-x"}, "ELEVATE_AUTH_DEV_TOKEN"),
        (
            {"dev_token": DEV_TOKEN, "dev_approver_token": "short"},
            "ELEVATE_AUTH_DEV_APPROVER_TOKEN",
        ),
    ],
)
def test_dev_mode_refuses_the_placeholder_or_a_short_token(
    tokens: dict[str, str], variable: str
) -> None:
    with pytest.raises(ValueError, match=variable):
        build_authenticators(AuthSettings.model_validate({"dev_mode": True, **tokens}), None)


BEYOND_LOOPBACK = ["0.0.0.0", "192.0.2.10", "::", "gateway.internal"]  # noqa: S104 (checked, not bound)


@pytest.mark.parametrize("host", BEYOND_LOOPBACK)
def test_dev_mode_refuses_a_gateway_listening_beyond_loopback(host: str) -> None:
    with pytest.raises(ValueError, match="GATEWAY_HOST"):
        build_services(
            gateway=GatewaySettings(host=host),
            auth=AuthSettings(dev_mode=True, dev_token=DEV_TOKEN),
        )


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_dev_mode_is_allowed_on_loopback_and_any_host_without_it(host: str) -> None:
    check_dev_mode_is_local(GatewaySettings(host=host), AuthSettings(dev_mode=True))
    check_dev_mode_is_local(GatewaySettings(host=BEYOND_LOOPBACK[0]), AuthSettings())


def test_oidc_settings_must_come_together() -> None:
    with pytest.raises(ValueError, match="ELEVATE_AUTH_OIDC_JWKS_URL"):
        AuthSettings(oidc_issuer="https://issuer.test", oidc_audience="elevate")


async def test_the_development_approver_token_gives_a_second_identity() -> None:
    settings = AuthSettings(dev_mode=True, dev_token=DEV_TOKEN, dev_approver_token=APPROVER_TOKEN)
    [dev] = build_authenticators(settings, None)

    approver = await dev.authenticate(Credentials(bearer=APPROVER_TOKEN))

    assert approver is not None
    assert approver.subject == "lead@example.com"
    assert "sre-leads" in approver.principal.groups


async def test_the_admin_flag_travels_with_the_principal_for_admin_keys_and_groups() -> None:
    admin_key = ApiKey(name="ops-bot", sha256=hash_key("ops-key"), scopes=("elevate:admin",))
    reader_key = ApiKey(name="bot", sha256=hash_key("read-key"), scopes=("elevate:read",))
    keys = ApiKeyAuthenticator((admin_key, reader_key))
    [dev] = build_authenticators(AuthSettings(dev_mode=True, dev_token=DEV_TOKEN), None)

    ops = await keys.authenticate(Credentials(api_key="ops-key"))
    reader = await keys.authenticate(Credentials(api_key="read-key"))
    person = await dev.authenticate(Credentials(bearer=DEV_TOKEN))

    assert ops is not None
    assert ops.principal.admin
    assert reader is not None
    assert not reader.principal.admin
    assert person is not None
    assert person.principal.admin
