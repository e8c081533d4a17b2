"""The validated register and the facts derived from it, computed once.

Pages, charts and the CLI read these facts; none of them works out a step, a flag
or a series again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from ..register.errors import Problem, RegisterError
from ..register.load import Records, read_records
from ..register.model import (STATUSES, STEPS, Improvement, Metric, Objective, Organisation, Point,
                    Service, Snapshot)
from ..register.rules import check_rules
from .behaviour import Behaviour, metric_behaviour
from .evidence import Evidence, Rebase, metric_evidence, rebase_advice
from .cadence import Cadence, as_of, metric_cadence
from .change import SHIFT
from .verdicts import Verdict, attention, metric_verdict


R = TypeVar("R", Improvement, Metric)


def build_date() -> dt.date:
    """Today for the build: `SOURCE_DATE_EPOCH` (UTC) when set, else the current date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError) as error:
            raise RegisterError([Problem("SOURCE_DATE_EPOCH", 1,
                                         f"must be a whole number of seconds; got {epoch!r}",
                                         "environment")]) from error
    return dt.date.today()


@dataclass(frozen=True)
class ImprovementFacts:
    """What follows from one improvement's record and the build date."""

    step: int | None
    open: bool
    stale: bool
    overdue: bool
    last_activity: dt.date
    actions_done: int
    actions_total: int
    overdue_actions: tuple[int, ...]  # indexes into `actions`

    @property
    def step_label(self) -> str:
        return f"{self.step} {STEPS[self.step]}" if self.step else "—"

    @property
    def completion(self) -> float | None:
        """The share of actions done, or None when it has no actions."""
        return self.actions_done / self.actions_total if self.actions_total else None


@dataclass(frozen=True)
class ServiceMetric:
    """A metric that measures a service: it names the service itself (`named`), or the
    service's improvements in `through` name it, or both."""

    metric: Metric
    named: bool
    through: tuple[str, ...] = ()


