"""The authenticator port and the credentials a request may carry."""

import abc
from dataclasses import dataclass

from elevate_gateway.domain.caller import Caller


@dataclass(frozen=True)
class Credentials:
    """What a request offers as proof of identity. Never logged."""

    bearer: str | None = None
    api_key: str | None = None
    session: str | None = None

    def kinds(self) -> list[str]:
        """Return the kinds of credential present, by name."""
        given = {"bearer token": self.bearer, "API key": self.api_key, "session": self.session}
        return [kind for kind, value in given.items() if value]


class Authenticator(abc.ABC):
    """Port: turn credentials of one kind into a caller."""

    #: The name callers and roles use for this authenticator.
    name: str

    @abc.abstractmethod
    async def authenticate(self, credentials: Credentials) -> Caller | None:
        """Return the caller, None if the credentials are not of this kind, or raise."""
