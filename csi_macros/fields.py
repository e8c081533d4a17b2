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
import math
import re
from typing import Any, Callable

from .source import FLOAT, INTEGER, Mapping, Plain, Sequence, to_plain_data

INVALID: Any = object()
"""Returned by `FieldType.read` when the value was reported as a problem."""

Report = Callable[[int, str], None]


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
    return {f.name: f.metadata["csi"] for f in dataclasses.fields(cls) if "csi" in f.metadata}


def shown(value: Any) -> str:
    """A short, literal rendering of what the editor wrote, for messages."""
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Sequence):
        return "a list"
    if isinstance(value, Plain):
        return repr(str(value)[:60])
    if isinstance(value, str):
        return f"the quoted text {str(value)[:60]!r}"
    return repr(value)


class FieldType:
    """A type of value; subclasses read, describe and give a JSON Schema."""

    def read(self, raw: Any, line: int, name: str, report: Report) -> Any:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def fail(self, report: Report, line: int, name: str, raw: Any) -> Any:
        report(line, f"{name} must be {self.describe()}; got {shown(raw)}")
        return INVALID


@dataclasses.dataclass(frozen=True)
class Text(FieldType):
    """A line of text: any scalar, kept exactly as written."""

    max_length: int | None = None
    pattern: str | None = None
    example: str = ""

    def read(self, raw, line, name, report):
        if not isinstance(raw, str):
            return self.fail(report, line, name, raw)
        text = str(raw)
        if not text.strip():
            report(line, f"{name} must not be blank")
            return INVALID
        if self.max_length is not None and len(text) > self.max_length:
            report(line, f"{name} must be at most {self.max_length} characters; got {len(text)}")
            return INVALID
        if self.pattern and not re.fullmatch(self.pattern, text):
            return self.fail(report, line, name, raw)
        return text

    def describe(self):
        if self.pattern:
            return f"an id like {self.example} (pattern {self.pattern})"
        if self.max_length:
            return f"text of 1 to {self.max_length} characters"
        return "text"

    def json_schema(self):
        schema: dict[str, Any] = {"type": "string", "minLength": 1}
        if self.max_length:
            schema["maxLength"] = self.max_length
        if self.pattern:
            schema["pattern"] = f"^{self.pattern}$"
        return schema


@dataclasses.dataclass(frozen=True)
class Markdown(Text):
    """Markdown text (rendered without raw HTML)."""

    def describe(self):
        return "Markdown text"


@dataclasses.dataclass(frozen=True)
class Date(FieldType):
    """A calendar date written YYYY-MM-DD, quoted or not."""

    def read(self, raw, line, name, report):
        if isinstance(raw, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                report(line, f"{name} must be a real calendar date (YYYY-MM-DD); got {shown(raw)}")
                return INVALID
        return self.fail(report, line, name, raw)

    def describe(self):
        return "a date (YYYY-MM-DD)"

    def json_schema(self):
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


@dataclasses.dataclass(frozen=True)
class Integer(FieldType):
    """A whole number, unquoted, within bounds."""

    minimum: int
    maximum: int

    def read(self, raw, line, name, report):
        if isinstance(raw, Plain) and INTEGER.fullmatch(raw) and raw.lstrip("+-")[:2] not in ("0x", "0o"):
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
    """A finite number, unquoted."""

    def read(self, raw, line, name, report):
        if isinstance(raw, Plain) and FLOAT.fullmatch(raw) and "inf" not in raw.lower() \
                and "nan" not in raw.lower():
            value = float(raw)
            if math.isfinite(value):
                return int(value) if INTEGER.fullmatch(raw) else value
        return self.fail(report, line, name, raw)

    def describe(self):
        return "a finite number"

    def json_schema(self):
        return {"type": "number"}


@dataclasses.dataclass(frozen=True)
class Boolean(FieldType):
    """true or false (yes/no/on/off are not booleans)."""

    def read(self, raw, line, name, report):
        if isinstance(raw, Plain) and raw.lower() in ("true", "false") and raw in (
                "true", "True", "TRUE", "false", "False", "FALSE"):
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
        if not isinstance(raw, Sequence):
            report(line, f"{name} must be a list of {self.item.describe()}; got {shown(raw)}")
            return INVALID
        if len(raw) < self.min_items:
            report(line, f"{name} must list at least {self.min_items}; got an empty list")
            return INVALID
        items = [self.item.read(value, item_line, f"{name}[{index + 1}]", report)
                 for index, (value, item_line) in enumerate(zip(raw, raw.item_lines))]
        return INVALID if any(item is INVALID for item in items) else tuple(items)

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
        if not isinstance(raw, Mapping):
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
        if not isinstance(raw, Mapping):
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
        if not isinstance(raw, Mapping):
            report(line, f"{name} must be a mapping; got {shown(raw)}")
            return INVALID
        return to_plain_data(raw)

    def describe(self):
        return "a mapping of anything"

    def json_schema(self):
        return {"type": "object"}


@dataclasses.dataclass(frozen=True)
class Where:
    """Where a record came from: its file, its line and the line of each key or item."""

    path: str
    line: int
    lines: dict[str, int] = dataclasses.field(default_factory=dict, compare=False)

    def of(self, key: str, index: int | None = None) -> int:
        """The line of a key, or of the index-th item (0-based) of the list under it."""
        if index is not None and f"{key}[{index}]" in self.lines:
            return self.lines[f"{key}[{index}]"]
        return self.lines.get(key, self.line)


def read_record(cls: type, raw: Mapping, report: Report, *, prefix: str = "", path: str = "") -> Any:
    """Read a mapping into `cls`, reporting unknown, missing and mistyped keys."""
    keys = format_keys(cls)
    values: dict[str, Any] = {}
    ok = True
    lines: dict[str, int] = {}
    for name, value in raw.items():
        line = raw.key_lines[name]
        lines[name] = line
        if name not in keys:
            hint = difflib.get_close_matches(name, keys, n=1)
            suggestion = f"did you mean '{hint[0]}'?" if hint else "expected one of " + ", ".join(keys)
            report(line, f"unknown key '{prefix}{name}'; {suggestion}")
            ok = False
            continue
        if isinstance(value, Mapping):
            lines.update({f"{name}.{k}": key_line for k, key_line in value.key_lines.items()})
        if isinstance(value, Sequence):
            lines.update({f"{name}[{i}]": item_line for i, item_line in enumerate(value.item_lines)})
        if value is None:
            continue  # an empty key counts as not set
        parsed = keys[name].type.read(value, line, prefix + name, report)
        ok = ok and parsed is not INVALID
        values[name] = parsed
    for name, spec in keys.items():
        if spec.required and name not in values:
            state = "is empty" if name in raw else "is missing"
            report(raw.line, f"required key '{prefix}{name}' {state} ({spec.type.describe()})")
            ok = False
    if not ok:
        return INVALID
    return cls(where=Where(path, raw.line, lines), **values)


def record_schema(cls: type) -> dict[str, Any]:
    """The JSON Schema of a record class, from the same declarations the validator reads."""
    keys = format_keys(cls)
    properties = {}
    for name, spec in keys.items():
        schema = dict(spec.type.json_schema())
        schema["description"] = spec.doc + (f" ({spec.required_note})" if spec.required_note else "")
        properties[name] = {"anyOf": [schema, {"type": "null"}]} if not spec.required else schema
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name, spec in keys.items() if spec.required],
        "properties": properties,
    }
