"""What became of one phase's requests: answer times, hops through the system, and counts."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Self

from benchmarks.load import Sent
from benchmarks.status import StatusWatcher, Timeline
from elevate_shared.states import WorkflowState as S

#: A moment in a request's life: a state it reached, when it was sent, or its expiry.
Point = S | Literal["sent", "expiry"]

#: The hops worth seeing on their own when a whole path is slow.
HOPS: tuple[tuple[Point, Point], ...] = (
    ("sent", S.REQUESTED),
    (S.REQUESTED, S.PROVISIONING),
    (S.PROVISIONING, S.ACTIVE),
    ("expiry", S.REVOKING),
    (S.REVOKING, S.REVOKED),
)


@dataclass(frozen=True)
class Outcome:
    """The requests of one phase, each with its workflow's timeline where it was accepted."""

    sent: Sequence[Sent]
    timelines: dict[str, Timeline]

    @classmethod
    def of(cls, sent: Sequence[Sent], watcher: StatusWatcher) -> Self:
        """Match each accepted request with what the status topic told of its workflow."""
        ids = [s.workflow_id for s in sent if s.workflow_id is not None]
        return cls(sent, {w: watcher.timeline(w) for w in ids})

    @property
    def answers(self) -> list[float]:
        """Seconds the gateway took to accept each accepted request."""
        return [s.seconds for s in self.sent if s.workflow_id is not None]

    def seconds(self, start: Point, end: Point) -> list[float]:
        """Seconds from ``start`` to ``end`` for every request that has both moments."""
        spans = []
        for sent in self.sent:
            timeline = self.timelines.get(sent.workflow_id or "")
            begun, ended = _moment(sent, timeline, start), _moment(sent, timeline, end)
            if begun is not None and ended is not None:
                spans.append(ended - begun)
        return spans

    def note(self, phase: str) -> str:
        """Say how many requests were accepted, became active, were revoked, or went wrong."""
        codes = Counter(s.status for s in self.sent if s.workflow_id is None)
        refused = ", ".join(f"{n} x {code or 'no answer'}" for code, n in codes.items())
        ends = Counter(str(t.ended_as or "no end seen") for t in self.timelines.values())
        other = ", ".join(f"{n} x {end}" for end, n in ends.items() if end != S.REVOKED)
        return (
            f"{phase}: {len(self.sent)} sent, {len(self.timelines)} accepted (202), "
            f"{len(self.seconds('sent', S.ACTIVE))} active, {ends[S.REVOKED]} revoked; "
            f"refused: {refused or 0}; otherwise: {other or 0}"
        )


def hop_name(start: Point, end: Point) -> str:
    """Return ``start -> end`` in words."""
    return f"{start} -> {end}"


def _moment(sent: Sent, timeline: Timeline | None, point: Point) -> float | None:
    if point == "sent":
        return sent.sent_at
    if timeline is None:
        return None
    if point == "expiry":
        return timeline.expires_at
    return timeline.reached.get(point)
