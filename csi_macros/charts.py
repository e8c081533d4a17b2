"""Charts of the register: matplotlib figures saved as SVG, drawn once, then cached.

Every chart is first described by a `Chart`: its name, title, caption, text alternative,
the table of data behind it, and `data` — exactly what is drawn, as plain JSON values.
Drawing reads nothing else, so the SHA-256 of that data, the style file
(`charts/style.toml`), `CHART_VERSION` and the matplotlib version names the picture:
`<cache>/<name>-<hash>.svg`. A build whose data did not change finds every chart in the
cache and draws none; a new snapshot value redraws only the charts that show that metric.

Drawing uses matplotlib's object API (`Figure`, never pyplot: no global figure state)
with settings that make the SVG byte-identical for the same data: a fixed `svg.hashsalt`,
no date in the metadata, text kept as text in DejaVu Sans, no mathtext. When enough
charts are missing from the cache they are drawn in worker processes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import os
import re
import tempfile
import time
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, Callable, NamedTuple

from .errors import CsiError
from .facts import Register
from .model import STATUSES, Improvement, Metric, Objective
from .parallel import fork_map
from .pages.text import escape
from .verdicts import format_number, measurements

CHART_VERSION = 2
"""Bump when the drawing code changes what a chart looks like: every cached chart is redrawn."""

STYLE_PATH = Path(__file__).resolve().parent.parent / "charts" / "style.toml"
"""The one place for the charts' colours, fonts and sizes: `charts/style.toml` of the project.
Beside the package in a source checkout; with the package installed from a wheel, the
project's own `charts/style.toml` in the folder the build runs from."""


def _style_path() -> Path:
    return STYLE_PATH if STYLE_PATH.exists() else Path.cwd() / "charts" / "style.toml"

FIXED_CHARTS = ("burnup", "status", "value-effort", "roadmap")
"""The charts every register has; `metric-<id>` and `objective-<id>` come on top."""

QUADRANTS = ("quick wins", "major projects", "fill-ins", "time sinks")

# Settings that keep the SVG byte-identical and register text inert: they are not a
# matter of taste, so they live here rather than in the style file.
_FIXED_RC: dict[str, Any] = {
    "svg.hashsalt": "csi-register",  # clip-path and marker ids from content, not random
    "svg.fonttype": "none",          # text stays text: smaller, searchable, no glyph paths
    "text.parse_math": False,        # a `$` in a name is a dollar, never mathtext
    "text.usetex": False,
}
_SVG_METADATA = {"Date": None, "Creator": None}
_CACHE_FILE = re.compile(r"^(?P<name>.+)-(?P<hash>[0-9a-f]{64})\.svg$")
_PARALLEL_MIN = 12       # fewer misses than this are drawn in this process (workers cost more)
_CHARTS_PER_WORKER = 6   # start no more workers than misses / this
_EVENT_LABELS = 8        # a metric chart names the improvements of at most this many dates
_CELL_LINES = 4          # a value-effort cell lists at most this many ids (or 3 and "+N more")


# ----------------------------------------------------------------------------- public API

