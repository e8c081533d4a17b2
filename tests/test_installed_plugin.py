"""The plugin as an organisation gets it: the wheel installed into a fresh virtual
environment outside the repository, added to sites that are not this repository's.

(a) a `mkdocs new` site on MkDocs' own theme, with `plugins: [search, {csi: {prefix:
improvement}}]`: every page the register makes or ships under `improvement/`, the site's own
home page and name kept, the stylesheet and script on every page, no broken link; the same
with Zensical. (b) a Material site with `plugins: [search, csi]` and a hand-written
`docs/playbook/vision.md`: that page replaces the shipped one, every other shipped page is
there. And in a browser, the prefixed site's register table sorts and filters.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

import pytest

from browser_harness import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve
from sitebuild import BUILD_EPOCH, PROJECT, SHIPPED

pytestmark = [pytest.mark.build]

SHIPPED_PAGES = sorted(str(path.relative_to(SHIPPED)) for path in SHIPPED.rglob("*.md"))
GENERATED = ["register/index.md", "register/CSI-0001/index.html", "metrics/index.html",
             "objectives/index.html", "services/index.html", "register.csv", "register.json",
             "feed.xml", "assets/csi/csi.css", "assets/csi/csi.js"]


@pytest.fixture(scope="session")
def installed(package) -> Path:
    """The bin folder of a fresh virtual environment with the package's wheel installed
    (Zensical too, from the package's `zensical` extra): `conftest.package`."""
    return package.bin


def run(bin_dir: Path, *command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A command of the installed package, run in `cwd` with a clean environment: nothing of
    this repository's on its path."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CSI_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(PATH=f"{bin_dir}:{env.get('PATH', '')}", SOURCE_DATE_EPOCH=BUILD_EPOCH,
               NO_MKDOCS_2_WARNING="1")
    return subprocess.run([str(bin_dir / command[0]), *command[1:]], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)


def new_site(bin_dir: Path, folder: Path, plugins: str) -> Path:
    """`mkdocs new` in `folder`, with the sample register beside it and `plugins` added."""
    made = run(bin_dir, "mkdocs", "new", str(folder), cwd=folder.parent)
    assert made.returncode == 0, made.stderr
    shutil.copytree(PROJECT / "register", folder / "register")
    config = folder / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + plugins, encoding="utf-8")
    return config


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self._in_title = tag == "title"
        for name in ("href", "src"):
            if found.get(name) and tag in ("a", "link", "script", "img", "source"):
                self.links.append(found[name])
        if tag == "source" and found.get("srcset"):
            self.links.append(found["srcset"])

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False if tag == "title" else self._in_title


def read(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path) -> list[str]:
    """Every relative link of every page that leads to no file of the site."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        for link in read(page).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("#", "mailto:", "data:")):
                continue
            path = unquote(parts.path)
            if not path:
                continue
            # MkDocs writes 404.html with addresses from the site's root.
            target = (site / path.lstrip("/") if path.startswith("/") else page.parent / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} → {link}")
    return broken


def loads_assets(page: Path, site: Path, prefix: str) -> bool:
    """Whether `page` links the register's stylesheet and script (its links resolved)."""
    targets = {(page.parent / unquote(urlsplit(link).path)).resolve()
               for link in read(page).links if not urlsplit(link).scheme}
    assets = site / prefix / "assets" / "csi"
    return {(assets / "csi.css").resolve(), (assets / "csi.js").resolve()} <= targets


@pytest.fixture(scope="session", params=["mkdocs", "zensical"])
def prefixed(request: pytest.FixtureRequest, installed: Path,
             tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, str]:
    """(a): a `mkdocs new` site with the register under `improvement/`, built strict by
    each engine."""
    engine = request.param
    folder = tmp_path_factory.mktemp(f"prefixed-{engine}") / "my-docs"
    folder.parent.mkdir(exist_ok=True)
    config = new_site(installed, folder, "plugins:\n  - search\n  - csi:\n"
                                         "      prefix: improvement\n")
    site = folder.parent / "site"
    if engine == "mkdocs":
        built = run(installed, "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site),
                    cwd=folder.parent)
    else:
        built = run(installed, "csi", "build", "--engine", "zensical", "--strict",
                    "-f", str(config), "-d", str(site), cwd=folder.parent)
    assert built.returncode == 0, built.stdout + built.stderr
    return engine, site, built.stdout + built.stderr


