"""Did we get there? A verdict per metric, and a headline that says it in plain words.

The verdict reads the process, not a line drawn through noise. The rule (register format
v1.3), in order, the first that applies wins:

1. **no data**: no snapshot has a value for the metric on or after the baseline date
   (a `null` is a gap, never a zero).
2. When the latest phase has process limits (at least `behaviour.MIN_POINTS` values):
   - a target whose date has passed, and a latest value that does not meet it: **off
     track**, said in the past tense (`changing.missed`);
   - a process that is changing, with a target (`change.process_change`): a trend by its
     pace against the deadline, a shift by its own provisional phase (`changing.py`);
   - otherwise the v1.2 rule, and the verdict agrees with variation and assurance: a
     special cause of concern is **off track**, target or not; no `target`: **no
     target**; consistently passes: **target met** (in the past tense, "met since …",
     once its date has passed); consistently fails: **off track**; hit and miss: **at
     risk**, whatever the latest value.
3. Too few values for limits: the values decide, and the verdict says it rests on few.
   - **no target**: the metric has no `target`;
   - **target met**: the latest value is at or beyond the target value;
   - **off track**: the target date has passed and the target is not met (in the past
     tense);
   - otherwise the *trend* decides: the least-squares straight line through the last
     `WINDOW` (6) values, the baseline counted as the first. Its slope, continued from the
     latest value to the target date, covers the whole gap still to close: **on track**;
     at least half of it: **at risk**; less, or moving away: **off track**. With no target
     date only the direction counts: toward the target **on track**, else **off track**.

A trend is drawn on the chart (`Verdict.projection`) only where one is read: from a
trend the process is in (never from common-cause variation), or from the few values of
rule 3. Figures are at the metric's own precision (`figures.precision`). It is coloured by its direction (toward the target or away), not by the verdict.

Everything here is a pure function of the metric, its values, its process behaviour and
the build date. The site's page "How verdicts work" (docs/playbook/verdicts.md) explains
the same rule for readers, with worked examples.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Sequence

from .behaviour import (CONCERN, FAILS, HIT_AND_MISS, IMPROVEMENT, MIN_POINTS, PASSES,
                        Behaviour, Signal, latest_signal)
from . import cadence as period
from .change import TREND, Change, process_change
from .changing import (BY_ASSURANCE, CONCERN_CAUSE, DEADLINE_MISSED, Reading, deadline_missed, deadline_passed,
                       horizon, met_headline, met_since, missed, shift_reading, trend_reading,
                       where_now)
from .figures import Words, better, precision, slope, toward, with_unit
from .figures import format_number  # noqa: F401  (pages import it from here)
from ..i18n import _, format_date, ngettext
from ..register.model import Metric, Point

WINDOW = 6
"""How many recent values (the baseline included) the few-values trend is fitted to."""

TARGET_MET = "target met"
ON_TRACK = "on track"
AT_RISK = "at risk"
OFF_TRACK = "off track"
NO_TARGET = "no target"
NO_DATA = "no data"
LATE = "late"
"""Not a verdict: a metric whose newest value is older than one and a half periods
(`cadence.py`). It needs attention whatever its verdict says."""

VERDICT_STATUSES = (TARGET_MET, ON_TRACK, AT_RISK, OFF_TRACK, NO_TARGET, NO_DATA)
"""Every status a verdict can have, best first."""

ATTENTION_ORDER = (CONCERN, OFF_TRACK, AT_RISK, LATE, ON_TRACK, TARGET_MET, NO_TARGET, NO_DATA)
"""The order a board reads metrics in, those that need attention first: a special cause
of concern (whatever the verdict), then by verdict: off track, at risk; then a late metric
whose verdict would otherwise rank below that (a reading on old data is not an answer);
then on track, target met, no target, no data. The first four need attention."""

NEEDS_ATTENTION = ATTENTION_ORDER.index(LATE) + 1
"""Metrics ranked below this by `attention` need attention."""

_MIN_HORIZON_DAYS = 30  # how far an undated trend is drawn ahead, at least


@dataclass(frozen=True)
class Projection:
    """A trend continued from the latest value: a straight line, for the charts.
    `better` says whether it heads the metric's better way."""

    dates: tuple[dt.date, ...]
    values: tuple[float, ...]
    better: bool = True


