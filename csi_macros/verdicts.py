"""Did we get there? A verdict per metric, from its series.

A verdict compares a metric's measurements with its baseline and target and says, in
one word, where it stands. The rule, in order (the first that applies wins):

1. **no data**: no snapshot has a value for the metric on or after the baseline date
   (a `null` is a gap, never a zero).
2. **no target**: the metric has no `target`.
3. **target met**: the latest value is at or beyond the target value, in the metric's
   direction (at or above it when higher is better, at or below it when lower is better).
4. **off track**: the target date has passed (it lies before the build date) and the
   target is not met.
5. Otherwise the *trend* decides. The trend is the least-squares straight line through
   the last `WINDOW` (6) measured points, the baseline counted as the first point (so a
   single snapshot gives the trend from the baseline to that snapshot). Its slope — the
   current pace — is continued from the latest value to the target date; the distance it
   covers is compared with the gap still to close:
   - it covers the whole gap: **on track**;
   - it covers at least half of the gap: **at risk**;
   - it covers less than half, stands still or moves away from the target: **off track**.

   With no target date, only the trend's direction counts: moving toward the target is
   **on track**, standing still or moving away is **off track**.

Everything here is a pure function of the metric, its series and the build date, so the
same register always gets the same verdicts. The site's page "How verdicts work"
(docs/playbook/verdicts.md) explains the same rule for readers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from .i18n import _, format_date, format_percent
from .i18n import format_number as _format_number
from .model import Metric

if TYPE_CHECKING:  # facts imports this module; the Point type is only needed for hints
    from .facts import Point, Register

WINDOW = 6
"""How many recent measured points (the baseline included) the trend is fitted to."""

TARGET_MET = "target met"
ON_TRACK = "on track"
AT_RISK = "at risk"
OFF_TRACK = "off track"
NO_TARGET = "no target"
NO_DATA = "no data"

VERDICT_STATUSES = (TARGET_MET, ON_TRACK, AT_RISK, OFF_TRACK, NO_TARGET, NO_DATA)
"""Every status a verdict can have, best first."""

_MIN_HORIZON_DAYS = 30  # how far an undated trend is drawn ahead, at least


@dataclass(frozen=True)
class Projection:
    """The trend continued from the latest measurement: a straight line, for the charts."""

    dates: tuple[dt.date, ...]
    values: tuple[float, ...]


@dataclass(frozen=True)
class Verdict:
    """Where one metric stands against its target, and why.

    `change` and `change_pct` compare the latest value with the baseline (`change_pct`
    is None when the baseline is zero); `gap_closed` is the share of the
    baseline-to-target gap closed so far (1.0 is all of it; negative means further away;
    None without a target or when the target equals the baseline). `pace` is the trend's
    slope in units per day.
    """

    metric_id: str
    status: str
    reason: str
    latest: Point | None
    change: float | None = None
    change_pct: float | None = None
    gap_closed: float | None = None
    pace: float | None = None
    projected: float | None = None  # the trend's value at the target date
    projection: Projection | None = None
    points_used: int = 0


def metric_verdict(metric: Metric, series: Sequence[Point], today: dt.date,
                   window: int = WINDOW) -> Verdict:
    """The verdict on one metric: `series` is `Register.series[metric.id]`."""
    measured = _measured(metric, series)
    if not measured:
        return Verdict(metric.id, NO_DATA, _("No value has been measured since the baseline."),
                       latest=None)
    latest = measured[-1]
    start = (metric.baseline.date, metric.baseline.value)
    recent = ([start] + [(p.date, p.value) for p in measured])[-window:]
    pace = _slope(recent)
    assert latest.value is not None
    common = dict(latest=latest, points_used=len(recent), pace=pace,
                  **_changes(metric, latest.value))
    status, reason, projected, horizon = _judge(metric, latest, pace, recent, today)
    projection = Projection((latest.date, horizon),
                            (latest.value, latest.value + pace * (horizon - latest.date).days))
    return Verdict(metric.id, status, reason, projected=projected, projection=projection,
                   **common)


def register_verdicts(register: Register) -> dict[str, Verdict]:
    """Every metric's verdict, by metric id (in id order)."""
    return {m.id: metric_verdict(m, register.series[m.id], register.today)
            for m in register.metrics}


def better(metric: Metric, value: float, than: float) -> bool:
    """True when `value` is at or beyond `than` in the metric's better direction."""
    return value >= than if metric.direction == "higher_is_better" else value <= than


