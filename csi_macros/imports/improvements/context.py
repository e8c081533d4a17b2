"""One import's inputs, read once, and what every step adds to: the options, the sheet,
the register's index, the chosen columns and the report."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from ..mapping import ColumnMapping
from ..sheets import Table
from .columns import Columns
from .index import RegisterIndex
from .report import Report


@dataclasses.dataclass(frozen=True)
class Options:
    """How to read the sheet (the command's options)."""

    mapping: Path | None = None
    objective: str | None = None
    month_first: bool = False
    sheet: str | None = None
    dry_run: bool = False


@dataclasses.dataclass
class Context:
    """Everything a step of the import reads; `report` and `written` are filled as it goes."""

    root: Path
    table: Table
    mapping: ColumnMapping
    options: Options
    today: dt.date
    index: RegisterIndex
    columns: Columns
    report: Report
    written: dict[tuple[int, str], str] = dataclasses.field(default_factory=dict)
    """List cells as written, by row and key: `Email, Calendar` may be one service."""

    def problem(self, row: int, message: str) -> None:
        self.report.problem(row, message)

    @property
    def source(self) -> str:
        """The sheet's file name, as notes in the register's files name it."""
        return Path(self.table.display).name
