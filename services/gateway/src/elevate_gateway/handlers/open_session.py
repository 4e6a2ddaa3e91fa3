"""Issue a session token to a person who signed in with a bearer token.

The bearer token is an OIDC token, or, with ``ELEVATE_AUTH_DEV_MODE=true``, a
development token, so the session flow can be tried locally.
"""

from elevate_gateway.adapters.auth.sessions import Session, SessionCodec
from elevate_gateway.domain.caller import Caller
from elevate_shared.errors import NotAllowed, Unavailable

#: Authenticators besides OIDC a session may be opened from: the development one. Not a
#: session (it never renews itself), and not an API key (services use theirs directly).
_SIGN_IN_AUTHENTICATORS = frozenset({"dev"})


def open_session(caller: Caller, sessions: SessionCodec | None, *, oidc_name: str) -> Session:
    """Return a new session for ``caller``, who came with an OIDC or development token."""
    if sessions is None:
        raise Unavailable("sessions are not configured on this gateway")
    if caller.checked_by not in _SIGN_IN_AUTHENTICATORS | {oidc_name}:
        raise NotAllowed("a session is opened with an OIDC bearer token", field="authenticator")
    return sessions.seal(caller)
