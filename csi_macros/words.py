"""The words pages show for the register's fixed values, in the active language.

The register's files, the CSS classes, the data attributes and the exports keep the
English keys (`in_progress`, `higher_is_better`, `on track`); readers see the words
below, translated (see `i18n.py`). Each table names every key of its kind, so a new
status or verdict without a word fails the import-time check at the bottom.
"""

from __future__ import annotations

from .i18n import N_, _
from .model import DIMENSIONS, DIRECTIONS, PRINCIPLES, PRIORITIES, STATUSES, STEPS
from .behaviour import ASSURANCES, EVIDENCE, VARIATIONS
from .verdicts import VERDICT_STATUSES

STATUS_WORDS = {
    "proposed": N_("proposed"),
    "approved": N_("approved"),
    "in_progress": N_("in progress"),
    "implemented": N_("implemented"),
    "closed": N_("closed"),
    "rejected": N_("rejected"),
    "deferred": N_("deferred"),
}

PRIORITY_WORDS = {
    "critical": N_("critical"),
    "high": N_("high"),
    "medium": N_("medium"),
    "low": N_("low"),
}

FLAG_WORDS = {
    "stale": N_("stale"),
    "overdue": N_("overdue"),
}

VERDICT_WORDS = {
    "target met": N_("target met"),
    "on track": N_("on track"),
    "at risk": N_("at risk"),
    "off track": N_("off track"),
    "no target": N_("no target"),
    "no data": N_("no data"),
}

# Process behaviour (register format v1.1): the English words are the contract's, exactly.
VARIATION_WORDS = {
    "common cause": N_("common cause"),
    "special cause: improvement": N_("special cause: improvement"),
    "special cause: concern": N_("special cause: concern"),
    "too few points": N_("too few points"),
}

ASSURANCE_WORDS = {
    "consistently passes": N_("consistently passes"),
    "consistently fails": N_("consistently fails"),
    "hit and miss": N_("hit and miss"),
    "no target": N_("no target"),
    "too few points": N_("too few points"),
}

EVIDENCE_WORDS = {
    "signal of improvement": N_("signal of improvement"),
    "signal of concern": N_("signal of concern"),
    "no signal yet": N_("no signal yet"),
    "too early to tell": N_("too early to tell"),
    "too few points before": N_("too few points before"),
    "not implemented yet": N_("not implemented yet"),
}

DIRECTION_WORDS = {
    "higher_is_better": N_("higher is better"),
    "lower_is_better": N_("lower is better"),
}


def _word(table: dict[str, str], key: str) -> str:
    """A key's word in the active language; a key without one shows as it is."""
    return _(table[key]) if key in table else key


def status(key: str) -> str:
    """`in_progress` → "in progress" ("in Arbeit")."""
    return _(STATUS_WORDS[key]) if key in STATUS_WORDS else key.replace("_", " ")


def priority(key: str) -> str:
    return _word(PRIORITY_WORDS, key)


def flag(key: str) -> str:
    return _word(FLAG_WORDS, key)


def verdict(key: str) -> str:
    return _word(VERDICT_WORDS, key)


def variation(key: str) -> str:
    return _word(VARIATION_WORDS, key)


def assurance(key: str) -> str:
    return _word(ASSURANCE_WORDS, key)


def evidence(key: str) -> str:
    return _word(EVIDENCE_WORDS, key)


def direction(key: str) -> str:
    return _word(DIRECTION_WORDS, key)


def step_question(step: int) -> str:
    """Step 4 → "How do we get there?" ("Wie kommen wir dorthin?")."""
    return _(STEPS[step])


def step_label(status_key: str) -> str:
    """Where a status stands in the model: "4 How do we get there?", "1–3 …", "—"."""
    return _(STATUSES[status_key].step_label)


def principle(key: str) -> str:
    return _(PRINCIPLES[key])


def dimension(key: str) -> str:
    return _(DIMENSIONS[key])


# Every key has its word: a new status, priority, verdict or direction needs one here.
assert set(STATUS_WORDS) == set(STATUSES)
assert set(PRIORITY_WORDS) == set(PRIORITIES)
assert set(VERDICT_WORDS) == set(VERDICT_STATUSES)
assert set(DIRECTION_WORDS) == set(DIRECTIONS)
assert set(VARIATION_WORDS) == set(VARIATIONS)
assert set(ASSURANCE_WORDS) == set(ASSURANCES)
assert set(EVIDENCE_WORDS) == set(EVIDENCE)
