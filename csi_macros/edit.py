"""Edit the register from the command line: new files from templates, and status moves.

Both kinds of edit leave the register valid or leave it alone: the result is checked
with `load_register`, and an edit that would add a problem is undone and reported.

A status move changes only the lines it means to. The file is parsed with ruamel.yaml's
round-trip composer, which gives the exact position of every key and value, and the
change is spliced into the original text at those positions. Dumping the round-trip
tree instead would re-indent every list to one style and re-space flow lists; splicing
keeps every other byte (comments, quoting, blank lines, line endings) as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
import shutil
import textwrap
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import CsiError, Problem, RegisterError
from .facts import build_date, load_register
from .fields import format_keys
from .load import YAML_SUFFIXES, display_path
from .model import (DIMENSIONS, IMPROVEMENT_ID, METRIC_ID, OBJECTIVE_ID, PRINCIPLES,
                    PRIORITIES, STATUSES, Improvement)
from .source import parse_document, read_document, to_plain_data

TITLE_MAX: int = format_keys(Improvement)["title"].type.max_length
SLUG_MAX = 48
DEFAULT_ID_PREFIX = "CSI"
DEFAULT_ID_DIGITS = 4
_ID_IN_NAME = re.compile(r"([A-Z][A-Z0-9]*)-([0-9]+)(?:-.*)?")


class EditError(CsiError):
    """An edit was refused or undone; the register is as it was."""


# --- YAML text --------------------------------------------------------------------------

def _needs_escape(char: str) -> bool:
    """Characters a double-quoted YAML scalar cannot hold literally (or would fold)."""
    code = ord(char)
    return (code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF
            or char in "\u2028\u2029\ufeff\ufffe\uffff")


_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML scalar, which reads back as exactly `text`.

    The same rules as the "Raise an improvement" form (`assets/raise.js`): backslash,
    double quote, newline, tab and carriage return get short escapes, every other
    character YAML cannot hold literally gets `\\uXXXX`.
    """
    return '"' + "".join(_SHORT_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if _needs_escape(c) else c)
                         for c in text) + '"'


_PLAIN_SAFE = re.compile(r"[A-Za-z][A-Za-z0-9 .,;!?'()/&+_-]*")
_PLAIN_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def yaml_scalar(text: str, *, flow: bool = False) -> str:
    """`text` unquoted when that is unambiguous (ordinary words), else double-quoted."""
    if (_PLAIN_SAFE.fullmatch(text) and not text.endswith(" ")
            and text.lower() not in _PLAIN_WORDS and not (flow and "," in text)):
        return text
    return yaml_string(text)


_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")


