"""Issue a session token to a person who signed in with a bearer token."""

from elevate_gateway.adapters.auth.sessions import Session, SessionCodec
from elevate_gateway.domain.caller import Caller
from elevate_shared.errors import NotAllowed, Unavailable

#: Authenticators a session may be opened from; a session never renews itself, and
#: services use their API keys directly.
_SIGN_IN_AUTHENTICATORS = frozenset({"dev"})


def open_session(caller: Caller, sessions: SessionCodec | None, *, oidc_name: str) -> Session:
    """Return a new session for ``caller``, who must have come with an OIDC token."""
    if sessions is None:
        raise Unavailable("sessions are not configured on this gateway")
    if caller.checked_by not in _SIGN_IN_AUTHENTICATORS | {oidc_name}:
        raise NotAllowed("a session is opened with an OIDC bearer token", field="authenticator")
    return sessions.seal(caller)
