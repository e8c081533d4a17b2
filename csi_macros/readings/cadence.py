"""How often a metric is measured, and whether its values keep coming (register format v1.3).

A metric's **period** is its `frequency`: `weekly` (7 days), `monthly` (a calendar month),
`quarterly` (three) or `yearly` (twelve). A metric file that names none gets the frequency
nearest the typical gap between its dated values (the median, on a log scale: a fortnight's
data reads as weekly, five-weekly as monthly); with fewer than `MIN_TO_INFER` values, a
month.

- A metric is **late** when, at the build date, its newest value is older than
  `LATE_AFTER` (one and a half) periods: the readings shown for it are as of that value.
- Two consecutive values further apart than that leave a **gap**: the chart's line is not
  drawn across it, and the values table says how many periods have no value. The process
  behaviour is still read over the values that exist, as NHSRplotthedots reads them.

The values are those the process behaviour reads (`behaviour.series_values`: the baseline
and every value measured after it, `null` skipped), so that the chart, the values table,
the board and `csi check` count the same ones. Distances in months count calendar months,
a month's end to the next month's end being one: 31 January to 28 February is one month.

The words a period is said in ("month after month", "in some weeks", "no value for 3
months", "since Q3 2026") are at the end, in the active language.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import statistics
from dataclasses import dataclass
from typing import Sequence

from ..i18n import _, format_date, month_year, ngettext
from ..register.model import FREQUENCIES, Metric

DEFAULT = "monthly"
"""The frequency of a metric that names none and has too few values to read one from."""

FROM_FILE, FROM_DATES, FROM_DEFAULT = "file", "dates", "default"
"""Where a metric's frequency came from: its file's `frequency`, its dates, or `DEFAULT`."""

LATE_AFTER = 1.5
"""A metric is late, and two values leave a gap, beyond this many periods."""

MIN_TO_INFER = 3
"""A metric's frequency is read from its dates once it has this many values (two gaps)."""

MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
"""The calendar months in a period; a week is `WEEK` days."""
WEEK = 7

_TYPICAL_DAYS = {"weekly": 7.0, "monthly": 365.25 / 12, "quarterly": 365.25 / 4,
                 "yearly": 365.25}


@dataclass(frozen=True)
class Gap:
    """Consecutive values `after` and `until` that lie more than `LATE_AFTER` periods apart:
    `missing` periods between them have no value (the distance in periods, rounded, less
    one; at least one)."""

    after: dt.date
    until: dt.date
    missing: int


@dataclass(frozen=True)
class Cadence:
    """How often one metric is measured and whether its values keep coming.

    `frequency` is one of `model.FREQUENCIES`; `source` says where it came from
    (`FROM_FILE`, `FROM_DATES`, `FROM_DEFAULT`). `newest` is the date of the newest value
    (the baseline when nothing was measured after it)."""

    metric_id: str
    frequency: str
    source: str
    newest: dt.date
    late: bool
    gaps: tuple[Gap, ...] = ()
    overdue: int = 0  # the periods due since the newest value, up to the build date

    @property
    def inferred(self) -> bool:
        """True when the metric's file names no `frequency`."""
        return self.source != FROM_FILE

    def missing_dates(self, gap: Gap) -> tuple[dt.date, ...]:
        """The dates on which the values a gap lacks were due, one period apart."""
        return tuple(add_periods(gap.after, step, self.frequency)
                     for step in range(1, gap.missing + 1))


def metric_cadence(metric: Metric, dates: Sequence[dt.date], today: dt.date) -> Cadence:
    """The cadence of a metric whose values (the baseline first) lie on `dates`, in order:
    `[v.date for v in Register.behaviour[id].values]`."""
    read = infer_frequency(dates)
    frequency, source = ((metric.frequency, FROM_FILE) if metric.frequency else
                         (read, FROM_DATES) if read else (DEFAULT, FROM_DEFAULT))
    newest = dates[-1] if dates else metric.baseline.date
    gaps = []
    for before, after in zip(dates, dates[1:]):
        apart = periods_between(before, after, frequency)
        if apart > LATE_AFTER:
            gaps.append(Gap(before, after, max(1, round(apart) - 1)))
    behind = periods_between(newest, today, frequency)
    return Cadence(metric.id, frequency, source, newest, behind > LATE_AFTER, tuple(gaps),
                   max(0, math.floor(behind)))