def yaml_inline(value: Any) -> str:
    """A plain value (text, number, true/false, None, a list of text) as YAML on one line:
    a date's text and ordinary words unquoted, other text quoted, a list in brackets."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_inline(item) if not isinstance(item, str)
                               else yaml_scalar(item, flow=True) for item in value) + "]"
    if _DATE_TEXT.fullmatch(value):
        return value
    return yaml_scalar(value)


def yaml_block(text: str, indent: str) -> list[str] | None:
    """Multi-line text as a literal block scalar (`|`, or `|-` without a final line
    break), its lines indented by `indent`; None when a block cannot hold it exactly."""
    body = text[:-1] if text.endswith("\n") else text
    # A block cannot start with a space or an empty line without an indentation mark,
    # keep more than one final line break without `|+`, or hold lines of spaces alone.
    lines = body.split("\n")
    if not body.strip() or body.endswith("\n") or body.startswith((" ", "\t", "\n")) \
            or any(line.isspace() for line in lines) \
            or any(_needs_escape(c) and c not in "\n\t" for c in body):
        return None
    head = "|" if text.endswith("\n") else "|-"
    return [head, *(indent + line if line else "" for line in lines)]


def yaml_key_lines(name: str, value: Any, indent: str = "") -> list[str]:
    """`name: value` as the lines of a block mapping at `indent`: a block scalar for
    multi-line text, one line for anything else."""
    if isinstance(value, str) and "\n" in value:
        block = yaml_block(value, indent + "  ")
        if block is not None:
            return [f"{indent}{name}: {block[0]}", *block[1:]]
        return [f"{indent}{name}: {yaml_string(value)}"]
    return [f"{indent}{name}: {yaml_inline(value)}".rstrip(" ") if value is not None
            else f"{indent}{name}:"]


def slug(title: str) -> str:
    """A file-name-friendly form of a title: `Faster P1 restore!` → `faster-p1-restore`.

    Accents are dropped (`Résumé` → `resume`), anything else outside a–z and 0–9
    separates words; long slugs are cut at a word boundary. `raise.js` does the same.
    """
    decomposed = unicodedata.normalize("NFKD", title)
    bare = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()
    words = re.sub(r"[^a-z0-9]+", "-", bare).strip("-")
    if len(words) <= SLUG_MAX:
        return words
    cut = words[:SLUG_MAX + 1]
    return (cut[:cut.rfind("-")] if "-" in cut else words[:SLUG_MAX]).strip("-")


def _text_argument(name: str, value: str, *, max_length: int | None = None) -> str:
    if not value.strip():
        raise EditError(f"{name} must not be blank")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise EditError(f"{name} is not valid UTF-8 text") from None
    if max_length is not None and len(value) > max_length:
        raise EditError(f"{name} must be at most {max_length} characters; got {len(value)}")
    return value


# --- Safe writing -------------------------------------------------------------------------

def _problems(root: Path, today: dt.date) -> list[Problem]:
    try:
        load_register(root, today=today)
    except RegisterError as error:
        return error.problems
    return []


def _new_problems(before: Iterable[Problem], after: Iterable[Problem]) -> list[Problem]:
    # Compared without line numbers: an edit moves the lines below it.
    known = Counter((p.path, p.message) for p in before)
    fresh = []
    for problem in after:
        if known[(problem.path, problem.message)]:
            known[(problem.path, problem.message)] -= 1
        else:
            fresh.append(problem)
    return fresh


def _refuse(problems: list[Problem], what: str) -> EditError:
    lines = "\n".join(map(str, problems))
    return EditError(f"{what}, because the register would not be valid:\n{lines}")


def _create(root: Path, path: Path, text: str, today: dt.date) -> Path:
    """Write a new file, refusing to overwrite; undo it when it adds a problem."""
    before = _problems(root, today)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        raise EditError(f"{display_path(path)} already exists; nothing was written") from None
    fresh = _new_problems(before, _problems(root, today))
    if fresh:
        path.unlink()
        raise _refuse(fresh, f"{display_path(path)} was not created")
    return path


def _replace(root: Path, path: Path, data: bytes, today: dt.date,
             before: list[Problem]) -> None:
    """Replace a file's bytes; put the original back when the result adds a problem."""
    original = path.read_bytes()
    _write_atomically(path, data)
    fresh = _new_problems(before, _problems(root, today))
    if fresh:
        _write_atomically(path, original)
        raise _refuse(fresh, f"{display_path(path)} was left as it was")


def _write_atomically(path: Path, data: bytes) -> None:
    # A temporary name the loader ignores (not .yml), then one rename: a build or an
    # editor never sees half a file.
    temporary = path.with_name(f".{path.name}.csi-tmp")
    temporary.write_bytes(data)
    shutil.copymode(path, temporary)
    os.replace(temporary, path)


def _register_root(root: Path | str) -> Path:
    root = Path(root)
    if not root.is_dir():
        raise EditError(f"register folder not found: {display_path(root)} "
                        "(give it with --register, or set CSI_REGISTER_DIR)")
    return root


# --- csi new -------------------------------------------------------------------------------

