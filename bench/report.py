"""The one results table: measured quantities, our way beside the naive way, targets, rendered as Markdown."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bench import load_average

# Units where a bigger number is better; for every other unit smaller is better.
RATES = ("rows/s", "req/s", "steps/s")


@dataclass(frozen=True)
class Measure:
    """Several runs of one quantity, in one unit; ``extrapolated`` marks figures scaled up from a sample."""

    values: tuple[float, ...]
    unit: str
    extrapolated: bool = False

    @classmethod
    def of(cls, values: Iterable[float], unit: str, extrapolated: bool = False) -> Measure:
        values = tuple(values)
        if not values:
            raise ValueError("a measure needs at least one run")
        return cls(values, unit, extrapolated)

    @property
    def higher_is_better(self) -> bool:
        return self.unit in RATES

    @property
    def best(self) -> float:
        return max(self.values) if self.higher_is_better else min(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def text(self) -> str:
        """'best / median unit' (one figure when there was one run), '~' when extrapolated."""
        mark = "~" if self.extrapolated else ""
        if len(self.values) == 1:
            return f"{mark}{number(self.best)} {self.unit}"
        return f"{mark}{number(self.best)} / {number(self.median)} {self.unit}"


@dataclass(frozen=True)
class Target:
    """What the issue asks of a figure at 1M events: ``< limit``, ``<= limit`` or ``>= limit`` in the measure's unit."""

    op: str  # "<", "<=" or ">="
    limit: float
    unit: str
    label: str = ""  # how the table states it, when not "< limit unit"

    def met(self, value: float) -> bool:
        return {"<": value < self.limit, "<=": value <= self.limit}.get(self.op, value >= self.limit)

    def text(self) -> str:
        return self.label or f"{ {'<': '<', '<=': '≤'}.get(self.op, '≥')} {number(self.limit)} {self.unit}"


@dataclass(frozen=True)
class Result:
    """One row of the table."""

    benchmark: str
    size: str
    ours: Measure | str
    naive: Measure | str | None = None
    target: Target | None = None
    note: str = ""
    checked: float | None = None  # the value the target applies to; our median by default
    load: str = field(default_factory=load_average)

    def gain(self) -> str:
        """How many times better ours is than the naive way, on medians."""
        if not isinstance(self.ours, Measure) or not isinstance(self.naive, Measure):
            return ""
        ours, naive = self.ours.median, self.naive.median
        if self.ours.higher_is_better:
            ours, naive = naive, ours
        if ours <= 0:
            return ""
        return f"{naive / ours:,.1f}×" if naive / ours < 10 else f"{naive / ours:,.0f}×"

    def verdict(self) -> str:
        value = self.checked
        if value is None and isinstance(self.ours, Measure):
            value = self.ours.median
        if self.target is None or value is None:
            return ""
        return f"{self.target.text()}: {'met' if self.target.met(value) else 'MISSED'}"

    def cells(self) -> list[str]:
        def text(value: Measure | str | None) -> str:
            return value.text() if isinstance(value, Measure) else (value or "—")

        return [self.benchmark, self.size, text(self.ours), text(self.naive), self.gain(), self.verdict(),
                self.load, self.note]


HEADER = ("benchmark", "N", "ours (best / median)", "naive way (best / median)", "gain", "target at 1M",
          "load avg", "notes")


def markdown_table(results: Sequence[Result]) -> str:
    """The results as one Markdown table (pipes in cells escaped)."""
    rows = [list(HEADER), ["---"] * len(HEADER), *(r.cells() for r in results)]
    return "\n".join("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows)


def number(value: float) -> str:
    """Three significant figures, thousands separated: 0.0123, 1.23, 12.3, 123, 1,230, 412,000."""
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{float(f'{value:.3g}'):,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def events_label(events: int) -> str:
    return f"{events:,} events"
