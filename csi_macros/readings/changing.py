"""The verdict on a process that is changing, and on a target whose date has passed
(register format v1.3). These rules come before the v1.2 ones (`verdicts.py`):

- a **deadline that has passed** and a latest value that does not meet the target: **off
  track**, and the headline says the target was missed, by how much and where the process
  now is, never a forecast toward a date that has gone (`missed`);
- a **trend** (`trend_reading`): its pace, the least-squares slope through its values, is
  continued from the latest value to the target's date (a year ahead when it has none):
  **on track** when the latest value or that pace meets the target by then, **at risk**
  when the pace closes at least half the remaining gap, **off track** otherwise. A trend
  for the worse is **at risk** while the latest value still meets the target (the
  headline says when, at that pace, it stops) and **off track** once it does not;
- a **shift** (`shift_reading`): the values since it began are their own, provisional
  phase, and the v1.2 rule reads that phase: a special cause of concern in it is off
  track, else its assurance decides.

Each function returns a `Reading`: the status, why (`cause`, a key of
`words.CAUSE_MEANINGS`), the reason and the headline in plain words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .behaviour import CONCERN, FAILS, HIT_AND_MISS, PASSES, Behaviour
from .change import SHIFT, Change
from .figures import Words, better, roughly, slope, toward
from ..i18n import N_, _, format_date
from ..register.model import Metric, Point

TARGET_MET = "target met"
ON_TRACK = "on track"
AT_RISK = "at risk"
OFF_TRACK = "off track"

BY_ASSURANCE = {PASSES: TARGET_MET, HIT_AND_MISS: AT_RISK, FAILS: OFF_TRACK}
"""The verdict a process with limits gets from its assurance (a concern overrides it)."""

YEAR = 365
CENTURY = 36500  # a date a century away is not one anyone plans for

# Why a verdict is what it is: the keys of `words.CAUSE_MEANINGS`.
DEADLINE_MISSED = "deadline missed"
PACE_REACHES = "pace reaches"
PACE_MOST = "pace closes most"
PACE_TOO_SLOW = "pace too slow"
WORSE_STILL_MEETS = "worse, still meets"
GETTING_WORSE = "getting worse"
ALREADY_MEETS = "already meets"
CONCERN_CAUSE = "concern"
CAUSES = (DEADLINE_MISSED, PACE_REACHES, PACE_MOST, PACE_TOO_SLOW, WORSE_STILL_MEETS,
          GETTING_WORSE, ALREADY_MEETS, CONCERN_CAUSE, PASSES, HIT_AND_MISS, FAILS)


@dataclass(frozen=True)
class Reading:
    """A verdict's status, cause, reason and headline, and the pace it read, if any."""

    status: str
    cause: str
    reason: str
    headline: str
    pace: float | None = None
    projected: float | None = None
    reach: dt.date | None = None  # when the pace meets the target (or stops meeting it)


def deadline_missed(metric: Metric, latest: Point, today: dt.date) -> bool:
    """The target's date lies before the build date and the latest value does not meet it."""
    target = metric.target
    assert latest.value is not None
    return (target is not None and target.date is not None and target.date < today
            and not better(metric, latest.value, target.value))


def deadline_passed(metric: Metric, today: dt.date) -> bool:
    target = metric.target
    return target is not None and target.date is not None and target.date < today


def missed(metric: Metric, words: Words, where: str) -> Reading:
    """A target whose date has passed, not met: by how much, and `where` the process is."""
    assert metric.target is not None and words.latest.value is not None
    short = abs(metric.target.value - words.latest.value)
    facts = dict(aim=words.aim, deadline=words.deadline, now=words.now, by=words.gap(short),
                 where=where)
    return Reading(OFF_TRACK, DEADLINE_MISSED, _(
        "The target date {date} has passed and the latest value, {now}, does not meet the "
        "target of {aim}.").format(date=words.deadline, now=words.now, aim=words.aim),
        _("Missed the target of {aim}, due by {deadline}, by {by} (latest: {now}); "
          "{where}.").format(**facts))


