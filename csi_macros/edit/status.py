"""`csi status`: move an improvement to another status, changing only the lines that say so.

Closing or rejecting sets `closed` and needs an outcome; reopening removes `closed`;
every move adds a log entry. A file that already has errors is refused, so the move
cannot hide behind them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from ..register.errors import Problem
from ..readings.facts import build_date
from ..register.load import display_path
from ..register.model import STATUSES
from .document import Document
from .errors import EditError, text_argument
from .files import id_argument, improvement_file, register_root
from .templates import choices
from .transaction import register_problems, replace
from .yamltext import yaml_scalar


@dataclasses.dataclass(frozen=True)
class StatusChange:
    """What `set_status` did."""

    path: Path
    improvement: str
    old: str
    new: str
    date: dt.date


def set_status(root: Path | str, improvement_id: str, status: str, note: str, *,
               outcome: str | None = None, today: dt.date | None = None) -> StatusChange:
    """Move an improvement to `status`, logging it with `note`, and keep the register valid.

    Closing or rejecting sets `closed` to today and needs an outcome (in the file, or
    given here); reopening removes `closed`. Only those lines change in the file.
    """
    root = register_root(root)
    improvement_id = id_argument(improvement_id)
    if status not in STATUSES:
        raise EditError(f"unknown status {status!r}; expected one of {choices(STATUSES)}")
    note = text_argument("the note", note)
    outcome = None if outcome is None else text_argument("the outcome", outcome)
    today = today or build_date()
    path = improvement_file(root, improvement_id)
    before = register_problems(root, today)
    _refuse_own_problems(path, before)
    document = Document.read(path.read_bytes(), display_path(path))
    old = str(document.data.get("status"))
    _move(document, improvement_id, status, note, outcome, today)
    replace(root, path, document.result(), today, before)
    return StatusChange(path, improvement_id, old, status, today)


def _refuse_own_problems(path: Path, before: list[Problem]) -> None:
    """A file with errors of its own is fixed by hand first: the move would hide them."""
    own = [p for p in before if p.path == display_path(path)]
    if own:
        raise EditError(f"{display_path(path)} has errors; fix them first:\n"
                        + "\n".join(map(str, own)))


def _move(document: Document, improvement_id: str, status: str, note: str,
          outcome: str | None, today: dt.date) -> None:
    """The edits of a status move: status, closed, a log entry and maybe the outcome."""
    if document.data.get("status") == status:
        raise EditError(f"{improvement_id} is already {status}")
    done = not STATUSES[status].open
    if done and outcome is None and not document.data.get("outcome"):
        raise EditError(f"{improvement_id} needs an outcome to become {status}: add "
                        f'--outcome "what happened, or why it was rejected" (or an outcome: '
                        f"key in {document.display})")
    document.set_scalar("status", status)
    if done:
        document.set_key("closed", str(today))
    elif "closed" in document.data:
        document.remove_key("closed")
    document.append_log({"date": str(today), "note": note, "status": status})
    if outcome is not None:
        document.set_key("outcome", yaml_scalar(outcome), value=outcome)
