"""Real sites: `mkdocs build --strict` on the project's mkdocs.yml and docs/ with registers
written for each test, then the HTML, the links and the exports looked at."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from csi_macros import load_register
from csi_macros.testing import improvement, write_register
from sitebuild import BUILD_EPOCH, ENGINES, PROJECT, SHIPPED, Site, active_content, build_site
from test_pages import SNEAKY, rich_register, sneaky_register

pytestmark = pytest.mark.build


def build(tmp_path: Path, **files) -> Site:
    """A site built from a register made of `files` (see `testing.write_register`)."""
    return build_site(write_register(tmp_path / "register", **files), tmp_path / "site")


@pytest.fixture(scope="module", params=ENGINES)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    folder = tmp_path_factory.mktemp(f"rich-{request.param}")
    built = build_site(rich_register(folder / "register"), folder / "site", engine=request.param)
    assert built.returncode == 0, built.output
    return built


@pytest.fixture(scope="module")
def register(site: Site):
    from test_pages import TODAY
    return load_register(site.root.parent / "register", today=TODAY)


class Links(HTMLParser):
    """Every link and resource address of a page, and the ids it defines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"])
        for name in ("href", "src"):
            if found.get(name) is not None and tag in ("a", "img", "link", "script"):
                self.addresses.append(found[name])


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def words(html: str) -> str:
    """The text of a page's article, tags dropped."""
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", article.split(">", 1)[1])
    import html as html_module
    return re.sub(r"\s+", " ", html_module.unescape(text))


# --- The sample register and the rich one build cleanly ----------------------------------

@pytest.mark.parametrize("engine", ENGINES)
def test_the_sample_register_builds_strict_without_warnings(tmp_path: Path, engine: str) -> None:
    built = build_site(PROJECT / "register", tmp_path / "site", engine=engine)
    assert built.returncode == 0, built.output
    assert warnings(built) == []


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("include_dir", [None, "snippets"])
def test_hand_written_pages_include_templates_from_the_project(
        tmp_path: Path, engine: str, include_dir: str | None) -> None:
    """Macros include templates from the docs folder, or from the folder `include_dir`
    names, under either engine (Zensical builds in a work folder of its own, whose docs
    folder holds every generated page too)."""
    project = tmp_path / "project"
    shutil.copytree(PROJECT / "docs", project / "docs")
    snippets = project / include_dir if include_dir else project / "docs"
    (snippets / "parts").mkdir(parents=True)
    (snippets / "parts" / "note.md").write_text("Kept in the project's own snippets.\n")
    settings = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    macros = "  - macros:\n      render_by_default: false\n"
    if include_dir:  # MkDocs' macros read a relative one from the working folder
        macros += f"      include_dir: {project / include_dir}\n"
    assert "\n  - csi\n" in settings
    settings = settings.replace("\n  - csi\n", f"\n{macros}  - csi\n")
    (project / "mkdocs.yml").write_text(settings, encoding="utf-8")
    # The site's own vision page, in place of the shipped one, including a snippet.
    vision = project / "docs" / "playbook" / "vision.md"
    vision.parent.mkdir(parents=True, exist_ok=True)
    vision.write_text((SHIPPED / "playbook" / "vision.md").read_text(encoding="utf-8")
                      + '\n{% include "parts/note.md" %}\n', encoding="utf-8")
    built = build_site(PROJECT / "register", tmp_path / "site", engine=engine,
                       config=project / "mkdocs.yml",
                       extra_env={"CSI_CHART_CACHE": str(tmp_path / "cache")})
    assert built.returncode == 0, built.output
    assert "Kept in the project" in built.page("/playbook/vision/")
    if engine == "zensical":  # not the work folder's docs: Zensical would walk them all
        work = yaml.safe_load((tmp_path / "site-zensical" / "mkdocs.yml").read_text())
        macros = next(plugin["macros"] for plugin in work["plugins"] if "macros" in plugin)
        assert Path(macros["include_dir"]) == snippets


def warnings(built: Site) -> list[str]:
    return re.findall(r"^WARNING\b.*$", built.output, flags=re.M)