def next_improvement_id(root: Path | str) -> str:
    """The next free improvement id, in the register's dominant style.

    The prefix and zero-padding used by most files win (`CSI-0001`, `OPS-12`); the
    number is one more than the highest with that prefix. `CSI-0001` for an empty register.
    """
    numbers: dict[str, list[str]] = {}
    for path in _yaml_files(Path(root) / "improvements"):
        match = _ID_IN_NAME.fullmatch(path.stem)
        if match:
            numbers.setdefault(match.group(1), []).append(match.group(2))
    if not numbers:
        return f"{DEFAULT_ID_PREFIX}-{1:0{DEFAULT_ID_DIGITS}d}"
    prefix = min(numbers, key=lambda p: (-len(numbers[p]), p))
    widths = Counter(len(n) for n in numbers[prefix])
    width = max(widths, key=lambda w: (widths[w], w))
    return f"{prefix}-{max(int(n) for n in numbers[prefix]) + 1:0{width}d}"


def new_improvement(root: Path | str, title: str, *, today: dt.date | None = None) -> Path:
    """Create the next improvement's file from the commented template; return its path."""
    root = _register_root(root)
    title = _text_argument("the title", title, max_length=TITLE_MAX)
    today = today or build_date()
    improvement_id = next_improvement_id(root)
    name = f"{improvement_id}-{slug(title)}" if slug(title) else improvement_id
    objectives, _ = _known_ids(root)
    path = root / "improvements" / f"{name}.yml"
    text = improvement_template(improvement_id, title, today, objectives)
    return _create(root, path, _schema_line(path, "improvement") + text, today)


def new_metric(root: Path | str, metric_id: str, name: str, *,
               today: dt.date | None = None) -> Path:
    """Create `metrics/<ID>.yml` from the commented template; return its path."""
    root = _register_root(root)
    if not re.fullmatch(METRIC_ID, metric_id):
        raise EditError(f"metric id {metric_id!r} must be capitals, digits and hyphens, "
                        f"starting with a capital, like P1-MTTR (pattern {METRIC_ID})")
    name = _text_argument("the metric name", name)
    today = today or build_date()
    _, metrics = _known_ids(root)
    if metric_id in metrics:
        raise EditError(f"metric {metric_id} already exists ({metrics[metric_id]})")
    path = root / "metrics" / f"{metric_id}.yml"
    text = metric_template(metric_id, name, today)
    return _create(root, path, _schema_line(path, "metric") + text, today)


def new_snapshot(root: Path | str, date: str, *, today: dt.date | None = None) -> Path:
    """Create `snapshots/<DATE>.yml` listing every metric with an empty value."""
    root = _register_root(root)
    today = today or build_date()
    try:
        when = dt.date.fromisoformat(date) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None
    except ValueError:
        when = None
    if when is None:
        raise EditError(f"snapshot date {date!r} must be a real date written YYYY-MM-DD")
    if when > today:
        raise EditError(f"snapshot date {when} is in the future (the build date is {today})")
    _, metrics = _known_ids(root)
    path = root / "snapshots" / f"{when}.yml"
    text = snapshot_template(when, sorted(metrics))
    return _create(root, path, _schema_line(path, "snapshot") + text, today)


def _schema_line(path: Path, kind: str) -> str:
    """The editor modeline naming the file's JSON Schema, when `csi schema --write schemas`
    has written it beside the register folder (VS Code's YAML extension reads it)."""
    schema = path.parent.parent.parent / "schemas" / f"{kind}.schema.json"
    if not schema.is_file():
        return ""
    relative = Path(os.path.relpath(schema, path.parent)).as_posix()
    return f"# yaml-language-server: $schema={relative}\n"


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())