@dataclass(frozen=True)
class Table:
    """The data behind a chart, as a table for people and screen readers."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    """One chart, described before (and without) drawing it."""

    name: str          # the file is charts/<name>.svg
    subject: str       # what it is about, for error messages
    title: str
    description: str   # one sentence for the caption
    alt: str           # the text alternative
    kind: str          # which drawing function draws it
    width: int
    height: int
    data: dict[str, Any]  # exactly what is drawn, as JSON values
    table: Table

    def key(self, style: Style) -> str:
        """The SHA-256 of everything that decides this chart's bytes."""
        material = [CHART_VERSION, _matplotlib_version(), style.digest, self.name, self.kind,
                    self.width, self.height, self.data]
        text = json.dumps(material, sort_keys=True, separators=(",", ":"), allow_nan=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class RenderStats:
    """What `render_charts_with_stats` did: how many charts it drew and took from the cache."""

    charts: int = 0
    rendered: int = 0
    cached: int = 0
    workers: int = 0   # 0: drawn in this process
    seconds: float = 0.0
    rendered_names: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: "2 of 49 drawn (roadmap, status), 47 from the cache, in 0.4 s"."""
        drawn = f" ({', '.join(sorted(self.rendered_names))})" if self.rendered_names else ""
        return (f"{self.rendered} of {self.charts} drawn{drawn}, {self.cached} from the cache, "
                f"in {self.seconds:.1f} s")


def chart_names(register: Register) -> list[str]:
    """Every chart of the register: the fixed ones, one per metric, one per objective that
    has metrics."""
    return [*FIXED_CHARTS, *(f"metric-{m.id}" for m in register.metrics),
            *(f"objective-{o.id}" for o in register.organisation.objectives if o.metrics)]


def describe_chart(register: Register, name: str) -> Chart:
    """The chart called `name` (see `chart_names`); CsiError when there is none."""
    if name in _FIXED_BUILDERS:
        return _FIXED_BUILDERS[name](register)
    if name.startswith("metric-") and name[7:] in register.metric:
        return _metric_chart(register, register.metric[name[7:]])
    objective = register.objective.get(name[10:]) if name.startswith("objective-") else None
    if objective is not None and objective.metrics:
        return _objective_chart(register, objective)
    raise CsiError(f"there is no chart named '{name}'; the charts are: "
                   + ", ".join(chart_names(register)))


def chart_html(register: Register, name: str, base: str) -> str:
    """A chart as a block of HTML for page Markdown: the image with its text alternative,
    a caption, and the data behind it in a table. `base` leads from the page to the site
    root ("", "../", "../../"). An objective without metrics has no chart: its block is
    empty, so pages may ask for every objective's."""
    objective = register.objective.get(name.removeprefix("objective-"))
    if name.startswith("objective-") and objective is not None and not objective.metrics:
        return ""
    chart = describe_chart(register, name)
    src = f"{base}charts/{name}.svg"
    return (f'\n\n<div class="csi-chart" id="chart-{escape(name)}" markdown="0">\n'
            f'<figure>\n<img src="{escape(src)}" alt="{escape(chart.alt)}" '
            f'width="{chart.width}" height="{chart.height}" loading="lazy" '
            f'style="max-width:100%;height:auto">\n'
            f"<figcaption><strong>{escape(chart.title)}</strong>. "
            f"{escape(chart.description)}</figcaption>\n</figure>\n"
            f'<details class="csi-chart-data">\n<summary>Data behind this chart</summary>\n'
            f"{_table_html(chart.table)}\n</details>\n</div>\n\n")


def render_charts(register: Register, cache_dir: Path | None) -> dict[str, bytes]:
    """Every chart as SVG, by its place in the site (`charts/<name>.svg`), drawing only
    those not in `cache_dir` (None: no cache)."""
    return render_charts_with_stats(register, cache_dir)[0]


def render_charts_with_stats(register: Register, cache_dir: Path | None
                             ) -> tuple[dict[str, bytes], RenderStats]:
    """`render_charts`, and what it took."""
    started = time.perf_counter()
    style = load_style()
    charts = [describe_chart(register, name) for name in chart_names(register)]
    keys = {chart.name: chart.key(style) for chart in charts}
    svgs = {chart.name: _read_cached(cache_dir, chart.name, keys[chart.name]) for chart in charts}
    missing = [chart for chart in charts if svgs[chart.name] is None]
    drawn, workers = _draw_all(missing, style)
    for name, svg in drawn.items():
        svgs[name] = svg
        _write_cached(cache_dir, name, keys[name], svg)
    _prune(cache_dir, keys)
    stats = RenderStats(charts=len(charts), rendered=len(missing),
                        cached=len(charts) - len(missing), workers=workers,
                        seconds=time.perf_counter() - started,
                        rendered_names=[chart.name for chart in missing])
    return {f"charts/{name}.svg": svg for name, svg in svgs.items() if svg is not None}, stats


# ----------------------------------------------------------------------------- style

@dataclass(frozen=True)
class Style:
    """charts/style.toml, read: sizes, colours, matplotlib settings, and its digest."""

    size: dict[str, int]
    colours: dict[str, Any]
    rc: dict[str, Any]
    digest: str

    def matplotlib_rc(self) -> dict[str, Any]:
        """The rcParams to draw with: the file's, the ink colour, and the fixed ones."""
        ink, grid = self.colours["ink"], self.colours["grid"]
        return {**self.rc, "text.color": ink, "axes.labelcolor": ink, "axes.edgecolor": ink,
                "axes.titlecolor": ink, "xtick.color": ink, "ytick.color": ink,
                "legend.labelcolor": ink, "grid.color": grid, **_FIXED_RC}


def load_style(path: Path | None = None) -> Style:
    """The chart style; re-read when the file changes (`mkdocs serve` picks edits up)."""
    path = path or _style_path()
    try:
        stat = path.stat()
    except OSError as error:
        raise CsiError(f"{path}: the chart style file is missing ({error.strerror})") from None
    return _read_style(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _read_style(path: Path, mtime_ns: int, size: int) -> Style:
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
        return Style(size=dict(data["size"]), colours=dict(data["colours"]), rc=dict(data["rc"]),
                     digest=hashlib.sha256(raw).hexdigest())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, KeyError) as error:
        raise CsiError(f"{path}: the chart style file cannot be read: {error}") from None


@lru_cache(maxsize=1)
def _matplotlib_version() -> str:
    return version("matplotlib")


# ----------------------------------------------------------------------------- the charts
# Each builder turns the register into a Chart: what to draw (`data`, JSON values only),
# and the words around it. Builders never draw; drawers (further down) never read the
# register.

def _metric_chart(register: Register, metric: Metric) -> Chart:
    size = load_style().size
    verdict = register.verdicts[metric.id]
    moves = _status_moves(register, metric)
    data = {**_metric_panel(register, metric), "events": [[d, ids] for d, ids in moves]}
    latest = (f"latest {format_number(verdict.latest.value)} on {verdict.latest.date}"
              if verdict.latest and verdict.latest.value is not None else "no measurement yet")
    target = f"target {_target_text(metric)}" if metric.target else "no target"
    alt = (f"Line chart of {metric.name} in {metric.unit}: baseline "
           f"{format_number(metric.baseline.value)} on {metric.baseline.date}, {latest}, "
           f"{target}. Verdict: {verdict.status}.")
    return Chart(
        name=f"metric-{metric.id}", subject=f"metric {metric.id} ({metric.name})",
        title=f"{metric.name} ({metric.unit})", description=verdict.reason, alt=alt,
        kind="metric", width=size["width"], height=size["height"], data=data,
        table=_metric_table(register, metric))


def _metric_panel(register: Register, metric: Metric) -> dict[str, Any]:
    """What a metric chart and an objective's panel draw for one metric."""
    verdict = register.verdicts[metric.id]
    projection = verdict.projection
    return {
        "unit": metric.unit,
        "status": verdict.status,
        "baseline": [metric.baseline.date.isoformat(), metric.baseline.value],
        "points": [[p.date.isoformat(), p.value]
                   for p in measurements(metric, register.series[metric.id])],
        "target": ([metric.target.value,
                    metric.target.date.isoformat() if metric.target.date else None]
                   if metric.target else None),
        "projection": ([[d.isoformat(), round(v, 6)]
                        for d, v in zip(projection.dates, projection.values)]
                       if projection else None),
    }


def _status_moves(register: Register, metric: Metric) -> list[tuple[str, list[str]]]:
    """The dates (on or after the baseline) on which improvements linked to the metric moved
    status, each with the ids that moved."""
    moved: dict[str, set[str]] = defaultdict(set)
    for imp in register.improvements_by_metric[metric.id]:
        for entry in imp.log:
            if entry.status and entry.date >= metric.baseline.date:
                moved[entry.date.isoformat()].add(imp.id)
    return [(day, sorted(ids)) for day, ids in sorted(moved.items())]


def _metric_table(register: Register, metric: Metric) -> Table:
    verdict = register.verdicts[metric.id]
    rows: list[tuple[str, str, str]] = [
        (str(metric.baseline.date), format_number(metric.baseline.value), "baseline")]
    for point in measurements(metric, register.series[metric.id]):
        measured = "measured" + (f" ({point.source})" if point.source else "")
        rows.append((str(point.date), "not measured" if point.value is None
                     else format_number(point.value), measured))
    for imp in register.improvements_by_metric[metric.id]:
        for entry in imp.log:
            if entry.status and entry.date >= metric.baseline.date:
                rows.append((str(entry.date), "",
                             f"{imp.id} moved to {entry.status.replace('_', ' ')}"))
    if metric.target:
        rows.append((str(metric.target.date or "no date"), format_number(metric.target.value),
                     "target"))
    if verdict.projection:
        end = verdict.projection.dates[-1]
        rows.append((str(end), format_number(verdict.projection.values[-1]),
                     "trend continued (projection)"))
    dated = sorted(rows[1:], key=lambda row: (row[0], row[2]))
    return Table(("Date", f"Value ({metric.unit})", "What"), (rows[0], *dated))


def _objective_chart(register: Register, objective: Objective) -> Chart:
    size = load_style().size
    metrics = [register.metric[m] for m in objective.metrics]
    panels = []
    for metric in metrics:
        verdict = register.verdicts[metric.id]
        closed = round(verdict.gap_closed * 100) if verdict.gap_closed is not None else None
        panels.append({**_metric_panel(register, metric), "id": metric.id, "name": metric.name,
                       "closed": closed})
    summary = "; ".join(f"{m.id} {register.verdicts[m.id].status}" for m in metrics)
    table = Table(("Metric", "Latest", "Target", "Gap closed", "Verdict"), tuple(
        (f"{m.id} {m.name}", _latest_text(register, m),
         _target_text(m),
         f"{p['closed']} %" if p["closed"] is not None else "—", register.verdicts[m.id].status)
        for m, p in zip(metrics, panels)))
    return Chart(
        name=f"objective-{objective.id}",
        subject=f"objective {objective.id} ({objective.title})",
        title=f"{objective.id} {objective.title}",
        description="Each metric of this objective: its values since the baseline, its target "
                    "and where the current trend leads.",
        alt=f"Small charts, one per metric of objective {objective.id}: {summary}.",
        kind="objective", width=size["width"], height=50 + len(panels) * size["panel_height"],
        data={"panels": panels}, table=table)


def _target_text(metric: Metric) -> str:
    if metric.target is None:
        return "—"
    value = format_number(metric.target.value)
    return f"{value} by {metric.target.date}" if metric.target.date else f"{value}, no date"


def _latest_text(register: Register, metric: Metric) -> str:
    latest = register.verdicts[metric.id].latest
    if latest is None or latest.value is None:
        return "not measured"
    return f"{format_number(latest.value)} {metric.unit} on {latest.date}"


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
        title="Improvements raised and done",
        description="How many improvements have been raised, and how many closed or rejected, "
                    "over time; the gap between the lines is the work still open.",
        alt=f"Line chart of improvements over time: {len(raised)} raised and {len(done)} closed "
            f"or rejected by {today}.",
        kind="burnup", width=size["width"], height=size["height"], data=data,
        table=Table(("Month", "Raised", "Closed or rejected", "Raised to date", "Done to date"),
                    tuple(rows)))


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
        name="status", subject="improvements by status", title="Improvements by status",
        description="How many improvements stand at each status, and the step of the continual "
                    "improvement model it belongs to.",
        alt="Bar chart of improvements per status: "
            + ", ".join(f"{label} {count}" for label, count, _ in bars) + ".",
        kind="status", width=size["width"], height=size["height"], data={"bars": bars},
        table=Table(("Status", "Model step", "Improvements"), tuple(
            (s.replace("_", " "), STATUSES[s].step_label, str(counts[s])) for s in STATUSES)))


