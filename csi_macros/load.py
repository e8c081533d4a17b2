"""Read a register folder into records, collecting every problem on the way."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, RegisterError
from .fields import INVALID, read_record
from .model import Improvement, Metric, Organisation, Snapshot
from .source import read_document

REGISTER_DIR_ENV = "CSI_REGISTER_DIR"
YAML_SUFFIXES = (".yml", ".yaml")
SNAPSHOT_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:-.*)?")

FOLDERS: dict[str, type] = {
    "improvements": Improvement,
    "metrics": Metric,
    "snapshots": Snapshot,
}


@dataclass
class Records:
    """What the files say, before the rules that span files are applied."""

    root: Path
    organisation: Organisation | None = None
    improvements: list[Improvement] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    unreadable: set[type] = field(default_factory=set)
    """Kinds with a file that could not be read: references into them are not checked,
    so one broken file does not cascade into errors elsewhere."""


def register_dir(config_dir: Path | str = ".", default: str = "register") -> Path:
    """The register folder: `CSI_REGISTER_DIR` when set (relative to `config_dir`), else the default."""
    chosen = os.environ.get(REGISTER_DIR_ENV) or default
    return (Path(config_dir) / chosen).resolve()


def display_path(path: Path) -> str:
    """How a file is named in messages: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def register_files(root: Path) -> list[Path]:
    """Every YAML file that belongs to the register, in a stable order."""
    files = [root / name for name in ("register.yml", "register.yaml") if (root / name).is_file()]
    for folder in FOLDERS:
        if (root / folder).is_dir():
            files += sorted(p for p in (root / folder).iterdir()
                            if p.suffix in YAML_SUFFIXES and p.is_file())
    return files


def read_records(root: Path) -> Records:
    """Read every file under `root`; problems are collected, never raised."""
    records = Records(root)
    if not root.is_dir():
        records.problems.append(Problem(display_path(root), 1, "register folder not found", "layout"))
        return records
    records.files = register_files(root)
    if not any(p.parent == root for p in records.files):
        records.problems.append(Problem(display_path(root / "register.yml"), 1,
                                        "register.yml is missing (the organisation, vision and "
                                        "objectives)", "layout"))
    for path in records.files:
        kind = Organisation if path.parent == root else FOLDERS[path.parent.name]
        record = _read_file(path, kind, records.problems)
        if record is INVALID:
            records.unreadable.add(kind)
            continue
        if kind is Organisation:
            records.organisation = record
        else:
            getattr(records, path.parent.name).append(record)
    return records


def _read_file(path: Path, kind: type, problems: list[Problem]) -> Any:
    display = display_path(path)
    try:
        document = read_document(path, display)
    except RegisterError as error:
        problems.extend(error.problems)
        return INVALID

    def report(line: int, message: str) -> None:
        problems.append(Problem(display, line, message, "type"))

    return read_record(kind, document, report, path=display)


def snapshot_name_date(path: str) -> dt.date | None:
    """The date a snapshot file's name starts with, if it is a real date."""
    match = SNAPSHOT_NAME.fullmatch(Path(path).stem)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None
