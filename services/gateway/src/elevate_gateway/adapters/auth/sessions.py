"""Session tokens: the gateway's own, issued after an OIDC login, Fernet-encrypted.

A token is the encrypted JSON ``{subject, groups, authenticator, expiry}``. Fernet both
encrypts and authenticates it, so a token changed in any bit is refused; the expiry
inside is checked on every use, and Fernet's own timestamp bounds it once more.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import ValidationError

from elevate_gateway.adapters.auth.base import Authenticator, Credentials
from elevate_gateway.domain.caller import Caller, person
from elevate_shared.errors import NotAuthenticated
from elevate_shared.messages.base import utcnow

#: Version of the token's content, as the contract's session object carries it.
SESSION_VERSION = 1


@dataclass(frozen=True)
class Session:
    """An issued session: the token and when it stops being accepted."""

    token: str
    expiry: datetime

    def as_contract(self) -> dict[str, object]:
        """Return the contract's ``session`` object."""
        expiry = self.expiry.isoformat().replace("+00:00", "Z")
        return {"version": SESSION_VERSION, "expiry": expiry, "session": self.token}


class SessionCodec:
    """Seal and open session tokens with one or more Fernet keys (the first seals)."""

    def __init__(self, keys: list[str], ttl: timedelta) -> None:
        if not keys:
            raise ValueError("sessions need at least one Fernet key")
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        self._ttl = ttl

    def seal(self, caller: Caller) -> Session:
        """Issue a token for ``caller``, valid for the configured time."""
        expiry = utcnow() + self._ttl
        content = {
            "subject": caller.subject,
            "groups": list(caller.principal.groups),
            "authenticator": caller.principal.authenticator,
            "expiry": int(expiry.timestamp()),
        }
        token = self._fernet.encrypt(json.dumps(content).encode()).decode()
        return Session(token=token, expiry=expiry.replace(microsecond=0))

    def open(self, token: str) -> dict[str, object]:
        """Return a token's content, or raise :class:`NotAuthenticated`."""
        try:
            # The TTL is checked against the token's own timestamp, with a minute of slack
            # for clocks; the expiry inside is what counts and is checked next.
            raw = self._fernet.decrypt(token.encode(), ttl=int(self._ttl.total_seconds()) + 60)
            content = json.loads(raw)
        except (InvalidToken, ValueError) as error:
            raise NotAuthenticated("the session token is not valid") from error
        if not isinstance(content, dict) or int(content.get("expiry", 0)) < utcnow().timestamp():
            raise NotAuthenticated("the session has expired; sign in again")
        return content


class SessionAuthenticator(Authenticator):
    """Accept session tokens from the body's ``session`` object or the query."""

    name = "session"

    def __init__(self, codec: SessionCodec, *, admin_group: str) -> None:
        self._codec = codec
        self._admin_group = admin_group

    async def authenticate(self, credentials: Credentials) -> Caller | None:
        if credentials.session is None:
            return None
        content = self._codec.open(credentials.session)
        groups = content.get("groups")
        try:
            return person(
                str(content["subject"]),
                str(content["authenticator"]),
                tuple(str(g) for g in groups) if isinstance(groups, list) else (),
                admin_group=self._admin_group,
                via=self.name,
            )
        except (KeyError, ValidationError) as error:
            raise NotAuthenticated("the session token is not valid") from error
