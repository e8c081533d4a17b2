"""Signal or noise: each metric read as a process behaviour (XmR) chart.

This is the reading NHS England's "Making Data Count" programme teaches and the NHS-R
community's NHSRplotthedots implements. A metric's *series* is its baseline and every
value measured after it, by date (a `null` is a gap, skipped). Its `rebase` dates split
the series into *phases*: from each date on, the process is taken to be a new one.

For each phase:

- the **mean** of its values, and the **moving ranges** between consecutive values;
  their mean, MR̄, is worked out once, then again without the ranges at or above
  3.267 × MR̄ (one wild month must not widen the limits);
- the **process limits**, mean ± 2.66 × MR̄, and the **2-sigma band**, mean ± ⅔ of that;
- each value's class, by four rules (`outside_limits`, `shift`, `trend`, `two_in_three`:
  each rule's docstring below is its documentation). A value no rule flags is
  `common cause`; a flagged value is a special cause of improvement or of concern by the
  way it points and the metric's direction. The first rule that flags it decides the way,
  in NHSRplotthedots 0.2.2's order: beyond a limit, in a trend, two in three, a run on one
  side (`RULES`). A recovery rising from below the mean is an improvement.

A phase of fewer than `MIN_POINTS` values is too short to set limits a reader can
trust: its values get no class and no limits are drawn.

Then for the metric as a whole:

- **variation**: the class of the latest value of the latest phase;
- **assurance**: the target against the latest phase's limits, compared strictly — when
  higher is better, a target below the lower limit *consistently passes*, a target above
  the upper limit *consistently fails*, anything else (a target on a limit included) is
  *hit and miss* (mirrored when lower is better).

And for each improvement and metric it names, **evidence** (`evidence.py`): did the
metric move after the improvement was implemented?

Everything here is a pure function of a metric and its values, so pages, charts and
exports read the same values. The words and rules are the register format's (v1.3),
exactly as NHSRplotthedots 0.2.2 applies them (v1.3); ours on top is the `MIN_POINTS`
minimum.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Iterator, Sequence

from ..register.model import Metric, Point

# The words the site shows (register format v1.1: "Process behaviour: the words the site uses").
COMMON_CAUSE = "common cause"
IMPROVEMENT = "special cause: improvement"
CONCERN = "special cause: concern"
TOO_FEW_POINTS = "too few points"
VARIATIONS = (COMMON_CAUSE, IMPROVEMENT, CONCERN, TOO_FEW_POINTS)

PASSES = "consistently passes"
FAILS = "consistently fails"
HIT_AND_MISS = "hit and miss"
NO_TARGET = "no target"
ASSURANCES = (PASSES, FAILS, HIT_AND_MISS, NO_TARGET, TOO_FEW_POINTS)

SIGNAL_OF_IMPROVEMENT = "signal of improvement"
SIGNAL_OF_CONCERN = "signal of concern"
NO_SIGNAL_YET = "no signal yet"
TOO_EARLY = "too early to tell"
TOO_FEW_BEFORE = "too few points before"
NOT_IMPLEMENTED = "not implemented yet"
ALREADY_CHANGING = "already changing"
EVIDENCE = (SIGNAL_OF_IMPROVEMENT, SIGNAL_OF_CONCERN, NO_SIGNAL_YET, TOO_EARLY, TOO_FEW_BEFORE,
            NOT_IMPLEMENTED, ALREADY_CHANGING)

MIN_POINTS = 12
"""A phase needs this many values before its limits, variation and assurance are read."""

MIN_BEFORE = 6
"""Evidence needs this many values before the improvement's date to set limits."""

RUN = 7
"""Values in a row on one side of the mean (or each beyond the one before) make a signal."""

LIMIT_FACTOR = 2.66          # 3 sigma of individual values, from the mean moving range
SCREEN_FACTOR = 3.267        # the upper limit of the moving ranges themselves
BAND_FACTOR = 2 / 3          # the 2-sigma band: two thirds of the way to a limit

HIGH, LOW = 1, -1


@dataclass(frozen=True)
class Limits:
    """The centre line and limits of one phase (or of the values before an improvement)."""

    mean: float
    moving_range: float  # MR̄, after the large ranges are screened out
    lower: float
    upper: float
    lower_band: float    # the 2-sigma band
    upper_band: float

    def side(self, value: float) -> int:
        """HIGH above the mean, LOW below it, 0 on it."""
        return HIGH if value > self.mean else LOW if value < self.mean else 0


@dataclass(frozen=True)
class Value:
    """One value of a metric's series and, when its phase is long enough, its class and
    the rules that flagged it (by function name: "outside_limits", "shift", ...)."""

    date: dt.date
    value: float
    label: str | None   # COMMON_CAUSE, IMPROVEMENT or CONCERN; None: not assessed
    rules: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Phase:
    """A stretch of the series between rebase dates, with its own limits."""

    start: dt.date
    values: tuple[Value, ...]
    limits: Limits | None  # None when the phase is too short (fewer than MIN_POINTS)


