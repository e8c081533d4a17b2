"""The metric family: a chart per metric, and a chart per objective of its metrics' panels."""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from typing import Any

from ...readings.behaviour import CONCERN, IMPROVEMENT, Behaviour
from ...readings import cadence, words
from ...readings.facts import Register
from ...i18n import _, format_percent
from ...register.model import Metric, Objective
from ...readings.verdicts import format_number
from .base import Chart, Style, Table, as_date, load_style
from .draw import Drawer, Layout, date_axis, legend, shorten

_EVENT_LABELS = 8        # a metric chart names the improvements of at most this many dates
_NARROW_TITLE = 42       # characters of a panel's title to a line on a phone


def metric_chart(register: Register, metric: Metric) -> Chart:
    """A metric as a process behaviour chart: its values, the mean and process limits of
    each phase, the special causes, the target, the trend the verdict reads (only where
    it reads one: never from common-cause variation) and the dates on which the
    improvements that name it moved."""
    size = load_style().size
    verdict = register.verdicts[metric.id]
    behaviour = register.behaviour[metric.id]
    moves = _status_moves(register, metric)
    data = {**_metric_panel(register, metric), "events": [[day, moved] for day, moved in moves],
            "phases": _phases(behaviour), "signals": _signals(behaviour)}
    latest = (_("latest {value} on {date}").format(value=format_number(verdict.latest.value),
                                                   date=verdict.latest.date)
              if verdict.latest and verdict.latest.value is not None
              else _("no measurement yet"))
    target = (_("target {target}").format(target=_target_text(metric)) if metric.target
              else _("no target"))
    alt = (_("Line chart of {metric} in {unit}: baseline {baseline} on {date}, {latest}, "
             "{target}.").format(metric=metric.name, unit=metric.unit,
                                 baseline=format_number(metric.baseline.value),
                                 date=metric.baseline.date, latest=latest, target=target)
           + " " + _("Verdict: {verdict}. Variation: {variation}. Assurance: {assurance}.").format(
               verdict=words.verdict(verdict.status),
               variation=words.variation(behaviour.variation),
               assurance=words.assurance(behaviour.assurance))
           + " " + _values_text(behaviour) + _cadence_text(register, metric))
    return Chart(
        name=f"metric-{metric.id}", subject=f"metric {metric.id} ({metric.name})",
        title=f"{metric.name} ({metric.unit})", description=verdict.reason, alt=alt,
        kind="metric", width=size["width"], height=size["height"], data=data,
        table=_metric_table(register, metric), narrow_height=load_style().narrow["height"])


def _cadence_text(register: Register, metric: Metric) -> str:
    """For the text alternative: the gaps the line is broken at, and whether it is late."""
    found = register.cadence[metric.id]
    said = [_("Gap from {after} to {until}: {missing}.").format(
        after=gap.after, until=gap.until, missing=cadence.missing_text(gap, found.frequency))
        for gap in found.gaps]
    if found.late:
        said.append(_("Late: {since}.").format(since=cadence.since(found)))
    return "".join(" " + sentence for sentence in said)


def _metric_panel(register: Register, metric: Metric) -> dict[str, Any]:
    """What a metric chart and an objective's panel draw for one metric: its values, the
    gaps its line is broken at (`cadence.Gap`), its frequency (the date axis follows it)."""
    verdict = register.verdicts[metric.id]
    projection = verdict.projection
    found = register.cadence[metric.id]
    return {
        "unit": metric.unit,
        "status": verdict.status,
        "frequency": found.frequency,
        "gaps": [[gap.after.isoformat(), gap.until.isoformat()] for gap in found.gaps],
        # A late metric: from its newest value to the build date, nothing came either.
        "late": ([found.newest.isoformat(), register.today.isoformat()] if found.late
                 else None),
        "baseline": [metric.baseline.date.isoformat(), metric.baseline.value],
        "points": [[p.date.isoformat(), p.value]
                   for p in register.series[metric.id]],
        "target": ([metric.target.value,
                    metric.target.date.isoformat() if metric.target.date else None]
                   if metric.target else None),
        "projection": ([[d.isoformat(), round(v, 6)]
                        for d, v in zip(projection.dates, projection.values)]
                       if projection else None),
        # A trend is coloured by the way it heads, not by the verdict: a trend toward the
        # target drawn red would say "bad" about good news.
        "trend": ("improvement" if projection.better else "concern") if projection else None,
    }


