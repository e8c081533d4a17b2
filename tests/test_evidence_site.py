"""Evidence where people look, on a built site: the one line in an improvement's summary
box, the register table's evidence column (sorted and filtered like the others) and the
exports' `strongest_evidence`."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest

from csi_macros.readings.evidence import EVIDENCE_STRENGTH, Evidence, strongest_evidence
from csi_macros.testing import improvement
from sitebuild import Site, build_site
from test_behaviour_site import LIVE, quicker_happier

pytestmark = pytest.mark.build



def text(fragment: str) -> str:
    """The words a sighted reader sees (a badge's meaning for screen readers left out)."""
    fragment = re.sub(r'<span class="csi-sr">[^<]*</span>', "", fragment)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """CSI-0001 moved WAIT for the better and HAPPY for the worse; CSI-0002 moved WAIT
    only; CSI-0003 is not implemented; CSI-0004 names no metric."""
    folder = tmp_path_factory.mktemp("evidence")
    root = quicker_happier(folder / "register", [
        improvement("CSI-0001", status="implemented", metrics=["WAIT", "HAPPY"], log=LIVE),
        improvement("CSI-0002", status="implemented", metrics=["WAIT"], log=LIVE),
        improvement("CSI-0003", metrics=["WAIT"]),
        improvement("CSI-0004")])
    site = build_site(root, folder / "site")
    assert site.returncode == 0, site.output
    return site


def summary_box(page: str) -> str:
    """The top of an improvement's page, up to its fields table."""
    return page.split("<article", 1)[1].split('class="csi-table csi-fields"', 1)[0]


def test_strongest_evidence_orders_signals_first_and_concern_over_improvement() -> None:
    found = [Evidence("CSI-1", m, signal, None) for m, signal in
             (("A", "too early to tell"), ("B", "signal of improvement"),
              ("C", "signal of concern"), ("D", "signal of improvement"))]
    assert strongest_evidence(found) == ("signal of concern", 1)
    assert strongest_evidence(found[:2] + found[3:]) == ("signal of improvement", 2)
    assert strongest_evidence(found[:1]) == ("too early to tell", 1)
    assert strongest_evidence([]) is None
    assert EVIDENCE_STRENGTH[-1] == "not implemented yet"


def test_the_summary_box_says_whether_it_moved_its_metrics(built: Site) -> None:
    expected = {"CSI-0001": "Did it move its metrics? signal of concern for 1 of its 2 metrics",
                "CSI-0002": "Did it move its metrics? signal of improvement for 1 of its 1 metric",
                "CSI-0003": "Did it move its metrics? not implemented yet for 1 of its 1 metric"}
    for id, line in expected.items():
        box = summary_box(built.page(f"/register/{id}/"))
        moved = re.search(r'<p class="csi-moved">(.*?)</p>', box, flags=re.S)
        assert moved is not None, id
        assert text(moved.group(1)).startswith(line), (id, text(moved.group(1)))
        assert '<a href="#evidence">' in moved.group(1)
        assert 'id="evidence"' in built.page(f"/register/{id}/"), "the link lands"
    assert 'class="csi-moved"' not in built.page("/register/CSI-0004/"), "no metric, no line"


def register_rows(page: str) -> dict[str, tuple[str, str, str]]:
    """Each row of the register table: (data-evidence, the evidence cell's sort key, its
    words), by id."""
    rows = {}
    for attrs, cells in re.findall(r"<tr (data-status=[^>]*)>(.*?)</tr>", page, flags=re.S):
        id = re.search(r">(CSI-\d+)</a>", cells).group(1)
        last = re.findall(r"<td([^>]*)>(.*?)</td>", cells, flags=re.S)[-1]
        sort = re.search(r'data-sort="([^"]*)"', last[0])
        rows[id] = (re.search(r'data-evidence="([^"]*)"', attrs).group(1),
                    sort.group(1) if sort else "", text(last[1]))
    return rows


def test_the_register_table_has_an_evidence_column(built: Site) -> None:
    page = built.page("/register/")
    headers = re.findall(r'<th scope="col" data-sort-type="(\w+)"[^>]*>([^<]+)', page)
    assert headers[-1] == ("number", "Evidence")
    rows = register_rows(page)
    assert rows["CSI-0001"] == ("signal-of-concern", "0", "signal of concern")
    assert rows["CSI-0002"] == ("signal-of-improvement", "1", "signal of improvement")
    # v1.3: "already changing" stands between the signals and no signal, so 6, not 5.
    assert rows["CSI-0003"] == ("not-implemented-yet", "6", "not implemented yet")
    assert rows["CSI-0004"] == ("none", "", "—")
    boxes = re.findall(r'<input type="checkbox" name="evidence" value="([^"]+)" checked>', page)
    assert boxes == [e.replace(" ", "-") for e in EVIDENCE_STRENGTH] + ["none"]


def test_the_exports_carry_the_strongest_evidence(built: Site) -> None:
    records = {r["id"]: r for r in json.loads(built.page("/register.json"))}
    assert records["CSI-0001"]["strongest_evidence"] == "signal of concern"
    assert records["CSI-0002"]["strongest_evidence"] == "signal of improvement"
    assert records["CSI-0004"]["strongest_evidence"] is None
    table = list(csv.DictReader(io.StringIO(built.page("/register.csv").lstrip("\ufeff"))))
    by_id = {row["id"]: row for row in table}
    assert by_id["CSI-0003"]["strongest_evidence"] == "not implemented yet"
    assert by_id["CSI-0004"]["strongest_evidence"] == ""


def test_the_spreadsheet_carries_the_strongest_evidence(built: Site, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from csi_macros.readings.facts import load_register
    from csi_macros.readings.spreadsheet import to_xlsx
    root = built.root.parent / "register"
    (tmp_path / "r.xlsx").write_bytes(to_xlsx(load_register(root)))
    sheet = load_workbook(tmp_path / "r.xlsx").active
    header = [c.value for c in sheet[1]]
    column = header.index("strongest_evidence")
    values = {row[0].value: row[column].value for row in sheet.iter_rows(min_row=2)}
    assert values["CSI-0001"] == "signal of concern" and values["CSI-0004"] is None


@pytest.mark.browser
def test_the_evidence_column_sorts_and_filters(built: Site) -> None:
    from browser_harness import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve
    require_chromium()
    from playwright.sync_api import sync_playwright
    server = serve(built.root)
    url = next(server)
    ids = ("#csi-register-table tbody tr:not([hidden]) td:first-child a",
           "links => links.map(a => a.textContent)")
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = chromium.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url + "/register/")
            column = page.locator("#csi-register-table th", has_text="Evidence")
            column.locator("button").click()
            assert page.eval_on_selector_all(*ids) == ["CSI-0001", "CSI-0002", "CSI-0003",
                                                       "CSI-0004"]
            column.locator("button").click()
            assert page.eval_on_selector_all(*ids) == ["CSI-0003", "CSI-0002", "CSI-0001",
                                                       "CSI-0004"], "empty cells last"
            page.uncheck("input[name=evidence][value=none]")
            page.uncheck("input[name=evidence][value=not-implemented-yet]")
            assert sorted(page.eval_on_selector_all(*ids)) == ["CSI-0001", "CSI-0002"]
            assert "evidence=signal-of-concern,signal-of-improvement," in page.url
            page.goto(url + "/register/?evidence=signal-of-improvement")
            assert page.eval_on_selector_all(*ids) == ["CSI-0002"]
            assert page.inner_text("[data-csi-count]") == "Showing 1 of 4 improvements."
            chromium.close()
    finally:
        server.close()


def test_an_improvement_not_implemented_yet_counts_no_values_before_or_after(built: Site) -> None:
    def cells(id: str) -> list[str]:
        section = built.page(f"/register/{id}/").split('id="evidence"', 1)[1]
        row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", section, flags=re.S).group(1)
        return [text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
    assert cells("CSI-0003")[3:5] == ["—", "—"], "no date: nothing before or after it"
    assert all("value" in cell for cell in cells("CSI-0002")[3:5]), "negative control"
