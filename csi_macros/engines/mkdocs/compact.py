"""Pages without the theme's indentation: the same page to a browser, an eighth smaller.

Material's templates indent their HTML deeply, and on a register of thousands of
improvements that white space is megabytes. Between two tags, white space that holds a
line break shows as one space or nothing whatever its length, so each such run becomes a
single line break. Text, attribute values and everything inside `pre`, `textarea` and
`script` (where white space is content) are left exactly as they were.
"""

from __future__ import annotations

import re

_VERBATIM = re.compile(r"<(pre|textarea|script)\b", re.I)
_PRE_OR_TEXT = re.compile(r"<(/?)(pre|textarea|script)\b[^>]*>", re.I)
_TEXT_END = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("textarea", "script")}
# Starting at a literal ">" lets the regex engine skip ahead: this runs over every page.
_BETWEEN_TAGS = re.compile(r">[ \t\r]*\n\s*(?=<)")


def compact_html(html: str) -> str:
    """The page with each line-broken run of white space between tags cut to one line break."""
    pieces, start = [], 0
    while verbatim := _VERBATIM.search(html, start):
        end = _verbatim_end(html, verbatim)
        # Each stretch keeps the brackets on either side of it, so white space next to a
        # verbatim element is still seen to lie between two tags.
        pieces.append(_BETWEEN_TAGS.sub(">\n", html[start:verbatim.start() + 1]))
        pieces.append(html[verbatim.start() + 1:end - 1])
        start = end - 1
    pieces.append(_BETWEEN_TAGS.sub(">\n", html[start:]))
    return "".join(pieces)


def _verbatim_end(html: str, verbatim: re.Match[str]) -> int:
    """Where a verbatim element ends: `textarea` and `script` (which hold only text) at
    their first end tag, `pre` (which may hold another `pre`) at the end tag that closes
    it, skipping the text of any `script` or `textarea` inside it; an element left open keeps
    everything after it as it is."""
    name = verbatim.group(1).lower()
    if name != "pre":
        close = _TEXT_END[name].search(html, verbatim.end())
        return close.end() if close else len(html)
    depth, position = 0, verbatim.start()
    while tag := _PRE_OR_TEXT.search(html, position):
        name = tag.group(2).lower()
        if name != "pre":  # a script or textarea inside: its text may hold "</pre>"
            if tag.group(1):
                position = tag.end()
                continue
            close = _TEXT_END[name].search(html, tag.end())
            if close is None:
                return len(html)
            position = close.end()
            continue
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
        position = tag.end()
    return len(html)
