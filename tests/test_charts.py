"""Charts: what they draw, the HTML around them, byte-identical SVG, and the cache."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from sitebuild import build_site

from csi_macros.site import charts
from csi_macros import load_register
from csi_macros.site.charts.draw import draw_figure
from csi_macros.register.errors import CsiError
from csi_macros.readings.facts import Register
from csi_macros.parallel import can_fork
from csi_macros.testing import (improvement, metric, organisation, snapshot, temporary_register,
                                write_register)

TODAY = dt.date(2026, 6, 15)
PROJECT = Path(__file__).resolve().parents[1]
PHONE_COLUMN = 313   # px: the content column of a 360 px phone in Zensical's theme, where a narrow chart is smallest
HOSTILE = "<script>alert('x')</script> & \"quoted\" 'single' $x^2$ {{ 7*7 }}"


def sample(root: Path, *, mttr_may: float = 7.5, name: str = "Mean time to restore") -> Path:
    """Three metrics (one with gaps, one without a target date, one without a target), two
    objectives (one without metrics) and improvements in every chart."""
    return write_register(
        root,
        register=organisation(objectives=[
            {"id": "OBJ-1", "title": "Faster restores", "metrics": ["MTTR", "CSAT"]},
            {"id": "OBJ-2", "title": "Fewer incidents", "metrics": ["FCR"]},
            {"id": "OBJ-3", "title": "Not measured yet"}]),
        metrics=[metric("MTTR", name=name, target={"value": 4, "date": "2026-12-31"}),
                 metric("CSAT", unit="%", direction="higher_is_better",
                        baseline={"date": "2026-01-01", "value": 70}, target={"value": 85}),
                 metric("FCR", unit="%", direction="higher_is_better",
                        baseline={"date": "2026-01-01", "value": 50})],
        snapshots=[snapshot("2026-02-28", MTTR=9, CSAT=72, FCR=None),
                   snapshot("2026-03-31", MTTR=None, CSAT=74, FCR=55),
                   snapshot("2026-04-30", MTTR=8, FCR=56),
                   snapshot("2026-05-31", MTTR=mttr_may, CSAT=76)],
        improvements=[
            improvement("CSI-0001", metrics=["MTTR"], value=5, effort=1, status="in_progress",
                        target_date="2026-03-01",
                        log=[{"date": "2026-02-01", "note": "started", "status": "in_progress"}]),
            improvement("CSI-0002", metrics=["MTTR", "CSAT"], value=2, effort=5,
                        target_date="2026-09-30",
                        log=[{"date": "2026-03-15", "note": "agreed", "status": "approved"}]),
            improvement("CSI-0003", status="closed", closed="2026-05-01", outcome="Done.",
                        metrics=["MTTR"],
                        log=[{"date": "2026-05-01", "note": "done", "status": "closed"}]),
            improvement("CSI-0004", status="implemented", value=5, effort=1,
                        target_date="2026-04-01"),
            improvement("CSI-0005", status="proposed", value=4, effort=3, raised="2026-04-10"),
        ])


def load(root: Path, today: dt.date = TODAY) -> Register:
    return load_register(root, today=today)


@pytest.fixture(scope="module")
def register() -> Iterator[Register]:
    with temporary_register() as root:
        yield load(sample(root))


@pytest.fixture(scope="module")
def svgs(register: Register) -> dict[str, bytes]:
    """Every chart of the sample, drawn once, in this process, without a cache."""
    return charts.render_charts(register, None)


class Elements(HTMLParser):
    """The tags of an HTML fragment, with their attributes and text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, str] = {}
        self._open: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("img",):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for tag in self._open:
            self.text[tag] = self.text.get(tag, "") + data

    def first(self, tag: str) -> dict[str, str | None]:
        return next(attrs for name, attrs in self.tags if name == tag)

    def count(self, tag: str) -> int:
        return sum(name == tag for name, _ in self.tags)


# --- which charts, and the HTML around them ------------------------------------------------

def test_chart_names(register: Register) -> None:
    assert charts.chart_names(register) == [
        "burnup", "status", "value-effort", "roadmap", "metric-CSAT", "metric-FCR",
        "metric-MTTR", "objective-OBJ-1", "objective-OBJ-2"]