@dataclass
class Register:
    """The whole register, valid, sorted, with its derived facts."""

    root: Path
    organisation: Organisation
    improvements: tuple[Improvement, ...]
    metrics: tuple[Metric, ...]
    snapshots: tuple[Snapshot, ...]
    today: dt.date
    files: tuple[Path, ...] = ()
    facts: dict[str, ImprovementFacts] = field(init=False)

    def __post_init__(self) -> None:
        self.facts = {imp.id: improvement_facts(imp, self.today,
                                                self.organisation.stale_after_days)
                      for imp in self.improvements}

    @cached_property
    def improvement(self) -> dict[str, Improvement]:
        return {imp.id: imp for imp in self.improvements}

    @cached_property
    def metric(self) -> dict[str, Metric]:
        return {m.id: m for m in self.metrics}

    @cached_property
    def objective(self) -> dict[str, Objective]:
        return {o.id: o for o in self.organisation.objectives}

    @cached_property
    def series(self) -> dict[str, tuple[Point, ...]]:
        """Each metric's snapshot values in date order (None where a snapshot left it
        unmeasured). The baseline is not among them: it is the metric's own `baseline`,
        whatever a snapshot's `source` says."""
        points: dict[str, list[Point]] = {m.id: [] for m in self.metrics}
        for snapshot in self.snapshots:  # sorted by date, then file
            for metric, value in snapshot.values.items():
                points[metric].append(Point(snapshot.date, value, snapshot.source or ""))
        return {metric: tuple(values) for metric, values in points.items()}

    @cached_property
    def verdicts(self) -> dict[str, Verdict]:
        """Each metric's "Did we get there?" verdict, by metric id (rule: `verdicts.py`),
        in the words of its period; a late metric's headline says it is as of its newest
        value (`cadence.as_of`)."""
        found = {}
        for m in self.metrics:
            cadence = self.cadence[m.id]
            verdict = metric_verdict(m, self.series[m.id], self.behaviour[m.id], self.today,
                                     frequency=cadence.frequency)
            if cadence.late:
                verdict = replace(verdict, headline=as_of(verdict.headline, cadence))
            found[m.id] = verdict
        return found

    @cached_property
    def cadence(self) -> dict[str, Cadence]:
        """How often each metric is measured, whether it is late and where its values have
        gaps, by metric id (`cadence.py`), over the values its process behaviour reads."""
        return {m.id: metric_cadence(m, [v.date for v in self.behaviour[m.id].values],
                                     self.today) for m in self.metrics}

    @cached_property
    def attention(self) -> dict[str, int]:
        """Where each metric stands in the order a board reads them, by metric id: below
        `verdicts.NEEDS_ATTENTION` it needs attention (`verdicts.attention`: a special cause
        of concern, off track, at risk or late)."""
        return {m.id: attention(self.verdicts[m.id], self.behaviour[m.id],
                                self.cadence[m.id].late) for m in self.metrics}

    @cached_property
    def behaviour(self) -> dict[str, Behaviour]:
        """Each metric read as a process behaviour chart, by metric id (`behaviour.py`)."""
        return {m.id: metric_behaviour(m, self.series[m.id]) for m in self.metrics}

    def evidence(self, imp: Improvement) -> tuple[Evidence, ...]:
        """Did each metric the improvement names move after it was implemented? In the
        order it names them; worked out when first asked (the page and both exports ask)."""
        found = self._evidence.get(imp.id)
        if found is None:
            found = self._evidence[imp.id] = tuple(
                metric_evidence(imp, self.metric[m], self.behaviour[m])
                for m in dict.fromkeys(imp.metrics))
        return found

    @cached_property
    def rebase_advice(self) -> dict[str, Rebase]:
        """The metrics whose limits Making Data Count would now recalculate, because an
        improvement was followed by a signal of improvement, or because the process is in
        a shift (`evidence.rebase_advice`)."""
        advice = {}
        for metric in self.metrics:
            change = self.verdicts[metric.id].changing
            shift = change.start if change is not None and change.kind == SHIFT else None
            found = rebase_advice(metric, [evidence for imp in self.improvements_by_metric[metric.id]
                                           for evidence in self.evidence(imp)
                                           if evidence.metric_id == metric.id], shift)
            if found:
                advice[metric.id] = found
        return advice

    @cached_property
    def _evidence(self) -> dict[str, tuple[Evidence, ...]]:
        return {}

    @cached_property
    def improvements_by_objective(self) -> dict[str, tuple[Improvement, ...]]:
        return _group(self.improvements, "objectives", [o.id for o in self.organisation.objectives])

    @cached_property
    def improvements_by_metric(self) -> dict[str, tuple[Improvement, ...]]:
        return _group(self.improvements, "metrics", [m.id for m in self.metrics])

    @cached_property
    def services(self) -> tuple[str, ...]:
        """Every service the register names (the catalogue's, the improvements' and the
        metrics'), in alphabetical order, case ignored."""
        names = {service.name for service in self.organisation.services}
        for record in (*self.improvements, *self.metrics):
            names.update(record.services)
        return tuple(sorted(names, key=lambda name: (name.casefold(), name)))

    @cached_property
    def service(self) -> dict[str, Service]:
        """The service catalogue's entries, by name (empty without a catalogue)."""
        return {service.name: service for service in self.organisation.services}

    @cached_property
    def improvements_by_service(self) -> dict[str, tuple[Improvement, ...]]:
        return _group(self.improvements, "services", list(self.services))

    @cached_property
    def metrics_by_service(self) -> dict[str, tuple[Metric, ...]]:
        return _group(self.metrics, "services", list(self.services))

    @cached_property
    def service_metrics(self) -> dict[str, tuple[ServiceMetric, ...]]:
        """The metrics that measure each service, in id order: those that name it under
        `services`, and those its improvements name (reached through them)."""
        found: dict[str, tuple[ServiceMetric, ...]] = {}
        for name in self.services:
            named = {metric.id for metric in self.metrics_by_service[name]}
            through: dict[str, list[str]] = {}
            for imp in self.improvements_by_service[name]:
                for metric_id in dict.fromkeys(imp.metrics):
                    through.setdefault(metric_id, []).append(imp.id)
            found[name] = tuple(ServiceMetric(self.metric[id], id in named,
                                              tuple(through.get(id, ())))
                                for id in sorted(named | set(through)))
        return found

    def at_step(self, step: int) -> tuple[Improvement, ...]:
        """The improvements now at a model step (1, 2 and 3 all hold the proposed ones)."""
        wanted = set(statuses_at(step))
        return tuple(i for i in self.improvements if i.status in wanted)

    def source_of(self, item: Improvement | Metric | Snapshot) -> Path:
        """The file a record was read from, relative to the register folder's parent."""
        return Path(item.where.path)


