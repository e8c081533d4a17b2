"""One family of errors: a problem is a value, a register error carries them all."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the register, at a place an editor can open.

    Problems sort by file and line, so a report reads top to bottom.
    """

    path: str
    line: int
    message: str
    rule: str = ""

    def __post_init__(self) -> None:
        # A message is one line of a report, whatever the register's text holds.
        if not self.message.isprintable():
            object.__setattr__(self, "message", "".join(
                c if c.isprintable() or c == "\t" else repr(c)[1:-1] for c in self.message))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class CsiError(Exception):
    """Base of every error this package raises on purpose."""


class RegisterError(CsiError):
    """The register has problems; every one of them is in `problems`, sorted."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        count = len(self.problems)
        heading = f"the register has {count} error{'s' if count != 1 else ''}:"
        super().__init__("\n".join([heading, *map(str, self.problems)]))
