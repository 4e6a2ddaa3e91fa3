"""API keys for services, kept as SHA-256 hashes with a name and scopes in a YAML file.

api_keys:
  - name: billing-service
    sha256: 5e88489...   # sha256 of the key, hex; the key itself is never stored
    scopes: [elevate:request, elevate:read]

A key's name is the service's subject in requests, approvals and visibility checks, so
it is a service name and never looks like a person's address: no ``@``.
"""

import hashlib
import hmac
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from elevate_gateway.adapters.auth.base import Authenticator, Credentials
from elevate_gateway.domain.caller import SCOPE_ADMIN, Caller
from elevate_shared.errors import NotAuthenticated
from elevate_shared.messages import Principal

#: The scopes of :mod:`elevate_gateway.domain.caller`, spelled out for validation.
Scope = Literal[
    "elevate:request", "elevate:read", "elevate:resume", "elevate:on-behalf", "elevate:admin"
]

#: A key's name: a service name, which can never be mistaken for a person's address.
SERVICE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class ApiKey(BaseModel):
    """One service's key: who it is, the key's hash, and what it may do."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    scopes: tuple[Scope, ...] = Field(min_length=1)

    @field_validator("name")
    @classmethod
    def _service_name(cls, name: str) -> str:
        # A name like alice@example.com would count as Alice wherever subjects are compared.
        if not SERVICE_NAME.fullmatch(name):
            raise ValueError(
                f"{name!r} is not a service name: use 1 to 64 lower-case letters, digits, "
                "'.', '_' or '-', starting with a letter or digit (no '@')"
            )
        return name


class ApiKeyFile(BaseModel):
    """The file's shape."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    api_keys: tuple[ApiKey, ...] = ()


def load_api_keys(path: Path) -> tuple[ApiKey, ...]:
    """Read the keys file; raise ValueError naming the file, the entry and the field at fault."""
    try:
        return ApiKeyFile.model_validate(yaml.safe_load(path.read_text()) or {}).api_keys
    except (OSError, yaml.YAMLError) as error:
        raise ValueError(f"{path}: cannot read API keys: {error}") from error
    except ValidationError as error:
        problems = "; ".join(_describe(problem) for problem in error.errors(include_url=False))
        raise ValueError(f"{path}: invalid API keys: {problems}") from error


def _describe(problem: Any) -> str:
    """Say where a problem is, as ``api_keys[0].name``, and what it is, without the input."""
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in problem["loc"])
    return f"{where.lstrip('.') or 'file'}: {problem['msg']}"


def hash_key(key: str) -> str:
    """Return the hex SHA-256 of a key, as the keys file stores it."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyAuthenticator(Authenticator):
    """Accept ``X-API-Key`` headers whose hash is in the keys file."""

    name = "api_key"

    def __init__(self, keys: tuple[ApiKey, ...]) -> None:
        self._keys = keys

    async def authenticate(self, credentials: Credentials) -> Caller | None:
        if credentials.api_key is None:
            return None
        digest = hash_key(credentials.api_key)
        # Compare with every entry in constant time, so timing tells nothing of the hashes.
        matches = [key for key in self._keys if hmac.compare_digest(key.sha256, digest)]
        if not matches:
            raise NotAuthenticated("the API key is not valid")
        key = matches[0]
        principal = Principal(
            subject=key.name,
            authenticator=self.name,
            kind="service",
            admin=SCOPE_ADMIN in key.scopes,
        )
        return Caller(principal=principal, scopes=frozenset(key.scopes))