def _phases(behaviour: Behaviour) -> list[list[Any]]:
    """[first date, last date, mean, lower limit, upper limit] of each phase long enough
    to have limits."""
    return [[phase.values[0].date.isoformat(), phase.values[-1].date.isoformat(),
             round(phase.limits.mean, 6), round(phase.limits.lower, 6),
             round(phase.limits.upper, 6)]
            for phase in behaviour.phases if phase.limits is not None]


def _signals(behaviour: Behaviour) -> list[list[Any]]:
    """[date, value, "improvement" or "concern"] of each special-cause value."""
    kinds = {IMPROVEMENT: "improvement", CONCERN: "concern"}
    return [[value.date.isoformat(), value.value, kinds[value.label]]
            for value in behaviour.values if value.label in kinds]


def _values_text(behaviour: Behaviour) -> str:
    """Every value with its class, for the text alternative."""
    listed = "; ".join(f"{value.date} {format_number(value.value)} ({_class_word(value.label)})"
                       for value in behaviour.values)
    return _("Values: {values}.").format(values=listed)


def _class_word(label: str | None) -> str:
    return words.variation(label) if label else _("not assessed: too few points")


def _status_moves(register: Register, metric: Metric) -> list[tuple[str, list[list[str]]]]:
    """The dates (on or after the baseline) on which improvements linked to the metric moved
    status, each with what moved: [id, the status it moved to]."""
    moved: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for imp in register.improvements_by_metric[metric.id]:
        for entry in imp.log:
            if entry.status and entry.date >= metric.baseline.date:
                moved[entry.date.isoformat()].add((imp.id, entry.status))
    return [(day, [list(move) for move in sorted(moves)]) for day, moves in sorted(moved.items())]


def _metric_table(register: Register, metric: Metric) -> Table:
    verdict = register.verdicts[metric.id]
    behaviour = register.behaviour[metric.id]
    classes = {(v.date, v.value): f", {words.variation(v.label)}" for v in behaviour.values
               if v.label}
    base = (metric.baseline.date, metric.baseline.value)
    rows: list[tuple[str, str, str]] = [
        (str(base[0]), format_number(base[1]), _("baseline") + classes.get(base, ""))]
    for point in register.series[metric.id]:
        measured = (_("measured ({source})").format(source=point.source) if point.source
                    else _("measured"))
        rows.append((str(point.date), _("not measured") if point.value is None
                     else format_number(point.value),
                     measured + classes.get((point.date, point.value), "")))
    for phase in behaviour.phases:
        if phase.limits is not None:
            bounds = phase.limits
            rows.append((str(phase.values[0].date), format_number(bounds.mean),
                         _("mean from here on; process limits {lower} to {upper}").format(
                             lower=format_number(bounds.lower),
                             upper=format_number(bounds.upper))))
    for imp in register.improvements_by_metric[metric.id]:
        for entry in imp.log:
            if entry.status and entry.date >= metric.baseline.date:
                rows.append((str(entry.date), "", _("{id} moved to {status}").format(
                    id=imp.id, status=words.status(entry.status))))
    found = register.cadence[metric.id]
    for gap in found.gaps:
        rows.append((str(found.missing_dates(gap)[0]), "",
                     _("{missing} (the line is broken here)").format(
                         missing=cadence.missing_text(gap, found.frequency))))
    if found.late:
        rows.append((str(register.today), "", _("today: late, {since}").format(
            since=cadence.since(found))))
    if metric.target:
        rows.append((str(metric.target.date or _("no date")),
                     format_number(metric.target.value), _("target")))
    if verdict.projection:
        end = verdict.projection.dates[-1]
        rows.append((str(end), format_number(verdict.projection.values[-1]),
                     _("trend continued (projection)")))
    dated = sorted(rows[1:], key=lambda row: (row[0], row[2]))
    return Table((_("Date"), _("Value ({unit})").format(unit=metric.unit), _("What")),
                 (rows[0], *dated))


