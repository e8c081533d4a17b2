"""Drawing: one chart description in, SVG bytes out, with matplotlib's object API.

A drawer draws either version of a chart from the same data; the `Layout` says which:
wide for desks, or narrow for phones (larger text for its size, fewer dates, the legend
under the plot).

`Figure`, never pyplot: no global figure state. Settings make the SVG byte-identical for
the same data: a fixed `svg.hashsalt`, no date in the metadata, text kept as text in
DejaVu Sans, no mathtext. The helpers below are shared by every chart family.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

from ...register.errors import CsiError
from ...i18n import _, decimal_symbol, format_date, month_name
from .base import Style

_SVG_METADATA = {"Date": None, "Creator": None}



@dataclass(frozen=True)
class Layout:
    """Which version of a chart is drawn, and what that changes."""

    narrow: bool
    date_ticks: int          # a date axis names at most this many dates
    small: str | float       # the size of annotations: labels on lines, bars and points

    @classmethod
    def of(cls, style: Style, narrow: bool) -> Layout:
        # Relative sizes shrink with the font: on a phone, annotations get a size of their
        # own, the smallest that stays legible (see [narrow.rc] in the style file).
        if narrow:
            return cls(True, style.narrow["date_ticks"], style.narrow_rc["legend.fontsize"])
        return cls(False, 7, "small")


Drawer = Callable[[Any, dict[str, Any], Style, Layout], None]


class Job(NamedTuple):
    """One version of a chart to draw: everything a worker process needs, and nothing of
    the register."""

    name: str
    subject: str
    kind: str
    width: int
    height: int
    data: dict[str, Any]
    style: Style
    narrow: bool = False


def draw_svg(job: Job, drawers: dict[str, Drawer]) -> bytes:
    """Draw one chart as SVG bytes with the drawer of its kind; CsiError naming the chart
    when matplotlib fails."""
    import matplotlib

    try:
        with matplotlib.rc_context(job.style.matplotlib_rc(job.narrow)):
            figure = draw_figure(job, drawers)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="svg", metadata=_SVG_METADATA)
    except Exception as error:  # noqa: BLE001 - any matplotlib failure becomes one clear error
        raise CsiError(f"chart '{job.name}' ({job.subject}) could not be drawn: "
                       f"{type(error).__name__}: {error}") from None
    return buffer.getvalue()


def draw_figure(job: Job, drawers: dict[str, Drawer]) -> Any:
    """The chart's matplotlib `Figure`, drawn but not saved; call it inside
    `matplotlib.rc_context(job.style.matplotlib_rc(job.narrow))`."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(job.width / 72, job.height / 72), dpi=72)
    # Room at the edges: browsers may set the text in a wider fallback font.
    figure.set_layout_engine("constrained", w_pad=8 / 72, h_pad=6 / 72)
    drawers[job.kind](figure, job.data, job.style, Layout.of(job.style, job.narrow))
    _local_decimals(figure)
    return figure


def _local_decimals(figure: Any) -> None:
    """Numbers on the value axes with the language's decimal separator ("2,5" in German),
    whatever the build machine's locale; English charts are left exactly as drawn."""
    from matplotlib.ticker import ScalarFormatter

    decimal = decimal_symbol()
    if decimal == ".":
        return

    class LocalFormatter(ScalarFormatter):
        def __call__(self, x: float, pos: Any = None) -> str:
            return super().__call__(x, pos).replace(".", decimal)

    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(LocalFormatter())