def _status_label(status: str) -> str:
    step = STATUSES[status].step_label.split(" ")[0]
    words = status.replace("_", " ")
    return f"{words} (step {step})" if STATUSES[status].step else words


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
        title="Value and effort of open improvements",
        description="Open improvements with both a value and an effort (1 to 5; 4 and 5 count "
                    "as high): quick wins are worth doing first, time sinks worth a second look.",
        alt=f"Scatter chart of {total} open improvements by value and effort: "
            + ", ".join(f"{tally[q]} {q}" for q in QUADRANTS) + ".",
        kind="value-effort", width=size["width"], height=size["value_effort_height"],
        data={"cells": [[v, e, _quadrant(v, e), ids] for (v, e), ids in ordered]},
        table=Table(("Value", "Effort", "Quadrant", "Improvements"), tuple(
            (str(v), str(e), _quadrant(v, e), ", ".join(ids)) for (v, e), ids in ordered)))


def _roadmap_chart(register: Register) -> Chart:
    size = load_style().size
    dated = sorted((imp for imp in register.improvements
                    if register.facts[imp.id].open and imp.target_date is not None),
                   key=lambda imp: (imp.target_date, imp.id))
    shown = dated[:size["roadmap_rows"]]
    overdue = [imp for imp in dated if register.facts[imp.id].overdue]
    bars = [[imp.id, imp.raised.isoformat(), imp.target_date.isoformat(),
             _roadmap_state(register, imp)] for imp in shown if imp.target_date]
    more = (f" The {len(shown)} earliest target dates of {len(dated)} are shown."
            if len(shown) < len(dated) else "")
    return Chart(
        name="roadmap", subject="roadmap of open improvements", title="Roadmap",
        description="Each open improvement with a target date, as a bar from the day it was "
                    "raised to its target date; overdue ones are red, implemented and deferred "
                    "ones grey." + more,
        alt=f"Timeline of {len(dated)} open improvements with target dates, {len(overdue)} "
            f"overdue, as of {register.today}.",
        kind="roadmap", width=size["width"],
        height=90 + max(len(bars), 2) * size["row_height"],
        data={"bars": bars, "today": register.today.isoformat()},
        table=Table(("Improvement", "Title", "Raised", "Target date", "State"), tuple(
            (imp.id, imp.title, str(imp.raised), str(imp.target_date),
             _roadmap_state(register, imp)) for imp in shown)))


