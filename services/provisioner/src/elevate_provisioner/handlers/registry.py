"""Which handler answers which command."""

from collections.abc import Awaitable, Callable
from typing import Any

from elevate_provisioner.handlers.dependencies import Dependencies
from elevate_provisioner.handlers.grant_access import grant_access
from elevate_provisioner.handlers.revoke_access import revoke_access
from elevate_shared.messages import GrantAccess, Message, RevokeAccess

Handler = Callable[[Any, Dependencies], Awaitable[None]]

HANDLERS: dict[type[Message], Handler] = {
    GrantAccess: grant_access,
    RevokeAccess: revoke_access,
}


async def handle(command: GrantAccess | RevokeAccess, deps: Dependencies) -> None:
    """Run the handler of the command's type."""
    await HANDLERS[type(command)](command, deps)
