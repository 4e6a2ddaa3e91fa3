"""``POST /auth/session``: exchange an OIDC (or development) bearer token for a session."""

from typing import Any

from litestar import post

from elevate_gateway.domain.caller import SCOPE_REQUEST
from elevate_gateway.entrypoints.dependencies import CallerParam, ServicesParam
from elevate_gateway.handlers.open_session import open_session


@post("/auth/session", name="open_session", opt={"scope": SCOPE_REQUEST, "rate": "requests"})
async def create_session(caller: CallerParam, services: ServicesParam) -> dict[str, Any]:
    """Return the contract's ``session`` object for the signed-in person."""
    session = open_session(caller, services.sessions, oidc_name=services.auth.oidc_name)
    return session.as_contract()
