"""Which handler answers which command."""

from collections.abc import Awaitable, Callable
from typing import Any

from elevate_provisioner.domain.errors import UnknownProvider
from elevate_provisioner.handlers.dependencies import Dependencies
from elevate_provisioner.handlers.grant_access import grant_access
from elevate_provisioner.handlers.results import refused
from elevate_provisioner.handlers.revoke_access import revoke_access
from elevate_shared.messages import GrantAccess, Message, RevokeAccess

Handler = Callable[[Any, Dependencies], Awaitable[None]]

HANDLERS: dict[type[Message], Handler] = {
    GrantAccess: grant_access,
    RevokeAccess: revoke_access,
}


async def handle(command: GrantAccess | RevokeAccess, deps: Dependencies) -> None:
    """Run the handler of the command's type.

    Raises :class:`UnknownProvider` after answering the command with a failure, so that
    the workflow fails the grant (or retries the revoke) now rather than at its deadline.
    """
    try:
        await HANDLERS[type(command)](command, deps)
    except UnknownProvider as error:
        await deps.emit(refused(command, str(error)))
        raise
