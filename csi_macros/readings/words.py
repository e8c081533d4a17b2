"""The words pages show for the register's fixed values, in the active language.

The register's files, the CSS classes, the data attributes and the exports keep the
English keys (`in_progress`, `higher_is_better`, `on track`); readers see the words
below, translated (see `i18n.py`). Each table names every key of its kind, so a new
status or verdict without a word fails the import-time check at the bottom.
"""

from __future__ import annotations

from ..i18n import N_, _
from ..register.model import (DIMENSIONS, DIRECTIONS, FREQUENCIES, PRINCIPLES, PRIORITIES,
                              STATUSES, STEPS)
from . import cadence
from .behaviour import ASSURANCES, EVIDENCE, VARIATIONS
from .changing import CAUSES
from .verdicts import LATE, VERDICT_STATUSES

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
    "already changing": N_("already changing"),
}

# What each word means, in one line: the badges carry it (linked to the glossary of "How
# verdicts work", whose lines must say the same: tests/test_badges_site.py checks them).
VERDICT_MEANINGS = {
    "target met": N_("The process meets the target {after_each} (with few values: the latest "
                     "value meets it)."),
    "on track": N_("At the pace the metric is changing, the target is reached by its date."),
    "at risk": N_("The target will be met {in_some} and missed in others, or the pace closes "
                  "only part of the gap in time."),
    "off track": N_("The target will not be met in time as things are: each badge's own line "
                    "says why for its metric."),
    "no target": N_("The metric has no target yet."),
    "no data": N_("Nothing has been measured since the baseline."),
}

VARIATION_MEANINGS = {
    "common cause": N_("The latest value is within what the process usually gives: no sign "
                       "of change."),
    "special cause: improvement": N_("The latest value is unusual, for the better: the "
                                     "process has changed."),
    "special cause: concern": N_("The latest value is unusual, for the worse: the process has "
                                 "changed and needs a look."),
    "too few points": N_("Fewer than 12 values since the baseline or the last rebase: too "
                         "few to set process limits."),
}

ASSURANCE_MEANINGS = {
    "consistently passes": N_("Every value the process usually gives meets the target."),
    "consistently fails": N_("No value the process usually gives meets the target: the "
                             "process has to change."),
    "hit and miss": N_("The target lies within the process limits: it is met {in_some} and "
                       "missed in others."),
    "no target": N_("The metric has no target to rely on meeting."),
    "too few points": N_("Too few values for process limits, so nothing yet to set the "
                         "target against."),
}

EVIDENCE_MEANINGS = {
    "signal of improvement": N_("After the improvement was implemented, the metric moved for "
                                "the better, beyond what it did before."),
    "signal of concern": N_("After the improvement was implemented, the metric moved for the "
                            "worse, beyond what it did before."),
    "no signal yet": N_("Seven or more values since the improvement was implemented, none "
                        "beyond what the metric did before."),
    "too early to tell": N_("Fewer than seven values since the improvement was implemented, "
                            "all within what the metric did before."),
    "too few points before": N_("Fewer than six values before the improvement was "
                                "implemented: too few to set limits to compare with."),
    "not implemented yet": N_("The improvement has no implementation date yet to compare "
                              "before and after."),
    "already changing": N_("The metric was already moving before the improvement was "
                           "implemented: the values before cannot show what it did."),
}

# Why a verdict is what it is, for this metric (`Verdict.cause`, `changing.CAUSES`): the
# line its badge carries instead of the word's general meaning.
CAUSE_MEANINGS = {
    "deadline missed": N_("The target date has passed and the latest value does not meet "
                          "the target."),
    "pace reaches": N_("The metric is improving, and at its pace it reaches the target in "
                       "time."),
    "pace closes most": N_("The metric is improving, but at its pace it closes only part of "
                           "the gap in time (at least half)."),
    "pace too slow": N_("The metric is improving, but too slowly: at its pace less than half "
                        "of the gap closes in time."),
    "worse, still meets": N_("The metric is getting worse: it still meets the target, but at "
                             "this pace not for long."),
    "getting worse": N_("The metric is getting worse and no longer meets the target."),
    "already meets": N_("The metric is improving and already meets the target."),
    "concern": N_("The latest value is a special cause of concern: something has changed "
                  "for the worse."),
    "consistently passes": N_("The process meets the target {after_each}."),
    "hit and miss": N_("The target lies within the process limits: it is met {in_some} and "
                       "missed in others."),
    "consistently fails": N_("The process falls short of the target {every}: it has to "
                             "change."),
}

# Whether the data keeps coming (register format v1.3, `cadence.py`): the English word is
# the contract's.
DATA_WORDS = {
    "late": N_("late"),
}

DATA_MEANINGS = {
    "late": N_("The newest value is older than one and a half of the metric's periods (a "
               "month and a half for a monthly metric): every reading shown for it is as of "
               "that value."),
}

MEANINGS = {"verdict": VERDICT_MEANINGS, "variation": VARIATION_MEANINGS,
            "assurance": ASSURANCE_MEANINGS, "evidence": EVIDENCE_MEANINGS,
            "data": DATA_MEANINGS}
"""The one-line meaning of every verdict, variation, assurance, evidence and data word
(`late`), by kind."""

FREQUENCY_WORDS = {
    "weekly": N_("weekly"),
    "monthly": N_("monthly"),
    "quarterly": N_("quarterly"),
    "yearly": N_("yearly"),
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


def meaning(kind: str, key: str, frequency: str = cadence.DEFAULT) -> str:
    """What a `kind` ("verdict", "variation", "assurance", "evidence") word means, in one
    line, in the active language, in the words of a metric's period ("in some weeks")."""
    return _in_periods(_word(MEANINGS[kind], key), frequency) if key in MEANINGS[kind] else ""


def cause(key: str, frequency: str = cadence.DEFAULT) -> str:
    """Why a verdict is what it is for one metric, in one line, in the words of its period;
    "" for no cause."""
    return _in_periods(_(CAUSE_MEANINGS[key]), frequency) if key in CAUSE_MEANINGS else ""


def _in_periods(text: str, frequency: str) -> str:
    """A meaning with its period's words put in: {after_each}, {in_some}, {every}."""
    return text.format(after_each=cadence.after_each(frequency),
                       in_some=cadence.in_some(frequency), every=cadence.every(frequency))


def glossary_anchor(kind: str, key: str) -> str:
    """The anchor of a word's line in the glossary of "How verdicts work", the same in
    every language: `variation-improvement`, `assurance-passes`, `verdict-off-track`."""
    short = key.removeprefix("special cause: ").removeprefix("consistently ")
    return f"{kind}-{short.replace(' ', '-')}"


def direction(key: str) -> str:
    return _word(DIRECTION_WORDS, key)


def data(key: str) -> str:
    """`late` → "late" ("verspätet")."""
    return _word(DATA_WORDS, key)


def frequency(key: str) -> str:
    """`quarterly` → "quarterly" ("vierteljährlich")."""
    return _word(FREQUENCY_WORDS, key)


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
assert set(VERDICT_MEANINGS) == set(VERDICT_STATUSES)
assert set(VARIATION_MEANINGS) == set(VARIATIONS)
assert set(ASSURANCE_MEANINGS) == set(ASSURANCES)
assert set(EVIDENCE_MEANINGS) == set(EVIDENCE)
assert set(DATA_WORDS) == set(DATA_MEANINGS) == {LATE}
assert set(FREQUENCY_WORDS) == set(FREQUENCIES)
assert set(CAUSE_MEANINGS) == set(CAUSES)
