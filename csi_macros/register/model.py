"""The register as data: one frozen record class per thing an editor writes.

Every key of the format is declared here once, with `key(...)`: its type, whether
it is required, and what it means. The validator reads these declarations, the JSON
Schema is generated from them, and the docs' field tables are printed from them.
Rules that tie several keys or files together live in `rules.py`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from .fields import (Boolean, Choice, Date, Free, Integer, ListOf, MapOf, Markdown, Number,
                     Record, Text, Where, key)
from ..i18n import N_  # marks the words below for translation; pages show them translated

FORMAT_VERSION = 1

OBJECTIVE_ID = r"OBJ-[0-9]+"
IMPROVEMENT_ID = r"[A-Z][A-Z0-9]*-[0-9]+"
METRIC_ID = r"[A-Z][A-Z0-9-]*"


@dataclasses.dataclass(frozen=True)
class Status:
    """A status an improvement can have, and where it stands in the model."""

    id: str
    step: int | None  # the continual improvement model step, None when outside it
    step_label: str
    open: bool
    can_be_stale: bool = True


STATUSES: dict[str, Status] = {s.id: s for s in (
    Status("proposed", 1,
           N_("1–3 What is the vision? Where are we now? Where do we want to be?"), True),
    Status("approved", 4, N_("4 How do we get there?"), True),
    Status("in_progress", 5, N_("5 Take action"), True),
    Status("implemented", 6, N_("6 Did we get there?"), True),
    Status("closed", 7, N_("7 How do we keep the momentum going?"), False),
    Status("rejected", None, "—", False),
    Status("deferred", None, N_("— (parked)"), True, can_be_stale=False),
)}

STEPS: dict[int, str] = {
    1: N_("What is the vision?"),
    2: N_("Where are we now?"),
    3: N_("Where do we want to be?"),
    4: N_("How do we get there?"),
    5: N_("Take action"),
    6: N_("Did we get there?"),
    7: N_("How do we keep the momentum going?"),
}

PRIORITIES = ("critical", "high", "medium", "low")

PRINCIPLES: dict[str, str] = {
    "focus-on-value": N_("Focus on value"),
    "start-where-you-are": N_("Start where you are"),
    "progress-iteratively-with-feedback": N_("Progress iteratively with feedback"),
    "collaborate-and-promote-visibility": N_("Collaborate and promote visibility"),
    "think-and-work-holistically": N_("Think and work holistically"),
    "keep-it-simple-and-practical": N_("Keep it simple and practical"),
    "optimize-and-automate": N_("Optimize and automate"),
}

DIMENSIONS: dict[str, str] = {
    "organizations-and-people": N_("Organizations and people"),
    "information-and-technology": N_("Information and technology"),
    "partners-and-suppliers": N_("Partners and suppliers"),
    "value-streams-and-processes": N_("Value streams and processes"),
}

DIRECTIONS = ("higher_is_better", "lower_is_better")

FREQUENCIES = ("weekly", "monthly", "quarterly", "yearly")
"""How often a metric may say it is measured (format v1.3): its period is 7 days, or one,
three or twelve calendar months (`readings/cadence.py` reads them)."""

_where = dataclasses.field(default=Where("", 1), compare=False, repr=False)


@dataclasses.dataclass(frozen=True)
class Objective:
    """What the vision means in measurable terms."""

    id: str = key(Text(pattern=OBJECTIVE_ID, example="OBJ-1"), "unique id", required=True)
    title: str = key(Text(), "short name", required=True)
    description: str | None = key(Markdown(), "what it means and why")
    metrics: tuple[str, ...] = key(ListOf(Text(pattern=METRIC_ID, example="P1-MTTR")),
                                   "ids of the metrics that measure it", factory=tuple)
    where: Where = _where


@dataclasses.dataclass(frozen=True)
class Service:
    """An entry of the service catalogue: a service improvements and metrics may name."""

    name: str = key(Text(), "the service's name, as improvements and metrics write it",
                    required=True)
    owner: str | None = key(Text(), "who is accountable for the service")
    description: str | None = key(Markdown(), "what the service is and who uses it")
    where: Where = _where


@dataclasses.dataclass(frozen=True)
class Organisation:
    """register.yml: the organisation, its vision and objectives."""

    organisation: str = key(Text(), "name shown in the site header and title", required=True)
    vision: str = key(Markdown(), "the vision every improvement is linked to", required=True)
    objectives: tuple[Objective, ...] = key(ListOf(Record(Objective), min_items=1),
                                            "what the vision means in measurable terms",
                                            required=True, factory=tuple)
    stale_after_days: int = key(Integer(1, 3650),
                                "an open improvement whose newest dated entry is older than this "
                                "is stale (default 90)", default=90)
    services: tuple[Service, ...] = key(ListOf(Record(Service)),
                                        "the service catalogue; when present, improvements "
                                        "and metrics may only name services it lists",
                                        factory=tuple)
    extra: dict[str, Any] = key(Free(), "free-form data for templates", factory=dict)
    where: Where = _where


@dataclasses.dataclass(frozen=True)
class Action:
    """One improvement action (step 5, Take action)."""

    title: str = key(Text(), "what to do", required=True)
    owner: str | None = key(Text(), "who does it")
    due: dt.date | None = key(Date(), "when it is due")
    done: bool = key(Boolean(), "whether it is done (default false)", default=False)
    where: Where = _where


@dataclasses.dataclass(frozen=True)
class LogEntry:
    """A dated line of an improvement's history."""

    date: dt.date = key(Date(), "when it happened; never before `raised`, never in the future",
                        required=True)
    note: str = key(Text(), "what happened", required=True)
    status: str | None = key(Choice(tuple(STATUSES)), "the status it moved to on that date")
    where: Where = _where


