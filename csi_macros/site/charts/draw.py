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
from ...i18n import _, decimal_symbol, month_name
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


def date_axis(ax: Any, start: dt.date, end: dt.date, max_ticks: int) -> None:
    """Limits and ticks of a date axis: months by the site's language's names ("Mar 2026",
    "März 2026"), whatever the build machine's locale; years; or ISO days."""
    from matplotlib.dates import date2num

    end = max(end, start + dt.timedelta(days=1))
    pad = dt.timedelta(days=max(1, (end - start).days // 40))
    low, high = start - pad, end + pad
    ticks, form = date_ticks(low, high, max_ticks)
    ax.set_xlim(date2num(low), date2num(high))
    ax.set_xticks([date2num(t) for t in ticks], [_tick_label(t, form) for t in ticks])


def _tick_label(day: dt.date, form: str) -> str:
    if form == "%Y-%m":
        return f"{month_name(day.month, 'abbreviated')} {day.year}"
    return day.strftime(form)


def date_ticks(low: dt.date, high: dt.date, max_ticks: int) -> tuple[list[dt.date], str]:
    """Month starts (every 1, 2, 3, 4, 6 months or whole years) when the range holds at least
    two, else days."""
    first = low.year * 12 + low.month - 1 + (low.day > 1)
    months = range(first, high.year * 12 + high.month)
    for step in (1, 2, 3, 4, 6, 12, 24, 60, 120, 240):
        picks = [m for m in months if m % step == 0]
        if len(picks) <= max_ticks:
            if len(picks) >= 2 or step > 1:
                return ([dt.date(m // 12, m % 12 + 1, 1) for m in picks],
                        "%Y" if step >= 12 else "%Y-%m")
            break
    days = (high - low).days
    most = max(2, max_ticks - 1)  # ISO days are wider than months
    step = next((s for s in (1, 2, 5, 7, 14, 28) if days // s <= most), 31)
    return [low + dt.timedelta(days=d) for d in range(step, days, step)], "%Y-%m-%d"


def shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"