def legend(figure: Any, ax: Any, layout: Layout, *, ncols: int) -> None:
    """The legend above the plot on desks; on phones under it, two entries a row, where it
    neither squeezes the plot nor sits between the title and the chart."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    if layout.narrow:
        figure.legend(handles, labels, loc="outside lower center", ncols=min(2, len(labels)),
                      frameon=False, handlelength=1.6, columnspacing=1.0)
    else:
        figure.legend(handles, labels, loc="outside upper center", ncols=min(ncols, len(labels)),
                      frameon=False, handlelength=1.8, columnspacing=1.2)


def nothing_yet(ax: Any) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, _("Nothing to show yet."), ha="center", va="center", fontsize="large",
            transform=ax.transAxes)


def integer_axis(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def date_axis(ax: Any, start: dt.date, end: dt.date, max_ticks: int,
              frequency: str = "monthly") -> None:
    """Limits and ticks of a date axis, at the grain of the metric's `frequency`: months by
    the site's language's names ("Mar 2026", "März 2026"), whatever the build machine's
    locale; quarters ("Q1 2026"); years; or days ("3 Nov", a weekly metric's weeks)."""
    from matplotlib.dates import date2num

    end = max(end, start + dt.timedelta(days=1))
    pad = dt.timedelta(days=max(1, (end - start).days // 40))
    low, high = start - pad, end + pad
    ticks, form = date_ticks(low, high, max_ticks, frequency)
    ax.set_xlim(date2num(low), date2num(high))
    ax.set_xticks([date2num(t) for t in ticks], _tick_labels(ticks, form))


def _tick_labels(ticks: list[dt.date], form: str) -> list[str]:
    if form == "%Y-%m":
        return [f"{month_name(day.month, 'abbreviated')} {day.year}" for day in ticks]
    if form == "quarter":
        return [format_date(day, "QQQ y") for day in ticks]
    if form == "week":  # the year on the first tick and where it changes
        return [format_date(day, "d MMM" if index and ticks[index - 1].year == day.year
                            else "d MMM y") for index, day in enumerate(ticks)]
    return [day.strftime(form) for day in ticks]


_MONTH_STEPS = {"weekly": (1, 2, 3, 4, 6), "monthly": (1, 2, 3, 4, 6),
                "quarterly": (3, 6), "yearly": ()}
"""The steps, in months, a date axis may tick at below a year, by frequency: a quarterly
metric's axis names quarters, a yearly one's years."""


def date_ticks(low: dt.date, high: dt.date, max_ticks: int, frequency: str = "monthly"
               ) -> tuple[list[dt.date], str]:
    """Month starts (every 1, 2, 3, 4, 6 months or whole years) when the range holds at least
    two, else days; a quarterly metric's quarter starts, a yearly one's years, and a weekly
    one's weeks while the range holds no more than `max_ticks` fortnights."""
    if frequency == "weekly" and (high - low).days <= 14 * max_ticks:
        return _week_ticks(low, high, max_ticks), "week"
    first = low.year * 12 + low.month - 1 + (low.day > 1)
    months = range(first, high.year * 12 + high.month)
    for step in (*_MONTH_STEPS.get(frequency, _MONTH_STEPS["monthly"]), 12, 24, 60, 120, 240):
        picks = [m for m in months if m % step == 0]
        if len(picks) <= max_ticks:
            if len(picks) >= 2 or step > 1:
                return ([dt.date(m // 12, m % 12 + 1, 1) for m in picks],
                        "%Y" if step >= 12 else "quarter" if frequency == "quarterly"
                        else "%Y-%m")
            break
    days = (high - low).days
    most = max(2, max_ticks - 1)  # ISO days are wider than months
    step = next((s for s in (1, 2, 5, 7, 14, 28) if days // s <= most), 31)
    return [low + dt.timedelta(days=d) for d in range(step, days, step)], "%Y-%m-%d"


def _week_ticks(low: dt.date, high: dt.date, max_ticks: int) -> list[dt.date]:
    """Mondays, every 1, 2 or 4 weeks, no more than `max_ticks` of them."""
    monday = low + dt.timedelta(days=-low.weekday() % 7)
    weeks = (high - monday).days // 7 + 1
    step = next(s for s in (1, 2, 4, 8) if -(-weeks // s) <= max_ticks)
    return [monday + dt.timedelta(weeks=w) for w in range(0, weeks, step)
            if monday + dt.timedelta(weeks=w) <= high]


def shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"
