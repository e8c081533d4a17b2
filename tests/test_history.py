"""When a register file last changed, from git; None whenever git cannot say."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from csi_macros.register.history import Change, last_change, last_changes

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

FILE = "register/improvements/CSI-0001.yml"


def git(repo: Path, *args: str, date: str = "2026-01-01T12:00:00+00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Sam", "GIT_AUTHOR_EMAIL": "sam@example.org",
           "GIT_COMMITTER_NAME": "Sam", "GIT_COMMITTER_EMAIL": "sam@example.org",
           "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", "-C", str(repo), *args], env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def commit(repo: Path, files: dict[str, str], subject: str, date: str) -> str:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", subject, date=date)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "--quiet", "--initial-branch=main")
    commit(root, {FILE: "id: CSI-0001\n", "register/register.yml": "x\n"}, "Raise CSI-0001",
           "2026-01-10T09:00:00+00:00")
    commit(root, {FILE: "id: CSI-0001\nstatus: approved\n"}, "Approve CSI-0001: <b>CAB</b> é",
           "2026-02-01T23:30:00-05:00")
    commit(root, {"README.md": "unrelated\n"}, "Docs", "2026-03-01T09:00:00+00:00")
    return root


def test_last_change_is_the_newest_commit_of_that_file(repo: Path) -> None:
    change = last_change(repo, FILE)
    assert change == Change(dt.date(2026, 2, 1), git(repo, "rev-parse", "HEAD~1"),
                            "Approve CSI-0001: <b>CAB</b> é")
    assert last_change(repo, repo / "register" / "register.yml").subject == "Raise CSI-0001"
    assert last_change(repo / "register", "register.yml").subject == "Raise CSI-0001", \
        "a path relative to a folder inside the repository"


def test_last_changes_walks_the_history_once(repo: Path) -> None:
    changes = last_changes(repo, "register")
    organisation = "register/register.yml"
    assert changes == {(repo / FILE).resolve(): last_change(repo, FILE),
                       (repo / organisation).resolve(): last_change(repo, organisation)}


def test_none_without_history(repo: Path, tmp_path: Path) -> None:
    (repo / "register" / "new.yml").write_text("id: X\n", encoding="utf-8")
    assert last_change(repo, "register/new.yml") is None, "never committed"
    assert last_change(repo, "no/such/file.yml") is None
    outside = tmp_path / "plain"
    outside.mkdir()
    assert last_change(outside, "file.yml") is None, "not a repository"
    assert last_changes(outside) == {}
    assert last_change(tmp_path / "missing", "file.yml") is None


def test_none_without_git(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    assert last_change(repo, FILE) is None
    assert last_changes(repo) == {}


def test_a_shallow_clone_still_answers(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", f"file://{repo}", str(clone)],
                   check=True, capture_output=True)
    change = last_change(clone, FILE)
    assert change is not None and change.subject == "Docs", \
        "a depth-1 clone sees only its one commit (CI fetches the whole history)"