def _known_ids(root: Path) -> tuple[list[str], dict[str, str]]:
    """Objective ids and metric ids (→ file) as written, even in a register with errors."""
    objectives: list[str] = []
    try:
        organisation = to_plain_data(read_document(root / "register.yml", "register.yml"))
        for objective in organisation.get("objectives") or []:
            if isinstance(objective, dict) and isinstance(objective.get("id"), str) \
                    and re.fullmatch(OBJECTIVE_ID, objective["id"]):
                objectives.append(objective["id"])
    except (RegisterError, AttributeError):
        pass
    metrics: dict[str, str] = {}
    for path in _yaml_files(root / "metrics"):
        try:
            metric_id = to_plain_data(read_document(path, path.name)).get("id")
        except (RegisterError, AttributeError):
            continue
        if isinstance(metric_id, str) and re.fullmatch(METRIC_ID, metric_id):
            metrics.setdefault(metric_id, display_path(path))
    return objectives, metrics


def _choices(values: Iterable[str]) -> str:
    return ", ".join(values)


def _comment_list(values: Iterable[str]) -> str:
    return "\n".join(textwrap.wrap(_choices(values), width=88, initial_indent="#   ",
                                    subsequent_indent="#   ", break_on_hyphens=False))


def improvement_template(improvement_id: str, title: str, today: dt.date,
                         objectives: list[str] = ()) -> str:
    """The text of a new improvement file: valid as it is, with every optional key shown."""
    example_objective = objectives[0] if objectives else "OBJ-1"
    known = f"; one or more of {_choices(objectives)}" if objectives else ""
    pad = " " * max(1, 14 - len(example_objective))
    return f"""\
# {improvement_id}: one improvement of the continual improvement register.
# Every key is explained on the "Editing the register" page; check your work with `csi check`.
id: {improvement_id}
title: {yaml_string(title)}
description: |
  What is the opportunity or problem? Who is affected, and what does it cost today?
  (Replace this text; Markdown is welcome.)
raised: {today}
# raised_by: Service desk
# owner: Sam Owner            # required once the status is past proposed
status: proposed              # {_choices(STATUSES)}
priority: medium              # {_choices(PRIORITIES)}
# value: 3                    # expected value to stakeholders, 1 (low) to 5 (high)
# effort: 2                   # expected effort, 1 (small) to 5 (large)
# target_date: {today.year + 1}-03-31
# objectives: [{example_objective}]{pad}# required once the status is past proposed{known}
# principles: [{next(iter(PRINCIPLES))}]   # guiding principles, any of:
{_comment_list(PRINCIPLES)}
# dimensions: [{next(iter(DIMENSIONS))}]   # the four dimensions, any of:
{_comment_list(DIMENSIONS)}
# services: [Email]
# metrics: [P1-MTTR]
# benefits: |
#   The expected benefits, ideally quantified.
# model:                      # answers to the continual improvement model's questions
#   current_state: |
#     Where are we now?
#   target_state: |
#     Where do we want to be?
# actions:
#   - title: Write the runbook
#     owner: Sam Owner
#     due: {today.year + 1}-01-31
log:
  - date: {today}
    note: Raised.
    status: proposed
"""


def metric_template(metric_id: str, name: str, today: dt.date) -> str:
    """The text of a new metric file: valid as it is; replace the placeholders."""
    return f"""\
# {metric_id}: one metric of the continual improvement register.
id: {metric_id}
name: {yaml_string(name)}
# description: |
#   What it measures, how, and where the figures come from.
unit: "count"                 # %, hours, tickets, …
direction: higher_is_better   # or lower_is_better
baseline:                     # Where are we now? The value when tracking began.
  date: {today}
  value: 0                    # replace with the measured value
# target:                     # Where do we want to be, and by when?
#   value: 10
#   date: {today.year + 1}-06-30
# owner: Sam Owner
# services: [Email]           # the services it measures
"""


def snapshot_template(date: dt.date, metric_ids: list[str]) -> str:
    """The text of a new snapshot file: every metric listed, none measured yet."""
    values = "".join(f"  {metric_id}:\n" for metric_id in metric_ids) if metric_ids else ""
    return f"""\
# Measurements taken on {date}. Fill in each value; leave it empty when it was not measured.
date: {date}
# source: the report or tool the figures come from
values:{'' if metric_ids else ' {}'}
{values}"""


