"""A record page says when its file last changed, where the build runs in a git clone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from csi_macros import load_register
from csi_macros.site.pages import SiteContext, improvement
from csi_macros.site.pages.context import Site
from csi_macros.testing import improvement as record, write_register

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def page(root: Path) -> str:
    register = load_register(root)
    return improvement.pages(Site(register, SiteContext()))["register/CSI-0001.md"].html()


def test_the_last_commit_is_shown_in_a_clone(tmp_path: Path, monkeypatch) -> None:
    root = write_register(tmp_path / "register", improvements=[record()])
    monkeypatch.chdir(tmp_path)
    git = ["git", "-c", "user.name=Ed Itor", "-c", "user.email=ed@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "Raise <CSI-0001>"], check=True)
    shown = page(root)
    assert "File last changed" in shown
    assert "Raise &lt;CSI-0001&gt;" in shown


def test_outside_git_the_row_is_left_out(tmp_path: Path, monkeypatch) -> None:
    root = write_register(tmp_path / "register", improvements=[record()])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert "File last changed" not in page(root)
