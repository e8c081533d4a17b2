"""Pages without the theme's indentation: the same page to a browser, a sixth smaller.

Material's templates indent their HTML deeply, and on a register of thousands of
improvements that white space is megabytes. Between two tags, white space that holds a
line break shows as one space or nothing whatever its length, so each such run becomes a
single line break. Text, attribute values and everything inside `pre`, `textarea` and
`script` (where white space is content) are left exactly as they were.
"""

from __future__ import annotations

import re

# Either a verbatim element, kept whole, or a line-broken run of white space between tags.
_TOKEN = re.compile(r"(<(pre|textarea|script)\b.*?</\2\s*>)|(?<=>)[ \t\r]*\n\s*(?=<)", re.S | re.I)


def compact_html(html: str) -> str:
    """The page with each line-broken run of white space between tags cut to one line break."""
    return _TOKEN.sub(lambda found: found.group(1) or "\n", html)
