"""csi export: the register as CSV, JSON and Excel, with the site's columns."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from csi_macros import load_register
from csi_macros.cli import main
from csi_macros.testing import improvement, temporary_register

export = pytest.importorskip("csi_macros.readings.export", reason="csi_macros/readings/export.py is not there yet")
from csi_macros.readings.spreadsheet import to_xlsx  # noqa: E402  (needs export.py)

TODAY = dt.date(2026, 11, 25)
FORMULA = '=HYPERLINK("http://example.org","click")'


@pytest.fixture(autouse=True)
def build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795564800")  # 2026-11-25


def sample():
    return temporary_register(improvements=[
        improvement("CSI-0001", title="Faster restore", target_date="2027-01-31"),
        improvement("CSI-0002", title=FORMULA, description="<b>bold</b>\nsecond line",
                    status="closed", closed="2026-10-01", outcome="Done.",
                    log=[{"date": "2026-10-01", "note": "Closed", "status": "closed"}]),
        improvement("CSI-0010", title="Ünïcode 🎉", status="proposed", owner=None),
    ])


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_csv_and_json_are_the_site_s_exports(tmp_path: Path, capsysbinary) -> None:
    with sample() as root:
        register = load_register(root)
        assert main(["export", "--register", str(root), "-o", str(tmp_path / "r.csv")]) == 0
        assert main(["export", "--register", str(root), "--format", "json"]) == 0
        printed = capsysbinary.readouterr().out
        assert main(["export", "--register", str(root)]) == 0
        default = capsysbinary.readouterr().out
    assert (tmp_path / "r.csv").read_bytes() == export.to_csv(register) == default
    assert printed == export.to_json(register)


def test_the_workbook_holds_every_row_under_a_bold_filtered_frozen_header(tmp_path: Path) -> None:
    with sample() as root:
        register = load_register(root)
        assert main(["export", "--register", str(root), "-o", str(tmp_path / "r.xlsx")]) == 0
    table = export.rows(register)
    sheet = workbook((tmp_path / "r.xlsx").read_bytes()).active
    header = [cell.value for cell in sheet[1]]
    assert header == list(table[0]) == export.columns()
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.max_row == len(register.improvements) + 1 == len(table) + 1
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["CSI-0001", "CSI-0002", "CSI-0010"]
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{len(table) + 1}"
    assert sheet.freeze_panes == "B2"
    for row, expected in zip(sheet.iter_rows(min_row=2, values_only=True), table):
        for value, name in zip(row, header):
            wanted = expected[name]
            if wanted in (None, "", [], ()):
                assert value is None, name
            elif isinstance(value, dt.datetime):
                assert value.date().isoformat() == str(wanted)[:10], name
            elif isinstance(wanted, list):
                assert value == export.LIST_SEPARATOR.join(wanted), name
            else:
                assert str(value) == str(wanted), name
    widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
    assert all(8 <= width <= 62 for width in widths), widths


def test_dates_are_dates_and_text_is_never_a_formula() -> None:
    with sample() as root:
        sheet = workbook(to_xlsx(load_register(root))).active
    header = [cell.value for cell in sheet[1]]
    raised = sheet.cell(2, header.index("raised") + 1)
    assert raised.is_date and raised.value.date() == dt.date(2026, 1, 10)
    titles = {cell.value: cell.data_type for cell in sheet[sheet.cell(1, header.index("title") + 1)
                                                          .column_letter][1:]}
    assert titles[FORMULA] == "s", "a title starting with = stays text"


def test_the_workbook_is_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    with sample() as root:
        first = to_xlsx(load_register(root))
        second = to_xlsx(load_register(root))
    assert first == second
    properties = workbook(first).properties
    assert properties.created == properties.modified == dt.datetime(2026, 11, 25)


def test_an_empty_register_still_has_the_header() -> None:
    with temporary_register() as root:
        sheet = workbook(to_xlsx(load_register(root))).active
    assert [cell.value for cell in sheet[1]] == export.columns()
    assert sheet.max_row == 1


def test_the_score_formula_is_the_site_s(tmp_path: Path) -> None:
    with sample() as root:
        register = load_register(root)
        assert main(["export", "--register", str(root), "--formula", "priority",
                     "-o", str(tmp_path / "r.csv")]) == 0
    assert (tmp_path / "r.csv").read_bytes() == export.to_csv(register, "priority")
    assert export.to_csv(register, "priority") != export.to_csv(register)


def test_an_invalid_register_exports_nothing(tmp_path: Path, capsys) -> None:
    with temporary_register(improvements=[improvement("CSI-1", priority="urgent")]) as root:
        assert main(["export", "--register", str(root), "-o", str(tmp_path / "r.xlsx")]) == 1
    assert "priority must be one of critical, high, medium, low" in capsys.readouterr().err
    assert not (tmp_path / "r.xlsx").exists()
