"""The port every engine implements, and what an engine answers.

An engine reads an untrusted reason and the roles the requester may use, and proposes
one of them. Its answer is a proposal only: :func:`elevate_advisor.domain.guard.enforce`
checks it against the same roles before anything else sees it.
"""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from elevate_advisor.domain.profiles import RoleProfile


@dataclass(frozen=True)
class Suggestion:
    """An engine's proposal; ``role`` is None when no role fits the reason."""

    role: str | None
    duration: timedelta | None = None
    providers: tuple[str, ...] = ()
    rationale: str = ""
    #: Other roles worth a look, best first, not including ``role``.
    alternatives: tuple[str, ...] = ()


class EngineFailed(Exception):
    """The engine gave no usable answer (unreachable, too slow, malformed output)."""


class AdviceEngine(ABC):
    """Turns a reason into a :class:`Suggestion` among the given roles."""

    #: Short name reported in ``RoleSuggested.engine``.
    name: str

    @abstractmethod
    async def suggest(self, reason: str, roles: Sequence[RoleProfile], now: datetime) -> Suggestion:
        """Propose a role, duration and providers; raise :class:`EngineFailed` if unable."""
