"""Views by service, by dimension and by tag, and what a reader sees first: a real site
built from a register in a temporary folder outside the project, its HTML looked at."""

from __future__ import annotations

import html
import posixpath
import re
from html.parser import HTMLParser

import pytest

from csi_macros.site.addresses import slug, slugs
from csi_macros.testing import improvement, metric, organisation, snapshot, write_register
from sitebuild import PROJECT, Site, build_site

pytestmark = pytest.mark.build

ORGANISATION = "Helse Ørsta & Volda <IT>"
SERVICES = {
    # id: the services it names, its status, its dimensions, its tags
    "CSI-0001": (["Email & Calendar", "Service desk"], "in_progress",
                 ["information-and-technology"], ["quick win", "<b>bold</b>"]),
    "CSI-0002": (["Fjernarkiv Ørsta", "Service Desk"], "approved",
                 ["information-and-technology", "organizations-and-people"], ["quick win"]),
    "CSI-0003": (["病历系统", "Index", "Email & Calendar"], "proposed",
                 ["organizations-and-people"], []),
    "CSI-0004": ([], "approved", [], ["Ørsta"]),
    "CSI-0005": (["Email & Calendar"], "rejected", ["partners-and-suppliers"], []),
}
METRIC_SERVICES = {"MTTR": ["Fjernarkiv Ørsta", "Measured only"], "CSAT": []}


def _improvement(id: str) -> dict:
    services, status, dimensions, tags = SERVICES[id]
    done = {"closed": "2026-03-01", "outcome": "Not now."} if status == "rejected" else {}
    return improvement(id, status=status, services=services, dimensions=dimensions, tags=tags,
                       log=[{"date": "2026-02-01", "note": f"Note of {id}."}], **done)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    # tmp_path lies outside the project: "Source file" must not give its path away.
    folder = tmp_path_factory.mktemp("services")
    register = write_register(
        folder / "register", register=organisation(organisation=ORGANISATION),
        improvements=[_improvement(id) for id in SERVICES],
        metrics=[metric("MTTR", services=METRIC_SERVICES["MTTR"]),
                 metric("CSAT", unit="%", direction="higher_is_better")],
        snapshots=[snapshot("2026-02-28", MTTR=8, CSAT=70)])
    built = build_site(register, folder / "site")
    assert built.returncode == 0, built.output
    return built


