"""`csi new`: the next improvement, a metric or a snapshot, written from its template.

Ids and file names follow the register's own style (prefix, zero-padding) so a new
file sits among the others; the file is created only when the register stays valid.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from pathlib import Path

from ..readings.facts import build_date
from ..register.fields import format_keys
from ..register.model import METRIC_ID, Improvement
from .errors import EditError, text_argument
from .files import ID_IN_NAME, known_ids, register_root, yaml_files
from .templates import improvement_template, metric_template, schema_line, snapshot_template
from .transaction import create
from .yamltext import DATE_TEXT

TITLE_MAX: int = format_keys(Improvement)["title"].type.max_length
SLUG_MAX = 48
DEFAULT_ID_PREFIX = "CSI"
DEFAULT_ID_DIGITS = 4


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


def next_improvement_id(root: Path | str) -> str:
    """The next free improvement id, in the register's dominant style.

    The prefix and zero-padding used by most files win (`CSI-0001`, `OPS-12`); the
    number is one more than the highest with that prefix. `CSI-0001` for an empty register.
    """
    numbers: dict[str, list[str]] = {}
    for path in yaml_files(Path(root) / "improvements"):
        match = ID_IN_NAME.fullmatch(path.stem)
        if match:
            numbers.setdefault(match.group(1), []).append(match.group(2))
    if not numbers:
        return f"{DEFAULT_ID_PREFIX}-{1:0{DEFAULT_ID_DIGITS}d}"
    prefix = min(numbers, key=lambda p: (-len(numbers[p]), p))
    widths = Counter(len(n) for n in numbers[prefix])
    width = max(widths, key=lambda w: (widths[w], w))
    return f"{prefix}-{max(int(n) for n in numbers[prefix]) + 1:0{width}d}"


def new_improvement(root: Path | str, title: str, *, today: dt.date | None = None) -> Path:
    """Create the next improvement's file from the commented template; return its path."""
    root = register_root(root)
    title = text_argument("the title", title, max_length=TITLE_MAX)
    today = today or build_date()
    improvement_id = next_improvement_id(root)
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
