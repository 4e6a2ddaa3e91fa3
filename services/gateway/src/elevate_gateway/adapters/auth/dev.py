"""The development authenticator: fixed local identities behind known tokens.

It exists only when ``ELEVATE_AUTH_DEV_MODE=true``; bootstrap logs a warning whenever it
does, and refuses it on a gateway that listens beyond loopback. Anyone holding the token
is that identity, so it never belongs in production, and it refuses the placeholder token
and short ones.
"""

import hmac

from pydantic import SecretStr

from elevate_gateway.adapters.auth.base import Authenticator, Credentials
from elevate_gateway.domain.caller import Caller, person
from elevate_gateway.settings import DEV_TOKEN_MIN_LENGTH, DEV_TOKEN_PLACEHOLDER, AuthSettings


class DevAuthenticator(Authenticator):
    """Accept the development bearer tokens as their development identities.

    The requester identity always exists; an approver identity exists when its token is
    set, so the approval flow can be tried on a laptop.
    """

    name = "dev"

    def __init__(self, settings: AuthSettings) -> None:
        self._callers = [
            (
                _guarded(settings.dev_token, "ELEVATE_AUTH_DEV_TOKEN"),
                person(
                    settings.dev_subject,
                    self.name,
                    settings.dev_groups,
                    admin_group=settings.admin_group,
                ),
            )
        ]
        if settings.dev_approver_token is not None:
            approver = person(
                settings.dev_approver_subject,
                self.name,
                settings.dev_approver_groups,
                admin_group=settings.admin_group,
            )
            token = _guarded(settings.dev_approver_token, "ELEVATE_AUTH_DEV_APPROVER_TOKEN")
            self._callers.append((token, approver))

    async def authenticate(self, credentials: Credentials) -> Caller | None:
        if credentials.bearer is None:
            return None
        offered = credentials.bearer.encode()
        for token, caller in self._callers:
            if hmac.compare_digest(offered, token):
                return caller
        return None  # not a development token: another authenticator may know it


def _guarded(token: SecretStr, variable: str) -> bytes:
    """Return the token's bytes; refuse the placeholder and tokens easy to guess."""
    value = token.get_secret_value()
    if value == DEV_TOKEN_PLACEHOLDER:
        raise ValueError(f"set {variable} to a random token of your own, not the placeholder")
    if len(value) < DEV_TOKEN_MIN_LENGTH:
        raise ValueError(f"{variable} must be at least {DEV_TOKEN_MIN_LENGTH} characters long")
    return value.encode()
