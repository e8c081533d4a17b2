"""Make a register in a temporary folder from a few dicts, in one line.

    with temporary_register(improvements=[improvement("CSI-1", status="approved")]) as root:
        register = load_register(root)

Records are given as dicts (dumped to YAML) or as YAML text (written as it is),
so a test can state exactly the bytes it feeds the loader. `register_problems(root)`
gives what is wrong with a register as the lines `csi check` prints:

    register_problems(write_register(tmp / "register", improvements=[improvement(value=9)]))
    # ["register/improvements/CSI-0001.yml:10: value must be a whole number from 1 to 5; got '9'"]
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml

from .register.errors import RegisterError
from .readings.cadence import add_periods
from .readings.facts import load_register

Record = Mapping[str, Any] | str | bytes


def organisation(**overrides: Any) -> dict[str, Any]:
    """A minimal valid register.yml."""
    return {"organisation": "Example IT", "vision": "Reliable services people trust.",
            "objectives": [{"id": "OBJ-1", "title": "Faster restores", "metrics": ["MTTR"]}],
            **overrides}


def improvement(id: str = "CSI-0001", **overrides: Any) -> dict[str, Any]:
    """A minimal valid improvement (approved, owned, linked to OBJ-1)."""
    return {"id": id, "title": f"Improvement {id}", "description": "Something to improve.",
            "raised": "2026-01-10", "owner": "Sam Owner", "status": "approved",
            "priority": "medium", "objectives": ["OBJ-1"], **overrides}


def metric(id: str = "MTTR", **overrides: Any) -> dict[str, Any]:
    """A minimal valid metric."""
    return {"id": id, "name": f"Metric {id}", "unit": "hours", "direction": "lower_is_better",
            "baseline": {"date": "2026-01-01", "value": 10}, **overrides}


def snapshot(date: str = "2026-02-28", **values: Any) -> dict[str, Any]:
    """A snapshot file's content for a date."""
    return {"date": date, "values": values or {"MTTR": 8}}


def month_ends(count: int, start: str = "2025-01-31", step: int = 1) -> list[dt.date]:
    """`count` month ends from `start` (a month's end), `step` months apart: the dates of
    a monthly (or, with step 3, quarterly) series."""
    first = dt.date.fromisoformat(start)
    return [add_periods(first, index * step, "monthly") for index in range(count)]


def without(record: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    """A copy of a record with some keys left out: `without(improvement(), "owner")`."""
    return {name: value for name, value in record.items() if name not in keys}


def write_register(root: Path, *, register: Record | None = None,
                   improvements: list[Record] | dict[str, Record] = (),
                   metrics: list[Record] | dict[str, Record] | None = None,
                   snapshots: list[Record] | dict[str, Record] = ()) -> Path:
    """Write a register under `root`; lists are named after their ids/dates, dicts give names."""
    root.mkdir(parents=True, exist_ok=True)
    _write(root / "register.yml", organisation() if register is None else register)
    for folder, records, naming in (("improvements", improvements, "id"),
                                    ("metrics", [metric()] if metrics is None else metrics, "id"),
                                    ("snapshots", snapshots, "date")):
        (root / folder).mkdir(exist_ok=True)
        named = records if isinstance(records, dict) else {f"{r[naming]}.yml": r for r in records}
        for name, record in named.items():
            _write(root / folder / name, record)
    return root


@contextlib.contextmanager
def temporary_register(**files: Any) -> Iterator[Path]:
    """A register written by `write_register` in a folder that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="csi-register-") as folder:
        yield write_register(Path(folder) / "register", **files)


def yaml_text(record: Mapping[str, Any]) -> str:
    """A record as `write_register` writes it: keys in the order given, one per line."""
    return yaml.safe_dump(dict(record), sort_keys=False, allow_unicode=True)


def register_problems(root: Path, *, today: dt.date | None = None) -> list[str]:
    """Every problem `load_register` finds, as `register/...:line: message` (the path
    relative to the register's parent folder); an empty list when the register is valid."""
    with contextlib.chdir(root.parent):
        try:
            load_register(root.name, today=today)
        except RegisterError as error:
            return [str(problem) for problem in error.problems]
    return []


def _write(path: Path, record: Record) -> None:
    if isinstance(record, bytes):
        path.write_bytes(record)
    elif isinstance(record, str):
        path.write_text(record, encoding="utf-8")
    else:
        path.write_text(yaml_text(record), encoding="utf-8")