def where_now(behaviour: Behaviour, change: Change | None, words: Words) -> str:
    """Where the process is now, for a missed target's headline."""
    if change is not None and change.kind == SHIFT and change.limits is not None:
        return _("since {start} it gives about {mean}").format(
            start=words.when(change.start), mean=words.of(change.limits.mean))
    if change is not None:
        said = (_("it has been improving since {start}") if change.better
                else _("it has been getting worse since {start}"))
        return said.format(start=words.when(change.start))
    bounds = behaviour.latest.limits
    if bounds is not None:
        return _("the process now gives {lower} to {upper}").format(
            lower=words.of(bounds.lower), upper=words.of(bounds.upper))
    return _("too few values yet to say what the process gives")


def met_since(metric: Metric, values: list[tuple[dt.date, float]]) -> dt.date:
    """Where the latest stretch of values that all meet the target began."""
    assert metric.target is not None
    start = len(values) - 1
    while start > 0 and better(metric, values[start - 1][1], metric.target.value):
        start -= 1
    return values[start][0]


def met_headline(words: Words, since: dt.date, hit_and_miss: bool) -> str:
    """A target whose date has passed and that the latest value meets, in the past tense."""
    facts = dict(aim=words.aim, deadline=words.deadline, now=words.now,
                 since=words.when(since), **words.period_words)
    if hit_and_miss:
        return _("The target of {aim}, due by {deadline}, is met by the latest value "
                 "({now}), but the process still misses it {in_some}.").format(**facts)
    return _("The target of {aim}, due by {deadline}, has been met since {since} (latest: "
             "{now}).").format(**facts)


# ----------------------------------------------------------------------------- a trend

def horizon(metric: Metric, latest: Point) -> dt.date:
    """The date a trend's pace is set against: the target's, else a year ahead."""
    target = metric.target
    if target is not None and target.date is not None and target.date > latest.date:
        return target.date
    return latest.date + dt.timedelta(days=YEAR)


def crossing(metric: Metric, latest: Point, pace: float) -> dt.date | None:
    """When a line at `pace` from the latest value crosses the target; None when it never
    does (or not within a century)."""
    assert metric.target is not None and latest.value is not None
    if pace == 0:
        return None
    days = (metric.target.value - latest.value) / pace
    if days < 0 or days > CENTURY:
        return None
    return latest.date + dt.timedelta(days=round(days))


def trend_reading(metric: Metric, change: Change, words: Words) -> Reading:
    """The verdict on a trend: its pace against the target and its date."""
    assert metric.target is not None and words.latest.value is not None
    pace = slope([(v.date, v.value) for v in change.values])
    end = horizon(metric, words.latest)
    projected = words.latest.value + pace * (end - words.latest.date).days
    reach = crossing(metric, words.latest, pace)
    facts = dict(start=words.when(change.start), now=words.now, aim=words.aim,
                 projected=words.of(projected), by=_by(metric, words), pace=_pace(pace, words),
                 around=roughly(reach, words.latest.date) if reach else "")
    if change.better:
        return _improving(metric, words, facts, pace, projected, reach)
    return _worsening(metric, words, facts, pace, projected, reach)


def _improving(metric: Metric, words: Words, facts: dict[str, str], pace: float,
               projected: float, reach: dt.date | None) -> Reading:
    assert metric.target is not None and words.latest.value is not None
    value, aim = words.latest.value, metric.target.value
    reason = _("Since {start} the values have moved by about {pace}: from {now}, that gives "
               "{projected} {by}, against a target of {aim}.").format(**facts)
    if better(metric, value, aim):
        return Reading(ON_TRACK, ALREADY_MEETS, reason, _(
            "Improving since {start} and already meets the target of {aim} (latest: "
            "{now}).").format(**facts), pace, projected, words.latest.date)
    covered = (projected - value) * toward(metric) / ((aim - value) * toward(metric))
    if covered >= 1:
        dated = metric.target.date is not None and metric.target.date > words.latest.date
        headline = (_("Improving since {start}: at this pace it reaches {aim} {around}, "
                      "before its target date of {deadline} (latest: {now}).") if dated else
                    _("Improving since {start}: at this pace it reaches {aim} {around} "
                      "(latest: {now})."))
        return Reading(ON_TRACK, PACE_REACHES, reason, headline.format(
            deadline=words.deadline, **facts), pace, projected, reach)
    if covered >= 0.5:
        headline = _("Improving since {start}, but at this pace it reaches only {projected} "
                     "{by}, against a target of {aim}: most of the gap, not all (latest: "
                     "{now}).").format(**facts)
        if reach is not None:
            headline += " " + _("It would reach {aim} {around}.").format(**facts)
        return Reading(AT_RISK, PACE_MOST, reason, headline, pace, projected, reach)
    return Reading(OFF_TRACK, PACE_TOO_SLOW, reason, _(
        "Improving since {start}, but too slowly: at this pace it reaches only {projected} "
        "{by}, against a target of {aim} (latest: {now}).").format(**facts),
        pace, projected, reach)