class Anchors(HTMLParser):
    """The links of a page's article: (href, text), and every id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self._open: list[list[str]] = []
        self._href: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"])
        if tag == "a" and found.get("href") is not None:
            self._href.append(found["href"])
            self._open.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href:
            self.links.append((self._href.pop(), "".join(self._open.pop()).strip()))

    def handle_data(self, data: str) -> None:
        for words in self._open:
            words.append(data)


def article(page: str) -> str:
    return page.split("<article", 1)[1].split("</article>", 1)[0]


def anchors(page: str) -> Anchors:
    parser = Anchors()
    parser.feed(article(page))
    return parser


def follow(address: str, href: str) -> str:
    """The site address a relative link on the page at `address` leads to."""
    page = "/" + address.strip("/") + "/"
    return posixpath.normpath(posixpath.join(page, href.split("#")[0])) + "/"


def table_ids(page: str, table_id: str) -> list[str]:
    """The improvement ids in the first column of a table."""
    body = page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr data-status="[^"]*"[^>]*><td[^>]*><a [^>]*>([^<]+)</a>', body)


def naming(service: str) -> list[str]:
    return sorted(id for id, (services, *_) in SERVICES.items() if service in services)


ALL_SERVICES = sorted({s for services, *_ in SERVICES.values() for s in services}
                      | {s for names in METRIC_SERVICES.values() for s in names})


# --- Addresses ---------------------------------------------------------------------------

def test_a_slug_is_the_name_in_ascii_words() -> None:
    assert slug("Email & Calendar") == "email-and-calendar"
    assert slug("Fjernarkiv Ørsta") == "fjernarkiv-orsta"
    assert slug("  Straße / Æbeltoft  ") == "strasse-aebeltoft"
    assert slug("Café (légacy)") == "cafe-legacy"
    assert slug("病历系统") == ""


def test_slugs_are_unique_and_do_not_depend_on_order() -> None:
    names = ["Service desk", "Service Desk", "病历系统", "电子邮件", "Index", "service-desk"]
    found = slugs(names, reserved=("index",))
    assert len(set(found.values())) == len(names)
    assert all(re.fullmatch(r"[a-z0-9-]+", value) for value in found.values())
    assert found["Service Desk"] == "service-desk"  # first in code-point order keeps it
    assert found["Service desk"].startswith("service-desk-")
    assert found["Index"].startswith("index-")
    assert slugs(list(reversed(names)), reserved=("index",)) == found
    # A name's address stays when an unrelated service is added.
    assert slugs([*names, "Payroll"], reserved=("index",))["Service desk"] == found["Service desk"]


def test_a_register_without_services_or_tags_says_so() -> None:
    from csi_macros import load_register
    from csi_macros.site.pages import SiteContext, site_files
    from csi_macros.testing import temporary_register
    with temporary_register(improvements=[improvement()]) as root:
        files = site_files(load_register(root), SiteContext())
    assert [src for src in files if src.startswith("services/")] == ["services/index.md"]
    assert "No improvement or metric names a service yet." in files["services/index.md"].html()
    assert "No improvement has a tag yet" in files["tags/index.md"].html()
    dimensions = files["dimensions/index.md"].html()
    assert "1 open improvement names no dimension yet." in dimensions
    # An open improvement that names no dimension leaves all four untouched.
    assert "Organizations and people, Information and technology, Partners and suppliers, " \
        "Value streams and processes (no open improvement" in dimensions
    with temporary_register(improvements=[improvement(status="closed", closed="2026-02-01",
                                                      outcome="Done.")]) as root:
        dimensions = site_files(load_register(root), SiteContext())["dimensions/index.md"].html()
    assert "No improvement is open." in dimensions and "Neglected:" not in dimensions


# --- Services ----------------------------------------------------------------------------

def test_every_service_is_reached_from_the_services_page_by_its_name(site: Site) -> None:
    links = dict((text, href) for href, text in anchors(site.page("/services/")).links)
    assert sorted(name for name in links if name in ALL_SERVICES) == ALL_SERVICES
    addresses = set()
    for name in ALL_SERVICES:
        address = follow("/services/", links[name])
        addresses.add(address)
        assert re.fullmatch(r"/services/[a-z0-9-]+/", address), address
        page = site.page(address)
        assert re.search(r"<h1[^>]*>" + re.escape(html.escape(name, quote=False)), page), name
        if naming(name):
            assert sorted(table_ids(page, "csi-service-table")) == naming(name), name
        else:
            assert 'id="csi-service-table"' not in page
            assert "No improvement names this service yet." in page
    assert len(addresses) == len(ALL_SERVICES)


def test_a_service_page_has_the_register_table_its_filters_and_its_chart(site: Site) -> None:
    links = dict((text, href) for href, text in anchors(site.page("/services/")).links)
    address = follow("/services/", links["Email & Calendar"])
    page = site.page(address)
    assert 'data-csi-filters="csi-service-table"' in page
    assert '<table id="csi-service-table" data-csi-sortable>' in page
    # Rejected CSI-0005 is listed with the open ones: the filters choose.
    assert 'data-status="rejected"' in page and 'data-status="in_progress"' in page
    chart = re.search(r'<img src="((?:\.\./)+charts/service-[a-z0-9-]+\.svg)"', page)
    assert chart is not None
    assert (site.root / follow(address, chart.group(1)).strip("/")).is_file()
    assert "Note of CSI-0003." in page and "Note of CSI-0002." not in page  # its changes


def test_metrics_name_the_services_they_measure(site: Site) -> None:
    metric_page = site.page("/metrics/MTTR/")
    links = dict((text, follow("/metrics/MTTR/", href))
                 for href, text in anchors(metric_page).links)
    for name in METRIC_SERVICES["MTTR"]:
        service_page = site.page(links[name])
        assert 'href="../../metrics/MTTR/"' in service_page
    csat = dict((text, href) for href, text in anchors(site.page("/metrics/CSAT/")).links)
    assert not set(csat) & set(ALL_SERVICES)
    email = site.page(links["Fjernarkiv Ørsta"].replace("fjernarkiv-orsta", "email-and-calendar"))
    assert "No metric measures this service yet." in email


def test_service_names_on_an_improvement_page_link_to_their_pages(site: Site) -> None:
    page = site.page("/register/CSI-0003/")
    links = dict((text, follow("/register/CSI-0003/", href)) for href, text in anchors(page).links)
    for name in SERVICES["CSI-0003"][0]:
        assert "CSI-0003" in table_ids(site.page(links[name]), "csi-service-table")


def test_the_services_page_counts_open_and_finished(site: Site) -> None:
    page = article(site.page("/services/"))
    row = re.search(r"<tr><td[^>]*><a [^>]*>Email &amp; Calendar</a></td>(.*?)</tr>", page)
    assert row is not None
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1))
    # No metric, none needing attention; CSI-0001 and -0003 open, CSI-0005 rejected. Without
    # a service catalogue there is no owner to show, and no column of dashes for it.
    assert cells == ["0", "0", "2", "1"]
    assert ">Owner<" not in page


# --- Dimensions and tags -----------------------------------------------------------------

def test_the_dimensions_page_counts_and_names_the_neglected(site: Site) -> None:
    page = site.page("/dimensions/")
    rows = dict(re.findall(r'<tr><td><a href="#([a-z-]+)">[^<]+</a></td><td[^>]*>(\d+)</td>', page))
    assert rows == {"organizations-and-people": "2", "information-and-technology": "2",
                    "partners-and-suppliers": "0", "value-streams-and-processes": "0"}
    verdict = re.search(r"<strong>Neglected:</strong>([^<]*)", page)
    assert verdict is not None
    assert verdict.group(1).split("(")[0].strip() == \
        "Partners and suppliers, Value streams and processes"
    section = page.split('id="partners-and-suppliers"', 1)[1].split("<h2", 1)[0]
    assert "No open improvement touches this dimension." in section
    assert "And 1 finished." in section
    holistic = site.page("/principles/think-and-work-holistically/")
    assert 'href="../../dimensions/"' in holistic


def test_the_tags_page_lists_every_tag_with_its_improvements(site: Site) -> None:
    page = site.page("/tags/")
    parsed = anchors(page)
    improvement_page = site.page("/register/CSI-0001/")
    assert "&lt;b&gt;bold&lt;/b&gt;" in improvement_page and "<b>bold</b>" not in improvement_page
    for href, text in anchors(improvement_page).links:
        if "tags/#" in href:
            anchor = href.split("#", 1)[1]
            assert anchor in parsed.ids, text
            section = page.split(f'id="{anchor}"', 1)[1].split("<h2", 1)[0]
            tagged = sorted(id for id, (*_, tags) in SERVICES.items() if text in tags)
            assert sorted(re.findall(r">(CSI-\d+)</a>", section)) == tagged
    assert "<b>bold</b>" not in page


# --- What a reader sees first ------------------------------------------------------------

def test_the_organisation_is_in_the_header_and_every_title(site: Site) -> None:
    for path in site.html_files():
        page = path.read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", page, re.S)
        assert title is not None, path
        assert html.unescape(title.group(1)).endswith(
            f"{ORGANISATION} · Continual improvement register"), path
        assert "<IT>" not in page, path  # escaped everywhere, never markup
    header = site.page("/register/").split('class="md-header__topic"', 1)[1][:300]
    assert html.escape(ORGANISATION, quote=False) in header


def test_every_page_announces_the_feed(site: Site) -> None:
    for path in site.html_files():
        page = path.read_text(encoding="utf-8")
        link = re.search(r'<link rel="alternate" type="application/atom\+xml" [^>]*href="([^"]+)"',
                         page)
        assert link is not None, path
        address = path.parent.relative_to(site.root).as_posix()
        if path.name == "index.html":
            assert follow(address, link.group(1)) == "/feed.xml/", path


def test_no_path_of_the_build_machine_reaches_the_site(site: Site) -> None:
    folder = site.root.parent
    machine_paths = {str(folder), str(folder.resolve()), str(PROJECT), str(PROJECT.resolve())}
    for path in site.root.rglob("*"):
        if path.is_file():
            content = path.read_bytes().decode("utf-8", "replace")
            for machine_path in machine_paths:
                assert machine_path not in content, (path, machine_path)
                assert machine_path.replace("/", "\\/") not in content, (path, machine_path)
    assert "Source file: <code>improvements/CSI-0001.yml</code>" in site.page("/register/CSI-0001/")
    assert "Source file: <code>metrics/MTTR.yml</code>" in site.page("/metrics/MTTR/")


@pytest.mark.browser
def test_a_service_table_filters_and_sorts_in_the_browser(site: Site) -> None:
    from browser_harness import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve
    require_chromium()
    from playwright.sync_api import sync_playwright
    server = serve(site.root)
    url = next(server)
    rows = "#csi-service-table tbody tr:not([hidden]) td:first-child a"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = chromium.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(url + "/services/email-and-calendar/")

            def shown() -> list[str]:
                return page.eval_on_selector_all(rows, "links => links.map(a => a.textContent)")

            assert page.is_visible("form.csi-filters")
            assert shown() == ["CSI-0001", "CSI-0003", "CSI-0005"]
            page.uncheck("input[name=status][value=rejected]")
            assert shown() == ["CSI-0001", "CSI-0003"]
            page.locator("#csi-service-table th", has_text=re.compile("^Id")).locator("button").click()
            assert shown() == ["CSI-0003", "CSI-0001"]
            assert errors == []
            chromium.close()
    finally:
        server.close()
