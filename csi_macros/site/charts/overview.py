"""The register's own charts: raised and done over time, by status, value and effort,
and the roadmap."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Callable

from ...readings import words
from ...readings.facts import Register
from ...i18n import N_, _
from ...register.model import STATUSES, Improvement
from .base import Chart, Style, Table, as_date, load_style
from .draw import Drawer, Layout, date_axis, integer_axis, legend, nothing_yet

QUADRANTS = (N_("quick wins"), N_("major projects"), N_("fill-ins"), N_("time sinks"))
"""The value-effort quadrants: English keys in the chart's data, translated where shown."""
_CELL_LINES = 4          # a value-effort cell lists at most this many ids (or 3 and "+N more")


def _burnup_chart(register: Register) -> Chart:
    size = load_style().size
    raised = sorted(i.raised for i in register.improvements)
    done = sorted(i.closed for i in register.improvements if i.closed)
    today = register.today.isoformat()
    data = {"raised": _cumulative(raised), "done": _cumulative(done), "today": today}
    months: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for day in raised:
        months[day.isoformat()[:7]][0] += 1
    for day in done:
        months[day.isoformat()[:7]][1] += 1
    rows, total_raised, total_done = [], 0, 0
    for month, (r, d) in sorted(months.items()):
        total_raised, total_done = total_raised + r, total_done + d
        rows.append((month, str(r), str(d), str(total_raised), str(total_done)))
    return Chart(
        name="burnup", subject="improvements raised and done",
        title=_("Improvements raised and done"),
        description=_("How many improvements have been raised, and how many closed or "
                      "rejected, over time; the gap between the lines is the work still open."),
        alt=_("Line chart of improvements over time: {raised} raised and {done} closed or "
              "rejected by {date}.").format(raised=len(raised), done=len(done), date=today),
        kind="burnup", width=size["width"], height=size["height"], data=data,
        narrow_height=load_style().narrow["height"], table=Table((_("Month"), _("Raised"), _("Closed or rejected"), _("Raised to date"),
                     _("Done to date")), tuple(rows)))


def _cumulative(days: list[dt.date]) -> list[list[Any]]:
    """[date, count so far] at each date on which the count changed."""
    counts: dict[str, int] = {}
    for index, day in enumerate(days, start=1):
        counts[day.isoformat()] = index
    return [[day, count] for day, count in counts.items()]


def _status_chart(register: Register) -> Chart:
    size = load_style().size
    counts = {s: 0 for s in STATUSES}
    for imp in register.improvements:
        counts[imp.status] += 1
    bars = [[_status_label(s), counts[s], _status_group(s)] for s in STATUSES]
    return Chart(
        name="status", subject="improvements by status", title=_("Improvements by status"),
        description=_("How many improvements stand at each status, and the step of the "
                      "continual improvement model it belongs to."),
        alt=_("Bar chart of improvements per status: {counts}.").format(
            counts=", ".join(f"{label} {count}" for label, count, _group in bars)),
        kind="status", width=size["width"], height=size["height"], data={"bars": bars},
        narrow_height=size["height"], table=Table((_("Status"), _("Model step"), _("Improvements")), tuple(
            (words.status(s), words.step_label(s), str(counts[s])) for s in STATUSES)))


def _status_label(status: str) -> str:
    """"in progress (step 5)", in the site's language: the bar's label."""
    step = STATUSES[status].step_label.split(" ")[0]
    word = words.status(status)
    return _("{status} (step {step})").format(status=word, step=step) \
        if STATUSES[status].step else word


def _status_group(status: str) -> str:
    if status == "closed":
        return "status_done"
    return "status_open" if STATUSES[status].step else "status_other"


def _quadrant(value: int, effort: int) -> str:
    """Value and effort run 1 to 5; 4 and 5 are high, 1 to 3 low."""
    high_value, high_effort = value >= 4, effort >= 4
    if high_value:
        return "major projects" if high_effort else "quick wins"
    return "time sinks" if high_effort else "fill-ins"


