"""Charts of the register: matplotlib figures saved as SVG, drawn once, then cached.

A family of charts is a module: `metric` (a chart per metric and per objective),
`overview` (the register's own progress) and `service` (a chart per service). Each family has builders, which turn the
register into a `Chart` (what to draw, as JSON values, and the words around it) and never
draw, and drawers, which draw a chart's data and never read the register. Every chart
comes in two versions drawn from that one description: wide (`charts/<name>.svg`) and
narrow for phones (`charts/narrow/<name>.svg`); pages show them as a `<picture>` whose
browser picks the one that fits. `base` holds what charts share, `draw` the drawing,
`cache` the cache. When enough charts are missing from the cache they are drawn in worker
processes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping

from ...register.errors import CsiError
from ...readings.facts import Register
from ...i18n import _
from ..text import escape
from ...parallel import fork_map, fork_start
from . import metric, overview, service
from .base import (CHART_VERSION, STYLE_PATH, Chart, Style, Table, load_style, picture_path,
                   style_path, table_html, use_project_style)
from .cache import cached_file, prune, write_cached
from .draw import Drawer, Job, Layout
from .draw import draw_svg as _draw_svg
from .overview import QUADRANTS

__all__ = ["CHART_VERSION", "FIXED_CHARTS", "NARROW_MEDIA", "QUADRANTS", "STYLE_PATH", "Chart",
           "ChartFiles", "Job", "Layout", "RenderStats", "Style", "Table", "chart_html", "chart_names",
           "describe_chart", "draw_svg", "load_style", "picture_path", "render_charts",
           "render_charts_with_stats", "start_charts", "style_path", "use_project_style",
           "PendingCharts"]

FIXED_CHARTS = tuple(overview.BUILDERS)
"""The charts every register has; `metric-<id>` and `objective-<id>` come on top."""

DRAWERS: dict[str, Drawer] = {**metric.DRAWERS, **overview.DRAWERS}
"""Every kind of chart and the function that draws it."""

NARROW_MEDIA = "(max-width: 600px)"
"""Where browsers show the narrow version: phones, upright or on their side."""

_PARALLEL_MIN = 12       # fewer misses than this are drawn in this process (workers cost more)
_CHARTS_PER_WORKER = 6   # start no more workers than misses / this


@dataclass
class RenderStats:
    """What `render_charts_with_stats` did: how many charts it drew and took from the cache.
    A chart counts as drawn when either of its versions was."""

    charts: int = 0
    rendered: int = 0
    cached: int = 0
    workers: int = 0   # 0: drawn in this process
    seconds: float = 0.0
    rendered_names: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: "2 of 49 drawn (roadmap, status), 47 from the cache, in 0.4 s". Past
        `NAMED_IN_SUMMARY` charts it names the first few and counts the rest, so that a
        first build of a large register does not print hundreds of names."""
        names = sorted(self.rendered_names)
        if len(names) > NAMED_IN_SUMMARY:
            names = [*names[:NAMED_IN_SUMMARY], f"and {len(names) - NAMED_IN_SUMMARY} more"]
        drawn = f" ({', '.join(names)})" if names else ""
        return (f"{self.rendered} of {self.charts} drawn{drawn}, {self.cached} from the cache, "
                f"in {self.seconds:.1f} s")


NAMED_IN_SUMMARY = 8
"""How many drawn charts a build's summary line names."""


def chart_names(register: Register) -> list[str]:
    """Every chart of the register: the fixed ones, one per metric, one per objective that
    has metrics, one per service that improvements name."""
    return [*FIXED_CHARTS, *(f"metric-{m.id}" for m in register.metrics),
            *(f"objective-{o.id}" for o in register.organisation.objectives if o.metrics),
            *service.chart_names(register)]


def describe_chart(register: Register, name: str) -> Chart:
    """The chart called `name` (see `chart_names`); CsiError when there is none."""
    if name in overview.BUILDERS:
        return overview.BUILDERS[name](register)
    if name.startswith("metric-") and name[7:] in register.metric:
        return metric.metric_chart(register, register.metric[name[7:]])
    objective = register.objective.get(name[10:]) if name.startswith("objective-") else None
    if objective is not None and objective.metrics:
        return metric.objective_chart(register, objective)
    named = service.service_of(register, name)
    if named is not None:
        return service.service_chart(register, named)
    raise CsiError(f"there is no chart named '{name}'; the charts are: "
                   + ", ".join(chart_names(register)))


def chart_html(register: Register, name: str, base: str) -> str:
    """A chart as a block of HTML for page Markdown: the picture (the narrow version on
    phones, the wide one elsewhere) with its text alternative, a link to the wide version
    at full size, a caption, and the data behind it in a table. `base` leads from the page
    to the site root ("", "../", "../../"). An objective without metrics has no chart: its
    block is empty, so pages may ask for every objective's."""
    objective = register.objective.get(name.removeprefix("objective-"))
    if name.startswith("objective-") and objective is not None and not objective.metrics:
        return ""
    chart = describe_chart(register, name)
    wide = escape(base + picture_path(name))
    narrow_width, narrow_height = chart.size(load_style(), narrow=True)
    return (f'\n\n<div class="csi-chart" id="chart-{escape(name)}" markdown="0">\n'
            f'<figure>\n<a class="csi-chart-full" href="{wide}" '
            f'title="{escape(_("Open the chart at full size"))}"><picture>\n'
            f'<source media="{NARROW_MEDIA}" '
            f'srcset="{escape(base + picture_path(name, narrow=True))}" '
            f'width="{narrow_width}" height="{narrow_height}">\n'
            f'<img src="{wide}" alt="{escape(chart.alt)}" '
            f'width="{chart.width}" height="{chart.height}" loading="lazy" '
            f'style="max-width:100%;height:auto">\n</picture></a>\n'
            f"<figcaption><strong>{escape(chart.title)}</strong>. "
            f"{escape(chart.description)}</figcaption>\n</figure>\n"
            # The data behind a chart stays out of search (each row's record has its own
            # page); at 10,000 improvements it would also pass Zensical's index limit.
            f'<details class="csi-chart-data" data-search-exclude>\n<summary>{escape(_("Data behind this chart"))}'
            "</summary>\n"
            f"{table_html(chart.table)}\n</details>\n</div>\n\n")