def infer_frequency(dates: Sequence[dt.date]) -> str | None:
    """The frequency nearest the median gap between `dates` (in order), on a log scale; None
    with fewer than `MIN_TO_INFER` dates."""
    if len(dates) < MIN_TO_INFER:
        return None
    typical = statistics.median((b - a).days for a, b in zip(dates, dates[1:]))
    if typical <= 0:
        return None
    return min(FREQUENCIES, key=lambda name: abs(math.log(typical / _TYPICAL_DAYS[name])))


def periods_between(start: dt.date, end: dt.date, frequency: str) -> float:
    """How many periods lie from `start` to `end`: days / 7 for a weekly metric, calendar
    months (a month's end to the next month's end is one) / months in the period otherwise."""
    if frequency == "weekly":
        return (end - start).days / WEEK
    return (_month_position(end) - _month_position(start)) / MONTHS[frequency]


def _month_position(day: dt.date) -> float:
    """A date as months since year 0, its day a fraction of its month: every month's end is
    a whole number."""
    return day.year * 12 + day.month - 1 + day.day / calendar.monthrange(day.year, day.month)[1]


def add_periods(day: dt.date, count: int, frequency: str) -> dt.date:
    """`count` periods after `day`; a month's end stays a month's end (31 January and one
    month: 28 February; 28 February and one month: 31 March)."""
    if frequency == "weekly":
        return day + dt.timedelta(days=WEEK * count)
    index = day.year * 12 + day.month - 1 + MONTHS[frequency] * count
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month + 1, last if at_end else min(day.day, last))


# ----------------------------------------------------------------------------- words

def after_each(frequency: str) -> str:
    """"month after month", "week after week": how a process meets its target reliably."""
    return {"weekly": _("week after week"), "monthly": _("month after month"),
            "quarterly": _("quarter after quarter"), "yearly": _("year after year")}[frequency]


def every(frequency: str) -> str:
    """"every month", "every week"."""
    return {"weekly": _("every week"), "monthly": _("every month"),
            "quarterly": _("every quarter"), "yearly": _("every year")}[frequency]


def in_some(frequency: str) -> str:
    """"in some months", "in some weeks": the periods a hit-and-miss process meets its
    target in ("… and misses it in others")."""
    return {"weekly": _("in some weeks"), "monthly": _("in some months"),
            "quarterly": _("in some quarters"), "yearly": _("in some years")}[frequency]


def missing_text(gap: Gap, frequency: str) -> str:
    """"no value for 3 months" ("weeks", "quarters", "years")."""
    count = gap.missing
    return {
        "weekly": ngettext("no value for {count} week", "no value for {count} weeks", count),
        "monthly": ngettext("no value for {count} month", "no value for {count} months", count),
        "quarterly": ngettext("no value for {count} quarter", "no value for {count} quarters",
                              count),
        "yearly": ngettext("no value for {count} year", "no value for {count} years", count),
    }[frequency].format(count=count)


def when(day: dt.date, frequency: str) -> str:
    """A date in prose at the metric's own grain: the day for a weekly metric ("3 November
    2026"), the month for a monthly one ("November 2026"), the quarter ("Q4 2026"), the
    year ("2026")."""
    if frequency == "weekly":
        return format_date(day)
    if frequency == "quarterly":
        return format_date(day, "QQQ y")
    if frequency == "yearly":
        return str(day.year)
    return month_year(day)


def since(cadence: Cadence) -> str:
    """"no value since 31 July 2026": what a late metric's mark says after the word late."""
    return _("no value since {date}").format(date=format_date(cadence.newest))


def as_of(headline: str, cadence: Cadence) -> str:
    """A late metric's headline: how long no value has come, then its reading, as of its
    newest value."""
    return _("No value since {date} ({missing}). As of that date: {headline}").format(
        date=format_date(cadence.newest), missing=overdue_text(cadence), headline=headline)


def as_of_date(cadence: Cadence) -> str:
    """"as of July 31, 2026": what a late metric's verdict badge is followed by."""
    return _("as of {date}").format(date=format_date(cadence.newest))


def overdue_text(cadence: Cadence) -> str:
    """"4 months missing" ("weeks", "quarters", "years"): the values due since the newest
    one, up to the build date."""
    count = cadence.overdue
    return {
        "weekly": ngettext("{count} week missing", "{count} weeks missing", count),
        "monthly": ngettext("{count} month missing", "{count} months missing", count),
        "quarterly": ngettext("{count} quarter missing", "{count} quarters missing", count),
        "yearly": ngettext("{count} year missing", "{count} years missing", count),
    }[cadence.frequency].format(count=count)
