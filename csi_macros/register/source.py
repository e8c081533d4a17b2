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
import os
import re
from pathlib import Path
from typing import Any, Callable

import yaml
from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent)

from .errors import Problem, RegisterError

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 50

# The C parser is about five times faster and gives the same marks.
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

# What YAML allows in a stream (YAML 1.2, 5.1): everything else is a control character
# that no editor shows, so it is reported before parsing, at its own line.
_FORBIDDEN = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Plain(str):
    """An unquoted scalar: its text, typed later by the field that holds it."""

    __slots__ = ()


class Mapping(dict):
    """A YAML mapping that remembers its own line and the line of each key."""

    __slots__ = ("line", "key_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class Sequence(list):
    """A YAML sequence that remembers its own line and the line of each item."""

    __slots__ = ("line", "item_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


def read_document(path: Path, display: str) -> Mapping:
    """Read one register file into a `Mapping`, or raise `RegisterError` saying why not."""
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            data = b"" if size > MAX_BYTES else stream.read(size + 1)
    except OSError as error:
        _fail(display, 1, f"cannot read the file: {error.strerror or error}")
    if size > MAX_BYTES or len(data) > MAX_BYTES:  # the second: it grew while being read
        size = max(size, len(data))
        _fail(display, 1, f"file is {size / MAX_BYTES:.1f} MiB; files over 1 MiB are rejected")
    return parse_document(_decode(data, display), display)


def parse_document(text: str, display: str) -> Mapping:
    """Parse YAML text holding one mapping; every problem found is raised together."""
    builder = _TreeBuilder(display)
    if not _report_forbidden_characters(text, builder.problem):
        parser = _Parser(text)
        try:
            builder.build(parser.get_event)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else 1
            builder.problem(line, _syntax_message(error, _line_text(text, line)))
        except yaml.YAMLError as error:  # a reader error the pre-scan did not foresee
            builder.problem(1, "not readable as YAML: " + _one_line(str(error)))
        finally:
            parser.dispose()
    return builder.result()


def resolve_plain(text: str) -> Any:
    """Type an unquoted scalar the YAML 1.2 core way (for free-form `extra:` data)."""
    if text in _NULLS:
        return None
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if len(text) <= 100 and INTEGER.fullmatch(text):  # Python refuses to read huge integers
        return int(text, 0) if text.lstrip("+-")[:2] in ("0x", "0o") else int(text)
    if FLOAT.fullmatch(text):
        value = float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
        return value if math.isfinite(value) else str(text)
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
    raise AssertionError("unreachable")


def _report_forbidden_characters(text: str, problem: Callable[[int, str], None]) -> bool:
    """Report each line holding a character YAML does not allow; say whether there was one."""
    found = False
    line, counted = 1, 0
    for match in _FORBIDDEN.finditer(text):
        if match.start() < counted:
            continue  # the rest of a line already reported
        line += text.count("\n", counted, match.start())
        name = "a NUL byte" if match.group() == "\0" else "a control character"
        problem(line, f"{name} (U+{ord(match.group()):04X}) is not allowed in YAML; remove it")
        found = True
        end = text.find("\n", match.start())
        if end < 0:
            break
        line += 1
        counted = end + 1
    return found


def _line_text(text: str, line: int) -> str:
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels; a register file never needs that many"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _syntax_message(error: yaml.MarkedYAMLError, line_text: str) -> str:
    problem = _one_line(error.problem or str(error))
    if "maximum nesting depth" in problem:  # newer libyaml stops deep nesting itself
        return TOO_DEEP
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
    if "\t" in indent:
        return "YAML syntax error: a tab indents this line; indent with spaces, not tabs"
    if "tab" in problem or "'\\t'" in problem:
        return "YAML syntax error: a tab character is not allowed here; use spaces"
    context = f" {_one_line(error.context)}" if error.context else ""
    start = error.context_mark
    if context and start is not None and error.problem_mark is not None \
            and start.line != error.problem_mark.line:
        context += f" (begun at line {start.line + 1})"
    return f"YAML syntax error{context}: {problem}"


def _fail(display: str, line: int, message: str) -> None:
    raise RegisterError([Problem(display, line, message, "source")])


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _TreeBuilder:
    """Turns parse events into `Mapping`/`Sequence`/scalars, noting every problem.

    The loop below runs once per scalar, key and bracket of every file, so it
    dispatches on the event's exact class rather than through a chain of
    isinstance checks.
    """

    def __init__(self, display: str) -> None:
        self.display = display
        self.problems: list[Problem] = []
        self.stack: list[Mapping | Sequence] = []
        self.root: Any = _MISSING
        self.documents = 0

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.display, line, message, "source"))

    def build(self, get_event: Callable[[], Any]) -> None:
        """Consume every event of the stream: each makes a node, then the node is added
        to the list it belongs to, or becomes a mapping's key, or the value of that key."""
        stack = self.stack
        keys: list[tuple[str, int] | None] = []  # per open node: the key awaiting its value
        try:
            while (event := get_event()) is not None:
                kind = event.__class__
                if kind is ScalarEvent:
                    node = event.value
                    if not event.style:  # plain: None from the Python parser, "" from the C one
                        node = None if node in _NULLS else Plain(node)
                    line = event.start_mark.line + 1
                    if event.anchor is not None or event.tag is not None:
                        self._check_node(event, line)
                elif kind is MappingEndEvent or kind is SequenceEndEvent:
                    node = stack.pop()
                    keys.pop()
                    line = node.line
                elif kind is MappingStartEvent or kind is SequenceStartEvent:
                    self._start(event, Mapping if kind is MappingStartEvent else Sequence)
                    keys.append(None)
                    continue
                elif kind is AliasEvent:
                    node, line = None, event.start_mark.line + 1
                    self.problem(line, f"YAML aliases (*{event.anchor}) are not allowed; "
                                       "write the value out")
                elif kind is DocumentStartEvent:
                    self.documents += 1
                    if self.documents == 2:
                        self.problem(event.start_mark.line + 1, "more than one YAML document "
                                     "(a second '---'); a register file holds one mapping")
                        return
                    continue
                else:  # stream and document ends
                    continue
                if not stack:
                    self.root = node
                    continue
                parent = stack[-1]
                if parent.__class__ is Sequence:
                    parent.append(node)
                    parent.item_lines.append(line)
                elif (key := keys[-1]) is None:
                    keys[-1] = (self._key(node, line), line)
                else:
                    keys[-1] = None
                    self._add_to_mapping(parent, key, node)
        except _TooDeep as deep:
            self.problem(deep.line, TOO_DEEP)

    def _check_node(self, event: Any, line: int) -> None:
        if event.anchor is not None:
            self.problem(line, f"YAML anchors (&{event.anchor}) are not allowed; write the value out")
        if event.tag is not None:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(line, f"YAML tags ({tag}) are not allowed; write a plain value")

    def _start(self, event: Any, container: type) -> None:
        line = event.start_mark.line + 1
        if event.anchor is not None or event.tag is not None:
            self._check_node(event, line)
        if len(self.stack) >= MAX_DEPTH:
            raise _TooDeep(line)
        self.stack.append(container(line))

    def _add_to_mapping(self, parent: Mapping, key: tuple[str, int], value: Any) -> None:
        name, line = key
        if name in parent:
            self.problem(line, f"duplicate key '{name}' (first at line {parent.key_lines[name]}); "
                               "YAML would silently keep only the last one")
            return
        parent[name] = value
        parent.key_lines[name] = line

    def _key(self, node: Any, line: int) -> str:
        if node.__class__ is Plain or node.__class__ is str:
            return str(node)
        if node is None:
            return "null"
        self.problem(line, "a key must be plain text, not a list or mapping")
        return f"<complex key at line {line}>"

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