def _roadmap_state(register: Register, imp: Improvement) -> str:
    """overdue, scheduled (target still ahead, or not yet committed), or the status of an
    improvement whose target date no longer applies (implemented, deferred)."""
    if register.facts[imp.id].overdue:
        return "overdue"
    if imp.status in ("implemented", "deferred"):
        return imp.status
    return "scheduled"


_FIXED_BUILDERS: dict[str, Callable[[Register], Chart]] = {
    "burnup": _burnup_chart,
    "status": _status_chart,
    "value-effort": _value_effort_chart,
    "roadmap": _roadmap_chart,
}


def _table_html(table: Table) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.headers)
    body = "\n".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
                     for row in table.rows)
    if not table.rows:
        body = f'<tr><td colspan="{len(table.headers)}">Nothing to show yet.</td></tr>'
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


# ----------------------------------------------------------------------------- the cache

def _cache_path(cache_dir: Path, name: str, key: str) -> Path:
    return cache_dir / f"{name}-{key}.svg"


def _read_cached(cache_dir: Path | None, name: str, key: str) -> bytes | None:
    if cache_dir is None:
        return None
    try:
        return _cache_path(cache_dir, name, key).read_bytes()
    except OSError:
        return None


def _write_cached(cache_dir: Path | None, name: str, key: str, svg: bytes) -> None:
    """Write atomically: a build reading the cache never sees half a chart."""
    if cache_dir is None:
        return
    temporary = None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache_dir, prefix=".tmp-", suffix=".svg",
                                         delete=False) as handle:
            temporary = handle.name
            handle.write(svg)
        os.replace(temporary, _cache_path(cache_dir, name, key))
    except OSError:
        # The cache only saves time: a read-only or full disk must not fail the build.
        _unlink(temporary)


