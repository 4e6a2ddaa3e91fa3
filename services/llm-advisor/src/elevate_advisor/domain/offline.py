"""The offline engine: ranks the catalogue against the reason, with no network at all.

It is the default when no model endpoint is configured, and the fallback when the model
fails. It reads the reason (:mod:`.intent`), ranks the roles (:mod:`.ranking`) and reads
the duration said in words (:mod:`.spoken_durations`); the role's default applies when
the reason names none.
"""

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from elevate_advisor.domain.engine import AdviceEngine, Suggestion
from elevate_advisor.domain.intent import ADMIN, CHANGE, READ, Reading, read_reason
from elevate_advisor.domain.profiles import RoleProfile
from elevate_advisor.domain.ranking import NEAR_TIE, Ranked, RoleIndex
from elevate_advisor.domain.spoken_durations import duration_in_words
from elevate_advisor.domain.vocabulary import words

_TASKS = {READ: "reads", CHANGE: "changes things", ADMIN: "needs full control in an emergency"}


class OfflineEngine(AdviceEngine):
    """Suggests the best-matching, least-privileged role without calling anything."""

    name = "offline"

    async def suggest(self, reason: str, roles: Sequence[RoleProfile], now: datetime) -> Suggestion:
        """Rank ``roles`` against ``reason`` and propose the first."""
        reading = read_reason(reason)
        ranked = _index(tuple(roles)).rank(reading)
        if not ranked:
            return Suggestion(role=None, rationale="no role matches what the reason describes")

        chosen = ranked[0].role
        return Suggestion(
            role=chosen.name,
            duration=duration_in_words(reading.text, now),
            providers=_named_providers(reading.text, chosen),
            rationale=_rationale(ranked, reading),
            alternatives=tuple(r.role.name for r in ranked[1:4]),
        )


@lru_cache(maxsize=32)
def _index(roles: tuple[RoleProfile, ...]) -> RoleIndex:
    # Requests of one requester group share a role set; building the index is the cost.
    return RoleIndex(roles)


def _named_providers(text: str, role: RoleProfile) -> tuple[str, ...]:
    said = set(words(text))
    return tuple(p for p in role.providers if p.lower() in said)


def _rationale(ranked: list[Ranked], reading: Reading) -> str:
    parts = [f"matches {', '.join(ranked[0].matched[:4])}"]
    if reading.level is not None:
        parts.append(f"the task {_TASKS[reading.level]}")
    best = max(r.score for r in ranked)
    subject = ranked[0].matched[0]
    near = sum(1 for r in ranked if r.score >= best - NEAR_TIE and subject in r.matched)
    if near > 1:
        parts.append(f"least privileged of {near} close roles")
    if reading.dropped:
        parts.append("instructions to the advisor in the reason were ignored")
    return "; ".join(parts)
