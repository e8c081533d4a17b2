"""Safe YAML with line marks.

The register is read from parse events, not with `yaml.safe_load`, because the
safe loader has traps an editor should never fall into: a duplicate key keeps the
last value silently, `NO` becomes False, `12:30` becomes 750, and an alias bomb
stays small until something walks it. Building the tree from events ourselves
rejects anchors, aliases, tags and duplicate keys as they appear, records the line
of every key and list item, and leaves unquoted scalars untyped (`Plain`) so the
validator can read them as the type each field expects.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, RegisterError

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 50

# The C parser is about eight times faster and gives the same marks.
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class Plain(str):
    """An unquoted scalar: its text, typed later by the field that holds it."""

    __slots__ = ()


class Mapping(dict):
    """A YAML mapping that remembers its own line and the line of each key."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class Sequence(list):
    """A YAML sequence that remembers its own line and the line of each item."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


def read_document(path: Path, display: str) -> Mapping:
    """Read one register file into a `Mapping`, or raise `RegisterError` saying why not."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            _fail(display, 1, f"file is {size / MAX_BYTES:.1f} MiB; files over 1 MiB are rejected")
        data = path.read_bytes()
    except OSError as error:
        _fail(display, 1, f"cannot read the file: {error.strerror or error}")
    return parse_document(_decode(data, display), display)


def parse_document(text: str, display: str) -> Mapping:
    """Parse YAML text holding one mapping; every problem found is raised together."""
    builder = _TreeBuilder(display)
    parser = _Parser(text)
    try:
        while parser.check_event():
            builder.feed(parser.get_event())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        builder.problem(line, _syntax_message(error, _line_text(text, line)))
    except yaml.YAMLError as error:  # a reader error: control characters and the like
        builder.problem(getattr(error, "line", 0) + 1 if hasattr(error, "line") else 1,
                        f"not readable as YAML: {error}")
    finally:
        parser.dispose()
    return builder.result()


def resolve_plain(text: str) -> Any:
    """Type an unquoted scalar the YAML 1.2 core way (for free-form `extra:` data)."""
    if text in _NULLS:
        return None
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if INTEGER.fullmatch(text):
        return int(text.replace("_", ""), 0) if text.lstrip("+-")[:2] in ("0x", "0o") else int(text)
    if FLOAT.fullmatch(text):
        value = float(text.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf")
                      .replace(".nan", "nan").replace(".NaN", "nan").replace(".NAN", "nan"))
        return value if math.isfinite(value) else text
    return str(text)


INTEGER = re.compile(r"[-+]?(?:[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+)")
FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                   r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")


def to_plain_data(value: Any) -> Any:
    """Turn a loaded tree into ordinary Python data (for `extra:` and exports)."""
    if isinstance(value, Mapping):
        return {key: to_plain_data(item) for key, item in value.items()}
    if isinstance(value, Sequence):
        return [to_plain_data(item) for item in value]
    if isinstance(value, Plain):
        return resolve_plain(value)
    return value


def _decode(data: bytes, display: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        _fail(display, line, f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8")


def _line_text(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _syntax_message(error: yaml.MarkedYAMLError, line_text: str) -> str:
    problem = error.problem or str(error)
    if "\t" in line_text[: len(line_text) - len(line_text.lstrip())]:
        return f"YAML syntax error: a tab indents this line; indent with spaces, not tabs"
    context = f" {error.context}" if error.context else ""
    return f"YAML syntax error{context}: {problem}"


def _fail(display: str, line: int, message: str) -> None:
    raise RegisterError([Problem(display, line, message, "source")])


class _TreeBuilder:
    """Turns parse events into `Mapping`/`Sequence`/scalars, noting every problem."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.problems: list[Problem] = []
        self.stack: list[Any] = []
        self.pending_key: list[Any] = []
        self.root: Any = _MISSING
        self.documents = 0

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.display, line, message, "source"))

    def feed(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents == 2:
                self.problem(line, "more than one YAML document; a register file holds one mapping")
            return
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            return
        if self.documents > 1:
            return
        if isinstance(event, yaml.AliasEvent):
            self.problem(line, f"YAML aliases (*{event.anchor}) are not allowed; write the value out")
            self._add(None, line)
            return
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            node = self.stack.pop()
            self.pending_key.pop()
            self._add(node, node.line)
            return
        if event.anchor is not None:
            self.problem(line, f"YAML anchors (&{event.anchor}) are not allowed; write the value out")
        if event.tag is not None and not getattr(event, "implicit", (True,))[0] and event.tag != "!":
            if not isinstance(event, yaml.ScalarEvent) or event.tag != "tag:yaml.org,2002:str":
                self.problem(line, f"YAML tags ({event.tag}) are not allowed")
        if isinstance(event, yaml.ScalarEvent):
            value = event.value
            if not event.style:  # plain: None from the Python parser, "" from the C one
                value = None if value in _NULLS else Plain(value)
            self._add(value, line)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(self.stack) >= MAX_DEPTH:
                raise yaml.MarkedYAMLError(problem=f"nesting deeper than {MAX_DEPTH} levels",
                                           problem_mark=event.start_mark)
            self.stack.append(Mapping(line) if isinstance(event, yaml.MappingStartEvent) else Sequence(line))
            self.pending_key.append(_MISSING)

    def _add(self, value: Any, line: int) -> None:
        if not self.stack:
            self.root = value
            return
        parent = self.stack[-1]
        if isinstance(parent, Sequence):
            parent.append(value)
            parent.item_lines.append(line)
            return
        key = self.pending_key[-1]
        if key is _MISSING:
            if isinstance(value, (Mapping, Sequence)):
                self.problem(line, "a key must be plain text, not a list or mapping")
                value = f"<complex key at line {line}>"
            self.pending_key[-1] = (str(value) if value is not None else "null", line)
            return
        name, key_line = key
        self.pending_key[-1] = _MISSING
        if name in parent:
            self.problem(key_line, f"duplicate key '{name}' (first at line {parent.key_lines[name]}); "
                                   "YAML would silently keep only the last one")
            return
        parent[name] = value
        parent.key_lines[name] = key_line

    def result(self) -> Mapping:
        if not self.problems:
            if self.root is _MISSING or self.root is None:
                self.problem(1, "file is empty; expected a mapping of keys (key: value)")
            elif not isinstance(self.root, Mapping):
                kind = "a list" if isinstance(self.root, Sequence) else f"the text {str(self.root)[:40]!r}"
                self.problem(1, f"expected a mapping of keys (key: value) at the top level; got {kind}")
        if self.problems:
            raise RegisterError(self.problems)
        return self.root


_MISSING = object()
