"""Every label explains itself: each verdict, variation, assurance, evidence and late badge
on the built site links to its line in the glossary of "How verdicts work" and carries that
line for screen readers, in every shipped language; the glossary says what the code says.
(The sample's data is up to date at the build date: the late badge is followed on a site of
late metrics in test_late_site.py.)"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from csi_macros import i18n
from csi_macros.readings import words
from csi_macros.i18n import using
from sitebuild import PROJECT, SHIPPED, Site, build_site

SAMPLE = PROJECT / "register"
DOC = SHIPPED / "playbook" / "verdicts.md"
KINDS = tuple(words.MEANINGS)
BADGE = re.compile(r'<(a|span) class="csi-badge csi-(verdict|variation|assurance|evidence|data) '
                   r'csi-\2--[^"]*"([^>]*)>(.*?)</\1>', flags=re.S)
GLOSSARY_LINE = re.compile(r'^- <span id="([a-z-]+)"></span>\*\*([^*]+)\*\*: (.+)$', flags=re.M)


def test_the_glossary_says_what_the_code_says() -> None:
    """One line per word of each kind, at the word's anchor, with the code's meaning."""
    glossary = DOC.read_text(encoding="utf-8").split("## Glossary", 1)[1]
    lines = {anchor: (word, meaning) for anchor, word, meaning in GLOSSARY_LINE.findall(glossary)}
    # in the words of a monthly metric: a badge says its own metric's period
    expected = {words.glossary_anchor(kind, key): (key, words.meaning(kind, key))
                for kind in KINDS for key in words.MEANINGS[kind]}
    assert lines == expected
    assert {"verdict-target-met", "verdict-on-track", "variation-improvement",
            "variation-common-cause", "variation-concern", "assurance-passes",
            "assurance-hit-and-miss", "assurance-fails"} <= set(lines)


WORD = {"verdict": words.verdict, "variation": words.variation, "assurance": words.assurance,
        "evidence": words.evidence, "data": words.data}


@pytest.mark.parametrize("code", ("de", "nb"))
def test_a_translated_glossary_says_what_the_catalogue_says(code: str) -> None:
    """The German and Norwegian pages: one line per word, at the same English anchor, with
    the word and the meaning the site in that language shows on its badges."""
    page = (SHIPPED.parent / code / "playbook" / "verdicts.md").read_text(encoding="utf-8")
    glossary = page.split("{#glossary}", 1)[1]
    lines = {anchor: (word, meaning) for anchor, word, meaning in GLOSSARY_LINE.findall(glossary)}
    with using(i18n.language(code)):
        expected = {words.glossary_anchor(kind, key): (WORD[kind](key), words.meaning(kind, key))
                    for kind in KINDS for key in words.MEANINGS[kind]}
    assert lines == expected
    with using(i18n.language("en")):
        assert words.meaning("verdict", "on track") not in page, "in the page's language"


def test_a_changed_meaning_is_caught(tmp_path: Path) -> None:
    """Negative control for the check above: one word changed in the page is a mismatch."""
    changed = DOC.read_text(encoding="utf-8").replace("no sign of change", "no change")
    glossary = changed.split("## Glossary", 1)[1]
    lines = {a: (w, m) for a, w, m in GLOSSARY_LINE.findall(glossary)}
    assert lines["variation-common-cause"] != (
        "common cause", words.MEANINGS["variation"]["common cause"])


@pytest.fixture(scope="module", params=("en", "de", "nb"))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[str, Site]:
    code = request.param
    site = build_site(SAMPLE, tmp_path_factory.mktemp(f"badges-{code}") / "site",
                      language=None if code == "en" else code)
    assert site.returncode == 0, site.output
    return code, site


def anchors_of(page: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page))


@pytest.mark.build
def test_every_badge_links_to_its_meaning(built: tuple[str, Site]) -> None:
    code, site = built
    glossary = anchors_of(site.page("/playbook/verdicts/"))
    meanings = {}
    with using(i18n.language(code)):
        for kind in KINDS:
            for key in words.MEANINGS[kind]:
                meanings[(kind, words.glossary_anchor(kind, key))] = words.meaning(kind, key)
        # A verdict's badge may carry, instead, the reason that applies to its metric.
        causes = {words.cause(key) for key in words.CAUSE_MEANINGS}
    seen: dict[str, int] = {}
    for path in site.html_files():
        page = path.read_text(encoding="utf-8")
        for tag, kind, attrs, inner in BADGE.findall(page):
            where = f"{path.relative_to(site.root)}: {inner[:40]}"
            assert tag == "a", f"not a link: {where}"
            href = re.search(r'href="([^"]+)"', attrs).group(1)
            target, anchor = href.split("#")
            assert (path.parent / target / "index.html").resolve() == \
                (site.root / "playbook" / "verdicts" / "index.html").resolve(), where
            assert anchor in glossary and anchor.startswith(kind + "-"), where
            said = re.search(r'<span class="csi-sr">: ([^<]*)</span>', inner)
            assert said, where
            line = html.unescape(said.group(1))
            assert line == meanings[(kind, anchor)] or (kind == "verdict" and line in causes), \
                where
            seen[kind] = seen.get(kind, 0) + 1
    assert set(seen) == set(KINDS) - {"data"}, seen  # nothing is late in the sample
    if code != "en":
        with using(i18n.language("en")):
            english = words.meaning("verdict", "off track")
        assert english not in site.page("/metrics/"), "the meanings speak the site's language"
