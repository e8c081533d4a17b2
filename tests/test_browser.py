"""What a reader sees and does, in a real browser: offline, searchable, accessible, safe, printable."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest

from browser_harness import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve
from hostile import hostile_register
from sitebuild import ENGINES, PROJECT, build_site

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


@pytest.fixture(scope="module", params=ENGINES)
def sample_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site, built by each engine."""
    site = build_site(PROJECT / "register", tmp_path_factory.mktemp("sample") / "site",
                      engine=request.param)
    assert site.returncode == 0, site.output
    return site.root


@pytest.fixture(scope="module")
def sample_url(sample_site: Path) -> Iterator[str]:
    """The sample site, served under a sub-path (as on an intranet server or GitHub Pages)."""
    for url in serve(sample_site.parent):
        yield url + "/" + sample_site.name


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


# Material's search box and results, and Zensical's: a dialog its header's button opens.
SEARCH_INPUT = "input.md-search__input, dialog[aria-label] input[role=combobox]"
SEARCH_HITS = ".md-search-result__item a, dialog[aria-label] a[role=option]"


def type_search(page, url: str, words: str) -> None:
    page.goto(url + "/")
    if page.locator(".md-search__button").count():
        page.click(".md-search__button")
    # Key by key, as a reader types: the search listens to key events.
    page.locator(SEARCH_INPUT).first.press_sequentially(words, delay=50)


def search(page, url: str, words: str) -> list[str]:
    type_search(page, url, words)
    page.wait_for_selector(SEARCH_HITS, timeout=45000)
    return page.eval_on_selector_all(SEARCH_HITS,
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
                                     "/services/service-desk/", "/dimensions/", "/tags/",
                                     "/metrics/", "/playbook/verdicts/"])
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
        # Drawn 360 px wide for text of 13 px and more: shown at 313 px or wider (the
        # column of a 360 px phone in either theme), its text stays at 11 px or more.
        assert 313 <= drawn_width <= 360, drawn_width


