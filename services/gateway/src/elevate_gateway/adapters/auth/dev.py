"""The development authenticator: fixed local identities behind known tokens.

It exists only when ``ELEVATE_AUTH_DEV_MODE=true``; bootstrap logs a warning whenever it
does. Anyone holding the token is that identity, so it never belongs in production.
"""

import hmac

from elevate_gateway.adapters.auth.base import Authenticator, Credentials
from elevate_gateway.domain.caller import Caller, person
from elevate_gateway.settings import AuthSettings


class DevAuthenticator(Authenticator):
    """Accept the development bearer tokens as their development identities.

    The requester identity always exists; an approver identity exists when its token is
    set, so the approval flow can be tried on a laptop.
    """

    name = "dev"

    def __init__(self, settings: AuthSettings) -> None:
        self._callers = [
            (
                settings.dev_token.get_secret_value().encode(),
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
            self._callers.append(
                (settings.dev_approver_token.get_secret_value().encode(), approver)
            )

    async def authenticate(self, credentials: Credentials) -> Caller | None:
        if credentials.bearer is None:
            return None
        offered = credentials.bearer.encode()
        for token, caller in self._callers:
            if hmac.compare_digest(offered, token):
                return caller
        return None  # not a development token: another authenticator may know it