def _value_effort_chart(register: Register) -> Chart:
    size = load_style().size
    cells: dict[tuple[int, int], list[str]] = defaultdict(list)
    for imp in register.improvements:
        if register.facts[imp.id].open and imp.value is not None and imp.effort is not None:
            cells[(imp.value, imp.effort)].append(imp.id)
    ordered = sorted(cells.items(), key=lambda item: (-item[0][0], item[0][1]))
    tally = {q: 0 for q in QUADRANTS}
    for (value, effort), ids in ordered:
        tally[_quadrant(value, effort)] += len(ids)
    total = sum(tally.values())
    return Chart(
        name="value-effort", subject="value and effort of open improvements",
        title=_("Value and effort of open improvements"),
        description=_("Open improvements with both a value and an effort (1 to 5; 4 and 5 "
                      "count as high): quick wins are worth doing first, time sinks worth a "
                      "second look."),
        alt=_("Scatter chart of {total} open improvements by value and effort: {counts}.").format(
            total=total, counts=", ".join(f"{tally[q]} {_(q)}" for q in QUADRANTS)),
        kind="value-effort", width=size["width"], height=size["value_effort_height"],
        narrow_height=load_style().narrow["value_effort_height"],
        data={"cells": [[v, e, _quadrant(v, e), ids] for (v, e), ids in ordered]},
        table=Table((_("Value"), _("Effort"), _("Quadrant"), _("Improvements")), tuple(
            (str(v), str(e), _(_quadrant(v, e)), ", ".join(ids)) for (v, e), ids in ordered)))


def _roadmap_chart(register: Register) -> Chart:
    size = load_style().size
    dated = sorted((imp for imp in register.improvements
                    if register.facts[imp.id].open and imp.target_date is not None),
                   key=lambda imp: (imp.target_date, imp.id))
    shown = dated[:size["roadmap_rows"]]
    overdue = [imp for imp in dated if register.facts[imp.id].overdue]
    bars = [[imp.id, imp.raised.isoformat(), imp.target_date.isoformat(),
             _roadmap_state(register, imp)] for imp in shown if imp.target_date]
    more = (" " + _("The {shown} earliest target dates of {total} are shown.").format(
        shown=len(shown), total=len(dated)) if len(shown) < len(dated) else "")
    return Chart(
        name="roadmap", subject="roadmap of open improvements", title=_("Roadmap"),
        description=_("Each open improvement with a target date, as a bar from the day it was "
                      "raised to its target date; overdue ones are red, implemented and "
                      "deferred ones grey.") + more,
        alt=_("Timeline of {total} open improvements with target dates, {overdue} overdue, as "
              "of {date}.").format(total=len(dated), overdue=len(overdue), date=register.today),
        kind="roadmap", width=size["width"],
        height=90 + max(len(bars), 2) * size["row_height"],
        narrow_height=90 + max(len(bars), 2) * size["row_height"],
        data={"bars": bars, "today": register.today.isoformat()},
        table=Table((_("Improvement"), _("Title"), _("Raised"), _("Target date"), _("State")),
                    tuple((imp.id, imp.title, str(imp.raised), str(imp.target_date),
                           _state_word(_roadmap_state(register, imp))) for imp in shown)))


def _state_word(state: str) -> str:
    """A roadmap state as readers see it (the chart's data keeps the English key)."""
    if state == "overdue":
        return words.flag(state)
    return words.status(state) if state in STATUSES else _("scheduled")


def _roadmap_state(register: Register, imp: Improvement) -> str:
    """overdue, scheduled (target still ahead, or not yet committed), or the status of an
    improvement whose target date no longer applies (implemented, deferred)."""
    if register.facts[imp.id].overdue:
        return "overdue"
    if imp.status in ("implemented", "deferred"):
        return imp.status
    return "scheduled"


BUILDERS: dict[str, Callable[[Register], Chart]] = {
    "burnup": _burnup_chart,
    "status": _status_chart,
    "value-effort": _value_effort_chart,
    "roadmap": _roadmap_chart,
}


def _draw_burnup(figure: Any, data: dict[str, Any], style: Style, layout: Layout) -> None:
    ax = figure.add_subplot()
    if not data["raised"]:
        return nothing_yet(ax)
    today, start = as_date(data["today"]), as_date(data["raised"][0][0])
    for key, label, colour in (("raised", _("raised"), "measured"),
                               ("done", _("closed or rejected"), "target")):
        steps = data[key]
        days = [start] + [as_date(d) for d, _ in steps] + [today]
        counts = [0] + [c for _, c in steps] + [steps[-1][1] if steps else 0]
        ax.step(days, counts, where="post", color=style.colours[colour], label=label)
    date_axis(ax, start, today, layout.date_ticks)
    integer_axis(ax.yaxis)
    ax.set_ylabel(_("improvements"))
    legend(figure, ax, layout, ncols=2)


