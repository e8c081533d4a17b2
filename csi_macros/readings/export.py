"""The register as data: `register.csv` and `register.json`, one row / object per improvement.

Both carry every key of the improvement format, in the order the model declares them,
then the facts derived from it (step, open, stale, overdue, last activity, actions done,
the priority score, the variation, assurance and evidence of each metric it names, and the
strongest of that evidence: `behaviour.strongest_evidence`, the register page's column; and
of each metric it names its frequency, whether it is late and its newest value's date:
`cadence.py`). JSON keeps the nesting (model answers, actions, log); a row, for
CSV and spreadsheets, flattens it: one column per model answer, and lists as text.
Output depends only on the register and the build date.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import json
from typing import Any

from .evidence import strongest_evidence
from .facts import Register
from ..register.fields import format_keys
from ..register.model import Action, Improvement, LogEntry, ModelAnswers
from .scoring import DEFAULT_FORMULA, parse_formula

CSV_PATH = "register.csv"
JSON_PATH = "register.json"
LIST_SEPARATOR = "; "
"""How a list is written in one CSV cell."""
SCORE_DECIMALS = 4

IMPROVEMENT_KEYS = tuple(format_keys(Improvement))
MODEL_KEYS = tuple(format_keys(ModelAnswers))
DERIVED = ("step", "open", "stale", "overdue", "last_activity", "actions_done", "actions_total",
           "score", "variation", "assurance", "evidence", "strongest_evidence", "frequency",
           "late", "newest_value", "verdict", "headline")
"""The derived columns, after the format's own keys."""


def columns() -> list[str]:
    """The columns of a row, in order: the format's keys (the model answers as
    `model.<key>`), then the derived facts."""
    names: list[str] = []
    for key in IMPROVEMENT_KEYS:
        names += [f"model.{m}" for m in MODEL_KEYS] if key == "model" else [key]
    return names + list(DERIVED)


def rows(register: Register, formula: str = DEFAULT_FORMULA) -> list[dict[str, Any]]:
    """One flat row per improvement, in id order. Values are Python values: dates,
    numbers, booleans, text, None, and lists (of text) for list keys, actions and log."""
    checked = parse_formula(formula)
    return [_row(register, imp, checked.score(imp)) for imp in register.improvements]


def records(register: Register, formula: str = DEFAULT_FORMULA) -> list[dict[str, Any]]:
    """One nested record per improvement, in id order, as JSON values."""
    checked = parse_formula(formula)
    return [_record(register, imp, checked.score(imp)) for imp in register.improvements]