def test_the_build_is_strict_and_quiet(site: Site) -> None:
    assert warnings(site) == [] and "Traceback" not in site.output


def test_every_address_of_the_format_exists(site: Site, register) -> None:
    addresses = ["/", "/playbook/", "/principles/", "/register/", "/metrics/", "/objectives/",
                 "/register/board/", "/register/changes/", "/register.csv", "/register.json"]
    addresses += [f"/register/{i.id}/" for i in register.improvements]
    addresses += [f"/metrics/{m.id}/" for m in register.metrics]
    addresses += [f"/principles/{p}/" for p in ("focus-on-value", "optimize-and-automate")]
    for address in addresses:
        assert site.page(address), address


def test_every_page_names_the_package_s_version_in_its_generator_tag(site: Site) -> None:
    from csi_macros import __version__
    engine = "mkdocs-" if site.engine == "mkdocs" else "zensical-"
    tags = {path.relative_to(site.root).as_posix(): re.findall(
        r'<meta name="generator" content="([^"]*)">', path.read_text(encoding="utf-8"))
        for path in site.html_files()}
    assert "404.html" in tags and "register/index.html" in tags
    wrong = {page: found for page, found in tags.items()
             if len(found) != 1 or not found[0].startswith(engine)
             or not found[0].endswith(f", csi-register-{__version__}")}
    assert wrong == {}


def test_record_pages_stay_out_of_the_navigation(site: Site) -> None:
    page = site.page("/register/")
    article = page.split("<article", 1)[1].split("</article>", 1)[0]
    outside = page.replace(article, "")
    assert "CSI-0001" in article and "CSI-0001" not in outside and "MTTR" not in outside


# --- What the pages show -------------------------------------------------------------------

def test_register_table_lists_every_improvement(site: Site, register) -> None:
    page = site.page("/register/")
    table = page.split('id="csi-register-table"', 1)[1].split("</table>", 1)[0]
    listed = re.findall(r'<a href="../register/([^/]+)/"', table)
    assert listed == [i.id for i in register.improvements]
    assert '<link rel="stylesheet" href="../assets/csi/csi.css">' in page
    assert '<script src="../assets/csi/csi.js"></script>' in page


def test_each_page_shows_its_fields(site: Site) -> None:
    improvement_page = words(site.page("/register/CSI-0001/"))
    for expected in ("CSI-0001 Faster P1 restore", "Owner Sam Owner",
                     "Raised 2026-01-10 by Service desk", "Target date 2026-06-30 overdue",
                     "Priority score 2 = value / effort", "OBJ-1 Faster restores",
                     "Focus on value", "latest 6 hours (2026-08-31)",
                     "1 What is the vision?", "Users trust email.", "Write the runbook",
                     "Runbook in use", "Less downtime"):
        assert expected in improvement_page, expected
    metric_page = words(site.page("/metrics/MTTR/"))
    for expected in ("MTTR Mean time to restore", "Baseline 10 hours on 2026-01-01",
                     "Target 4 hours by 2026-12-31", "2026-05-31 not measured",
                     "2026-02-28 8 hours ITSM report", "CSI-0001 Faster P1 restore"):
        assert expected in metric_page, expected
    objectives = site.page("/objectives/")
    assert '<h2 id="obj-1">OBJ-1 Faster restores' in objectives
    assert "Not linked to any objective" in objectives
    home = words(site.page("/"))
    assert "3 open improvements" in home and "Runbook in use" in home


def test_macros_on_hand_written_pages_link_back_correctly(site: Site) -> None:
    action = site.page("/playbook/action/")
    assert '<a href="../../register/CSI-0001/"' in action
    principle = site.page("/principles/optimize-and-automate/")
    assert '<a href="../../register/CSI-0001/"' in principle
    assert 'src="charts/status.svg"' in site.page("/")
    editing = site.page("/editing/")
    assert "<code>target_date</code>" in editing and "<code>momentum</code>" in editing


