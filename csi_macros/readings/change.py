"""A process that is changing (register format v1.3).

When the latest value of the latest phase belongs to a 7-value trend, or to a run of 7 or
more on one side of the mean, the process is changing: its limits describe it as it was.
The change **began** at the first value of that trend or run, and is read on its own:

- a **trend** by its pace, the least-squares slope through its values (`verdicts` sets
  that pace against the target and its date);
- a **shift** (a run on one side that is not a trend) as its own, provisional phase: the
  mean and limits of the values since it began, their classes by the same rules, and
  the target against those limits. Provisional while it has fewer than `MIN_POINTS`
  values; the metric's page advises rebasing at its first date.

The variation and assurance labels stay NHSRplotthedots' (`Behaviour`); this is what the
verdict and the headline read besides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence

from .behaviour import (CONCERN, HIGH, IMPROVEMENT, LOW, MIN_POINTS, Behaviour, Limits, Value,
                        assurance, classify, limits)
from ..register.model import Metric

TREND = "trend"
SHIFT = "shift"


@dataclass(frozen=True)
class Change:
    """How the process is changing: a `TREND` or a `SHIFT`, its values from where it began
    to the latest, the way it moves (HIGH or LOW) and whether that is better
    (`IMPROVEMENT`) or worse (`CONCERN`). A shift also has its provisional phase's limits,
    latest class and assurance."""

    kind: str
    values: tuple[Value, ...]
    way: int
    label: str
    limits: Limits | None = None
    variation: str | None = None
    assurance: str | None = None

    @property
    def start(self) -> dt.date:
        """Where the change began: the first value of its trend or run."""
        return self.values[0].date

    @property
    def provisional(self) -> bool:
        """A shift's own phase is provisional while it has fewer than `MIN_POINTS` values."""
        return len(self.values) < MIN_POINTS

    @property
    def better(self) -> bool:
        return self.label == IMPROVEMENT


def process_change(metric: Metric, behaviour: Behaviour) -> Change | None:
    """The change the latest value belongs to, or None when the process is not changing
    (or the latest phase is too short to read)."""
    phase = behaviour.latest
    if phase.limits is None or not phase.values:
        return None
    rules = phase.values[-1].rules
    better = HIGH if metric.direction == "higher_is_better" else LOW
    if "trend" in rules:
        return _trend(phase.values, better)
    if "shift" in rules:
        return _shift(metric, phase.values, phase.limits, better)
    return None


def _trend(values: Sequence[Value], better: int) -> Change:
    """The 7 or more values, each beyond the one before, that end at the latest value."""
    way = HIGH if values[-1].value > values[-2].value else LOW
    start = len(values) - 1
    while start > 0 and (values[start].value - values[start - 1].value) * way > 0:
        start -= 1
    return Change(TREND, tuple(values[start:]), way, IMPROVEMENT if way == better else CONCERN)


def _shift(metric: Metric, values: Sequence[Value], bounds: Limits, better: int) -> Change:
    """The run on one side of the mean that ends at the latest value, read as its own,
    provisional phase."""
    way = bounds.side(values[-1].value)
    start = len(values) - 1
    while start > 0 and bounds.side(values[start - 1].value) == way:
        start -= 1
    run = tuple(values[start:])
    numbers = [v.value for v in run]
    own = limits(numbers)
    latest_class = classify(numbers, own, better)[-1][0]
    return Change(SHIFT, run, way, IMPROVEMENT if way == better else CONCERN, own,
                  latest_class, assurance(metric, own))
