"""An edit leaves the register valid or leaves it alone.

The register is loaded before and after the edit; a problem the edit added undoes it
(the new file removed, the old bytes put back) and is reported. Problems the register
already had are no reason to refuse: the edit did not make them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
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
    before = register_problems(root, today)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        raise EditError(f"{display_path(path)} already exists; nothing was written") from None
    fresh = new_problems(before, register_problems(root, today))
    if fresh:
        path.unlink()
        raise refusal(fresh, f"{display_path(path)} was not created")
    return path


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
