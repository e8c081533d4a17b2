"""What an import tells its user besides the changes: problems, notes, ignored columns, hints."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict

from ...register.errors import Problem
from ...register.model import PRIORITIES, STATUSES


@dataclasses.dataclass
class Report:
    """Collected while the sheet is read; any problem refuses the whole import."""

    display: str
    problems: list[Problem] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    ignored: list[str] = dataclasses.field(default_factory=list)
    unknown: dict[tuple[str, str], dict[str, None]] = dataclasses.field(
        default_factory=lambda: defaultdict(dict))
    """Unknown statuses and priorities by (what, header), in the order first seen."""

    def problem(self, row: int, message: str) -> None:
        self.problems.append(Problem(self.display, row, message, "import"))

    def hints(self) -> list[str]:
        """For unknown statuses and priorities: the distinct values and the mapping that
        would settle them."""
        if not self.unknown:
            return []
        lines = ["", "To import these values, say what they mean in a mapping file and run "
                     "again with --mapping FILE:", "", "values:"]
        for (what, header), words in self.unknown.items():
            choices = STATUSES if what == "status" else PRIORITIES
            lines.append(f"  {what}:                # {header}: one of {', '.join(choices)}")
            lines += [f"    {json.dumps(word, ensure_ascii=False)}: " for word in words]
        return lines + [""]