@dataclasses.dataclass(frozen=True)
class ModelAnswers:
    """The answers to the continual improvement model's questions (step 5 is `actions`)."""

    vision: str | None = key(Markdown(), "1 What is the vision?")
    current_state: str | None = key(Markdown(), "2 Where are we now?")
    target_state: str | None = key(Markdown(), "3 Where do we want to be?")
    plan: str | None = key(Markdown(), "4 How do we get there?")
    review: str | None = key(Markdown(), "6 Did we get there?")
    momentum: str | None = key(Markdown(), "7 How do we keep the momentum going?")
    where: Where = _where


@dataclasses.dataclass(frozen=True)
class Improvement:
    """improvements/*.yml: one improvement."""

    id: str = key(Text(pattern=IMPROVEMENT_ID, example="CSI-0007"),
                  "unique across the register; the file name starts with it", required=True)
    title: str = key(Text(max_length=120), "short name", required=True)
    description: str = key(Markdown(), "the opportunity or problem", required=True)
    raised: dt.date = key(Date(), "when it entered the register", required=True)
    raised_by: str | None = key(Text(), "person or team")
    owner: str | None = key(Text(), "accountable person",
                            required_note="required unless status is proposed or rejected")
    status: str = key(Choice(tuple(STATUSES)), "where it stands", required=True)
    priority: str = key(Choice(PRIORITIES), "how urgent", required=True)
    value: int | None = key(Integer(1, 5), "expected value to stakeholders")
    effort: int | None = key(Integer(1, 5), "expected effort (size)")
    target_date: dt.date | None = key(Date(), "when the outcome is expected")
    closed: dt.date | None = key(Date(), "when it was closed or rejected",
                                 required_note="required when status is closed or rejected, "
                                               "forbidden otherwise")
    objectives: tuple[str, ...] = key(ListOf(Text(pattern=OBJECTIVE_ID, example="OBJ-1")),
                                      "ids of the objectives it serves", factory=tuple,
                                      required_note="at least one unless status is proposed "
                                                    "or rejected")
    principles: tuple[str, ...] = key(ListOf(Choice(tuple(PRINCIPLES))),
                                      "guiding principles the work applies", factory=tuple)
    dimensions: tuple[str, ...] = key(ListOf(Choice(tuple(DIMENSIONS))),
                                      "the four dimensions it touches", factory=tuple)
    services: tuple[str, ...] = key(ListOf(Text()), "affected services", factory=tuple)
    metrics: tuple[str, ...] = key(ListOf(Text(pattern=METRIC_ID, example="P1-MTTR")),
                                   "metrics that should show the benefit", factory=tuple)
    benefits: str | None = key(Markdown(), "expected benefits, ideally quantified")
    model: ModelAnswers = key(Record(ModelAnswers),
                              "answers to the continual improvement model", factory=ModelAnswers)
    actions: tuple[Action, ...] = key(ListOf(Record(Action)), "the improvement actions",
                                      factory=tuple)
    log: tuple[LogEntry, ...] = key(ListOf(Record(LogEntry)), "dated history, newest last",
                                    factory=tuple)
    outcome: str | None = key(Markdown(), "what happened, or why it was rejected",
                              required_note="required when status is closed or rejected")
    related: tuple[str, ...] = key(ListOf(Text(pattern=IMPROVEMENT_ID, example="CSI-0003")),
                                   "improvements this one depends on, replaces or follows",
                                   factory=tuple)
    tags: tuple[str, ...] = key(ListOf(Text()), "free labels", factory=tuple)
    extra: dict[str, Any] = key(Free(), "free-form data for templates", factory=dict)
    where: Where = _where