def _draw_status(figure: Any, data: dict[str, Any], style: Style, layout: Layout) -> None:
    ax = figure.add_subplot()
    bars = data["bars"]
    rows = range(len(bars))
    ax.barh(rows, [count for _, count, _ in bars], height=0.6,
            color=[style.colours[group] for _, _, group in bars])
    for row, (_label, count, _group) in zip(rows, bars):
        ax.annotate(str(count), xy=(count, row), xytext=(4, 0), textcoords="offset points",
                    va="center")
    ax.set_yticks(list(rows), [label for label, _, _ in bars])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, max([count for _, count, _ in bars] + [1]) * 1.12)
    integer_axis(ax.xaxis)
    ax.set_xlabel(_("improvements"))


def _draw_value_effort(figure: Any, data: dict[str, Any], style: Style, layout: Layout) -> None:
    ax = figure.add_subplot()
    quadrant_colours = style.colours["quadrant"]
    bottom, top = 0.05, 5.95  # a band above and below the cells holds the quadrant names
    areas = {"quick wins": (0.5, 3.5, 3.5, top), "major projects": (3.5, 5.5, 3.5, top),
             "fill-ins": (0.5, 3.5, bottom, 3.5), "time sinks": (3.5, 5.5, bottom, 3.5)}
    for name, (x0, x1, y0, y1) in areas.items():
        colour = quadrant_colours[name]
        ax.fill_between([x0, x1], y0, y1, color=colour, alpha=0.08, linewidth=0)
        y_text, va = (top - 0.08, "top") if y1 == top else (bottom + 0.08, "bottom")
        ax.text(x0 + 0.08, y_text, _capitalized(_(name)), ha="left", va=va, fontweight="bold",
                color=colour)
    for value, effort, quadrant, ids in data["cells"]:
        colour = quadrant_colours[quadrant]
        lines = ids if len(ids) <= _CELL_LINES else [*ids[:_CELL_LINES - 1],
                                                    _("+{count} more").format(
                                                        count=len(ids) - _CELL_LINES + 1)]
        for index, label in enumerate(lines):
            y = value + 0.3 - index * 0.2  # a fixed stack per cell: no jitter, no overlap
            is_id = index < len(ids) and label == ids[index]
            if layout.narrow:
                # A phone's cell is about as wide as an id: the id alone, centred, coloured
                # by its quadrant, without the dot that would push it into the next cell.
                ax.text(effort, y, label, ha="center", va="center", fontsize=layout.small,
                        color=colour if is_id else style.colours["ink"])
                continue
            if is_id:
                ax.plot([effort - 0.36], [y], marker="o", markersize=6, color=colour,
                        linestyle="none")
            ax.text(effort - 0.28, y, label, ha="left", va="center", fontsize=layout.small,
                    color=colour if is_id else style.colours["ink"])
    ax.axvline(3.5, color=style.colours["ink"], linewidth=0.8)
    ax.axhline(3.5, color=style.colours["ink"], linewidth=0.8)
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(bottom, top)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.grid(visible=False)
    ax.set_xlabel(_("effort (1 small – 5 large)"))
    ax.set_ylabel(_("value (1 low – 5 high)"))


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _draw_roadmap(figure: Any, data: dict[str, Any], style: Style, layout: Layout) -> None:
    from matplotlib.dates import date2num

    ax = figure.add_subplot()
    today = as_date(data["today"])
    bars = data["bars"]
    if not bars:
        return nothing_yet(ax)
    colours = style.colours
    for row, (ident, raised, target, state) in enumerate(bars):
        start, end = sorted((date2num(as_date(raised)), date2num(as_date(target))))
        colour = colours.get(state, colours["ink"])  # overdue, scheduled; else grey
        ax.barh(row, max(end - start, 1), left=start, height=0.55, color=colour)
        if state != "scheduled":
            ax.annotate(_state_word(state), xy=(end, row), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=layout.small, color=colour)
    ax.axvline(date2num(today), color=colours["event"], linewidth=1.5)
    ax.annotate(_("today"), xy=(date2num(today), 1), xycoords=("data", "axes fraction"),
                xytext=(-3, -2), textcoords="offset points", ha="right", va="top",
                fontsize=layout.small, color=colours["event"])
    ax.set_yticks(range(len(bars)), [ident for ident, *_ in bars])
    ax.set_ylim(len(bars) - 0.4, -0.6)
    ax.grid(axis="y", visible=False)
    days = [as_date(d) for _, raised, target, _ in bars for d in (raised, target)] + [today]
    start, end = min(days), max(days)
    # room after the last bar for its label ("implemented" is the longest)
    date_axis(ax, start, end + (end - start) / 8, layout.date_ticks)


DRAWERS: dict[str, Drawer] = {
    "burnup": _draw_burnup,
    "status": _draw_status,
    "value-effort": _draw_value_effort,
    "roadmap": _draw_roadmap,
}
