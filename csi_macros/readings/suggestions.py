"""Advice `csi check` gives about a register that is valid: suggestions, never errors.

Each is a `Problem` at the file and line to change, so that every output format of
`csi check` (text, GitHub's notices, GitLab's report) shows it where the editor works.
"""

from __future__ import annotations

from ..register.errors import Problem
from .cadence import FROM_DATES, FROM_DEFAULT
from .facts import Register


def suggestions(register: Register) -> list[Problem]:
    """Findings about the register that are advice, never errors, by file and line: a
    metric whose limits Making Data Count would now recalculate (`Register.rebase_advice`),
    and a metric whose data is late (`Register.cadence`: the files are fine, the data is
    not coming)."""
    return sorted([*rebase_suggestions(register), *late_suggestions(register)])


def late_suggestions(register: Register) -> list[Problem]:
    """A late metric: its newest value is older, at the build date, than one and a half of
    its periods. At the `frequency` line when the file has one, else at the metric's first."""
    found = []
    for metric in register.metrics:
        cadence = register.cadence[metric.id]
        if not cadence.late:
            continue
        said = {FROM_DATES: " (read from its dates)",
                FROM_DEFAULT: " (too few values to read it from their dates)"}.get(cadence.source, "")
        line = metric.where.lines.get("frequency", metric.where.line)
        found.append(Problem(metric.where.path, line, (
            f"suggestion: {metric.id} is late: its newest value is dated "
            f"{cadence.newest.isoformat()}, and a {cadence.frequency} metric{said} expects one "
            f"every {PERIOD_NOUNS[cadence.frequency]}; add its values to the snapshots since, "
            f"or set 'frequency' to how often it is really measured"), "late"))
    return found


PERIOD_NOUNS = {"weekly": "week", "monthly": "month", "quarterly": "quarter", "yearly": "year"}


def rebase_suggestions(register: Register) -> list[Problem]:
    """A metric whose limits Making Data Count would now recalculate, at its `rebase` line
    (or its first)."""
    found = []
    for metric_id, advice in register.rebase_advice.items():
        metric = register.metric[metric_id]
        rebased = ", ".join(day.isoformat() for day in sorted({*metric.rebase, advice.date}))
        line = metric.where.lines.get("rebase", metric.where.line)
        said = (f"{advice.improvement_id} (implemented {advice.implemented}) was followed by "
                f"a lasting improvement of {metric_id} from {advice.date}"
                if advice.improvement_id else
                f"{metric_id} has run on one side of its mean since {advice.date}")
        found.append(Problem(metric.where.path, line, (
            f"suggestion: {said}; Making Data Count recalculates the process limits from a "
            f"change like this: add 'rebase: [{rebased}]' to this file"), "rebase_advice"))
    return found
