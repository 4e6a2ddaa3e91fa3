"""The ports the handlers depend on; adapters implement them, tests fake them."""

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence

from elevate_provisioner.domain.grants import GrantRecord
from elevate_shared.messages import GrantAccess, Message, RevokeAccess

#: Publishes one result event.
Emit = Callable[[Message], Awaitable[None]]


class CloudProvider(ABC):
    """A target cloud that grants, revokes and checks the access of one grant.

    ``grant`` and ``revoke`` are idempotent: applying either twice leaves the same state
    as applying it once. Both raise :class:`~elevate_provisioner.domain.errors.ProvisionError`
    (never another error) when the provider did not do what was asked.
    """

    @abstractmethod
    async def grant(self, command: GrantAccess) -> None:
        """Give the command's identities the grant's permissions."""

    @abstractmethod
    async def revoke(self, command: RevokeAccess) -> None:
        """Take away everything the grant of the same ``grant_id`` gave."""

    @abstractmethod
    async def check(self, grant_id: str, identities: Sequence[str]) -> bool:
        """Return whether every identity currently holds the grant's access."""


class GrantLedger(ABC):
    """Remembers each grant's state, so that a revoked grant is never applied again.

    Every method is one atomic write on one grant, so two deliveries of the same command,
    or a grant racing its revoke, cannot both win.
    """

    @abstractmethod
    async def find(self, grant_id: str) -> GrantRecord | None:
        """Return the grant as it stands, or None if no command for it was ever seen."""

    @abstractmethod
    async def start_grant(self, command: GrantAccess) -> GrantRecord:
        """Record that the grant is being applied, unless it is known; return its record."""

    @abstractmethod
    async def finish_grant(self, grant_id: str) -> bool:
        """Mark the grant applied; return False when a revoke was asked for meanwhile."""

    @abstractmethod
    async def fail_grant(self, grant_id: str, reason: str) -> None:
        """Mark the grant failed for good, unless a revoke was asked for meanwhile."""

    @abstractmethod
    async def start_revoke(self, command: RevokeAccess) -> bool:
        """Record that the grant is being revoked; return False when it already was."""

    @abstractmethod
    async def finish_revoke(self, grant_id: str) -> None:
        """Mark the grant revoked."""
