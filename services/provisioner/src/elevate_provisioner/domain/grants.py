"""The life of one grant in the ledger: its states and what a lookup returns."""

from dataclasses import dataclass
from enum import StrEnum


class GrantState(StrEnum):
    """Where one grant stands. ``revoking`` and ``revoked`` are final for granting."""

    GRANTING = "granting"
    GRANTED = "granted"
    FAILED = "failed"
    REVOKING = "revoking"
    REVOKED = "revoked"

    @property
    def revoke_requested(self) -> bool:
        """Return whether a revoke has been asked for, so the grant must never apply."""
        return self in (GrantState.REVOKING, GrantState.REVOKED)


@dataclass(frozen=True)
class GrantRecord:
    """A grant as the ledger holds it; ``reason`` is set when the grant failed."""

    grant_id: str
    state: GrantState
    reason: str | None = None
