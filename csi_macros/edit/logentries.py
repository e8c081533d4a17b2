"""A log entry appended to an improvement file in the style of the entries already there.

A file may write its log as a block list of block mappings (indented any way), a block
list of flow mappings, a flow list, or not at all (`log:`, `log: ~`, no key): the new
entry copies what it finds, so the file still looks written by one hand.
"""

from __future__ import annotations

from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..register.model import STATUSES
from .splice import Splice
from .yamltext import DATE_TEXT, yaml_scalar


def append_log(document: Splice, entry: dict[str, str]) -> None:
    """Add an entry at the end of `log:` in the style of the entries already there."""
    document.expected["log"] = [*(document.data.get("log") or []), entry]
    if "log" not in document.keys:
        _append_new_log(document, entry)
        return
    node = document.keys["log"][1]
    if isinstance(node, ScalarNode):  # `log:` or `log: ~`
        _fill_empty_log(document, entry)
    elif node.flow_style:
        _append_flow_entry(document, node, entry)
    else:
        _append_block_entry(document, node, entry)


def _append_new_log(document: Splice, entry: dict[str, str]) -> None:
    # No log yet: it goes at the end of the file.
    offset = _sequence_offset(document)
    document.insert_lines(len(document.text),
                          [f"{document.indent}log:", *_block_entry(entry, offset, 2)])


def _fill_empty_log(document: Splice, entry: dict[str, str]) -> None:
    key, node = document.keys["log"]
    colon = document.colon(key)
    document.edit(colon + 1, node.end_mark.index if node.value else colon + 1, "")
    column = key.start_mark.column
    lines = _block_entry(entry, column + _sequence_offset(document), 2)
    document.insert_lines(document.line_end(colon), lines)


def _append_flow_entry(document: Splice, node: SequenceNode, entry: dict[str, str]) -> None:
    flow = _flow_entry(entry)
    if node.value:
        end = node.value[-1].end_mark.index
        document.edit(end, end, ", " + flow)
    else:
        closing = document.text.rindex("]", 0, node.end_mark.index)
        document.edit(closing, closing, flow)


def _append_block_entry(document: Splice, node: SequenceNode, entry: dict[str, str]) -> None:
    dash = node.start_mark.column
    first = node.value[0]
    if all(isinstance(item, MappingNode) and item.flow_style for item in node.value):
        lines = [f"{' ' * dash}- {_flow_entry(entry)}"]
    else:
        # The gap after the dash and the order of keys copy the first entry.
        gap = first.start_mark.column - dash if isinstance(first, MappingNode) else 2
        order = [k.value for k, _ in first.value] if isinstance(first, MappingNode) else []
        lines = _block_entry(entry, dash, max(gap, 2), order)
    document.insert_lines(document.line_end(document.content_end(node) - 1), lines)


def _sequence_offset(document: Splice) -> int:
    """How far this file indents a list's dashes under its key (0 or 2, usually)."""
    for key, value in document.root.value:
        if isinstance(value, SequenceNode) and not value.flow_style:
            return max(value.start_mark.column - key.start_mark.column, 0)
    return 2


def _block_entry(entry: dict[str, str], dash: int, gap: int,
                 order: list[str] = ()) -> list[str]:
    keys = [k for k in order if k in entry] + [k for k in entry if k not in order]
    lines = [f"{' ' * (dash + gap)}{k}: {_value(entry[k])}" for k in keys]
    lines[0] = f"{' ' * dash}-{' ' * (gap - 1)}{lines[0].lstrip()}"
    return lines


def _flow_entry(entry: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k}: {_value(v, flow=True)}" for k, v in entry.items()) + "}"


def _value(value: str, *, flow: bool = False) -> str:
    # Dates and statuses are written bare, as people write them in a log.
    if DATE_TEXT.fullmatch(value) or value in STATUSES:
        return value
    return yaml_scalar(value, flow=flow)
