"""Real git repositories in a temporary folder, for the tests of ids across branches.

    origin = repository_with_register(tmp_path / "origin")   # main, one commit, a register
    git(origin, "switch", "-q", "-c", "feature")
    write_register(origin / "register", improvements=[improvement("CSI-0002")])
    commit(origin, "Raise CSI-0002")

git runs with no configuration of the machine's (no signing, no hooks, no default branch
of its own), as the same author at a fixed time, so every run makes the same commits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from csi_macros.testing import write_register

GIT_ENVIRONMENT = {
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Sam Editor", "GIT_AUTHOR_EMAIL": "sam@example.org",
    "GIT_COMMITTER_NAME": "Sam Editor", "GIT_COMMITTER_EMAIL": "sam@example.org",
    "GIT_AUTHOR_DATE": "2026-11-20T12:00:00Z", "GIT_COMMITTER_DATE": "2026-11-20T12:00:00Z",
}
"""What git sees in these tests, on top of the environment (and what `csi` sees too)."""

_OUTSIDE = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
            "GIT_COMMON_DIR", "GIT_NAMESPACE")
"""Variables a git hook running the tests would set, pointing at another repository."""


def require_git() -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")


def environment() -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k not in _OUTSIDE}, **GIT_ENVIRONMENT}


def git(cwd: Path, *args: str) -> str:
    """git's output for `args` in `cwd`; a failure fails the test with git's message."""
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          env=environment())
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def commit(repository: Path, message: str) -> str:
    """Commit everything in the work tree; the new commit's id."""
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "--no-verify", "-m", message)
    return git(repository, "rev-parse", "HEAD").strip()


def repository_with_register(folder: Path, **files: Any) -> Path:
    """A repository on `main` whose first commit holds a register (`write_register`'s
    arguments) in `register/`."""
    require_git()
    folder.mkdir(parents=True, exist_ok=True)
    git(folder, "init", "-q", "-b", "main")
    write_register(folder / "register", **files)
    commit(folder, "Start the register")
    return folder


def use_git_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `csi` run inside the test (not in a subprocess) see what `git()` sees."""
    for name in _OUTSIDE:
        monkeypatch.delenv(name, raising=False)
    for name, value in GIT_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
