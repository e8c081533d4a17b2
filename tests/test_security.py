"""Register text is data: a hostile register builds, shows every payload literally, runs nothing."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hostile import JINJA_OS, PAYLOAD, SHORT, hostile_register
from sitebuild import ENGINES, Site, active_content, build_site

pytestmark = pytest.mark.build

PWNED = Path("/tmp/csi-pwned")


@pytest.fixture(scope="module", params=ENGINES)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    PWNED.unlink(missing_ok=True)
    root = tmp_path_factory.mktemp(f"hostile-{request.param}")
    built = build_site(hostile_register(root), root / "site", engine=request.param)
    assert built.returncode == 0, built.output
    return built


def test_jinja_in_register_text_is_never_evaluated(site: Site) -> None:
    assert not PWNED.exists()
    page = html.unescape(site.page("/register/CSI-0001/"))
    assert "{{ 7 * 7 }}" in page
    assert JINJA_OS in page


@pytest.mark.parametrize("address", ["/", "/register/", "/register/CSI-0001/", "/register/CSI-0002/",
                                     "/metrics/", "/metrics/EVIL-1/", "/objectives/"])
def test_payloads_are_shown_as_text(site: Site, address: str) -> None:
    page = site.page(address)
    assert "&lt;script&gt;alert(" in page, "the script tag should be visible as text"
    assert "<script>alert(" not in page


def test_no_page_carries_active_content_from_the_register(site: Site) -> None:
    for path in site.html_files():
        found = active_content(path.read_text(encoding="utf-8"))
        rel = path.relative_to(site.root)
        assert not [s for s in found.scripts if "xss" in s or "alert" in s], rel
        assert not found.handlers, (rel, found.handlers[:3])
        assert not found.script_urls, (rel, found.script_urls[:3])


def test_page_titles_and_meta_are_escaped(site: Site) -> None:
    page = site.page("/register/CSI-0001/")
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "&lt;script&gt;" in title


def test_search_index_holds_text_not_markup(site: Site) -> None:
    texts = " ".join(doc["title"] + " " + doc["text"] for doc in site.search_entries())
    assert "xss-script" in texts, "register text should be searchable"
    assert "<script>alert(" not in texts
    assert "<img src=x onerror" not in texts


def test_exports_keep_the_text_exactly(site: Site) -> None:
    rows = json.loads(site.page("/register.json"))
    assert rows[0]["description"] == PAYLOAD
    csv_text = (site.root / "register.csv").read_text(encoding="utf-8-sig")
    assert "xss-script" in csv_text


def test_charts_are_well_formed_and_script_free(site: Site) -> None:
    charts = sorted((site.root / "charts").rglob("*.svg"))
    assert charts, "the site should have charts"
    for chart in charts:
        text = chart.read_text(encoding="utf-8")
        ET.fromstring(text)  # well-formed XML whatever the labels say
        assert "<script" not in text.lower(), chart.name


def test_the_organisation_name_is_escaped_exactly_once(site: Site) -> None:
    """Header, navigation and <title> print the organisation's name: as text, never markup,
    and never escaped twice (Zensical's partials print `site_name` with and without `e`)."""
    from csi_macros.site.text import escape
    once = escape(SHORT)
    for address in ("/", "/register/", "/register/CSI-0001/", "/editing/"):
        page = site.page(address)
        header = page.split('<header', 1)[1].split("</header>", 1)[0]
        assert once in header, address
        assert "&amp;lt;" not in page and "&amp;#x27;" not in page and "&amp;#39;" not in page, address
        title = page.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "<" not in title and "&lt;script&gt;" in title, address
        assert [s for s in active_content(page).scripts if "alert" in s] == [], address
