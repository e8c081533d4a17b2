"""A new improvement file written from a record, and checked to read back exactly."""

from __future__ import annotations

import json
from typing import Any

from ...edit.new import slug
from ...edit.yamltext import yaml_key_lines
from ...register.errors import RegisterError
from ...register.load import display_path
from ...register.source import parse_document, to_plain_data
from ..changes import FileChange
from .context import Context
from .keys import FORMER_ID


def new_file(context: Context, number: int, record: dict[str, Any]) -> FileChange | None:
    """The file a row creates, or None after a problem."""
    name = f"{record['id']}-{slug(record['title'])}".rstrip("-")
    path = context.root / "improvements" / f"{name}.yml"
    text = (f"# {record['id']}: imported from {context.source}, row {number}."
            f"\n" + improvement_text(record))
    try:
        exact = to_plain_data(parse_document(text, display_path(path))) == _plain(record)
    except RegisterError:
        exact = False
    if not exact:  # a safeguard: the writers above quote whatever they cannot hold
        context.problem(number, "cannot write this row as YAML exactly; enter it with csi new")
        return None
    former = record.get("extra", {}).get(FORMER_ID)
    was = f", was {former}" if former is not None else ""
    return FileChange(path, None, text.encode("utf-8"), context.table.display,
                      [number], f"row {number}{was}")


def improvement_text(record: dict[str, Any]) -> str:
    """A new improvement file's text: keys in the model's order, one per line, Markdown
    as literal blocks, lists in brackets, actions and log entries as block lists."""
    lines: list[str] = []
    for key, value in record.items():
        if key in ("model", "extra"):
            lines += _mapping_lines(key, value)
        elif key in ("actions", "log"):
            lines += _list_lines(key, value)
        else:
            lines += yaml_key_lines(key, value)
    return "\n".join(lines) + "\n"


def _mapping_lines(key: str, value: dict[str, Any]) -> list[str]:
    lines = [f"{key}:"]
    for name, item in value.items():
        # Extra data may nest; JSON is YAML's flow style, and writes any of it exactly.
        lines += yaml_key_lines(name, item, "  ") if not isinstance(item, (dict, list)) \
            else [f"  {name}: {json.dumps(item, ensure_ascii=False)}"]
    return lines


def _list_lines(key: str, entries: list[dict[str, Any]]) -> list[str]:
    lines = [f"{key}:"]
    for entry in entries:
        entry_lines = [line for name, item in entry.items()
                       for line in yaml_key_lines(name, item, "    ")]
        entry_lines[0] = "  - " + entry_lines[0][4:]
        lines += entry_lines
    return lines


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    """What reading the written file back must give: YAML's view of the values."""
    return json.loads(json.dumps(record, ensure_ascii=False))
