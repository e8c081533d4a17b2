"""Actions and log entries: one line each in a sheet (as `csi export` writes them), a
mapping each in a file. A sheet's entries are compared with the file's in line form."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ...edit.errors import EditError
from ..values import cell_text, one_line
from .columns import Columns

# `[x] title (owner Sam, due 2026-01-31)`: the checkbox, the title, then maybe the details.
_ACTION = re.compile(r"\[( |x|X)\]\s*(.*?)"
                     r"(?:\s+\((owner [^,()]+)?(?:,\s*)?(due \d{4}-\d{2}-\d{2})?\))?")
# `csi export` joins entries with "; ", which a note may hold too: an entry starts with
# its date (log) or its checkbox (actions).
_NEXT_ENTRY = {"log": re.compile(r";\s+(?=\d{4}-\d{2}-\d{2}\b)"),
               "actions": re.compile(r";\s+(?=\[[ xX]\])")}
_LOG = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\s+\[([a-z_]+)\])?\s+(.+)", re.S)


def entry_lines(key: str, raw: Any) -> list[str]:
    """A cell of actions or log entries as one line per entry."""
    text = cell_text(raw)
    lines = text.split("\n") if "\n" in text.strip() else _NEXT_ENTRY[key].split(text)
    return [one_line(line) for line in lines if line.strip()]


def action(line: str) -> dict[str, Any]:
    """`[x] Write the runbook (owner Sam, due 2026-01-31)` as a file's action."""
    match = _ACTION.fullmatch(line)
    if match is None:
        return {"title": line}
    action: dict[str, Any] = {"title": match.group(2)}
    if match.group(3):
        action["owner"] = match.group(3)[6:].strip()
    if match.group(4):
        action["due"] = match.group(4)[4:]
    if match.group(1) in "xX":
        action["done"] = True
    return action


def action_lines(data: dict[str, Any]) -> list[str]:
    """A file's actions as `csi export` writes them."""
    lines = []
    for action in data.get("actions") or []:
        if not isinstance(action, dict):
            continue
        details = [f"owner {action['owner']}" if action.get("owner") else "",
                   f"due {action['due']}" if action.get("due") else ""]
        meta = ", ".join(d for d in details if d)
        lines.append(one_line(f"[{'x' if action.get('done') is True else ' '}] "
                              f"{action.get('title')}" + (f" ({meta})" if meta else "")))
    return lines


def log_lines(data: dict[str, Any]) -> list[str]:
    """A file's log as `csi export` writes it: `2026-03-01 [approved] note`."""
    lines = []
    for entry in data.get("log") or []:
        if isinstance(entry, dict):
            moved = f" [{entry['status']}]" if entry.get("status") else ""
            lines.append(one_line(f"{entry.get('date')}{moved} {entry.get('note')}"))
    return lines


def log_entries(lines: list[str] | None, columns: Columns) -> list[dict[str, str]]:
    """Log lines of a sheet as a file's entries; a line without a date is refused."""
    entries = []
    for line in lines or []:
        match = _LOG.fullmatch(line)
        if match is None:
            raise EditError(f"column \"{columns['log'][1]}\": cannot read the log "
                            f"entry {line!r}; write it as YYYY-MM-DD [status] note")
        entry = {"date": match.group(1), "note": match.group(3)}
        if match.group(2):
            entry["status"] = match.group(2)
        entries.append(entry)
    return entries


def completed_note(source: str) -> str:
    """The note of a completion date an open improvement keeps in its log."""
    return f"Marked complete in {Path(source).name}."
