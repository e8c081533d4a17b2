"""Shared fixtures: a register written from a few records, and the problems it has."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import settings

from csi_macros.testing import register_problems, write_register

# No property test has a time limit: how long an example takes depends on the machine and
# on what else it runs (performance targets live in benchmarks/, never in the tests).
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")

BUILD_DATE = dt.date(2026, 11, 25)
"""The build date the validation tests check against, unless a test says otherwise."""


@pytest.fixture
def problems_of(tmp_path: Path) -> Callable[..., list[str]]:
    """`problems_of(improvements=[...], ...)`: write a register (arguments as for
    `write_register`) and return its problems as `register/...:line: message`."""
    folders = itertools.count(1)

    def problems_of(*, today: dt.date = BUILD_DATE, **files: Any) -> list[str]:
        root = write_register(tmp_path / f"case-{next(folders)}" / "register", **files)
        return register_problems(root, today=today)

    return problems_of


@dataclass
class Package:
    """The package as people get it: the sdist and wheel `python -m build` made from this
    repository (with what it said), and a fresh virtual environment outside the repository
    with the wheel installed (Zensical too, from its `zensical` extra)."""

    wheel: Path
    build_output: str
    bin: Path


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Package:
    """Built and installed once per run (slow: every test that needs it shares it)."""
    project = Path(__file__).resolve().parent.parent
    work = tmp_path_factory.mktemp("package")
    # Byte-compiling off (PYTHONDONTWRITEBYTECODE) makes setuptools say so in "warning:"
    # lines of its own; a release's build has it on.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    built = subprocess.run([sys.executable, "-m", "build", "--outdir", str(work / "dist"),
                            str(project)], env=env, capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next((work / "dist").glob("csi_register-*.whl"))
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / "bin"
    installing = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet",
                                 f"{wheel}[zensical]"], capture_output=True, text=True,
                                timeout=1800, cwd=work)
    assert installing.returncode == 0, installing.stdout + installing.stderr
    return Package(wheel, built.stdout + built.stderr, bin_dir)
