"""What a reader sees and does, in a real browser: offline, searchable, accessible, safe, printable."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from browser_harness import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve
from hostile import hostile_register
from sitebuild import PROJECT, build_site

pytestmark = [pytest.mark.browser, pytest.mark.build]

SAMPLE_PAGES = ["/", "/register/", "/register/CSI-0001/", "/metrics/", "/objectives/",
                "/playbook/", "/playbook/action/", "/principles/", "/principles/focus-on-value/",
                "/editing/", "/raise/", "/register/board/", "/register/changes/",
                "/services/", "/services/service-desk/", "/dimensions/", "/tags/"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build_site(PROJECT / "register", tmp_path_factory.mktemp("sample") / "site")
    assert site.returncode == 0, site.output
    yield from serve(site.root)


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def metric_pages(url: str, page) -> list[str]:
    page.goto(url + "/metrics/")
    hrefs = page.eval_on_selector_all("article a[href]", "links => links.map(a => a.href)")
    return sorted({h[len(url):] for h in hrefs if "/metrics/" in h and h.rstrip("/") != url + "/metrics"})


def test_no_request_leaves_the_server_and_no_console_errors(page, sample_url: str) -> None:
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    addresses = SAMPLE_PAGES + metric_pages(sample_url, page)[:2]
    for address in addresses:
        page.goto(sample_url + address, wait_until="networkidle")
    outside = [u for u in requests if not u.startswith((sample_url, "data:", "blob:", "about:"))]
    assert outside == []
    assert errors == []


def search(page, url: str, words: str) -> list[str]:
    page.goto(url + "/")
    # Key by key, as a reader types: Material's search listens to key events.
    page.locator("input.md-search__input").press_sequentially(words, delay=50)
    page.wait_for_selector(".md-search-result__item", timeout=45000)
    return page.eval_on_selector_all(".md-search-result__item a",
                                     "links => links.map(a => a.href + ' ' + a.innerText)")


def test_search_finds_an_improvement_by_title_word_and_by_id(page, sample_url: str) -> None:
    page.goto(sample_url + "/register/CSI-0001/")
    title = page.inner_text("article h1")
    word = max((w for w in title.replace("CSI-0001", "").split() if w.isalpha()), key=len)
    assert any("/register/CSI-0001/" in hit for hit in search(page, sample_url, word))
    assert any("/register/CSI-0001/" in hit for hit in search(page, sample_url, "CSI-0001"))


def test_palette_toggle_switches_to_dark_and_back(page, sample_url: str) -> None:
    page.goto(sample_url + "/")
    scheme = lambda: page.get_attribute("body", "data-md-color-scheme")  # noqa: E731
    first = scheme()
    page.click("form[data-md-component='palette'] label:visible")
    assert scheme() != first
    assert scheme() == "slate" or first == "slate"
    page.click("form[data-md-component='palette'] label:visible")
    assert scheme() == first


@pytest.mark.parametrize("address", ["/", "/register/", "/register/CSI-0001/", "/playbook/action/",
                                     "/principles/focus-on-value/", "METRIC", "/services/",
                                     "/services/service-desk/", "/dimensions/", "/tags/"])
def test_no_serious_accessibility_violations(page, sample_url: str, address: str) -> None:
    from axe_playwright_python.sync_playwright import Axe
    if address == "METRIC":
        address = metric_pages(sample_url, page)[0]
    for scheme in ("default", "slate"):
        page.goto(sample_url + address, wait_until="networkidle")
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        page.wait_for_timeout(600)  # Material animates colours between schemes
        results = Axe().run(page)
        serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                   for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], (scheme, serious)


@pytest.mark.parametrize("address", ["/", "/register/", "/register/CSI-0001/", "/metrics/", "/objectives/",
                                     "/services/service-desk/", "/dimensions/"])
def test_usable_at_phone_width(browser, sample_url: str, address: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(sample_url + address, wait_until="networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 375


def test_charts_have_text_alternatives(page, sample_url: str) -> None:
    for address in ["/", "/register/", metric_pages(sample_url, page)[0], "/objectives/"]:
        page.goto(sample_url + address)
        images = page.eval_on_selector_all("article img", "imgs => imgs.map(i => [i.src, i.alt])")
        charts = [alt for src, alt in images if "/charts/" in src]
        assert charts, f"{address} should show a chart"
        assert all(alt.strip() for alt in charts)


@pytest.mark.parametrize(("width", "height", "folder"), [(375, 812, "/charts/narrow/"),
                                                         (1280, 900, "/charts/")])
def test_a_phone_shows_the_narrow_chart_and_a_desk_the_wide_one(
        browser, sample_url: str, width: int, height: int, folder: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(sample_url + "/metrics/P1-MTTR/", wait_until="networkidle")
    image = page.locator("article .csi-chart picture img").first
    image.scroll_into_view_if_needed()
    page.wait_for_function("""() => { const i = document.querySelector('article .csi-chart img');
                                      return i.complete && i.currentSrc && i.naturalWidth > 0; }""")
    shown = image.evaluate("i => [i.currentSrc, i.getBoundingClientRect().width, i.alt]")
    link = page.locator("article .csi-chart a.csi-chart-full").first.get_attribute("href")
    context.close()
    source, drawn_width, alt = shown
    assert source == f"{sample_url}{folder}metric-P1-MTTR.svg"
    assert alt.startswith("Line chart of")
    assert link == "../../charts/metric-P1-MTTR.svg"  # a tap opens the wide chart
    if width < 600:
        # Drawn 360 px wide for text of 12 px and more: shown at 343 px or wider, its
        # text stays at 11 px or more.
        assert 343 <= drawn_width <= 360, drawn_width


def test_an_improvement_prints_cleanly(page, sample_url: str) -> None:
    page.goto(sample_url + "/register/CSI-0001/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-search', '.md-footer']
        .map(s => document.querySelector(s)).filter(Boolean)
        .map(e => getComputedStyle(e).display)""")
    assert hidden and all(display == "none" for display in hidden)
    assert page.is_visible("article h1")
    assert page.evaluate("getComputedStyle(document.querySelector('article table')).display") != "none"


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("hostile")
    site = build_site(hostile_register(root), root / "site")
    assert site.returncode == 0, site.output
    yield from serve(site.root)


def test_hostile_register_runs_nothing(page, hostile_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script("window.__ran = []; const a = window.alert; "
                         "window.alert = (m) => { window.__ran.push(String(m)); };")
    for address in ["/", "/register/", "/register/CSI-0001/", "/register/CSI-0002/", "/metrics/",
                    "/metrics/EVIL-1/", "/objectives/", "/register/board/", "/register/changes/"]:
        page.goto(hostile_url + address, wait_until="networkidle")
        page.mouse.move(200, 300)
        for element in page.query_selector_all("article a, article b")[:30]:
            element.hover(timeout=2000, force=True)
        assert page.evaluate("window.__ran") == [], address
    for words in ["xss", "script", "alert", "pipe breaker"]:
        page.goto(hostile_url + "/")
        page.locator("input.md-search__input").press_sequentially(words, delay=50)
        page.wait_for_timeout(800)
        assert page.evaluate("window.__ran") == [], words
    assert dialogs == []
