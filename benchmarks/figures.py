"""Figures, their targets, and the table that shows them."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: Decimal places per unit, so each column reads at the precision that matters.
_DECIMALS = {"ms": 1, "s": 2, "/s": 1, "MiB": 1}


@dataclass(frozen=True)
class Target:
    """A bound a figure must stay under (or, with ``at_least``, reach)."""

    bound: float
    at_least: bool = False

    def met(self, value: float) -> bool:
        """Tell whether ``value`` meets the bound."""
        return value >= self.bound if self.at_least else value < self.bound


@dataclass(frozen=True)
class Figure:
    """One measured figure; without a target it is shown for information only.

    ``value`` is None when nothing could be measured (for instance no workflow became
    active): a figure with a target then counts as missed.
    """

    name: str
    value: float | None
    unit: str
    target: Target | None = None

    @property
    def verdict(self) -> str:
        """Return PASS, MISS, or ``info`` for a figure without a target."""
        if self.target is None:
            return "info"
        return "PASS" if self.value is not None and self.target.met(self.value) else "MISS"


def p95(values: Sequence[float]) -> float | None:
    """Return the 95th percentile by nearest rank, or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def render(figures: Sequence[Figure], notes: Sequence[str]) -> str:
    """Return the table of ``figures``, the notes under it, and a closing verdict line."""
    width = max(len(figure.name) for figure in figures)
    rows = [f"{'figure':<{width}}  {'value':>12}  {'target':<12}  result"]
    rows += [_row(figure, width) for figure in figures]
    rows += [f"note: {note}" for note in notes]
    missed = [figure.name for figure in figures if figure.verdict == "MISS"]
    rows.append(f"MISSED {len(missed)}: {'; '.join(missed)}" if missed else "ALL TARGETS MET")
    return "\n".join(rows) + "\n"


def _row(figure: Figure, width: int) -> str:
    value = _amount(figure.value, figure.unit)
    target = "-" if figure.target is None else _bound(figure.target, figure.unit)
    return f"{figure.name:<{width}}  {value:>12}  {target:<12}  {figure.verdict}"


def _amount(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    return f"{value:.{_DECIMALS.get(unit, 2)}f} {unit}"


def _bound(target: Target, unit: str) -> str:
    sign = ">=" if target.at_least else "<"
    return f"{sign} {target.bound:g} {unit}"
