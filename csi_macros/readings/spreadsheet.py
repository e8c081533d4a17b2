"""The register as an Excel workbook: the same rows and columns as `register.csv`.

One sheet, a bold header with a filter on every column, the header row and the id
column frozen, widths that fit the content, and real dates (Excel sorts and filters
them as dates). The bytes depend only on the register and the build date.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from .export import LIST_SEPARATOR, columns, rows
from .facts import Register
from .scoring import DEFAULT_FORMULA

SHEET_TITLE = "Register"
MIN_WIDTH = 8
MAX_WIDTH = 60
DATE_WIDTH = 12
EXCEL_MAX_TEXT = 32_767
# Characters XML 1.0 (and so .xlsx) cannot hold.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def to_xlsx(register: Register, formula: str = DEFAULT_FORMULA) -> bytes:
    """The register as .xlsx bytes: a header row, then one row per improvement."""
    names = columns()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(names)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(register, formula):
        sheet.append([_cell_value(row[name]) for name in names])
    for column in sheet.iter_cols(min_row=2, max_col=len(names)):
        for cell in column:
            _style(cell)
    for index, name in enumerate(names, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _width(name, sheet[letter][1:])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(names))}{sheet.max_row}"
    sheet.freeze_panes = "B2"  # the header row and the id column stay in view
    _set_properties(workbook, register)
    return deterministic_zip(workbook)


def _cell_value(value: Any) -> Any:
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(map(str, value))
    if isinstance(value, str):
        value = _ILLEGAL.sub("\ufffd", value)
        if len(value) > EXCEL_MAX_TEXT:  # Excel refuses to open longer cells
            value = value[:EXCEL_MAX_TEXT - 1] + "…"
    return value


def _style(cell: Cell) -> None:
    if isinstance(cell.value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(cell.value, str):
        cell.data_type = "s"  # text, never a formula, whatever it starts with
        cell.alignment = Alignment(vertical="top")


def _width(header: str, cells: Any) -> float:
    """Wide enough for the header and the longest first line, within limits."""
    if any(isinstance(c.value, dt.date) for c in cells):
        return max(DATE_WIDTH, len(header) + 2)
    longest = max([len(header), *(len(str(c.value).split("\n", 1)[0]) for c in cells
                                   if c.value is not None)])
    return max(min(longest, MAX_WIDTH) + 2, MIN_WIDTH)


def _set_properties(workbook: Workbook, register: Register) -> None:
    stamp = dt.datetime.combine(register.today, dt.time())
    properties = workbook.properties
    properties.created = properties.modified = stamp
    properties.creator = properties.lastModifiedBy = "csi-register"
    properties.title = f"{register.organisation.organisation}: continual improvement register"


def deterministic_zip(workbook: Workbook) -> bytes:
    """Save without `save_workbook`, which stamps the current time, and give every zip
    member a fixed date, so two builds of one register give the same bytes."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            out.writestr(member, source.read(info.filename))
    return fixed.getvalue()