def _unlink(path: Path | str | None) -> None:
    if path is not None:
        try:
            os.unlink(path)
        except OSError:
            pass


def _prune(cache_dir: Path | None, keys: dict[str, str]) -> None:
    """Remove older versions of this register's charts; other files are left alone."""
    if cache_dir is None or not cache_dir.is_dir():
        return
    for path in sorted(cache_dir.iterdir()):
        match = _CACHE_FILE.match(path.name)
        if match and match["name"] in keys and match["hash"] != keys[match["name"]]:
            _unlink(path)


# ----------------------------------------------------------------------------- drawing

class _Job(NamedTuple):
    """One chart to draw: everything a worker process needs, and nothing of the register."""

    name: str
    subject: str
    kind: str
    width: int
    height: int
    data: dict[str, Any]
    style: Style


def _draw_all(charts: list[Chart], style: Style) -> tuple[dict[str, bytes], int]:
    """Draw the charts, in worker processes when there are enough of them to pay off."""
    jobs = [_Job(c.name, c.subject, c.kind, c.width, c.height, c.data, style) for c in charts]
    svgs, workers = fork_map(draw_svg, jobs, least=_PARALLEL_MIN, per_worker=_CHARTS_PER_WORKER)
    return {job.name: svg for job, svg in zip(jobs, svgs)}, workers


