"""When each register file last changed, from git.

The site can say "last changed on 2026-10-02: Approve the P1 runbook" under an
improvement. Git is optional: without git, outside a repository, or for a file git
has never seen, the answer is simply None, never an error. A shallow clone works too,
though every file then seems to have changed in its oldest fetched commit; CI fetches
the whole history (`fetch-depth: 0`) for that reason.

Dates are author dates (when the change was written), in the author's time zone.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

TIMEOUT_SECONDS = 60
_FIELDS = "%H%x00%aI%x00%s"
_RECORD = "\x1e"


@dataclass(frozen=True)
class Change:
    """One commit that changed a file."""

    date: dt.date
    commit: str
    subject: str


def last_change(repo_root: Path | str, path: Path | str) -> Change | None:
    """The newest commit that changed `path` (relative to `repo_root`, or absolute)."""
    output = _git(repo_root, "log", "-1", "--encoding=UTF-8", f"--format={_FIELDS}",
                  "--", str(path))
    if not output:
        return None
    commit, date, subject = output.rstrip("\n").split("\x00", 2)
    return _change(commit, date, subject)


def last_changes(repo_root: Path | str, folder: Path | str = ".") -> dict[Path, Change]:
    """The newest commit of every file under `folder`, from one walk of the history.

    Keys are resolved absolute paths (look them up with `path.resolve()`); files git
    has never seen are absent.
    """
    top = _git(repo_root, "rev-parse", "--show-toplevel")
    output = _git(repo_root, "log", "-z", "--name-only", "--encoding=UTF-8",
                  f"--format={_RECORD}{_FIELDS}", "--", str(folder))
    if not top or not output:
        return {}
    base = Path(top.strip())
    changes: dict[Path, Change] = {}
    for record in output.split(_RECORD)[1:]:
        commit, date, subject, *names = record.split("\x00")
        change = _change(commit, date, subject)
        if change is None:
            continue
        for name in names:
            name = name.lstrip("\n")
            if name:
                changes.setdefault(base / name, change)  # newest first: the first one wins
    return changes


def _change(commit: str, date: str, subject: str) -> Change | None:
    try:
        return Change(dt.date.fromisoformat(date[:10]), commit, subject)
    except ValueError:
        return None


def _git(repo_root: Path | str, *args: str) -> str | None:
    """Run git in `repo_root`; its output, or None when git cannot answer."""
    command = ["git", "-C", str(repo_root), "-c", "core.quotepath=off", *args]
    try:
        result = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS,
                                stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired):  # no git, or it hangs
        return None
    if result.returncode != 0:  # not a repository, no commits yet, unsafe ownership…
        return None
    return result.stdout.decode("utf-8", errors="replace")
