"""The value types of the register format, declared once.

Each type reads a loaded value (see `source`) into a clean Python value, describes
itself for people (`describe`, used by the docs) and for editors (`json_schema`, used
by the generated JSON Schema). The model (`model.py`) declares every key of every
file with one of these, so the validator, the schema and the docs cannot drift.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import math
import re
from typing import Any, Callable

from .errors import Problem
from .source import FLOAT, Mapping, Plain, Sequence, to_plain_data

INVALID: Any = object()
"""Returned by `FieldType.read` when the value was reported as a problem."""


class Reporter:
    """Collects the problems found in one file: `report(line, message)`."""

    __slots__ = ("path", "problems", "rule")

    def __init__(self, path: str, problems: list[Problem], rule: str = "type") -> None:
        self.path = path
        self.problems = problems
        self.rule = rule

    def __call__(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message, self.rule))


@dataclasses.dataclass(frozen=True)
class Key:
    """What the model says about one key of a file: its type, whether required, its meaning."""

    type: FieldType
    required: bool = False
    doc: str = ""
    required_note: str = ""  # for keys whose requirement depends on other keys


def key(type: FieldType, doc: str, *, required: bool = False, required_note: str = "",
        default: Any = None, factory: Callable[[], Any] | None = None) -> Any:
    """Declare a dataclass field that is also a key of the register format."""
    meta = {"csi": Key(type, required, doc, required_note)}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def format_keys(cls: type) -> dict[str, Key]:
    """The keys a record class accepts in a file, in declaration order."""
    return dict(_declared_keys(cls))


@functools.cache
def _declared_keys(cls: type) -> dict[str, Key]:
    # Read once per class: the loader asks for every record of every file.
    return {f.name: f.metadata["csi"] for f in dataclasses.fields(cls) if "csi" in f.metadata}


@functools.cache
def _required_keys(cls: type) -> tuple[str, ...]:
    return tuple(name for name, spec in _declared_keys(cls).items() if spec.required)


def shown(value: Any, quotes_matter: bool = True) -> str:
    """A short, literal rendering of what the editor wrote, for messages.

    Where quotes change the meaning (`"3"` is text, not a number) the message says so.
    """
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Sequence):
        return "a list"
    text = str(value)
    text = repr(text if len(text) <= 60 else text[:59] + "…")
    return text if isinstance(value, Plain) or not quotes_matter else f"the quoted text {text}"


class FieldType:
    """A type of value; subclasses read, describe and give a JSON Schema."""

    quotes_matter = False  # True for numbers and booleans: quoted, they are text

    def read(self, raw: Any, line: int, name: str, report: Reporter) -> Any:
        """The clean value of `raw` (written at `line` under key `name`), or `INVALID`
        after reporting what is wrong with it."""
        raise NotImplementedError

    def describe(self) -> str:
        """What the type accepts, for messages and the docs ("a date (YYYY-MM-DD)")."""
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of the type, for a YAML 1.2 editor's view of the file."""
        raise NotImplementedError

    def fail(self, report: Reporter, line: int, name: str, raw: Any) -> Any:
        report(line, f"{name} must be {self.describe()}; got {shown(raw, self.quotes_matter)}")
        return INVALID


# Unquoted text an editor's YAML 1.2 reading would take for a number or a yes/no: the
# register reads it as the text written, so the schema must accept those types too.
TEXT_TYPES = ["string", "number", "boolean"]


@dataclasses.dataclass(frozen=True)
class Text(FieldType):
    """A line of text: any scalar, kept exactly as written."""

    max_length: int | None = None
    pattern: str | None = None
    example: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_regex", re.compile(self.pattern) if self.pattern else None)

    def read(self, raw, line, name, report):
        if not isinstance(raw, str):
            return self.fail(report, line, name, raw)
        text = str(raw)
        if not text or text.isspace():
            report(line, f"{name} must not be blank")
            return INVALID
        if self.max_length is not None and len(text) > self.max_length:
            report(line, f"{name} must be at most {self.max_length} characters; got {len(text)}")
            return INVALID
        if self._regex is not None and not self._regex.fullmatch(text):
            return self.fail(report, line, name, raw)
        return text

    def describe(self):
        if self.pattern:
            return f"an id like {self.example} (pattern {self.pattern})"
        if self.max_length:
            return f"text of 1 to {self.max_length} characters"
        return "text"

    def json_schema(self):
        if self.pattern:  # an id always starts with a letter: a YAML 1.2 string
            return {"type": "string", "pattern": f"^{self.pattern}$"}
        schema: dict[str, Any] = {"type": TEXT_TYPES, "minLength": 1, "pattern": r"\S"}
        if self.max_length:
            schema["maxLength"] = self.max_length
        return schema


@dataclasses.dataclass(frozen=True)
class Markdown(Text):
    """Markdown text (rendered without raw HTML)."""

    def describe(self):
        return "Markdown text"


DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclasses.dataclass(frozen=True)
class Date(FieldType):
    """A calendar date written YYYY-MM-DD, quoted or not."""

    def read(self, raw, line, name, report):
        if isinstance(raw, str) and DATE.fullmatch(raw):
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                report(line, f"{name} must be a real calendar date (YYYY-MM-DD); got {shown(raw, False)}")
                return INVALID
        return self.fail(report, line, name, raw)

    def describe(self):
        return "a date (YYYY-MM-DD)"

    def json_schema(self):
        return {"type": "string", "format": "date", "pattern": f"^{DATE.pattern}$"}


DECIMAL = re.compile(r"[-+]?[0-9]+")


@dataclasses.dataclass(frozen=True)
class Integer(FieldType):
    """A whole number written in decimal, unquoted, within bounds."""

    quotes_matter = True

    minimum: int
    maximum: int

    def read(self, raw, line, name, report):
        # The length check keeps int() away from numbers too long for Python to read.
        if raw.__class__ is Plain and len(raw) <= 20 and DECIMAL.fullmatch(raw):
            value = int(raw)
            if self.minimum <= value <= self.maximum:
                return value
        return self.fail(report, line, name, raw)

    def describe(self):
        return f"a whole number from {self.minimum} to {self.maximum}"

    def json_schema(self):
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


@dataclasses.dataclass(frozen=True)
class Number(FieldType):
    """A finite number in decimal (`3`, `-2.5`, `1e3`), unquoted."""

    quotes_matter = True

    def read(self, raw, line, name, report):
        # FLOAT also matches .inf and .nan, which end in a letter; a number never does.
        if raw.__class__ is Plain and FLOAT.fullmatch(raw) and raw[-1] in "0123456789.":
            value = float(raw)
            if math.isfinite(value):
                # A finite float has at most 309 digits before the point: int() can read it.
                return int(raw) if DECIMAL.fullmatch(raw) else value
        return self.fail(report, line, name, raw)

    def describe(self):
        return "a finite number"

    def json_schema(self):
        return {"type": "number"}


@dataclasses.dataclass(frozen=True)
class Boolean(FieldType):
    """true or false (yes/no/on/off are not booleans)."""

    quotes_matter = True

    def read(self, raw, line, name, report):
        if raw.__class__ is Plain and raw in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return raw.lower() == "true"
        return self.fail(report, line, name, raw)

    def describe(self):
        return "true or false"

    def json_schema(self):
        return {"type": "boolean"}


@dataclasses.dataclass(frozen=True)
class Choice(FieldType):
    """One of a fixed list of words."""

    choices: tuple[str, ...]

    def read(self, raw, line, name, report):
        if isinstance(raw, str) and raw in self.choices:
            return str(raw)
        return self.fail(report, line, name, raw)

    def describe(self):
        return "one of " + ", ".join(self.choices)

    def json_schema(self):
        return {"type": "string", "enum": list(self.choices)}


@dataclasses.dataclass(frozen=True)
class ListOf(FieldType):
    """A list of values of one type."""

    item: FieldType
    min_items: int = 0

    def read(self, raw, line, name, report):
        if raw.__class__ is not Sequence:
            report(line, f"{name} must be a list of {self.item.describe()}; got {shown(raw)}")
            return INVALID
        if len(raw) < self.min_items:
            items = "item" if self.min_items == 1 else "items"
            report(line, f"{name} must list at least {self.min_items} {items}; got an empty list")
            return INVALID
        read = self.item.read
        items = [read(value, item_line, f"{name}[{index}]", report)
                 for index, (value, item_line) in enumerate(zip(raw, raw.item_lines), 1)]
        return INVALID if INVALID in items else tuple(items)

    def describe(self):
        return f"a list of {self.item.describe()}"

    def json_schema(self):
        schema = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


@dataclasses.dataclass(frozen=True)
class Record(FieldType):
    """A mapping read into a record class of the model."""

    cls: type

    def read(self, raw, line, name, report):
        if raw.__class__ is not Mapping:
            report(line, f"{name} must be a mapping of keys; got {shown(raw)}")
            return INVALID
        return read_record(self.cls, raw, report, prefix=f"{name}.")

    def describe(self):
        return f"a mapping ({self.cls.__name__.lower()})"

    def json_schema(self):
        return record_schema(self.cls)


