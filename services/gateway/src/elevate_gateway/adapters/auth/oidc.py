"""OIDC bearer tokens: JWTs signed by the issuer, checked against its JWKS."""

import asyncio
from typing import Any

import jwt
import structlog
from pydantic import ValidationError

from elevate_gateway.adapters.auth.base import Authenticator, Credentials
from elevate_gateway.domain.caller import Caller, person
from elevate_gateway.settings import AuthSettings
from elevate_shared.errors import NotAuthenticated, Unavailable

log = structlog.get_logger(__name__)

#: Seconds to wait for the issuer's JWKS.
JWKS_TIMEOUT_SECONDS = 5
#: Signing algorithms that may never be accepted, whatever the settings say.
_FORBIDDEN_ALGORITHMS = frozenset({"none", "HS256", "HS384", "HS512"})


class OidcAuthenticator(Authenticator):
    """Accept JWTs with the configured issuer and audience, unexpired, validly signed."""

    def __init__(self, settings: AuthSettings) -> None:
        if not (settings.oidc_issuer and settings.oidc_audience and settings.oidc_jwks_url):
            raise ValueError("OIDC needs an issuer, an audience and a JWKS URL")
        self.name = settings.oidc_name
        self._settings = settings
        self._issuer = settings.oidc_issuer
        self._audience = settings.oidc_audience
        self._algorithms = [a for a in settings.oidc_algorithms if a not in _FORBIDDEN_ALGORITHMS]
        # The client caches the key set and refetches it when a token names an unknown key,
        # at most once per cooldown, so tokens with made-up key ids cannot flood the issuer.
        # TODO(gateway): read the JWKS URL from the issuer's discovery document
        # (/.well-known/openid-configuration); for now it is configured explicitly.
        self._jwks = jwt.PyJWKClient(settings.oidc_jwks_url, timeout=JWKS_TIMEOUT_SECONDS)

    async def authenticate(self, credentials: Credentials) -> Caller | None:
        if credentials.bearer is None:
            return None
        # PyJWKClient fetches over blocking HTTP; keep it off the event loop.
        claims = await asyncio.to_thread(self._decode, credentials.bearer)
        return self._caller(claims)

    def _decode(self, token: str) -> dict[str, Any]:
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            return jwt.decode(
                token,
                key.key,
                algorithms=self._algorithms,
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._settings.oidc_leeway_seconds,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWKClientConnectionError as error:
            log.warning("jwks_unreachable", error=repr(error))
            raise Unavailable("the identity provider's keys could not be fetched") from error
        except jwt.PyJWTError as error:
            log.info("token_refused", authenticator=self.name, problem=type(error).__name__)
            raise NotAuthenticated(_explain(error)) from error

    def _caller(self, claims: dict[str, Any]) -> Caller:
        subject = claims.get(self._settings.oidc_subject_claim)
        if not isinstance(subject, str) or not subject:
            claim = self._settings.oidc_subject_claim
            raise NotAuthenticated(f"the token has no {claim!r} claim naming you")
        self._check_verified(claims)
        groups = claims.get(self._settings.oidc_groups_claim) or []
        if not isinstance(groups, list):
            groups = []
        names = tuple(g for g in groups if isinstance(g, str))
        try:
            return person(subject, self.name, names, admin_group=self._settings.admin_group)
        except ValidationError as error:
            raise NotAuthenticated("the token's identity claims are malformed") from error

    def _check_verified(self, claims: dict[str, Any]) -> None:
        """Refuse an email address the issuer has not verified, when it names the caller."""
        if self._settings.oidc_subject_claim != "email":
            return
        if not self._settings.oidc_require_verified_email:
            return
        # Some issuers send the flag as the string "true"; anything else is not verified.
        verified = claims.get("email_verified")
        if verified is True or (isinstance(verified, str) and verified.lower() == "true"):
            return
        log.info("token_refused", authenticator=self.name, problem="email_not_verified")
        raise NotAuthenticated("the token's email address is not verified by the issuer")


def _explain(error: jwt.PyJWTError) -> str:
    """Say what is wrong with a token without echoing any of it."""
    explanations: list[tuple[type[jwt.PyJWTError], str]] = [
        (jwt.ExpiredSignatureError, "the token has expired"),
        (jwt.InvalidAudienceError, "the token was issued for another audience"),
        (jwt.InvalidIssuerError, "the token comes from another issuer"),
        (jwt.ImmatureSignatureError, "the token is not valid yet"),
        (jwt.MissingRequiredClaimError, "the token lacks a required claim"),
        (jwt.PyJWKClientError, "the token is not signed by a key of the issuer"),
        (jwt.InvalidSignatureError, "the token's signature is not valid"),
        (jwt.InvalidAlgorithmError, "the token's signing algorithm is not accepted"),
    ]
    return next((text for kind, text in explanations if isinstance(error, kind)), _DEFAULT)


_DEFAULT = "the bearer token is not valid"
