"""Fixtures for the gateway on the real stack: a local OIDC issuer, API keys, the app."""

import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import yaml
from cryptography.fernet import Fernet
from gateway_support import (  # type: ignore[import-not-found]
    API_KEYS,
    AUDIENCE,
    ISSUER,
    TASK_TOKEN_SECRET,
    AppFactory,
    Client,
    CommandLog,
    Issuer,
    Published,
    serving_jwks,
)
from litestar import Litestar
from litestar.testing import AsyncTestClient

from elevate_gateway.adapters.auth.api_keys import hash_key
from elevate_gateway.bootstrap import bootstrap
from elevate_gateway.settings import AuthSettings, GatewaySettings
from elevate_shared.catalogue import Catalogue, load_catalogue

CATALOGUE_DIR = Path(__file__).parents[2] / "catalogue"

#: Limits high enough that tests sharing an API key never meet them; the rate-limit
#: tests build their own app with small ones.
ROOMY_LIMITS = {"rate_limit_requests": 10_000, "rate_limit_reads": 10_000}


@pytest.fixture(scope="session")
def issuer() -> Issuer:
    return Issuer()


@pytest.fixture(scope="session")
def jwks_url(issuer: Issuer) -> Iterator[str]:
    with serving_jwks(issuer) as url:
        yield url


@pytest.fixture(scope="session")
def api_keys_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    entries = [
        {"name": name, "sha256": hash_key(key), "scopes": scopes}
        for name, (key, scopes) in API_KEYS.items()
    ]
    path = tmp_path_factory.mktemp("auth") / "api-keys.yaml"
    path.write_text(yaml.safe_dump({"api_keys": entries}))
    return path


@pytest.fixture(scope="session")
def session_key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture(scope="session")
def auth_settings(jwks_url: str, api_keys_file: Path, session_key: str) -> AuthSettings:
    return AuthSettings(
        oidc_issuer=ISSUER,
        oidc_audience=AUDIENCE,
        oidc_jwks_url=jwks_url,
        oidc_leeway_seconds=5,
        api_keys_file=api_keys_file,
        session_keys=session_key,
        dev_mode=False,
    )


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE_DIR)


@pytest.fixture(scope="session")
def make_app(
    stack: dict[str, str], auth_settings: AuthSettings, catalogue: Catalogue
) -> AppFactory:
    """Build an app on the stack; keyword arguments override gateway or auth settings."""

    def build(
        *,
        gateway: dict[str, Any] | None = None,
        auth: dict[str, Any] | None = None,
        catalogue: Catalogue = catalogue,
    ) -> Litestar:
        os.environ.update(stack)
        # The approval routes read their task token key at start; tests give one.
        os.environ.setdefault("ELEVATE_TASK_TOKEN_SECRET", TASK_TOKEN_SECRET)
        return bootstrap(
            gateway=GatewaySettings(**{**ROOMY_LIMITS, **(gateway or {})}),
            auth=auth_settings.model_copy(update=auth or {}),
            catalogue=catalogue,
        )

    return build


@pytest.fixture(scope="session")
async def client(make_app: AppFactory) -> AsyncIterator[Client]:
    async with AsyncTestClient(make_app()) as test_client:
        yield test_client


@pytest.fixture(scope="session")
async def command_log(stack: dict[str, str]) -> AsyncIterator[CommandLog]:
    log = CommandLog(stack["KAFKA_BOOTSTRAP_SERVERS"])
    await log.start()
    yield log
    await log.stop()


@pytest.fixture
async def published(command_log: CommandLog) -> Published:
    """Commands published from the start of the test on."""
    return Published(command_log, await command_log.mark())


@pytest.fixture
def unique() -> str:
    """A short text no other test uses, for reasons and subjects."""
    return uuid4().hex[:12]


@pytest.fixture
def person(issuer: Issuer, unique: str) -> Callable[..., dict[str, str]]:
    """Headers of a signed-in person with a subject unique to the test."""

    def headers(
        name: str = "alice", *, groups: tuple[str, ...] = (), **claims: Any
    ) -> dict[str, str]:
        token = issuer.token(f"{name}-{unique}@example.com", groups=groups, **claims)
        return {"Authorization": f"Bearer {token}"}

    return headers
