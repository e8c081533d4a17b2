"""Every rule of the register format, each with a failing and a passing case.

Each case writes a small register (the minimal valid records of `csi_macros.testing`,
changed in one place) and asserts the exact `file:line: message` of every problem.
The minimal records are written one key per line, in this order (see
`test_the_minimal_records_have_the_lines_the_cases_count_on`):

    improvement()             register.yml            metric()                 snapshot()
     1 id: CSI-0001            1 organisation: ...     1 id: MTTR               1 date: '2026-02-28'
     2 title: ...              2 vision: ...           2 name: Metric MTTR      2 values:
     3 description: ...        3 objectives:           3 unit: hours            3   MTTR: 8
     4 raised: '2026-01-10'    4 - id: OBJ-1           4 direction: lower_...
     5 owner: Sam Owner        5   title: ...          5 baseline:
     6 status: approved        6   metrics:            6   date: '2026-01-01'
     7 priority: medium        7   - MTTR              7   value: 10
     8 objectives:             8 (keys added)          8 (keys added)
     9 - OBJ-1
    10 (keys added, in the order given)

A key given again keeps its line (`improvement(priority="urgent")` is still line 7).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from csi_macros.register.model import DIMENSIONS, PRINCIPLES, STATUSES
from csi_macros.testing import (improvement, metric, organisation, snapshot, without,
                                yaml_text)

IMP = "register/improvements/CSI-0001.yml"
MET = "register/metrics/MTTR.yml"
REG = "register/register.yml"
SNAP = "register/snapshots/2026-02-28.yml"
STATUS_WORDS = ", ".join(STATUSES)
PRINCIPLE_WORDS = ", ".join(PRINCIPLES)


def imp(**changes: Any) -> dict[str, Any]:
    """The files of a register whose one improvement differs from the minimal one."""
    return {"improvements": [improvement(**changes)]}


def imp_yaml(added: str, **changes: Any) -> dict[str, Any]:
    """As `imp`, with YAML text appended from line 10 (for values written unquoted)."""
    return {"improvements": {"CSI-0001.yml": yaml_text(improvement(**changes)) + added}}


def imps(*records: dict[str, Any]) -> dict[str, Any]:
    """The files of a register with these improvements."""
    return {"improvements": list(records)}


def in_file(folder: str, name: str, record: dict[str, Any] | str) -> dict[str, Any]:
    """The files of a register with one file of `folder` named `name`."""
    return {folder: {name: record}}


def snapshot_value(text: str) -> dict[str, Any]:
    """A snapshot whose value for MTTR is written `MTTR:<text>`."""
    return in_file("snapshots", "2026-02-28.yml", f"date: 2026-02-28\nvalues:\n  MTTR:{text}\n")


def rejected(**changes: Any) -> dict[str, Any]:
    """A rejected improvement with everything it needs."""
    return improvement(**{"status": "rejected", "closed": "2026-03-01", "outcome": "No.", **changes})


def done(status: str = "closed", **changes: Any) -> dict[str, Any]:
    """A closed (or rejected) improvement with everything it needs."""
    return imp(**{"status": status, "closed": "2026-03-01", "outcome": "It worked.", **changes})


def case(name: str, files: dict[str, Any], *expected: str, today: dt.date | None = None) -> Any:
    return pytest.param(files, list(expected), today, id=name)


def test_the_minimal_records_have_the_lines_the_cases_count_on() -> None:
    assert yaml_text(improvement()).splitlines()[5:9] == [
        "status: approved", "priority: medium", "objectives:", "- OBJ-1"]
    assert yaml_text(organisation()).splitlines()[3:7] == [
        "- id: OBJ-1", "  title: Faster restores", "  metrics:", "  - MTTR"]
    assert yaml_text(metric()).splitlines()[4:7] == ["baseline:", "  date: '2026-01-01'", "  value: 10"]
    assert yaml_text(snapshot()).splitlines() == ["date: '2026-02-28'", "values:", "  MTTR: 8"]
    assert yaml_text(improvement(priority="urgent", value=3)).splitlines()[6::3] == [
        "priority: urgent", "value: 3"]


TYPES = [
    case("title is a list", imp(title=["a"]),
         f"{IMP}:2: title must be text of 1 to 120 characters; got a list"),
    case("title is blank", imp(title=" "), f"{IMP}:2: title must not be blank"),
    case("title is empty", imp(title=""), f"{IMP}:2: title must not be blank"),
    case("title of 121 characters", imp(title="x" * 121),
         f"{IMP}:2: title must be at most 120 characters; got 121"),
    case("title of 120 characters", imp(title="é" * 120)),
    case("title of 1 character", imp(title="x")),
    case("description is a mapping", imp(description={"a": "b"}),
         f"{IMP}:3: description must be Markdown text; got a mapping"),
    case("raised is not a date", imp(raised="soon"),
         f"{IMP}:4: raised must be a date (YYYY-MM-DD); got 'soon'"),
    case("raised is not a calendar date", imp(raised="2026-02-30"),
         f"{IMP}:4: raised must be a real calendar date (YYYY-MM-DD); got '2026-02-30'"),
    case("raised is written the American way", imp(raised="01/10/2026"),
         f"{IMP}:4: raised must be a date (YYYY-MM-DD); got '01/10/2026'"),
    case("raised is a date, unquoted", imp_yaml("", raised=dt.date(2026, 1, 10))),
    case("status is unknown", imp(status="done"),
         f"{IMP}:6: status must be one of {STATUS_WORDS}; got 'done'"),
    case("priority is unknown", imp(priority="urgent"),
         f"{IMP}:7: priority must be one of critical, high, medium, low; got 'urgent'"),
    case("priority is critical", imp(priority="critical")),
    case("value is 0", imp(value=0), f"{IMP}:10: value must be a whole number from 1 to 5; got '0'"),
    case("value is 6", imp(value=6), f"{IMP}:10: value must be a whole number from 1 to 5; got '6'"),
    case("value is 2.5", imp(value=2.5),
         f"{IMP}:10: value must be a whole number from 1 to 5; got '2.5'"),
    case("effort is quoted", imp(effort="3"),
         f"{IMP}:10: effort must be a whole number from 1 to 5; got the quoted text '3'"),
    case("value 1 and effort 5", imp(value=1, effort=5)),
    case("target_date is not a date", imp(target_date="Q3"),
         f"{IMP}:10: target_date must be a date (YYYY-MM-DD); got 'Q3'"),
    case("principles names an unknown principle", imp(principles=["focus-on-value", "focus"]),
         f"{IMP}:12: principles[2] must be one of {PRINCIPLE_WORDS}; got 'focus'"),
    case("every principle", imp(principles=list(PRINCIPLES))),
    case("dimensions names an unknown dimension", imp(dimensions=["people"]),
         f"{IMP}:11: dimensions[1] must be one of {', '.join(DIMENSIONS)}; got 'people'"),
    case("every dimension", imp(dimensions=list(DIMENSIONS))),
    case("services is not a list", imp(services="Email"),
         f"{IMP}:10: services must be a list of text; got 'Email'"),
    case("tags is a mapping", imp(tags={"a": "b"}),
         f"{IMP}:10: tags must be a list of text; got a mapping"),
    case("services and tags", imp(services=["Email"], tags=["quick-win", "2026"])),
    case("model is text", imp(model="x"), f"{IMP}:10: model must be a mapping of keys; got 'x'"),
    case("model answer is a list", imp(model={"plan": ["a"]}),
         f"{IMP}:11: model.plan must be Markdown text; got a list"),
    case("every model answer", imp(model={k: "Text." for k in (
        "vision", "current_state", "target_state", "plan", "review", "momentum")})),
    case("action without a title", imp(actions=[{"owner": "Sam"}]),
         f"{IMP}:11: required key 'actions[1].title' is missing (text)"),
    case("action done is 'yes'", imp_yaml("actions:\n- title: Do it\n  done: yes\n"),
         f"{IMP}:12: actions[1].done must be true or false; got 'yes'"),
    case("action done is quoted", imp(actions=[{"title": "Do it", "done": "true"}]),
         f"{IMP}:12: actions[1].done must be true or false; got the quoted text 'true'"),
    case("action due is not a date", imp(actions=[{"title": "A"}, {"title": "B", "due": "May"}]),
         f"{IMP}:13: actions[2].due must be a date (YYYY-MM-DD); got 'May'"),
    case("complete actions", imp_yaml("actions:\n- title: A\n  owner: Sam\n  due: 2027-01-31\n"
                                      "  done: true\n- title: B\n  done: False\n")),
    case("log entry without a note", imp(log=[{"date": "2026-02-01"}]),
         f"{IMP}:11: required key 'log[1].note' is missing (text)"),
    case("log entry without a date", imp(log=[{"note": "Started."}]),
         f"{IMP}:11: required key 'log[1].date' is missing (a date (YYYY-MM-DD))"),
    case("log status is unknown", imp(log=[{"date": "2026-02-01", "note": "x", "status": "won"}]),
         f"{IMP}:13: log[1].status must be one of {STATUS_WORDS}; got 'won'"),
    case("complete log", imp(log=[{"date": "2026-01-10", "note": "Raised.", "status": "proposed"},
                                  {"date": "2026-02-01", "note": "Approved.", "status": "approved"}])),
    case("stale_after_days is text", {"register": organisation(stale_after_days="soon")},
         f"{REG}:8: stale_after_days must be a whole number from 1 to 3650; got 'soon'"),
    case("stale_after_days is 30", {"register": organisation(stale_after_days=30)}),
    case("register has no objectives", {"register": organisation(objectives=[])},
         f"{REG}:3: objectives must list at least 1 item; got an empty list"),
    case("register has no organisation", {"register": without(organisation(), "organisation")},
         f"{REG}:1: required key 'organisation' is missing (text)"),
    case("register vision is empty", {"register": organisation(vision=None)},
         f"{REG}:2: required key 'vision' is empty (Markdown text)"),
    case("objective without a title", {"register": organisation(objectives=[{"id": "OBJ-1"}])},
         f"{REG}:4: required key 'objectives[1].title' is missing (text)"),
    case("objective with a description", {"register": organisation(objectives=[
        {"id": "OBJ-1", "title": "T", "description": "*Markdown*", "metrics": ["MTTR"]}])}),
    case("metric direction is unknown", {"metrics": [metric(direction="up")]},
         f"{MET}:4: direction must be one of higher_is_better, lower_is_better; got 'up'"),
    case("metric without a baseline", {"metrics": [without(metric(), "baseline")]},
         f"{MET}:1: required key 'baseline' is missing (a mapping (baseline))"),
    case("metric without a unit", {"metrics": [without(metric(), "unit")]},
         f"{MET}:1: required key 'unit' is missing (text)"),
    case("baseline value is quoted", {"metrics": [metric(baseline={"date": "2026-01-01", "value": "5"})]},
         f"{MET}:7: baseline.value must be a finite number; got the quoted text '5'"),
    case("target without a value", {"metrics": [metric(target={"date": "2027-01-01"})]},
         f"{MET}:9: required key 'target.value' is missing (a finite number)"),
    case("complete metric", {"metrics": [metric(description="How.", owner="Ops",
                                                target={"value": 2.5, "date": "2027-01-01"})]}),
    case("snapshot value is quoted", {"snapshots": [snapshot(MTTR="8")]},
         f"{SNAP}:3: values.MTTR must be a finite number; got the quoted text '8'"),
    case("snapshot values is a list", {"snapshots": [snapshot() | {"values": [8]}]},
         f"{SNAP}:2: values must be a mapping of metric id to number; got a list"),
    case("snapshot metric id is not an id", {"snapshots": [snapshot(mttr=8)]},
         f"{SNAP}:3: values key must be an id like P1-MTTR (pattern [A-Z][A-Z0-9-]*); got 'mttr'"),
    case("snapshot without a date", {"snapshots": {"2026-02-28.yml": without(snapshot(), "date")}},
         f"{SNAP}:1: required key 'date' is missing (a date (YYYY-MM-DD))"),
]

FINITE_NUMBERS = [
    case(f"snapshot value {text}", snapshot_value(f" {text}"),
         f"{SNAP}:3: values.MTTR must be a finite number; got '{text}'")
    for text in (".inf", "-.inf", ".NaN", "1e400", "0x10", "12:30", "yes", "1_000")
] + [
    case(f"snapshot value{text}", snapshot_value(text))
    for text in ("", " ~", " null", " 0", " -2.5", " 1e3", " .5", " 010")
] + [
    case("baseline value .nan", {"metrics": {"MTTR.yml": yaml_text(without(metric(), "baseline"))
                                             + "baseline:\n  date: 2026-01-01\n  value: .nan\n"}},
         f"{MET}:7: baseline.value must be a finite number; got '.nan'"),
]

ID_PATTERNS = [
    case("improvement id in lower case", {"improvements": {"CSI-0001.yml": improvement("csi-1")}},
         f"{IMP}:1: id must be an id like CSI-0007 (pattern [A-Z][A-Z0-9]*-[0-9]+); got 'csi-1'"),
    case("improvement id without a number", {"improvements": {"CSI-0001.yml": improvement("CSI")}},
         f"{IMP}:1: id must be an id like CSI-0007 (pattern [A-Z][A-Z0-9]*-[0-9]+); got 'CSI'"),
    case("improvement id of another prefix", {"improvements": [improvement("OPS2-17")]}),
    case("metric id in lower case", {"metrics": {"MTTR.yml": metric("mttr")}},
         f"{MET}:1: id must be an id like P1-MTTR (pattern [A-Z][A-Z0-9-]*); got 'mttr'"),
    case("metric id with a hyphen", {"register": organisation(objectives=[{"id": "OBJ-1", "title": "T"}]),
                                     "metrics": [metric("P1-MTTR")],
                                     "snapshots": [snapshot(**{"P1-MTTR": 3})]}),
    case("objective id without a number",
         {"register": organisation(objectives=[{"id": "OBJ-A", "title": "T"}])},
         f"{REG}:4: objectives[1].id must be an id like OBJ-1 (pattern OBJ-[0-9]+); got 'OBJ-A'"),
    case("improvement names a malformed objective id", imp(objectives=["OBJ1"]),
         f"{IMP}:9: objectives[1] must be an id like OBJ-1 (pattern OBJ-[0-9]+); got 'OBJ1'"),
    case("improvement names a malformed metric id", imp(metrics=["m-1"]),
         f"{IMP}:11: metrics[1] must be an id like P1-MTTR (pattern [A-Z][A-Z0-9-]*); got 'm-1'"),
    case("improvement names a malformed related id", imp(related=["CSI 2"]),
         f"{IMP}:11: related[1] must be an id like CSI-0003 (pattern [A-Z][A-Z0-9]*-[0-9]+); got 'CSI 2'"),
    case("objective names a malformed metric id", {"register": organisation(objectives=[
        {"id": "OBJ-1", "title": "T", "metrics": ["MTTR", "p1"]}])},
         f"{REG}:8: objectives[1].metrics[2] must be an id like P1-MTTR (pattern [A-Z][A-Z0-9-]*); got 'p1'"),
]

FILE_NAMES = [
    case("improvement file named after another id", {"improvements": {"CSI-0002.yml": improvement()}},
         f"register/improvements/CSI-0002.yml:1: id 'CSI-0001' must match the start of the file "
         "name; the file is named 'CSI-0002.yml' (expected CSI-0001.yml or CSI-0001-some-words.yml)"),
    case("improvement file name only starts with the id's text",
         in_file("improvements", "CSI-00011.yml", improvement()),
         f"register/improvements/CSI-00011.yml:1: id 'CSI-0001' must match the start of the file "
         "name; the file is named 'CSI-00011.yml' (expected CSI-0001.yml or CSI-0001-some-words.yml)"),
    case("improvement file name with words",
         in_file("improvements", "CSI-0001-faster-restores.yml", improvement())),
    case("improvement file named .yaml", {"improvements": {"CSI-0001.yaml": improvement()}}),
    case("metric file named after another id", {"metrics": {"TTR.yml": metric()}},
         "register/metrics/TTR.yml:1: id 'MTTR' must match the start of the file name; the file is "
         "named 'TTR.yml' (expected MTTR.yml or MTTR-some-words.yml)"),
    case("metric file name with words", {"metrics": {"MTTR-hours.yaml": metric()}}),
    case("snapshot date differs from its file name",
         in_file("snapshots", "2026-02-28.yml", snapshot("2026-02-27")),
         f"{SNAP}:1: date 2026-02-27 must equal the date in the file name (2026-02-28)"),
    case("snapshot file name is not a date", {"snapshots": {"february.yml": snapshot()}},
         "register/snapshots/february.yml:1: the file name must start with the snapshot's date: "
         "YYYY-MM-DD.yml or YYYY-MM-DD-some-words.yml"),
    case("snapshot file name is not a calendar date", {"snapshots": {"2026-02-30.yml": snapshot()}},
         "register/snapshots/2026-02-30.yml:1: the file name must start with the snapshot's date: "
         "YYYY-MM-DD.yml or YYYY-MM-DD-some-words.yml"),
    case("snapshot file name with a suffix", {"snapshots": {"2026-02-28-servicenow.yaml": snapshot()}}),
]

REQUIRED_WHEN = [
    case("approved without an owner", {"improvements": [without(improvement(), "owner")]},
         "register/improvements/CSI-0001.yml:5: owner is required when status is approved "
         "(only proposed and rejected improvements may have none)"),
    case("in_progress with an empty owner", imp(owner=None, status="in_progress"),
         f"{IMP}:5: owner is required when status is in_progress "
         "(only proposed and rejected improvements may have none)"),
    case("proposed without an owner", {"improvements": [without(improvement(status="proposed"), "owner")]}),
    case("rejected without an owner", imps(without(rejected(), "owner"))),
    case("closed without a closed date", imp(status="closed", outcome="It worked."),
         f"{IMP}:6: closed (a date) is required when status is closed"),
    case("rejected with an empty closed date", imp(status="rejected", closed=None, outcome="No."),
         f"{IMP}:10: closed (a date) is required when status is rejected"),
    case("closed with a closed date and outcome", done("closed")),
    case("approved with a closed date", imp(closed="2026-03-01"),
         f"{IMP}:10: closed must not be set while status is approved "
         "(only closed and rejected improvements have a closed date)"),
    case("deferred with a closed date", imp(status="deferred", closed="2026-03-01"),
         f"{IMP}:10: closed must not be set while status is deferred "
         "(only closed and rejected improvements have a closed date)"),
    case("closed before raised", done(closed="2026-01-09"),
         f"{IMP}:10: closed (2026-01-09) must not be before raised (2026-01-10)"),
    case("closed without an outcome", imp(status="closed", closed="2026-03-01"),
         f"{IMP}:6: outcome is required when status is closed (what happened, or why it was rejected)"),
    case("rejected with an empty outcome", imp(status="rejected", closed="2026-03-01", outcome=None),
         f"{IMP}:11: outcome is required when status is rejected (what happened, or why it was rejected)"),
    case("implemented without objectives", imps(without(improvement(status="implemented"), "objectives")),
         f"{IMP}:6: objectives must list at least one objective id when status is implemented "
         "(traceability to the vision)"),
    case("approved with an empty objectives list", imp(objectives=[]),
         f"{IMP}:8: objectives must list at least one objective id when status is approved "
         "(traceability to the vision)"),
    case("proposed without objectives", imps(without(improvement(status="proposed"), "objectives"))),
    case("rejected without objectives", imps(without(rejected(), "objectives"))),
]

REFERENCES = [
    case("unknown objective", imp(objectives=["OBJ-1", "OBJ-9"]),
         f"{IMP}:10: objectives names unknown objective 'OBJ-9'"),
    case("unknown metric", imp(metrics=["NOPE"]), f"{IMP}:11: metrics names unknown metric 'NOPE'"),
    case("known metric", imp(metrics=["MTTR"])),
    case("unknown related improvement", imp(related=["CSI-0009"]),
         f"{IMP}:11: related names unknown improvement 'CSI-0009'"),
    case("related to itself", imp(related=["CSI-0001"]),
         f"{IMP}:11: related lists the improvement itself (CSI-0001)"),
    case("related to another", imps(improvement(related=["CSI-0002"]), improvement("CSI-0002"))),
    case("objective names an unknown metric", {"register": organisation(objectives=[
        {"id": "OBJ-1", "title": "T", "metrics": ["NOPE"]}])},
         f"{REG}:7: objective OBJ-1 names unknown metric 'NOPE' (no metrics/NOPE.yml)"),
    case("snapshot names an unknown metric", {"snapshots": [snapshot(MTTR=1, NOPE=2)]},
         f"{SNAP}:4: unknown metric 'NOPE' (no metrics/NOPE.yml)"),
]

DUPLICATES = [
    case("two improvements with one id", {"improvements": {"CSI-0001.yml": improvement(),
                                                           "CSI-0001-copy.yml": improvement()}},
         f"{IMP}:1: duplicate improvement id 'CSI-0001': also in register/improvements/CSI-0001-copy.yml:1; "
         f"give this one another id with `csi renumber CSI-0001 --file {IMP}`"),
    case("two metrics with one id", {"metrics": {"MTTR.yml": metric(), "MTTR-old.yml": metric()}},
         f"{MET}:1: duplicate metric id 'MTTR': also in register/metrics/MTTR-old.yml:1"),
    case("two objectives with one id", {"register": organisation(objectives=[
        {"id": "OBJ-1", "title": "A"}, {"id": "OBJ-1", "title": "B"}])},
         f"{REG}:6: duplicate objective id 'OBJ-1': also in {REG}:4"),
    case("a metric with two values for one date", {"snapshots": {
        "2026-02-28.yml": snapshot(), "2026-02-28-servicenow.yml": snapshot(MTTR=9)}},
         f"{SNAP}:3: metric 'MTTR' already has a value for 2026-02-28 in "
         "register/snapshots/2026-02-28-servicenow.yml"),
    case("two files for one date, other metrics", {
        "metrics": [metric(), metric("FCR")],
        "snapshots": {"2026-02-28.yml": snapshot(), "2026-02-28-survey.yml": snapshot(FCR=70)}}),
]

DATES = [
    case("log before raised", imp(log=[{"date": "2026-01-09", "note": "Too early."}]),
         f"{IMP}:11: log date 2026-01-09 is before raised (2026-01-10)"),
    case("log on the day raised", imp(log=[{"date": "2026-01-10", "note": "Raised."}])),
    case("raised after the build date", imp(raised="2026-11-26"),
         f"{IMP}:4: raised 2026-11-26 is in the future (the build date is 2026-11-25)"),
    case("raised on the build date", imp(raised="2026-11-25")),
    case("closed after the build date", done(closed="2026-12-01"),
         f"{IMP}:10: closed 2026-12-01 is in the future (the build date is 2026-11-25)"),
    case("log after the build date", imp(log=[{"date": "2026-02-01", "note": "A"},
                                              {"date": "2027-01-01", "note": "B"}]),
         f"{IMP}:13: log date 2027-01-01 is in the future (the build date is 2026-11-25)"),
    case("snapshot after the build date", {"snapshots": [snapshot("2026-12-31")]},
         "register/snapshots/2026-12-31.yml:1: date 2026-12-31 is in the future "
         "(the build date is 2026-11-25)"),
    case("baseline after the build date", {"metrics": [metric(baseline={"date": "2027-01-01", "value": 1})]},
         f"{MET}:6: baseline date 2027-01-01 is in the future (the build date is 2026-11-25)"),
    case("planned dates in the future", {
        "improvements": [improvement(target_date="2030-01-01",
                                     actions=[{"title": "A", "due": "2030-01-01"}])],
        "metrics": [metric(target={"value": 1, "date": "2030-01-01"})]}),
    case("raised after an earlier build date", imp(),
         f"{IMP}:4: raised 2026-01-10 is in the future (the build date is 2026-01-09)",
         today=dt.date(2026, 1, 9)),
    case("rebase dates in order", {"metrics": [metric(rebase=["2026-03-31", "2026-11-25"])]}),
    case("rebase on the baseline date", {"metrics": [metric(rebase=["2026-01-01"])]},
         f"{MET}:9: rebase date 2026-01-01 must lie after the baseline date (2026-01-01)"),
    case("rebase after the build date", {"metrics": [metric(rebase=["2026-11-26"])]},
         f"{MET}:9: rebase date 2026-11-26 is in the future (the build date is 2026-11-25)"),
    case("rebase dates unsorted", {"metrics": [metric(rebase=["2026-05-31", "2026-03-31"])]},
         f"{MET}:10: rebase dates must be sorted: 2026-03-31 comes after 2026-05-31"),
    case("rebase date twice", {"metrics": [metric(rebase=["2026-03-31", "2026-03-31"])]},
         f"{MET}:10: rebase date 2026-03-31 is listed twice"),
]

UNKNOWN_KEYS = [
    case("a misspelt key", imp(onwer="Sam"), f"{IMP}:10: unknown key 'onwer'; did you mean 'owner'?"),
    case("a key like no other", imp(colour="red"),
         f"{IMP}:10: unknown key 'colour'; expected one of id, title, description, raised, raised_by, "
         "owner, status, priority, value, effort, target_date, closed, objectives, principles, "
         "dimensions, services, metrics, benefits, model, actions, log, outcome, related, tags, extra"),
    case("a misspelt key in an action", imp(actions=[{"titel": "A"}]),
         f"{IMP}:11: required key 'actions[1].title' is missing (text)",
         f"{IMP}:11: unknown key 'actions[1].titel'; did you mean 'title'?"),
    case("a misspelt model key", imp(model={"visoin": "x"}),
         f"{IMP}:11: unknown key 'model.visoin'; did you mean 'vision'?"),
    case("a misspelt baseline key",
         {"metrics": [metric(baseline={"date": "2026-01-01", "value": 1, "valeu": 2})]},
         f"{MET}:8: unknown key 'baseline.valeu'; did you mean 'value'?"),
    case("a misspelt register key", {"register": organisation(visoin="x")},
         f"{REG}:8: unknown key 'visoin'; did you mean 'vision'?"),
    case("a misspelt objective key", {"register": organisation(objectives=[{"id": "OBJ-1", "titel": "x"}])},
         f"{REG}:4: required key 'objectives[1].title' is missing (text)",
         f"{REG}:5: unknown key 'objectives[1].titel'; did you mean 'title'?"),
    case("extra in a snapshot", {"snapshots": [snapshot() | {"extra": {"a": 1}}]},
         f"{SNAP}:4: unknown key 'extra'; expected one of date, source, values"),
]

EXTRA = [
    case("extra everywhere it is allowed", {
        "register": organisation(extra={"contact": "csi@example.org", "list": [1, {"deep": None}]}),
        "improvements": [improvement(extra={"cost": 1200.5, "flags": [True, "x"],
                                            "nested": {"a": {"b": []}}})],
        "metrics": [metric(extra={"report": "P1 restores", "anything": {"goes": ["here"]}})]}),
    case("extra is a list", imp(extra=["a"]), f"{IMP}:10: extra must be a mapping; got a list"),
    case("extra is empty", imp(extra=None)),
]


CATALOGUE = organisation(services=[{"name": "Email & Calendar", "owner": "Messaging team"},
                                   {"name": "Fjernarkiv Ørsta"}, {"name": "Service desk"}])
SERVICES = [
    case("services in the catalogue", {
        "register": CATALOGUE,
        "improvements": [improvement(services=["Email & Calendar", "Fjernarkiv Ørsta"])],
        "metrics": [metric(services=["Service desk"])]}),
    case("any service without a catalogue", imp(services=["Anything & Ørsta"])),
    case("a service outside the catalogue, with the closest name", {
        "register": CATALOGUE,
        "improvements": [improvement(services=["Service desk", "Email & calendar"])],
        "metrics": [metric(services=["Fjernarkiv Orsta"])]},
         f"{IMP}:12: services names 'Email & calendar', which is not in the service catalogue "
         "(services in register.yml); did you mean 'Email & Calendar'?",
         f"{MET}:9: services names 'Fjernarkiv Orsta', which is not in the service catalogue "
         "(services in register.yml); did you mean 'Fjernarkiv Ørsta'?"),
    case("a service far from every catalogue name", {
        "register": CATALOGUE, "improvements": [improvement(services=["Payroll"])]},
         f"{IMP}:11: services names 'Payroll', which is not in the service catalogue (services "
         "in register.yml); the catalogue lists Email & Calendar, Fjernarkiv Ørsta, Service desk"),
    case("an empty catalogue accepts no service", {
        "register": organisation(services=[]), "improvements": [improvement(services=["Email"])]},
         f"{IMP}:11: services names 'Email', which is not in the service catalogue (services "
         "in register.yml); the catalogue lists no service yet"),
    case("a service twice in the catalogue", {
        "register": organisation(services=[{"name": "Email"}, {"name": "Email"}])},
         f"{REG}:10: service 'Email' is already in the catalogue at line 9"),
    case("a catalogue entry without a name", {
        "register": organisation(services=[{"owner": "Sam"}])},
         f"{REG}:9: required key 'services[1].name' is missing (text)"),
]


@pytest.mark.parametrize("files, expected, today", [
    *SERVICES,
    *TYPES, *FINITE_NUMBERS, *ID_PATTERNS, *FILE_NAMES, *REQUIRED_WHEN, *REFERENCES,
    *DUPLICATES, *DATES, *UNKNOWN_KEYS, *EXTRA])
def test_rule(problems_of, files: dict[str, Any], expected: list[str], today: dt.date | None) -> None:
    assert problems_of(**files, **({"today": today} if today else {})) == expected


def test_every_rule_has_a_failing_case() -> None:
    from csi_macros.register.rules import RULES
    failing = [p for group in (SERVICES, TYPES, FINITE_NUMBERS, ID_PATTERNS, FILE_NAMES, REQUIRED_WHEN,
                               REFERENCES, DUPLICATES, DATES, UNKNOWN_KEYS, EXTRA)
               for p in group if p.values[1]]
    messages = " | ".join(m for p in failing for m in p.values[1])
    phrases = {"id_matches_file_name": "must match the start of the file name",
               "snapshot_date_matches_file_name": "must equal the date in the file name",
               "ids_are_unique": "duplicate improvement id", "owner_when_committed": "owner is required",
               "objectives_when_committed": "objectives must list at least one objective",
               "closed_date_when_done": "closed (a date) is required",
               "outcome_when_done": "outcome is required", "dates_not_in_future": "is in the future",
               "log_not_before_raised": "is before raised",
               "references_resolve": "names unknown", "one_value_per_metric_and_date": "already has a value",
               "services_in_catalogue": "which is not in the service catalogue",
               "rebase_dates_in_order": "must lie after the baseline date"}
    assert sorted(phrases) == sorted(r.__name__ for r in RULES)
    assert [name for name, phrase in phrases.items() if phrase not in messages] == []


def test_the_build_date_comes_from_source_date_epoch(problems_of, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768003200")  # 2026-01-10 00:00 UTC
    from csi_macros.readings.facts import build_date
    assert build_date() == dt.date(2026, 1, 10)
    assert problems_of(today=None, **imp(raised="2026-01-10")) == []
    assert problems_of(today=None, **imp(raised="2026-01-11", log=[{"date": "2026-01-12", "note": "x"}])) == [
        f"{IMP}:4: raised 2026-01-11 is in the future (the build date is 2026-01-10)",
        f"{IMP}:11: log date 2026-01-12 is in the future (the build date is 2026-01-10)"]


def test_a_malformed_source_date_epoch_is_a_problem_not_a_traceback(problems_of, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert problems_of(today=None) == [
        "SOURCE_DATE_EPOCH:1: must be a whole number of seconds; got 'yesterday'"]


def test_every_problem_is_reported_together_sorted_by_file_and_line(problems_of) -> None:
    problems = problems_of(
        register=organisation(visoin="x"),
        improvements=[improvement(priority="urgent", related=["CSI-0001"]),
                      improvement("CSI-0002", value="high", status="closed")],
        metrics=[metric(direction="up")],
        snapshots=[snapshot(NOPE=1)])
    assert problems == [
        f"{IMP}:7: priority must be one of critical, high, medium, low; got 'urgent'",
        f"{IMP}:11: related lists the improvement itself (CSI-0001)",
        "register/improvements/CSI-0002.yml:6: closed (a date) is required when status is closed",
        "register/improvements/CSI-0002.yml:6: outcome is required when status is closed "
        "(what happened, or why it was rejected)",
        "register/improvements/CSI-0002.yml:10: value must be a whole number from 1 to 5; got 'high'",
        f"{MET}:4: direction must be one of higher_is_better, lower_is_better; got 'up'",
        f"{REG}:8: unknown key 'visoin'; did you mean 'vision'?",
        f"{SNAP}:3: unknown metric 'NOPE' (no metrics/NOPE.yml)",
    ]


def test_a_file_that_cannot_be_parsed_does_not_cascade(problems_of) -> None:
    """References into a kind whose file could not say its id are not checked: the
    unreadable file is the one problem to fix."""
    assert problems_of(improvements={"CSI-0001.yml": improvement(related=["CSI-0002"]),
                                     "CSI-0002.yml": improvement(["CSI-0002"])},
                       metrics={"MTTR.yml": "id: [MTTR\n"}) == [
        "register/improvements/CSI-0002.yml:1: id must be an id like CSI-0007 "
        "(pattern [A-Z][A-Z0-9]*-[0-9]+); got a list",
        f"{MET}:2: YAML syntax error while parsing a flow sequence (begun at line 1): "
        "did not find expected ',' or ']'",
    ]
