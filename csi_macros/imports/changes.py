"""What an import would do to the register's files, checked before anything is written.

An import is planned first: a list of files to create or replace, with the rows they
came from. The plan is applied to a copy of the register folder and the copy is
loaded; only when that adds no problem are the real files written (each one by a
rename, so a build never sees half a file). A dry run prints the plan as diffs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import shutil
import tempfile
from pathlib import Path

from ..edit.transaction import new_problems, write_atomically
from ..register.errors import CsiError, Problem, RegisterError
from ..readings.facts import load_register
from ..register.load import display_path


class ImportRefused(CsiError):
    """Nothing was written: `problems` says why, `hints` how to settle them."""

    def __init__(self, problems: list[Problem], hints: list[str] = ()) -> None:
        self.problems = sorted(set(problems), key=_reading_order)
        self.hints = list(hints)
        count = len(self.problems)
        lines = [*map(str, self.problems), *self.hints,
                 f"{count} problem{'s' if count != 1 else ''}; nothing was written"]
        super().__init__("\n".join(lines))


def _reading_order(problem: Problem) -> tuple:
    return (problem.path, problem.line, problem.message)


@dataclasses.dataclass
class FileChange:
    """One file to create (`before` is None) or replace, and the rows it came from."""

    path: Path
    before: bytes | None
    after: bytes
    source: str
    rows: list[int]
    summary: str

    @property
    def created(self) -> bool:
        return self.before is None

    def diff(self) -> str:
        """A unified diff, as `git diff` would show the change."""
        name = display_path(self.path)
        old = [] if self.before is None else self.before.decode("utf-8").splitlines(True)
        new = self.after.decode("utf-8").splitlines(True)
        lines = difflib.unified_diff(old, new, "/dev/null" if self.created else f"a/{name}",
                                     f"b/{name}")
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                       for line in lines)


@dataclasses.dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do)."""

    source: str
    rows: int
    changes: list[FileChange]
    unchanged: int = 0
    ignored: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    written: bool = False

    def lines(self, kind: str) -> list[str]:
        """What the import did, or in a dry run what it would do, with the diffs; as `csi
        import` prints it (`kind`: improvements or snapshots)."""
        lines = []
        verb = "" if self.written else "would be "
        for change in self.changes:
            what = "created" if change.created else "updated"
            lines.append(f"{verb}{what}: {display_path(change.path)} ({change.summary})")
        noun = "improvement" if kind == "improvements" else "date"
        if self.unchanged:
            lines.append(f"unchanged: {self.unchanged} {noun}{'s' if self.unchanged != 1 else ''}")
        if self.ignored:
            lines.append("ignored columns (map them with --mapping to import them): "
                         + ", ".join(f'"{name}"' for name in self.ignored))
        lines += [f"note: {note}" for note in self.notes]
        count = len(self.changes)
        lines.append(f"{self.source}: {self.rows} row{'s' if self.rows != 1 else ''} read; "
                     f"{count} file{'s' if count != 1 else ''} {verb}written"
                     + ("" if self.written else " (a dry run: nothing was written)"))
        if not self.written:
            lines += ["", *(change.diff() for change in self.changes)]
        return lines


def check_and_write(root: Path, changes: list[FileChange], source: str, today: dt.date,
                    *, dry_run: bool) -> None:
    """Refuse the changes when the register would gain a problem; else write them
    (unless `dry_run`)."""
    if not changes:
        return
    fresh = _problems_after(root, changes, today)
    if fresh:
        raise ImportRefused(fresh)
    if dry_run:
        return
    done: list[FileChange] = []
    try:
        for change in changes:
            _write(change)
            done.append(change)
    except OSError as error:
        for change in reversed(done):  # all or nothing, even when the disk fills up
            if change.created:
                change.path.unlink(missing_ok=True)
            else:
                write_atomically(change.path, change.before)
        raise ImportRefused([Problem(display_path(change.path), 1, f"cannot write the file: "
                                     f"{error.strerror or error}", "import")]) from None


def _write(change: FileChange) -> None:
    """One file, whole or not at all: a temporary name the loader ignores, then a rename
    (a new file is linked in, which fails rather than overwrite one made meanwhile)."""
    change.path.parent.mkdir(parents=True, exist_ok=True)
    if not change.created:
        write_atomically(change.path, change.after)
        return
    temporary = change.path.with_name(f".{change.path.name}.csi-tmp")
    temporary.write_bytes(change.after)
    try:
        os.link(temporary, change.path)
    finally:
        temporary.unlink()


def _problems_after(root: Path, changes: list[FileChange], today: dt.date) -> list[Problem]:
    """Problems the changes would add, each told at the row it came from."""
    before = _relative_problems(root, today)
    with tempfile.TemporaryDirectory(prefix="csi-import-") as folder:
        copy = Path(folder) / root.name
        shutil.copytree(root, copy, symlinks=True,
                        ignore=shutil.ignore_patterns(".git", "*.csi-tmp"))
        origin: dict[str, FileChange] = {}
        for change in changes:
            relative = change.path.relative_to(root)
            (copy / relative).parent.mkdir(parents=True, exist_ok=True)
            (copy / relative).write_bytes(change.after)
            origin[relative.as_posix()] = change
        after = _relative_problems(copy, today)
    fresh = []
    for problem in new_problems(before, after):
        change = origin.get(problem.path)
        where = display_path(root / problem.path) + f":{problem.line}"
        if change is None:
            fresh.append(Problem(display_path(root / problem.path), problem.line,
                                 f"{problem.message} (after the import)", "import"))
        else:
            fresh.append(Problem(change.source, change.rows[0],
                                 f"the register would not be valid: {where}: {problem.message}",
                                 "import"))
    return fresh


def _relative_problems(root: Path, today: dt.date) -> list[Problem]:
    """The register's problems, each path relative to the register folder."""
    try:
        load_register(root, today=today)
    except RegisterError as error:
        base = root.resolve()
        problems = []
        for problem in error.problems:
            try:
                path = Path(problem.path).resolve().relative_to(base).as_posix()
            except ValueError:
                path = problem.path
            problems.append(dataclasses.replace(problem, path=path))
        return problems
    return []