@dataclass(frozen=True)
class Verdict:
    """Where one metric stands against its target, why, and in plain words.

    `headline` is the one sentence a reader needs (no statistical terms); `reason` says
    which reading made the verdict. `change` and `change_pct` compare the latest value
    with the baseline (`change_pct` is None when the baseline is zero); `gap_closed` is
    the share of the baseline-to-target gap closed so far (1.0 is all of it; negative
    means further away; None without a target or when the target equals the baseline).
    `pace` is the slope of the trend read, in units per day (None when none is read).
    `few_values` is the number of values the verdict rests on when they are too few for
    process limits (None when the process behaviour decided).
    """

    metric_id: str
    status: str
    reason: str
    latest: Point | None
    headline: str = ""
    change: float | None = None
    change_pct: float | None = None
    gap_closed: float | None = None
    pace: float | None = None
    projected: float | None = None  # the trend's value at the target date
    projection: Projection | None = None
    points_used: int = 0
    few_values: int | None = None
    cause: str = ""  # why: a key of `words.CAUSE_MEANINGS` ("" for the word's own meaning)
    reach: dt.date | None = None  # when a trend's pace meets the target (or stops meeting it)
    changing: Change | None = None  # how the process is changing (`change.process_change`)
    decimals: int = 2  # the metric's own precision (`figures.precision`)
    frequency: str = "monthly"  # the metric's period (`cadence.Cadence.frequency`)


def metric_verdict(metric: Metric, series: Sequence[Point], behaviour: Behaviour,
                   today: dt.date, window: int = WINDOW, *, frequency: str = "monthly"
                   ) -> Verdict:
    """The verdict on one metric: `series` is its snapshot values (`Register.series`),
    `behaviour` its process behaviour, `frequency` its period (`cadence.Cadence`), which
    the headline's words follow ("month after month", "week after week"), and which the
    verdict carries for its badge's meaning."""
    return replace(_verdict(metric, series, behaviour, today, window, frequency),
                   frequency=frequency)


def _verdict(metric: Metric, series: Sequence[Point], behaviour: Behaviour, today: dt.date,
             window: int, frequency: str) -> Verdict:
    measured = [p for p in series if p.value is not None and p.date >= metric.baseline.date]
    if not measured:
        base = with_unit(metric.baseline.value, metric.unit)
        return Verdict(metric.id, NO_DATA, _("No value has been measured since the baseline."),
                       latest=None, headline=_(
                           "Not measured since the baseline of {base} on {date}.").format(
                               base=base, date=format_date(metric.baseline.date)))
    latest = measured[-1]
    assert latest.value is not None
    common = _changes(metric, latest.value)
    words = Words(metric, latest, frequency,
                  precision(metric, [p.value for p in measured if p.value is not None]))
    if behaviour.latest.limits is not None:
        return _process_verdict(metric, behaviour, today, common, words)
    return _few_values_verdict(metric, measured, behaviour, today, window, common, words)


def attention(verdict: Verdict, behaviour: Behaviour, late: bool = False) -> int:
    """Where a metric stands in `ATTENTION_ORDER`: 0 for a special cause of concern, 1 off
    track, 2 at risk, 3 late (these need attention), then 4 on track … 7 no data. The board,
    the home page and the service pages order and count the metrics by this
    (`Register.attention`)."""
    if behaviour.variation == CONCERN:
        return 0
    rank = ATTENTION_ORDER.index(verdict.status)
    return min(rank, ATTENTION_ORDER.index(LATE)) if late else rank


# ----------------------------------------------------------------------------- the process

def process_status(metric: Metric, behaviour: Behaviour) -> str:
    """Rule 2: the verdict of a metric whose latest phase has limits. A special cause of
    concern is off track even without a target: something has gone wrong either way."""
    if behaviour.variation == CONCERN:
        return OFF_TRACK
    if metric.target is None:
        return NO_TARGET
    return BY_ASSURANCE[behaviour.assurance]