def objective_chart(register: Register, objective: Objective) -> Chart:
    style = load_style()
    size = style.size
    metrics = [register.metric[m] for m in objective.metrics]
    panels = []
    for metric in metrics:
        verdict = register.verdicts[metric.id]
        closed = round(verdict.gap_closed * 100) if verdict.gap_closed is not None else None
        panels.append({**_metric_panel(register, metric), "id": metric.id, "name": metric.name,
                       "closed": closed})
    summary = "; ".join(f"{m.id} {words.verdict(register.verdicts[m.id].status)}"
                        for m in metrics)
    table = Table((_("Metric"), _("Latest"), _("Target"), _("Gap closed"), _("Verdict")), tuple(
        (f"{m.id} {m.name}", _latest_text(register, m),
         _target_text(m),
         format_percent(p["closed"], 0) if p["closed"] is not None else "—",
         words.verdict(register.verdicts[m.id].status))
        for m, p in zip(metrics, panels)))
    return Chart(
        name=f"objective-{objective.id}",
        subject=f"objective {objective.id} ({objective.title})",
        title=f"{objective.id} {objective.title}",
        description=_("Each metric of this objective: its values since the baseline, its "
                      "target and where the current trend leads."),
        alt=_("Small charts, one per metric of objective {id}: {summary}.").format(
            id=objective.id, summary=summary),
        kind="objective", width=size["width"], height=50 + len(panels) * size["panel_height"],
        data={"panels": panels}, table=table,
        narrow_height=90 + len(panels) * style.narrow["panel_height"])


def _target_text(metric: Metric) -> str:
    if metric.target is None:
        return "—"
    value = format_number(metric.target.value)
    return (_("{value} by {date}").format(value=value, date=metric.target.date)
            if metric.target.date else _("{value}, no date").format(value=value))


def _latest_text(register: Register, metric: Metric) -> str:
    latest = register.verdicts[metric.id].latest
    if latest is None or latest.value is None:
        return _("not measured")
    return _("{value} on {date}").format(value=f"{format_number(latest.value)} {metric.unit}",
                                         date=latest.date)


def _draw_metric(figure: Any, data: dict[str, Any], style: Style, layout: Layout) -> None:
    ax = figure.add_subplot()
    _draw_panel(ax, data, style, max_ticks=layout.date_ticks)
    _draw_behaviour(ax, data, style)
    events = data["events"]
    if len(events) > _EVENT_LABELS:
        _event_marks(figure, ax, events, style)
    else:
        _event_lines(figure, ax, events, style, layout)
    ax.set_ylabel(data["unit"])
    legend(figure, ax, layout, ncols=3)


def _event_marks(figure: Any, ax: Any, events: list[list[Any]], style: Style) -> None:
    """Too many status changes to name: a mark per date just above the plot, clear of the
    data; the table under the chart names them all."""
    from matplotlib.transforms import ScaledTranslation

    above = ax.get_xaxis_transform() + ScaledTranslation(0, 6 / 72, figure.dpi_scale_trans)
    ax.plot([as_date(day) for day, _ in events], [1] * len(events), linestyle="none",
            marker="v", markersize=7, color=style.colours["event"], clip_on=False, zorder=5,
            transform=above, label=_("status change"))


_LABEL_GAP = 6      # pixels between two status-change labels


