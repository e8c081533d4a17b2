"""A row for an improvement of the register updates its file, field by field.

Only the lines of changed fields move (the same text-level editing as `csi status`);
a status change adds its log entry; log entries the sheet adds at the end are appended.
Extra data and actions are compared but not imported over the file's: that would lose
what a sheet cannot show.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...edit.document import Document
from ...register.load import display_path
from ...register.model import STATUSES
from ..changes import FileChange
from ..values import cell_text, one_line, same_text
from .context import Context
from .entries import action_lines, completed_note, log_entries, log_lines
from .keys import LISTS, MARKDOWN, ONE_LINE, article

_HISTORY = ("id", "status", "closed", "log", "actions")
"""Keys not set field by field: `_update_history` moves them together."""


def update(context: Context, number: int, values: dict[str, Any],
           path: Path) -> FileChange | None:
    """The change a row makes to its improvement's file; None when it changes nothing."""
    document = Document.read(path.read_bytes(), display_path(path))
    values = _with_objective(context, values, document.data)
    changed = _update_fields(context, number, values, document, path)
    changed += _update_history(context, number, values, document)
    if not changed:
        return None
    after = document.result()
    return FileChange(path, path.read_bytes(), after, context.table.display,
                      [number], f"row {number}: " + ", ".join(changed))


def _with_objective(context: Context, values: dict[str, Any],
                    data: dict[str, Any]) -> dict[str, Any]:
    """An empty objectives cell of a committed improvement takes `--objective`."""
    status = values.get("status") or data.get("status")
    if "objectives" in values and not values["objectives"] and context.options.objective \
            and status not in ("proposed", "rejected"):
        return {**values, "objectives": [context.options.objective]}
    return values


def _update_fields(context: Context, number: int, values: dict[str, Any],
                   document: Document, path: Path) -> list[str]:
    """Set every field the row changes (history aside); return their keys."""
    data, changed = document.data, []
    for key, value in values.items():
        if key in _HISTORY or same(key, value, data) or \
                _same_as_written(context, number, key, data):
            continue
        if key == "extra":
            context.problem(number, f'column "{context.columns[key][1]}": {values["id"]}\'s '
                                    "extra data differs from the file; edit it in "
                                    f"{display_path(path)}")
            continue
        if value is None and key in ("title", "description", "raised", "priority"):
            context.problem(number, f'column "{context.columns[key][1]}" is empty, but '
                                    f"{values['id']} needs {article(key)}")
            continue
        changed.append(key)
        _set_field(document, key, value)
    return changed


def _same_as_written(context: Context, number: int, key: str, data: dict[str, Any]) -> bool:
    """A list cell as written may match the file where its items do not (`Email,
    Calendar` is one service)."""
    return context.written.get((number, key)) == "; ".join(map(cell_text, data.get(key) or []))


def _set_field(document: Document, key: str, value: Any) -> None:
    if key.startswith("model."):
        document.set_child("model", key[6:], value)
    elif key.startswith("extra."):
        document.set_child("extra", key[6:], value)
    elif value is None or value == []:
        if key in document.keys:
            document.remove_key(key)
    else:
        document.set_value(key, value)


def same(key: str, value: Any, data: dict[str, Any]) -> bool:
    """Whether a row's value says what the file says, as the sheet could write it."""
    if key.startswith("model."):
        model = data.get("model")
        current = model.get(key[6:]) if isinstance(model, dict) else None
    elif key.startswith("extra."):
        extra = data.get("extra")
        current = extra.get(key[6:]) if isinstance(extra, dict) else None
        return cell_text(current) == cell_text(value) if None not in (current, value) \
            else current is value
    else:
        current = data.get(key)
    if key in LISTS:
        return [cell_text(item) for item in current or []] == list(value or [])
    if key == "extra":  # an empty cell leaves the file's extra data alone
        return value is None or (current or {}) == value
    if current is None or value is None:
        return current in (None, "") and value in (None, "")
    if key in MARKDOWN or key in ONE_LINE:
        return same_text(cell_text(current), value) if key in MARKDOWN else \
            one_line(current) == value
    return cell_text(current) == cell_text(value)


# --- Status, closed date, actions and log ----------------------------------------------------

def _update_history(context: Context, number: int, values: dict[str, Any],
                    document: Document) -> list[str]:
    """Status, closed date, actions and log: what changed among them, edited."""
    data = document.data
    _check_actions(context, number, values, document)
    appended = _appended_log(context, number, values, document)
    old, status = data.get("status"), values.get("status") or data.get("status")
    changed = _set_status(context, values, document, status)
    completion = _completion_entry(context, values, data, status, appended)
    if completion is not None:
        appended.append(completion)
    for entry in appended:
        document.append_log(entry)
    if appended:
        changed.append("log")
    if status != old and not any(e.get("status") == status for e in appended):
        document.append_log({"date": str(context.today), "note": f"Status {old} → {status}, "
                             f"imported from {context.source} (row {number}).",
                             "status": status})
    return changed


def _check_actions(context: Context, number: int, values: dict[str, Any],
                   document: Document) -> None:
    if values.get("actions") and action_lines(document.data) != values["actions"]:
        context.problem(number, f'column "{context.columns["actions"][1]}": {values["id"]}\'s '
                                "actions differ from its file; change actions in "
                                f"{document.display}")


def _appended_log(context: Context, number: int, values: dict[str, Any],
                  document: Document) -> list[dict[str, str]]:
    """The log entries the sheet adds after the file's; earlier entries must agree."""
    if "log" not in values:
        return []
    current = log_lines(document.data)
    new = values["log"] or []
    if current[:len(new)] == new:
        return []  # the sheet is older than the file (or the same): nothing to add
    if new[:len(current)] != current:
        context.problem(number, f'column "{context.columns["log"][1]}": only entries added '
                                f"at the end of {values['id']}'s log are imported; earlier "
                                f"entries differ from {document.display}")
        return []
    return log_entries(new[len(current):], context.columns)


def _set_status(context: Context, values: dict[str, Any], document: Document,
                status: str | None) -> list[str]:
    """Set the status and the closed date it calls for; return which changed."""
    data, changed = document.data, []
    done = status in STATUSES and not STATUSES[status].open
    closed = values.get("closed") if "closed" in values else data.get("closed")
    if status != data.get("status"):
        changed.append("status")
        document.set_value("status", status)
    if done and closed is None:
        closed = str(context.today)
    if done and cell_text(data.get("closed") or "") != cell_text(closed):
        changed.append("closed")
        document.set_key("closed", cell_text(closed))
    elif not done and "closed" in document.keys:
        changed.append("closed")
        document.remove_key("closed")
    return changed


def _completion_entry(context: Context, values: dict[str, Any], data: dict[str, Any],
                      status: str | None,
                      appended: list[dict[str, str]]) -> dict[str, str] | None:
    """As for a new row: the completion date of an open improvement is a log entry
    (unless the file or the sheet's new entries already say it)."""
    done = status in STATUSES and not STATUSES[status].open
    if done or not values.get("closed") or status != data.get("status"):
        return None
    entry = {"date": values["closed"], "status": status}
    logged = [{k: cell_text(e.get(k)) for k in entry} for e in data.get("log") or []
              if isinstance(e, dict)]
    if entry in logged or entry in [{k: e.get(k) for k in entry} for e in appended]:
        return None
    return {**entry, "note": completed_note(context.table.display)}
