"""The mapping file: what the columns and values of one kind of sheet mean.

    columns:                 # column header → register key (or `ignore`)
      Number: id
      u_business_value: value
      Size: effort
      Cost centre: extra.cost_centre
      Notes: ignore
    values:                  # per key: value as written → value in the register
      status:
        Open: proposed
      effort:
        Small: 1
        Large: 5
    defaults:                # for rows whose cell is empty (or sheets without the column)
      priority: medium

Headers and values are matched as headers are (case and spacing ignored). The file is
read with the register's own safe YAML reader, so its problems name their lines too.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Iterable

from ..register.errors import Problem, RegisterError
from ..register.source import Mapping as YamlMapping, read_document, to_plain_data
from .vocabulary import normal

IGNORE = "ignore"
SECTIONS = ("columns", "values", "defaults")


@dataclasses.dataclass(frozen=True)
class ColumnMapping:
    """A user's mapping: normalised header → key, key → (normalised value → value), key →
    default."""

    columns: dict[str, str] = dataclasses.field(default_factory=dict)
    values: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    defaults: dict[str, Any] = dataclasses.field(default_factory=dict)

    def value(self, key: str, text: Any) -> Any:
        """The mapped value for `text` in column `key`, or None when the mapping is silent."""
        return self.values.get(key, {}).get(normal(str(text)))


def read_mapping(path: Path | None, display: str, targets: Iterable[str],
                 is_target: Any = None) -> ColumnMapping:
    """Read a mapping file; every problem is raised together as a `RegisterError`.

    `targets` are the keys a column may map to; `is_target(name)` accepts others
    (`extra.<name>` for improvements, a metric id for snapshots)."""
    if path is None:
        return ColumnMapping()
    document = read_document(path, display)
    problems: list[Problem] = []
    known = list(targets)

    def report(line: int, message: str) -> None:
        problems.append(Problem(display, line, message, "mapping"))

    def accepted(name: str) -> bool:
        return name in known or name == IGNORE or bool(is_target and is_target(name))

    for name in document:
        if name not in SECTIONS:
            report(document.key_lines[name], f"unknown section {name!r}; a mapping has "
                                             f"{', '.join(SECTIONS)}")
    columns: dict[str, str] = {}
    for header, target, line in _entries(document, "columns", report):
        if not isinstance(target, str) or not accepted(target):
            report(line, f"column {header!r} maps to {target!r}, which is not a key; expected "
                         f"one of {', '.join(known)}, {IGNORE}")
        else:
            columns[normal(header)] = target
    values: dict[str, dict[str, Any]] = {}
    for key, table, line in _entries(document, "values", report):
        if not isinstance(table, YamlMapping):
            report(line, f"values of {key!r} must be a mapping: value as written → value")
            continue
        values[key] = {normal(word): to_plain_data(meaning) for word, meaning in table.items()}
    defaults = {key: to_plain_data(value) for key, value, _ in
                _entries(document, "defaults", report)}
    if problems:
        raise RegisterError(problems)
    return ColumnMapping(columns, values, defaults)


def _entries(document: YamlMapping, section: str, report: Any) -> list[tuple[str, Any, int]]:
    table = document.get(section)
    if table is None:
        return []
    if not isinstance(table, YamlMapping):
        report(document.key_lines[section], f"{section} must be a mapping")
        return []
    return [(str(name), value if isinstance(value, YamlMapping) else to_plain_data(value),
             table.key_lines[name]) for name, value in table.items()]
