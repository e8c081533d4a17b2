"""Which column gives which key: the mapping file's words first, then the known headers.

Two columns giving one key is a problem (which one would win is a guess); a column no
key is known for is listed as ignored, so the user sees what was left out.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from ..mapping import IGNORE, ColumnMapping
from ..sheets import Table
from ..values import is_empty
from ..vocabulary import DERIVED_COLUMNS, IMPROVEMENT_HEADERS, normal
from .report import Report

Columns = dict[str, tuple[int, str]]
"""Key → (column index, header)."""


def key_of(header: str, mapping: ColumnMapping) -> str | None:
    """The key a column gives (or `ignore`): the mapping's word first, then the known ones."""
    return mapping.columns.get(normal(header)) or IMPROVEMENT_HEADERS.get(normal(header))


def recognised(headers: tuple[str, ...], mapping: ColumnMapping) -> dict[int, str]:
    """Column index → key, for the headers that mean a key."""
    return {index: key for index, header in enumerate(headers)
            if (key := key_of(header, mapping)) not in (None, IGNORE)}


def choose_columns(table: Table, mapping: ColumnMapping, report: Report) -> Columns:
    """Key → (column index, header); ignored and derived columns noted in `report`."""
    chosen: Columns = {}
    derived = []
    for index, header in _headers(table):
        key = key_of(header, mapping)
        if key == IGNORE:
            continue
        if key is None:
            if normal(header) in DERIVED_COLUMNS:
                derived.append(header)
            elif header or _has_data(table, index):
                report.ignored.append(header or f"column {_letter(index)} (no header)")
            continue
        if key in chosen:
            report.problem(table.header_row, f'columns "{chosen[key][1]}" and "{header}" '
                                             f"both give {key}; map one of them to "
                                             "ignore (or to another key) in a mapping file")
            continue
        chosen[key] = (index, header)
    _note(report, chosen, derived)
    return chosen


def _headers(table: Table) -> list[tuple[int, str]]:
    """Every column's index and header, including columns with data but no header."""
    width = max([len(table.headers), *(len(row.cells) for row in table.rows)])
    return [(index, table.headers[index] if index < len(table.headers) else "")
            for index in range(width)]


def _note(report: Report, chosen: Columns, derived: list[str]) -> None:
    if derived:
        report.notes.append("not imported, worked out by the site: " + ", ".join(derived))
    if "title" not in chosen and "description" in chosen:
        report.notes.append('no title column: titles are the first line of '
                            f'"{chosen["description"][1]}"')
    if "description" not in chosen and "title" in chosen:
        report.notes.append("no description column: new improvements are described by "
                            "their title")


def _has_data(table: Table, index: int) -> bool:
    return any(not is_empty(row.cell(index).value) for row in table.rows)


def _letter(index: int) -> str:
    return get_column_letter(index + 1)