def test_the_playbook_shows_the_model_s_steps_with_their_statuses(site: Site) -> None:
    """The playbook's steps table, as the site serves it, names for each step the status
    the model puts there, and links to the step's page."""
    from csi_macros.readings.facts import statuses_at
    from csi_macros.register.model import STEPS
    page = site.page("/playbook/")
    table = page.split('id="the-seven-steps"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</tr>", table, flags=re.S)
    assert len(rows) == len(STEPS)
    for step, row in zip(STEPS, rows):
        assert re.search(rf'href="[./]*playbook/[a-z-]+/">{step} ', row), row
        assert re.findall(r"csi-status--(\w+)", row) == list(statuses_at(step)), step

def test_the_raise_form_starts_at_the_published_register_s_next_id(site: Site, register) -> None:
    from csi_macros.register.ids import next_id
    form = site.page("/raise/")
    expected = next_id(i.id for i in register.improvements)
    assert f'data-next-id="{expected}"' in form and expected not in register.improvement
    assert "the check of your pull request says so" in form, "the id is checked when proposed"


def test_a_metric_page_offers_phones_the_narrow_chart(site: Site) -> None:
    page = site.page("/metrics/MTTR/")
    found = re.search(r'<a class="csi-chart-full" href="([^"]+)"[^>]*><picture>\s*'
                      r'<source media="\(max-width: 600px\)" srcset="([^"]+)" '
                      r'width="360" height="\d+">\s*<img src="([^"]+)" alt="Line chart of '
                      r'Mean time to restore[^"]*"[^>]*>\s*</picture></a>', page)
    assert found, "the chart should be a picture with a narrow source, linked to the wide one"
    link, narrow, wide = found.groups()
    assert (link, narrow, wide) == ("../../charts/metric-MTTR.svg",
                                    "../../charts/narrow/metric-MTTR.svg",
                                    "../../charts/metric-MTTR.svg")
    for address in (narrow, wide):
        svg = (site.root / "metrics" / "MTTR" / address).resolve()
        assert svg.is_file() and svg.read_bytes().startswith(b"<?xml"), address
    assert "Data behind this chart" in page  # the text alternative and the table stay


def test_every_link_resolves(site: Site) -> None:
    pages = {path: parse(path) for path in site.html_files()}
    assert broken_links(site.root, pages) == []
    checked = sum(len(links.addresses) for links in pages.values())
    assert checked > 500, "the check should have seen the site's links"


def broken_links(root: Path, pages: dict[Path, Links] | None = None) -> list[tuple[str, ...]]:
    """Every link or resource of a built site's pages whose file or anchor is missing."""
    site = Site(root, 0, "")
    pages = pages if pages is not None else {path: parse(path) for path in site.html_files()}
    broken = []
    for path, links in pages.items():
        for address in links.addresses:
            parts = urlsplit(address)
            if parts.scheme or address.startswith("//"):
                continue
            base = site.root if parts.path.startswith("/") else path.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append((path.relative_to(site.root).as_posix(), address))
            elif parts.fragment and target in pages and parts.fragment not in pages[target].ids:
                broken.append((path.relative_to(site.root).as_posix(), address, "no such anchor"))
    return broken


def test_exports_parse_and_match_the_register(site: Site, register) -> None:
    records = json.loads(site.page("/register.json"))
    assert [r["id"] for r in records] == [i.id for i in register.improvements]
    assert records[0]["title"] == "Faster P1 restore" and records[0]["actions"][0]["done"] is True
    rows = list(csv.DictReader(io.StringIO(
        (site.root / "register.csv").read_text(encoding="utf-8-sig"))))
    assert [r["id"] for r in rows] == [i.id for i in register.improvements]
    assert rows[0]["objectives"] == "OBJ-1" and rows[0]["score"] == "2.0"
    assert [r["description"] for r in rows] == [i.description for i in register.improvements]


# --- Register text is data ---------------------------------------------------------------

@pytest.mark.parametrize("engine", ENGINES)
def test_register_text_is_shown_literally_and_runs_nothing(tmp_path: Path, engine: str) -> None:
    built = build_site(sneaky_register(tmp_path / "register"), tmp_path / "site", engine=engine)
    assert built.returncode == 0, built.output
    for path in built.html_files():
        html = path.read_text(encoding="utf-8")
        found = active_content(html)
        rel = path.relative_to(built.root).as_posix()
        assert [s for s in found.scripts if "alert" in s] == [], rel
        assert [s for s in found.scripts if urlsplit(s).scheme or s.startswith("//")] == [], rel
        assert found.script_urls == [] and found.handlers == [], rel
    page = built.page("/register/CSI-0001/")
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert SNEAKY.split("</script>")[1].strip().split(" ```")[0] in page  # the Jinja, as written
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "&lt;/title&gt;" in title
    assert "javascript:alert(2)" not in built.page("/objectives/").split("<article", 1)[1]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_broken_register_fails_the_build_with_file_and_line(tmp_path: Path, engine: str) -> None:
    built = build_site(write_register(tmp_path / "register", improvements=[
        improvement("CSI-0001", priority="urgent")]), tmp_path / "site", engine=engine)
    assert built.returncode == 1
    assert re.search(r"register/improvements/CSI-0001\.yml:\d+: priority must be one of "
                     r"critical, high, medium, low; got 'urgent'", built.output), built.output
    assert "Traceback" not in built.output


# --- Settings from mkdocs.yml ---------------------------------------------------------------

def project_copy(folder: Path, *, csi: dict | None = None, **settings) -> Path:
    """The project's mkdocs.yml and docs/ in `folder`, with changed settings
    and options for the csi plugin; a rich register inside it. Returns the mkdocs.yml."""
    config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(settings)
    if csi is not None:
        config["plugins"] = [{"csi": csi} if plugin == "csi" else plugin
                             for plugin in config["plugins"]]
    shutil.copytree(PROJECT / "docs", folder / "docs")
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    rich_register(folder / "register")
    return folder / "mkdocs.yml"


def build_copy(config: Path) -> Site:
    env = {key: value for key, value in os.environ.items() if key != "CSI_REGISTER_DIR"}
    env.update(SOURCE_DATE_EPOCH=BUILD_EPOCH, CSI_CHART_CACHE=str(config.parent / ".charts"))
    site_dir = config.parent / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config),
                             "-d", str(site_dir)], env=env, capture_output=True, text=True,
                            timeout=600, cwd=config.parent)
    return Site(site_dir, result.returncode, result.stdout + result.stderr)