def draw_svg(job: _Job) -> bytes:
    """Draw one chart as SVG bytes; CsiError naming the chart when matplotlib fails.

    A top-level function, so worker processes can run it whatever their start method.
    """
    import matplotlib
    from matplotlib.figure import Figure

    try:
        with matplotlib.rc_context(job.style.matplotlib_rc()):
            figure = Figure(figsize=(job.width / 72, job.height / 72), dpi=72)
            # Room at the edges: browsers may set the text in a wider fallback font.
            figure.set_layout_engine("constrained", w_pad=8 / 72, h_pad=6 / 72)
            _DRAWERS[job.kind](figure, job.data, job.style)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="svg", metadata=_SVG_METADATA)
    except Exception as error:  # noqa: BLE001 - any matplotlib failure becomes one clear error
        raise CsiError(f"chart '{job.name}' ({job.subject}) could not be drawn: "
                       f"{type(error).__name__}: {error}") from None
    return buffer.getvalue()


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _draw_metric(figure: Any, data: dict[str, Any], style: Style) -> None:
    ax = figure.add_subplot()
    _draw_panel(ax, data, style, max_ticks=7)
    colours = style.colours
    events = data["events"]
    label = "status change"
    if len(events) > _EVENT_LABELS:
        # Too many to name: a mark per date along the top edge; the table names them all.
        ax.plot([_day(day) for day, _ in events], [1] * len(events), linestyle="none",
                marker="v", markersize=7, color=colours["event"], clip_on=False, zorder=5,
                transform=ax.get_xaxis_transform(), label=label)
    for index, (day, ids) in enumerate(events if len(events) <= _EVENT_LABELS else []):
        ax.axvline(_day(day), color=colours["event"], linewidth=1, alpha=0.7, zorder=1,
                   label=label if index == 0 else None)
        text = ", ".join(ids[:2]) + (f" +{len(ids) - 2}" if len(ids) > 2 else "")
        ax.annotate(text, xy=(_day(day), 1), xycoords=("data", "axes fraction"),
                    xytext=(-3, -3), textcoords="offset points", rotation=90,
                    ha="right", va="top", fontsize="small", color=colours["event"])
    ax.set_ylabel(data["unit"])
    _legend(figure, ax, ncols=5)


