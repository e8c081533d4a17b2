"""The figures verdicts and headlines name, in plain numbers and plain dates.

Register format v1.3, "Plain numbers": a headline shows its figures at the metric's own
precision (the most decimals its values are written with: "steady at about 300", not
"300.44"); tables of means and limits at most one decimal more. A date a trend is only
expected to reach is said roughly ("around mid-2027"), never to the day.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Iterable, Sequence

from . import cadence as period
from ..i18n import _, format_date, format_percent, ngettext
from ..i18n import format_number as _format_number
from ..register.model import Metric, Point

MAX_DECIMALS = 4
"""No metric is read to more decimals than this, however its values are written."""


def decimals_of(value: float) -> int:
    """How many decimals `value` is written with: 300 → 0, 83.8 → 1, 0.25 → 2."""
    if not math.isfinite(value) or value == int(value):
        return 0
    text = repr(float(value))
    if "e" in text:
        return MAX_DECIMALS
    return min(len(text.split(".")[1].rstrip("0")), MAX_DECIMALS)


def precision(metric: Metric, values: Iterable[float] = ()) -> int:
    """The metric's own precision: the most decimals its baseline, target and values are
    written with."""
    written = [metric.baseline.value, *values]
    if metric.target is not None:
        written.append(metric.target.value)
    return max((decimals_of(v) for v in written), default=0)


def format_number(value: float, decimals: int = 2) -> str:
    """A value as people read it: at most `decimals` decimals (two unless told), no
    trailing zeros (12.5, 10, 0.25), with the active language's separators."""
    return _format_number(value, decimals)


def with_unit(value: float, unit: str, decimals: int = 2) -> str:
    """A value with its unit, as prose writes it: "4.5 hours", "83.8%" ("83,8 %" in German)."""
    if unit == "%":
        return format_percent(value, decimals)
    return f"{format_number(value, decimals)} {unit}"


def difference_with_unit(amount: float, unit: str, decimals: int = 2) -> str:
    """A difference between two values with its unit: for a percentage, in percentage
    points ("2.4 percentage points": "2.4%" would read as a share of the value)."""
    if unit == "%":
        return ngettext("{amount} percentage point", "{amount} percentage points",
                        1 if round(amount, decimals) == 1 else 2).format(
            amount=_format_number(amount, decimals))
    return with_unit(amount, unit, decimals)


def better(metric: Metric, value: float, than: float) -> bool:
    """True when `value` is at or beyond `than` in the metric's better direction."""
    return value >= than if metric.direction == "higher_is_better" else value <= than


def toward(metric: Metric) -> int:
    """1 when higher is better, -1 when lower is."""
    return 1 if metric.direction == "higher_is_better" else -1


def slope(points: Sequence[tuple[dt.date, float]]) -> float:
    """The least-squares slope through (date, value) points, per day; 0 when all share a date."""
    xs = [(d - points[0][0]).days for d, _ in points]
    ys = [v for _, v in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if not spread:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / spread


def roughly(day: dt.date, since: dt.date) -> str:
    """A date a trend is expected to reach, as roughly as such a date is known: the month
    when it is under a year from `since` ("around March 2027"), else the part of its year
    ("around early 2028", "around mid-2027", "around late 2027")."""
    if (day - since).days < 366:
        return _("around {month}").format(month=period.when(day, "monthly"))
    part = (_("around early {year}") if day.month <= 4 else
            _("around mid-{year}") if day.month <= 8 else _("around late {year}"))
    return part.format(year=day.year)


@dataclass(frozen=True)
class Words:
    """The figures a verdict's sentences name, formatted once, at the metric's precision."""

    metric: Metric
    latest: Point
    frequency: str = "monthly"
    decimals: int = 2

    @property
    def period_words(self) -> dict[str, str]:
        """The metric's period in the phrases headlines use: {after_each}, {every},
        {in_some} ("month after month", "every month", "in some months")."""
        return {"after_each": period.after_each(self.frequency),
                "every": period.every(self.frequency), "in_some": period.in_some(self.frequency)}

    def of(self, value: float) -> str:
        """A figure of a headline, at the metric's own precision."""
        return with_unit(value, self.metric.unit, self.decimals)

    def detail(self, value: float) -> str:
        """A mean or limit in a reason or table: at most one decimal more."""
        return with_unit(value, self.metric.unit, self.decimals + 1)

    def gap(self, amount: float) -> str:
        """A difference at the metric's own precision, "2 percentage points" for a %."""
        return difference_with_unit(amount, self.metric.unit, self.decimals)

    def step(self, amount: float) -> str:
        """A pace's difference per period: at most one decimal more."""
        return difference_with_unit(amount, self.metric.unit, self.decimals + 1)

    def when(self, day: dt.date) -> str:
        """A date at the metric's own grain ("November 2026", "Q4 2026")."""
        return period.when(day, self.frequency)

    @property
    def now(self) -> str:
        assert self.latest.value is not None
        return _("{value} on {date}").format(value=self.of(self.latest.value),
                                              date=format_date(self.latest.date))

    @property
    def aim(self) -> str:
        target = self.metric.target
        return self.of(target.value) if target else ""

    @property
    def deadline(self) -> str:
        target = self.metric.target
        return format_date(target.date) if target and target.date else ""