@dataclasses.dataclass(frozen=True)
class Baseline:
    """Where are we now? The value when tracking began."""

    date: dt.date = key(Date(), "when it was measured", required=True)
    value: float = key(Number(), "the value", required=True)
    where: Where = _where


@dataclasses.dataclass(frozen=True)
class Target:
    """Where do we want to be? The value aimed at, and by when."""

    value: float = key(Number(), "the value aimed at", required=True)
    date: dt.date | None = key(Date(), "by when")
    where: Where = _where


@dataclasses.dataclass(frozen=True)
class Metric:
    """metrics/*.yml: one metric definition."""

    id: str = key(Text(pattern=METRIC_ID, example="P1-MTTR"),
                  "unique; the file name starts with it", required=True)
    name: str = key(Text(), "what it is called", required=True)
    description: str | None = key(Markdown(), "what it measures and how")
    unit: str = key(Text(), "%, hours, tickets, …", required=True)
    direction: str = key(Choice(DIRECTIONS), "which way is better", required=True)
    baseline: Baseline = key(Record(Baseline), "where we were when tracking began",
                             required=True)
    target: Target | None = key(Record(Target), "where we want to be, and by when")
    owner: str | None = key(Text(), "who looks after it")
    rebase: tuple[dt.date, ...] = key(
        ListOf(Date()), "dates where the process changed on purpose: process limits are "
        "computed again from each date on (after the baseline, on or before the build date, "
        "sorted, no duplicates)", factory=tuple)
    services: tuple[str, ...] = key(ListOf(Text()), "the services it measures (the names "
                                    "improvements use)", factory=tuple)
    frequency: str | None = key(
        Choice(FREQUENCIES), "how often a value is expected: a value older than one and a "
        "half periods makes the metric late, and two values further apart leave a gap; "
        "without it, read from the metric's own dates (monthly when there are too few)")
    extra: dict[str, Any] = key(Free(), "free-form data for templates", factory=dict)
    where: Where = _where


@dataclasses.dataclass(frozen=True)
class Point:
    """One snapshot value of a metric: `value` is None where the snapshot left it unmeasured,
    `source` is the snapshot's own free text. A metric's baseline is never a Point: it is
    `Metric.baseline`, so no text an editor writes can turn a measurement into a baseline."""

    date: dt.date
    value: float | None
    source: str = ""


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """snapshots/*.yml: one dated drop of measurements."""

    date: dt.date = key(Date(), "the measurement date; equals the date in the file name",
                        required=True)
    source: str | None = key(Text(), "where the figures came from")
    values: dict[str, float | None] = key(
        MapOf(Text(pattern=METRIC_ID, example="P1-MTTR"), Number()),
        "metric id → number; empty or null means not measured", required=True, factory=dict)
    where: Where = _where


FILE_KINDS: dict[str, type] = {
    "register": Organisation,
    "objective": Objective,
    "service": Service,
    "improvement": Improvement,
    "action": Action,
    "log": LogEntry,
    "model": ModelAnswers,
    "metric": Metric,
    "baseline": Baseline,
    "target": Target,
    "snapshot": Snapshot,
}
"""Every record kind by the name the docs and the schema use."""