def _process_verdict(metric: Metric, behaviour: Behaviour, today: dt.date,
                     common: dict[str, float | None], words: Words) -> Verdict:
    change = process_change(metric, behaviour)
    reading = _process_reading(metric, behaviour, change, today, words)
    latest = words.latest
    pace = reading.pace
    if pace is None and change is not None and change.kind == TREND:
        pace = slope([(v.date, v.value) for v in change.values])
    projection = (_projection(metric, latest, pace, horizon(metric, latest))
                  if pace is not None and change is not None and change.kind == TREND else None)
    return Verdict(metric.id, reading.status, reading.reason, latest, headline=reading.headline,
                   pace=pace, projected=projection.values[-1] if projection else None,
                   projection=projection, points_used=len(behaviour.latest.values),
                   cause=reading.cause, reach=reading.reach, changing=change,
                   decimals=words.decimals, **common)


def _process_reading(metric: Metric, behaviour: Behaviour, change: Change | None,
                     today: dt.date, words: Words) -> Reading:
    """The first rule that applies: a target missed at its date, a changing process
    (`changing.py`), else the v1.2 reading of the process as its limits describe it."""
    if metric.target is not None:
        if deadline_missed(metric, words.latest, today):
            return missed(metric, words, where_now(behaviour, change, words))
        if change is not None and change.kind == TREND:
            return trend_reading(metric, change, words)
        if change is not None:
            return shift_reading(metric, change, words)
    status = process_status(metric, behaviour)
    cause = CONCERN_CAUSE if behaviour.variation == CONCERN else (
        behaviour.assurance if metric.target is not None else "")
    headline = _process_headline(metric, behaviour, latest_signal(behaviour), change, words)
    if (deadline_passed(metric, today) and behaviour.variation != CONCERN
            and status in (TARGET_MET, AT_RISK)):
        values = [(v.date, v.value) for v in behaviour.values]
        headline = met_headline(words, met_since(metric, values), status == AT_RISK)
    return Reading(status, cause, _process_reason(metric, behaviour, words), headline)


def _process_reason(metric: Metric, behaviour: Behaviour, words: _Words) -> str:
    """Which reading made the verdict, with the figures behind it."""
    bounds = behaviour.latest.limits
    assert bounds is not None
    spread = dict(lower=words.detail(bounds.lower), upper=words.detail(bounds.upper),
                  now=words.now)
    if behaviour.variation == CONCERN:
        return _("The latest value, {now}, is unusual and worse than the process was: "
                 "something has changed for the worse.").format(**spread)
    if metric.target is None:
        return _("No target is set. The process is expected to give values from {lower} to "
                 "{upper}; the latest is {now}.").format(**spread)
    return {
        PASSES: _("The process is expected to give values from {lower} to {upper}: all of "
                  "them meet the target of {aim}."),
        FAILS: _("The process is expected to give values from {lower} to {upper}: none of "
                 "them meets the target of {aim}."),
        HIT_AND_MISS: _("The process is expected to give values from {lower} to {upper}, and "
                        "the target of {aim} lies within them: it will be met {in_some} and "
                        "missed in others, whatever the latest value."),
    }[behaviour.assurance].format(aim=words.aim, in_some=period.in_some(words.frequency),
                                  **spread)


def _process_headline(metric: Metric, behaviour: Behaviour, signal: Signal | None,
                      change: Change | None, words: Words) -> str:
    """The plain-words sentence for a metric whose latest phase has limits and that the
    rules of a changing process did not read (no target, or no change)."""
    start = change.start if change is not None else signal.start if signal else None
    if signal is not None and start is not None and signal.label == CONCERN:
        return _concern_headline(metric, signal, change, start, words)
    if signal is not None and start is not None and signal.label == IMPROVEMENT:
        return _improvement_headline(metric, behaviour, signal, start, words)
    bounds = behaviour.latest.limits
    assert bounds is not None
    if metric.target is None:
        return _("Steady at about {mean} (latest: {now}); no target is set.").format(
            mean=words.of(bounds.mean), now=words.now)
    return {
        PASSES: _("Meets the target of {aim} {after_each} (latest: {now})."),
        HIT_AND_MISS: _("Will meet the target of {aim} {in_some} and miss it in others "
                        "(latest: {now}): the process has to change to meet it {every}."),
        FAILS: _("Stays short of the target of {aim} (latest: {now}): it will not get there "
                 "unless the process changes."),
    }[behaviour.assurance].format(aim=words.aim, now=words.now, **words.period_words)


