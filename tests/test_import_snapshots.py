"""csi import snapshots: monthly figures from Excel and CSV become snapshot files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from csi_macros import load_register
from csi_macros.cli import main
from csi_macros.imports import ImportRefused, SnapshotOptions, import_snapshots
from csi_macros.testing import metric, snapshot, write_register
from test_import import EPOCH, TODAY, csv_file, tree, xlsx


@pytest.fixture(autouse=True)
def build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def register(tmp_path: Path, snapshots: Any = ()) -> Path:
    return write_register(tmp_path / "register", metrics=[
        metric("MTTR", name="Mean time to restore"),
        metric("FCR", name="First contact resolution", unit="%", direction="higher_is_better"),
        metric("BACKLOG", name="Open tickets", unit="tickets")], snapshots=snapshots)


def run_import(root: Path, file: Path, **options: Any):
    return import_snapshots(root, file, SnapshotOptions(**options), today=TODAY)


def values(root: Path) -> dict[tuple[str, str], float | None]:
    """(date, metric) → value, from every snapshot of the register as loaded."""
    loaded = load_register(root, today=TODAY)
    return {(str(s.date), m): v for s in loaded.snapshots for m, v in s.values.items()}


def refused(root: Path, file: Path, **options: Any) -> list[str]:
    before = tree(root)
    with pytest.raises(ImportRefused) as caught:
        run_import(root, file, **options)
    assert tree(root) == before, "a refused import writes nothing"
    return [str(p) for p in caught.value.problems]


def test_long_layout_from_excel_with_ids_names_and_percent_cells(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = xlsx(tmp_path / "figures.xlsx", [
        ["Month", "KPI", "Value", "Source"],
        [dt.datetime(2026, 10, 31), "MTTR", 4.5, "ServiceNow"],
        [dt.datetime(2026, 10, 31), "first contact resolution", 0.838, "ServiceNow"],
        [dt.datetime(2026, 10, 31), "Open tickets", 1460, "ServiceNow"]],
        formats={(3, 3): "0.0%"})
    result = run_import(root, sheet)
    assert values(root) == {("2026-10-31", "MTTR"): 4.5, ("2026-10-31", "FCR"): 83.8,
                            ("2026-10-31", "BACKLOG"): 1460}
    text = (root / "snapshots" / "2026-10-31.yml").read_text(encoding="utf-8")
    assert text == ("# Measurements for 2026-10-31, imported from figures.xlsx.\n"
                    "date: 2026-10-31\nsource: ServiceNow\nvalues:\n  MTTR: 4.5\n  FCR: 83.8\n"
                    "  BACKLOG: 1460\n")
    assert [c.rows for c in result.changes] == [[2, 3, 4]]


def test_wide_layout_us_csv(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = csv_file(tmp_path / "figures.csv",
                     'Date,MTTR,First contact resolution,Open tickets,Notes\n'
                     '09/30/2026,5.1,81.5%,"1,502",quiet month\n'
                     '10/31/2026,4.5,n/a,1460,\n')
    result = run_import(root, sheet, month_first=True, source="Monthly report")
    assert values(root) == {
        ("2026-09-30", "MTTR"): 5.1, ("2026-09-30", "FCR"): 81.5, ("2026-09-30", "BACKLOG"): 1502,
        ("2026-10-31", "MTTR"): 4.5, ("2026-10-31", "FCR"): None, ("2026-10-31", "BACKLOG"): 1460}
    assert result.ignored == ["Notes"]
    assert load_register(root, today=TODAY).snapshots[0].source == "Monthly report"


def test_european_csv_semicolons_decimal_commas_bom_and_crlf(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = csv_file(tmp_path / "kpi.csv",
                     "Datum;Metric;Value\n31.10.2026;MTTR;4,5\n31/10/2026;FCR;83,8\n"
                     "31/10/2026;BACKLOG;1.460\n24.11.2026;MTTR;-\n24.11.2026;FCR;\n",
                     bom=True, crlf=True)
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("columns:\n  Datum: date\n", encoding="utf-8")
    run_import(root, sheet, mapping=mapping)
    assert values(root) == {("2026-10-31", "MTTR"): 4.5, ("2026-10-31", "FCR"): 83.8,
                            ("2026-10-31", "BACKLOG"): 1460, ("2026-11-24", "MTTR"): None,
                            ("2026-11-24", "FCR"): None}


def test_unknown_metrics_get_a_close_match(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = csv_file(tmp_path / "figures.csv", "Date,Metric,Value\n2026-10-31,MTTRR,4\n"
                                               "2026-10-31,Mean time to restor,4\n")
    name = sheet.as_posix()
    assert refused(root, sheet) == [
        f"{name}:2: column \"Metric\": unknown metric 'MTTRR'; did you mean MTTR (Mean time "
        "to restore)?",
        f"{name}:3: column \"Metric\": unknown metric 'Mean time to restor'; did you mean MTTR "
        "(Mean time to restore)?"]


def test_bad_values_and_dates_are_reported_by_row_and_column(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = csv_file(tmp_path / "figures.csv", "Date,MTTR,FCR\n2026-10-31,fast,80\n"
                                               "31/13/2026,4,80\n")
    name = sheet.as_posix()
    assert refused(root, sheet) == [
        f"{name}:2: column \"MTTR\": MTTR: expected a number; got 'fast' (or leave it empty, "
        "n/a or - when not measured)",
        f"{name}:3: column \"Date\": '31/13/2026' is not a real date, read day first: "
        "15/04/2026 (for month-first US dates use --month-first)"]


def test_a_different_value_is_a_conflict_unless_update(tmp_path: Path) -> None:
    root = register(tmp_path, snapshots=[snapshot("2026-10-31", MTTR=4.5, FCR=None)])
    original = (root / "snapshots" / "2026-10-31.yml").read_text(encoding="utf-8")
    sheet = csv_file(tmp_path / "figures.csv", "Date,MTTR,FCR,Open tickets\n"
                                               "2026-10-31,4.2,80.5,1400\n")
    assert refused(root, sheet) == [
        f"{sheet.as_posix()}:2: column \"MTTR\": MTTR on 2026-10-31 is 4.5 in "
        f"{(root / 'snapshots' / '2026-10-31.yml').as_posix()}; the sheet says 4.2 (run again "
        "with --update to replace it)"]
    run_import(root, sheet, update=True)
    after = (root / "snapshots" / "2026-10-31.yml").read_text(encoding="utf-8")
    assert after == original.replace("MTTR: 4.5", "MTTR: 4.2").replace(
        "FCR: null", "FCR: 80.5") + "  BACKLOG: 1400\n"
    assert list((root / "snapshots").iterdir()) == [root / "snapshots" / "2026-10-31.yml"]


def test_same_values_change_nothing_and_new_metrics_join_the_date_s_file(tmp_path: Path) -> None:
    root = register(tmp_path, snapshots={
        "2026-10-31.yml": "date: 2026-10-31\nvalues:\n  MTTR: 4.5   # from the desk\n",
        "2026-10-31-telephony.yml": "date: 2026-10-31\nvalues:\n  FCR: 80\n"})
    sheet = xlsx(tmp_path / "f.xlsx", [["Date", "MTTR", "FCR", "BACKLOG"],
                                       ["2026-10-31", 4.5, 80, None]])
    before = tree(root)
    result = run_import(root, sheet)
    assert result.changes == [] and tree(root) == before
    sheet = xlsx(tmp_path / "g.xlsx", [["Date", "MTTR", "FCR", "BACKLOG"],
                                       ["2026-10-31", 4.5, 80, 1400]])
    run_import(root, sheet)
    assert (root / "snapshots" / "2026-10-31.yml").read_text(encoding="utf-8") == \
        "date: 2026-10-31\nvalues:\n  MTTR: 4.5   # from the desk\n  BACKLOG: 1400\n"


def test_one_value_twice_in_the_sheet(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = csv_file(tmp_path / "f.csv", "Date,Metric,Value\n2026-10-31,MTTR,4\n"
                                         "2026-10-31,MTTR,5\n2026-10-31,MTTR,4\n")
    assert refused(root, sheet) == [f"{sheet.as_posix()}:3: column \"Value\": MTTR on "
                                    "2026-10-31 is 5 here but 4 on row 2"]


def test_a_future_date_is_refused_at_its_row(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = csv_file(tmp_path / "f.csv", "Date,MTTR\n2026-10-31,4\n2026-12-31,4\n")
    problems = refused(root, sheet)
    assert len(problems) == 1
    assert problems[0].startswith(f"{sheet.as_posix()}:3: the register would not be valid: ")


def test_no_metric_columns(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = csv_file(tmp_path / "f.csv", "Date,Restore time\n2026-10-31,4\n")
    assert refused(root, sheet) == [
        f"{sheet.as_posix()}:1: no column names a metric (known: BACKLOG, FCR, MTTR); name "
        "columns by metric id or name, or give metric and value columns"]


def test_dry_run_prints_diffs_and_writes_nothing(tmp_path: Path, capsys) -> None:
    root = register(tmp_path, snapshots=[snapshot("2026-10-31", MTTR=4.5)])
    sheet = csv_file(tmp_path / "f.csv", "Date,MTTR\n2026-10-31,4.2\n2026-11-24,4\n")
    before = tree(root)
    assert main(["import", "snapshots", str(sheet), "--register", str(root), "--dry-run",
                 "--update"]) == 0
    out = capsys.readouterr().out
    assert tree(root) == before
    shown = (root / "snapshots").as_posix()
    assert f"would be updated: {shown}/2026-10-31.yml (MTTR)" in out
    assert f"would be created: {shown}/2026-11-24.yml (MTTR)" in out
    assert "-  MTTR: 4.5\n+  MTTR: 4.2\n" in out
    assert "+date: 2026-11-24\n" in out


def test_month_labels_headers_with_units_and_a_pivot_s_blank_corner(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = xlsx(tmp_path / "pivot.xlsx", [
        [None, "MTTR (hours)", "First contact resolution [%]"],
        ["2026-08", 5.5, 0.79], ["Sep 2026", 5.1, 0.8], ["10/2026", 4.5, 0.838]],
        formats={(r, 3): "0%" for r in (2, 3, 4)})
    run_import(root, sheet)
    assert values(root) == {
        ("2026-08-31", "MTTR"): 5.5, ("2026-08-31", "FCR"): 79,
        ("2026-09-30", "MTTR"): 5.1, ("2026-09-30", "FCR"): 80,
        ("2026-10-31", "MTTR"): 4.5, ("2026-10-31", "FCR"): 83.8}


def test_a_wide_column_named_almost_like_a_metric_is_refused(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = csv_file(tmp_path / "f.csv", "Date,MTTR,Open tiquets,Comment\n2026-10-31,4,1400,ok\n")
    assert refused(root, sheet) == [
        f"{sheet.as_posix()}:1: column \"Open tiquets\": unknown metric; did you mean BACKLOG "
        "(Open tickets)? (or map the column to ignore)"]


def test_metric_names_in_their_own_column(tmp_path: Path) -> None:
    root = register(tmp_path)
    sheet = csv_file(tmp_path / "f.csv", "Period end,Metric name,Result\n"
                                         "2026/10/31,Mean time to restore,4.25\n")
    run_import(root, sheet)
    assert values(root) == {("2026-10-31", "MTTR"): 4.25}
