"""Did a metric move after an improvement? Each improvement's evidence, per metric it names.

Before: the values dated on or before the date the improvement was implemented, in the
phase that holds that date (at least `MIN_BEFORE`), with their own mean and limits. After:
every value dated after it. Then, the first that holds:

- the last value before the date is already a special cause by the before-period's own
  limits (NHSRplotthedots' rules, `behaviour.point_sides`): the metric was **already
  changing** and the before-period cannot show what the improvement did (register format
  v1.3). The evidence says which way it was moving, since when, and what its pace did after;
- a value after beyond a limit set before, or 7 or more in a row after on one side of the
  mean before: a **signal** of concern on the worse side, else of improvement. A signal
  that rests on a single value (one value beyond a limit, no run) says so, with its date;
- otherwise **too early to tell** with fewer than 7 values after, **no signal yet** with 7
  or more.

And the **rebase advice** that follows from it: a sustained signal of improvement after an
improvement, or a shift the process is in now, is where Making Data Count recalculates the
limits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence

from .behaviour import (ALREADY_CHANGING, HIGH, LOW, MIN_BEFORE, NO_SIGNAL_YET, NOT_IMPLEMENTED,
                        RUN, SIGNAL_OF_CONCERN, SIGNAL_OF_IMPROVEMENT, TOO_EARLY, TOO_FEW_BEFORE,
                        Behaviour, Limits, Value, _runs, limits, mean_of, point_sides)
from .figures import slope
from ..register.model import Improvement, Metric


MIN_PACE_AFTER = 3
"""The values after an improvement's date that an already-changing metric's pace after it
is read from; with fewer, its evidence says it is too early to say."""


@dataclass(frozen=True)
class Evidence:
    """Did one metric move after one improvement? `date` is when the improvement was
    implemented (None: not yet); `before` holds its limits when there were enough values."""

    improvement_id: str
    metric_id: str
    signal: str
    date: dt.date | None
    before: tuple[float, ...] = ()
    after: tuple[float, ...] = ()
    limits: Limits | None = None
    reason: str = ""  # what made the signal: "limit" (a value beyond one) or "run"
    since: dt.date | None = None  # the first value after that belongs to the signal
    sustained: dt.date | None = None  # where its first run of 7 or more began, if any
    single: dt.date | None = None  # the date of the one value a signal rests on, if so
    moving: int = 0  # already changing: the way it moved before (HIGH, LOW)
    better: bool = False  # already changing: whether that way is the better one
    began: dt.date | None = None  # already changing: where the change before began
    pace_before: float | None = None  # already changing: its slope before, per day
    pace_after: float | None = None  # and after the date

    @property
    def before_mean(self) -> float | None:
        return self.limits.mean if self.limits else mean_of(self.before)

    @property
    def after_mean(self) -> float | None:
        return mean_of(self.after)


def implemented_on(imp: Improvement) -> dt.date | None:
    """When the improvement was implemented: the first log entry that moved it to
    `implemented`, else its `closed` date when it is closed; None before that."""
    moves = [entry.date for entry in imp.log if entry.status == "implemented"]
    if moves:
        return moves[0]
    return imp.closed if imp.status == "closed" else None


def metric_evidence(imp: Improvement, metric: Metric, behaviour: Behaviour) -> Evidence:
    """Did `metric` move after `imp` was implemented? (The rule: this module's docstring.)"""
    day = implemented_on(imp)
    if day is None:
        return Evidence(imp.id, metric.id, NOT_IMPLEMENTED, None)
    holding = [p for p in behaviour.phases if p.start <= day] or [behaviour.phases[0]]
    earlier = [v for v in holding[-1].values if v.date <= day]
    before = tuple(v.value for v in earlier)
    later = [v for v in behaviour.values if v.date > day]
    after = tuple(v.value for v in later)
    if len(before) < MIN_BEFORE:
        return Evidence(imp.id, metric.id, TOO_FEW_BEFORE, day, before, after)
    bounds = limits(before)
    better = HIGH if metric.direction == "higher_is_better" else LOW
    changing = already_changing(imp.id, metric.id, day, earlier, later, bounds, better)
    if changing is not None:
        return changing
    signal, reason, first, run = _signal(after, bounds, better)
    return Evidence(imp.id, metric.id, signal, day, before, after, bounds, reason,
                    since=later[first].date if first is not None else None,
                    sustained=later[run].date if run is not None else None,
                    single=_single(later, bounds, reason, run))


def already_changing(imp_id: str, metric_id: str, day: dt.date, earlier: Sequence[Value],
                     later: Sequence[Value], bounds: Limits, better: int) -> Evidence | None:
    """`ALREADY_CHANGING` when the last value before `day` is a special cause by the
    before-period's own limits: which way it pointed, where that change began (its trend
    or run; the value itself for a limit or two in three), and the pace before and after."""
    values = [v.value for v in earlier]
    sides = point_sides(values, bounds)
    side, _rule, rules = sides[-1]
    if not side:
        return None
    start = _change_start(values, sides, bounds, side, rules)
    # The pace before: over the change, or the last `MIN_BEFORE` values when it is shorter
    # (a slope through two values says little).
    run = [(v.date, v.value) for v in earlier[min(start, len(earlier) - MIN_BEFORE):]]
    after = [(v.date, v.value) for v in later]
    return Evidence(imp_id, metric_id, ALREADY_CHANGING, day, tuple(values),
                    tuple(v for _, v in after), bounds, moving=side, better=side == better,
                    began=earlier[start].date,
                    pace_before=slope(run),
                    # A pace from one or two values after the date would be noise.
                    pace_after=slope([run[-1], *after]) if len(after) >= MIN_PACE_AFTER
                    else None)


def _change_start(values: Sequence[float], sides: Sequence[tuple[int, str | None, frozenset[str]]],
                  bounds: Limits, side: int, rules: frozenset[str]) -> int:
    """Where the change the last value belongs to began: its trend's first value, else its
    run's on that side of the mean, else the first of the special causes in a row before it
    that point the same way."""
    if "trend" in rules:
        same = lambda i: (values[i] - values[i - 1]) * side > 0  # noqa: E731
    elif "shift" in rules:
        same = lambda i: bounds.side(values[i - 1]) == side  # noqa: E731
    else:
        same = lambda i: sides[i - 1][0] == side  # noqa: E731
    start = len(values) - 1
    while start > 0 and same(start):
        start -= 1
    return start


def _single(later: Sequence[Value], bounds: Limits, reason: str, run: int | None
            ) -> dt.date | None:
    """The date of the one value a signal rests on: one value beyond a limit, no run."""
    if reason != "limit" or run is not None:
        return None
    outside = [v for v in later if not bounds.lower <= v.value <= bounds.upper]
    return outside[0].date if len(outside) == 1 else None


def _signal(after: Sequence[float], bounds: Limits, better: int
            ) -> tuple[str, str, int | None, int | None]:
    """The evidence word, what made it ("limit", "run" or nothing), where in `after` the
    signal starts and where its first run of `RUN` or more on that side starts."""
    found: dict[int, tuple[str, int, int | None]] = {}
    for side in (-better, better):  # the worse side first: its reason is kept
        outside = [i for i, v in enumerate(after)
                   if (v > bounds.upper if side == HIGH else v < bounds.lower)]
        runs = [start for start, end, s in _runs([bounds.side(v) for v in after])
                if s == side and end - start >= RUN]
        run = runs[0] if runs else None
        if outside:
            found[side] = ("limit", outside[0], run)
        elif run is not None:
            found[side] = ("run", run, run)
    if -better in found:
        return (SIGNAL_OF_CONCERN, *found[-better])
    if better in found:
        return (SIGNAL_OF_IMPROVEMENT, *found[better])
    return (TOO_EARLY if len(after) < RUN else NO_SIGNAL_YET), "", None, None


EVIDENCE_STRENGTH = (SIGNAL_OF_CONCERN, SIGNAL_OF_IMPROVEMENT, ALREADY_CHANGING, NO_SIGNAL_YET,
                     TOO_EARLY, TOO_FEW_BEFORE, NOT_IMPLEMENTED)
"""Evidence words, strongest first: a signal says more than a metric that was already
changing (which the improvement cannot claim), that more than no signal, seven or more
values after without one more than a few, and a date to compare against more than none.
Between two signals (of two metrics), concern comes first: it needs a look."""


def strongest_evidence(found: Sequence[Evidence]) -> tuple[str, int] | None:
    """The strongest evidence word across an improvement's metrics (`EVIDENCE_STRENGTH`)
    and how many of its metrics have it; None when it names no metric."""
    if not found:
        return None
    word = min((e.signal for e in found), key=EVIDENCE_STRENGTH.index)
    return word, sum(e.signal == word for e in found)


# ----------------------------------------------------------------------------- rebase advice

@dataclass(frozen=True)
class Rebase:
    """Advice: recalculate a metric's limits from `date`, where the change that followed
    `improvement_id` began (its evidence is a signal of improvement); or, with no
    improvement (`improvement_id` ""), where the shift the process is in now began."""

    metric_id: str
    improvement_id: str
    date: dt.date
    implemented: dt.date | None = None


def rebase_advice(metric: Metric, evidence: Sequence[Evidence],
                  shift: dt.date | None = None) -> Rebase | None:
    """Making Data Count recalculates a chart's limits after a sustained change that was
    made on purpose. The first improvement whose evidence on `metric` is a sustained
    signal of improvement (a run of 7 or more on the better side: one month beyond a limit
    is not yet a new process), and that no rebase date already follows, gives the date:
    where its run began. Else `shift`, where the shift the process is in now began (v1.3).
    None when neither calls for it."""
    for found in sorted(evidence, key=lambda e: (e.date or dt.date.max, e.improvement_id)):
        if (found.signal == SIGNAL_OF_IMPROVEMENT and found.sustained and found.date
                and not any(day > found.date for day in metric.rebase)):
            return Rebase(metric.id, found.improvement_id, found.sustained, found.date)
    if shift is not None and not any(day >= shift for day in metric.rebase):
        return Rebase(metric.id, "", shift)
    return None