def test_every_chart_has_html_with_alt_text_caption_and_data(register: Register) -> None:
    for name in charts.chart_names(register):
        html = charts.chart_html(register, name, "../../")
        assert html.startswith("\n\n") and html.endswith("\n\n"), name
        assert "\n\n" not in html.strip(), f"{name}: a blank line would end the HTML block"
        page = Elements(html)
        image = page.first("img")
        assert image["src"] == f"../../charts/{name}.svg"
        assert (image["alt"] or "").strip(), name
        assert int(image["width"] or 0) >= 600 and int(image["height"] or 0) > 100
        # Phones get the narrow version; a tap opens the wide one at full size.
        source = page.first("source")
        assert source["media"] == "(max-width: 600px)"
        assert source["srcset"] == f"../../charts/narrow/{name}.svg"
        assert int(source["width"] or 0) == 360 and int(source["height"] or 0) > 100
        assert page.first("a")["href"] == f"../../charts/{name}.svg"
        assert [tag for tag, _ in page.tags][:5] == ["div", "figure", "a", "picture", "source"]
        assert page.text["figcaption"].strip(), name
        assert page.text["summary"] == "Data behind this chart"
        # The data stays out of search: at 10,000 improvements the value/effort chart's
        # table passed Zensical's search index limit and failed its build.
        assert 'class="csi-chart-data" data-search-exclude>' in html, name
        assert page.count("th") >= 2 and page.count("td") >= 1, name


def test_an_unknown_chart_is_a_clear_error(register: Register) -> None:
    with pytest.raises(CsiError, match="no chart named 'metric-NOPE'"):
        charts.chart_html(register, "metric-NOPE", "")
    with pytest.raises(CsiError, match="no chart named 'objective-OBJ-9'"):
        charts.chart_html(register, "objective-OBJ-9", "")


def test_an_objective_without_metrics_has_an_empty_block(register: Register) -> None:
    assert "objective-OBJ-3" not in charts.chart_names(register)
    assert charts.chart_html(register, "objective-OBJ-3", "") == ""


def test_register_text_in_the_html_is_escaped() -> None:
    with temporary_register() as root:
        register = load(sample(root, name=HOSTILE))
    html = charts.chart_html(register, "metric-MTTR", "")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in html
    assert Elements(html).first("img")["alt"].startswith(f"Line chart of {HOSTILE}")


# --- what the charts draw ------------------------------------------------------------------

def test_a_metric_chart_keeps_gaps_and_marks_status_moves(register: Register) -> None:
    chart = charts.describe_chart(register, "metric-MTTR")
    assert chart.data["points"] == [["2026-02-28", 9], ["2026-03-31", None],
                                    ["2026-04-30", 8], ["2026-05-31", 7.5]]
    assert chart.data["baseline"] == ["2026-01-01", 10]
    assert chart.data["target"] == [4, "2026-12-31"]
    assert chart.data["events"] == [["2026-02-01", [["CSI-0001", "in_progress"]]],
                                    ["2026-03-15", [["CSI-0002", "approved"]]],
                                    ["2026-05-01", [["CSI-0003", "closed"]]]]
    assert chart.data["projection"][0] == ["2026-05-31", 7.5]
    assert chart.data["projection"][1][0] == "2026-12-31"
    rows = {row[2]: row for row in chart.table.rows}
    assert ("2026-03-31", "not measured", "measured") in chart.table.rows
    assert rows["CSI-0001 moved to in progress"][0] == "2026-02-01"
    assert chart.description == register.verdicts["MTTR"].reason


def test_value_effort_quadrants_and_labels(register: Register) -> None:
    chart = charts.describe_chart(register, "value-effort")
    # CSI-0003 is closed: only open improvements with both value and effort.
    assert chart.data["cells"] == [[5, 1, "quick wins", ["CSI-0001", "CSI-0004"]],
                                   [4, 3, "quick wins", ["CSI-0005"]],
                                   [2, 5, "time sinks", ["CSI-0002"]]]
    assert "3 quick wins, 0 major projects, 0 fill-ins, 1 time sinks" in chart.alt


@pytest.mark.parametrize("value, effort, quadrant", [
    (5, 1, "quick wins"), (4, 3, "quick wins"), (4, 4, "major projects"),
    (3, 3, "fill-ins"), (1, 1, "fill-ins"), (3, 4, "time sinks"), (1, 5, "time sinks")])
def test_quadrant_boundaries(value: int, effort: int, quadrant: str) -> None:
    assert charts.overview._quadrant(value, effort) == quadrant