def _draw_panel(ax: Any, data: dict[str, Any], style: Style, *, max_ticks: int) -> None:
    """One metric: measured values (gaps where not measured), baseline, target, trend."""
    colours = style.colours
    base_day, base_value = _day(data["baseline"][0]), data["baseline"][1]
    # Date order, the baseline first among equals (sorted() is stable); a gap is NaN, which
    # breaks the line rather than dropping it to zero.
    series = sorted([(base_day, base_value)] + [(_day(d), v) for d, v in data["points"]],
                    key=lambda point: point[0])
    days = [day for day, _ in series]
    values = [math.nan if value is None else value for _, value in series]
    ax.plot(days, values, color=colours["measured"], marker="o", zorder=3, label="measured")
    ax.plot([base_day], [base_value], linestyle="none", marker="D", markersize=8,
            color=colours["baseline"], zorder=4, label="baseline")
    span = list(days)
    if data["target"] is not None:
        value, day = data["target"]
        if day is None:
            ax.axhline(value, color=colours["target"], linestyle="-.", linewidth=1.5,
                       label="target")
        else:
            ax.plot([base_day, _day(day)], [value, value], color=colours["target"],
                    linestyle="-.", linewidth=1.5, label="target")
            ax.plot([_day(day)], [value], linestyle="none", marker="*", markersize=13,
                    color=colours["target"], zorder=4)
            span.append(_day(day))
    if data["projection"] is not None:
        proj_days = [_day(d) for d, _ in data["projection"]]
        ax.plot(proj_days, [v for _, v in data["projection"]], linestyle="--", linewidth=1.8,
                color=colours["verdict"][data["status"]], zorder=2, label="trend")
        span.extend(proj_days)
    span.extend(_day(d) for d, _ in data.get("events", []))
    _date_axis(ax, min(span), max(span), max_ticks)


def _draw_objective(figure: Any, data: dict[str, Any], style: Style) -> None:
    # One panel a row: two side by side would be too small to read on a phone.
    panels = data["panels"]
    axes = figure.subplots(len(panels), 1, squeeze=False)[:, 0]
    for ax, panel in zip(axes, panels):
        _draw_panel(ax, panel, style, max_ticks=7)
        closed = f", {panel['closed']} % of the gap closed" if panel["closed"] is not None else ""
        ax.set_title(f"{panel['id']}: {panel['status']}{closed} · {_shorten(panel['name'], 36)}",
                     loc="left", color=style.colours["verdict"][panel["status"]])
    _legend(figure, axes[0], ncols=4)


def _draw_burnup(figure: Any, data: dict[str, Any], style: Style) -> None:
    ax = figure.add_subplot()
    if not data["raised"]:
        return _nothing_yet(ax)
    today, start = _day(data["today"]), _day(data["raised"][0][0])
    for key, label, colour in (("raised", "raised", "measured"),
                               ("done", "closed or rejected", "target")):
        steps = data[key]
        days = [start] + [_day(d) for d, _ in steps] + [today]
        counts = [0] + [c for _, c in steps] + [steps[-1][1] if steps else 0]
        ax.step(days, counts, where="post", color=style.colours[colour], label=label)
    _date_axis(ax, start, today, 7)
    _integer_axis(ax.yaxis)
    ax.set_ylabel("improvements")
    _legend(figure, ax, ncols=2)


def _draw_status(figure: Any, data: dict[str, Any], style: Style) -> None:
    ax = figure.add_subplot()
    bars = data["bars"]
    rows = range(len(bars))
    ax.barh(rows, [count for _, count, _ in bars], height=0.6,
            color=[style.colours[group] for _, _, group in bars])
    for row, (_, count, _) in zip(rows, bars):
        ax.annotate(str(count), xy=(count, row), xytext=(4, 0), textcoords="offset points",
                    va="center")
    ax.set_yticks(list(rows), [label for label, _, _ in bars])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, max([count for _, count, _ in bars] + [1]) * 1.12)
    _integer_axis(ax.xaxis)
    ax.set_xlabel("improvements")