def test_an_improvement_prints_cleanly(page, sample_url: str) -> None:
    page.goto(sample_url + "/register/CSI-0001/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-search', '.md-footer']
        .map(s => document.querySelector(s)).filter(Boolean)
        .map(e => getComputedStyle(e).display)""")
    assert hidden and all(display == "none" for display in hidden)
    assert page.is_visible("article h1")
    assert page.evaluate("getComputedStyle(document.querySelector('article table')).display") != "none"


@pytest.fixture(scope="module", params=ENGINES)
def hostile_url(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("hostile")
    site = build_site(hostile_register(root), root / "site", engine=request.param)
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
        for element in page.query_selector_all("article a[href], article b")[:30]:
            element.hover(timeout=2000, force=True)
        assert page.evaluate("window.__ran") == [], address
    for words in ["xss", "script", "alert", "pipe breaker"]:
        type_search(page, hostile_url, words)
        page.wait_for_timeout(800)
        assert page.evaluate("window.__ran") == [], words
    assert dialogs == []


# --- On a phone (375 × 812) ----------------------------------------------------------------

PHONE = {"width": 375, "height": 812}
RECORD_FOLDERS = ("register/CSI-", "metrics/", "services/")
CARD_PAGES = ["/register/", "/metrics/", "/services/", "/services/epr/", "/dimensions/",
              "/register/CSI-0014/"]
"""Pages with the tables the register is read through: register, metrics, services,
dimensions, and an improvement's evidence."""


def every_page_kind(root: Path) -> list[str]:
    """Every page of the sample site, but only the first two of each kind of record page
    (improvements, metrics, services): the others are made by the same code."""
    addresses = sorted("/" + path.parent.relative_to(root).as_posix().strip(".") + "/"
                       for path in root.rglob("index.html"))
    addresses = [a.replace("//", "/") for a in addresses]
    kept, seen = [], {}
    for address in addresses:
        kind = next((f for f in RECORD_FOLDERS if address.startswith("/" + f)
                     and address != "/" + f), None)
        if kind is not None:
            seen[kind] = seen.get(kind, 0) + 1
            if seen[kind] > 2:
                continue
        kept.append(address)
    return kept


@pytest.fixture
def phone(browser) -> Iterator[object]:
    context = browser.new_context(viewport=PHONE)
    tab = context.new_page()
    yield tab
    context.close()


def test_no_page_scrolls_sideways_on_a_phone(phone, sample_site: Path, sample_url: str) -> None:
    addresses = every_page_kind(sample_site)
    assert {"/", "/register/", "/register/board/", "/register/changes/", "/metrics/",
            "/objectives/", "/services/", "/dimensions/", "/tags/", "/playbook/review/",
            "/principles/focus-on-value/", "/editing/", "/raise/"} <= set(addresses)
    assert sum(a.startswith("/register/CSI-") for a in addresses) == 2
    too_wide = {}
    for address in addresses:
        phone.goto(sample_url + address, wait_until="networkidle")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[address] = width
    assert too_wide == {}


def test_every_table_shows_its_fields_on_a_phone(phone, sample_url: str) -> None:
    for address in CARD_PAGES:
        phone.goto(sample_url + address, wait_until="networkidle")
        phone.wait_for_timeout(200)  # the scroll hints are set after layout
        found = phone.evaluate("""() => {
            const tables = [...document.querySelectorAll('article .csi-table--cards table')];
            const cells = tables.flatMap(t => [...t.tBodies[0].rows].filter(r => !r.hidden)
                .flatMap(r => [...r.cells]).filter(c => c.textContent.trim()));
            const outside = cells.filter(c => {
                const box = c.getBoundingClientRect();
                return box.width === 0 || box.left < 0 || box.right > window.innerWidth;
            }).map(c => c.textContent.trim().slice(0, 40));
            const unlabelled = cells.filter(c => c.cellIndex > 0 && !c.dataset.label).length;
            const hints = [...document.querySelectorAll('article .csi-table--cards')]
                .map(b => b.previousElementSibling)
                .filter(h => h && h.hasAttribute('data-csi-scroll-hint') && !h.hidden).length;
            return {tables: tables.length, cells: cells.length, outside, unlabelled, hints};
        }""")
        assert found["tables"] and found["cells"], address
        assert found["outside"] == [], address  # every field of every row on screen
        assert found["unlabelled"] == 0, address  # each says which field it is
        assert found["hints"] == 0, address  # and nothing left to scroll to
    # A label names its field in the site's words: the register's status cell.
    phone.goto(sample_url + "/register/")
    label = phone.evaluate("""getComputedStyle(document.querySelector(
        '#csi-register-table tbody td:nth-child(3)'), '::before').content""")
    assert label == '"Status: "'


def test_what_still_scrolls_says_so_on_a_phone(phone, sample_url: str) -> None:
    phone.goto(sample_url + "/register/board/", wait_until="networkidle")
    hint = phone.locator(".csi-board").locator("xpath=preceding-sibling::*[1]")
    phone.wait_for_function("() => { const h = document.querySelector('[data-csi-scroll-hint]');"
                            " return h && !h.hidden; }")
    assert hint.get_attribute("data-csi-scroll-hint") is not None
    assert hint.is_visible() and "Scroll sideways" in hint.inner_text()
    assert phone.evaluate("(() => { const b = document.querySelector('.csi-board');"
                          " return b.scrollWidth > b.clientWidth; })()")
    # At desk width the same register table fits and no hint shows.
    phone.set_viewport_size({"width": 1280, "height": 900})
    phone.goto(sample_url + "/services/", wait_until="networkidle")
    phone.wait_for_timeout(300)
    assert phone.locator("[data-csi-scroll-hint]:visible").count() == 0


def test_badges_are_at_least_12_px(browser, sample_url: str) -> None:
    for viewport in (PHONE, {"width": 1280, "height": 900}):
        context = browser.new_context(viewport=viewport)
        tab = context.new_page()
        seen = 0
        for address in [*CARD_PAGES, "/", "/register/board/", "/metrics/P1-MTTR/"]:
            tab.goto(sample_url + address, wait_until="networkidle")
            sizes = tab.eval_on_selector_all(
                "article .csi-badge", "bs => bs.map(b => parseFloat(getComputedStyle(b).fontSize))")
            assert min(sizes, default=12) >= 12, (viewport, address, min(sizes))
            seen += len(sizes)
        assert seen > 100  # in tables, cards, the board, lists and headings
        context.close()


def test_the_register_sorts_and_filters_on_a_phone(phone, sample_url: str) -> None:
    phone.goto(sample_url + "/register/", wait_until="networkidle")
    first = "#csi-register-table tbody tr:not([hidden]) td:first-child a"
    shown = lambda: phone.eval_on_selector_all(first, "as => as.map(a => a.textContent)")  # noqa: E731
    before = shown()
    assert before == sorted(before) and len(before) > 10
    button = phone.locator("#csi-register-table th", has_text=re.compile("^Id")).locator("button")
    assert button.is_visible()
    button.click()
    assert shown() == list(reversed(before))
    phone.uncheck("input[name=status][value=closed]")
    closed = phone.eval_on_selector_all("#csi-register-table tbody tr[data-status=closed]",
                                        "rs => rs.map(r => getComputedStyle(r).display)")
    assert closed and set(closed) == {"none"}
    assert len(shown()) == len(before) - len(closed)


@pytest.mark.parametrize("address", ["/register/", "/metrics/", "/services/", "/services/epr/"])
def test_no_serious_accessibility_violations_on_a_phone(phone, sample_url: str,
                                                         address: str) -> None:
    from axe_playwright_python.sync_playwright import Axe
    for scheme in ("default", "slate"):
        phone.goto(sample_url + address, wait_until="networkidle")
        phone.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        phone.wait_for_timeout(600)
        results = Axe().run(phone)
        serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                   for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], (scheme, serious)


