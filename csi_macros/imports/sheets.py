"""A spreadsheet or CSV file read into one table: a header row and numbered rows.

Rows are numbered as the spreadsheet numbers them (the header is row 1), so a problem
can say exactly where to look. Cells keep what the file holds: text from CSV, typed
values (numbers, dates, text) from Excel, with a note of cells formatted as percent,
which hold fractions (83.8 % is stored as 0.838).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import io
import warnings
import zipfile
from pathlib import Path
from typing import Any, Callable

from ..register.errors import Problem

MAX_BYTES = 50 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
"""A title or a note above the header is skipped when the header is further down."""


@dataclasses.dataclass(frozen=True)
class Cell:
    """One cell: its value (text, number, date or None) and whether Excel shows it as %."""

    value: Any
    percent: bool = False


@dataclasses.dataclass(frozen=True)
class Row:
    number: int
    cells: tuple[Cell, ...]

    def cell(self, column: int) -> Cell:
        return self.cells[column] if column < len(self.cells) else Cell(None)

    @property
    def blank(self) -> bool:
        return all(_empty(cell.value) for cell in self.cells)


@dataclasses.dataclass(frozen=True)
class Table:
    """What one sheet holds: where it came from, its header, its rows."""

    display: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    header_row: int = 1
    decimal_comma: bool = False
    """True for a CSV separated by semicolons, as European spreadsheet programs write
    them: there, `83,8` is 83.8."""
    sheet: str = ""


class SheetError(Exception):
    """The file cannot be read as a table; `problem` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_table(path: Path, display: str, *, sheet: str | None = None,
               recognise: Callable[[tuple[str, ...]], int] = lambda headers: 0) -> Table:
    """The table in an .xlsx or .csv file. `recognise` counts the headers a caller knows,
    so that the right sheet (and the right header row) is picked."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SheetError(Problem(display, 1, f"cannot read the file: {error.strerror or error}",
                                 "import")) from None
    if len(data) > MAX_BYTES:
        raise SheetError(Problem(display, 1, "file is over 50 MiB; split it", "import"))
    if data[:4] == b"PK\x03\x04":
        return _read_workbook(data, display, sheet, recognise)
    if path.suffix.lower() in (".xls", ".ods", ".numbers", ".json", ".yml", ".yaml", ".pdf"):
        raise SheetError(Problem(display, 1, f"{path.suffix} files cannot be read; save the "
                                             "sheet as .xlsx or .csv", "import"))
    if sheet:
        raise SheetError(Problem(display, 1, "--sheet is for .xlsx workbooks; a CSV file has "
                                             "one table", "import"))
    return _read_csv(data, display, recognise)


# --- Excel -----------------------------------------------------------------------------------

def _read_workbook(data: bytes, display: str, sheet: str | None,
                   recognise: Callable[[tuple[str, ...]], int]) -> Table:
    from openpyxl import load_workbook
    try:
        # Not read-only: that mode trusts the size a sheet states, which some tools write
        # wrong. Warnings about features we do not read (data validation) are not ours.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise SheetError(Problem(display, 1, f"not a readable .xlsx workbook ({error})",
                                 "import")) from None
    sheets = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"] \
        or list(workbook.worksheets)
    if sheet is not None:
        chosen = [ws for ws in workbook.worksheets if ws.title.strip().lower() ==
                  sheet.strip().lower()]
        if not chosen:
            names = ", ".join(repr(ws.title) for ws in workbook.worksheets)
            raise SheetError(Problem(display, 1, f"no sheet named {sheet!r}; the workbook has "
                                                 f"{names}", "import"))
        sheets = chosen
    tables = []
    for ws in sheets:
        try:
            tables.append(_with_header(_sheet_table(ws, display), recognise))
        except SheetError:  # an empty sheet
            continue
    if not tables:
        raise SheetError(Problem(display, 1, "the workbook's sheets are empty", "import"))
    # The first sheet with headers the caller knows (a "Read me" sheet often comes first).
    return max(tables, key=lambda table: recognise(table.headers) > 0)


def _sheet_table(ws: Any, display: str) -> Table:
    rows = []
    # From A1, whatever the first filled cell: row numbers and column letters as Excel's.
    for number, cells in enumerate(ws.iter_rows(min_row=1, min_col=1), start=1):
        rows.append(Row(number, tuple(Cell(_excel_value(c.value),
                                           "%" in (c.number_format or "") and
                                           isinstance(c.value, (int, float)))
                                      for c in cells)))
    return Table(display, (), tuple(rows), sheet=ws.title)


def _excel_value(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("_x000D_", "")
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.time):  # a time alone is text to us
        return value.isoformat()
    return value


# --- CSV ----------------------------------------------------------------------------------

def _read_csv(data: bytes, display: str, recognise: Callable[[tuple[str, ...]], int]) -> Table:
    text = _decode(data)
    sample = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    delimiter = _delimiter(sample)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # A record is a row as a spreadsheet numbers it, even when a quoted cell spans lines.
    rows, number = [], 1
    try:
        for cells in reader:
            rows.append(Row(number, tuple(Cell(value.replace("\r\n", "\n")) for value in cells)))
            number += 1
    except csv.Error as error:
        raise SheetError(Problem(display, number, f"not readable as CSV: {error}",
                                 "import")) from None
    table = Table(display, (), tuple(rows), decimal_comma=delimiter == ";")
    return _with_header(table, recognise)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark), UTF-16 with one, else Windows-1252,
    which is what Excel writes as "CSV" on Windows."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        return max(",;\t|", key=first.count)


# --- The header --------------------------------------------------------------------------

def _with_header(table: Table, recognise: Callable[[tuple[str, ...]], int]) -> Table:
    """The table with its header found: row 1, unless a later row among the first few is
    a header the caller recognises better (a title above the table)."""
    rows = [row for row in table.rows[:HEADER_SEARCH_ROWS] if not row.blank]
    if not rows:
        raise SheetError(Problem(table.display, 1, "the sheet is empty: no header row", "import"))
    # Rows above a header hold a title or a note: a cell or two, never a table's row.
    above = [row for row in rows
             if all(sum(not _empty(c.value) for c in r.cells) <= 2 for r in rows
                    if r.number < row.number)]
    best = max(above, key=lambda row: (recognise(_headers(row)), -row.number))
    if recognise(_headers(best)) <= recognise(_headers(rows[0])):
        best = rows[0]
    body = tuple(row for row in table.rows if row.number > best.number and not row.blank)
    return dataclasses.replace(table, headers=_headers(best), rows=body, header_row=best.number)


def _headers(row: Row) -> tuple[str, ...]:
    headers = [_text(cell.value) for cell in row.cells]
    while headers and not headers[-1]:
        headers.pop()
    return tuple(headers)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
