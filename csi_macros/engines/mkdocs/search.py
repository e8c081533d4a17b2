"""What the site's search index reads of a page: the same words, with less markup to parse.

Material's search plugin parses every page's HTML tag by tag, keeps the text of each
section (what follows a heading with an id) and of a few tags (paragraphs, lists, code,
sub- and superscripts), and skips elements marked `data-search-exclude`. On a register
of thousands of improvements, that parse was the biggest part of a build. `search_view`
hands it a page that yields the same index: excluded elements dropped, permalinks
dropped, and inline and table tags (which the index does not keep and which never hold
a heading) reduced to their text. Block tags stay: a heading inside one ends its
section where the block ends.

It relies on what it is given: HTML in which every `data-search-exclude` element is
closed and holds no heading and no element of its own tag (Material's parser ends an
exclusion where the first such element closes), as the register's pages and macros
write it. Tests build sites both ways and compare the indexes.
"""

from __future__ import annotations

import functools
import re

TEXT_ONLY = ("a", "abbr", "b", "br", "button", "caption", "col", "colgroup", "del", "em", "i",
             "img", "input", "ins", "kbd", "label", "mark", "s", "small", "span", "strong",
             "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u")
"""Tags the index neither keeps nor needs: it reads only their text."""

_EXCLUDED = re.compile(r"<(\w+)\b[^>]*\sdata-search-exclude[\s>=]")
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>[^<]*</a>')
_TEXT_ONLY_TAG = re.compile(rf"</?(?:{'|'.join(TEXT_ONLY)})\b[^>]*>")
_RAW_TEXT = re.compile(r"<(script|style)\b.*?</\1>", re.S)


def search_view(html: str) -> str:
    """The page as the search index needs it."""
    html = _without_excluded(html)
    html = _PERMALINK.sub("", html)
    # What looks like tags inside scripts and styles is text to the parser: leave it.
    return "".join(_TEXT_ONLY_TAG.sub("", piece) if index % 2 == 0 else piece
                   for index, piece in enumerate(_raw_split(html)))


def _raw_split(html: str) -> list[str]:
    """The HTML as alternating pieces: outside raw text, a raw-text element, outside, …"""
    pieces, start = [], 0
    for found in _RAW_TEXT.finditer(html):
        pieces += [html[start:found.start()], found.group(0)]
        start = found.end()
    return pieces + [html[start:]]


def _without_excluded(html: str) -> str:
    """The HTML without its `data-search-exclude` elements (each found by counting its
    tag's openings and closings from where it starts)."""
    pieces, start = [], 0
    while (found := _EXCLUDED.search(html, start)) is not None:
        end = _element_end(html, found)
        if end is None:
            break  # not closed: leave the rest of the page as it is for the parser to judge
        pieces.append(html[start:found.start()])
        start = end
    pieces.append(html[start:])
    return "".join(pieces)


def _element_end(html: str, found: re.Match[str]) -> int | None:
    """Where the element that starts at `found` ends, or None if it is never closed."""
    depth = 0
    for mark in _tag_marks(found.group(1)).finditer(html, found.start()):
        depth += -1 if mark.group(1) else 1
        if depth == 0:
            return mark.end()
    return None


@functools.cache
def _tag_marks(tag: str) -> re.Pattern[str]:
    """The openings and closings of one tag."""
    return re.compile(rf"<(/?){tag}\b[^>]*>")
