"""The "Bringing your register in" page: its example workbook and mappings work as shown,
and an imported record's former id is on its page and in the search index."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from csi_macros import load_register
from csi_macros.imports import ImportRefused, ImprovementOptions, import_improvements
from sitebuild import SHIPPED, build_site
from test_import import EPOCH, PROJECT, TODAY, csv_file, sample_copy, tree

EXAMPLES = SHIPPED / "examples"
WORKBOOK = EXAMPLES / "csi-register-v3.xlsx"


@pytest.fixture(autouse=True)
def build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def example_script():
    spec = importlib.util.spec_from_file_location("example_workbook",
                                                  PROJECT / "scripts" / "example_workbook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_workbook_is_what_the_script_writes() -> None:
    assert WORKBOOK.read_bytes() == example_script().build(), \
        "run .venv/bin/python scripts/example_workbook.py"


def test_the_example_workbook_imports_cleanly_into_the_sample_register(tmp_path: Path) -> None:
    root = sample_copy(tmp_path)
    before = {imp.id for imp in load_register(root, today=TODAY).improvements}
    result = import_improvements(root, WORKBOOK, ImprovementOptions(objective="OBJ-2"),
                                 today=TODAY)
    assert result.ignored == ["Size", "Timescale", "KPI metrics", "Justification"]
    register = load_register(root, today=TODAY)
    new = [imp for imp in register.improvements if imp.id not in before]
    assert [(imp.extra["former_id"], imp.status, imp.priority, str(imp.raised))
            for imp in new] == [
        ("1", "in_progress", "high", "2026-01-12"), ("2", "proposed", "medium", "2026-02-03"),
        ("3", "implemented", "low", "2026-02-20"), ("4", "closed", "critical", "2026-03-15"),
        ("5", "deferred", "low", "2026-04-02"), ("6", "rejected", "medium", "2026-04-09")]
    assert new[0].title == "Password resets through a self-service portal"
    assert str(new[3].closed) == "2026-05-15" and new[3].outcome.startswith("One bridge number")
    assert [(str(e.date), e.status) for e in new[2].log] == [("2026-06-26", "implemented")]
    # The same workbook again finds every row by its former id and changes nothing.
    unchanged = tree(root)
    again = import_improvements(root, WORKBOOK, ImprovementOptions(objective="OBJ-2"),
                                today=TODAY)
    assert (again.changes, again.unchanged, tree(root)) == ([], 6, unchanged)


def test_the_v3_mapping_keeps_the_other_columns(tmp_path: Path) -> None:
    root = sample_copy(tmp_path)
    result = import_improvements(root, WORKBOOK, ImprovementOptions(
        mapping=EXAMPLES / "csi-register-v3-mapping.yml", objective="OBJ-2"), today=TODAY)
    assert result.ignored == []
    first = load_register(root, today=TODAY).improvement[result.changes[0].path.name[:8]]
    assert (first.effort, first.extra) == (3, {
        "timescale": "Short term", "kpi_metrics": "Calls per month; first-contact resolution",
        "justification": "Quick win with a clear saving", "former_id": "1"})


SERVICENOW = """\
Number,Short description,Description,Opened,Opened by,Assigned to,State,Priority,\
Planned end date,Actual end date,Business value,Effort,Assignment group,Configuration item,\
Close notes,Work notes
CIM0001001,Automate the monthly figures extract,"The extract takes two days.
We copy figures by hand.",2026-03-02 09:14:55,Sian Morgan,Dev Patel,Work in progress,2 - High,\
2026-12-31 17:00:00,,High,Medium,Service Desk,ServiceNow,,"2026-03-05: started"
CIM0001002,Retire the old fax gateway,Nobody uses it.,2026-04-10 11:00:00,Owen Hughes,,\
Awaiting approval,4 - Low,,,Low,Small,Network,Fax gateway,,
CIM0001003,Chat for the service desk,Pilot the chat channel.,2026-02-01 08:00:00,Sian Morgan,\
Priya Venkat,Closed skipped,3 - Moderate,,2026-06-30 12:00:00,,,Service Desk,,\
Superseded by the portal.,
"""


def test_the_servicenow_mapping_reads_a_servicenow_export(tmp_path: Path) -> None:
    root = sample_copy(tmp_path)
    sheet = csv_file(tmp_path / "sn_cim_register.csv", SERVICENOW, bom=True, crlf=True)
    before = {imp.id for imp in load_register(root, today=TODAY).improvements}
    result = import_improvements(root, sheet, ImprovementOptions(
        mapping=EXAMPLES / "servicenow-mapping.yml", objective="OBJ-1"), today=TODAY)
    assert result.ignored == []
    new = {imp.extra["former_id"]: imp for imp in load_register(root, today=TODAY).improvements
           if imp.id not in before}
    first, second, third = new["CIM0001001"], new["CIM0001002"], new["CIM0001003"]
    assert (first.status, first.priority, first.value, first.effort, str(first.raised),
            str(first.target_date), first.services, first.extra["assignment_group"]) == (
        "in_progress", "high", 4, 3, "2026-03-02", "2026-12-31", ("ServiceNow",), "Service Desk")
    assert first.description == "The extract takes two days.\nWe copy figures by hand.\n"
    assert (second.status, second.priority, second.owner) == ("proposed", "low", None)
    assert (third.status, str(third.closed), third.outcome) == (
        "rejected", "2026-06-30", "Superseded by the portal.")


def test_the_page_shows_the_mapping_files_as_shipped() -> None:
    page = (SHIPPED / "importing.md").read_text(encoding="utf-8")
    for name in ("csi-register-v3-mapping.yml", "servicenow-mapping.yml"):
        assert (EXAMPLES / name).read_text(encoding="utf-8") in page
        assert f"(examples/{name})" in page
    assert "(examples/csi-register-v3.xlsx)" in page
    from csi_macros.site.navigation import register_nav
    help_section = next(entry["Help"] for entry in register_nav() if "Help" in entry)
    assert "importing.md" in help_section


@pytest.mark.build
def test_a_former_id_is_on_the_record_page_and_in_search(tmp_path: Path) -> None:
    root = sample_copy(tmp_path)
    sheet = csv_file(tmp_path / "sn.csv", SERVICENOW)
    result = import_improvements(root, sheet, ImprovementOptions(
        mapping=EXAMPLES / "servicenow-mapping.yml", objective="OBJ-1"), today=TODAY)
    new_id = result.changes[0].path.name[:8]
    unchanged = tree(root)
    site = build_site(root, tmp_path / "site")
    assert site.returncode == 0, site.output
    assert tree(root) == unchanged
    page = site.page(f"/register/{new_id}/")
    assert '<tr><th scope="row">Former id</th><td>CIM0001001</td></tr>' in page
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = [doc["location"] for doc in index["docs"] if "CIM0001001" in doc["text"]]
    assert any(location.startswith(f"register/{new_id}/") for location in found)
    # The help page links the example workbook, which the site serves.
    assert 'href="../examples/csi-register-v3.xlsx"' in site.page("/importing/")
    assert (site.root / "examples" / "csi-register-v3.xlsx").read_bytes() == WORKBOOK.read_bytes()


def test_every_header_the_page_lists_is_recognised() -> None:
    from csi_macros.imports.vocabulary import IMPROVEMENT_HEADERS, normal
    page = (SHIPPED / "importing.md").read_text(encoding="utf-8")
    table = page.split("| register key | headers |\n|---|---|\n", 1)[1].split("\n\n", 1)[0]
    rows = [line.strip("|").split("|") for line in table.splitlines()]
    assert len(rows) == 12
    for key, headers in rows:
        for header in headers.split(","):
            assert IMPROVEMENT_HEADERS[normal(header.strip())] == key.strip(" `"), header


def test_a_mapping_added_later_only_adds_lines(tmp_path: Path) -> None:
    root = sample_copy(tmp_path)
    import_improvements(root, WORKBOOK, ImprovementOptions(objective="OBJ-2"), today=TODAY)
    before = tree(root)
    result = import_improvements(root, WORKBOOK, ImprovementOptions(
        mapping=EXAMPLES / "csi-register-v3-mapping.yml", objective="OBJ-2"), today=TODAY)
    assert len(result.changes) == 6
    after = tree(root)
    for name, data in after.items():
        old, new = before[name].decode().splitlines(), data.decode().splitlines()
        assert [line for line in old if line not in new] == [], name  # nothing removed
    first = load_register(root, today=TODAY).improvement[result.changes[0].path.name[:8]]
    assert (first.effort, first.extra["timescale"]) == (3, "Short term")


def page_table(after: str) -> list[list[str]]:
    """The Markdown table that follows `after` on the page, as rows of cells."""
    page = (SHIPPED / "importing.md").read_text(encoding="utf-8")
    table = page.split(after, 1)[1].split("\n\n", 2)[1]
    return [[cell.strip() for cell in line.strip("|").split("|")]
            for line in table.splitlines() if not line.startswith("|---")]


@pytest.mark.parametrize("layout", ["**Long**", "**Wide**"])
def test_the_page_s_snapshot_tables_read_as_the_sample_register_s_figures(
        tmp_path: Path, layout: str) -> None:
    import openpyxl

    from csi_macros.imports import SnapshotOptions, import_snapshots
    root = sample_copy(tmp_path)
    rows = page_table(layout)
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(tmp_path / "figures.xlsx")
    before = tree(root)
    result = import_snapshots(root, tmp_path / "figures.xlsx", SnapshotOptions(), today=TODAY)
    assert (result.changes, result.ignored) == ([], []) and tree(root) == before
    assert result.unchanged == len({row[0] for row in rows[1:]}), "each date read, all known"
    # A figure the register does not hold yet is a conflict, not a silent change.
    rows[1][-2 if layout == "**Long**" else 1] = "9.9"
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(tmp_path / "changed.xlsx")
    with pytest.raises(ImportRefused):
        import_snapshots(root, tmp_path / "changed.xlsx", SnapshotOptions(), today=TODAY)