def test_roadmap_marks_overdue_and_draws_today(register: Register) -> None:
    chart = charts.describe_chart(register, "roadmap")
    assert chart.data["today"] == "2026-06-15"
    assert chart.data["bars"] == [["CSI-0001", "2026-01-10", "2026-03-01", "overdue"],
                                  ["CSI-0004", "2026-01-10", "2026-04-01", "implemented"],
                                  ["CSI-0002", "2026-01-10", "2026-09-30", "scheduled"]]


def test_roadmap_shows_the_earliest_target_dates_only() -> None:
    rows = charts.load_style().size["roadmap_rows"]
    first = dt.date(2027, 1, 1)
    many = [improvement(f"CSI-{n:04d}", target_date=str(first + dt.timedelta(days=n)))
            for n in range(rows + 5, 0, -1)]
    with temporary_register(improvements=many) as root:
        register = load(root)
    chart = charts.describe_chart(register, "roadmap")
    assert [bar[0] for bar in chart.data["bars"]] == [f"CSI-{n:04d}" for n in range(1, rows + 1)]
    assert f"The {rows} earliest target dates of {rows + 5} are shown." in chart.description


def test_status_counts_every_status(register: Register) -> None:
    chart = charts.describe_chart(register, "status")
    counts = {label: count for label, count, _ in chart.data["bars"]}
    assert counts == {"proposed (step 1–3)": 1, "approved (step 4)": 1,
                      "in progress (step 5)": 1, "implemented (step 6)": 1,
                      "closed (step 7)": 1, "rejected": 0, "deferred": 0}


def test_burnup_counts_raised_and_done(register: Register) -> None:
    chart = charts.describe_chart(register, "burnup")
    assert chart.data["raised"] == [["2026-01-10", 4], ["2026-04-10", 5]]
    assert chart.data["done"] == [["2026-05-01", 1]]


def test_objective_chart_has_a_panel_per_metric(register: Register) -> None:
    chart = charts.describe_chart(register, "objective-OBJ-1")
    assert [panel["id"] for panel in chart.data["panels"]] == ["MTTR", "CSAT"]
    assert [row[0] for row in chart.table.rows] == ["MTTR Mean time to restore", "CSAT Metric CSAT"]


def test_an_empty_register_still_has_its_charts() -> None:
    start = organisation(objectives=[{"id": "OBJ-1", "title": "Start"}])
    with temporary_register(register=start, metrics=[]) as root:
        register = load(root)
    empty = charts.render_charts(register, None)
    assert sorted(empty) == sorted(f"charts/{folder}{name}.svg" for name in charts.FIXED_CHARTS
                                   for folder in ("", "narrow/"))
    for name in ("burnup", "roadmap", "narrow/burnup"):
        assert b"Nothing to show yet." in empty[f"charts/{name}.svg"]
    for svg in empty.values():
        ET.fromstring(svg)


# --- the SVG ---------------------------------------------------------------------------------

def test_svg_is_well_formed_and_register_text_stays_text() -> None:
    with temporary_register() as root:
        register = load(sample(root, name=HOSTILE))
    hostile = charts.render_charts(register, None)
    for path, svg in hostile.items():
        text = svg.decode("utf-8")
        ET.fromstring(svg)
        assert "<script" not in text.lower(), path
        assert not re.search(r"\son\w+=", text), path
        width = 360 if path.startswith("charts/narrow/") else 640
        assert f'viewBox="0 0 {width} ' in text, path
    objective = ET.fromstring(hostile["charts/objective-OBJ-1.svg"])
    shown = " ".join("".join(t.itertext()) for t in objective.iter("{http://www.w3.org/2000/svg}text"))
    assert HOSTILE[:30] in shown  # shortened to fit, but literal: no markup, no mathtext


def test_svg_is_byte_identical_for_the_same_data(register: Register,
                                                  svgs: dict[str, bytes]) -> None:
    assert charts.render_charts(register, None) == svgs
    assert b"<dc:date>" not in svgs["charts/burnup.svg"]


