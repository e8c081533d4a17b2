"""The rules that tie keys and files together, one function each.

Types, required keys and unknown keys are checked while reading (see `fields`);
these rules run on the records afterwards. Each rule's docstring is its
documentation: the "Editing the register" page lists them from here.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from .errors import Problem
from .fields import Where
from .load import Records, snapshot_name_date
from .model import STATUSES, Improvement, Metric, Objective, Organisation

DONE_STATUSES = tuple(s.id for s in STATUSES.values() if not s.open)
UNCOMMITTED = ("proposed", "rejected")


@dataclass(frozen=True)
class Context:
    """What every rule may look at: the records and the build date."""

    records: Records
    today: dt.date


Rule = Callable[[Context], Iterable[Problem]]
R = TypeVar("R")
RULES: list[Rule] = []


def rule(function: Rule) -> Rule:
    RULES.append(function)
    return function


def check_rules(records: Records, today: dt.date) -> list[Problem]:
    """Every problem every rule finds."""
    context = Context(records, today)
    return [problem for check in RULES for problem in check(context)]


def usable(records: Iterable[R], *keys: str) -> Iterator[R]:
    """The records whose `keys` could all be read.

    A record read from a file with problems holds only the keys that were readable;
    a rule looking at a key that was not is silent, the problem being reported already.
    """
    for record in records:
        if record.where.invalid.isdisjoint(keys):
            yield record


def _problem(where_path: str, line: int, message: str, name: str) -> Problem:
    return Problem(where_path, line, message, name)


def _line_of_either(where: Where, first: str, then: str) -> int:
    """The line of `first` when the file names it (even empty), else the line of `then`."""
    return where.of(first if first in where.lines else then)


@rule
def id_matches_file_name(context: Context) -> Iterator[Problem]:
    """An improvement's or metric's file name starts with its id:
    `CSI-0007.yml` or `CSI-0007-faster-p1-restore.yml`."""
    for record in usable([*context.records.improvements, *context.records.metrics], "id"):
        stem = Path(record.where.path).stem
        if stem != record.id and not stem.startswith(record.id + "-"):
            yield _problem(record.where.path, record.where.of("id"),
                           f"id '{record.id}' must match the start of the file name; the file is "
                           f"named '{Path(record.where.path).name}' (expected {record.id}.yml or "
                           f"{record.id}-some-words.yml)", "id_matches_file_name")


@rule
def snapshot_date_matches_file_name(context: Context) -> Iterator[Problem]:
    """A snapshot file is named after its date (`2026-10-31.yml`, or with a suffix:
    `2026-10-31-servicenow.yml`), and its `date` equals that date."""
    for snapshot in context.records.snapshots:
        named = snapshot_name_date(snapshot.where.path)
        if named is None:
            yield _problem(snapshot.where.path, snapshot.where.of("date"),
                           "the file name must start with the snapshot's date: YYYY-MM-DD.yml "
                           "or YYYY-MM-DD-some-words.yml", "snapshot_date_matches_file_name")
        elif "date" not in snapshot.where.invalid and named != snapshot.date:
            yield _problem(snapshot.where.path, snapshot.where.of("date"),
                           f"date {snapshot.date} must equal the date in the file name ({named})",
                           "snapshot_date_matches_file_name")


@rule
def ids_are_unique(context: Context) -> Iterator[Problem]:
    """Ids are unique within their kind (improvements, metrics, objectives); a duplicate
    is reported with both file names."""
    records = context.records
    objectives: Iterable[Objective] = ()
    if records.organisation and "objectives" not in records.organisation.where.invalid:
        objectives = records.organisation.objectives
    for kind, items in (("improvement", records.improvements), ("metric", records.metrics),
                        ("objective", objectives)):
        first: dict[str, Where] = {}
        for item in sorted(usable(items, "id"), key=lambda i: (i.where.path, i.where.line)):
            other = first.setdefault(item.id, item.where)
            if other is not item.where:
                # Two branches that took one id merge without a conflict: say how to part them.
                fix = (f"; give this one another id with `csi renumber {item.id} --file "
                       f"{item.where.path}`" if kind == "improvement" else "")
                yield _problem(item.where.path, item.where.of("id"),
                               f"duplicate {kind} id '{item.id}': also in "
                               f"{other.path}:{other.of('id')}{fix}", "ids_are_unique")


@rule
def owner_when_committed(context: Context) -> Iterator[Problem]:
    """`owner` is required unless the status is `proposed` or `rejected`."""
    for imp in usable(context.records.improvements, "owner", "status"):
        if imp.owner is None and imp.status not in UNCOMMITTED:
            yield _problem(imp.where.path, _line_of_either(imp.where, "owner", "status"),
                           f"owner is required when status is {imp.status} "
                           "(only proposed and rejected improvements may have none)",
                           "owner_when_committed")


@rule
def objectives_when_committed(context: Context) -> Iterator[Problem]:
    """`objectives` lists at least one objective unless the status is `proposed` or `rejected`."""
    for imp in usable(context.records.improvements, "objectives", "status"):
        if not imp.objectives and imp.status not in UNCOMMITTED:
            yield _problem(imp.where.path, _line_of_either(imp.where, "objectives", "status"),
                           f"objectives must list at least one objective id when status is "
                           f"{imp.status} (traceability to the vision)", "objectives_when_committed")


@rule
def closed_date_when_done(context: Context) -> Iterator[Problem]:
    """`closed` is required when the status is `closed` or `rejected`, and forbidden otherwise;
    it is never before `raised`."""
    for imp in usable(context.records.improvements, "status", "closed"):
        done = imp.status in DONE_STATUSES
        if done and imp.closed is None:
            yield _problem(imp.where.path, _line_of_either(imp.where, "closed", "status"),
                           f"closed (a date) is required when status is {imp.status}",
                           "closed_date_when_done")
        elif not done and imp.closed is not None:
            yield _problem(imp.where.path, imp.where.of("closed"),
                           f"closed must not be set while status is {imp.status} "
                           "(only closed and rejected improvements have a closed date)",
                           "closed_date_when_done")
    for imp in usable(context.records.improvements, "closed", "raised"):
        if imp.closed is not None and imp.closed < imp.raised:
            yield _problem(imp.where.path, imp.where.of("closed"),
                           f"closed ({imp.closed}) must not be before raised ({imp.raised})",
                           "closed_date_when_done")


@rule
def outcome_when_done(context: Context) -> Iterator[Problem]:
    """`outcome` is required when the status is `closed` or `rejected`: what happened, or why."""
    for imp in usable(context.records.improvements, "status", "outcome"):
        if imp.status in DONE_STATUSES and imp.outcome is None:
            yield _problem(imp.where.path, _line_of_either(imp.where, "outcome", "status"),
                           f"outcome is required when status is {imp.status} "
                           "(what happened, or why it was rejected)", "outcome_when_done")


@rule
def dates_not_in_future(context: Context) -> Iterator[Problem]:
    """Recorded dates (`raised`, `closed`, log dates, baseline and snapshot dates) are never
    after the build date (`SOURCE_DATE_EPOCH` when set, else today); planned dates
    (`target_date`, an action's `due`, a metric's target date) may be."""
    today = context.today
    records = context.records
    for imp in records.improvements:
        for name in ("raised", "closed"):
            value = getattr(imp, name)
            if name not in imp.where.invalid and value is not None and value > today:
                yield _future(imp.where.path, imp.where.of(name), name, value, today)
    for imp in usable(records.improvements, "log"):
        for entry in imp.log:
            if entry.date > today:
                yield _future(imp.where.path, entry.where.of("date"), "log date", entry.date, today)
    for metric in usable(records.metrics, "baseline"):
        if metric.baseline.date > today:
            yield _future(metric.where.path, metric.baseline.where.of("date"), "baseline date",
                          metric.baseline.date, today)
    for snapshot in usable(records.snapshots, "date"):
        if snapshot.date > today:
            yield _future(snapshot.where.path, snapshot.where.of("date"), "date", snapshot.date, today)


def _future(path: str, line: int, name: str, value: dt.date, today: dt.date) -> Problem:
    return _problem(path, line, f"{name} {value} is in the future (the build date is {today})",
                    "dates_not_in_future")


@rule
def log_not_before_raised(context: Context) -> Iterator[Problem]:
    """Log dates never lie before the improvement's `raised` date."""
    for imp in usable(context.records.improvements, "log", "raised"):
        for entry in imp.log:
            if entry.date < imp.raised:
                yield _problem(imp.where.path, entry.where.of("date"),
                               f"log date {entry.date} is before raised ({imp.raised})",
                               "log_not_before_raised")


