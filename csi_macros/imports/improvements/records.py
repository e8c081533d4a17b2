"""A row for no improvement of the register becomes a new record, keys in the model's order.

A title may come from the description's first line and a description from the title;
what a status needs (an owner, an objective, a closed date, an outcome) is asked for by
name, with the column that should have held it.
"""

from __future__ import annotations

from typing import Any

from ...register.model import STATUSES
from .context import Context
from .entries import action, completed_note, log_entries
from .keys import MODEL_KEYS, ORDER, TITLE_MAX, article


def new_record(context: Context, number: int, values: dict[str, Any]) -> dict[str, Any] | None:
    """The new file's keys in the model's order, or None after saying what is missing."""
    values = _filled(values)
    status = values.get("status")
    done = status in STATUSES and not STATUSES[status].open
    missing = _missing(context, values, status)
    if missing:
        context.problem(number, "cannot create " + values["id"] + ": " +
                        "; ".join(why_missing(context, what, status) for what in missing))
        return None
    if len(values["title"]) > TITLE_MAX:
        header = context.columns.get("title", ("", "title"))[1]
        context.problem(number, f'column "{header}": a title has at most {TITLE_MAX} '
                                f"characters; this one has {len(values['title'])} (shorten "
                                "it, or map the column to description)")
        return None
    log = log_entries(values.get("log"), context.columns)
    if not done and values.get("closed"):
        # An open status keeps no closed date: the date goes into the log instead.
        log.append({"date": values.pop("closed"), "note": completed_note(context.table.display),
                    "status": status})
    return _in_order(values, log)


def _filled(values: dict[str, Any]) -> dict[str, Any]:
    """A copy of the values, with a title from the description or the other way round."""
    values = dict(values)
    if not values.get("title") and values.get("description"):
        values["title"] = first_line(values["description"])
    if not values.get("description") and values.get("title"):
        values["description"] = values["title"]
    return values


def _missing(context: Context, values: dict[str, Any], status: str | None) -> list[str]:
    """The keys the new file needs and the row lacks; `--objective` fills objectives."""
    done = status in STATUSES and not STATUSES[status].open
    committed = status not in (None, "proposed", "rejected")
    missing = [what for what, needed in (
        ("title", not values.get("title")), ("description", not values.get("description")),
        ("raised", not values.get("raised")), ("status", not status),
        ("priority", not values.get("priority")),
        ("owner", committed and not values.get("owner")),
        ("closed", done and not values.get("closed")),
        ("outcome", done and not values.get("outcome"))) if needed]
    if committed and not values.get("objectives"):
        if context.options.objective:
            values["objectives"] = [context.options.objective]
        else:
            missing.append("objectives")
    return missing


def why_missing(context: Context, what: str, status: str | None) -> str:
    """Why a key is needed, and where the sheet would have given it."""
    column = context.columns.get(what)
    where = f'column "{column[1]}" is empty' if column else \
        f"the sheet has no {what} column"
    if what == "objectives":
        known = ", ".join(sorted(set(context.index.objectives.values())))
        return (f"status {status} needs an objective ({where}; give a default with "
                f"--objective, one of {known})")
    if what in ("owner", "closed", "outcome"):
        return f"status {status} needs {article(what)} ({where})"
    return f"needs {article(what)} ({where})"


def _in_order(values: dict[str, Any], log: list[dict[str, str]]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key in ORDER:
        value = _record_value(key, values, log)
        if value not in (None, []):
            record[key] = value
    return record


def _record_value(key: str, values: dict[str, Any], log: list[dict[str, str]]) -> Any:
    """What the record holds under `key`; None (left out) for an empty group."""
    if key == "model":
        return {k[6:]: values[k] for k in MODEL_KEYS if values.get(k)} or None
    if key == "log":
        return log or None
    if key == "actions":
        return [action(line) for line in values.get("actions") or []] or None
    if key == "extra":
        return {**(values.get("extra") or {}),
                **{k[6:]: v for k, v in values.items()
                   if k.startswith("extra.") and v is not None}} or None
    return values.get(key)


def first_line(text: str) -> str:
    """A title from a description: its first line, cut at a word within the limit."""
    line = next((line.strip(" #*") for line in text.splitlines() if line.strip()), "")
    if len(line) <= TITLE_MAX:
        return line
    cut = line[:TITLE_MAX - 1]
    return (cut[:cut.rfind(" ")] if " " in cut else cut).rstrip(" ,;:-") + "…"
