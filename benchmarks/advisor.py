"""Time the offline advisor engine on the shared evaluation reasons, in this process.

Each suggestion is timed as the service makes it: the engine's answer, then the guard.
The first call builds the engine's index of the role set (cached per set, as in the
service), so it is reported on its own and the percentile covers the calls after it.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from elevate_advisor.domain.guard import enforce
from elevate_advisor.domain.offline import OfflineEngine
from elevate_advisor.domain.profiles import RoleProfile
from elevate_advisor.eval.files import read_catalogue, read_reasons

#: The shared evaluation files, next to the repository.
EVAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval"
#: Passes over the reasons file; more samples steady the percentile.
PASSES = 5


@dataclass(frozen=True)
class AdvisorTimings:
    """Seconds per suggestion: the first call alone, then every later one."""

    first: float
    later: list[float]


async def time_offline_engine() -> AdvisorTimings:
    """Suggest a role for every reason, ``PASSES`` times, timing each suggestion."""
    roles = read_catalogue(EVAL_DIR / "catalogue.yaml")
    reasons = [item.reason for item in read_reasons(EVAL_DIR / "reasons.jsonl", roles)]
    engine = OfflineEngine()
    now = datetime.now(UTC)

    first = await _time_one(engine, reasons[0], roles, now)
    later = [await _time_one(engine, r, roles, now) for _ in range(PASSES) for r in reasons]
    return AdvisorTimings(first, later)


async def _time_one(
    engine: OfflineEngine, reason: str, roles: list[RoleProfile], now: datetime
) -> float:
    started = time.perf_counter()
    enforce(await engine.suggest(reason, roles, now), roles)
    return time.perf_counter() - started
