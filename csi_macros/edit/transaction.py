"""An edit leaves the register valid or leaves it alone.

The register is loaded before and after the edit; a problem the edit added undoes it
(the new file removed, the old bytes put back) and is reported. Problems the register
already had are no reason to refuse: the edit did not make them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Iterable

from ..register.errors import Problem, RegisterError
from ..readings.facts import load_register
from ..register.load import display_path
from .errors import EditError


def register_problems(root: Path, today: dt.date) -> list[Problem]:
    """Every problem of the register at `root`; none when it loads."""
    try:
        load_register(root, today=today)
    except RegisterError as error:
        return error.problems
    return []


def new_problems(before: Iterable[Problem], after: Iterable[Problem]) -> list[Problem]:
    """The problems of `after` that `before` did not have."""
    # Compared without line numbers: an edit moves the lines below it.
    known = Counter((p.path, p.message) for p in before)
    fresh = []
    for problem in after:
        if known[(problem.path, problem.message)]:
            known[(problem.path, problem.message)] -= 1
        else:
            fresh.append(problem)
    return fresh


def refusal(problems: list[Problem], what: str) -> EditError:
    """The error that says what was not done, and the problems it would have made."""
    lines = "\n".join(map(str, problems))
    return EditError(f"{what}, because the register would not be valid:\n{lines}")


def create(root: Path, path: Path, text: str, today: dt.date) -> Path:
    """Write a new file, refusing to overwrite; undo it when it adds a problem."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_new(path, text)
    after = register_problems(root, today)
    if not after:  # the common case: the register is valid with the file, loaded once
        return path
    path.unlink()
    fresh = new_problems(register_problems(root, today), after)
    if fresh:
        raise refusal(fresh, f"{display_path(path)} was not created")
    _write_new(path, text)  # the problems were there before it: it stays
    return path


def _write_new(path: Path, text: str) -> None:
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        raise EditError(f"{display_path(path)} already exists; nothing was written") from None


def replace(root: Path, path: Path, data: bytes, today: dt.date,
            before: list[Problem]) -> None:
    """Replace a file's bytes; put the original back when the result adds a problem."""
    original = path.read_bytes()
    write_atomically(path, data)
    fresh = new_problems(before, register_problems(root, today))
    if fresh:
        write_atomically(path, original)
        raise refusal(fresh, f"{display_path(path)} was left as it was")


def write_atomically(path: Path, data: bytes) -> None:
    """Replace the bytes of an existing file in one step, keeping its permissions."""
    # A temporary name the loader ignores (not .yml), then one rename: a build or an
    # editor never sees half a file.
    temporary = path.with_name(f".{path.name}.csi-tmp")
    temporary.write_bytes(data)
    shutil.copymode(path, temporary)
    os.replace(temporary, path)


@dataclasses.dataclass(frozen=True)
class FileWrite:
    """One file of a change to several: `path` gets `after`; `before` is what it held (None
    for a new file). A renamed file is two: its new name written, its old one removed
    (`after` None)."""

    path: Path
    before: bytes | None
    after: bytes | None


def problems_after(root: Path, writes: list[FileWrite], today: dt.date) -> list[Problem]:
    """Every problem the register at `root` would have with `writes` made, found in a copy
    of the folder; each named where it would be in the real one."""
    with tempfile.TemporaryDirectory(prefix="csi-edit-") as folder:
        copy = Path(folder) / root.name
        shutil.copytree(root, copy, symlinks=True, copy_function=_link_or_copy,
                        ignore=shutil.ignore_patterns(".git", "*.csi-tmp"))
        for write in writes:
            target = copy / write.path.relative_to(root)
            target.unlink(missing_ok=True)  # a link to the real file: never written through
            if write.after is not None:
                target.write_bytes(write.after)
        problems = register_problems(copy, today)
        shown_copy, shown_root = display_path(copy), display_path(root)
    moved = []
    for problem in problems:
        path = display_path(root / Path(problem.path).resolve().relative_to(copy.resolve())) \
            if Path(problem.path).resolve().is_relative_to(copy.resolve()) else problem.path
        message = problem.message.replace(shown_copy + "/", _folder_prefix(shown_root))
        moved.append(dataclasses.replace(problem, path=path, message=message))
    return sorted(moved)


def _link_or_copy(source: str, target: str) -> None:
    """A copy of a file for reading: a hard link where the file system allows one (a
    thousand files in a tenth of a second, where copying them takes seconds), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def write_all(writes: list[FileWrite]) -> None:
    """Make every write, or none: new files first (refusing to overwrite one), then the
    replaced ones, then the removed ones; on a failure every file is put back."""
    order = sorted(writes, key=lambda w: (w.before is not None, w.after is None))
    done: list[FileWrite] = []
    try:
        for write in order:
            if write.after is None:
                write.path.unlink()
            elif write.before is None:
                _create(write.path, write.after)
            else:
                write_atomically(write.path, write.after)
            done.append(write)
    except OSError as error:
        failed = order[len(done)]
        for write in reversed(done):
            if write.before is None:
                write.path.unlink(missing_ok=True)
            elif write.after is None:
                _create(write.path, write.before)
            else:
                write_atomically(write.path, write.before)
        raise EditError(f"{display_path(failed.path)}: cannot write the file "
                        f"({error.strerror or error}); nothing was changed") from None


def _create(path: Path, data: bytes) -> None:
    """A new file, whole or not at all: written under a name the loader ignores, then
    linked in (which fails rather than overwrite a file made meanwhile)."""
    temporary = path.with_name(f".{path.name}.csi-tmp")
    temporary.write_bytes(data)
    try:
        os.link(temporary, path)
    finally:
        temporary.unlink()


def _folder_prefix(shown: str) -> str:
    return "" if shown in ("", ".") else shown + "/"
