"""A generated page: its title, its headings and its HTML, ready for any site generator.

Generated pages are HTML from the start, so they never go through Markdown: at a few
thousand improvements, re-parsing their HTML as Markdown cost more than building them.
A `Page` is a title and a body of HTML parts and `Heading`s; the headings give the page
its anchors and its table of contents, the way Python-Markdown's `toc` extension (with
`permalink: true`) would have made them for the same Markdown.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Union

from markdown.extensions.toc import nest_toc_tokens, slugify, unique

from ...i18n import _
from ..text import escape

PERMALINK = '<a class="headerlink" href="#{id}" title="{title}">&para;</a>'
_ID = re.compile(r'\sid="([^"]+)"')


@dataclass(frozen=True)
class Heading:
    """A heading of the page's outline: `level` 1–6, plain `text`, and an anchor `id`
    of its own, or None for one made from the text (`OBJ-1 Faster…` → `obj-1-faster`)."""

    level: int
    text: str
    id: str | None = None


Part = Union[Heading, str]
"""A heading, or a block of HTML in which register text is already escaped."""


@dataclass(frozen=True)
class Page:
    """A generated page. `hide` names the side bars it goes without (Material's
    `navigation`, `toc`); `searchable` False keeps it out of the search index."""

    title: str
    parts: tuple[Part, ...]
    hide: tuple[str, ...] = ()
    searchable: bool = True
    ids: tuple[str, ...] = field(init=False, repr=False, compare=False)
    """The headings' anchors, in order."""

    def __post_init__(self) -> None:
        used = {heading.id for heading in self.headings if heading.id}
        counters: dict[str, int] = {}
        object.__setattr__(self, "ids", tuple(
            heading.id or unique(slugify(heading.text, "-"), used, counters)
            for heading in self.headings))

    @property
    def headings(self) -> list[Heading]:
        return [part for part in self.parts if isinstance(part, Heading)]

    def html(self) -> str:
        """The page's content, as the site shows it inside its theme."""
        ids = iter(self.ids)
        return "\n".join(_heading(part, next(ids)) if isinstance(part, Heading)
                         else part.strip("\n") for part in self.parts) + "\n"

    def toc(self) -> list[dict[str, Any]]:
        """The outline in Python-Markdown's `toc_tokens` form (level, id, name, children)."""
        return nest_toc_tokens([{"level": h.level, "id": id, "name": escape(h.text),
                                 "html": escape(h.text), "data-toc-label": ""}
                                for h, id in zip(self.headings, self.ids)])

    def anchors(self) -> set[str]:
        """Every id on the page a link may point at: the headings' and those in its HTML."""
        found = set(self.ids)
        for part in self.parts:
            if isinstance(part, str):
                found.update(html.unescape(id) for id in _ID.findall(part))
        return found


def _heading(heading: Heading, id: str) -> str:
    anchor = escape(id)
    return (f'<h{heading.level} id="{anchor}">{escape(heading.text)}'
            f"{PERMALINK.format(id=anchor, title=escape(_('Permanent link')))}</h{heading.level}>")


def page(title: str, *parts: Part | None, hide: tuple[str, ...] = (),
         searchable: bool = True) -> Page:
    """A page whose first heading is its title; empty parts are left out."""
    return Page(title, (Heading(1, title), *(part for part in parts if part)), hide=hide,
                searchable=searchable)
