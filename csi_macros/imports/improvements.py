"""`csi import improvements`: rows of a sheet become improvement files.

A row whose id names an improvement of the register updates it, field by field, with
the same text-level editing as `csi status`: only the lines of changed fields move,
and a status change adds its log entry. Any other row becomes a new file: it keeps its
id when the id fits the register's pattern, else it gets the next free one and the
old id is kept under `extra: {former_id: …}`, which the record page shows and search
finds (and which a later import of the same sheet uses to find the record again).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from ..edit.document import Document
from ..edit.errors import EditError
from ..edit.files import ID_IN_NAME, known_ids, register_root, yaml_files
from ..edit.new import next_improvement_id, slug
from ..edit.yamltext import yaml_key_lines
from ..errors import Problem, RegisterError
from ..facts import build_date
from ..fields import format_keys
from ..load import display_path
from ..model import (DIMENSIONS, IMPROVEMENT_ID, PRINCIPLES, PRIORITIES, STATUSES,
                     Improvement)
from ..source import parse_document, read_document, to_plain_data
from .changes import FileChange, ImportRefused, ImportResult, check_and_write
from .mapping import IGNORE, ColumnMapping, read_mapping
from .sheets import SheetError, Table, read_table
from .values import (Unreadable, cell_text, choose, is_empty, one_line, paragraphs,
                     read_date, read_list, read_whole, same_text)
from .vocabulary import (DERIVED_COLUMNS, IMPROVEMENT_HEADERS, PRIORITY_WORDS, STATUS_WORDS,
                         normal, priority_word)

FORMER_ID = "former_id"
ORDER = list(format_keys(Improvement))
TITLE_MAX: int = format_keys(Improvement)["title"].type.max_length
MODEL_KEYS = [name for name in IMPROVEMENT_HEADERS.values() if name.startswith("model.")]
TARGETS = list(dict.fromkeys(IMPROVEMENT_HEADERS.values()))
ONE_LINE = ("id", "title", "raised_by", "owner")
MARKDOWN = ("description", "benefits", "outcome", *MODEL_KEYS)
DATES = ("raised", "target_date", "closed")
LISTS = ("objectives", "principles", "dimensions", "services", "metrics", "related", "tags")
_ACTION = re.compile(r"\[( |x|X)\]\s*(.*?)(?:\s+\((owner [^,()]+)?(?:,\s*)?(due \d{4}-\d{2}-\d{2})?\))?")
_NEXT_ENTRY = {"log": re.compile(r";\s+(?=\d{4}-\d{2}-\d{2}\b)"),
               "actions": re.compile(r";\s+(?=\[[ xX]\])")}
_LOG = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\s+\[([a-z_]+)\])?\s+(.+)", re.S)


@dataclasses.dataclass(frozen=True)
class Options:
    """How to read the sheet (the command's options)."""

    mapping: Path | None = None
    objective: str | None = None
    month_first: bool = False
    sheet: str | None = None
    dry_run: bool = False


def import_improvements(root: Path | str, file: Path | str, options: Options = Options(), *,
                        today: dt.date | None = None) -> ImportResult:
    """Import the improvements in `file` into the register at `root`: all or nothing.

    Raises `ImportRefused` with every problem when anything is refused."""
    root = register_root(root)
    file = Path(file)
    today = today or build_date()
    try:
        mapping = read_mapping(options.mapping, options.mapping.as_posix()
                               if options.mapping else "", TARGETS,
                               lambda name: name.startswith("extra.") and len(name) > 6)
    except RegisterError as error:
        raise ImportRefused(error.problems) from None
    try:
        table = read_table(file, file.as_posix(), sheet=options.sheet,
                           recognise=lambda headers: len(_recognised(headers, mapping)))
    except SheetError as error:
        raise ImportRefused([error.problem]) from None
    plan = _Plan(root, table, mapping, options, today)
    plan.check_objective()
    plan.run()
    if plan.problems:
        raise ImportRefused(plan.problems, plan.hints())
    check_and_write(root, plan.changes, table.display, today, dry_run=options.dry_run)
    return ImportResult(table.display, len(table.rows), plan.changes, plan.unchanged,
                        plan.ignored, plan.notes, written=not options.dry_run)


def _key_of(header: str, mapping: ColumnMapping) -> str | None:
    """The key a column gives (or `ignore`): the mapping's word first, then the known ones."""
    return mapping.columns.get(normal(header)) or IMPROVEMENT_HEADERS.get(normal(header))


def _recognised(headers: tuple[str, ...], mapping: ColumnMapping) -> dict[int, str]:
    """Column index → key, for the headers that mean a key."""
    return {index: key for index, header in enumerate(headers)
            if (key := _key_of(header, mapping)) not in (None, IGNORE)}


@dataclasses.dataclass
class _Register:
    """What the import needs to know of the register."""

    objectives: dict[str, str]  # normalised id or title → id
    metrics: dict[str, str]     # normalised id or name → id
    files: dict[str, Path]      # improvement id → file
    former: dict[str, str]      # former id → improvement id

    @classmethod
    def read(cls, root: Path) -> _Register:
        objectives: dict[str, str] = {}
        try:
            organisation = to_plain_data(read_document(root / "register.yml", "register.yml"))
            for objective in organisation.get("objectives") or []:
                if isinstance(objective, dict) and isinstance(objective.get("id"), str):
                    objectives[normal(objective["id"])] = objective["id"]
                    if isinstance(objective.get("title"), str):
                        objectives.setdefault(normal(objective["title"]), objective["id"])
        except (RegisterError, AttributeError):
            pass
        metrics: dict[str, str] = {}
        for metric_id, shown in known_ids(root)[1].items():
            metrics[normal(metric_id)] = metric_id
            try:
                name = to_plain_data(read_document(root / "metrics" / Path(shown).name,
                                                   shown)).get("name")
            except (RegisterError, AttributeError):
                name = None
            if isinstance(name, str):
                metrics.setdefault(normal(name), metric_id)
        files: dict[str, Path] = {}
        former: dict[str, str] = {}
        for path in yaml_files(root / "improvements"):
            try:
                data = to_plain_data(read_document(path, display_path(path)))
            except RegisterError:
                # Known by its name: a row for it is refused rather than made twice.
                named = ID_IN_NAME.fullmatch(path.stem)
                if named:
                    files.setdefault(f"{named.group(1)}-{named.group(2)}", path)
                continue
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                files.setdefault(data["id"], path)
                extra = data.get("extra")
                if isinstance(extra, dict) and extra.get(FORMER_ID) is not None:
                    former.setdefault(str(extra[FORMER_ID]), data["id"])
        return cls(objectives, metrics, files, former)


class _Plan:
    """Reads every row, collects every problem, and plans the file changes."""

    def __init__(self, root: Path, table: Table, mapping: ColumnMapping, options: Options,
                 today: dt.date) -> None:
        self.root, self.table, self.mapping, self.options, self.today = \
            root, table, mapping, options, today
        self.register = _Register.read(root)
        self.problems: list[Problem] = []
        self.changes: list[FileChange] = []
        self.unchanged = 0
        self.ignored: list[str] = []
        self.notes: list[str] = []
        self.unknown: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)
        self.written: dict[tuple[int, str], str] = {}
        """List cells as written, by row and key: `Email, Calendar` may be one service."""
        self.columns = self._columns()

    # Columns --------------------------------------------------------------------------

    def _columns(self) -> dict[str, tuple[int, str]]:
        """Key → (column index, header); ignored and derived columns noted."""
        chosen: dict[str, tuple[int, str]] = {}
        derived = []
        width = max([len(self.table.headers), *(len(row.cells) for row in self.table.rows)])
        for index in range(width):
            header = self.table.headers[index] if index < len(self.table.headers) else ""
            name = header or f"column {_letter(index)} (no header)"
            key = _key_of(header, self.mapping)
            if key == IGNORE:
                continue
            if key is None:
                if normal(header) in DERIVED_COLUMNS:
                    derived.append(header)
                elif header or self._has_data(index):
                    self.ignored.append(name)
                continue
            if key in chosen:
                self._problem(self.table.header_row, f'columns "{chosen[key][1]}" and "{header}" '
                                                     f"both give {key}; map one of them to "
                                                     "ignore (or to another key) in a mapping file")
                continue
            chosen[key] = (index, header)
        if derived:
            self.notes.append("not imported, worked out by the site: " + ", ".join(derived))
        if "title" not in chosen and "description" in chosen:
            self.notes.append('no title column: titles are the first line of '
                              f'"{chosen["description"][1]}"')
        if "description" not in chosen and "title" in chosen:
            self.notes.append("no description column: new improvements are described by "
                              "their title")
        return chosen

    def _has_data(self, index: int) -> bool:
        return any(not is_empty(row.cell(index).value) for row in self.table.rows)

    def check_objective(self) -> None:
        """`--objective` names an objective of the register."""
        chosen = self.options.objective
        known = sorted(set(self.register.objectives.values()))
        if chosen is not None and chosen not in known:
            close = difflib.get_close_matches(chosen, known, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise EditError(f"--objective {chosen}: the register has no such objective; "
                            f"{hint}known: {', '.join(known)}")

    # Rows ------------------------------------------------------------------------------

    def run(self) -> None:
        rows = []
        for row in self.table.rows:
            values = self._values(row)
            if values is not None:
                rows.append((row.number, values))
        if not rows and not self.problems:
            self.notes.append("no rows to import")
        for number, values in self._with_ids(rows):
            path = self.register.files.get(values["id"])
            try:
                if path is None:
                    self._create(number, values)
                else:
                    self._update(number, values, path)
            except EditError as error:
                self._problem(number, str(error))
            except RegisterError:  # the register's file cannot be read as YAML
                self._problem(number, f"cannot update {values['id']}: {display_path(path)} "
                                      "has errors; fix them first (see csi check)")

    def _values(self, row: Any) -> dict[str, Any] | None:
        """The row's values by key (None for empty cells), or None after problems."""
        values: dict[str, Any] = {}
        before = len(self.problems)
        for key, (index, header) in self.columns.items():
            raw = row.cell(index).value
            if key in LISTS and not is_empty(raw):
                self.written[(row.number, key)] = " ".join(cell_text(raw).split())
            try:
                values[key] = None if is_empty(raw) else self._read(key, raw, header)
            except Unreadable as error:
                self._problem(row.number, f'column "{header}": {error}')
        for key, default in self.mapping.defaults.items():
            if values.get(key) is None and default is not None:
                try:
                    values[key] = self._read(key, default, "defaults")
                except Unreadable as error:
                    self._problem(row.number, f"the mapping's default for {key}: {error}")
        return values if len(self.problems) == before else None

    def _read(self, key: str, raw: Any, header: str) -> Any:
        mapped = self.mapping.value(key, cell_text(raw)) if key not in LISTS else None
        if mapped is not None:
            raw = mapped
        if key in ONE_LINE:
            return one_line(raw)
        if key.startswith("extra."):
            return raw if isinstance(raw, (int, float)) else paragraphs(raw)
        if key in MARKDOWN:
            return paragraphs(raw)
        if key in DATES:
            return read_date(raw, month_first=self.options.month_first)
        if key == "status":
            return self._choice(raw, STATUS_WORDS, "status", header)
        if key == "priority":
            return self._choice(priority_word(cell_text(raw).strip()), PRIORITY_WORDS,
                                "priority", header, written=cell_text(raw).strip())
        if key in ("value", "effort"):
            return read_whole(raw, 1, 5)
        if key in LISTS:
            return [self._item(key, self.mapping.value(key, item) or item)
                    for item in read_list(raw)]
        if key in ("actions", "log"):
            # `csi export` joins entries with "; ", which a note may hold too: an entry
            # starts with its date (log) or its checkbox (actions).
            text = cell_text(raw)
            lines = text.split("\n") if "\n" in text.strip() else \
                _NEXT_ENTRY[key].split(text)
            return [one_line(line) for line in lines if line.strip()]
        if key == "extra":
            try:
                extra = json.loads(cell_text(raw))
            except ValueError:
                extra = None
            if not isinstance(extra, dict):
                raise Unreadable('expected JSON data like {"cost_centre": "IT-42"}')
            return extra
        raise Unreadable(f"cannot import {key}")  # every target is handled above

    def _choice(self, raw: Any, known: dict[str, str], what: str, header: str, *,
                written: str | None = None) -> str:
        try:
            return choose(cell_text(raw).strip(), known, what)
        except Unreadable:
            self.unknown[(what, header)][written or cell_text(raw).strip()] = None
            raise

    def _item(self, key: str, item: Any) -> str:
        text = cell_text(item).strip()
        if key == "objectives":
            return choose(text, self.register.objectives, "objective")
        if key == "metrics":
            return choose(text, self.register.metrics, "metric")
        if key == "principles":
            return choose(text, _named(PRINCIPLES), "guiding principle")
        if key == "dimensions":
            return choose(text, _named(DIMENSIONS), "dimension")
        if key == "related":
            return text.upper() if re.fullmatch(IMPROVEMENT_ID, text.upper()) else text
        return text

    def _with_ids(self, rows: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict]]:
        """Each row with the id it will have: its own when it fits the register's pattern
        (or when an earlier import kept it as a former id), else the next free one."""
        seen: dict[str, int] = {}
        kept = []
        for number, values in rows:
            written = values.get("id")
            own = written.upper() if written and re.fullmatch(IMPROVEMENT_ID, written.upper()) \
                else None
            if written and own is None:
                own = self.register.former.get(written)
                values[f"extra.{FORMER_ID}"] = written
            if own is not None and own in seen:
                self._problem(number, f"id {own} is also on row {seen[own]}; an id must be "
                                      "unique")
                continue
            if own is not None:
                seen[own] = number
            kept.append((number, values, own))
        allocate = _Ids(self.root, set(seen) | set(self.register.files))
        renamed = {written: own for written, own in self.register.former.items()}
        result = []
        for number, values, own in kept:
            if own is None:
                own = allocate.next()
                if values.get("id"):
                    renamed[values["id"]] = own
            values["id"] = own
            result.append((number, values))
        for _, values in result:  # `related` may name rows by the ids the sheet gave them
            if values.get("related"):
                values["related"] = [renamed.get(r, r) for r in values["related"]]
        return result

    # New improvements ------------------------------------------------------------------

    def _create(self, number: int, values: dict[str, Any]) -> None:
        record = self._new_record(number, values)
        if record is None:
            return
        name = f"{record['id']}-{slug(record['title'])}".rstrip("-")
        path = self.root / "improvements" / f"{name}.yml"
        text = (f"# {record['id']}: imported from {Path(self.table.display).name}, row {number}."
                f"\n" + improvement_text(record))
        try:
            exact = to_plain_data(parse_document(text, display_path(path))) == _plain(record)
        except RegisterError:
            exact = False
        if not exact:  # a safeguard: the writers above quote whatever they cannot hold
            self._problem(number, "cannot write this row as YAML exactly; enter it with csi new")
            return
        former = record.get("extra", {}).get(FORMER_ID)
        was = f", was {former}" if former is not None else ""
        self.changes.append(FileChange(path, None, text.encode("utf-8"), self.table.display,
                                       [number], f"row {number}{was}"))

    def _new_record(self, number: int, values: dict[str, Any]) -> dict[str, Any] | None:
        """The new file's keys in the model's order, or None after saying what is missing."""
        values = dict(values)
        if not values.get("title") and values.get("description"):
            values["title"] = _first_line(values["description"])
        if not values.get("description") and values.get("title"):
            values["description"] = values["title"]
        status = values.get("status")
        done = status in STATUSES and not STATUSES[status].open
        committed = status not in (None, "proposed", "rejected")
        missing = [what for what, needed in (
            ("title", not values.get("title")), ("description", not values.get("description")),
            ("raised", not values.get("raised")), ("status", not status),
            ("priority", not values.get("priority")),
            ("owner", committed and not values.get("owner")),
            ("closed", done and not values.get("closed")),
            ("outcome", done and not values.get("outcome"))) if needed]
        if committed and not values.get("objectives"):
            if self.options.objective:
                values["objectives"] = [self.options.objective]
            else:
                missing.append("objectives")
        if missing:
            self._problem(number, "cannot create " + values["id"] + ": " +
                          "; ".join(self._why_missing(what, status) for what in missing))
            return None
        if len(values["title"]) > TITLE_MAX:
            header = self.columns.get("title", ("", "title"))[1]
            self._problem(number, f'column "{header}": a title has at most {TITLE_MAX} '
                                  f"characters; this one has {len(values['title'])} (shorten "
                                  "it, or map the column to description)")
            return None
        log = self._new_log(values)
        if not done and values.get("closed"):
            # An open status keeps no closed date: the date goes into the log instead.
            log.append({"date": values.pop("closed"), "note": _completed_note(self.table.display),
                        "status": status})
        record: dict[str, Any] = {}
        for key in ORDER:
            if key == "model":
                answers = {k[6:]: values[k] for k in MODEL_KEYS if values.get(k)}
                if answers:
                    record["model"] = answers
            elif key == "log":
                if log:
                    record["log"] = log
            elif key == "actions":
                actions = [_action(line) for line in values.get("actions") or []]
                if actions:
                    record["actions"] = actions
            elif key == "extra":
                extra = {**(values.get("extra") or {}),
                         **{k[6:]: v for k, v in values.items()
                            if k.startswith("extra.") and v is not None}}
                if extra:
                    record["extra"] = extra
            elif values.get(key) not in (None, []):
                record[key] = values[key]
        return record

    def _new_log(self, values: dict[str, Any]) -> list[dict[str, str]]:
        entries = []
        for line in values.get("log") or []:
            match = _LOG.fullmatch(line)
            if match is None:
                raise EditError(f"column \"{self.columns['log'][1]}\": cannot read the log "
                                f"entry {line!r}; write it as YYYY-MM-DD [status] note")
            entry = {"date": match.group(1), "note": match.group(3)}
            if match.group(2):
                entry["status"] = match.group(2)
            entries.append(entry)
        return entries

    def _why_missing(self, what: str, status: str | None) -> str:
        column = self.columns.get(what)
        where = f'column "{column[1]}" is empty' if column else \
            f"the sheet has no {what} column"
        if what == "objectives":
            known = ", ".join(sorted(set(self.register.objectives.values())))
            return (f"status {status} needs an objective ({where}; give a default with "
                    f"--objective, one of {known})")
        if what in ("owner", "closed", "outcome"):
            return f"status {status} needs {_article(what)} ({where})"
        return f"needs {_article(what)} ({where})"

    # Existing improvements --------------------------------------------------------------

    def _update(self, number: int, values: dict[str, Any], path: Path) -> None:
        document = Document.read(path.read_bytes(), display_path(path))
        data = document.data
        changed = []
        status = values.get("status") or data.get("status")
        if "objectives" in values and not values["objectives"] and self.options.objective \
                and status not in ("proposed", "rejected"):
            values = {**values, "objectives": [self.options.objective]}
        for key, value in values.items():
            if key in ("id", "status", "closed", "log", "actions") or \
                    self._same(key, value, data) or \
                    self.written.get((number, key)) == "; ".join(map(cell_text, data.get(key) or [])):
                continue
            if key == "extra":
                self._problem(number, f'column "{self.columns[key][1]}": {values["id"]}\'s '
                                      "extra data differs from the file; edit it in "
                                      f"{display_path(path)}")
                continue
            if value is None and key in ("title", "description", "raised", "priority"):
                self._problem(number, f'column "{self.columns[key][1]}" is empty, but '
                                      f"{values['id']} needs {_article(key)}")
                continue
            changed.append(key)
            if key.startswith("model."):
                document.set_child("model", key[6:], value)
            elif key.startswith("extra."):
                document.set_child("extra", key[6:], value)
            elif value is None or value == []:
                if key in document.keys:
                    document.remove_key(key)
            else:
                document.set_value(key, value)
        changed += self._update_history(number, values, document)
        if not changed:
            self.unchanged += 1
            return
        after = document.result()
        self.changes.append(FileChange(path, path.read_bytes(), after, self.table.display,
                                       [number], f"row {number}: " + ", ".join(changed)))

    def _same(self, key: str, value: Any, data: dict[str, Any]) -> bool:
        if key.startswith("model."):
            model = data.get("model")
            current = model.get(key[6:]) if isinstance(model, dict) else None
        elif key.startswith("extra."):
            extra = data.get("extra")
            current = extra.get(key[6:]) if isinstance(extra, dict) else None
            return cell_text(current) == cell_text(value) if None not in (current, value) \
                else current is value
        else:
            current = data.get(key)
        if key in LISTS:
            return [cell_text(item) for item in current or []] == list(value or [])
        if key == "extra":  # an empty cell leaves the file's extra data alone
            return value is None or (current or {}) == value
        if current is None or value is None:
            return current in (None, "") and value in (None, "")
        if key in MARKDOWN or key in ONE_LINE:
            return same_text(cell_text(current), value) if key in MARKDOWN else \
                one_line(current) == value
        return cell_text(current) == cell_text(value)

    def _update_history(self, number: int, values: dict[str, Any],
                        document: Document) -> list[str]:
        """Status, closed date, actions and log: what changed among them, edited."""
        data, changed, name = document.data, [], values["id"]
        if values.get("actions") and _action_lines(data) != values["actions"]:
            self._problem(number, f'column "{self.columns["actions"][1]}": {name}\'s actions '
                                  "differ from its file; change actions in "
                                  f"{document.display}")
        appended: list[dict[str, str]] = []
        if "log" in values:
            current = _log_lines(data)
            new = values["log"] or []
            if current[:len(new)] == new:
                pass  # the sheet is older than the file (or the same): nothing to add
            elif new[:len(current)] != current:
                self._problem(number, f'column "{self.columns["log"][1]}": only entries added '
                                      f"at the end of {name}'s log are imported; earlier "
                                      f"entries differ from {document.display}")
            else:
                appended = self._new_log({"log": new[len(current):]})
        old, status = data.get("status"), values.get("status") or data.get("status")
        done = status in STATUSES and not STATUSES[status].open
        closed = values.get("closed") if "closed" in values else data.get("closed")
        if status != old:
            changed.append("status")
            document.set_value("status", status)
        if done and closed is None:
            closed = str(self.today)
        if done and cell_text(data.get("closed") or "") != cell_text(closed):
            changed.append("closed")
            document.set_key("closed", cell_text(closed))
        elif not done and "closed" in document.keys:
            changed.append("closed")
            document.remove_key("closed")
        if not done and values.get("closed") and status == old:
            # As for a new row: the completion date of an open improvement is a log entry.
            entry = {"date": values["closed"], "status": status}
            logged = [{k: cell_text(e.get(k)) for k in entry} for e in data.get("log") or []
                      if isinstance(e, dict)]
            if entry not in logged and entry not in [{k: e.get(k) for k in entry}
                                                     for e in appended]:
                appended.append({**entry, "note": _completed_note(self.table.display)})
        for entry in appended:
            document.append_log(entry)
        if appended:
            changed.append("log")
        if status != old and not any(e.get("status") == status for e in appended):
            document.append_log({"date": str(self.today), "note": f"Status {old} → {status}, "
                                 f"imported from {Path(self.table.display).name} (row "
                                 f"{number}).", "status": status})
        return changed

    # Problems ---------------------------------------------------------------------------

    def _problem(self, row: int, message: str) -> None:
        self.problems.append(Problem(self.table.display, row, message, "import"))

    def hints(self) -> list[str]:
        """For unknown statuses and priorities: the distinct values and the mapping that
        would settle them."""
        if not self.unknown:
            return []
        lines = ["", "To import these values, say what they mean in a mapping file and run "
                     "again with --mapping FILE:", "", "values:"]
        for (what, header), words in self.unknown.items():
            choices = STATUSES if what == "status" else PRIORITIES
            lines.append(f"  {what}:                # {header}: one of {', '.join(choices)}")
            lines += [f"    {json.dumps(word, ensure_ascii=False)}: " for word in words]
        return lines + [""]


