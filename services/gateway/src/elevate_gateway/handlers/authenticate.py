"""Find out who is calling from the one credential a request carries."""

from elevate_gateway.adapters.auth.base import Authenticator, Credentials
from elevate_gateway.domain.caller import Caller
from elevate_shared.errors import NotAllowed, NotAuthenticated


async def authenticate(authenticators: list[Authenticator], credentials: Credentials) -> Caller:
    """Return the caller, or raise :class:`NotAuthenticated` saying what is missing."""
    given = credentials.kinds()
    if not given:
        raise NotAuthenticated(
            "sign in: send a bearer token, an X-API-Key header or a session token"
        )
    if len(given) > 1:
        # Two proofs that might name two people: refuse rather than guess which counts.
        raise NotAuthenticated(f"send one credential, not several ({', '.join(given)})")

    for authenticator in authenticators:
        caller = await authenticator.authenticate(credentials)
        if caller is not None:
            return caller
    raise NotAuthenticated(f"{given[0]} credentials are not accepted by this gateway")


def require_scope(caller: Caller, scope: str) -> None:
    """Refuse a caller without ``scope``."""
    if not caller.may(scope):
        raise NotAllowed(f"this needs the scope {scope!r}, which {caller.subject} lacks")
