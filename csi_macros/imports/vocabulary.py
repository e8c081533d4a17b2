"""The words people use in their sheets, and what they mean in the register.

Headers and values are compared in a normalised form: case, spacing and the separators
`_ - . /` do not matter, so `Date raised`, `date_raised` and `DATE-RAISED` are one
header, and `In progress`, `in_progress` and `IN PROGRESS` one status.
"""

from __future__ import annotations

import re

from ..readings.export import DERIVED, MODEL_KEYS
from ..register.fields import format_keys
from ..register.model import Improvement

_SEPARATORS = re.compile(r"[\s_\-./:*]+")
_UNIT = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


def normal(text: str) -> str:
    """The form headers and values are compared in: `Date_Raised:` → `date raised`."""
    return _SEPARATORS.sub(" ", str(text)).strip().lower()


def without_unit(header: str) -> str:
    """A header without a unit in brackets at its end: `P1 MTTR (hours)` → `P1 MTTR`."""
    return _UNIT.sub("", header)


def _table(entries: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """`{meaning: (word, …)}` turned round: normalised word → meaning."""
    return {normal(word): meaning for meaning, words in entries.items()
            for word in (meaning, *words)}


# --- Improvements -----------------------------------------------------------------------------

IMPROVEMENT_HEADERS = {
    # The project's own columns (`csi export`), then the words of common layouts.
    **_table({name: () for name in format_keys(Improvement) if name != "model"}),
    **_table({f"model.{name}": () for name in MODEL_KEYS}),
    **_table({
    "id": ("ID", "Number", "Ref", "Reference", "Ref no", "Ref number", "Reference number",
           "No", "#", "Improvement ID", "CSI ID"),
    "title": ("Title", "Improvement", "Summary", "Short description", "Name"),
    "description": ("Description", "Details"),
    "raised": ("Date raised", "Raised", "Raised on", "Opened", "Opened at", "Created",
               "Created on", "Date opened", "Date created", "Date logged", "Date identified"),
    "raised_by": ("Raised by", "Requested by", "Opened by", "Requester", "Identified by",
                  "Submitted by"),
    "owner": ("Owner", "Assigned to", "Assignee", "Improvement owner"),
    "status": ("Status", "State"),
    "priority": ("Priority",),
    "target_date": ("Target date", "Date due", "Due date", "Due", "Target completion date"),
    "closed": ("Date complete", "Date completed", "Closed", "Closed at", "Date closed",
               "Completion date", "Actual completion date"),
    "benefits": ("Benefits", "Expected benefits", "Benefit", "Expected benefit"),
    "outcome": ("Outcome", "Result", "Resolution", "Close notes"),
    "objectives": ("Objective",),
    "principles": ("Principle", "Guiding principles"),
    "dimensions": ("Dimension",),
    "services": ("Service",),
    "metrics": ("Metric",),
    "tags": ("Tag",),
    }),
}
"""Header → improvement key: the project's own export columns and the common layouts."""

DERIVED_COLUMNS = frozenset(normal(name) for name in DERIVED)
"""Columns `csi export` adds (step, stale, score, …): worked out by the site, never read."""

STATUS_WORDS = _table({
    "proposed": ("New", "Draft", "Idea", "Identified"),
    "approved": ("Accepted", "Planned"),
    "in_progress": ("In progress", "Work in progress", "WIP", "Active", "Started"),
    "implemented": ("Complete", "Completed", "Done", "Delivered"),
    "closed": ("Closed complete",),
    "rejected": ("Cancelled", "Canceled", "Withdrawn", "Closed incomplete"),
    "deferred": ("On hold", "Parked", "Postponed"),
})

PRIORITY_WORDS = _table({
    "critical": ("Critical",),
    "high": ("High",),
    "medium": ("Medium", "Moderate"),
    "low": ("Low", "Planning"),
})

_RANKED = re.compile(r"\s*[0-9]+\s*-\s*(.+)")
"""ServiceNow writes a priority with its rank: `2 - High`."""


def priority_word(text: str) -> str:
    """The word of a priority, without a ServiceNow rank (`2 - High` → `High`)."""
    ranked = _RANKED.fullmatch(text)
    return ranked.group(1) if ranked else text


# --- Snapshots -----------------------------------------------------------------------------

SNAPSHOT_HEADERS = _table({
    "date": ("Date", "Period", "Month", "Month end", "Period end", "Reporting period",
             "Measured on", "As of", "Reporting date", "Snapshot"),
    "metric": ("Metric", "Metric id", "KPI", "Measure", "Indicator"),
    "metric name": ("Metric name", "KPI name", "Measure name", "Indicator name"),
    "value": ("Value", "Figure", "Actual", "Actual value", "Result", "Measurement"),
    "source": ("Source",),
})

NULLS = frozenset({"", "n/a", "na", "-", "–", "—", "null", "#n/a"})
"""Cells that mean "not measured" (compared in lower case, spaces stripped)."""