# --- Writing a new file --------------------------------------------------------------------

def improvement_text(record: dict[str, Any]) -> str:
    """A new improvement file's text: keys in the model's order, one per line, Markdown
    as literal blocks, lists in brackets, actions and log entries as block lists."""
    lines: list[str] = []
    for key, value in record.items():
        if key in ("model", "extra"):
            lines.append(f"{key}:")
            for name, item in value.items():
                lines += yaml_key_lines(name, item, "  ") if not isinstance(item, (dict, list)) \
                    else [f"  {name}: {json.dumps(item, ensure_ascii=False)}"]
        elif key in ("actions", "log"):
            lines.append(f"{key}:")
            for entry in value:
                entry_lines = [line for name, item in entry.items()
                               for line in yaml_key_lines(name, item, "    ")]
                entry_lines[0] = "  - " + entry_lines[0][4:]
                lines += entry_lines
        else:
            lines += yaml_key_lines(key, value)
    return "\n".join(lines) + "\n"


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    """What reading the written file back must give: YAML's view of the values."""
    return json.loads(json.dumps(record, ensure_ascii=False))


def _action(line: str) -> dict[str, Any]:
    match = _ACTION.fullmatch(line)
    if match is None:
        return {"title": line}
    action: dict[str, Any] = {"title": match.group(2)}
    if match.group(3):
        action["owner"] = match.group(3)[6:].strip()
    if match.group(4):
        action["due"] = match.group(4)[4:]
    if match.group(1) in "xX":
        action["done"] = True
    return action


