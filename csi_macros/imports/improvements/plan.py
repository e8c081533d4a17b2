"""`import_improvements`: read the sheet, plan every file change, then write all or nothing.

The steps, each in its module: the columns are chosen (`columns`), each row's cells read
(`cells`), ids given (`ids`), then a row becomes a new file (`records`, `newfile`) or
updates one (`updates`). Every problem is collected first (`report`); only a plan with
none is checked in a copy of the register and written (`..changes`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ...edit.errors import EditError
from ...edit.files import register_root
from ...register.errors import RegisterError
from ...readings.facts import build_date
from ...register.load import display_path
from ..changes import FileChange, ImportRefused, ImportResult, check_and_write
from ..mapping import ColumnMapping, read_mapping
from ..sheets import SheetError, Table, read_table
from .cells import row_values
from .columns import choose_columns, recognised
from .context import Context, Options
from .ids import with_ids
from .index import RegisterIndex, check_objective
from .keys import TARGETS
from .newfile import new_file
from .records import new_record
from .report import Report
from .updates import update


def import_improvements(root: Path | str, file: Path | str, options: Options = Options(), *,
                        today: dt.date | None = None) -> ImportResult:
    """Import the improvements in `file` into the register at `root`: all or nothing.

    Raises `ImportRefused` with every problem when anything is refused."""
    root = register_root(root)
    today = today or build_date()
    mapping = _mapping(options)
    table = _table(Path(file), options, mapping)
    context = _context(root, table, mapping, options, today)
    check_objective(options.objective, context.index)
    changes, unchanged = _plan(context)
    report = context.report
    if report.problems:
        raise ImportRefused(report.problems, report.hints())
    check_and_write(root, changes, table.display, today, dry_run=options.dry_run)
    return ImportResult(table.display, len(table.rows), changes, unchanged,
                        report.ignored, report.notes, written=not options.dry_run)


def _mapping(options: Options) -> ColumnMapping:
    """The user's mapping file (or none); `extra.<name>` is a target of its own."""
    try:
        return read_mapping(options.mapping, options.mapping.as_posix()
                            if options.mapping else "", TARGETS,
                            lambda name: name.startswith("extra.") and len(name) > 6)
    except RegisterError as error:
        raise ImportRefused(error.problems) from None


def _table(file: Path, options: Options, mapping: ColumnMapping) -> Table:
    """The sheet, its header being the row whose headers mean the most keys."""
    try:
        return read_table(file, file.as_posix(), sheet=options.sheet,
                          recognise=lambda headers: len(recognised(headers, mapping)))
    except SheetError as error:
        raise ImportRefused([error.problem]) from None


def _context(root: Path, table: Table, mapping: ColumnMapping, options: Options,
             today: dt.date) -> Context:
    index = RegisterIndex.read(root)
    report = Report(table.display)
    columns = choose_columns(table, mapping, report)
    return Context(root, table, mapping, options, today, index, columns, report)


def _plan(context: Context) -> tuple[list[FileChange], int]:
    """Every row's file change, and how many rows changed nothing."""
    rows = [(row.number, values) for row in context.table.rows
            if (values := row_values(context, row)) is not None]
    if not rows and not context.report.problems:
        context.report.notes.append("no rows to import")
    changes, unchanged = [], 0
    for number, values in with_ids(context, rows):
        path = context.index.files.get(values["id"])
        try:
            change = _change(context, number, values, path)
        except EditError as error:
            context.problem(number, str(error))
            continue
        except RegisterError:  # the register's file cannot be read as YAML
            context.problem(number, f"cannot update {values['id']}: {display_path(path)} "
                                    "has errors; fix them first (see csi check)")
            continue
        if change is not None:
            changes.append(change)
        elif path is not None:
            unchanged += 1
    return changes, unchanged


def _change(context: Context, number: int, values: dict, path: Path | None) -> FileChange | None:
    """The file a row creates or updates; None when it changes nothing (or is refused)."""
    if path is None:
        record = new_record(context, number, values)
        return None if record is None else new_file(context, number, record)
    return update(context, number, values, path)
