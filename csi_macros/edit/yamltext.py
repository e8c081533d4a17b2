"""YAML text written by hand: scalars, one-line values, literal blocks and `key: value` lines.

The writers never dump a tree: each returns text that reads back as exactly the value
given (the callers check that), quoting only what plain YAML would misread.
"""

from __future__ import annotations

import re
from typing import Any

_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_PLAIN_SAFE = re.compile(r"[A-Za-z][A-Za-z0-9 .,;!?'()/&+_-]*")
# Words YAML 1.1 readers take for booleans or null: always quoted.
_PLAIN_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")


def needs_escape(char: str) -> bool:
    """Characters a double-quoted YAML scalar cannot hold literally (or would fold)."""
    code = ord(char)
    return (code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF
            or char in "\u2028\u2029\ufeff\ufffe\uffff")


def yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML scalar, which reads back as exactly `text`.

    The same rules as the "Raise an improvement" form (`assets/raise.js`): backslash,
    double quote, newline, tab and carriage return get short escapes, every other
    character YAML cannot hold literally gets `\\uXXXX`.
    """
    return '"' + "".join(_SHORT_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if needs_escape(c) else c)
                         for c in text) + '"'


def yaml_scalar(text: str, *, flow: bool = False) -> str:
    """`text` unquoted when that is unambiguous (ordinary words), else double-quoted."""
    if (_PLAIN_SAFE.fullmatch(text) and not text.endswith(" ")
            and text.lower() not in _PLAIN_WORDS and not (flow and "," in text)):
        return text
    return yaml_string(text)


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
    if DATE_TEXT.fullmatch(value):
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
            or any(needs_escape(c) and c not in "\n\t" for c in body):
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