# --- csi status ------------------------------------------------------------------------------

def improvement_file(root: Path | str, improvement_id: str) -> Path:
    """The file of an improvement, found by its name (`CSI-0007.yml`, `CSI-0007-slug.yml`)."""
    folder = Path(root) / "improvements"
    files = [p for p in _yaml_files(folder)
             if p.stem == improvement_id or p.stem.startswith(improvement_id + "-")]
    if len(files) == 1:
        return files[0]
    if files:
        raise EditError(f"several files are named after {improvement_id}: "
                        + ", ".join(display_path(p) for p in files))
    known = sorted({f"{m.group(1)}-{m.group(2)}" for p in _yaml_files(folder)
                    if (m := _ID_IN_NAME.fullmatch(p.stem))})
    close = difflib.get_close_matches(improvement_id, known, n=3)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise EditError(f"no improvement {improvement_id}: no file {display_path(folder)}/"
                    f"{improvement_id}.yml or {improvement_id}-….yml{hint}")


@dataclasses.dataclass(frozen=True)
class StatusChange:
    """What `set_status` did."""

    path: Path
    improvement: str
    old: str
    new: str
    date: dt.date


def set_status(root: Path | str, improvement_id: str, status: str, note: str, *,
               outcome: str | None = None, today: dt.date | None = None) -> StatusChange:
    """Move an improvement to `status`, logging it with `note`, and keep the register valid.

    Closing or rejecting sets `closed` to today and needs an outcome (in the file, or
    given here); reopening removes `closed`. Only those lines change in the file.
    """
    root = _register_root(root)
    improvement_id = improvement_id.strip().upper()
    if not re.fullmatch(IMPROVEMENT_ID, improvement_id):
        raise EditError(f"{improvement_id!r} is not an improvement id like CSI-0007")
    if status not in STATUSES:
        raise EditError(f"unknown status {status!r}; expected one of {_choices(STATUSES)}")
    note = _text_argument("the note", note)
    outcome = None if outcome is None else _text_argument("the outcome", outcome)
    today = today or build_date()
    path = improvement_file(root, improvement_id)
    before = _problems(root, today)
    own = [p for p in before if p.path == display_path(path)]
    if own:
        raise EditError(f"{display_path(path)} has errors; fix them first:\n"
                        + "\n".join(map(str, own)))
    document = _Document.read(path.read_bytes(), display_path(path))
    old = str(document.data.get("status"))
    _move(document, improvement_id, status, note, outcome, today)
    _replace(root, path, document.result(), today, before)
    return StatusChange(path, improvement_id, old, status, today)


def _move(document: _Document, improvement_id: str, status: str, note: str,
          outcome: str | None, today: dt.date) -> None:
    """The edits of a status move: status, closed, a log entry and maybe the outcome."""
    if document.data.get("status") == status:
        raise EditError(f"{improvement_id} is already {status}")
    done = not STATUSES[status].open
    if done and outcome is None and not document.data.get("outcome"):
        raise EditError(f"{improvement_id} needs an outcome to become {status}: add "
                        f'--outcome "what happened, or why it was rejected" (or an outcome: '
                        f"key in {document.display})")
    document.set_scalar("status", status)
    if done:
        document.set_key("closed", str(today))
    elif "closed" in document.data:
        document.remove_key("closed")
    document.append_log({"date": str(today), "note": note, "status": status})
    if outcome is not None:
        document.set_key("outcome", yaml_scalar(outcome), value=outcome)


@dataclasses.dataclass
class _Edit:
    start: int
    end: int
    text: str


