"""The shipped pages in every language: a translated page keeps its English page's code
(front matter, macro calls, link targets, code blocks, admonition types) and translates
only the words, and every anchor a shipped page links to exists on the page it links to,
in the site's language (a heading that other pages link to keeps its English id with an
explicit `{ #id }`, since its words, and so its generated id, change)."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import Counter

import pytest

from csi_macros.register.model import STATUSES
from csi_macros.site import shipped

ENGLISH = shipped.SOURCE_LANGUAGE
LANGUAGES = shipped.languages()
TRANSLATED = [code for code in LANGUAGES if code != ENGLISH]


def test_german_and_norwegian_are_shipped() -> None:
    assert {"de", "nb"} <= set(TRANSLATED) and ENGLISH not in TRANSLATED


def pages(language: str) -> dict[str, str]:
    """The Markdown of every page a site in `language` publishes, by path (English where
    the package has no page in the language)."""
    return {item.path: item.content.decode("utf-8")
            for item in shipped.shipped_files(language) if item.is_page}


def own_pages(language: str) -> list[str]:
    """The paths of the pages written in `language` itself."""
    return sorted(item.path for item in shipped.shipped_files(language)
                  if item.is_page and item.language == language)


def translated() -> list[tuple[str, str]]:
    return [(code, path) for code in TRANSLATED for path in own_pages(code)]


# --- What a page holds -------------------------------------------------------------------

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^(?P=indent)(?P=fence)[ \t]*$",
                   re.M | re.S)
FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
ADMONITION = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)\s*([\w-]+(?:\s+inline(?:\s+end)?)?)", re.M)
TRANSLATABLE_KEYS = ("title", "description")


def code_blocks(markdown: str) -> list[str]:
    return [found[0] for found in FENCE.finditer(markdown)]


CODE_WORD = re.compile(
    r"\d[\d.:-]*|true|false|null|[|>][-+]?|\[[^\]]*\]|[a-z]+(?:_[a-z]+)+|[A-Z][A-Z0-9]*-[A-Z0-9-]+"
    r"|--?[a-z][\w-]*|" + "|".join(STATUSES) + r"|critical|high|medium|low")
"""A word that is code wherever it stands in an example: a date, a number, a list of ids,
a status or priority, a `lower_is_better`, an id like `CSI-0007`, an option."""


def skeleton(block: str) -> list[tuple[str, ...]]:
    """A code block's code, without the words a translation may translate: the fence's
    language, and line by line the YAML keys (with their indentation and list dashes) and
    the values that are code, or a command's program, subcommand, options and code words.
    Comments, quoted text and prose values (a note, a title, a branch's name) are left
    out; the lines of a block scalar (`model: vision: |`) are prose."""
    lines = block.strip().splitlines()
    found: list[tuple[str, ...]] = [(lines[0].strip(),)]
    scalar: int | None = None
    for line in lines[1:-1]:
        indent = len(line) - len(line.lstrip())
        if scalar is not None and (not line.strip() or indent > scalar):
            continue
        scalar = None
        code = re.sub(r"(^|\s)#.*$", "", line).rstrip()
        if not code.strip():
            continue
        key = re.match(r"^(\s*(?:- )?)([\w.-]+):(?:\s+(.*))?$", code)
        if key and found[0][0] in ("```yaml", "~~~yaml"):
            value = (key[3] or "").strip()
            if value in ("|", ">", "|-", ">-"):
                scalar = indent
            found.append((key[1], key[2], value if CODE_WORD.fullmatch(value) else "…"))
            continue
        unquoted = re.sub(r'"[^"]*"|\'[^\']*\'', '"…"', code).split()
        found.append((*unquoted[:2],
                      *(word for word in unquoted[2:] if CODE_WORD.fullmatch(word))))
    return found


def prose(markdown: str) -> str:
    """The page without its front matter and its code blocks."""
    text = FRONT.sub("", markdown)
    return FENCE.sub("", text)


def front_matter(markdown: str) -> dict[str, str]:
    found = FRONT.match(markdown)
    if not found:
        return {}
    return dict(line.split(":", 1) for line in found[1].splitlines() if ":" in line)


def link_targets(markdown: str) -> list[str]:
    return LINK.findall(prose(markdown))


def without_anchor(target: str) -> str:
    return target.split("#", 1)[0]


# --- A translated page keeps its English page's code -------------------------------------

@pytest.mark.parametrize(("code", "path"), translated(), ids=lambda v: v)
def test_a_translated_page_keeps_the_english_page_s_code(code: str, path: str) -> None:
    english = (shipped.SHIPPED / ENGLISH / path).read_text(encoding="utf-8")
    page = (shipped.SHIPPED / code / path).read_text(encoding="utf-8")
    ours, theirs = front_matter(page), front_matter(english)
    assert set(ours) == set(theirs), "the same front matter keys"
    assert {k: v for k, v in ours.items() if k not in TRANSLATABLE_KEYS} == \
        {k: v for k, v in theirs.items() if k not in TRANSLATABLE_KEYS}
    assert MACRO.findall(prose(page)) == MACRO.findall(prose(english)), "the same macro calls"
    assert [skeleton(b) for b in code_blocks(page)] == \
        [skeleton(b) for b in code_blocks(english)], "the same code blocks, in the same order"
    assert ADMONITION.findall(page) == ADMONITION.findall(english), "the same admonitions"
    assert Counter(map(without_anchor, link_targets(page))) == \
        Counter(map(without_anchor, link_targets(english))), "the same link targets"


# --- Every anchor exists ---------------------------------------------------------------

HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
ATTRIBUTES = re.compile(r"\{:?[ \t]*([^}]*)\}[ \t]*$")
ID = re.compile(r"#([\w-]+)")
HTML_ID = re.compile(r"""<[a-z]+[^>]*\sid=["']([^"']+)["']""")


def slug(text: str) -> str:
    """Python-Markdown's `toc` id for a heading: ASCII, lower case, words joined by '-'."""
    text = re.sub(r"<[^>]+>|[*_`]", "", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def anchors(markdown: str) -> set[str]:
    """The ids a page declares: its headings' ids (an explicit `{ #id }`, else the
    generated one) and any HTML element's `id`."""
    found = set(HTML_ID.findall(prose(markdown)))
    for heading in HEADING.finditer(prose(markdown)):
        words = heading[1]
        attributes = ATTRIBUTES.search(words)
        if attributes:
            explicit = ID.findall(attributes[1])
            words = words[:attributes.start()].strip()
            if explicit:
                found.add(explicit[-1])
                continue
        found.add(slug(words))
    return found


def linked_anchors(language: str) -> list[tuple[str, str, str]]:
    """Every link from a shipped page to an anchor on a shipped page, in a site in
    `language`: (the linking page, the target page, the anchor)."""
    found = []
    site = pages(language)
    for path, markdown in site.items():
        for target in link_targets(markdown):
            if "#" not in target or "://" in target or target.startswith("mailto:"):
                continue
            page, anchor = target.split("#", 1)
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), page)) \
                if page else path
            if resolved in site:
                found.append((path, resolved, anchor))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_anchor_a_shipped_page_links_to_exists(language: str) -> None:
    site = pages(language)
    links = linked_anchors(language)
    assert any(target == "playbook/target-state.md" and anchor == "scoring"
               for _, target, anchor in links)
    missing = [f"{path} → {target}#{anchor}" for path, target, anchor in links
               if anchor not in anchors(site[target])]
    assert missing == []


def test_the_anchors_are_read_as_the_engines_make_them() -> None:
    page = ("# Title\n\n## Priority, value, effort and the score { #scoring }\n\n"
            "## Flytt en forbedring videre {#move-an-improvement-along}\n\n"
            "## Wo stehen wir? Überblick\n\n```yaml\n# not: a heading\n```\n\n"
            '- <span id="verdict-no-data"></span>**no data**\n')
    assert anchors(page) == {"title", "scoring", "move-an-improvement-along",
                             "wo-stehen-wir-uberblick", "verdict-no-data"}
