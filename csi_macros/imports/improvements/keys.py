"""The keys a sheet may give an improvement, grouped by how a cell for them is read."""

from __future__ import annotations

from ...edit.new import TITLE_MAX
from ...register.fields import format_keys
from ...register.model import Improvement
from ..vocabulary import IMPROVEMENT_HEADERS

__all__ = ["DATES", "FORMER_ID", "LISTS", "MARKDOWN", "MODEL_KEYS", "ONE_LINE", "ORDER",
           "TARGETS", "TITLE_MAX", "article"]

FORMER_ID = "former_id"
"""The `extra` key keeping a row's own id when the register's pattern cannot."""
ORDER = list(format_keys(Improvement))
MODEL_KEYS = [name for name in IMPROVEMENT_HEADERS.values() if name.startswith("model.")]
TARGETS = list(dict.fromkeys(IMPROVEMENT_HEADERS.values()))
ONE_LINE = ("id", "title", "raised_by", "owner")
MARKDOWN = ("description", "benefits", "outcome", *MODEL_KEYS)
DATES = ("raised", "target_date", "closed")
LISTS = ("objectives", "principles", "dimensions", "services", "metrics", "related", "tags")

_ARTICLES = {"raised": "a raised date", "closed": "a closed date", "objectives": "an objective",
             "owner": "an owner", "outcome": "an outcome", "status": "a status",
             "priority": "a priority", "title": "a title", "description": "a description"}


def article(what: str) -> str:
    """A key as a message names it: `owner` → `an owner`."""
    return _ARTICLES.get(what, what)