def _event_lines(figure: Any, ax: Any, events: list[list[Any]], style: Style,
                 layout: Layout) -> None:
    """A line at each date on which improvements moved status, and above the plot, clear
    of the data, a label at each line naming what changed ("CSI-0009 implemented"). Labels
    that would run into each other are stacked; none runs off the picture."""
    colour = style.colours["event"]
    labels = []
    for index, (day, moves) in enumerate(events):
        ax.axvline(as_date(day), color=colour, linewidth=1.2, linestyle=(0, (3, 2)), zorder=1,
                   label=_("status change") if index == 0 else None)
        labels.append(ax.annotate(
            _event_text(moves), xy=(as_date(day), 1), xycoords=("data", "axes fraction"),
            xytext=(0, 3), textcoords="offset points", ha="left", va="bottom",
            fontsize=layout.small, color=colour, annotation_clip=False, gid="status-change",
            linespacing=1.1))
    if labels:
        _stack(figure, labels)


def _event_text(moves: list[list[str]]) -> str:
    """"CSI-0009 implemented", a line per improvement that moved that day: the first two,
    then how many more."""
    named = [_("{id} {status}").format(id=ident, status=words.status(status))
             for ident, status in moves[:2]]
    more = [_("+{count} more").format(count=len(moves) - 2)] if len(moves) > 2 else []
    return "\n".join(named + more)


def _stack(figure: Any, labels: list[Any]) -> None:
    """Places for the labels, measured on the laid-out figure: each starts at its line (or
    ends there when it would run off the right edge; or, wider than either side, keeps to
    the picture) and stands as low as it can without touching a label placed before it."""
    figure.draw_without_rendering()  # the layout decides where the lines stand
    renderer = figure._get_renderer()
    right = figure.bbox.width - _LABEL_GAP
    placed: list[tuple[float, float, float, float]] = []  # x0, x1, y0, y1 above the plot
    for label in labels:
        box = label.get_window_extent(renderer)
        anchor, width, height = box.x0, box.width, box.height
        start = anchor if anchor + width <= right else anchor - width
        start = min(max(start, _LABEL_GAP), right - width)
        label.set_horizontalalignment("left")
        crossing = [p for p in placed
                    if p[0] < start + width + _LABEL_GAP and start - _LABEL_GAP < p[1]]
        y = min(y for y in [0.0] + [p[3] + _LABEL_GAP / 2 for p in crossing]
                if all(y + height <= p[2] or p[3] <= y for p in crossing))
        placed.append((start, start + width, y, y + height))
        points = 72 / figure.dpi  # offsets are in points, the boxes in pixels
        label.xyann = ((start - anchor) * points, 3 + y * points)


def _draw_behaviour(ax: Any, data: dict[str, Any], style: Style) -> None:
    """Each phase's mean and process limits, and the special causes, marked by shape as
    well as colour (a square for improvement, a cross for concern)."""
    colours = style.colours
    for index, (start, end, mean, lower, upper) in enumerate(data["phases"]):
        days = [as_date(start), as_date(end)]
        ax.plot(days, [mean, mean], color=colours["process"], linewidth=1.2, zorder=2,
                label=_("mean") if index == 0 else None)
        for limit in (lower, upper):
            ax.plot(days, [limit, limit], color=colours["process"], linewidth=1.2,
                    linestyle=(0, (4, 3)), zorder=2,
                    label=_("process limits") if index == 0 and limit == lower else None)
    for kind, marker, label in (("improvement", "s", words.variation(IMPROVEMENT)),
                                ("concern", "X", words.variation(CONCERN))):
        found = [(as_date(day), value) for day, value, which in data["signals"] if which == kind]
        if found:
            ax.plot([day for day, _ in found], [value for _, value in found], linestyle="none",
                    marker=marker, markersize=10, color=colours[kind], zorder=5, label=label)