class ChartFiles(Mapping[str, bytes]):
    """Every picture's SVG by its place in the site. Those drawn by this build are held;
    those from the cache are read when asked for: at 10,000 improvements the cached charts
    are 11 MiB that a warm build would otherwise hold from its start to its end."""

    def __init__(self, svgs: dict[str, bytes | Path]) -> None:
        self._svgs = svgs

    def __getitem__(self, path: str) -> bytes:
        svg = self._svgs[path]
        if isinstance(svg, bytes):
            return svg
        try:
            return svg.read_bytes()
        except OSError as error:
            raise CsiError(f"chart cache: cannot read {svg} ({error.strerror}); "
                           "build again to draw it") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._svgs)

    def __len__(self) -> int:
        return len(self._svgs)


def render_charts(register: Register, cache_dir: Path | None) -> ChartFiles:
    """Every chart's two versions as SVG, by their place in the site (`charts/<name>.svg`,
    `charts/narrow/<name>.svg`), drawing only those not in `cache_dir` (None: no cache)."""
    return render_charts_with_stats(register, cache_dir)[0]


def render_charts_with_stats(register: Register, cache_dir: Path | None
                             ) -> tuple[ChartFiles, RenderStats]:
    """`render_charts`, and what it took."""
    return start_charts(register, cache_dir).finish()


_VERSIONS = (False, True)  # wide, narrow


class PendingCharts:
    """The charts of a build: those in the cache read, the others drawn by `finish` or,
    started with `background`, already being drawn by worker processes."""

    def __init__(self, register: Register, cache_dir: Path | None, background: bool) -> None:
        self.started = time.perf_counter()
        self.cache_dir = cache_dir
        self.style = load_style()
        charts = [describe_chart(register, name) for name in chart_names(register)]
        self.count = len(charts)
        self.paths = [picture_path(c.name, narrow) for c in charts for narrow in _VERSIONS]
        self.svgs: dict[str, bytes | Path] = {}
        self.missing: list[tuple[Chart, bool]] = []
        self.keys: dict[bool, dict[str, str]] = {narrow: {} for narrow in _VERSIONS}
        for chart in charts:
            for narrow in _VERSIONS:
                key = self.keys[narrow][chart.name] = chart.key(self.style, narrow)
                cached = cached_file(_version_dir(cache_dir, narrow), chart.name, key)
                if cached is None:
                    self.missing.append((chart, narrow))
                else:
                    self.svgs[picture_path(chart.name, narrow)] = cached
        self.jobs = [Job(c.name, c.subject, c.kind, *c.size(self.style, narrow), c.data,
                         self.style, narrow) for c, narrow in self.missing]
        self.running, self.workers = (fork_start(draw_svg, self.jobs, least=_PARALLEL_MIN,
                                                 per_worker=_CHARTS_PER_WORKER)
                                      if background else (None, 0))

    def finish(self) -> tuple[ChartFiles, RenderStats]:
        """Every picture by its place in the site, the missing ones drawn and cached."""
        if self.running is not None:
            drawn = self.running.results()
        else:
            drawn, self.workers = fork_map(draw_svg, self.jobs, least=_PARALLEL_MIN,
                                           per_worker=_CHARTS_PER_WORKER)
        for (chart, narrow), svg in zip(self.missing, drawn):
            self.svgs[picture_path(chart.name, narrow)] = svg
            write_cached(_version_dir(self.cache_dir, narrow), chart.name,
                         self.keys[narrow][chart.name], svg)
        for narrow in _VERSIONS:
            prune(_version_dir(self.cache_dir, narrow), self.keys[narrow])
        redrawn = sorted({chart.name for chart, _narrow in self.missing})
        stats = RenderStats(charts=self.count, rendered=len(redrawn),
                            cached=self.count - len(redrawn), workers=self.workers,
                            seconds=time.perf_counter() - self.started, rendered_names=redrawn)
        return ChartFiles(dict(sorted(self.svgs.items()))), stats

    def cancel(self) -> None:
        """The build failed: stop drawing."""
        if self.running is not None:
            self.running.cancel()


def start_charts(register: Register, cache_dir: Path | None, *,
                 background: bool = False) -> PendingCharts:
    """The register's charts, read from the cache; with `background`, the missing ones are
    drawn by worker processes from now on, beside whatever this process does next (the rest
    of the site build), when this process can fork and there are enough of them."""
    return PendingCharts(register, cache_dir, background)


def _version_dir(cache_dir: Path | None, narrow: bool) -> Path | None:
    """The narrow versions are cached in a folder of their own, so that each folder holds
    one file per chart (which is what `prune` expects)."""
    return cache_dir / "narrow" if cache_dir is not None and narrow else cache_dir


def draw_svg(job: Job) -> bytes:
    """Draw one version of a chart as SVG bytes. A top-level function, so worker processes
    can run it whatever their start method."""
    return _draw_svg(job, DRAWERS)