@rule
def references_resolve(context: Context) -> Iterator[Problem]:
    """Every id reference resolves: the objectives and metrics an improvement names, the
    metrics an objective names, `related` improvements and the metric ids in snapshots.
    An improvement may not list itself in `related`. (Principle and dimension ids are
    words from fixed lists, checked with the types.)"""
    records = context.records
    objectives = _known_objectives(records)
    metrics = _known_ids(records, Metric, records.metrics)
    improvements = _known_ids(records, Improvement, records.improvements)
    for imp in records.improvements:
        for key, kind, known in (("objectives", "objective", objectives),
                                 ("metrics", "metric", metrics),
                                 ("related", "improvement", improvements)):
            if known is not None and key not in imp.where.invalid:
                yield from _unresolved(imp, key, getattr(imp, key), known, kind)
    for imp in usable(records.improvements, "id", "related"):
        for index, other in enumerate(imp.related):
            if other == imp.id:
                yield _problem(imp.where.path, imp.where.of("related", index),
                               f"related lists the improvement itself ({imp.id})", "references_resolve")
    if metrics is not None and objectives is not None:
        for objective in records.organisation.objectives:
            for index, metric in enumerate(objective.metrics):
                if metric not in metrics:
                    yield _problem(objective.where.path, objective.where.of("metrics", index),
                                   f"objective {objective.id} names unknown metric '{metric}' "
                                   f"(no metrics/{metric}.yml)", "references_resolve")
    for snapshot in usable(records.snapshots, "values") if metrics is not None else ():
        for metric in snapshot.values:
            if metric not in metrics:
                yield _problem(snapshot.where.path, snapshot.where.of(f"values.{metric}"),
                               f"unknown metric '{metric}' (no metrics/{metric}.yml)",
                               "references_resolve")


