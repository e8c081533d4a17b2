"""The id each row's improvement will have.

A row keeps its own id when it fits the register's pattern (or when an earlier import
kept it as a former id); any other row gets the next free id in the register's style,
and its own is kept under `extra: {former_id: …}`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ...edit.new import next_improvement_id
from ...register.model import IMPROVEMENT_ID
from .context import Context
from .keys import FORMER_ID

Rows = list[tuple[int, dict[str, Any]]]
"""Row number and values by key."""


def with_ids(context: Context, rows: Rows) -> Rows:
    """Each row with the id it will have: its own when it fits the register's pattern
    (or when an earlier import kept it as a former id), else the next free one."""
    kept, seen = _own_ids(context, rows)
    allocate = IdAllocator(context.root, set(seen) | set(context.index.files))
    renamed = dict(context.index.former)
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


def _own_ids(context: Context, rows: Rows) -> tuple[list[tuple[int, dict, str | None]],
                                                    dict[str, int]]:
    """Rows with the id they keep (None: one to hand out), and the row of each kept id;
    a row repeating an earlier row's id is a problem, and left out."""
    seen: dict[str, int] = {}
    kept = []
    for number, values in rows:
        written = values.get("id")
        own = written.upper() if written and re.fullmatch(IMPROVEMENT_ID, written.upper()) \
            else None
        if written and own is None:
            own = context.index.former.get(written)
            values[f"extra.{FORMER_ID}"] = written
        if own is not None and own in seen:
            context.problem(number, f"id {own} is also on row {seen[own]}; an id must be "
                                    "unique")
            continue
        if own is not None:
            seen[own] = number
        kept.append((number, values, own))
    return kept, seen


class IdAllocator:
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
