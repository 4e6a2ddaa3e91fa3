"""The gateway's own settings, grouped by concern and read from the environment.

``GATEWAY_`` holds where it listens and its protective limits; ``ELEVATE_AUTH_`` holds how
callers are authenticated. Kafka, MongoDB, Redis and the catalogue use the shared
settings. A malformed variable stops the gateway at start with a message naming it.
"""

import ipaddress
from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The development token's placeholder; refused, so every setup picks its own token.
DEV_TOKEN_PLACEHOLDER = "elevate-dev-token"  # noqa: S105 (refused, never accepted)
#: Shortest development token accepted: anyone who guesses it acts as its identity.
DEV_TOKEN_MIN_LENGTH = 16


class GatewaySettings(BaseSettings):
    """Where the gateway listens and how much it accepts."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_")

    #: Interface to bind; 127.0.0.1 locally, 0.0.0.0 inside a container.
    host: str = "127.0.0.1"
    #: TCP port to listen on.
    port: int = Field(default=8000, ge=1, le=65535)
    #: Largest request body accepted, in bytes; larger bodies get 413.
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    #: Length of a rate-limit window, in seconds.
    rate_limit_window_seconds: int = Field(default=60, ge=1)
    #: Elevation requests one requester or API key may make per window.
    rate_limit_requests: int = Field(default=20, ge=1)
    #: Reads (status, roles) one requester or API key may make per window.
    rate_limit_reads: int = Field(default=300, ge=1)
    #: How long the first answer to an ``Idempotency-Key`` is replayed, in seconds.
    idempotency_ttl_seconds: int = Field(default=86_400, ge=60)


class AuthSettings(BaseSettings):
    """How callers prove who they are. Unset authenticators are switched off."""

    model_config = SettingsConfigDict(env_prefix="ELEVATE_AUTH_")

    #: Group whose members may request for others and read every workflow.
    admin_group: str = "elevate-admins"

    #: Issuer (``iss``) of accepted OIDC tokens; unset switches OIDC off.
    oidc_issuer: str | None = None
    #: Audience (``aud``) the tokens must be issued for.
    oidc_audience: str | None = None
    #: URL of the issuer's JWKS (its public signing keys).
    oidc_jwks_url: str | None = None
    #: Signing algorithms accepted; never ``none`` or an HMAC one.
    oidc_algorithms: tuple[str, ...] = ("RS256", "ES256")
    #: Clock skew tolerated on ``exp``, ``nbf`` and ``iat``, in seconds.
    oidc_leeway_seconds: int = Field(default=30, ge=0, le=300)
    #: Claim that names the person; it becomes the requester and default identity.
    oidc_subject_claim: str = "email"
    #: With the ``email`` subject claim, accept only tokens whose ``email_verified`` is
    #: true: where people may set their own address, an unverified one could be anybody's.
    oidc_require_verified_email: bool = True
    #: Claim holding the person's groups (a list of names).
    oidc_groups_claim: str = "groups"
    #: Name this authenticator goes by in requests' ``authenticator`` and in roles.
    oidc_name: str = "oidc"

    #: YAML file of API keys for services: name, SHA-256 of the key, scopes.
    api_keys_file: Path | None = None

    #: Fernet keys (comma-separated) for session tokens; the first encrypts, all decrypt.
    #: Unset switches sessions off.
    session_keys: SecretStr | None = None
    #: How long an issued session token is accepted, in seconds.
    session_ttl_seconds: int = Field(default=8 * 3600, ge=60, le=7 * 86_400)

    #: Switch on the development authenticator. Never in production.
    dev_mode: bool = False
    #: Bearer token the development authenticator accepts; at least 16 characters, and
    #: never the placeholder default.
    dev_token: SecretStr = SecretStr(DEV_TOKEN_PLACEHOLDER)
    #: The fixed identity the development authenticator gives.
    dev_subject: str = "dev@example.com"
    #: The development identity's groups.
    dev_groups: tuple[str, ...] = ("sre-leads", "elevate-admins")
    #: Bearer token of a second development identity, an approver, so the approval flow
    #: can be tried locally (nobody approves their own request); at least 16 characters.
    #: Unset: no approver.
    dev_approver_token: SecretStr | None = None
    #: The development approver's identity.
    dev_approver_subject: str = "lead@example.com"
    #: The development approver's groups.
    dev_approver_groups: tuple[str, ...] = ("sre-leads",)

    @model_validator(mode="after")
    def _oidc_complete(self) -> Self:
        given = [self.oidc_issuer, self.oidc_audience, self.oidc_jwks_url]
        if any(given) and not all(given):
            raise ValueError(
                "set ELEVATE_AUTH_OIDC_ISSUER, ELEVATE_AUTH_OIDC_AUDIENCE and "
                "ELEVATE_AUTH_OIDC_JWKS_URL together"
            )
        return self


def check_dev_mode_is_local(gateway: GatewaySettings, auth: AuthSettings) -> None:
    """Refuse development mode on a gateway that listens beyond this machine."""
    if auth.dev_mode and not _is_loopback(gateway.host):
        raise ValueError(
            f"ELEVATE_AUTH_DEV_MODE=true needs GATEWAY_HOST to be a loopback address "
            f"(127.0.0.1, ::1, localhost), not {gateway.host!r}: the development tokens "
            "give admin rights to whoever holds them"
        )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name other than localhost may resolve anywhere
        return False