def _concern_headline(metric: Metric, signal: Signal, change: Change | None,
                      start: dt.date, words: Words) -> str:
    facts = dict(month=words.when(start), now=words.now, aim=words.aim)
    if change is None and len(signal.values) == 1:
        if metric.target is None:
            return _("{now} is far worse than usual; no target is set: find out what "
                     "changed.").format(**facts)
        return _("{now} is far worse than usual (target {aim}): find out what changed.").format(
            **facts)
    if metric.target is None:
        return _("Worse since {month} (latest: {now}); no target is set: find out what "
                 "changed.").format(**facts)
    if change is not None and change.kind == TREND:
        return _("Getting worse since {month} (latest: {now}, target {aim}): find out what "
                 "changed.").format(**facts)
    return _("Worse since {month} (latest: {now}, target {aim}): find out what changed.").format(
        **facts)


def _improvement_headline(metric: Metric, behaviour: Behaviour, signal: Signal,
                          start: dt.date, words: Words) -> str:
    """Improved: from when, and is its new level enough? (A trend or a run with a target
    is read by `changing.py`.)"""
    month = words.when(start)
    if metric.target is None:
        return _("Improved from {month} (latest: {now}); no target is set.").format(
            month=month, now=words.now)
    if behaviour.assurance == PASSES:
        return _("Improved from {month} and now meets the target of {aim} "
                 "{after_each}.").format(month=month, aim=words.aim, **words.period_words)
    target = metric.target
    level = sum(v.value for v in signal.values) / len(signal.values)
    if better(metric, level, target.value):
        return _("Improved from {month} to about {level}, which meets the target of {aim}, "
                 "but too recently to count on it {every}.").format(
                     month=month, level=words.of(level), aim=words.aim, **words.period_words)
    if target.date is None:
        return _("Improved from {month}, but at this level it will not reach {aim}: the "
                 "process has to change again.").format(month=month, aim=words.aim)
    return _("Improved from {month}, but at this level it will not reach {aim} by {date}: "
             "the process has to change again.").format(
                 month=month, aim=words.aim, date=format_date(target.date))


# ----------------------------------------------------------------------------- few values

def _few_values_verdict(metric: Metric, measured: list[Point], behaviour: Behaviour,
                        today: dt.date, window: int, common: dict[str, float | None],
                        words: Words) -> Verdict:
    """Rule 3: too few values for process limits; the values themselves decide."""
    latest = measured[-1]
    assert latest.value is not None
    start = (metric.baseline.date, metric.baseline.value)
    recent = ([start] + [(p.date, p.value) for p in measured if p.value is not None])[-window:]
    pace = slope(recent)
    count = len(behaviour.latest.values) or len(recent)
    status, reason, projected, until = _judge(metric, latest, pace, recent, today, words)
    projection = _projection(metric, latest, pace, until)
    few = ngettext("This verdict rests on {count} value: process limits need {minimum}.",
                   "This verdict rests on {count} values: process limits need {minimum}.",
                   count).format(count=count, minimum=MIN_POINTS)
    return Verdict(metric.id, status, f"{reason} {few}", latest,
                   headline=_few_values_headline(metric, status, words, count, today),
                   pace=pace, projected=projected, projection=projection,
                   points_used=len(recent), few_values=count, decimals=words.decimals,
                   cause=DEADLINE_MISSED if deadline_missed(metric, latest, today) else "",
                   **common)


def _few_values_headline(metric: Metric, status: str, words: Words, count: int,
                         today: dt.date) -> str:
    target = metric.target
    if status == NO_TARGET or target is None:
        return _("The latest value is {now}; no target is set.").format(now=words.now)
    facts = dict(now=words.now, aim=words.aim, count=count,
                 date=format_date(target.date) if target.date else "")
    if status == TARGET_MET:
        return ngettext("The latest value, {now}, meets the target of {aim}, but {count} value "
                        "is too few to count on it {every}.",
                        "The latest value, {now}, meets the target of {aim}, but {count} values "
                        "are too few to count on it {every}.", count).format(
                            **facts, every=period.every(words.frequency))
    if target.date is not None and target.date < today and status == OFF_TRACK:
        return missed(metric, words, ngettext(
            "{count} value is too few to say what the process gives",
            "{count} values are too few to say what the process gives", count).format(
                count=count)).headline
    if status == ON_TRACK:
        if target.date is None:
            return ngettext("Moving toward {aim} (latest: {now}); that rests on {count} value.",
                            "Moving toward {aim} (latest: {now}); that rests on {count} values.",
                            count).format(**facts)
        return ngettext("At the recent pace it reaches {aim} by {date} (latest: {now}); that "
                        "rests on {count} value.",
                        "At the recent pace it reaches {aim} by {date} (latest: {now}); that "
                        "rests on {count} values.", count).format(**facts)
    if status == AT_RISK:
        return ngettext("At the recent pace it closes only part of the gap to {aim} by {date} "
                        "(latest: {now}); that rests on {count} value.",
                        "At the recent pace it closes only part of the gap to {aim} by {date} "
                        "(latest: {now}); that rests on {count} values.", count).format(**facts)
    return ngettext("At the recent pace it will not reach {aim} in time (latest: {now}); that "
                    "rests on {count} value.",
                    "At the recent pace it will not reach {aim} in time (latest: {now}); that "
                    "rests on {count} values.", count).format(**facts)


