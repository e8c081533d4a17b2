"""Shared fixtures: a register written from a few records, and the problems it has."""

from __future__ import annotations

import datetime as dt
import itertools
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