def test_every_register_and_shipped_page_is_under_the_prefix(prefixed) -> None:
    engine, site, _ = prefixed
    for page in SHIPPED_PAGES:
        address = page[:-len(".md")]
        address = address[:-len("index")] if address.endswith("index") else address + "/"
        assert (site / "improvement" / address / "index.html").exists(), page
        assert not (site / address / "index.html").exists() or address == "", page
    for path in GENERATED:
        path = path.replace("index.md", "index.html")
        assert (site / "improvement" / path).exists(), path
        assert not (site / path).exists(), path
    charts = list((site / "improvement" / "charts").glob("*.svg"))
    assert charts and not (site / "charts").exists()


def test_the_site_keeps_its_own_home_page_and_name(prefixed) -> None:
    engine, site, _ = prefixed
    home = site / "index.html"
    assert "Welcome to MkDocs" in home.read_text(encoding="utf-8")
    for page in (home, site / "improvement" / "register" / "index.html"):
        title = read(page).title
        assert "My Docs" in title and "Northwind" not in title, (page, title)


def test_every_page_loads_the_register_s_stylesheet_and_script(prefixed) -> None:
    engine, site, _ = prefixed
    pages = [site / "index.html", site / "improvement" / "index.html",
             site / "improvement" / "register" / "index.html",
             site / "improvement" / "register" / "CSI-0001" / "index.html",
             site / "improvement" / "playbook" / "vision" / "index.html"]
    for page in pages:
        assert loads_assets(page, site, "improvement"), page


def test_the_feed_is_announced_under_the_prefix(prefixed) -> None:
    engine, site, _ = prefixed
    home = (site / "index.html").read_text(encoding="utf-8")
    feed = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', home)
    assert feed and feed[1].endswith("improvement/feed.xml")
    assert (site / feed[1]).resolve() == (site / "improvement" / "feed.xml").resolve()


def test_no_link_of_the_prefixed_site_is_broken(prefixed) -> None:
    engine, site, _ = prefixed
    assert broken_links(site) == []


def test_the_register_s_sections_follow_the_site_s_own_pages_in_the_nav(prefixed) -> None:
    engine, site, _ = prefixed
    home = (site / "index.html").read_text(encoding="utf-8")
    own = home.find('href="."') if 'href="."' in home else home.find('href="./"')
    ours = [home.find(f'improvement/{section}') for section in
            ("playbook/", "principles/", "objectives/", "register/", "metrics/", "services/")]
    assert all(position > 0 for position in ours), ours
    assert ours == sorted(ours)
    assert own < ours[0]


@pytest.fixture(scope="session")
def overridden(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """(b): a Material site with `plugins: [search, csi]` and its own vision page."""
    folder = tmp_path_factory.mktemp("material") / "site-src"
    folder.parent.mkdir(exist_ok=True)
    config = new_site(installed, folder, "theme:\n  name: material\nplugins:\n  - search\n  - csi\n")
    (folder / "docs" / "index.md").unlink()  # the register's home page, then
    own = folder / "docs" / "playbook" / "vision.md"
    own.parent.mkdir(parents=True)
    own.write_text("# Our own vision step\n\nWritten by us, for us.\n", encoding="utf-8")
    site = folder.parent / "site"
    built = run(installed, "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site),
                cwd=folder.parent)
    assert built.returncode == 0, built.stdout + built.stderr
    return site, built.stdout + built.stderr


def test_a_page_of_the_site_s_replaces_the_shipped_one(overridden) -> None:
    site, output = overridden
    vision = (site / "playbook" / "vision" / "index.html").read_text(encoding="utf-8")
    assert "Written by us, for us." in vision and "The key question" not in vision
    assert "docs/playbook/vision.md" in output  # the build log names what it replaced


def test_every_other_shipped_page_is_there(overridden) -> None:
    site, _ = overridden
    for page in SHIPPED_PAGES:
        address = page[:-len(".md")]
        address = address[:-len("index")] if address.endswith("index") else address + "/"
        assert (site / address / "index.html").exists(), page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Northwind" in home and loads_assets(site / "index.html", site, "")
    assert broken_links(site) == []


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.browser
def test_the_register_table_sorts_and_filters_in_the_prefixed_site(prefixed, browser) -> None:
    engine, site, _ = prefixed
    for url in serve(site):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(url + "/improvement/register/", wait_until="networkidle")
        first = "#csi-register-table tbody tr:not([hidden]) td:first-child a"
        shown = lambda: page.eval_on_selector_all(first, "as => as.map(a => a.textContent)")  # noqa: E731
        before = shown()
        assert before == sorted(before) and len(before) > 10
        page.locator("#csi-register-table th", has_text=re.compile("^Id")).locator("button").click()
        assert shown() == list(reversed(before))
        page.uncheck("input[name=status][value=closed]")
        closed = page.eval_on_selector_all("#csi-register-table tbody tr[data-status=closed]",
                                           "rs => rs.map(r => getComputedStyle(r).display)")
        assert closed and set(closed) == {"none"}
        context.close()