def test_svg_is_byte_identical_across_processes(svgs: dict[str, bytes], tmp_path: Path) -> None:
    with temporary_register() as root:
        sample(root)
        script = ("import sys, datetime as dt; from pathlib import Path;"
                  "from csi_macros import load_register; from csi_macros.site import charts;"
                  f"r = load_register(Path(sys.argv[1]), today=dt.date({TODAY:%Y, %-m, %-d}));"
                  "c = charts.describe_chart(r, 'metric-MTTR');"
                  "job = charts.Job(c.name, c.subject, c.kind, c.width, c.height, c.data,"
                  " charts.load_style());"
                  "Path(sys.argv[2]).write_bytes(charts.draw_svg(job))")
        subprocess.run([sys.executable, "-c", script, str(root), str(tmp_path / "a.svg")],
                       check=True)
    assert (tmp_path / "a.svg").read_bytes() == svgs["charts/metric-MTTR.svg"]


# --- the narrow version, for phones -----------------------------------------------------------

@pytest.fixture(scope="module")
def project_register() -> Register:
    """The sample register that ships with the project (its metrics have a year of data)."""
    return load_register(PROJECT / "register", today=dt.date(2026, 11, 25))


@contextlib.contextmanager
def laid_out(register: Register, name: str, narrow: bool) -> Iterator[Any]:
    """A chart's matplotlib figure, drawn and laid out as it is saved."""
    import matplotlib

    style = charts.load_style()
    chart = charts.describe_chart(register, name)
    job = charts.Job(chart.name, chart.subject, chart.kind, *chart.size(style, narrow),
                     chart.data, style, narrow)
    with matplotlib.rc_context(style.matplotlib_rc(narrow)):
        figure = draw_figure(job, charts.DRAWERS)
        figure.draw_without_rendering()
        yield figure


def _font_sizes(svg: str) -> list[float]:
    return [float(size) for size in re.findall(r"font-size: ([\d.]+)px", svg)]


@pytest.mark.parametrize("which", ["sample", "project"])
def test_narrow_charts_keep_text_legible_on_a_phone(which: str, register: Register,
                                                    project_register: Register) -> None:
    chosen = register if which == "sample" else project_register
    drawn = charts.render_charts(chosen, None)
    for name in charts.chart_names(chosen):
        svg = drawn[f"charts/narrow/{name}.svg"].decode()
        width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
        sizes = _font_sizes(svg)
        assert width == 360 and sizes, name
        # Shown no smaller than on a 313 px column: every text at least 11 px there.
        assert min(sizes) * PHONE_COLUMN / width >= 11, (name, min(sizes))
        # The wide version on that column is what phones showed before: too small.
        wide = drawn[f"charts/{name}.svg"].decode()
        assert min(_font_sizes(wide)) * PHONE_COLUMN / 640 < 11, name


def test_narrow_charts_have_the_legend_under_the_plot_and_fewer_dates(
        project_register: Register) -> None:
    for name in ("metric-P1-MTTR", "burnup", "objective-OBJ-1"):
        with laid_out(project_register, name, narrow=True) as figure:
            renderer = figure._get_renderer()
            (legend,) = figure.legends
            box = legend.get_window_extent(renderer)
            lowest_axes = min(ax.get_tightbbox(renderer).y0 for ax in figure.axes)
            assert box.y1 <= lowest_axes, name  # display y runs upward: the legend is below
            assert 0 <= box.x0 and box.x1 <= figure.bbox.width, name
            narrow_ticks = [len(ax.get_xticks()) for ax in figure.axes]
        with laid_out(project_register, name, narrow=False) as figure:
            renderer = figure._get_renderer()
            (legend,) = figure.legends
            assert legend.get_window_extent(renderer).y0 >= figure.axes[0].bbox.y1, name
            wide_ticks = [len(ax.get_xticks()) for ax in figure.axes]
        assert all(n <= 4 for n in narrow_ticks), (name, narrow_ticks)
        assert max(narrow_ticks) < max(wide_ticks), name


def test_narrow_charts_keep_their_text_inside_the_picture(project_register: Register) -> None:
    for name in charts.chart_names(project_register):
        with laid_out(project_register, name, narrow=True) as figure:
            # In pixels: everything drawn (texts, ticks, legend) within the picture.
            box = figure.get_tightbbox(figure._get_renderer()).transformed(figure.dpi_scale_trans)
            assert -1 <= box.x0 and box.x1 <= figure.bbox.width + 1, (name, box)
            assert -1 <= box.y0 and box.y1 <= figure.bbox.height + 1, (name, box)


def test_both_versions_come_from_the_same_data(register: Register) -> None:
    style = charts.load_style()
    chart = charts.describe_chart(register, "metric-MTTR")
    assert chart.key(style) != chart.key(style, narrow=True)
    assert chart.size(style, narrow=True) == (360, style.narrow["height"])


