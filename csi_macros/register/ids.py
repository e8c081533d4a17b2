"""Improvement ids: read from file names, in the register's own style, and the next free one.

An improvement's file name starts with its id (`CSI-0007.yml`, `CSI-0007-faster-restore.yml`),
so the ids a folder holds are known from its listing alone: the same listing on a branch
(read from git's objects, `branches.py`) gives the ids that branch holds, without reading
a file. The next id continues the style most files use (prefix and zero-padding) and is
one more than the highest number with that prefix anywhere it is asked to look.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

ID_IN_NAME = re.compile(r"([A-Z][A-Z0-9]*)-([0-9]+)(?:-.*)?")
"""An improvement's file name without its suffix: its id (prefix, number), then maybe `-`
and a slug."""

YAML_NAME = re.compile(r"(?!\.)(.+)\.ya?ml")
"""A YAML file name the loader reads (not hidden), and its stem."""

DEFAULT_PREFIX = "CSI"
DEFAULT_DIGITS = 4


def id_of_name(name: str) -> str | None:
    """The improvement id a file name starts with: `CSI-0007-slug.yml` → `CSI-0007`; None
    for a name that is not a YAML file named after an id."""
    yaml_name = YAML_NAME.fullmatch(name)
    match = ID_IN_NAME.fullmatch(yaml_name.group(1)) if yaml_name else None
    return f"{match.group(1)}-{match.group(2)}" if match else None


def slug_of_name(name: str, improvement_id: str) -> str:
    """What follows the id in a file's name, suffix included: `-laptop-loans.yml`."""
    return name[len(improvement_id):]


def next_id(ids: Iterable[str], style: Iterable[str] = ()) -> str:
    """The id after every one of `ids`, in the style most of `style` follow (when `style`
    holds no id: most of `ids`).

    The prefix and zero-padding that most of them use win (`CSI-0001`, `OPS-12`); the
    number is one more than the highest of `ids` with that prefix. `CSI-0001` when there
    are none.
    """
    ids = list(ids)
    numbers = _by_prefix(style) or _by_prefix(ids)
    if not numbers:
        return f"{DEFAULT_PREFIX}-{1:0{DEFAULT_DIGITS}d}"
    prefix = min(numbers, key=lambda p: (-len(numbers[p]), p))
    widths = Counter(len(n) for n in numbers[prefix])
    width = max(widths, key=lambda w: (widths[w], w))
    highest = max((int(n) for n in _by_prefix(ids).get(prefix, ())), default=0)
    return f"{prefix}-{highest + 1:0{width}d}"


def _by_prefix(ids: Iterable[str]) -> dict[str, list[str]]:
    """The numbers of `ids` (as written, padding kept), by prefix."""
    numbers: dict[str, list[str]] = {}
    for improvement_id in ids:
        match = ID_IN_NAME.fullmatch(improvement_id)
        if match:
            numbers.setdefault(match.group(1), []).append(match.group(2))
    return numbers
