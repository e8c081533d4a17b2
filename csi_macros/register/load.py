"""Read a register folder into records, collecting every problem on the way."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, RegisterError
from .fields import INVALID, Reporter, read_record
from .model import Improvement, Metric, Organisation, Snapshot
from ..parallel import fork_map
from .source import read_document

REGISTER_DIR_ENV = "CSI_REGISTER_DIR"
YAML_SUFFIXES = (".yml", ".yaml")
SNAPSHOT_NAME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:-.*)?")

ORGANISATION_FILES = ("register.yml", "register.yaml")
FOLDERS: dict[str, type] = {
    "improvements": Improvement,
    "metrics": Metric,
    "snapshots": Snapshot,
}


@dataclass
class Records:
    """What the files say, before the rules that span files are applied.

    A file with problems still gives a record when its top level is a mapping: the
    keys that could be read are set and `where.invalid` names the others, so the
    rules that span files can report their own problems in the same run.
    """

    root: Path
    organisation: Organisation | None = None
    improvements: list[Improvement] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    unreadable: set[type] = field(default_factory=set)
    """Kinds with a file whose id could not be read: references into them are not
    checked, so one broken file does not cascade into errors elsewhere."""


@dataclass(frozen=True)
class RegisterFile:
    """A file of the register: where it is, how messages name it, what it holds."""

    path: Path
    display: str
    kind: type


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
    return [entry.path for entry in _scan(root, display_path(root), [])]


def read_records(root: Path) -> Records:
    """Read every file under `root`; problems are collected, never raised."""
    records = Records(root)
    shown_root = display_path(root)
    if not root.is_dir():
        records.problems.append(Problem(shown_root, 1, "register folder not found", "layout"))
        return records
    entries = _scan(root, shown_root, records.problems)
    records.files = [entry.path for entry in entries]
    if not any(os.path.lexists(root / name) for name in ORGANISATION_FILES):
        records.problems.append(Problem(_join(shown_root, "register.yml"), 1,
                                        "register.yml is missing (the organisation, vision and "
                                        "objectives)", "layout"))
    read, _ = fork_map(_read_file, entries, least=_PARALLEL_MIN, per_worker=_PARALLEL_MIN // 2)
    for entry, (record, problems) in zip(entries, read):
        records.problems.extend(problems)
        _add_record(entry, record, records)
    return records


_PARALLEL_MIN = 4000
"""From this many files the register is read by more than one core: below it, starting a
worker and copying its records back costs more than it saves."""


def _add_record(entry: RegisterFile, record: Any, records: Records) -> None:
    if record is None or (entry.kind is not Snapshot and "id" in record.where.invalid):
        records.unreadable.add(entry.kind)
    if record is None:
        return
    if entry.kind is Organisation:
        records.organisation = record
        if "objectives" in record.where.invalid:
            records.unreadable.add(Organisation)
    else:
        getattr(records, _FOLDER_OF[entry.kind]).append(record)


def _read_file(entry: RegisterFile) -> tuple[Any, list[Problem]]:
    """A file's record (None when it cannot be read at all) and its problems."""
    problems: list[Problem] = []
    try:
        document = read_document(entry.path, entry.display)
    except RegisterError as error:
        return None, error.problems
    record = read_record(entry.kind, document, Reporter(entry.display, problems), partial=True)
    return (None if record is INVALID else record), problems


_FOLDER_OF = {kind: folder for folder, kind in FOLDERS.items()}


def _scan(root: Path, shown_root: str, problems: list[Problem]) -> list[RegisterFile]:
    """The register's files, sorted by name within each folder; what cannot be a register
    file (a folder named like one, a link leading out of the register) is reported."""
    inside = root.resolve()
    found: list[RegisterFile] = []
    names = [name for name in ORGANISATION_FILES if os.path.lexists(root / name)]
    if len(names) == 2:
        problems.append(Problem(_join(shown_root, "register.yaml"), 1,
                                "both register.yml and register.yaml exist; keep only one "
                                "(register.yml is read)", "layout"))
    for name in names[:1]:
        found += _checked(root / name, _join(shown_root, name), Organisation, inside, problems)
    for folder, kind in FOLDERS.items():
        path = root / folder
        if not path.is_dir() or _outside(path, inside, _join(shown_root, folder), problems):
            continue
        shown = display_path(path)  # once per folder, not per file: it resolves the path
        with os.scandir(path) as entries:
            chosen = sorted((e.name, e.is_file(follow_symlinks=False)) for e in entries
                            if e.name.endswith(YAML_SUFFIXES) and not e.name.startswith("."))
        for name, regular in chosen:
            if regular:  # the common case, known from the folder listing alone
                found.append(RegisterFile(path / name, _join(shown, name), kind))
            else:
                found += _checked(path / name, _join(shown, name), kind, inside, problems)
    return found


def _checked(path: Path, shown: str, kind: type, inside: Path,
             problems: list[Problem]) -> list[RegisterFile]:
    """The file as a one-item list, or nothing after reporting why it cannot be read."""
    if path.is_symlink():
        if not path.exists():
            problems.append(Problem(shown, 1, "is a symbolic link to a file that does not exist",
                                    "layout"))
            return []
        if _outside(path, inside, shown, problems):
            return []
    if path.is_dir():
        problems.append(Problem(shown, 1, "is a folder, not a file; a register file is a YAML "
                                          "file (rename or move the folder)", "layout"))
        return []
    if not path.is_file():
        problems.append(Problem(shown, 1, "is not a regular file (a device, pipe or socket)",
                                "layout"))
        return []
    return [RegisterFile(path, shown, kind)]


def _outside(path: Path, inside: Path, shown: str, problems: list[Problem]) -> bool:
    """Whether `path` leads out of the register folder (a link); reported when it does.

    Links are refused rather than followed because the register is what the
    repository holds: a link could publish any file the build machine can read."""
    if inside in path.resolve().parents:
        return False
    problems.append(Problem(shown, 1, "is a symbolic link leading outside the register folder; "
                                      "keep register files inside it", "layout"))
    return True


def _join(folder: str, name: str) -> str:
    return name if folder in ("", ".") else f"{folder}/{name}"


def snapshot_name_date(path: str) -> dt.date | None:
    """The date a snapshot file's name starts with, if it is a real date."""
    match = SNAPSHOT_NAME.fullmatch(Path(path).stem)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None
