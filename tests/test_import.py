"""csi import improvements: sheets as people keep them become valid improvement files.

Every sheet here is a real .xlsx (written with openpyxl) or CSV file; every check reads
the register back with the loader, or compares the files' bytes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path
from typing import Any, Iterable

import openpyxl
import pytest

from csi_macros import load_register
from csi_macros.cli import main
from csi_macros.imports import ImportRefused, ImprovementOptions, import_improvements
from csi_macros.testing import improvement, write_register

PROJECT = Path(__file__).resolve().parent.parent
EPOCH = "1795564800"  # 2026-11-25 00:00 UTC
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


# --- Helpers -----------------------------------------------------------------------------------

def xlsx(path: Path, rows: Iterable[Iterable[Any]], *,
         formats: dict[tuple[int, int], str] | None = None) -> Path:
    """A workbook whose first sheet holds `rows` (the first is the header); `formats`
    sets number formats by (row, column), both counted from 1."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for (row, column), number_format in (formats or {}).items():
        sheet.cell(row, column).number_format = number_format
    workbook.save(path)
    return path


def csv_file(path: Path, text: str, *, bom: bool = False, crlf: bool = False,
             encoding: str = "utf-8") -> Path:
    data = text.replace("\n", "\r\n") if crlf else text
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode(encoding))
    return path


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def sample_copy(tmp_path: Path) -> Path:
    """A copy of the project's sample register."""
    return Path(shutil.copytree(PROJECT / "register", tmp_path / "register"))


def register(tmp_path: Path, improvements: list[Any] | dict[str, Any] = (), **files: Any) -> Path:
    return write_register(tmp_path / "register", improvements=improvements if isinstance(
        improvements, dict) else list(improvements), **files)


def run_import(root: Path, file: Path, **options: Any):
    return import_improvements(root, file, ImprovementOptions(**options), today=TODAY)


def refused(root: Path, file: Path, **options: Any) -> list[str]:
    """The problems of an import that must be refused; checks nothing was written."""
    before = tree(root)
    with pytest.raises(ImportRefused) as caught:
        run_import(root, file, **options)
    assert tree(root) == before, "a refused import writes nothing"
    return [str(p) for p in caught.value.problems]


def new_records(root: Path, before: Iterable[str] = ()) -> dict[str, Any]:
    """The improvements the register holds now that it did not hold `before`."""
    loaded = load_register(root, today=TODAY)
    return {imp.id: imp for imp in loaded.improvements if imp.id not in set(before)}


MINIMAL = ["ID", "Title", "Description", "Date raised", "Status", "Priority", "Owner"]


# --- Headers -----------------------------------------------------------------------------------

