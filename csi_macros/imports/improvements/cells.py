"""A row's cells read into values by key: words mapped, dates, lists, choices checked.

A cell that cannot be read is a problem of its row, and the row is left out; an
unknown status or priority is also remembered, so the report can suggest a mapping.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ...register.model import DIMENSIONS, IMPROVEMENT_ID, PRINCIPLES
from ..sheets import Row
from ..values import (Unreadable, cell_text, choose, is_empty, one_line, paragraphs,
                      read_date, read_list, read_whole)
from ..vocabulary import PRIORITY_WORDS, STATUS_WORDS, normal, priority_word
from .context import Context
from .entries import entry_lines
from .keys import DATES, LISTS, MARKDOWN, ONE_LINE


def row_values(context: Context, row: Row) -> dict[str, Any] | None:
    """The row's values by key (None for empty cells), or None after problems."""
    values: dict[str, Any] = {}
    before = len(context.report.problems)
    for key, (index, header) in context.columns.items():
        raw = row.cell(index).value
        if key in LISTS and not is_empty(raw):
            context.written[(row.number, key)] = " ".join(cell_text(raw).split())
        try:
            values[key] = None if is_empty(raw) else read_cell(context, key, raw, header)
        except Unreadable as error:
            context.problem(row.number, f'column "{header}": {error}')
    _fill_defaults(context, row.number, values)
    return values if len(context.report.problems) == before else None


def _fill_defaults(context: Context, number: int, values: dict[str, Any]) -> None:
    """The mapping file's defaults, for keys the row leaves empty."""
    for key, default in context.mapping.defaults.items():
        if values.get(key) is None and default is not None:
            try:
                values[key] = read_cell(context, key, default, "defaults")
            except Unreadable as error:
                context.problem(number, f"the mapping's default for {key}: {error}")


def read_cell(context: Context, key: str, raw: Any, header: str) -> Any:
    """One cell's value for `key`; raises `Unreadable` saying what was expected."""
    mapped = context.mapping.value(key, cell_text(raw)) if key not in LISTS else None
    if mapped is not None:
        raw = mapped
    if key in ONE_LINE:
        return one_line(raw)
    if key.startswith("extra."):
        return raw if isinstance(raw, (int, float)) else paragraphs(raw)
    if key in MARKDOWN:
        return paragraphs(raw)
    if key in DATES:
        return read_date(raw, month_first=context.options.month_first)
    if key == "status":
        return _choice(context, raw, STATUS_WORDS, "status", header)
    if key == "priority":
        return _choice(context, priority_word(cell_text(raw).strip()), PRIORITY_WORDS,
                       "priority", header, written=cell_text(raw).strip())
    if key in ("value", "effort"):
        return read_whole(raw, 1, 5)
    if key in LISTS:
        return [_item(context, key, context.mapping.value(key, item) or item)
                for item in read_list(raw)]
    if key in ("actions", "log"):
        return entry_lines(key, raw)
    if key == "extra":
        return _extra(raw)
    raise Unreadable(f"cannot import {key}")  # every target is handled above


def _choice(context: Context, raw: Any, known: dict[str, str], what: str, header: str, *,
            written: str | None = None) -> str:
    try:
        return choose(cell_text(raw).strip(), known, what)
    except Unreadable:
        context.report.unknown[(what, header)][written or cell_text(raw).strip()] = None
        raise


def _item(context: Context, key: str, item: Any) -> str:
    """One item of a list cell, as the register names it."""
    text = cell_text(item).strip()
    if key == "objectives":
        return choose(text, context.index.objectives, "objective")
    if key == "metrics":
        return choose(text, context.index.metrics, "metric")
    if key == "principles":
        return choose(text, _named(PRINCIPLES), "guiding principle")
    if key == "dimensions":
        return choose(text, _named(DIMENSIONS), "dimension")
    if key == "related":
        return text.upper() if re.fullmatch(IMPROVEMENT_ID, text.upper()) else text
    return text


def _extra(raw: Any) -> dict[str, Any]:
    try:
        extra = json.loads(cell_text(raw))
    except ValueError:
        extra = None
    if not isinstance(extra, dict):
        raise Unreadable('expected JSON data like {"cost_centre": "IT-42"}')
    return extra


def _named(table: dict[str, str]) -> dict[str, str]:
    """A model's words by their key and by their name, as a sheet may write either."""
    return {**{normal(name): key for key, name in table.items()},
            **{normal(key): key for key in table}}
