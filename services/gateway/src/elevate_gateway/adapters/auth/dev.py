"""The development authenticator: one fixed local identity behind one known token.

It exists only when ``ELEVATE_AUTH_DEV_MODE=true``; bootstrap logs a warning whenever it
does. Anyone holding the token is that identity, so it never belongs in production.
"""

import hmac

from elevate_gateway.adapters.auth.base import Authenticator, Credentials
from elevate_gateway.domain.caller import Caller, person
from elevate_gateway.settings import AuthSettings


class DevAuthenticator(Authenticator):
    """Accept the configured development bearer token as the development identity."""

    name = "dev"

    def __init__(self, settings: AuthSettings) -> None:
        self._token = settings.dev_token.get_secret_value()
        self._caller = person(
            settings.dev_subject,
            self.name,
            settings.dev_groups,
            admin_group=settings.admin_group,
        )

    async def authenticate(self, credentials: Credentials) -> Caller | None:
        bearer = credentials.bearer
        if bearer is None or not hmac.compare_digest(bearer.encode(), self._token.encode()):
            return None  # not the development token: another authenticator may know it
        return self._caller