def _draw_value_effort(figure: Any, data: dict[str, Any], style: Style) -> None:
    ax = figure.add_subplot()
    quadrant_colours = style.colours["quadrant"]
    bottom, top = 0.05, 5.95  # a band above and below the cells holds the quadrant names
    areas = {"quick wins": (0.5, 3.5, 3.5, top), "major projects": (3.5, 5.5, 3.5, top),
             "fill-ins": (0.5, 3.5, bottom, 3.5), "time sinks": (3.5, 5.5, bottom, 3.5)}
    for name, (x0, x1, y0, y1) in areas.items():
        colour = quadrant_colours[name]
        ax.fill_between([x0, x1], y0, y1, color=colour, alpha=0.08, linewidth=0)
        y_text, va = (top - 0.08, "top") if y1 == top else (bottom + 0.08, "bottom")
        ax.text(x0 + 0.08, y_text, name.capitalize(), ha="left", va=va, fontweight="bold",
                color=colour)
    for value, effort, quadrant, ids in data["cells"]:
        colour = quadrant_colours[quadrant]
        lines = ids if len(ids) <= _CELL_LINES else [*ids[:_CELL_LINES - 1],
                                                    f"+{len(ids) - _CELL_LINES + 1} more"]
        for index, label in enumerate(lines):
            y = value + 0.3 - index * 0.2  # a fixed stack per cell: no jitter, no overlap
            is_id = index < len(ids) and label == ids[index]
            if is_id:
                ax.plot([effort - 0.36], [y], marker="o", markersize=6, color=colour,
                        linestyle="none")
            ax.text(effort - 0.28, y, label, ha="left", va="center", fontsize="small",
                    color=colour if is_id else style.colours["ink"])
    ax.axvline(3.5, color=style.colours["ink"], linewidth=0.8)
    ax.axhline(3.5, color=style.colours["ink"], linewidth=0.8)
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(bottom, top)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.grid(visible=False)
    ax.set_xlabel("effort (1 small – 5 large)")
    ax.set_ylabel("value (1 low – 5 high)")


def _draw_roadmap(figure: Any, data: dict[str, Any], style: Style) -> None:
    from matplotlib.dates import date2num

    ax = figure.add_subplot()
    today = _day(data["today"])
    bars = data["bars"]
    if not bars:
        return _nothing_yet(ax)
    colours = style.colours
    for row, (ident, raised, target, state) in enumerate(bars):
        start, end = sorted((date2num(_day(raised)), date2num(_day(target))))
        colour = colours.get(state, colours["ink"])  # overdue, scheduled; else grey
        ax.barh(row, max(end - start, 1), left=start, height=0.55, color=colour)
        if state != "scheduled":
            ax.annotate(state, xy=(end, row), xytext=(4, 0), textcoords="offset points",
                        va="center", fontsize="small", color=colour)
    ax.axvline(date2num(today), color=colours["event"], linewidth=1.5)
    ax.annotate("today", xy=(date2num(today), 1), xycoords=("data", "axes fraction"),
                xytext=(-3, -2), textcoords="offset points", ha="right", va="top",
                fontsize="small", color=colours["event"])
    ax.set_yticks(range(len(bars)), [ident for ident, *_ in bars])
    ax.set_ylim(len(bars) - 0.4, -0.6)
    ax.grid(axis="y", visible=False)
    days = [_day(d) for _, raised, target, _ in bars for d in (raised, target)] + [today]
    start, end = min(days), max(days)
    # room after the last bar for its label ("implemented" is the longest)
    _date_axis(ax, start, end + (end - start) / 8, 7)


_DRAWERS: dict[str, Callable[[Any, dict[str, Any], Style], None]] = {
    "metric": _draw_metric,
    "objective": _draw_objective,
    "burnup": _draw_burnup,
    "status": _draw_status,
    "value-effort": _draw_value_effort,
    "roadmap": _draw_roadmap,
}


def _legend(figure: Any, ax: Any, *, ncols: int) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        figure.legend(handles, labels, loc="outside upper center", ncols=min(ncols, len(labels)),
                      frameon=False, handlelength=1.8, columnspacing=1.2)


def _nothing_yet(ax: Any) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, "Nothing to show yet.", ha="center", va="center", fontsize="large",
            transform=ax.transAxes)


def _integer_axis(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _date_axis(ax: Any, start: dt.date, end: dt.date, max_ticks: int) -> None:
    """Limits and ticks of a date axis, labelled in ISO form (never locale month names)."""
    from matplotlib.dates import date2num

    end = max(end, start + dt.timedelta(days=1))
    pad = dt.timedelta(days=max(1, (end - start).days // 40))
    low, high = start - pad, end + pad
    ticks, form = _date_ticks(low, high, max_ticks)
    ax.set_xlim(date2num(low), date2num(high))
    ax.set_xticks([date2num(t) for t in ticks], [t.strftime(form) for t in ticks])


def _date_ticks(low: dt.date, high: dt.date, max_ticks: int) -> tuple[list[dt.date], str]:
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


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"