@dataclass(frozen=True)
class Behaviour:
    """A metric read as a process behaviour chart."""

    metric_id: str
    phases: tuple[Phase, ...]
    variation: str
    assurance: str

    @property
    def latest(self) -> Phase:
        return self.phases[-1]

    @cached_property
    def values(self) -> tuple[Value, ...]:
        """Every value of every phase, by date (read once per improvement naming the metric)."""
        return tuple(value for phase in self.phases for value in phase.values)


# ----------------------------------------------------------------------------- limits

def limits(values: Sequence[float]) -> Limits:
    """The mean, the screened mean moving range and the limits of `values` (at least one)."""
    mean = math.fsum(values) / len(values)
    ranges = [abs(b - a) for a, b in zip(values, values[1:])]
    average = mean_of(ranges) or 0.0
    # NHSRplotthedots keeps a range strictly below the screen and drops one on it.
    kept = [r for r in ranges if r < SCREEN_FACTOR * average]
    average = mean_of(kept) or 0.0
    spread = LIMIT_FACTOR * average
    return Limits(mean, average, mean - spread, mean + spread,
                  mean - BAND_FACTOR * spread, mean + BAND_FACTOR * spread)


def mean_of(values: Sequence[float]) -> float | None:
    # fsum: the correctly rounded sum, so that a value "on the mean" does not depend on
    # the order the values were added in.
    return math.fsum(values) / len(values) if values else None


# ----------------------------------------------------------------------------- the rules
# Each rule yields (index, side) for every value it flags: side is HIGH or LOW, the way
# the value points. The value's class follows from the side and the metric's direction.

Rule = Callable[[Sequence[float], Limits], Iterator[tuple[int, int]]]


def outside_limits(values: Sequence[float], bounds: Limits) -> Iterator[tuple[int, int]]:
    """A value above the upper process limit or below the lower one (a value on a limit is
    inside). It points to the side of the mean it lies on."""
    for index, value in enumerate(values):
        if value > bounds.upper:
            yield index, HIGH
        elif value < bounds.lower:
            yield index, LOW


def shift(values: Sequence[float], bounds: Limits) -> Iterator[tuple[int, int]]:
    """Every value of a run of 7 or more in a row on the same side of the mean. A value
    exactly on the mean breaks the run. They point to their side of the mean."""
    for start, end, side in _runs([bounds.side(v) for v in values]):
        if side and end - start >= RUN:
            yield from ((index, side) for index in range(start, end))


def trend(values: Sequence[float], bounds: Limits) -> Iterator[tuple[int, int]]:
    """Every value of 7 or more in a row each strictly above the one before (or each
    strictly below it); two equal values break the trend. They point the way the trend
    goes, whichever side of the mean they lie on."""
    steps = [HIGH if b > a else LOW if b < a else 0 for a, b in zip(values, values[1:])]
    for start, end, side in _runs(steps):
        if side and end - start >= RUN - 1:  # n steps join n + 1 values
            yield from ((index, side) for index in range(start, end + 1))


def two_in_three(values: Sequence[float], bounds: Limits) -> Iterator[tuple[int, int]]:
    """In any 3 values in a row that all lie on the same side of the mean (none on it), the
    values *close to a limit* when at least 2 of the 3 are. A value is close to a limit
    when it lies beyond the 2-sigma band but not beyond the limit: a value beyond a limit
    is a special cause by `outside_limits` and does not count here. They point to their
    side of the mean."""
    sides = [bounds.side(v) for v in values]
    close = [bounds.lower <= v <= bounds.upper and not bounds.lower_band <= v <= bounds.upper_band
             for v in values]
    for first in range(len(values) - 2):
        window = range(first, first + 3)
        side = sides[first]
        if side and all(sides[i] == side for i in window) and sum(close[i] for i in window) >= 2:
            yield from ((index, side) for index in window if close[index])


RULES: tuple[Rule, ...] = (outside_limits, trend, two_in_three, shift)
"""The rules in the order NHSRplotthedots 0.2.2 (`ptd_special_cause_type`) asks them: the
first that flags a value decides which way it points (register format v1.3)."""


def _runs(signs: Sequence[int]) -> Iterator[tuple[int, int, int]]:
    """(start, end, sign) of each stretch of equal signs; `end` is exclusive."""
    start = 0
    for index in range(1, len(signs) + 1):
        if index == len(signs) or signs[index] != signs[start]:
            yield start, index, signs[start]
            start = index


def trend_sides(values: Sequence[float], flagged: set[int]) -> dict[int, int]:
    """The way each value of a trend points, as `ptd_special_cause_type` reads it: the step
    to the next value when that one is in a trend too, else the step from the one before.
    A value where a rising trend turns into a falling one points the way it goes next.
    (NHSRplotthedots reads a step of zero as falling; so do we, to give its answers.)"""
    sides = {}
    for index in flagged:
        step = (values[index + 1] - values[index] if index + 1 in flagged
                else values[index] - values[index - 1])
        sides[index] = HIGH if step > 0 else LOW
    return sides