def _judge(metric: Metric, latest: Point, pace: float, recent: Sequence[tuple[dt.date, float]],
           today: dt.date, words: Words) -> tuple[str, str, float | None, dt.date]:
    """Rule 3: the status, the reason, the projected value, the horizon."""
    value = latest.value
    assert value is not None
    # Dates in these sentences are prose: the language's own form ("31 October 2026" in
    # English, "31. Oktober 2026" in German); tables keep the register's ISO dates.
    now = words.now
    span = max((latest.date - recent[0][0]).days, _MIN_HORIZON_DAYS)
    undated = latest.date + dt.timedelta(days=span)
    target = metric.target
    if target is None:
        return (NO_TARGET, _("No target is set; the latest value is {now}.").format(now=now),
                None, undated)
    aim = words.aim
    if better(metric, value, target.value):
        return (TARGET_MET, _("The latest value, {now}, meets the target of {aim}.").format(
            now=now, aim=aim), None, undated)
    if target.date is not None and target.date < today:
        return (OFF_TRACK, _("The target date {date} has passed and the latest value, {now}, "
                             "does not meet the target of {aim}.").format(
                                 date=format_date(target.date), now=now, aim=aim), None, undated)
    way = toward(metric)
    if target.date is None:
        if pace * way > 0:
            return (ON_TRACK, _("The latest value, {now}, is moving toward the target of {aim} "
                                "(no target date is set).").format(now=now, aim=aim),
                    None, undated)
        return (OFF_TRACK, _("The latest value, {now}, is not moving toward the target of "
                             "{aim} (no target date is set).").format(now=now, aim=aim),
                None, undated)
    horizon = max(target.date, latest.date)
    projected = value + pace * (horizon - latest.date).days
    covered = (projected - value) * way / ((target.value - value) * way)
    facts = dict(projected=words.of(projected), date=format_date(target.date),
                 aim=aim)
    if covered >= 1:
        return (ON_TRACK, _("At the current pace the value would be {projected} by {date}, "
                            "meeting the target of {aim}.").format(**facts), projected, horizon)
    if covered >= 0.5:
        return (AT_RISK, _("At the current pace the value would be {projected} by {date}: at "
                           "least half of the remaining gap to the target of {aim} closed, not "
                           "all of it.").format(**facts), projected, horizon)
    if pace * way <= 0:
        return (OFF_TRACK, _("At the current pace the value would be {projected} by {date}: "
                             "the trend is not moving toward the target of {aim}.").format(
                                 **facts), projected, horizon)
    return (OFF_TRACK, _("At the current pace the value would be {projected} by {date}: less "
                         "than half of the remaining gap to the target of {aim} closed.").format(
                             **facts), projected, horizon)


# ----------------------------------------------------------------------------- helpers

def _projection(metric: Metric, latest: Point, pace: float, horizon: dt.date) -> Projection:
    """The trend at `pace` continued from the latest value to `horizon`."""
    assert latest.value is not None
    end = latest.value + pace * (horizon - latest.date).days
    return Projection((latest.date, horizon), (latest.value, end),
                      better=pace * toward(metric) > 0)


def _changes(metric: Metric, latest: float) -> dict[str, float | None]:
    baseline = metric.baseline.value
    change = latest - baseline
    gap = metric.target.value - baseline if metric.target else 0
    return {"change": change,
            "change_pct": change / abs(baseline) * 100 if baseline else None,
            "gap_closed": change / gap if gap else None}