def _known_objectives(records: Records) -> set[str] | None:
    """The objective ids, or None when register.yml's objectives could not be read."""
    organisation = records.organisation
    if organisation is None or Organisation in records.unreadable:
        return None
    return {objective.id for objective in organisation.objectives}


def _known_ids(records: Records, kind: type, items: Iterable[Improvement | Metric]) -> set[str] | None:
    """The ids of a kind, or None when a file of that kind could not say its id."""
    return None if kind in records.unreadable else {item.id for item in items}


def _unresolved(imp: Improvement, key: str, ids: Iterable[str], known: set[str],
                kind: str) -> Iterator[Problem]:
    for index, ref in enumerate(ids):
        if ref not in known:
            yield _problem(imp.where.path, imp.where.of(key, index),
                           f"{key} names unknown {kind} '{ref}'", "references_resolve")


@rule
def one_value_per_metric_and_date(context: Context) -> Iterator[Problem]:
    """Several snapshot files may share a date, but no metric gets two values for one date."""
    seen: dict[tuple[str, dt.date], str] = {}
    snapshots = usable(context.records.snapshots, "date", "values")
    for snapshot in sorted(snapshots, key=lambda s: s.where.path):
        for metric in snapshot.values:
            first = seen.setdefault((metric, snapshot.date), snapshot.where.path)
            if first != snapshot.where.path:
                yield _problem(snapshot.where.path, snapshot.where.of(f"values.{metric}"),
                               f"metric '{metric}' already has a value for {snapshot.date} in {first}",
                               "one_value_per_metric_and_date")


@rule
def rebase_dates_in_order(context: Context) -> Iterator[Problem]:
    """A metric's `rebase` dates lie after its baseline date and on or before the build
    date, sorted from oldest to newest, each named once: each starts a new phase of the
    metric's process behaviour chart."""
    for metric in usable(context.records.metrics, "rebase", "baseline"):
        where = metric.where
        for index, day in enumerate(metric.rebase):
            line = where.of("rebase", index)
            if day <= metric.baseline.date:
                yield _problem(where.path, line, f"rebase date {day} must lie after the baseline "
                               f"date ({metric.baseline.date})", "rebase_dates_in_order")
            elif day > context.today:
                yield _problem(where.path, line, f"rebase date {day} is in the future (the build "
                               f"date is {context.today})", "rebase_dates_in_order")
            if index and day == metric.rebase[index - 1]:
                yield _problem(where.path, line, f"rebase date {day} is listed twice",
                               "rebase_dates_in_order")
            elif index and day < metric.rebase[index - 1]:
                yield _problem(where.path, line, f"rebase dates must be sorted: {day} comes after "
                               f"{metric.rebase[index - 1]}", "rebase_dates_in_order")


@rule
def services_in_catalogue(context: Context) -> Iterator[Problem]:
    """When `register.yml` has a `services:` catalogue, every service an improvement or a
    metric names is one of its names, written the same way (the message suggests the
    closest name); each name appears in the catalogue once. Without a catalogue any
    service name is accepted."""
    organisation = context.records.organisation
    if organisation is None or "services" in organisation.where.invalid \
            or "services" not in organisation.where.lines:
        return
    catalogue: dict[str, Where] = {}
    for service in usable(organisation.services, "name"):
        first = catalogue.setdefault(service.name, service.where)
        if first is not service.where:
            yield _problem(service.where.path, service.where.of("name"),
                           f"service '{service.name}' is already in the catalogue at line "
                           f"{first.of('name')}", "services_in_catalogue")
    records = [*context.records.improvements, *context.records.metrics]
    for record in usable(records, "services"):
        for index, name in enumerate(record.services):
            if name not in catalogue:
                yield _problem(record.where.path, record.where.of("services", index),
                               f"services names '{name}', which is not in the service "
                               f"catalogue (services in register.yml); "
                               f"{_closest(name, list(catalogue))}", "services_in_catalogue")


def _closest(name: str, names: list[str]) -> str:
    """"did you mean 'Email'?" for the nearest name, or the names there are."""
    # Compared without case: "service desk" is nearest to "Service desk", not to "Servers".
    folded = {known.casefold(): known for known in names}
    near = difflib.get_close_matches(name.casefold(), folded, n=1, cutoff=0.6)
    if near:
        return f"did you mean '{folded[near[0]]}'?"
    if not names:
        return "the catalogue lists no service yet"
    shown = ", ".join(sorted(names, key=str.casefold)[:12])
    return f"the catalogue lists {shown}" + (", …" if len(names) > 12 else "")


def rule_docs() -> list[tuple[str, str]]:
    """Each rule's name and documentation, in the order they run."""
    import inspect
    return [(r.__name__, inspect.cleandoc(r.__doc__ or "")) for r in RULES]