def to_csv(register: Register, formula: str = DEFAULT_FORMULA) -> bytes:
    """UTF-8 CSV with a byte order mark (so spreadsheet programs read it as UTF-8)."""
    names = columns()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(names)
    for row in rows(register, formula):
        writer.writerow([_csv_cell(row[name]) for name in names])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_json(register: Register, formula: str = DEFAULT_FORMULA) -> bytes:
    """A JSON list of improvements, UTF-8, one improvement per line (compact to read and
    to diff, and written by the fast C encoder, which indenting would turn off)."""
    lines = [json.dumps(record, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
             for record in records(register, formula)]
    return ("[\n" + ",\n".join(lines) + ("\n]\n" if lines else "]\n")).encode("utf-8")


# --- rows --------------------------------------------------------------------------------

def _row(register: Register, imp: Improvement, score: float | None) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for key in IMPROVEMENT_KEYS:
        value = getattr(imp, key)
        if key == "model":
            row.update({f"model.{m}": getattr(value, m) for m in MODEL_KEYS})
        elif key == "actions":
            row[key] = [_action_text(action) for action in value]
        elif key == "log":
            row[key] = [_log_text(entry) for entry in value]
        elif key == "extra":
            row[key] = json.dumps(value, ensure_ascii=False) if value else None
        else:
            row[key] = list(value) if isinstance(value, tuple) else value
    derived = _derived(register, imp, score)
    for key in (*SIGNALS, *CADENCE, *READINGS):  # one cell each: "FCR: common cause; KB-USE: hit and miss"
        derived[key] = [f"{metric}: {_csv_cell(word)}" for metric, word in derived[key].items()]
    return {**row, **derived}


def _derived(register: Register, imp: Improvement, score: float | None) -> dict[str, Any]:
    facts = register.facts[imp.id]
    return {"step": facts.step, "open": facts.open, "stale": facts.stale,
            "overdue": facts.overdue, "last_activity": facts.last_activity,
            "actions_done": facts.actions_done, "actions_total": facts.actions_total,
            "score": round(score, SCORE_DECIMALS) if score is not None else None,
            **_signals(register, imp), "strongest_evidence": _strongest(register, imp),
            **_cadence(register, imp), **_readings(register, imp)}


SIGNALS = ("variation", "assurance", "evidence")
"""The process behaviour readings of each metric an improvement names, by metric id."""


def _signals(register: Register, imp: Improvement) -> dict[str, dict[str, str]]:
    metrics = list(dict.fromkeys(imp.metrics))
    behaviour = register.behaviour
    return {"variation": {m: behaviour[m].variation for m in metrics},
            "assurance": {m: behaviour[m].assurance for m in metrics},
            "evidence": {e.metric_id: e.signal for e in register.evidence(imp)}}


READINGS = ("verdict", "headline")
"""Of each metric an improvement names, by metric id: its verdict and its headline, the
same reading the board and the metric's page show (`Register.verdicts`)."""


def _readings(register: Register, imp: Improvement) -> dict[str, dict[str, str]]:
    found = {m: register.verdicts[m] for m in dict.fromkeys(imp.metrics)}
    return {"verdict": {m: v.status for m, v in found.items()},
            "headline": {m: v.headline for m, v in found.items()}}


CADENCE = ("frequency", "late", "newest_value")
"""Of each metric an improvement names, by metric id: how often it is measured, whether its
data is late, and the date of its newest value (`Register.cadence`)."""


def _cadence(register: Register, imp: Improvement) -> dict[str, dict[str, Any]]:
    found = [register.cadence[m] for m in dict.fromkeys(imp.metrics)]
    return {"frequency": {c.metric_id: c.frequency for c in found},
            "late": {c.metric_id: c.late for c in found},
            "newest_value": {c.metric_id: c.newest for c in found}}


def _strongest(register: Register, imp: Improvement) -> str | None:
    """Did it move its metrics? The strongest evidence across them (None: it names none)."""
    found = strongest_evidence(register.evidence(imp))
    return found[0] if found else None


def _action_text(action: Action) -> str:
    details = [f"owner {action.owner}" if action.owner else "",
               f"due {action.due.isoformat()}" if action.due else ""]
    meta = ", ".join(d for d in details if d)
    return f"[{'x' if action.done else ' '}] {action.title}" + (f" ({meta})" if meta else "")


def _log_text(entry: LogEntry) -> str:
    moved = f" [{entry.status}]" if entry.status else ""
    return f"{entry.date.isoformat()}{moved} {entry.note}"


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(map(str, value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- JSON records ------------------------------------------------------------------------

def _record(register: Register, imp: Improvement, score: float | None) -> dict[str, Any]:
    record = {key: _json_value(getattr(imp, key)) for key in IMPROVEMENT_KEYS}
    return {**record, **_json_value(_derived(register, imp, score))}


@functools.cache
def _keys(cls: type) -> tuple[str, ...]:
    return tuple(format_keys(cls))


_AS_IT_IS = frozenset({str, int, float, bool})


def _json_value(value: Any) -> Any:
    """A register value as JSON: records become objects (their format keys, in order),
    tuples lists, dates ISO text."""
    if value is None or type(value) in _AS_IT_IS:  # most values: asked first
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {key: _json_value(getattr(value, key)) for key in _keys(type(value))}
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
