"""A continual improvement register kept as YAML in git and published with MkDocs.

The core (load → validate → facts → pages and charts) is plain Python; `plugin`
is the only module that knows MkDocs.
"""

from __future__ import annotations

from .errors import CsiError, Problem, RegisterError
from .facts import ImprovementFacts, Point, Register, build_date, load_register

__all__ = ["CsiError", "ImprovementFacts", "Point", "Problem", "Register", "RegisterError",
           "build_date", "load_register"]
