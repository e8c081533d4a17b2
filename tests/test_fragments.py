"""The theme's shared fragments: rendered once per place, and the same text the theme would
have rendered on every page that reuses them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from csi_macros.engines.mkdocs.fragments import SharedFragments
from sitebuild import BUILD_EPOCH, PROJECT
from test_pages import rich_register


class Page:
    def __init__(self, url: str) -> None:
        self.url = url


def shared(*nav_urls: str) -> SharedFragments:
    fragments = SharedFragments()
    fragments.reset(nav_urls)
    return fragments


def test_pages_outside_the_nav_in_one_folder_share_a_place() -> None:
    fragments = shared("", "register/", "metrics/")
    assert fragments.place("register/CSI-0001/") == fragments.place("register/CSI-0002/")
    assert fragments.place("register/CSI-0001/") != fragments.place("services/email/")
    assert fragments.place("register/a.html") == fragments.place("register/b.html")
    assert fragments.place("register/a.html") != fragments.place("register/a/")


def test_pages_in_the_nav_and_folders_holding_nav_pages_render_their_own() -> None:
    fragments = shared("", "register/", "guide/deep/")
    assert fragments.place("register/") is None, "the nav marks this page"
    assert fragments.place("guide/") is None, "a nav link inside the page's folder"
    assert fragments.place(None) is None, "a page of the theme's own, like 404"


def test_a_fragment_is_rendered_once_per_place_and_name() -> None:
    fragments = shared("")
    rendered: list[str] = []

    def caller(text: str):
        return lambda: rendered.append(text) or text

    first = fragments("nav", Page("register/A/"), caller("A"))
    again = fragments("nav", Page("register/B/"), caller("B"))
    tabs = fragments("tabs", Page("register/B/"), caller("tabs"))
    elsewhere = fragments("nav", Page("metrics/M/"), caller("M"))
    home = fragments("nav", Page(""), caller("home"))
    assert (first, again, tabs, elsewhere, home) == ("A", "A", "tabs", "M", "home")
    assert rendered == ["A", "tabs", "M", "home"]
    fragments.reset([""])
    assert fragments("nav", Page("register/B/"), caller("B")) == "B", "a new build starts afresh"


def built_pages(register: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("CSI_REGISTER_DIR", str(register))
    monkeypatch.setenv("CSI_CHART_CACHE", str(site.parent / "charts"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    build(load_config(str(PROJECT / "mkdocs.yml"), site_dir=str(site)))
    # The theme's own 404 page is not compacted: its indentation may differ.
    return {path.relative_to(site).as_posix(): re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))
            for path in sorted(site.rglob("*.html"))}


def test_every_page_is_the_page_the_theme_would_render(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    register = rich_register(tmp_path / "register")
    cached = built_pages(register, tmp_path / "cached", monkeypatch)
    monkeypatch.setattr(SharedFragments, "__call__", lambda self, name, page, caller: caller())
    uncached = built_pages(register, tmp_path / "uncached", monkeypatch)
    assert len(cached) > 30 and "register/CSI-0001/index.html" in cached
    assert cached == uncached