def test_common_headers_are_recognised_whatever_their_case_and_spacing(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = csv_file(tmp_path / "list.csv", (
        "  REF , Short_Description,Details,date-raised,Requested by,Assigned To,STATE,"
        "Priority,Due Date,Expected benefits,Resolution\n"
        "OPS-7,Faster restores,Restores take too long.,2026-03-01,Service desk,Sam,"
        "WIP,High,2027-01-31,Two hours saved a week,\n"))
    run_import(root, sheet, objective="OBJ-1")
    imp = new_records(root)["OPS-7"]
    assert (imp.title, imp.description, imp.raised, imp.raised_by, imp.owner, imp.status,
            imp.priority, imp.target_date, imp.benefits) == (
        "Faster restores", "Restores take too long.", dt.date(2026, 3, 1), "Service desk",
        "Sam", "in_progress", "high", dt.date(2027, 1, 31), "Two hours saved a week")


def test_columns_nobody_maps_are_listed_as_ignored(tmp_path: Path, capsys) -> None:
    root = register(tmp_path)
    sheet = xlsx(tmp_path / "list.xlsx", [
        [*MINIMAL, "Size", "Cost centre", None],
        ["OPS-1", "A", "B", dt.datetime(2026, 1, 5), "Identified", "Low", None, "Small", "IT-4",
         "stray note"]])
    assert main(["import", "improvements", str(sheet), "--register", str(root)]) == 0
    out = capsys.readouterr().out
    assert 'ignored columns (map them with --mapping to import them): "Size", "Cost centre", ' \
           '"column J (no header)"' in out
    assert "OPS-1" in new_records(root)


def test_two_columns_for_one_key_are_refused(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = csv_file(tmp_path / "list.csv", "Title,Summary,Description,Raised,Status,Priority\n"
                                            "a,b,c,2026-01-01,New,Low\n")
    assert refused(root, sheet) == [
        f'{sheet.as_posix()}:1: columns "Title" and "Summary" both give title; map one of them '
        "to ignore (or to another key) in a mapping file"]


def test_a_title_line_above_the_header_is_skipped(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = xlsx(tmp_path / "list.xlsx", [
        ["Northwind CSI register, exported 1 November"], [],
        MINIMAL, ["OPS-1", "A", "B", "2026-01-05", "New", "Low", None],
        ["OPS-2", "C", "D", "2026-01-06", "Open", "Low", None]])
    assert refused(root, sheet)[0].startswith(f"{sheet.as_posix()}:5: ")


# --- Values -------------------------------------------------------------------------------------

STATUS_CASES = {
    "New": "proposed", "Draft": "proposed", "Idea": "proposed", "Identified": "proposed",
    "Accepted": "approved", "Planned": "approved", "In progress": "in_progress",
    "WIP": "in_progress", "Work in Progress": "in_progress", "Active": "in_progress",
    "Started": "in_progress",
    "Complete": "implemented", "Completed": "implemented", "Done": "implemented",
    "Delivered": "implemented", "Closed complete": "closed", "Cancelled": "rejected",
    "Canceled": "rejected", "Withdrawn": "rejected", "Closed incomplete": "rejected",
    "On hold": "deferred", "Parked": "deferred", "Postponed": "deferred",
    "in_progress": "in_progress", "IN-PROGRESS": "in_progress", "closed": "closed",
}


def test_statuses_as_people_write_them(tmp_path: Path) -> None:
    root = register(tmp_path)
    rows = [[*MINIMAL, "Date complete", "Outcome"]]
    for number, word in enumerate(STATUS_CASES, start=1):
        rows.append([f"OPS-{number}", word, "d", "2026-01-05", word, "Low", "Sam",
                     "2026-02-01", "What happened."])
    run_import(root, xlsx(tmp_path / "list.xlsx", rows), objective="OBJ-1")
    records = new_records(root)
    got = {records[f"OPS-{n}"].title: records[f"OPS-{n}"].status
           for n in range(1, len(STATUS_CASES) + 1)}
    assert got == STATUS_CASES


@pytest.mark.parametrize("written, meant", [
    ("Critical", "critical"), ("HIGH", "high"), ("Medium", "medium"), ("Moderate", "medium"),
    ("low", "low"), ("Planning", "low"), ("1 - Critical", "critical"), ("2 - High", "high"),
    ("3 - Moderate", "medium"), ("4 - Low", "low"), ("5 - Planning", "low")])
def test_priorities_incl_servicenow_ranks(tmp_path: Path, written: str, meant: str) -> None:
    root = register(tmp_path)
    run_import(root, xlsx(tmp_path / "list.xlsx", [
        MINIMAL, ["OPS-1", "t", "d", "2026-01-05", "New", written, None]]))
    assert new_records(root)["OPS-1"].priority == meant


def test_unknown_values_are_refused_with_the_distinct_values_and_a_mapping(
        tmp_path: Path, capsys) -> None:
    root = register(tmp_path)
    sheet = xlsx(tmp_path / "list.xlsx", [
        [*MINIMAL[:4], "State", "Priority", "Owner"],
        ["OPS-1", "a", "d", "2026-01-05", "Open", "Low", None],
        ["OPS-2", "b", "d", "2026-01-05", "Open", "Urgent", None],
        ["OPS-3", "c", "d", "2026-01-05", "Awaiting CAB", "High", None]])
    name = sheet.as_posix()
    assert main(["import", "improvements", str(sheet), "--register", str(root)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[:4] == [
        f"{name}:2: column \"State\": unknown status 'Open'",
        f"{name}:3: column \"Priority\": unknown priority 'Urgent'",
        f"{name}:3: column \"State\": unknown status 'Open'",
        f"{name}:4: column \"State\": unknown status 'Awaiting CAB'"]
    assert "  status:                # State: one of proposed, approved, in_progress, " \
           "implemented, closed, rejected, deferred\n" \
           '    "Open": \n    "Awaiting CAB": \n  priority:' in err
    assert err.count('"Open"') == 1, "each distinct value once"
    assert err.rstrip().endswith("4 problems; nothing was written")
    # The mapping the message suggests, filled in, settles them.
    mapping = tmp_path / "mapping.yml"
    mapping.write_text('values:\n  status:\n    "Open": proposed\n    "Awaiting CAB": proposed\n'
                       '  priority:\n    Urgent: critical\n', encoding="utf-8")
    run_import(root, sheet, mapping=mapping, objective="OBJ-1")
    records = new_records(root)
    assert [(records[i].status, records[i].priority) for i in ("OPS-1", "OPS-2", "OPS-3")] == \
        [("proposed", "low"), ("proposed", "critical"), ("proposed", "high")]


def test_dates_excel_iso_and_day_first(tmp_path: Path) -> None:
    root = register(tmp_path)
    rows = [[*MINIMAL, "Due date"],
            ["OPS-1", "a", "d", dt.datetime(2026, 4, 15), "New", "Low", None,
             dt.datetime(2027, 1, 2, 0, 0)],
            ["OPS-2", "b", "d", "2026-04-15", "New", "Low", None, "2027-01-02 17:30:00"],
            ["OPS-3", "c", "d", "15/04/2026", "New", "Low", None, "02/01/2027"],
            ["OPS-4", "d", "d", "15.04.2026", "New", "Low", None, "2.1.2027"],
            ["OPS-5", "e", "d", "15 Apr 2026", "New", "Low", None, "2 January 2027"]]
    sheet = xlsx(tmp_path / "list.xlsx", rows, formats={(2, 4): "dd/mm/yyyy"})
    run_import(root, sheet)
    records = new_records(root)
    assert {(imp.raised, imp.target_date) for imp in records.values()} == \
        {(dt.date(2026, 4, 15), dt.date(2027, 1, 2))}
    assert len(records) == 5


def test_month_first_dates_for_us_files(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = csv_file(tmp_path / "us.csv", ",".join(MINIMAL) + "\nOPS-1,a,d,04/15/2026,New,Low,\n")
    assert refused(root, sheet) == [
        f"{sheet.as_posix()}:2: column \"Date raised\": '04/15/2026' is not a real date, read "
        "day first: 15/04/2026 (for month-first US dates use --month-first)"]
    run_import(root, sheet, month_first=True)
    assert new_records(root)["OPS-1"].raised == dt.date(2026, 4, 15)


def test_lists_objectives_by_title_and_principles_by_name(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = xlsx(tmp_path / "list.xlsx", [
        [*MINIMAL, "Objectives", "Guiding principles", "Services", "Tags"],
        ["OPS-1", "a", "d", "2026-01-05", "Accepted", "Low", "Sam", "faster restores",
         "Focus on value; keep-it-simple-and-practical", "Email, Calendar", "quick-win"]])
    run_import(root, sheet)
    imp = new_records(root)["OPS-1"]
    assert (imp.objectives, imp.principles, imp.services, imp.tags) == (
        ("OBJ-1",), ("focus-on-value", "keep-it-simple-and-practical"), ("Email", "Calendar"),
        ("quick-win",))


def test_unknown_objective_gets_a_close_match(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = xlsx(tmp_path / "list.xlsx", [
        [*MINIMAL, "Objective"], ["OPS-1", "a", "d", "2026-01-05", "Accepted", "Low", "Sam",
                                  "OBJ-l"]])
    assert refused(root, sheet) == [f"{sheet.as_posix()}:2: column \"Objective\": unknown "
                                    "objective 'OBJ-l'; did you mean OBJ-1?"]


# --- Ids ------------------------------------------------------------------------------------

def test_fitting_ids_are_kept_and_others_get_the_next_free_ones(tmp_path: Path) -> None:
    root = register(tmp_path, [improvement("CSI-0001"), improvement("CSI-0002")])
    sheet = xlsx(tmp_path / "list.xlsx", [
        [*MINIMAL, "Related"],
        ["CSI-0010", "kept", "d", "2026-01-05", "New", "Low", None, "PRB0040012"],
        ["PRB0040012", "renumbered", "d", "2026-01-05", "New", "Low", None, None],
        [17, "a number", "d", "2026-01-05", "New", "Low", None, None],
        [None, "no id", "d", "2026-01-05", "New", "Low", None, None]])
    result = run_import(root, sheet)
    records = new_records(root, ["CSI-0001", "CSI-0002"])
    assert {i: (r.title, r.extra.get("former_id")) for i, r in records.items()} == {
        "CSI-0010": ("kept", None), "CSI-0011": ("renumbered", "PRB0040012"),
        "CSI-0012": ("a number", "17"), "CSI-0013": ("no id", None)}
    assert records["CSI-0010"].related == ("CSI-0011",), "related follows the renumbering"
    assert [c.summary for c in result.changes] == ["row 2", "row 3, was PRB0040012",
                                                   "row 4, was 17", "row 5"]
    # The same sheet again finds the records by their former ids: nothing new.
    again = run_import(root, sheet)
    assert [c.summary for c in again.changes] == ["row 5"], "only the row without an id"


def test_duplicate_ids_in_the_sheet_are_refused(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = xlsx(tmp_path / "list.xlsx", [
        MINIMAL, ["OPS-1", "a", "d", "2026-01-05", "New", "Low", None],
        ["ops-1", "b", "d", "2026-01-05", "New", "Low", None]])
    assert refused(root, sheet) == [
        f"{sheet.as_posix()}:3: id OPS-1 is also on row 2; an id must be unique"]


# --- What a row needs ------------------------------------------------------------------------

def test_rows_missing_what_they_need_are_refused_with_the_reason(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = xlsx(tmp_path / "list.xlsx", [
        ["Title", "Description", "Status", "Priority", "Owner"],
        ["a", "d", "New", "Low", None],
        ["b", "d", "In progress", "Low", None]])
    name = sheet.as_posix()
    assert refused(root, sheet) == [
        f"{name}:2: cannot create CSI-0001: needs a raised date (the sheet has no raised "
        "column)",
        f"{name}:3: cannot create CSI-0002: needs a raised date (the sheet has no raised "
        "column); status in_progress needs an owner (column \"Owner\" is empty); status "
        "in_progress needs an objective (the sheet has no objectives column; give a default "
        "with --objective, one of OBJ-1)"]


def test_objective_default_goes_to_rows_that_need_one(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = xlsx(tmp_path / "list.xlsx", [
        MINIMAL, ["OPS-1", "a", "d", "2026-01-05", "New", "Low", None],
        ["OPS-2", "b", "d", "2026-01-05", "Accepted", "Low", "Sam"]])
    run_import(root, sheet, objective="OBJ-1")
    records = new_records(root)
    assert (records["OPS-1"].objectives, records["OPS-2"].objectives) == ((), ("OBJ-1",))


def test_a_title_comes_from_the_description_when_the_sheet_has_none(tmp_path: Path) -> None:
    root = register(tmp_path)
    long = "Replace " + "the very old ward wifi access points " * 5
    sheet = xlsx(tmp_path / "list.xlsx", [
        ["ID", "Description", "Date raised", "Status", "Priority"],
        [1, "Self-service password reset\n\nAbout 900 calls a month.", "2026-01-05", "New",
         "Low"], [2, long, "2026-01-05", "New", "Low"]])
    run_import(root, sheet)
    records = new_records(root)
    assert records["CSI-0001"].title == "Self-service password reset"
    assert records["CSI-0001"].description == "Self-service password reset\n\nAbout 900 calls " \
                                              "a month.\n"
    assert len(records["CSI-0002"].title) <= 120 and records["CSI-0002"].title.endswith("…")


def test_an_open_status_keeps_its_completion_date_in_the_log(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = xlsx(tmp_path / "list.xlsx", [
        [*MINIMAL, "Date complete"],
        ["OPS-1", "a", "d", "2026-01-05", "Complete", "Low", "Sam", dt.datetime(2026, 6, 26)]])
    run_import(root, sheet, objective="OBJ-1")
    imp = new_records(root)["OPS-1"]
    assert imp.closed is None
    assert [(e.date, e.status) for e in imp.log] == [(dt.date(2026, 6, 26), "implemented")]


def test_a_row_that_would_make_the_register_invalid_is_refused_at_its_row(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = xlsx(tmp_path / "list.xlsx", [
        MINIMAL, ["OPS-1", "a", "d", "2026-01-05", "New", "Low", None],
        ["OPS-2", "b", "d", "2027-01-05", "New", "Low", None]])
    problems = refused(root, sheet)
    assert len(problems) == 1
    assert problems[0].startswith(f"{sheet.as_posix()}:3: the register would not be valid: ")
    assert "OPS-2-b.yml:5: raised" in problems[0] and "raised" in problems[0] and "future" in problems[0]


def test_all_problems_at_once_and_nothing_written(tmp_path: Path) -> None:
    root = register(tmp_path, [improvement("CSI-0001")])
    sheet = xlsx(tmp_path / "list.xlsx", [
        [*MINIMAL, "Effort"],
        ["OPS-1", "a", "d", "someday", "New", "Low", None, 2],
        ["OPS-2", "b", "d", "2026-01-05", "New", "Low", None, 9],
        ["OPS-3", "c", "d", "2026-01-05", "New", "Low", None, 1]])
    name = sheet.as_posix()
    assert refused(root, sheet) == [
        f"{name}:2: column \"Date raised\": expected a date (YYYY-MM-DD, or day first: "
        "15/04/2026); got 'someday'",
        f"{name}:3: column \"Effort\": expected a whole number from 1 to 5; got 9"]


# --- Mapping files ------------------------------------------------------------------------------

def test_a_mapping_file_maps_columns_values_and_defaults(tmp_path: Path) -> None:
    root = register(tmp_path)
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("""\
columns:
  Ticket: id
  What: title
  Size: effort
  Cost centre: extra.cost_centre
  Notes: ignore
values:
  effort: {Small: 1, Large: 5}
  status: {Awaiting approval: proposed}
defaults:
  priority: medium
  description: Imported from the old tracker.
""", encoding="utf-8")
    sheet = xlsx(tmp_path / "list.xlsx", [
        ["Ticket", "What", "Raised", "Status", "Size", "Cost centre", "Notes"],
        ["OPS-1", "a", "2026-01-05", "Awaiting approval", "Large", "IT-42", "x"]])
    result = run_import(root, sheet, mapping=mapping)
    imp = new_records(root)["OPS-1"]
    assert (imp.status, imp.priority, imp.effort, imp.description, imp.extra) == (
        "proposed", "medium", 5, "Imported from the old tracker.", {"cost_centre": "IT-42"})
    assert result.ignored == []


def test_mapping_file_problems_name_their_lines(tmp_path: Path) -> None:
    root = register(tmp_path)
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("columns:\n  Ticket: idd\nvalue:\n  status: {}\n", encoding="utf-8")
    sheet = xlsx(tmp_path / "list.xlsx", [MINIMAL])
    problems = refused(root, sheet, mapping=mapping)
    shown = mapping.as_posix()
    assert problems[0].startswith(f"{shown}:2: column 'Ticket' maps to 'idd', which is not a key")
    assert problems[1] == f"{shown}:3: unknown section 'value'; a mapping has columns, values, " \
                          "defaults"


# --- Round trips with csi export -------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_an_unchanged_export_imports_without_a_byte_changed(tmp_path: Path, suffix: str) -> None:
    root = sample_copy(tmp_path)
    exported = tmp_path / f"register.{suffix}"
    assert main(["export", "--register", str(root), "-o", str(exported)]) == 0
    before = tree(root)
    result = run_import(root, exported)
    assert result.changes == []
    assert result.unchanged == len(load_register(root, today=TODAY).improvements)
    assert tree(root) == before


def changed_lines(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
    old = before.decode().splitlines(keepends=True)
    new = after.decode().splitlines(keepends=True)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def test_an_edited_export_changes_only_the_edited_lines(tmp_path: Path) -> None:
    root = sample_copy(tmp_path)
    exported = tmp_path / "register.xlsx"
    assert main(["export", "--register", str(root), "-o", str(exported)]) == 0
    workbook = openpyxl.load_workbook(exported)
    sheet = workbook.active
    column = {cell.value: cell.column for cell in sheet[1]}
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    # In Excel: a new owner and a status move, a title, a model answer, a tag list.
    sheet.cell(rows["CSI-0022"], column["owner"]).value = "Nia Jones"
    sheet.cell(rows["CSI-0022"], column["status"]).value = "Accepted"
    sheet.cell(rows["CSI-0002"], column["title"]).value = "Knowledge base clean-up, phase 2"
    sheet.cell(rows["CSI-0004"], column["model.review"]).value = "The drill went well.\nMore."
    sheet.cell(rows["CSI-0004"], column["tags"]).value = "major-incident; on-call; drills"
    edited = tmp_path / "edited.xlsx"
    workbook.save(edited)
    before = tree(root)
    result = run_import(root, edited)
    after = tree(root)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {f"improvements/{p.name}" for p in (root / "improvements").glob(
        "CSI-000[24]-*.yml")} | {f"improvements/{p.name}" for p in
                                 (root / "improvements").glob("CSI-0022-*.yml")}
    assert len(result.changes) == 3 and result.unchanged == len(rows) - 3
    name = next(n for n in changed if "CSI-0022" in n)
    removed, added = changed_lines(before[name], after[name])
    assert removed == ["status: proposed\n"]
    assert added == ["owner: Nia Jones\n", "status: approved\n", "  - date: 2026-11-25\n",
                     '    note: "Status proposed → approved, imported from edited.xlsx (row '
                     f'{rows["CSI-0022"]})."\n', "    status: approved\n"]
    name = next(n for n in changed if "CSI-0002" in n)
    assert changed_lines(before[name], after[name]) == (
        ["title: Clean up and restructure the service desk knowledge base\n"],
        ["title: Knowledge base clean-up, phase 2\n"])
    name = next(n for n in changed if "CSI-0004" in n)
    assert changed_lines(before[name], after[name]) == (
        ["  review:\n", "tags: [major-incident, on-call]\n"],
        ["  review: |\n", "    The drill went well.\n", "    More.\n",
         "tags: [major-incident, on-call, drills]\n"])
    # Imported once, the same sheet again changes nothing more.
    assert run_import(root, edited).changes == []
    load_register(root, today=TODAY)


def test_an_update_refuses_to_rewrite_history(tmp_path: Path) -> None:
    root = sample_copy(tmp_path)
    exported = tmp_path / "register.csv"
    assert main(["export", "--register", str(root), "-o", str(exported)]) == 0
    text = exported.read_text(encoding="utf-8-sig")
    edited = csv_file(tmp_path / "edited.csv", text.replace(
        "Raised from the post-incident review", "Raised after the review"))
    problems = refused(root, edited)
    assert len(problems) == 1 and 'column "log": only entries added at the end of ' \
                                  "CSI-0004's log are imported" in problems[0]


def test_dry_run_prints_what_would_be_created_and_diffs(tmp_path: Path, capsys) -> None:
    root = register(tmp_path, [improvement("CSI-0001", title="Old title")])
    sheet = xlsx(tmp_path / "list.xlsx", [
        MINIMAL, ["CSI-0001", "New title", "Something to improve.", "2026-01-10", "Accepted",
                  "Medium", "Sam Owner"],
        ["PRB1", "Brand new", "d", "2026-01-05", "New", "Low", None]])
    before = tree(root)
    assert main(["import", "improvements", str(sheet), "--register", str(root),
                 "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert tree(root) == before
    shown = (root / "improvements").as_posix()
    assert f"would be updated: {shown}/CSI-0001.yml (row 2: title)" in out
    assert f"would be created: {shown}/CSI-0002-brand-new.yml (row 3, was PRB1)" in out
    assert f"--- a/{shown}/CSI-0001.yml\n+++ b/{shown}/CSI-0001.yml\n" in out
    assert "-title: Old title\n+title: New title\n" in out
    assert f"--- /dev/null\n+++ b/{shown}/CSI-0002-brand-new.yml\n" in out
    assert "+  former_id: PRB1\n" in out
    assert "(a dry run: nothing was written)" in out


def test_import_help_is_something_a_newcomer_can_follow(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = capsys.readouterr().out
    for text in ("csi import improvements register.xlsx --dry-run",
                 "csi import snapshots figures.xlsx", "--month-first", "mapping file",
                 "Bringing your register in"):
        assert text in out
    with pytest.raises(SystemExit):
        main(["import", "improvements", "--help"])
    out = capsys.readouterr().out
    for option in ("--register", "--dry-run", "--mapping", "--objective", "--month-first"):
        assert option in out


# --- Text as it comes ---------------------------------------------------------------------------

def csv_rows(path: Path, rows: list[list[Any]]) -> Path:
    import csv
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def test_any_text_is_written_so_that_it_reads_back(tmp_path: Path) -> None:
    from test_edit import HOSTILE_TEXTS
    root = register(tmp_path)
    texts = [t for t in HOSTILE_TEXTS if t.strip()] + ["two\nlines\n\n  indented\tand tabbed",
                                                       "  starts with spaces\nthen more"]
    rows = [MINIMAL + ["Benefits"]]
    for number, text in enumerate(texts, start=1):
        rows.append([f"OPS-{number}", text, text, "2026-01-05", "New", "Low", text, text])
    run_import(root, csv_rows(tmp_path / "hostile.csv", rows))
    records = new_records(root)
    for number, text in enumerate(texts, start=1):
        imp = records[f"OPS-{number}"]
        one_line = " ".join(text.split())
        lines = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
        lines += "\n" if "\n" in lines else ""
        assert (imp.title, imp.owner, imp.description, imp.benefits) == \
            (one_line, one_line, lines, lines), text


def test_a_list_cell_that_reads_as_the_file_s_list_is_unchanged(tmp_path: Path) -> None:
    root = register(tmp_path, [improvement("CSI-0001", services=["Email, calendar"],
                                           tags=["a"])])
    before = tree(root)
    sheet = xlsx(tmp_path / "list.xlsx", [["ID", "Services", "Tags"],
                                          ["CSI-0001", "Email, calendar", "a"]])
    assert run_import(root, sheet).changes == [] and tree(root) == before
    sheet = xlsx(tmp_path / "list2.xlsx", [["ID", "Services", "Tags"],
                                           ["CSI-0001", "Email, calendar", "a, b"]])
    run_import(root, sheet)
    assert load_register(root, today=TODAY).improvement["CSI-0001"].tags == ("a", "b")


def test_a_row_for_a_file_with_errors_is_refused(tmp_path: Path) -> None:
    root = register(tmp_path, {"CSI-0001.yml": "id: CSI-0001\ntitle: [unclosed\n"})
    sheet = xlsx(tmp_path / "list.xlsx", [MINIMAL, ["CSI-0001", "t", "d", "2026-01-05", "New",
                                                    "Low", None]])
    problems = refused(root, sheet)
    assert problems == [f"{sheet.as_posix()}:2: cannot update CSI-0001: "
                        f"{(root / 'improvements' / 'CSI-0001.yml').as_posix()} has errors; fix "
                        "them first (see csi check)"]


def test_a_status_move_to_closed_sets_the_date_and_needs_an_outcome(tmp_path: Path) -> None:
    root = register(tmp_path, [improvement("CSI-0001"), improvement("CSI-0002")])
    sheet = xlsx(tmp_path / "list.xlsx", [
        ["ID", "Status", "Outcome"], ["CSI-0001", "Closed complete", "Restores now take 2 hours."],
        ["CSI-0002", "Closed complete", None]])
    problems = refused(root, sheet)
    assert len(problems) == 1 and problems[0].startswith(f"{sheet.as_posix()}:3: the register "
                                                         "would not be valid: ")
    assert "outcome" in problems[0]
    sheet = xlsx(tmp_path / "list.xlsx", [
        ["ID", "Status", "Outcome"], ["CSI-0001", "Closed complete", "Restores now take 2 hours."]])
    run_import(root, sheet)
    imp = load_register(root, today=TODAY).improvement["CSI-0001"]
    assert (imp.status, imp.closed, imp.outcome, imp.log[-1].status, imp.log[-1].date) == (
        "closed", TODAY, "Restores now take 2 hours.", "closed", TODAY)


# --- Files and options ----------------------------------------------------------------------

def test_the_sheet_with_the_register_is_found_and_sheet_chooses(tmp_path: Path) -> None:
    root = register(tmp_path)
    workbook = openpyxl.Workbook()
    workbook.active.title = "Read me"
    workbook.active.append(["How to fill in this register: one row per improvement."])
    for title, name in (("Register", "chosen by its headers"), ("Archive", "chosen by name")):
        sheet = workbook.create_sheet(title)
        sheet.append(MINIMAL)
        sheet.append([f"OPS-{len(workbook.sheetnames)}", name, "d", "2026-01-05", "New", "Low",
                      None])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    run_import(root, path)
    assert [imp.title for imp in new_records(root).values()] == ["chosen by its headers"]
    run_import(root, path, sheet="archive")
    assert len(new_records(root)) == 2
    assert refused(root, path, sheet="Nope") == [
        f"{path.as_posix()}:1: no sheet named 'Nope'; the workbook has 'Read me', 'Register', "
        "'Archive'"]


def test_files_that_cannot_be_read(tmp_path: Path, capsys) -> None:
    root = register(tmp_path)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    assert refused(root, old) == [f"{old.as_posix()}:1: .xls files cannot be read; save the "
                                  "sheet as .xlsx or .csv"]
    assert main(["import", "improvements", str(tmp_path / "missing.csv"), "--register",
                 str(root)]) == 1
    assert "missing.csv:1: cannot read the file: No such file or directory" in \
        capsys.readouterr().err
    sheet = csv_file(tmp_path / "list.csv", ",".join(MINIMAL) + "\n")
    assert main(["import", "improvements", str(sheet), "--register", str(root),
                 "--objective", "OBJ-7"]) == 1
    assert capsys.readouterr().err == ("csi: --objective OBJ-7: the register has no such "
                                       "objective; did you mean OBJ-1? known: OBJ-1\n")


def test_windows_csv_from_excel(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = csv_file(tmp_path / "list.csv", ";".join(MINIMAL) + "\n"
                     "OPS-1;Caf\u00e9 menu on the intranet;\"Two\nlines\";15/04/2026;New;Low;\n",
                     crlf=True, encoding="cp1252")
    run_import(root, sheet)
    imp = new_records(root)["OPS-1"]
    assert (imp.title, imp.description) == ("Caf\u00e9 menu on the intranet", "Two\nlines\n")


@pytest.mark.parametrize("kind", ["hostile", "rich"])
@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_hostile_and_rich_registers_round_trip(tmp_path: Path, kind: str, suffix: str) -> None:
    from hostile import hostile_register
    from test_pages import rich_register
    root = {"hostile": hostile_register, "rich": rich_register}[kind](tmp_path / "register")
    exported = tmp_path / f"register.{suffix}"
    assert main(["export", "--register", str(root), "-o", str(exported)]) == 0
    before = tree(root)
    result = run_import(root, exported)
    assert result.changes == [] and tree(root) == before


def test_rows_and_columns_are_numbered_from_a1_even_when_they_start_later(tmp_path: Path) -> None:
    root = register(tmp_path)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for offset, row in enumerate([MINIMAL, ["OPS-1", "a", "d", "someday", "New", "Low", None]]):
        for column, value in enumerate(row):
            sheet.cell(3 + offset, 2 + column).value = value
    path = tmp_path / "late.xlsx"
    workbook.save(path)
    assert refused(root, path) == [f"{path.as_posix()}:4: column \"Date raised\": expected a "
                                   "date (YYYY-MM-DD, or day first: 15/04/2026); got 'someday'"]
