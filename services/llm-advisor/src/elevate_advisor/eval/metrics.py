"""Tally an engine's answers against the labels, and format the closing line."""

from dataclasses import dataclass

from elevate_advisor.domain.engine import Suggestion
from elevate_advisor.domain.profiles import RoleProfile
from elevate_advisor.eval.files import Labelled


@dataclass
class Tally:
    """Counts behind top-1, top-3, over-granting and duration accuracy."""

    n: int = 0
    top1: int = 0
    top3: int = 0
    suggested: int = 0
    overgranted: int = 0
    with_duration: int = 0
    duration_right: int = 0

    def add(self, label: Labelled, answer: Suggestion, roles: dict[str, RoleProfile]) -> None:
        """Count one answer."""
        self.n += 1
        ranked = (answer.role, *answer.alternatives) if answer.role else ()
        self.top1 += answer.role == label.role
        self.top3 += label.role in ranked[:3]
        if answer.role is not None:
            self.suggested += 1
            self.overgranted += roles[answer.role].privilege > roles[label.role].privilege
        if label.duration is not None:
            self.with_duration += 1
            self.duration_right += answer.duration == label.duration

    def line(self) -> str:
        """Return ``top1=… top3=… overgrant=… duration=… n=…``.

        Over-granting is a share of the suggestions made (an answer of "nothing fits"
        grants nothing); duration accuracy is a share of the lines that carry a duration.
        """
        return (
            f"top1={_share(self.top1, self.n)} top3={_share(self.top3, self.n)} "
            f"overgrant={_share(self.overgranted, self.suggested)} "
            f"duration={_share(self.duration_right, self.with_duration)} n={self.n}"
        )


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "0.000"