class _Document:
    """One improvement file: its text, the positions ruamel.yaml found, and pending edits."""

    def __init__(self, text: str, prefix: str, newline: str, display: str) -> None:
        self.text = text
        self.prefix = prefix  # a byte-order mark, put back as it was
        self.newline = newline
        self.display = display
        self.edits: list[_Edit] = []
        self.data: dict[str, Any] = to_plain_data(parse_document(text, display))
        self.expected: dict[str, Any] = dict(self.data)
        try:
            root = YAML(typ="rt").compose(text)
        except YAMLError as error:  # the project's loader accepted it: should not happen
            raise EditError(f"{display}: cannot edit this file: {error}") from None
        if not isinstance(root, MappingNode) or root.flow_style:
            raise EditError(f"{display}: only block-style files (key: value per line) can "
                            "be edited by csi; edit this one by hand")
        self.root = root
        self.keys: dict[str, tuple[ScalarNode, Node]] = {k.value: (k, v) for k, v in root.value}

    @classmethod
    def read(cls, data: bytes, display: str) -> _Document:
        prefix = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
        text = data.decode("utf-8")[len(prefix):]
        newline = "\r\n" if "\r\n" in text else "\n"
        return cls(text, prefix, newline, display)

    # Positions ----------------------------------------------------------------------

    def _line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def _line_end(self, index: int) -> int:
        """The index just after the line break of the line holding `index`."""
        end = self.text.find("\n", index)
        return len(self.text) if end < 0 else end + 1

    def _content_end(self, node: Node) -> int:
        """Where a value's last character is (block scalars and lists end past blank lines)."""
        if isinstance(node, MappingNode) and node.value and not node.flow_style:
            key, value = node.value[-1]
            return max(self._content_end(key), self._content_end(value))
        if isinstance(node, SequenceNode) and node.value and not node.flow_style:
            return self._content_end(node.value[-1])
        end = node.end_mark.index
        while end > node.start_mark.index and self.text[end - 1] in " \t\r\n":
            end -= 1
        return end

    def _after(self, name: str) -> int:
        """Where a line after top-level key `name` and its value begins."""
        key, value = self.keys[name]
        return self._line_end(max(self._content_end(key), self._content_end(value)) - 1)

    def _colon(self, key: ScalarNode) -> int:
        return self.text.index(":", key.end_mark.index)

    @property
    def _indent(self) -> str:
        return " " * self.root.start_mark.column

    def _lines(self, lines: list[str]) -> str:
        return "".join(line + self.newline for line in lines)

    # Edits --------------------------------------------------------------------------

    def _edit(self, start: int, end: int, text: str) -> None:
        self.edits.append(_Edit(start, end, text))

    def _insert_lines(self, index: int, lines: list[str]) -> None:
        lead = self.newline if index == len(self.text) and self.text and \
            not self.text.endswith("\n") else ""
        self._edit(index, index, lead + self._lines(lines))

    def set_scalar(self, name: str, value: str, *, keep_quotes: bool = True) -> None:
        """Replace a top-level scalar's text, keeping any comment after it; a word or a
        date keeps the quotes it had (`keep_quotes`), other text comes ready-quoted."""
        key, node = self.keys[name]
        if node.start_mark.index == node.end_mark.index:  # `name:` with nothing after it
            colon = self._colon(key)
            self._edit(colon + 1, colon + 1, " " + value)
        else:
            quote = node.style if keep_quotes and node.style in ("'", '"') else ""
            self._edit(node.start_mark.index, node.end_mark.index, f"{quote}{value}{quote}")
        self.expected[name] = value

    def set_key(self, name: str, text: str, *, value: str | None = None) -> None:
        """Set a top-level key: replace its value, or add it where the model's order puts it."""
        node = self.keys[name][1] if name in self.keys else None
        if isinstance(node, ScalarNode) and \
                "\n" not in self.text[node.start_mark.index:self._content_end(node)]:
            self.set_scalar(name, text, keep_quotes=value is None)
        else:
            if name in self.keys:
                self.remove_key(name)
            self._insert_lines(self._insertion_point(name), [f"{self._indent}{name}: {text}"])
        self.expected[name] = text if value is None else value

    def remove_key(self, name: str) -> None:
        """Remove a top-level key with its value (and a comment on its lines)."""
        key, _ = self.keys[name]
        self._edit(self._line_start(key.start_mark.index), self._after(name), "")
        self.expected.pop(name, None)

    def _insertion_point(self, name: str) -> int:
        """After the nearest key that the model declares before `name`; else before all keys."""
        order = list(format_keys(Improvement))
        earlier = [k for k in order[:order.index(name)] if k in self.keys and k != name]
        if earlier:
            return self._after(earlier[-1])
        return self._line_start(self.root.start_mark.index)

    def append_log(self, entry: dict[str, str]) -> None:
        """Add an entry at the end of `log:` in the style of the entries already there."""
        self.expected["log"] = [*(self.data.get("log") or []), entry]
        if "log" not in self.keys:
            # No log yet: it goes at the end of the file.
            offset = self._sequence_offset()
            self._insert_lines(len(self.text),
                               [f"{self._indent}log:", *self._block_entry(entry, offset, 2)])
            return
        key, node = self.keys["log"]
        if isinstance(node, ScalarNode):  # `log:` or `log: ~`
            colon = self._colon(key)
            self._edit(colon + 1, node.end_mark.index if node.value else colon + 1, "")
            column = key.start_mark.column
            lines = self._block_entry(entry, column + self._sequence_offset(), 2)
            self._insert_lines(self._line_end(colon), lines)
        elif node.flow_style:
            flow = self._flow_entry(entry)
            if node.value:
                self._edit(node.value[-1].end_mark.index, node.value[-1].end_mark.index,
                           ", " + flow)
            else:
                closing = self.text.rindex("]", 0, node.end_mark.index)
                self._edit(closing, closing, flow)
        else:
            self._append_block_entry(node, entry)

    def _append_block_entry(self, node: SequenceNode, entry: dict[str, str]) -> None:
        dash = node.start_mark.column
        first = node.value[0]
        if all(isinstance(item, MappingNode) and item.flow_style for item in node.value):
            lines = [f"{' ' * dash}- {self._flow_entry(entry)}"]
        else:
            gap = first.start_mark.column - dash if isinstance(first, MappingNode) else 2
            order = [k.value for k, _ in first.value] if isinstance(first, MappingNode) else []
            lines = self._block_entry(entry, dash, max(gap, 2), order)
        self._insert_lines(self._line_end(self._content_end(node) - 1), lines)

    def _sequence_offset(self) -> int:
        """How far this file indents a list's dashes under its key (0 or 2, usually)."""
        for key, value in self.root.value:
            if isinstance(value, SequenceNode) and not value.flow_style:
                return max(value.start_mark.column - key.start_mark.column, 0)
        return 2

    def _block_entry(self, entry: dict[str, str], dash: int, gap: int,
                     order: list[str] = ()) -> list[str]:
        keys = [k for k in order if k in entry] + [k for k in entry if k not in order]
        lines = [f"{' ' * (dash + gap)}{k}: {self._value(entry[k])}" for k in keys]
        lines[0] = f"{' ' * dash}-{' ' * (gap - 1)}{lines[0].lstrip()}"
        return lines

    def _flow_entry(self, entry: dict[str, str]) -> str:
        return "{" + ", ".join(f"{k}: {self._value(v, flow=True)}" for k, v in entry.items()) + "}"

    @staticmethod
    def _value(value: str, *, flow: bool = False) -> str:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) or value in STATUSES:
            return value
        return yaml_scalar(value, flow=flow)

    # Whole values -------------------------------------------------------------------

    def set_value(self, name: str, value: Any) -> None:
        """Set a top-level key to a plain value (see `yaml_key_lines`), in place when it
        is there, else where the model's order puts it."""
        lines = yaml_key_lines(name, value, self._indent)
        node = self.keys[name][1] if name in self.keys else None
        if isinstance(node, ScalarNode) and len(lines) == 1 and \
                "\n" not in self.text[node.start_mark.index:self._content_end(node)]:
            self.set_scalar(name, yaml_inline(value), keep_quotes=False)
        elif name in self.keys:
            start = self._line_start(self.keys[name][0].start_mark.index)
            self.remove_key(name)
            self._insert_lines(start, lines)
        else:
            self._insert_lines(self._insertion_point(name), lines)
        self.expected[name] = value

    def set_child(self, parent: str, child: str, value: Any) -> None:
        """Set `child` of the top-level mapping `parent` (`model`, `values`); `None` for a
        model answer removes it. Lines of other children are kept as they are."""
        data = self.expected.get(parent)
        merged = dict(data) if isinstance(data, dict) else {}
        merged[child] = value
        node = self.keys[parent][1] if parent in self.keys else None
        if not isinstance(node, MappingNode) or node.flow_style or not node.value:
            self._replace_mapping(parent, {k: v for k, v in merged.items() if v is not None
                                           or parent != "model"})
            return
        children = {k.value: (k, v) for k, v in node.value}
        indent = " " * node.value[0][0].start_mark.column
        lines = yaml_key_lines(child, value, indent)
        if child in children:
            key, old = children[child]
            start = self._line_start(key.start_mark.index)
            # An empty value (`review:`) has its marks where the next key starts.
            empty = isinstance(old, ScalarNode) and old.start_mark.index == old.end_mark.index
            last = self._colon(key) + 1 if empty else self._content_end(old)
            end = self._line_end(max(self._content_end(key), last) - 1)
            if value is None and parent == "model":
                self._edit(start, end, "")
                merged.pop(child)
            elif isinstance(old, ScalarNode) and len(lines) == 1 and \
                    "\n" not in self.text[old.start_mark.index:self._content_end(old)]:
                if old.start_mark.index == old.end_mark.index:
                    colon = self._colon(key)
                    self._edit(colon + 1, colon + 1, " " + yaml_inline(value))
                else:
                    self._edit(old.start_mark.index, old.end_mark.index, yaml_inline(value))
            else:
                self._edit(start, end, self._lines(lines))
        elif value is not None or parent != "model":
            self._insert_lines(self._line_end(self._content_end(node) - 1), lines)
        else:
            merged.pop(child)
        self.expected[parent] = merged

    def _replace_mapping(self, parent: str, data: dict[str, Any]) -> None:
        lines = [f"{self._indent}{parent}:"]
        for name, item in data.items():
            lines += yaml_key_lines(name, item, self._indent + "  ")
        if not data:
            lines = [f"{self._indent}{parent}: {{}}"]
        at = (self._line_start(self.keys[parent][0].start_mark.index) if parent in self.keys
              else self._insertion_point(parent))
        if parent in self.keys:
            self.remove_key(parent)
        self._insert_lines(at, lines)
        self.expected[parent] = data

    # Result -------------------------------------------------------------------------

    def result(self) -> bytes:
        """The edited file's bytes, after checking it says exactly what was intended."""
        pieces, cursor = [], 0
        # Insertions go before a removal starting at the same place; otherwise the
        # order the edits were made in is kept (a new `log:` before a new `outcome:`).
        for edit in sorted(self.edits, key=lambda e: (e.start, e.end > e.start)):
            if edit.start < cursor:
                raise EditError(f"{self.display}: cannot edit this file's layout safely; "
                                "make the change by hand")
            pieces += [self.text[cursor:edit.start], edit.text]
            cursor = edit.end
        text = "".join(pieces) + self.text[cursor:]
        try:
            edited = to_plain_data(parse_document(text, self.display))
        except RegisterError as error:
            edited = error
        if edited != self.expected:
            raise EditError(f"{self.display}: cannot edit this file's layout safely; make the "
                            "change by hand")
        return (self.prefix + text).encode("utf-8")