def point_sides(values: Sequence[float], bounds: Limits
                ) -> list[tuple[int, str | None, frozenset[str]]]:
    """For each value: the side it points to (0 for common cause), the rule that decided
    it (the first of `RULES` that flags it) and every rule that flags it."""
    found: dict[str, dict[int, int]] = {check.__name__: dict(check(values, bounds))
                                        for check in RULES}
    found["trend"] = trend_sides(values, set(found["trend"]))
    result = []
    for index in range(len(values)):
        rules = frozenset(name for name, hits in found.items() if index in hits)
        rule = next((check.__name__ for check in RULES if check.__name__ in rules), None)
        result.append((found[rule][index] if rule else 0, rule, rules))
    return result


def classify(values: Sequence[float], bounds: Limits, better: int
             ) -> list[tuple[str, frozenset[str]]]:
    """Each value's class and the rules that flagged it; `better` is HIGH when higher is
    better. The point type is `ptd_point_type`'s: the side the deciding rule gives, read
    against the metric's direction."""
    return [(COMMON_CAUSE if not side else IMPROVEMENT if side == better else CONCERN, rules)
            for side, _rule, rules in point_sides(values, bounds)]


# ----------------------------------------------------------------------------- a metric

def series_values(metric: Metric, series: Sequence[Point]) -> list[tuple[dt.date, float]]:
    """The baseline and every value measured after its date, by date, gaps skipped.
    Whatever a snapshot's `source` says, its values count: the baseline is the metric's
    own `baseline`, never a snapshot."""
    start = metric.baseline.date
    measured = [(p.date, p.value) for p in series if p.value is not None and p.date > start]
    return [(start, metric.baseline.value), *sorted(measured, key=lambda item: item[0])]


def metric_behaviour(metric: Metric, series: Sequence[Point]) -> Behaviour:
    """The process behaviour of one metric: `series` is `Register.series[metric.id]`, its
    snapshot values."""
    better = HIGH if metric.direction == "higher_is_better" else LOW
    points = series_values(metric, series)
    phases = tuple(_phase(start, part, better) for start, part in _split(metric, points))
    latest = phases[-1]
    if latest.limits is None:
        return Behaviour(metric.id, phases, TOO_FEW_POINTS, TOO_FEW_POINTS)
    variation = latest.values[-1].label or TOO_FEW_POINTS
    return Behaviour(metric.id, phases, variation, assurance(metric, latest.limits))


def assurance(metric: Metric, bounds: Limits) -> str:
    """Can we rely on meeting the target? The target against the process limits, strictly:
    a target exactly on a limit is hit and miss, as in NHSRplotthedots."""
    if metric.target is None:
        return NO_TARGET
    target = metric.target.value
    if metric.direction == "higher_is_better":
        return PASSES if target < bounds.lower else FAILS if target > bounds.upper else HIT_AND_MISS
    return PASSES if target > bounds.upper else FAILS if target < bounds.lower else HIT_AND_MISS


def _split(metric: Metric, points: list[tuple[dt.date, float]]
           ) -> list[tuple[dt.date, list[tuple[dt.date, float]]]]:
    """The series cut at each rebase date: a value dated on a rebase date opens the new
    phase. A rebase date with no value since opens an empty phase: the process changed,
    and nothing has been measured of the new one yet."""
    starts = [metric.baseline.date, *sorted(set(metric.rebase))]
    ends = [*starts[1:], None]
    return [(start, [p for p in points if p[0] >= start and (end is None or p[0] < end)])
            for start, end in zip(starts, ends)]


def _phase(start: dt.date, points: list[tuple[dt.date, float]], better: int) -> Phase:
    values = [value for _, value in points]
    if len(values) < MIN_POINTS:
        return Phase(start, tuple(Value(day, value, None) for day, value in points), None)
    bounds = limits(values)
    labels = classify(values, bounds, better)
    return Phase(start, tuple(Value(day, value, label, rules)
                              for (day, value), (label, rules) in zip(points, labels)), bounds)


# ----------------------------------------------------------------------------- signals

@dataclass(frozen=True)
class Signal:
    """The special cause the latest value belongs to: the values of the latest phase, up to
    and including the latest, that share its class. `trend` when the latest value is one of
    7 or more rising (or falling) in a row: then `values` are that trend's values, and its
    pace is what the verdict may continue; otherwise the process moved to a new level."""

    label: str                               # IMPROVEMENT or CONCERN
    trend: bool
    values: tuple[Value, ...]

    @property
    def start(self) -> dt.date:
        return self.values[0].date


def latest_signal(behaviour: Behaviour) -> Signal | None:
    """The special cause the latest value is part of, or None when it is common cause or
    the latest phase is too short to read."""
    values = behaviour.latest.values
    if behaviour.latest.limits is None or not values or values[-1].label in (COMMON_CAUSE, None):
        return None
    last = values[-1]
    trend = "trend" in last.rules
    wanted = ((lambda v: "trend" in v.rules and v.label == last.label) if trend
              else (lambda v: v.label == last.label))
    run: list[Value] = []
    for value in reversed(values):
        if not wanted(value):
            break
        run.append(value)
    return Signal(last.label, trend, tuple(reversed(run)))