def _action_lines(data: dict[str, Any]) -> list[str]:
    """A file's actions as `csi export` writes them."""
    lines = []
    for action in data.get("actions") or []:
        if not isinstance(action, dict):
            continue
        details = [f"owner {action['owner']}" if action.get("owner") else "",
                   f"due {action['due']}" if action.get("due") else ""]
        meta = ", ".join(d for d in details if d)
        lines.append(one_line(f"[{'x' if action.get('done') is True else ' '}] "
                              f"{action.get('title')}" + (f" ({meta})" if meta else "")))
    return lines


def _log_lines(data: dict[str, Any]) -> list[str]:
    lines = []
    for entry in data.get("log") or []:
        if isinstance(entry, dict):
            moved = f" [{entry['status']}]" if entry.get("status") else ""
            lines.append(one_line(f"{entry.get('date')}{moved} {entry.get('note')}"))
    return lines


class _Ids:
    """Hands out the next free ids in the register's style (`CSI-0023`, `CSI-0024`, …)."""

    def __init__(self, root: Path, taken: set[str]) -> None:
        first = next_improvement_id(root)
        self.prefix, digits = first.rsplit("-", 1)
        self.width = len(digits)
        numbers = [int(i.rsplit("-", 1)[1]) for i in taken if i.startswith(self.prefix + "-")]
        self.number = max([int(digits) - 1, *numbers])
        self.taken = taken

    def next(self) -> str:
        while True:
            self.number += 1
            candidate = f"{self.prefix}-{self.number:0{self.width}d}"
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate


def _completed_note(source: str) -> str:
    return f"Marked complete in {Path(source).name}."


def _first_line(text: str) -> str:
    """A title from a description: its first line, cut at a word within the limit."""
    line = next((line.strip(" #*") for line in text.splitlines() if line.strip()), "")
    if len(line) <= TITLE_MAX:
        return line
    cut = line[:TITLE_MAX - 1]
    return (cut[:cut.rfind(" ")] if " " in cut else cut).rstrip(" ,;:-") + "…"


def _named(table: dict[str, str]) -> dict[str, str]:
    return {**{normal(name): key for key, name in table.items()},
            **{normal(key): key for key in table}}


def _article(what: str) -> str:
    words = {"raised": "a raised date", "closed": "a closed date", "objectives": "an objective",
             "owner": "an owner", "outcome": "an outcome", "status": "a status",
             "priority": "a priority", "title": "a title", "description": "a description"}
    return words.get(what, what)


def _letter(index: int) -> str:
    return get_column_letter(index + 1)