def _worsening(metric: Metric, words: Words, facts: dict[str, str], pace: float,
               projected: float, reach: dt.date | None) -> Reading:
    assert metric.target is not None and words.latest.value is not None
    reason = _("The values have been getting worse since {start}, by about {pace}; the latest "
               "is {now}, against a target of {aim}.").format(**facts)
    if better(metric, words.latest.value, metric.target.value):
        headline = (_("Getting worse since {start} but still meets the target of {aim} "
                      "(latest: {now}): at this pace it stops meeting it {around}.")
                    if reach is not None else
                    _("Getting worse since {start} but still meets the target of {aim} "
                      "(latest: {now})."))
        return Reading(AT_RISK, WORSE_STILL_MEETS, reason, headline.format(**facts), pace,
                       projected, reach)
    return Reading(OFF_TRACK, GETTING_WORSE, reason, _(
        "Getting worse since {month} (latest: {now}, target {aim}): find out what "
        "changed.").format(month=facts["start"], **facts), pace, projected, None)


def _by(metric: Metric, words: Words) -> str:
    target = metric.target
    if target is not None and target.date is not None and target.date > words.latest.date:
        return _("by {date}").format(date=format_date(target.date))
    return _("within a year")


def _pace(pace: float, words: Words) -> str:
    """A trend's pace in the metric's period: "0.4 hours a month"."""
    days = {"weekly": 7, "monthly": 365.25 / 12, "quarterly": 365.25 / 4,
            "yearly": 365.25}[words.frequency]
    amount = words.step(abs(pace) * days)
    return {"weekly": _("{amount} a week"), "monthly": _("{amount} a month"),
            "quarterly": _("{amount} a quarter"),
            "yearly": _("{amount} a year")}[words.frequency].format(amount=amount)


# ----------------------------------------------------------------------------- a shift

def shift_reading(metric: Metric, change: Change, words: Words) -> Reading:
    """The verdict on a shift: the v1.2 rule read over its own, provisional phase."""
    assert metric.target is not None and change.limits is not None
    assert change.assurance is not None
    count = len(change.values)
    facts = dict(start=words.when(change.start), mean=words.of(change.limits.mean),
                 lower=words.detail(change.limits.lower), upper=words.detail(change.limits.upper),
                 now=words.now, aim=words.aim,
                 count=(_("{count} values, provisional") if change.provisional
                        else _("{count} values")).format(count=count), **words.period_words)
    reason = _("Since {start} the process has been a new one ({count}): it gives values from "
               "{lower} to {upper}, against a target of {aim}.").format(**facts)
    if change.variation == CONCERN:
        return Reading(OFF_TRACK, CONCERN_CAUSE, reason, _(
            "{now} is unusual even for the process since {start} (target {aim}): find out "
            "what changed.").format(**facts))
    status = BY_ASSURANCE[change.assurance]
    headline = (_SHIFT_BETTER if change.better else _SHIFT_WORSE)[change.assurance]
    return Reading(status, change.assurance, reason, _(headline).format(**facts))


_SHIFT_BETTER = {
    PASSES: N_("Better since {start}: about {mean} since then ({count}), which meets the target "
            "of {aim} {after_each} (latest: {now})."),
    HIT_AND_MISS: N_("Better since {start}: about {mean} since then ({count}), which meets the "
                  "target of {aim} {in_some} and misses it in others (latest: {now})."),
    FAILS: N_("Better since {start}: about {mean} since then ({count}), still short of the "
           "target of {aim} (latest: {now})."),
}
_SHIFT_WORSE = {
    PASSES: N_("Worse since {start}: about {mean} since then ({count}), which still meets the "
            "target of {aim} {after_each} (latest: {now}); find out what changed."),
    HIT_AND_MISS: N_("Worse since {start}: about {mean} since then ({count}), which meets the "
                  "target of {aim} only {in_some} (latest: {now}); find out what changed."),
    FAILS: N_("Worse since {start}: about {mean} since then ({count}), short of the target of "
           "{aim} (latest: {now}); find out what changed."),
}