def test_colours_are_legible_on_light_and_dark_pages() -> None:
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a: str, b: str) -> float:
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    colours = charts.load_style().colours
    flat = {**{k: v for k, v in colours.items() if isinstance(v, str) and k != "grid"},
            **colours["verdict"], **colours["quadrant"]}
    for name, colour in flat.items():
        for page in ("#ffffff", "#1e2129"):
            assert contrast(colour, page) >= 3, (name, colour, page)


# --- the cache ---------------------------------------------------------------------------------

def test_a_second_build_draws_nothing(register: Register, svgs: dict[str, bytes],
                                      tmp_path: Path) -> None:
    first, stats = charts.render_charts_with_stats(register, tmp_path)
    assert (stats.rendered, stats.cached) == (len(first) // 2, 0)  # a chart is two pictures
    assert first == svgs
    again, stats = charts.render_charts_with_stats(register, tmp_path)
    assert (stats.rendered, stats.cached) == (0, len(first) // 2)
    assert again == first
    names = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.svg"))
    assert len(names) == len(first) == 2 * stats.charts
    assert all(re.fullmatch(r"(narrow/)?.+-[0-9a-f]{64}\.svg", n) for n in names)
    # The cache is safe to delete: a missing file is drawn again, nothing else.
    next(tmp_path.glob("status-*.svg")).unlink()
    assert charts.render_charts_with_stats(register, tmp_path)[1].rendered_names == ["status"]
    next(tmp_path.glob("narrow/roadmap-*.svg")).unlink()
    again, stats = charts.render_charts_with_stats(register, tmp_path)
    assert stats.rendered_names == ["roadmap"] and again == first


def test_cached_charts_are_read_when_written_not_held(register: Register,
                                                      tmp_path: Path) -> None:
    charts.render_charts_with_stats(register, tmp_path)
    warm, _stats = charts.render_charts_with_stats(register, tmp_path)
    cached = next(tmp_path.glob("status-*.svg"))
    assert warm["charts/status.svg"] == cached.read_bytes()
    cached.write_bytes(b"<svg>changed in the cache</svg>")
    assert warm["charts/status.svg"] == b"<svg>changed in the cache</svg>"  # read on demand
    cached.unlink()
    with pytest.raises(CsiError, match=r"chart cache: cannot read .*status-[0-9a-f]{64}\.svg"):
        warm["charts/status.svg"]


def test_a_changed_value_redraws_only_the_charts_that_show_it(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with temporary_register() as root:
        before = charts.render_charts_with_stats(load(sample(root)), cache)[0]
        changed, stats = charts.render_charts_with_stats(load(sample(root, mttr_may=6)), cache)
    assert sorted(stats.rendered_names) == ["metric-MTTR", "objective-OBJ-1"]
    assert changed["charts/burnup.svg"] == before["charts/burnup.svg"]
    assert changed["charts/metric-MTTR.svg"] != before["charts/metric-MTTR.svg"]
    assert changed["charts/narrow/metric-MTTR.svg"] != before["charts/narrow/metric-MTTR.svg"]
    assert len(list(cache.rglob("*.svg"))) == len(changed), "older versions are removed"


@pytest.mark.parametrize(("edit", "redrawn"), [
    ({"description": "Said another way."}, []),
    ({"value": 4}, ["value-effort"]),
    ({"target_date": "2026-10-31"}, ["roadmap"]),
    ({"title": "Renamed"}, []),  # titles are in the text alternatives, not in the drawings
    ({"status": "in_progress"}, ["status"]),  # still "scheduled" on the roadmap
    ({"status": "deferred"}, ["roadmap", "status"]),
])
def test_an_edited_improvement_redraws_only_the_charts_that_draw_it(
        tmp_path: Path, edit: dict[str, Any], redrawn: list[str]) -> None:
    with temporary_register() as root:
        sample(root)
        charts.render_charts_with_stats(load(root), tmp_path)
        path = root / "improvements" / "CSI-0002.yml"
        path.write_text(yaml.safe_dump({**yaml.safe_load(path.read_text()), **edit}))
        stats = charts.render_charts_with_stats(load(root), tmp_path)[1]
    assert sorted(stats.rendered_names) == redrawn


def test_a_new_day_redraws_only_the_charts_that_show_today(tmp_path: Path) -> None:
    with temporary_register() as root:
        sample(root)
        charts.render_charts_with_stats(load(root), tmp_path)
        stats = charts.render_charts_with_stats(load(root, TODAY + dt.timedelta(days=1)),
                                                tmp_path)[1]
    assert sorted(stats.rendered_names) == ["burnup", "roadmap"]


def test_parallel_drawing_gives_the_same_bytes(register: Register, svgs: dict[str, bytes],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    if not can_fork():
        pytest.skip("drawing in parallel needs fork from a single-threaded process")
    monkeypatch.setattr(charts, "_PARALLEL_MIN", 1)
    monkeypatch.setattr(charts, "_CHARTS_PER_WORKER", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    parallel, stats = charts.render_charts_with_stats(register, None)
    assert stats.workers == 2
    assert parallel == svgs


def test_charts_drawn_beside_the_build_are_the_same_bytes(register: Register,
                                                          svgs: dict[str, bytes],
                                                          tmp_path: Path) -> None:
    if not can_fork():
        pytest.skip("drawing in the background needs fork from a single-threaded process")
    pending = charts.start_charts(register, tmp_path, background=True)
    assert pending.workers >= 1  # already drawing while this process goes on
    drawn, stats = pending.finish()
    assert drawn == svgs and stats.rendered == stats.charts
    assert sorted(pending.paths) == sorted(svgs)
    assert charts.start_charts(register, tmp_path, background=True).workers == 0  # all cached


def test_a_chart_that_cannot_be_drawn_names_itself(register: Register,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> None:
        raise ValueError("no room")

    monkeypatch.setitem(charts.DRAWERS, "metric", broken)
    with pytest.raises(CsiError, match=r"chart 'metric-CSAT' \(metric CSAT \(Metric CSAT\)\) "
                                       r"could not be drawn: ValueError: no room"):
        charts.render_charts(register, None)


def test_a_rebuild_after_an_edit_draws_and_names_only_the_charts_that_show_it(
        tmp_path: Path) -> None:
    register = sample(tmp_path / "register")
    env = {"CSI_CHART_CACHE": str(tmp_path / "cache")}
    first = build_site(register, tmp_path / "site", extra_env=env)
    assert first.returncode == 0, first.output
    drawn = re.search(r"Charts: ([0-9]+) of ([0-9]+) drawn", first.output)
    assert drawn and drawn.group(1) == drawn.group(2) != "0", first.output
    path = register / "improvements" / "CSI-0002.yml"
    path.write_text(path.read_text().replace("value: 2\n", "value: 3\n"))
    again = build_site(register, tmp_path / "site", extra_env=env)
    assert again.returncode == 0, again.output
    assert f"Charts: 1 of {drawn.group(2)} drawn (value-effort), " in again.output


def test_the_summary_of_a_first_build_names_a_few_charts_and_counts_the_rest() -> None:
    names = [f"metric-M{n:04d}" for n in range(400, 0, -1)]
    stats = charts.RenderStats(charts=411, rendered=400, cached=11, seconds=56.6,
                               rendered_names=names)
    shown = [f"metric-M{n:04d}" for n in range(1, charts.NAMED_IN_SUMMARY + 1)]
    assert stats.summary() == (f"400 of 411 drawn ({', '.join(shown)}, "
                               f"and {400 - charts.NAMED_IN_SUMMARY} more), 11 from the cache, "
                               "in 56.6 s")


def _status_labels(figure: Any) -> list[Any]:
    return [text for ax in figure.axes for text in ax.texts if text.get_gid() == "status-change"]


def _moves_register(root: Path, days: list[str]) -> Register:
    moves = [improvement(f"CSI-{n:04d}", metrics=["MTTR"], status="implemented",
                         log=[{"date": day, "note": "moved", "status": "approved"},
                              {"date": "2026-10-20", "note": "done", "status": "implemented"}]
                         if n == 1 else [{"date": day, "note": "moved", "status": "approved"}])
             for n, day in enumerate(days, start=1)]
    write_register(root, improvements=moves, snapshots=[
        snapshot("2026-02-28", MTTR=8), snapshot("2026-05-31", MTTR=7),
        snapshot("2026-08-31", MTTR=6), snapshot("2026-10-31", MTTR=6)])
    return load_register(root, today=dt.date(2026, 11, 25))


@pytest.mark.parametrize("narrow", [False, True])
@pytest.mark.parametrize("days", [
    ["2026-03-10", "2026-07-02", "2026-07-09", "2026-07-20"],   # three in one month
    ["2026-07-01", "2026-07-01", "2026-07-03", "2026-07-31"],   # two on one day
    ["2026-06-30", "2026-07-01"],                               # two lines a day apart
])
def test_status_change_labels_name_each_move_and_overlap_nothing(
        tmp_path: Path, days: list[str], narrow: bool) -> None:
    register = _moves_register(tmp_path, days)
    with laid_out(register, "metric-MTTR", narrow) as figure:
        renderer = figure._get_renderer()
        labels = _status_labels(figure)
        boxes = [label.get_window_extent(renderer) for label in labels]
        (ax,) = figure.axes
        plot = ax.get_window_extent(renderer)
        legend = figure.legends[0].get_window_extent(renderer)
        texts = [label.get_text() for label in labels]
    assert len(labels) == len(set(days)) + 1  # a label per date, CSI-0001's second move too
    for (i, a), (j, b) in [(p, q) for p in enumerate(boxes) for q in enumerate(boxes) if p[0] < q[0]]:
        assert not a.overlaps(b), (texts[i], texts[j])
    for text, box in zip(texts, boxes):
        assert box.y0 >= plot.y1, text                # above the plot: clear of every value
        assert not box.overlaps(legend), text
        assert 0 <= box.x0 and box.x1 <= figure.bbox.width, text
    named = " ".join(texts)
    assert "CSI-0001 approved" in named and "CSI-0001 implemented" in named
    for n in range(2, len(days) + 1):
        assert f"CSI-{n:04d} approved" in named


def test_many_status_changes_are_marked_above_the_plot(project_register: Register) -> None:
    with laid_out(project_register, "metric-P1-MTTR", narrow=True) as figure:
        (ax,) = figure.axes
        renderer = figure._get_renderer()
        (marks,) = [line for line in ax.lines if line.get_label() == "status change"]
        bottom = marks.get_window_extent(renderer).y0
        assert bottom >= ax.get_window_extent(renderer).y1  # never over a value
        assert _status_labels(figure) == []  # too many to name: the table names them


def test_the_baseline_stays_in_sight_over_a_special_cause(project_register: Register) -> None:
    chart = charts.describe_chart(project_register, "metric-P1-MTTR")
    base = chart.data["baseline"]
    assert base in [signal[:2] for signal in chart.data["signals"]]  # drawn at the same place
    with laid_out(project_register, "metric-P1-MTTR", narrow=False) as figure:
        lines = {line.get_label(): line for line in figure.axes[0].lines}
        baseline = lines["baseline"]
        for label in ("special cause: concern", "special cause: improvement", "measured"):
            assert baseline.get_zorder() > lines[label].get_zorder(), label


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _over(colour: str, opacity: float, page: str) -> str:
    """What a colour drawn with an opacity looks like on the page."""
    return "#" + "".join(f"{round(int(colour[i:i + 2], 16) * opacity + int(page[i:i + 2], 16) * (1 - opacity)):02x}"
                         for i in (1, 3, 5))


def test_every_line_and_marker_keeps_3_to_1_on_the_dark_page(
        project_register: Register, tmp_path: Path) -> None:
    """Each stroke and fill of the metric charts, as drawn (opacity included), against
    Material's dark page (#1e2129) and its light one. Grid lines are left out: faint on
    purpose, they carry no data."""
    grid = charts.load_style().colours["grid"]
    register = _moves_register(tmp_path, ["2026-03-10", "2026-07-02"])
    drawn = {**charts.render_charts(project_register, None),
             **{f"moves/{k}": v for k, v in charts.render_charts(register, None).items()}}
    checked = 0
    for path, svg in drawn.items():
        if "/metric-" not in path and not path.startswith("charts/metric-"):
            continue
        for style in re.findall(r'style="([^"]*)"', svg.decode()):
            props = dict(part.split(": ", 1) for part in style.split("; ") if ": " in part)
            for paint, opacity in (("stroke", "stroke-opacity"), ("fill", "fill-opacity")):
                colour = props.get(paint, "none")
                if not colour.startswith("#"):
                    continue
                alpha = float(props.get(opacity, props.get("opacity", "1")))
                if colour + f"{round(alpha * 255):02x}" == grid:
                    continue
                for page in ("#1e2129", "#ffffff"):
                    seen = _over(colour, alpha, page)
                    assert _contrast(seen, page) >= 3, (path, style, page)
                checked += 1
    assert checked > 100