# --- The metrics page a board reads --------------------------------------------------------

def test_every_cell_of_the_metrics_board_is_in_view_at_1280(page, sample_url: str) -> None:
    """At 1280 × 900 each cell of each row of the board and of the summary grid lies
    within the viewport, and neither table scrolls sideways inside its box."""
    page.goto(sample_url + "/metrics/", wait_until="networkidle")
    found = page.evaluate("""() => {
        const out = {cells: 0, outside: [], scrolls: []};
        for (const box of document.querySelectorAll('.csi-board-table, .csi-grid')) {
            if (box.scrollWidth > box.clientWidth) out.scrolls.push(box.className);
            for (const cell of box.querySelectorAll('td, th')) {
                const r = cell.getBoundingClientRect();
                out.cells += 1;
                if (r.left < 0 || r.right > window.innerWidth || r.width === 0)
                    out.outside.push(cell.textContent.trim().slice(0, 40));
            }
        }
        out.rows = document.querySelectorAll('.csi-board-table tbody tr:not(.csi-group)').length;
        out.columns = document.querySelectorAll('.csi-board-table thead th').length;
        out.pageWidth = document.documentElement.scrollWidth;
        return out; }""")
    assert found["rows"] == 9 and found["columns"] == 6
    assert found["cells"] > found["rows"] * found["columns"]
    assert found["outside"] == [] and found["scrolls"] == []
    assert found["pageWidth"] <= 1280


def test_the_metrics_board_prints_on_a4_landscape(page, sample_url: str) -> None:
    """The metrics page prints landscape (A4: 842 × 595 points), the board whole on the
    first sheet; an improvement's page stays portrait."""
    page.goto(sample_url + "/metrics/", wait_until="networkidle")
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(round(float(w)) == 842 and round(float(h)) == 595 for w, h in boxes)
    page.goto(sample_url + "/register/CSI-0001/", wait_until="networkidle")
    portrait = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]",
                          page.pdf(prefer_css_page_size=True))
    assert portrait and all(float(w) < float(h) for w, h in portrait)
    page.goto(sample_url + "/metrics/", wait_until="networkidle")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1047, "height": 720})  # A4 landscape less 12 mm margins
    outside = page.evaluate("""() => [...document.querySelectorAll('.csi-board-table td')]
        .filter(c => c.getBoundingClientRect().right > window.innerWidth).length""")
    assert outside == 0


# --- Every badge explains itself ---------------------------------------------------------

EXPLAINED = ", ".join(f".csi-badge.csi-{kind}" for kind in ("verdict", "variation", "assurance",
                                                             "evidence"))


def test_every_badge_is_a_link_to_an_existing_anchor(page, sample_url: str) -> None:
    """On the pages that show them, each verdict, variation, assurance and evidence badge
    is a link whose target exists, and its accessible name carries its meaning."""
    from playwright.sync_api import expect
    targets: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []
    for address in ["/", "/metrics/", "/register/", "/register/CSI-0001/", "/objectives/",
                    "/playbook/measurement/", "METRIC"]:
        if address == "METRIC":
            address = metric_pages(sample_url, page)[0]
        page.goto(sample_url + address)
        found = page.eval_on_selector_all(
            EXPLAINED, "bs => bs.map(b => [b.tagName, b.href || '', b.textContent])")
        assert found, address
        assert all(tag == "A" for tag, _href, _words in found), address
        links += [(href, address) for _tag, href, _words in found]
        badge = page.locator(EXPLAINED).first
        meaning = badge.locator(".csi-sr").text_content().lstrip(": ")
        expect(badge).to_have_accessible_name(re.compile(re.escape(meaning)))
        assert not badge.locator(".csi-sr").is_visible() or \
            badge.locator(".csi-sr").bounding_box()["width"] <= 1
    for href, address in links:
        target, anchor = href.split("#")
        if target not in targets:
            page.goto(target)
            targets[target] = set(page.eval_on_selector_all("[id]", "es => es.map(e => e.id)"))
        assert anchor in targets[target], (address, href)
    assert len(targets) == 1 and next(iter(targets)).endswith("/playbook/verdicts/")