def test_edit_links_and_the_configured_formula(tmp_path: Path) -> None:
    config = project_copy(tmp_path, repo_url="https://github.com/acme/csi",
                          edit_uri="edit/main/docs/", csi={"priority_formula": "value * priority"})
    built = build_copy(config)
    assert built.returncode == 0, built.output
    edit = "https://github.com/acme/csi/edit/main/register/"
    assert f'<a href="{edit}improvements/CSI-0001.yml"' in built.page("/register/CSI-0001/")
    assert f'<a href="{edit}metrics/MTTR.yml"' in built.page("/metrics/MTTR/")
    assert f'<a href="{edit}register.yml"' in built.page("/objectives/")
    register = built.page("/register/")
    assert "= value * priority</span>" in register
    assert '<td data-label="Score" data-sort="12.0">12</td>' in register  # CSI-0001: value 4, priority high (3)
    assert json.loads(built.page("/register.json"))[0]["score"] == 12.0


def test_a_bad_formula_fails_the_build_with_a_clear_message(tmp_path: Path) -> None:
    built = build_copy(project_copy(tmp_path, csi={"priority_formula": "value ** effort"}))
    assert built.returncode == 1
    assert "priority_formula 'value ** effort': the operator ** is not allowed" in built.output
    assert "Traceback" not in built.output


# --- The register's script, in a real browser ----------------------------------------------

@pytest.fixture(scope="module")
def browser_page(site: Site):
    from browser_harness import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve
    require_chromium()
    from playwright.sync_api import sync_playwright
    server = serve(site.root)
    url = next(server)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = chromium.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page, url, errors
        chromium.close()
    server.close()