def statuses_at(step: int) -> tuple[str, ...]:
    """The statuses an improvement at a model step has, in the model's order: steps 1, 2
    and 3 share `proposed` (its step is 1); a status outside the steps is at none."""
    return tuple(s.id for s in STATUSES.values()
                 if s.step is not None and (s.step == step or (step <= 3 and s.step == 1)))


def _group(records: tuple[R, ...], key: str, ids: list[str]) -> dict[str, tuple[R, ...]]:
    """The records naming each id under `key`, in one pass (registers grow large)."""
    groups: dict[str, list[R]] = {id: [] for id in ids}
    for record in records:
        for id in dict.fromkeys(getattr(record, key)):
            groups[id].append(record)
    return {id: tuple(members) for id, members in groups.items()}


def improvement_facts(imp: Improvement, today: dt.date, stale_after_days: int) -> ImprovementFacts:
    status = STATUSES[imp.status]
    last_activity = max([imp.raised, *(e.date for e in imp.log),
                         *([imp.closed] if imp.closed else [])])
    committed = status.open and status.can_be_stale and imp.status != "implemented"
    overdue_actions = tuple(i for i, a in enumerate(imp.actions)
                            if status.open and not a.done and a.due is not None and a.due < today)
    return ImprovementFacts(
        step=status.step,
        open=status.open,
        stale=status.open and status.can_be_stale
        and (today - last_activity).days > stale_after_days,
        overdue=committed and imp.target_date is not None and imp.target_date < today,
        last_activity=last_activity,
        actions_done=sum(a.done for a in imp.actions),
        actions_total=len(imp.actions),
        overdue_actions=overdue_actions,
    )


def load_register(root: Path | str, *, today: dt.date | None = None) -> Register:
    """Read, validate and derive the register in `root`; raise `RegisterError` listing
    every problem when anything is wrong."""
    today = today or build_date()
    with _cycle_collector_paused():
        records = read_records(Path(root))
        problems = records.problems + check_rules(records, today)
        if problems:
            raise RegisterError(problems)
        return _assemble(records, today)


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Loading makes millions of small objects and no reference cycles, and the cyclic
    garbage collector, left running, rescans the growing heap again and again: a quarter
    of the load time on 10,000 improvements. Plain reference counting frees as usual.

    Afterwards what is loaded is set aside from the collector (`gc.freeze`): left to it,
    the next few collections would walk those millions of objects again, a second of
    every build on 10,000 improvements. Garbage from before is collected first (a rebuild
    under `mkdocs serve` leaves the last build's behind), so nothing collectable is set
    aside; reference counting still frees the register when the next one replaces it."""
    enabled = gc.isenabled()
    if enabled:
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def _assemble(records: Records, today: dt.date) -> Register:
    assert records.organisation is not None
    return Register(
        root=records.root,
        organisation=records.organisation,
        improvements=tuple(sorted(records.improvements, key=lambda i: i.id)),
        metrics=tuple(sorted(records.metrics, key=lambda m: m.id)),
        snapshots=tuple(sorted(records.snapshots, key=lambda s: (s.date, s.where.path))),
        today=today,
        files=tuple(records.files),
    )
