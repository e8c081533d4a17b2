"""Register text on a page: escaped, or rendered as Markdown that cannot carry code.

Register text is data. Plain fields are HTML-escaped (and Markdown-escaped where they
land in Markdown); Markdown fields are rendered here, by a Markdown instance of our own
that treats raw HTML as text and drops links and images whose scheme is not http,
https or mailto. The result is HTML that never meets the site's Markdown: generated
pages are HTML from the start, and macro output waits in a stash while a hand-written
page's Markdown is converted (and would be one raw HTML block if it did not).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
# Fenced-code preprocessors (pymdownx.superfences) run before raw HTML is set aside, so a
# line of ``` or ~~~ inside an HTML block would still open a code block: never emit one.
_FENCE_CHARACTERS = str.maketrans({"`": "&#96;", "~": "&#126;"})


_NEEDS_ESCAPING = re.compile(r"[&<>\"'`~]")


def escape(text: object) -> str:
    """Text for HTML: tags, quotes and ampersands escaped (and the characters of code fences,
    so the text cannot open a code block in the page around it)."""
    text = text if type(text) is str else str(text)
    # Most texts hold none of these: one search instead of six passes (millions of calls
    # on a register of 10,000 improvements).
    if _NEEDS_ESCAPING.search(text) is None:
        return text
    return html.escape(text, quote=True).translate(_FENCE_CHARACTERS)


def escape_md(text: object) -> str:
    """Text for one line of page Markdown (a heading, a table cell): shown literally."""
    one_line = " ".join(str(text).split())
    # Quotes need no escaping in Markdown text, and their entities (&#x27;) would carry a
    # `#` that the Markdown escaping below would break into visible text.
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(one_line, quote=False))


def is_safe_url(url: str) -> bool:
    """True for http, https and mailto links and for relative ones.

    Browsers decode entities and ignore control characters and white space in a URL's
    scheme, so the check does too.
    """
    cleaned = "".join(ch for ch in html.unescape(url) if ch.isprintable() and not ch.isspace())
    scheme = urlsplit(cleaned).scheme.lower() if ":" in cleaned else ""
    return not scheme or scheme in SAFE_SCHEMES


class _SafeLinks(Treeprocessor):
    """Drops unsafe link targets and turns images into links (no request leaves the site)."""

    def run(self, root: Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "img":
                    link = Element("a", {"href": child.get("src", "")})
                    link.text = child.get("alt") or child.get("src", "")
                    link.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, link)
                    child = link
                if child.tag == "a":
                    href = child.get("href", "")
                    if not is_safe_url(href):
                        child.attrib.pop("href", None)
                    else:
                        child.set("rel", "nofollow noopener")


class _NoRawHtml(Extension):
    """Raw HTML in register Markdown is shown as text, never passed through."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "csi_safe_links", 0)


_renderer = markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code", _NoRawHtml()],
                              output_format="html")


def render_markdown(text: str) -> str:
    """A Markdown field as safe HTML."""
    paragraphs = plain_paragraphs(text)
    if paragraphs is not None:
        return "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    _renderer.reset()
    return _renderer.convert(text).translate(_FENCE_CHARACTERS)


# A line of prose in which Markdown sees nothing: it starts with a letter (no list, heading,
# quote or code indent), holds no character that starts inline syntax or needs escaping in
# HTML, and does not end in spaces (a line break).
_PROSE_LINE = re.compile(r"[^\W\d_][^\\`*_{}\[\]<>&#|~]*(?<! )")
_PARAGRAPH_BREAK = re.compile(r"\n\n+")


def plain_paragraphs(text: str) -> list[str] | None:
    """The paragraphs of a text that is plain prose, which Markdown would only wrap in
    `<p>`; None for any other text. Most register text is plain prose, and a thousand
    improvements' worth of it costs a second through Python-Markdown.
    """
    paragraphs = _PARAGRAPH_BREAK.split(text.strip("\n"))
    for paragraph in paragraphs:
        for line in paragraph.split("\n"):
            if not (_PROSE_LINE.fullmatch(line) and line.isprintable()):
                return None
    return paragraphs


def text_html(text: str | None, css_class: str = "csi-text") -> str:
    """A Markdown field as a block of HTML (nothing when empty)."""
    if not text:
        return ""
    return f'<div class="{css_class}">\n{render_markdown(text)}\n</div>'

