"""`csi import snapshots`: monthly figures from a sheet become snapshot files.

Two layouts are read. Long: one row per value, with a date, a metric (its id or its
name) and a value column, and maybe a source. Wide: one row per date, one column per
metric (headed by its id or its name). Each date's values go into one file: the
register's `snapshots/<date>.yml` when it has one (only the values that change are
touched there), else a new file of that name. A value the register already holds
differently is a conflict, refused unless `--update`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..edit.document import Document
from ..edit.errors import EditError
from ..edit.files import register_root, yaml_files
from ..edit.yamltext import yaml_inline
from ..register.errors import Problem, RegisterError
from ..readings.facts import build_date
from ..register.load import display_path
from ..register.source import read_document, to_plain_data
from .changes import FileChange, ImportRefused, ImportResult, check_and_write
from .mapping import IGNORE, ColumnMapping, read_mapping
from .sheets import SheetError, Table, read_table
from .values import (Unreadable, cell_text, did_you_mean, is_empty, month_end, read_date,
                     read_number)
from .vocabulary import NULLS, SNAPSHOT_HEADERS, normal, without_unit

HEADER_CUTOFF = 0.8
"""How close a column's header must be to a metric's id or name to be taken as meant
for it (a value in a metric column is surely meant as a metric: the usual 0.6 there)."""
PERCENT_UNITS = frozenset({"%", "percent", "per cent", "percentage"})


@dataclasses.dataclass(frozen=True)
class Options:
    """How to read the sheet (the command's options)."""

    mapping: Path | None = None
    month_first: bool = False
    sheet: str | None = None
    dry_run: bool = False
    source: str | None = None
    update: bool = False


@dataclasses.dataclass(frozen=True)
class _Metric:
    id: str
    name: str
    unit: str

    @property
    def percent(self) -> bool:
        return self.unit.strip().lower() in PERCENT_UNITS


@dataclasses.dataclass
class _Value:
    """One value of the sheet: for which metric and date, from which row and column."""

    metric: str
    date: str
    value: float | int | None
    row: int
    header: str
    source: str | None = None


def import_snapshots(root: Path | str, file: Path | str, options: Options = Options(), *,
                     today: dt.date | None = None) -> ImportResult:
    """Import the figures in `file` into the register at `root`: all or nothing."""
    root = register_root(root)
    file = Path(file)
    today = today or build_date()
    metrics = _metrics(root)
    try:
        mapping = read_mapping(options.mapping, options.mapping.as_posix()
                               if options.mapping else "", ("date", "metric", "value", "source"),
                               lambda name: name in {m.id for m in metrics.values()})
    except RegisterError as error:
        raise ImportRefused(error.problems) from None
    try:
        table = read_table(file, file.as_posix(), sheet=options.sheet,
                           recognise=lambda headers: sum(
                               1 for h in headers if _column(h, mapping, metrics)))
    except SheetError as error:
        raise ImportRefused([error.problem]) from None
    plan = _Plan(root, table, mapping, options, metrics, today)
    plan.run()
    if plan.problems:
        raise ImportRefused(plan.problems)
    check_and_write(root, plan.changes, table.display, today, dry_run=options.dry_run)
    return ImportResult(table.display, len(table.rows), plan.changes, plan.unchanged,
                        plan.ignored, plan.notes, written=not options.dry_run)


def _metrics(root: Path) -> dict[str, _Metric]:
    """Normalised metric id or name → metric."""
    found: dict[str, _Metric] = {}
    for path in yaml_files(root / "metrics"):
        try:
            data = to_plain_data(read_document(path, display_path(path)))
        except RegisterError:
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            metric = _Metric(data["id"], str(data.get("name") or data["id"]),
                             str(data.get("unit") or ""))
            found.setdefault(normal(metric.id), metric)
    for metric in list(found.values()):
        found.setdefault(normal(metric.name), metric)
    return found


def _column(header: str, mapping: ColumnMapping, metrics: dict[str, _Metric]) -> str | None:
    """What a column holds: `date`, `metric`, `value`, `source`, `ignore`, a metric id,
    or None when nobody says."""
    chosen = mapping.columns.get(normal(header)) or SNAPSHOT_HEADERS.get(normal(header))
    if chosen:
        return chosen
    metric = metrics.get(normal(header)) or metrics.get(normal(without_unit(header)))
    return metric.id if metric else None


class _Plan:
    """Reads every row, collects every problem, and plans a file per date."""

    def __init__(self, root: Path, table: Table, mapping: ColumnMapping, options: Options,
                 metrics: dict[str, _Metric], today: dt.date) -> None:
        self.root, self.table, self.mapping, self.options, self.metrics, self.today = \
            root, table, mapping, options, metrics, today
        self.by_id = {m.id: m for m in metrics.values()}
        self.problems: list[Problem] = []
        self.changes: list[FileChange] = []
        self.ignored: list[str] = []
        self.notes: list[str] = []
        self.unchanged = 0

    def _problem(self, row: int, message: str) -> None:
        self.problems.append(Problem(self.table.display, row, message, "import"))

    # Reading ----------------------------------------------------------------------------

    def run(self) -> None:
        columns: dict[str, tuple[int, str]] = {}
        wide: list[tuple[int, str, str]] = []
        for index, header in enumerate(self.table.headers):
            chosen = _column(header, self.mapping, self.metrics)
            if chosen == IGNORE:
                continue
            if chosen in ("date", "metric", "metric name", "value", "source"):
                if chosen in columns:
                    self._problem(self.table.header_row, f'columns "{columns[chosen][1]}" and '
                                  f'"{header}" both give the {chosen}; map one to ignore')
                columns.setdefault(chosen, (index, header))
            elif chosen is not None:
                wide.append((index, header, chosen))
            elif header:
                self.ignored.append(header)
        if "metric name" in columns:  # a metric's id is preferred to its name
            name = columns.pop("metric name")
            if "metric" in columns:
                self.ignored.append(name[1])
            else:
                columns["metric"] = name
        if "date" not in columns and self.table.headers and not self.table.headers[0]:
            columns["date"] = (0, "column A")  # a pivot table's row labels
        long = "metric" in columns and "value" in columns
        if "date" not in columns:
            self._problem(self.table.header_row, "no date column (a header like Date, Period "
                                                 "or Month, or map one in a mapping file)")
        if not long and not wide:
            self._wide_hint(columns)
            return
        if long and wide:
            self.ignored += [header for _, header, _ in wide]
        elif wide:
            self._unknown_metric_columns()
        if self.problems:
            return
        values = [value for row in self.table.rows
                  for value in (self._long(row, columns) if long else self._wide(row, columns, wide))]
        if not self.problems:
            self._plan(values)

    def _unknown_metric_columns(self) -> None:
        """In a wide sheet, a column named almost like a metric is surely meant as one."""
        names = {k: f"{m.id} ({m.name})" for k, m in self.metrics.items()}
        for header in list(self.ignored):
            hint = did_you_mean(without_unit(header), names, HEADER_CUTOFF)
            if hint:
                self._problem(self.table.header_row, f'column "{header}": unknown metric'
                                                     f"{hint} (or map the column to ignore)")

    def _wide_hint(self, columns: dict[str, tuple[int, str]]) -> None:
        ids = {k: m.id for k, m in self.metrics.items()}
        close = [f'"{header}"{hint}' for header in self.ignored
                 if (hint := did_you_mean(without_unit(header), ids, HEADER_CUTOFF))]
        known = ", ".join(sorted(self.by_id))
        if "metric" in columns or "value" in columns:
            message = "a long layout needs both a metric and a value column"
        else:
            message = (f"no column names a metric (known: {known}); name columns by metric id "
                       "or name, or give metric and value columns")
        if close:
            message += "; unknown: " + ", ".join(close)
        self._problem(self.table.header_row, message)

    def _long(self, row: Any, columns: dict[str, tuple[int, str]]) -> list[_Value]:
        date = self._date(row, columns)
        index, header = columns["metric"]
        raw = row.cell(index).value
        if is_empty(raw):
            self._problem(row.number, f'column "{header}" is empty: which metric is this?')
            return []
        mapped = self.mapping.value("metric", cell_text(raw))
        metric = self.metrics.get(normal(cell_text(mapped if mapped is not None else raw)))
        if metric is None:
            hint = did_you_mean(cell_text(raw), {k: f"{m.id} ({m.name})"
                                                 for k, m in self.metrics.items()})
            self._problem(row.number, f'column "{header}": unknown metric '
                                      f"{cell_text(raw).strip()!r}{hint}")
            return []
        value = self._value(row, columns["value"], metric)
        if date is None or value is False:
            return []
        return [_Value(metric.id, date, value, row.number, columns["value"][1],
                       self._source(row, columns))]

    def _wide(self, row: Any, columns: dict[str, tuple[int, str]],
              wide: list[tuple[int, str, str]]) -> list[_Value]:
        date = self._date(row, columns)
        found = []
        for index, header, metric_id in wide:
            value = self._value(row, (index, header), self.by_id[metric_id])
            if value is not False:
                found.append(_Value(metric_id, date or "", value, row.number, header,
                                    self._source(row, columns)))
        return found if date is not None else []

    def _date(self, row: Any, columns: dict[str, tuple[int, str]]) -> str | None:
        index, header = columns["date"]
        raw = row.cell(index).value
        if is_empty(raw):
            self._problem(row.number, f'column "{header}" is empty: which date is this?')
            return None
        try:
            return month_end(raw) or read_date(raw, month_first=self.options.month_first)
        except Unreadable as error:
            self._problem(row.number, f'column "{header}": {error}')
            return None

    def _value(self, row: Any, column: tuple[int, str], metric: _Metric) -> Any:
        """The value (None when not measured), or False after a problem."""
        cell = row.cell(column[0])
        if cell.value is None or (isinstance(cell.value, str) and
                                  cell.value.strip().lower() in NULLS):
            return None
        try:
            number, written_percent = read_number(cell.value,
                                                  decimal_comma=self.table.decimal_comma)
        except Unreadable as error:
            self._problem(row.number, f'column "{column[1]}": {metric.id}: {error} (or leave '
                                      "it empty, n/a or - when not measured)")
            return False
        if cell.percent and metric.percent and not written_percent:
            # Excel keeps 83.8 % as 0.838; the register writes percentages as 83.8.
            number, _ = read_number(number * 100)
        return number

    def _source(self, row: Any, columns: dict[str, tuple[int, str]]) -> str | None:
        if "source" not in columns:
            return None
        raw = row.cell(columns["source"][0]).value
        return None if is_empty(raw) else " ".join(cell_text(raw).split())

    # Planning -----------------------------------------------------------------------------

    def _plan(self, values: list[_Value]) -> None:
        by_date: dict[str, dict[str, _Value]] = defaultdict(dict)
        for value in values:
            earlier = by_date[value.date].get(value.metric)
            if earlier is not None and not _same(earlier.value, value.value):
                self._problem(value.row, f'column "{value.header}": {value.metric} on '
                                         f"{value.date} is {_shown(value.value)} here but "
                                         f"{_shown(earlier.value)} on row {earlier.row}")
            elif earlier is None or earlier.value is None:
                by_date[value.date][value.metric] = value
        existing = _snapshot_files(self.root)
        for date, metrics in sorted(by_date.items()):
            self._date_plan(date, metrics, existing.get(date, []))

    def _date_plan(self, date: str, metrics: dict[str, _Value],
                   files: list[tuple[Path, dict[str, Any]]]) -> None:
        edits: dict[Path, dict[str, _Value]] = defaultdict(dict)
        new: dict[str, _Value] = {}
        for metric_id, value in metrics.items():
            holder = next(((path, data) for path, data in files
                           if metric_id in (data.get("values") or {})), None)
            if holder is None:
                if value.value is not None or not files:
                    new[metric_id] = value
                continue
            path, data = holder
            current = data["values"][metric_id]
            if value.value is None or _same(current, value.value):
                continue
            if current is not None and not self.options.update:
                self._problem(value.row, f'column "{value.header}": {metric_id} on {date} is '
                                         f"{_shown(current)} in {display_path(path)}; the sheet "
                                         f"says {_shown(value.value)} (run again with --update "
                                         "to replace it)")
                continue
            edits[path][metric_id] = value
        target = self.root / "snapshots" / f"{date}.yml"
        own = next((path for path, _ in files if path == target), None)
        if new and own is not None:
            edits[own].update(new)
            new = {}
        for path, changed in edits.items():
            self._edit(path, changed)
        if new:
            self._create(target, date, new)
        if not edits and not new:
            self.unchanged += 1

    def _edit(self, path: Path, changed: dict[str, _Value]) -> None:
        before = path.read_bytes()
        try:
            document = Document.read(before, display_path(path))
            for metric_id, value in changed.items():
                document.set_child("values", metric_id, value.value)
            after = document.result()
        except (EditError, RegisterError) as error:
            self._problem(min(v.row for v in changed.values()), f"cannot edit "
                          f"{display_path(path)}: {error}")
            return
        rows = sorted({v.row for v in changed.values()})
        self.changes.append(FileChange(path, before, after, self.table.display, rows,
                                       f"{', '.join(changed)}"))

    def _create(self, path: Path, date: str, values: dict[str, _Value]) -> None:
        sources = list(dict.fromkeys(v.source for v in values.values() if v.source))
        source = self.options.source or "; ".join(sources) or None
        lines = [f"# Measurements for {date}, imported from {Path(self.table.display).name}.",
                 f"date: {date}"]
        if source:
            lines.append(f"source: {yaml_inline(source)}")
        lines.append("values:")
        lines += [f"  {metric_id}: {yaml_inline(value.value)}".rstrip()
                  for metric_id, value in values.items()]
        rows = sorted({v.row for v in values.values()})
        self.changes.append(FileChange(path, None, ("\n".join(lines) + "\n").encode("utf-8"),
                                       self.table.display, rows, ", ".join(values)))


def _snapshot_files(root: Path) -> dict[str, list[tuple[Path, dict[str, Any]]]]:
    """The register's snapshot files by date, with what they hold."""
    found: dict[str, list[tuple[Path, dict[str, Any]]]] = defaultdict(list)
    for path in yaml_files(root / "snapshots"):
        try:
            data = to_plain_data(read_document(path, display_path(path)))
        except RegisterError:
            continue
        if isinstance(data, dict) and data.get("date") is not None:
            if not isinstance(data.get("values"), dict):
                data["values"] = {}
            found[str(data["date"])].append((path, data))
    return found


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _shown(value: Any) -> str:
    return "not measured" if value is None else yaml_inline(value)