def format_number(value: float) -> str:
    """A value as people read it: at most two decimals, no trailing zeros (12.5, 10, 0.25),
    with the active language's separators (see `i18n.format_number`)."""
    return _format_number(value)


def measurements(metric: Metric, series: Sequence[Point]) -> list[Point]:
    """The snapshot points of a series, gaps (None) included: everything but the baseline."""
    baseline = (metric.baseline.date, metric.baseline.value, "baseline")
    points = list(series)
    for index, point in enumerate(points):
        if (point.date, point.value, point.source) == baseline:
            return points[:index] + points[index + 1:]
    return points


def _measured(metric: Metric, series: Sequence[Point]) -> list[Point]:
    """The values measured on or after the baseline date, gaps left out."""
    return [p for p in measurements(metric, series)
            if p.value is not None and p.date >= metric.baseline.date]


def _changes(metric: Metric, latest: float) -> dict[str, float | None]:
    baseline = metric.baseline.value
    change = latest - baseline
    gap = metric.target.value - baseline if metric.target else 0
    return {"change": change,
            "change_pct": change / abs(baseline) * 100 if baseline else None,
            "gap_closed": change / gap if gap else None}


def _slope(points: Sequence[tuple[dt.date, float]]) -> float:
    """The least-squares slope through (date, value) points, per day; 0 when all share a date."""
    xs = [(d - points[0][0]).days for d, _ in points]
    ys = [v for _, v in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if not spread:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / spread


def _judge(metric: Metric, latest: Point, pace: float, recent: Sequence[tuple[dt.date, float]],
           today: dt.date) -> tuple[str, str, float | None, dt.date]:
    """Steps 2 to 5 of the rule: the status, the reason, the projected value, the horizon."""
    value = latest.value
    assert value is not None
    # Dates in these sentences are prose: the language's own form ("31 October 2026" in
    # English, "31. Oktober 2026" in German); tables keep the register's ISO dates.
    now = _("{value} on {date}").format(value=with_unit(value, metric.unit),
                                        date=format_date(latest.date))
    span = max((latest.date - recent[0][0]).days, _MIN_HORIZON_DAYS)
    undated = latest.date + dt.timedelta(days=span)
    target = metric.target
    if target is None:
        return (NO_TARGET, _("No target is set; the latest value is {now}.").format(now=now),
                None, undated)
    aim = with_unit(target.value, metric.unit)
    if better(metric, value, target.value):
        return (TARGET_MET, _("The latest value, {now}, meets the target of {aim}.").format(
            now=now, aim=aim), None, undated)
    if target.date is not None and target.date < today:
        return (OFF_TRACK, _("The target date {date} has passed and the latest value, {now}, "
                             "does not meet the target of {aim}.").format(
                                 date=format_date(target.date), now=now, aim=aim), None, undated)
    toward = 1 if metric.direction == "higher_is_better" else -1
    if target.date is None:
        if pace * toward > 0:
            return (ON_TRACK, _("The latest value, {now}, is moving toward the target of {aim} "
                                "(no target date is set).").format(now=now, aim=aim),
                    None, undated)
        return (OFF_TRACK, _("The latest value, {now}, is not moving toward the target of "
                             "{aim} (no target date is set).").format(now=now, aim=aim),
                None, undated)
    horizon = max(target.date, latest.date)
    projected = value + pace * (horizon - latest.date).days
    covered = (projected - value) * toward / ((target.value - value) * toward)
    facts = dict(projected=with_unit(projected, metric.unit), date=format_date(target.date),
                 aim=aim)
    if covered >= 1:
        return (ON_TRACK, _("At the current pace the value would be {projected} by {date}, "
                            "meeting the target of {aim}.").format(**facts), projected, horizon)
    if covered >= 0.5:
        return (AT_RISK, _("At the current pace the value would be {projected} by {date}: at "
                           "least half of the remaining gap to the target of {aim} closed, not "
                           "all of it.").format(**facts), projected, horizon)
    if pace * toward <= 0:
        return (OFF_TRACK, _("At the current pace the value would be {projected} by {date}: "
                             "the trend is not moving toward the target of {aim}.").format(
                                 **facts), projected, horizon)
    return (OFF_TRACK, _("At the current pace the value would be {projected} by {date}: less "
                         "than half of the remaining gap to the target of {aim} closed.").format(
                             **facts), projected, horizon)


def with_unit(value: float, unit: str) -> str:
    """A value with its unit, as prose writes it: "4.5 hours", "83.8%" ("83,8 %" in German)."""
    if unit == "%":
        return format_percent(value, 2)
    return f"{format_number(value)} {unit}"
