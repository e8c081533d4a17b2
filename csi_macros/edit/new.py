"""`csi new`: the next improvement, a metric or a snapshot, written from its template.

Ids and file names follow the register's own style (prefix, zero-padding) so a new
file sits among the others; the file is created only when the register stays valid.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import unicodedata
from pathlib import Path

from ..readings.facts import build_date
from ..register.branches import Place, ids_everywhere
from ..register.fields import format_keys
from ..register.ids import id_of_name, next_id
from ..register.model import METRIC_ID, Improvement
from .errors import EditError, text_argument
from .files import known_ids, register_root, yaml_files
from .templates import improvement_template, metric_template, schema_line, snapshot_template
from .transaction import create
from .yamltext import DATE_TEXT

TITLE_MAX: int = format_keys(Improvement)["title"].type.max_length
SLUG_MAX = 48


def slug(title: str) -> str:
    """A file-name-friendly form of a title: `Faster P1 restore!` → `faster-p1-restore`.

    Accents are dropped (`Résumé` → `resume`), anything else outside a–z and 0–9
    separates words; long slugs are cut at a word boundary. `raise.js` does the same.
    """
    decomposed = unicodedata.normalize("NFKD", title)
    bare = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()
    words = re.sub(r"[^a-z0-9]+", "-", bare).strip("-")
    if len(words) <= SLUG_MAX:
        return words
    cut = words[:SLUG_MAX + 1]
    return (cut[:cut.rfind("-")] if "-" in cut else words[:SLUG_MAX]).strip("-")


@dataclasses.dataclass(frozen=True)
class IdChoice:
    """The id `csi new` takes, and what it took it from."""

    id: str
    """The next id free in the working tree and on every branch."""
    working: str
    """The next id the working tree alone would give."""
    taken: dict[str, list[Place]]
    """Every id taken, and where (see `branches.ids_everywhere`)."""

    def note(self) -> str | None:
        """Why the id is not the working tree's next one, when it is not."""
        if self.id == self.working:
            return None
        prefix, number = self.id.rsplit("-", 1)
        highest = max((i for i in self.taken if i.startswith(prefix + "-")
                       and i.rsplit("-", 1)[1].isdigit()), key=lambda i: int(i.rsplit("-", 1)[1]))
        branches = list(dict.fromkeys(b for place in self.taken[highest] for b in place.where))
        where = ", ".join(branches[:3]) + (f" and {len(branches) - 3} more"
                                           if len(branches) > 3 else "")
        taken = (f"{highest} is taken on {where}" if highest == self.working else
                 f"ids up to {highest} are taken on other branches ({highest} on {where})")
        return f"{taken}: this one is {self.id}, the next id free on every branch"


def choose_id(root: Path | str) -> IdChoice:
    """The next improvement id free everywhere this register can be seen: its folder, and
    every local and remote-tracking branch of the git repository it is in.

    The style (prefix, zero-padding) is the working tree's, as most of its files write
    ids (else the branches'); the number is one more than the highest with that prefix
    anywhere. Without git, or outside a repository, the working tree alone decides.
    """
    names = improvement_names(Path(root))
    working = [i for i in map(id_of_name, names) if i is not None]
    taken = ids_everywhere(Path(root), names)
    return IdChoice(next_id(taken, style=working), next_id(working), taken)


def improvement_names(root: Path) -> list[str]:
    """The names of the files in the working tree's `improvements/` (from one listing of
    the folder, with no look at each file: a thousand names in a millisecond)."""
    try:
        with os.scandir(root / "improvements") as entries:
            return [entry.name for entry in entries if id_of_name(entry.name) is not None]
    except OSError:
        return []


def next_improvement_id(root: Path | str) -> str:
    """The next free improvement id, in the register's dominant style (see `choose_id`).

    `CSI-0001` for an empty register with no branches.
    """
    return choose_id(root).id


def new_improvement(root: Path | str, title: str, *, today: dt.date | None = None,
                    improvement_id: str | None = None) -> Path:
    """Create the next improvement's file from the commented template; return its path.

    `improvement_id`: the id to give it, as `choose_id` chose it (default: chosen here)."""
    root = register_root(root)
    title = text_argument("the title", title, max_length=TITLE_MAX)
    today = today or build_date()
    improvement_id = improvement_id or next_improvement_id(root)
    name = f"{improvement_id}-{slug(title)}" if slug(title) else improvement_id
    objectives, _ = known_ids(root)
    path = root / "improvements" / f"{name}.yml"
    text = improvement_template(improvement_id, title, today, objectives)
    return create(root, path, schema_line(path, "improvement") + text, today)


def new_metric(root: Path | str, metric_id: str, name: str, *,
               today: dt.date | None = None) -> Path:
    """Create `metrics/<ID>.yml` from the commented template; return its path."""
    root = register_root(root)
    if not re.fullmatch(METRIC_ID, metric_id):
        raise EditError(f"metric id {metric_id!r} must be capitals, digits and hyphens, "
                        f"starting with a capital, like P1-MTTR (pattern {METRIC_ID})")
    name = text_argument("the metric name", name)
    today = today or build_date()
    _, metrics = known_ids(root)
    if metric_id in metrics:
        raise EditError(f"metric {metric_id} already exists ({metrics[metric_id]})")
    path = root / "metrics" / f"{metric_id}.yml"
    text = metric_template(metric_id, name, today)
    return create(root, path, schema_line(path, "metric") + text, today)


def new_snapshot(root: Path | str, date: str, *, today: dt.date | None = None) -> Path:
    """Create `snapshots/<DATE>.yml` listing every metric with an empty value."""
    root = register_root(root)
    today = today or build_date()
    when = _snapshot_date(date)
    if when > today:
        raise EditError(f"snapshot date {when} is in the future (the build date is {today})")
    _, metrics = known_ids(root)
    path = root / "snapshots" / f"{when}.yml"
    text = snapshot_template(when, sorted(metrics))
    return create(root, path, schema_line(path, "snapshot") + text, today)


def _snapshot_date(date: str) -> dt.date:
    """The date a snapshot is named after: a real date, written the one way files are."""
    try:
        when = dt.date.fromisoformat(date) if DATE_TEXT.fullmatch(date) else None
    except ValueError:
        when = None
    if when is None:
        raise EditError(f"snapshot date {date!r} must be a real date written YYYY-MM-DD")
    return when