@dataclasses.dataclass(frozen=True)
class MapOf(FieldType):
    """A mapping from ids to numbers, where an empty value means "not measured"."""

    key: Text
    value: FieldType

    def read(self, raw, line, name, report):
        if raw.__class__ is not Mapping:
            report(line, f"{name} must be a mapping of metric id to number; got {shown(raw)}")
            return INVALID
        values: dict[str, Any] = {}
        ok = True
        for item_key, item in raw.items():
            item_line = raw.key_lines[item_key]
            if self.key.read(Plain(item_key), item_line, f"{name} key", report) is INVALID:
                ok = False
                continue
            value = None if item is None else self.value.read(item, item_line, f"{name}.{item_key}", report)
            ok = ok and value is not INVALID
            values[item_key] = value
        return dict(sorted(values.items())) if ok else INVALID

    def describe(self):
        return f"a mapping of id to {self.value.describe()} (empty or null: not measured)"

    def json_schema(self):
        return {"type": "object",
                "propertyNames": self.key.json_schema(),
                "additionalProperties": {"anyOf": [self.value.json_schema(), {"type": "null"}]}}


@dataclasses.dataclass(frozen=True)
class Free(FieldType):
    """Free-form data, passed to templates as it is."""

    def read(self, raw, line, name, report):
        if raw.__class__ is not Mapping:
            report(line, f"{name} must be a mapping; got {shown(raw)}")
            return INVALID
        return to_plain_data(raw)

    def describe(self):
        return "a mapping of anything"

    def json_schema(self):
        return {"type": "object"}


@dataclasses.dataclass(frozen=True)
class Where:
    """Where a record came from: its file, its line and the line of each key or item.

    `lines` maps each key of the record's mapping to its line; `inner` maps a key that
    holds a mapping or a list to the lines of that mapping's keys or that list's items
    (both are the file's own line tables, shared rather than copied). `invalid` names
    the keys whose value could not be read (reported already), so the rules that span
    keys skip them.
    """

    path: str
    line: int
    lines: dict[str, int] = dataclasses.field(default_factory=dict, compare=False)
    invalid: frozenset[str] = dataclasses.field(default=frozenset(), compare=False)
    inner: dict[str, dict[str, int] | list[int]] = dataclasses.field(default_factory=dict,
                                                                     compare=False)

    def of(self, key: str, index: int | None = None) -> int:
        """The line of a key (`owner`), of a key of the mapping under it (`values.P1-MTTR`)
        or of the index-th item (0-based) of the list under it; when that is not in the
        file, the line of the key, else of the record."""
        head, dot, rest = key.partition(".")
        inner = self.inner.get(head)
        if index is not None and isinstance(inner, list) and 0 <= index < len(inner):
            return inner[index]
        if dot and isinstance(inner, dict) and rest in inner:
            return inner[rest]
        return self.lines.get(head, self.line)


def read_record(cls: type, raw: Mapping, report: Reporter, *, prefix: str = "",
                partial: bool = False) -> Any:
    """Read a mapping into `cls`, reporting unknown, missing and mistyped keys.

    Anything wrong makes the result `INVALID`, unless `partial`: then the record is
    made of the keys that could be read, and `where.invalid` names the others.
    """
    keys = _declared_keys(cls)
    key_lines = raw.key_lines
    values: dict[str, Any] = {}
    invalid: list[str] = []
    inner: dict[str, Any] = {}
    unknown = False
    for name, value in raw.items():
        spec = keys.get(name)
        if spec is None:
            report(key_lines[name], f"unknown key '{prefix}{name}'; {_suggest(name, keys)}")
            unknown = True
            continue
        if value is None:
            continue  # an empty key counts as not set
        if value.__class__ is Mapping:
            inner[name] = value.key_lines
        elif value.__class__ is Sequence:
            inner[name] = value.item_lines
        parsed = spec.type.read(value, key_lines[name], prefix + name, report)
        if parsed is INVALID:
            invalid.append(name)
        else:
            values[name] = parsed
    for name in _required_keys(cls):
        if name not in values and name not in invalid:
            spec = keys[name]
            state = "is empty" if name in raw else "is missing"
            report(key_lines.get(name, raw.line),
                   f"required key '{prefix}{name}' {state} ({spec.type.describe()})")
            invalid.append(name)
    if (invalid or unknown) and not partial:
        return INVALID
    where = Where(report.path, raw.line, key_lines, frozenset(invalid), inner)
    return cls(where=where, **values)


def _suggest(name: str, keys: dict[str, Key]) -> str:
    hint = difflib.get_close_matches(name, keys, n=1)
    return f"did you mean '{hint[0]}'?" if hint else "expected one of " + ", ".join(keys)


def record_schema(cls: type) -> dict[str, Any]:
    """The JSON Schema of a record class, from the same declarations the validator reads.

    An optional key may be present but empty (`owner:`), which YAML reads as null.
    """
    keys = _declared_keys(cls)
    properties = {}
    for name, spec in keys.items():
        schema = spec.type.json_schema()
        if not spec.required:
            schema = {"anyOf": [schema, {"type": "null"}]}
        description = spec.doc + (f" ({spec.required_note})" if spec.required_note else "")
        properties[name] = {"description": description, **schema}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name, spec in keys.items() if spec.required],
        "properties": properties,
    }
