"""A continual improvement register kept as YAML in git and published with MkDocs.

Its folders are its layers, and data flows down them: `register/` (the files read, checked
and modelled) → `readings/` (process behaviour, verdicts, facts) → `site/` (pages, charts,
feed) → `engines/` (MkDocs' `csi` plugin, Zensical), the only folder that knows a site
generator. `edit/` and `imports/` are the `csi` command's edits; `cli` is the command.
"""

from __future__ import annotations

__version__ = "0.1.0"
"""The package's version, kept here alone: pyproject.toml reads it (`[tool.setuptools.dynamic]`),
`csi --version` prints it, every page's generator tag names it and `csi init` pins it."""

from .register.errors import CsiError, Problem, RegisterError
from .readings.facts import ImprovementFacts, Point, Register, build_date, load_register

__all__ = ["__version__", "CsiError", "ImprovementFacts", "Point", "Problem", "Register",
           "RegisterError", "build_date", "load_register"]