def shown_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        "#csi-register-table tbody tr:not([hidden]) td:first-child a", "links => links.map(a => a.textContent)")


@pytest.mark.browser
def test_the_register_sorts_by_any_column_both_ways(browser_page) -> None:
    page, url, errors = browser_page
    page.goto(url + "/register/")
    assert page.is_visible("form.csi-filters")
    score = page.locator("#csi-register-table th", has_text="Score")
    score.locator("button").click()
    assert score.get_attribute("aria-sort") == "ascending"
    assert shown_ids(page) == ["CSI-0002", "CSI-0001", "CSI-0003", "CSI-0010"]  # 0.4, 2, none, none
    score.locator("button").click()
    assert score.get_attribute("aria-sort") == "descending"
    assert shown_ids(page) == ["CSI-0001", "CSI-0002", "CSI-0003", "CSI-0010"]  # empty cells last
    assert page.locator("#csi-register-table th[aria-sort]").count() == 1
    assert errors == []


@pytest.mark.browser
def test_the_register_filters_by_status_priority_and_flag(browser_page) -> None:
    page, url, errors = browser_page
    page.goto(url + "/register/?status=in_progress,proposed")
    assert shown_ids(page) == ["CSI-0001", "CSI-0010"]
    assert page.inner_text("[data-csi-count]") == "Showing 2 of 4 improvements."
    page.uncheck("input[name=priority][value=high]")
    assert shown_ids(page) == ["CSI-0010"]
    assert "priority=critical,medium,low" in page.url
    page.click("form.csi-filters button[type=reset]")
    page.wait_for_function("document.querySelectorAll('#csi-register-table tbody tr:not([hidden])').length === 4")
    page.check("input[name=flag][value=overdue]")
    assert shown_ids(page) == ["CSI-0001"]
    assert errors == []


@pytest.mark.browser
def test_changes_since_a_date(browser_page) -> None:
    page, url, errors = browser_page
    page.goto(url + "/register/changes/?since=2026-03-01")
    assert page.inner_text("[data-csi-count]") == "2 of 4 changes since 2026-03-01."
    assert not page.is_visible("#february-2026") and page.is_visible("#october-2026")
    page.click("button[data-days='30']")
    assert page.input_value("input[name=since]") == "2026-10-26"
    assert page.inner_text("[data-csi-count]") == "1 of 4 changes since 2026-10-26."
    assert errors == []


def test_without_javascript_the_pages_are_whole(site: Site) -> None:
    page = site.page("/register/")
    assert '<form class="csi-filters" data-csi-filters="csi-register-table" hidden>' in page
    assert page.count("<tr data-status=") == 4
    changes = site.page("/register/changes/")
    assert "data-csi-since hidden" in changes and changes.count("<li data-date=") == 4


@pytest.mark.build
def test_zensical_rebuilds_a_macro_page_when_only_the_register_changed(tmp_path: Path) -> None:
    """Zensical keeps a page's HTML while its source is unchanged; the home page's list of
    metrics that need attention comes from the register's macros, so a second build after a
    register edit, in the same work folder, must show the edit."""
    register = tmp_path / "register"
    shutil.copytree(PROJECT / "register", register)
    site = tmp_path / "site"

    def attention() -> set[str]:
        home = site.joinpath("index.html").read_text(encoding="utf-8")
        signals = re.search(r'<div class="csi-signals".*?</div>', home, re.S).group(0)
        return set(re.findall(r'<li><a href="metrics/([A-Z0-9-]+)/"', signals))

    first = build_site(register, site, engine="zensical")
    assert first.returncode == 0, first.output
    assert "BACKLOG" in attention()
    backlog = register / "metrics" / "BACKLOG.yml"
    backlog.write_text(backlog.read_text(encoding="utf-8").replace("value: 800", "value: 5000"),
                       encoding="utf-8")  # lower is better: 1,460 tickets now meet it
    second = build_site(register, site, engine="zensical")
    assert second.returncode == 0, second.output
    assert "BACKLOG" not in attention()
