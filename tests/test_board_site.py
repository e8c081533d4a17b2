"""The answer in a reader's first ten seconds, on the built sample site: the metrics page
a board reads (grouped, those that need attention first, with Making Data Count's
summary grid), the headline in every table of metrics, in every shipped language."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from csi_macros import i18n
from csi_macros.readings import words
from csi_macros.readings.facts import Register, load_register
from csi_macros.i18n import _, using
from csi_macros.readings.verdicts import ATTENTION_ORDER, NEEDS_ATTENTION
from sitebuild import BUILD_EPOCH, PROJECT, Site, build_site

pytestmark = pytest.mark.build

SAMPLE = PROJECT / "register"
TODAY = dt.datetime.fromtimestamp(int(BUILD_EPOCH), dt.timezone.utc).date()
LANGUAGES = ("en", "de", "nb")


def text(fragment: str) -> str:
    """The words a sighted reader sees (a badge's meaning for screen readers left out)."""
    fragment = re.sub(r'<span class="csi-sr">[^<]*</span>', "", fragment)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def sample(language: str) -> Register:
    """The sample register read in `language` (its headlines are in that language)."""
    with using(i18n.language(language)):
        register = load_register(SAMPLE, today=TODAY)
        for metric in register.metrics:  # worked out now, in the language
            assert register.verdicts[metric.id].headline
    return register


@pytest.fixture(scope="module", params=LANGUAGES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[str, Site]:
    code = request.param
    folder = tmp_path_factory.mktemp(f"board-{code}")
    site = build_site(SAMPLE, folder / "site", language=None if code == "en" else code)
    assert site.returncode == 0, site.output
    return code, site


def board_rows(page: str) -> list[str]:
    """The board table's metric rows, in the order the page shows them."""
    board = page.split('csi-board-table"', 1)[1].split("</table>", 1)[0]
    return [row for row in re.findall(r"<tr>(.*?)</tr>", board, flags=re.S) if "<td" in row]


def test_the_metrics_page_takes_the_whole_width(built: tuple[str, Site]) -> None:
    _, site = built
    page = site.page("/metrics/")
    for side in ("navigation", "toc"):
        assert re.search(rf'data-md-type="{side}" hidden', page), side
    for address in ("/register/CSI-0001/", "/metrics/FCR/"):  # FCR shares the folder
        assert not re.search(r'data-md-type="navigation" hidden', site.page(address)), \
            f"{address} keeps its navigation"


def test_the_board_and_the_grid_stay_out_of_search(built: tuple[str, Site]) -> None:
    """Each metric's own page is indexed; the board of them all is not (as the register's
    table is not): with hundreds of metrics it passed Zensical's search index limit."""
    _, site = built
    page = site.page("/metrics/")
    assert re.search(r'class="[^"]*csi-board-table"[^>]*data-search-exclude>', page)
    assert re.search(r'class="csi-table csi-grid"[^>]*data-search-exclude>', page)
    # So do the tables of metrics on other pages (the objectives, the measurement step).
    nine = r'(?:<th scope="col">[^<]+</th>){9}</tr>'  # a table of metrics has nine columns
    tables = re.findall(r'<div class="csi-table[^"]*"[^>]*>\s*<table>\s*<thead><tr>' + nine,
                        site.page("/objectives/"))
    assert tables and all("data-search-exclude" in found for found in tables)


def test_the_board_lists_metrics_that_need_attention_first(built: tuple[str, Site]) -> None:
    code, site = built
    register = sample(code)
    rows = board_rows(site.page("/metrics/"))
    shown = [re.search(r'href="([^"]+)/"', row).group(1).rsplit("/", 1)[-1] for row in rows]
    ranks = [register.attention[m] for m in shown]
    assert sorted(shown) == sorted(m.id for m in register.metrics)
    assert ranks == sorted(ranks), "most urgent first"
    assert ranks[0] < NEEDS_ATTENTION <= ranks[-1], "the sample has both kinds"
    for metric_id, row in zip(shown, rows):
        metric, found = register.metric[metric_id], register.verdicts[metric_id]
        words = text(row)
        assert text(html.escape(found.headline)) in words, metric_id
        assert metric.name in words
        assert found.latest is not None and found.latest.date.isoformat() in words
        assert metric.target is None or str(metric.target.date) in words


def test_the_board_groups_are_headed_with_their_counts(built: tuple[str, Site]) -> None:
    code, site = built
    register = sample(code)
    page = site.page("/metrics/")
    board = page.split('csi-board-table"', 1)[1].split("</table>", 1)[0]
    groups = re.findall(r'<tr class="csi-group"><th scope="rowgroup" colspan="6">([^<]+)</th>',
                        board)
    ranks = [register.attention[m.id] for m in register.metrics]
    unjudged = ATTENTION_ORDER.index("no target")
    expected = [sum(r < NEEDS_ATTENTION for r in ranks),
                sum(NEEDS_ATTENTION <= r < unjudged for r in ranks),
                sum(r >= unjudged for r in ranks)]
    assert [int(g.rsplit(" ", 1)[1]) for g in groups] == [n for n in expected if n]
    if code == "en":
        assert groups[0].startswith("Needs attention: ")
    assert ATTENTION_ORDER[:NEEDS_ATTENTION] == ("special cause: concern", "off track",
                                                 "at risk", "late")


def test_a_failing_metric_needs_attention_and_a_passing_one_is_on_course(tmp_path: Path) -> None:
    """Negative control: a metric that consistently passes is not among those that need
    attention; one that consistently fails is."""
    from csi_macros.testing import metric, organisation, snapshot, write_register
    # up to November 2026: not late at the build date
    days = [dt.date(2025, 10, 1) + dt.timedelta(days=31 * i) for i in range(14)]
    root = write_register(
        tmp_path / "register", register=organisation(objectives=[{"id": "OBJ-1", "title": "Fast", "metrics": ["FAST"]}]),
        metrics=[metric("FAST", unit="%", direction="higher_is_better",
                        baseline={"date": "2025-09-01", "value": 90},
                        target={"value": 50, "date": "2027-12-31"}),
                 metric("SLOW", unit="%", direction="higher_is_better",
                        baseline={"date": "2025-09-01", "value": 40},
                        target={"value": 80, "date": "2027-12-31"})],
        snapshots=[snapshot(day.isoformat(), FAST=90 + i % 3, SLOW=40 + i % 3)
                   for i, day in enumerate(days)])
    site = build_site(root, tmp_path / "site")
    assert site.returncode == 0, site.output
    rows = board_rows(site.page("/metrics/"))
    page = text(site.page("/metrics/"))
    assert "Needs attention: 1" in page and "On course: 1" in page
    assert "SLOW" in rows[0] and "off track" in rows[0] and "FAST" in rows[1]


def grid_of(page: str) -> dict[tuple[str, str], list[str]]:
    """The summary grid: (variation, assurance) → the metric ids in that cell."""
    grid = page.split('class="csi-table csi-grid"', 1)[1].split("</table>", 1)[0]
    head, body = grid.split("<tbody>", 1)
    columns = [text(th) for th in re.findall(r'<th scope="col">(.*?)</th>', head, flags=re.S)][1:]
    cells: dict[tuple[str, str], list[str]] = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        variation = text(re.search(r'<th scope="row">(.*?)</th>', row, flags=re.S).group(1))
        tds = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        names = columns if len(tds) == len(columns) else [variation]
        for column, td in zip(names, tds):
            cells[(variation, column)] = re.findall(r'href="\.\./metrics/([^/"]+)/"', td)
    return cells


def test_the_summary_grid_places_each_metric_in_its_cell(built: tuple[str, Site]) -> None:
    code, site = built
    register = sample(code)
    cells = grid_of(site.page("/metrics/"))
    with using(i18n.language(code)):
        variation, assurance = words.variation, words.assurance
        unread = _("no limits yet")
        assert [v for v, _a in cells][:1] == [variation("special cause: improvement")]
        assert [a for _v, a in cells][:4] == [assurance(a) for a in (
            "consistently passes", "hit and miss", "consistently fails", "no target")]
        expected = {m.id: (unread, unread) if register.behaviour[m.id].variation ==
                    "too few points" else (variation(register.behaviour[m.id].variation),
                                           assurance(register.behaviour[m.id].assurance))
                    for m in register.metrics}
    placed = {m: cell for cell, ids in cells.items() for m in ids}
    assert sum(len(ids) for ids in cells.values()) == len(register.metrics), "each metric once"
    assert placed == expected


def metric_rows(page: str) -> dict[str, str]:
    """Each row of the page's tables of metrics (a cell with the metric's name and
    headline), by metric id."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page, flags=re.S):
        found = re.search(r'href="[./]*metrics/([^/"]+)/"[^>]*>[^<]+</a></td>', row)
        if found and "csi-headline" in row:
            rows[found.group(1)] = text(row)
    return rows


@pytest.mark.parametrize("address", ["/objectives/", "/playbook/measurement/"])
def test_every_table_of_metrics_carries_the_headline(built: tuple[str, Site], address: str) -> None:
    code, site = built
    register = sample(code)
    rows = metric_rows(site.page(address))
    assert rows, address
    for metric_id, row in rows.items():
        assert text(html.escape(register.verdicts[metric_id].headline)) in row, (code, metric_id)
    if code != "en":
        english = sample("en")
        some = next(iter(rows))
        assert english.verdicts[some].headline not in rows[some], "in the site's language"