def _draw_panel(ax: Any, data: dict[str, Any], style: Style, *, max_ticks: int) -> None:
    """One metric: measured values (the line broken at each gap), baseline, target, trend."""
    colours = style.colours
    base_day, base_value = as_date(data["baseline"][0]), data["baseline"][1]
    days, values = _line(data)
    # A process behaviour chart draws its values grey, so that special causes stand out.
    line = colours["process"] if "phases" in data else colours["measured"]
    ax.plot(days, values, color=line, marker="o", zorder=3, label=_("measured"),
            gid="measured-values")
    missing = [*data.get("gaps", []), *([data["late"]] if data.get("late") else [])]
    for index, (after, until) in enumerate(missing):
        # Hatched in the axes' grey, with no fill: it reads on light and dark pages alike.
        ax.axvspan(as_date(after), as_date(until), facecolor="none", edgecolor=colours["ink"],
                   hatch="/", linewidth=0, zorder=1, label=_("no value") if index == 0 else None)
    # Above every other marker: a baseline that is also a special cause stays in sight.
    ax.plot([base_day], [base_value], linestyle="none", marker="D", markersize=8,
            color=colours["baseline"], zorder=6, label=_("baseline"))
    span = list(days)
    if data["target"] is not None:
        value, day = data["target"]
        if day is None:
            ax.axhline(value, color=colours["target"], linestyle="-.", linewidth=1.5,
                       label=_("target"))
        else:
            ax.plot([base_day, as_date(day)], [value, value], color=colours["target"],
                    linestyle="-.", linewidth=1.5, label=_("target"))
            ax.plot([as_date(day)], [value], linestyle="none", marker="*", markersize=13,
                    color=colours["target"], zorder=4)
            span.append(as_date(day))
    if data["projection"] is not None:
        proj_days = [as_date(d) for d, _ in data["projection"]]
        ax.plot(proj_days, [v for _, v in data["projection"]], linestyle="--", linewidth=1.8,
                color=colours[data.get("trend") or "improvement"], zorder=2, label=_("trend"))
        span.extend(proj_days)
    span.extend(as_date(d) for d, _ in data.get("events", []))
    span.extend(as_date(d) for d in data.get("late") or [])
    date_axis(ax, min(span), max(span), max_ticks, data.get("frequency", "monthly"))


def _line(data: dict[str, Any]) -> tuple[list[Any], list[float]]:
    """The days and values the line joins: the baseline and every measured value after it,
    in date order, with a NaN between the two values of each gap (`data["gaps"]`), which
    breaks the line there. A value a snapshot left unmeasured is not a point: whether it
    breaks the line is the gap's to say, so that the chart and the values table agree."""
    base_day, base_value = as_date(data["baseline"][0]), data["baseline"][1]
    series = sorted([(base_day, base_value)] + [(as_date(d), v) for d, v in data["points"]
                                                if v is not None and as_date(d) > base_day],
                    key=lambda point: point[0])
    breaks = {as_date(until) for _after, until in data.get("gaps", [])}
    days: list[Any] = []
    values: list[float] = []
    for day, value in series:
        if day in breaks and days:
            days.append(days[-1] + (day - days[-1]) / 2)
            values.append(math.nan)
        days.append(day)
        values.append(value)
    return days, values


def _draw_objective(figure: Any, data: dict[str, Any], style: Style, layout: Layout) -> None:
    # One panel a row: two side by side would be too small to read on a phone.
    panels = data["panels"]
    axes = figure.subplots(len(panels), 1, squeeze=False)[:, 0]
    for ax, panel in zip(axes, panels):
        _draw_panel(ax, panel, style, max_ticks=layout.date_ticks)
        verdict = words.verdict(panel["status"])
        closed = (_("{verdict}, {percent} of the gap closed").format(
            verdict=verdict, percent=format_percent(panel["closed"], 0))
            if panel["closed"] is not None else verdict)
        title = f"{panel['id']}: {closed} · {shorten(panel['name'], 36)}"
        if layout.narrow:
            # A phone's panel is too narrow for one line: the name goes on a line of its
            # own, and each line wraps between words.
            title = "\n".join(line for part in (f"{panel['id']}: {closed}", panel["name"])
                              for line in textwrap.wrap(shorten(part, 2 * _NARROW_TITLE),
                                                        _NARROW_TITLE, break_on_hyphens=False))
        ax.set_title(title, loc="left", color=style.colours["verdict"][panel["status"]])
    legend(figure, axes[0], layout, ncols=4)



DRAWERS: dict[str, Drawer] = {"metric": _draw_metric, "objective": _draw_objective}
