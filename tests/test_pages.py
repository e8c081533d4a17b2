"""The generated pages, the exports, the score formula and the macros, without MkDocs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csi_macros import load_register
from csi_macros.register.errors import CsiError
from csi_macros.readings.export import columns, rows, to_csv, to_json
from csi_macros.readings.facts import Register
from csi_macros.register.fields import format_keys
from csi_macros.site.macros import page_macros, page_variables
from csi_macros.register.model import FILE_KINDS
from csi_macros.site.pages import Heading, Page, SiteContext, site_files
from csi_macros.site.pages.page import page
from csi_macros.site.addresses import page_base
from csi_macros.site.text import _renderer, escape, escape_md, plain_paragraphs, render_markdown
from csi_macros.readings.scoring import parse_formula
from csi_macros.testing import (improvement, metric, organisation, snapshot, temporary_register,
                                write_register)

TODAY = dt.date(2026, 11, 25)
SNEAKY = "</title><script>alert(1)</script> {{ 7*7 }} {% if 1 %}x{% endif %} ```"


def rich_register(root: Path) -> Path:
    """Every field of every file kind in use: four improvements at different steps, two
    metrics (one with a gap), three objectives (one without metrics, one without
    improvements), and one improvement linked to no objective."""
    return write_register(
        root,
        register=organisation(vision="Reliable services *people* trust.", objectives=[
            {"id": "OBJ-1", "title": "Faster restores", "description": "Restore **fast**.",
             "metrics": ["MTTR"]},
            {"id": "OBJ-2", "title": "Happier users", "metrics": ["CSAT"]},
            {"id": "OBJ-3", "title": "Nothing serves this yet"}]),
        metrics=[metric("MTTR", name="Mean time to restore", description="Hours to restore a P1.",
                        owner="Ops lead", target={"value": 4, "date": "2026-12-31"}),
                 metric("CSAT", name="Satisfaction", unit="%", direction="higher_is_better",
                        baseline={"date": "2026-01-01", "value": 70})],
        snapshots=[{**snapshot("2026-02-28", MTTR=8, CSAT=72), "source": "ITSM report"},
                   snapshot("2026-05-31", MTTR=None, CSAT=75),
                   snapshot("2026-08-31", MTTR=6)],
        improvements=[
            improvement(
                "CSI-0001", title="Faster P1 restore", status="in_progress", priority="high",
                raised_by="Service desk", value=4, effort=2, target_date="2026-06-30",
                metrics=["MTTR"], principles=["focus-on-value", "optimize-and-automate"],
                dimensions=["information-and-technology"], services=["Email", "VPN"],
                related=["CSI-0002"], tags=["p1", "restore"], benefits="Less **downtime**.",
                extra={"reach": 200, "confidence": 0.5},
                model={"vision": "Users trust email.", "current_state": "Ten hours.",
                       "target_state": "Four hours.", "plan": "A runbook."},
                actions=[{"title": "Write the runbook", "owner": "Ann", "due": "2026-03-01",
                          "done": True},
                         {"title": "Train the desk", "owner": "Bob", "due": "2026-04-01"}],
                log=[{"date": "2026-01-10", "note": "Raised at the review", "status": "proposed"},
                     {"date": "2026-02-01", "note": "Approved by the board", "status": "approved"},
                     {"date": "2026-11-20", "note": "Runbook in use", "status": "in_progress"}]),
            improvement("CSI-0002", title="Satisfaction survey", status="closed",
                        closed="2026-10-01", outcome="Survey *runs* monthly.",
                        objectives=["OBJ-2"], metrics=["CSAT"], value=2, effort=5,
                        model={"review": "It worked.", "momentum": "Keep it."},
                        log=[{"date": "2026-10-01", "note": "Closed", "status": "closed"}]),
            improvement("CSI-0010", title="Chatbot idea", status="proposed", owner=None,
                        objectives=[], raised="2026-11-01"),
            improvement("CSI-0003", title="Parked work", status="deferred", priority="low"),
        ])


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Register:
    return load_register(rich_register(tmp_path_factory.mktemp("rich") / "register"), today=TODAY)


def html_of(generated: dict[str, Page | bytes]) -> dict[str, str | bytes]:
    """Generated files with each page as the HTML the site shows."""
    return {name: content.html() if isinstance(content, Page) else content
            for name, content in generated.items()}


@pytest.fixture(scope="module")
def pages(register: Register) -> dict[str, Page | bytes]:
    return site_files(register, SiteContext())


@pytest.fixture(scope="module")
def files(pages: dict) -> dict[str, str | bytes]:
    return html_of(pages)


def headings(page: str, level: int) -> list[str]:
    """The text of a page's headings of one level."""
    return [text_of(h) for h in re.findall(rf"<h{level}\b[^>]*>(.*?)</h{level}>", page)]


def text_of(html: str) -> str:
    """The words of an HTML fragment, tags dropped, entities decoded."""
    words = jinja2.utils.markupsafe.Markup(re.sub(r"<[^>]+>", " ", html)).unescape()
    return re.sub(r"\s+([.,:;])", r"\1", re.sub(r"\s+", " ", words)).strip()


def hrefs(page: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', page)


# --- Which files -------------------------------------------------------------------------

def test_every_generated_address_has_a_file(files: dict, register: Register) -> None:
    expected = {"register/index.md", "register/board.md", "register/changes.md",
                "metrics/index.md", "objectives/index.md", "register.csv", "register.json", "feed.xml",
                "assets/csi/csi.css", "assets/csi/csi.js", "assets/csi/raise.js",
                "services/index.md", "dimensions/index.md", "tags/index.md"}
    expected |= {f"register/{i.id}.md" for i in register.improvements}
    expected |= {"services/email.md", "services/vpn.md"}  # the services rich_register names
    expected |= {f"metrics/{m.id}.md" for m in register.metrics}
    assert set(files) == expected
    assert all(isinstance(files[name], bytes) for name in files if not name.endswith(".md"))


def test_pages_are_deterministic(register: Register) -> None:
    assert site_files(register, SiteContext()) == site_files(register, SiteContext())


def test_every_page_starts_with_one_h1_its_title(pages: dict, files: dict) -> None:
    for name, content in files.items():
        if name.endswith(".md"):
            assert content.startswith("<h1 "), name
            assert headings(content, 1) == [pages[name].title + " ¶"], name


def test_headings_give_the_outline_and_the_anchors() -> None:
    built = page("A & B", Heading(2, "Log"), "<p id='x'>text</p>", Heading(2, "Log"),
                 Heading(3, "Step"), Heading(2, "Gap", "no-objective"), '<a id="here"></a>')
    assert built.ids == ("a-b", "log", "log_1", "step", "no-objective")
    assert '<h2 id="log_1">Log<a class="headerlink" href="#log_1"' in built.html()
    assert built.html().startswith('<h1 id="a-b">A &amp; B<a class="headerlink"')
    [top] = built.toc()
    assert (top["name"], [c["id"] for c in top["children"]]) == ("A &amp; B", ["log", "log_1", "no-objective"])
    assert [c["id"] for c in top["children"][1]["children"]] == ["step"]
    assert built.anchors() == {"a-b", "log", "log_1", "step", "no-objective", "here"}


# --- The register table ------------------------------------------------------------------

def test_register_table_lists_every_improvement_with_its_columns(files: dict,
                                                                register: Register) -> None:
    page = files["register/index.md"]
    rows_html = re.findall(r"<tr data-status=.*?</tr>", page)
    assert [re.search(r">([A-Z]+-\d+)</a>", row).group(1) for row in rows_html] == \
        [i.id for i in register.improvements]
    first = rows_html[0]
    assert 'data-status="in_progress" data-priority="high" data-flags="overdue"' in first
    seen = re.sub(r'<span class="csi-sr">[^<]*</span>', "", first)  # what a sighted reader sees
    assert text_of(seen) == "CSI-0001 Faster P1 restore in progress 5 high Sam Owner 4 2 2 " \
                             "2026-06-30 overdue not implemented yet"
    for header in ("Id", "Title", "Status", "Model step", "Priority", "Owner", "Value", "Effort",
                   "Score", "Target date", "Flags", "Evidence"):
        assert f">{header}" in page
    assert "= value / effort</span>" in page, "the formula is shown beside the score"


def test_register_rows_sort_as_people_expect() -> None:
    from csi_macros.site.pages.register import id_sort_key
    assert sorted(["CSI-10", "CSI-9", "ABC-100"], key=id_sort_key) == ["ABC-100", "CSI-9", "CSI-10"]


def test_filters_are_hidden_until_the_script_runs(files: dict) -> None:
    page = files["register/index.md"]
    assert '<form class="csi-filters" data-csi-filters="csi-register-table" hidden>' in page
    assert re.findall(r'name="status" value="(\w+)"', page) == [
        "proposed", "approved", "in_progress", "implemented", "closed", "rejected", "deferred"]
    assert 'id="csi-register-table" data-csi-sortable' in page


def test_register_page_shows_charts_when_charts_has_them(files: dict) -> None:
    page = files["register/index.md"]
    for name in ("status", "roadmap", "value-effort"):
        assert f'src="../charts/{name}.svg"' in page


def test_a_chart_is_left_out_while_charts_py_has_no_chart_html(register: Register,
                                                               monkeypatch) -> None:
    from csi_macros.site import charts
    from csi_macros.site.pages.blocks import chart
    monkeypatch.delattr(charts, "chart_html")
    assert chart(register, "status", "../") == ""


def test_board_has_a_column_per_status_and_a_card_per_improvement(files: dict) -> None:
    page = files["register/board.md"]
    assert re.findall(r'<h2 id="board-(\w+)">', page) == [
        "proposed", "approved", "in_progress", "implemented", "closed", "rejected", "deferred"]
    proposed = page.split('id="board-proposed"')[1].split("</section>")[0]
    assert '<a href="../../register/CSI-0010/"' in proposed and "CSI-0001" not in proposed


def test_changes_are_newest_first_grouped_by_month(files: dict) -> None:
    page = files["register/changes.md"]
    assert headings(page, 2) == [
        "November 2026 ¶", "October 2026 ¶", "February 2026 ¶", "January 2026 ¶"]
    assert re.findall(r'data-date="([\d-]+)"', page) == [
        "2026-11-20", "2026-10-01", "2026-02-01", "2026-01-10"]
    assert "data-csi-since hidden" in page and 'data-today="2026-11-25"' in page


# --- An improvement's page ---------------------------------------------------------------

def test_improvement_page_shows_every_field(files: dict) -> None:
    page = files["register/CSI-0001.md"]
    words = text_of(page)
    for expected in ("Status in progress, at step 5 Take action", "Priority high",
                     "Owner Sam Owner", "Raised 2026-01-10 by Service desk",
                     "Target date 2026-06-30 overdue", "Value 4", "Effort 2",
                     "Priority score 2 = value / effort", "OBJ-1 Faster restores",
                     "Focus on value, Optimize and automate", "Dimensions Information and technology",
                     "Services Email, VPN", "MTTR Mean time to restore: latest 6 hours (2026-08-31)",
                     "CSI-0002 Satisfaction survey (closed)", "Tags p1, restore",
                     "Less downtime", "1 of 2 done"):
        assert expected in words, expected
    assert "<strong>downtime</strong>" in page, "benefits are Markdown"
    assert headings(page, 3) == ["1 What is the vision? ¶", "2 Where are we now? ¶",
                                 "3 Where do we want to be? ¶", "4 How do we get there? ¶",
                                 "5 Take action ¶"], "unanswered questions are left out"
    assert "Source file: <code>register/improvements/CSI-0001.yml</code>" in page


def test_improvement_links_go_to_the_right_pages(files: dict) -> None:
    links = hrefs(files["register/CSI-0001.md"])
    for expected in ("../../objectives/#obj-1", "../../principles/focus-on-value/",
                     "../../metrics/MTTR/", "../../register/CSI-0002/", "../../playbook/action/"):
        assert expected in links


def test_actions_are_a_checklist_with_overdue_ones_marked(files: dict) -> None:
    actions = files["register/CSI-0001.md"].split('<ul class="csi-actions">')[1].split("</ul>")[0]
    done, open_ = actions.strip().split("\n")
    assert 'aria-label="done">✓</span> Write the runbook (owner Ann, due 2026-03-01)</li>' in done
    assert 'aria-label="to do">☐</span> Train the desk (owner Bob, due 2026-04-01) ' in open_
    assert "overdue" in open_ and "overdue" not in done


def test_log_is_newest_first(files: dict) -> None:
    log = files["register/CSI-0001.md"].split('<ol class="csi-log">')[1].split("</ol>")[0]
    assert re.findall(r"<li>([\d-]+) ", log) == ["2026-11-20", "2026-02-01", "2026-01-10"]


def test_closed_improvement_shows_outcome_and_review(files: dict) -> None:
    page = files["register/CSI-0002.md"]
    assert "Outcome ¶" in headings(page, 2) and "Survey <em>runs</em> monthly." in page
    assert headings(page, 3) == ["6 Did we get there? ¶", "7 How do we keep the momentum going? ¶"]
    assert '<tr><th scope="row">Closed</th><td>2026-10-01</td></tr>' in page
    assert '<th scope="row">Closed</th>' not in files["register/CSI-0001.md"], "open: no row"


@pytest.mark.parametrize(("context", "expected"), [
    (SiteContext(repo_url="https://github.com/acme/csi", edit_uri="edit/main/docs/"),
     "https://github.com/acme/csi/edit/main/register/improvements/CSI-0001.yml"),
    (SiteContext(repo_url="https://gitlab.com/acme/csi/", edit_uri="-/edit/main/docs/",
                 register_path="data/register"),
     "https://gitlab.com/acme/csi/-/edit/main/data/register/improvements/CSI-0001.yml"),
    (SiteContext(repo_url="https://example.org/r", edit_uri="https://git.example.org/r/edit/trunk/docs/"),
     "https://git.example.org/r/edit/trunk/register/improvements/CSI-0001.yml"),
    (SiteContext(repo_url="https://github.com/acme/csi", edit_uri=""), None),
    (SiteContext(repo_url=None, edit_uri="edit/main/docs/"), None),
    (SiteContext(repo_url="https://dev.azure.com/a/b", edit_uri="?path=/docs/"), None),
    (SiteContext(repo_url="https://github.com/acme/csi", edit_uri="edit/main/docs/",
                 register_path="/srv/register"), None),
])
def test_edit_links_follow_mkdocs_edit_uri(context: SiteContext, expected: str | None) -> None:
    assert context.edit_url("improvements/CSI-0001.yml") == expected


def test_pages_link_to_the_repository_when_it_is_known(register: Register) -> None:
    context = SiteContext(repo_url="https://github.com/acme/csi", edit_uri="edit/main/docs/")
    generated = html_of(site_files(register, context))
    edit = "https://github.com/acme/csi/edit/main/register/"
    assert f'href="{edit}improvements/CSI-0001.yml"' in generated["register/CSI-0001.md"]
    assert f'href="{edit}metrics/MTTR.yml"' in generated["metrics/MTTR.md"]
    assert f'href="{edit}register.yml"' in generated["objectives/index.md"]


# --- Metrics and objectives -------------------------------------------------------------

def test_metrics_page_lists_every_metric_with_latest_value_and_verdict(files: dict) -> None:
    page = files["metrics/index.md"]
    words = text_of(page)
    # the board: name and headline, latest, target, verdict (the baseline is on its page)
    assert re.search(r"MTTR Mean time to restore [^.]+\. 6 hours \(2026-08-31\) 4 hours by "
                     r"2026-12-31 ", words)
    # CSAT (quarterly, read from its dates) has had no value for six months: late, its date said.
    assert re.search(r"CSAT Satisfaction No value since May 31, 2026 \(1 quarter missing\)\. "
                     r"As of that date: [^.]+\. 75% "
                     r"\(2026-05-31\) late: [^.]+\. no value since May 31, 2026 — no target", words)
    assert "../metrics/MTTR/" in hrefs(page) and 'src="../charts/metric-MTTR.svg"' in page


def test_metric_page_shows_every_value_and_the_improvements(files: dict) -> None:
    page = files["metrics/MTTR.md"]
    values = page.split('id="values"')[1].split("<h2")[0].split("</h2>")[1]
    # three values: too few for a process behaviour reading, so no class (—); measured about
    # quarterly, the quarter left unmeasured is a gap
    assert text_of(values) == ("Date Value Source Process behaviour 2026-01-01 10 hours "
                               "baseline — 2026-02-28 8 hours ITSM report — 2026-05-31 no value "
                               "for 1 quarter — — 2026-08-31 6 hours — —"), \
        "the snapshot that left it unmeasured is said once, in the gap's row"
    aims = page.split('id="improvements-that-aim-to-move-it"')[1]
    assert "../../register/CSI-0001/" in hrefs(aims) and "in progress" in aims
    assert "Hours to restore a P1." in page and "Ops lead" in page
    assert 'src="../../charts/metric-MTTR.svg"' in page


def test_objectives_trace_metrics_and_improvements(files: dict) -> None:
    page = files["objectives/index.md"]
    assert '<h2 id="obj-1">OBJ-1 Faster restores<a' in page
    assert '<h2 id="obj-3">OBJ-3 Nothing serves this yet<a' in page
    assert "<p>Reliable services <em>people</em> trust.</p>" in page
    one = page.split('id="obj-1"')[1].split('id="obj-2"')[0]
    assert "../metrics/MTTR/" in hrefs(one) and "../register/CSI-0001/" in hrefs(one)
    assert 'src="../charts/objective-OBJ-1.svg"' in one
    three = page.split('id="obj-3"')[1].split('id="no-objective"')[0]
    assert "No improvement serves this objective yet." in three
    assert "objective-OBJ-3" not in three, "an objective without metrics has no chart"
    gap = page.split('id="no-objective"')[1]
    assert "../register/CSI-0010/" in hrefs(gap) and "CSI-0001" not in gap


# --- Register text stays text ------------------------------------------------------------

def sneaky_register(root: Path) -> Path:
    return write_register(
        root, register=organisation(vision=SNEAKY + "\n\n[x](javascript:alert(2))",
                                    objectives=[{"id": "OBJ-1", "title": SNEAKY,
                                                 "metrics": ["MTTR"]}]),
        metrics=[metric("MTTR", name=SNEAKY, unit="<b>h</b>", owner=SNEAKY)],
        snapshots=[{**snapshot("2026-02-28"), "source": SNEAKY}],
        improvements=[improvement("CSI-0001", title=SNEAKY, description=SNEAKY + "\n\n    ```\n    x\n    ```",
                                  owner=SNEAKY, services=[SNEAKY], tags=[SNEAKY],
                                  actions=[{"title": SNEAKY, "owner": SNEAKY}],
                                  log=[{"date": "2026-02-01", "note": SNEAKY + "\n```\n<b>"}],
                                  outcome=None, metrics=["MTTR"])])


def test_register_text_is_escaped_everywhere(tmp_path: Path) -> None:
    register = load_register(sneaky_register(tmp_path / "register"), today=TODAY)
    generated = html_of(site_files(register, SiteContext()))
    for name, content in generated.items():
        if not name.endswith(".md"):
            continue
        assert "<script" not in content and "<b>" not in content, name
        assert "javascript:" not in "".join(hrefs(content)), name
        fences = [line for line in content.splitlines() if line.lstrip().startswith(("```", "~~~"))]
        assert fences == [], f"{name}: a line would open a code block: {fences}"
    page = generated["register/CSI-0001.md"]
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in page


def test_escaping_functions() -> None:
    assert escape("<a href='x'>`~") == "&lt;a href=&#x27;x&#x27;&gt;&#96;&#126;"
    for special, entity in [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
                            ("'", "&#x27;"), ("`", "&#96;"), ("~", "&#126;")]:
        assert escape(f"a{special}b") == f"a{entity}b"
    assert escape("plain words") == "plain words" and escape(7) == "7"
    markup = jinja2.utils.markupsafe.Markup("<b>")
    assert escape(markup) == "&lt;b&gt;", "markup from elsewhere is escaped too"
    assert escape_md("it's <b> {#id} *x*") == "it's &lt;b&gt; \\{\\#id\\} \\*x\\*"
    assert "&#96;&#96;&#96;" in render_markdown("    ```\n    code\n    ```")


# --- Scores ------------------------------------------------------------------------------

def test_default_score_is_value_over_effort(register: Register) -> None:
    formula = parse_formula("value / effort")
    assert formula.score(register.improvement["CSI-0001"]) == 2
    assert formula.score(register.improvement["CSI-0003"]) is None, "no value, no score"


def test_formula_may_use_priority_reach_and_confidence(register: Register) -> None:
    formula = parse_formula("reach * confidence * priority / (effort + 1) - -1")
    assert formula.score(register.improvement["CSI-0001"]) == pytest.approx(200 * 0.5 * 3 / 3 + 1)
    assert formula.score(register.improvement["CSI-0002"]) is None, "no reach in extra"


@pytest.mark.parametrize(("formula", "message"), [
    ("value ** 2", "the operator ** is not allowed"),
    ("__import__('os').system('true')", "is not allowed"),
    ("value.__class__", "is not allowed"),
    ("cost / effort", "unknown name 'cost'"),
    ("value +", "is not a formula"),
    ("'5' * 3", "'5' is not a number"),
    ("True + value", "True is not a number"),
    ("value if effort else 1", "is not allowed"),
    ("", "is empty"),
    ("1" * 201, "longer than 200 characters"),
])
def test_a_bad_formula_is_refused_with_a_clear_message(formula: str, message: str) -> None:
    with pytest.raises(CsiError, match=re.escape(message)) as error:
        parse_formula(formula)
    assert str(error.value).startswith("priority_formula")


def test_division_by_zero_gives_no_score(register: Register) -> None:
    assert parse_formula("value / (effort - 2)").score(register.improvement["CSI-0001"]) is None


def test_a_bad_formula_fails_the_pages(register: Register) -> None:
    with pytest.raises(CsiError, match="unknown name 'valeu'"):
        site_files(register, SiteContext(priority_formula="valeu / effort"))


# --- Exports -----------------------------------------------------------------------------

def test_rows_carry_every_field_then_the_derived_facts(register: Register) -> None:
    table = rows(register)
    assert list(table[0]) == columns()
    keys = [k for k in format_keys(FILE_KINDS["improvement"]) if k != "model"]
    assert set(keys) <= set(columns())
    assert columns()[-17:] == ["step", "open", "stale", "overdue", "last_activity",
                               "actions_done", "actions_total", "score", "variation",
                               "assurance", "evidence", "strongest_evidence", "frequency",
                               "late", "newest_value", "verdict", "headline"]
    first = table[0]
    assert first["id"] == "CSI-0001" and first["raised"] == dt.date(2026, 1, 10)
    assert first["principles"] == ["focus-on-value", "optimize-and-automate"]
    assert first["actions"] == ["[x] Write the runbook (owner Ann, due 2026-03-01)",
                                "[ ] Train the desk (owner Bob, due 2026-04-01)"]
    assert first["log"][-1] == "2026-11-20 [in_progress] Runbook in use"
    assert first["model.vision"] == "Users trust email." and first["model.review"] is None
    assert (first["step"], first["open"], first["overdue"], first["actions_done"],
            first["actions_total"], first["score"]) == (5, True, True, 1, 2, 2.0)


def test_csv_parses_back_to_the_register(register: Register) -> None:
    data = to_csv(register)
    assert data.startswith("\ufeff".encode("utf-8"))
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [row["id"] for row in parsed] == [i.id for i in register.improvements]
    first = parsed[0]
    assert first["services"] == "Email; VPN" and first["open"] == "true"
    assert first["target_date"] == "2026-06-30" and first["score"] == "2.0"
    assert parsed[3]["id"] == "CSI-0010" and parsed[3]["owner"] == parsed[3]["score"] == ""
    assert first["extra"] == '{"reach": 200, "confidence": 0.5}'


def test_json_keeps_the_nesting(register: Register) -> None:
    records = json.loads(to_json(register))
    first = records[0]
    assert list(first)[:3] == ["id", "title", "description"]
    assert first["actions"][1] == {"title": "Train the desk", "owner": "Bob", "due": "2026-04-01",
                                   "done": False}
    assert first["log"][0] == {"date": "2026-01-10", "note": "Raised at the review",
                               "status": "proposed"}
    assert first["model"]["plan"] == "A runbook." and first["model"]["review"] is None
    assert first["extra"] == {"reach": 200, "confidence": 0.5}
    assert (first["stale"], first["last_activity"], first["score"]) == (False, "2026-11-20", 2.0)
    assert to_json(register) == to_json(register)


# --- Macros ------------------------------------------------------------------------------

def render(register: Register, template: str, url: str = "playbook/action/") -> str:
    """A hand-written page's template rendered the way mkdocs-macros renders it."""
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    environment.globals.update(page_macros(register))
    return environment.from_string(template).render(page=SimpleNamespace(url=url),
                                                    **page_variables(register))


def test_macro_links_work_from_the_page_they_are_on(register: Register) -> None:
    assert '<a href="../../register/CSI-0001/"' in render(register, "{{ improvements_at_step(5) }}")
    assert '<a href="register/CSI-0001/"' in render(register, "{{ improvements_at_step(5) }}", "")
    assert '<a href="../register/CSI-0001/"' in render(register, "{{ improvements_at_step(5) }}",
                                                       "raise/")
    assert 'src="../charts/status.svg"' in render(register, '{{ chart("status") }}', "playbook/")


def test_page_base_from_mkdocs_urls() -> None:
    assert [page_base(u) for u in ("", "playbook/", "playbook/action/", "raise.html",
                                   "a/b.html", None)] == ["", "../", "../../", "", "../", ""]


def test_improvements_at_a_step_and_applying_a_principle(register: Register) -> None:
    for step in (1, 2, 3):
        assert "CSI-0010" in render(register, f"{{{{ improvements_at_step({step}) }}}}")
    assert "No improvement is at this step right now." in render(register, "{{ improvements_at_step(6) }}")
    seven = render(register, "{{ improvements_at_step(7) }}")
    assert "CSI-0002" in seven and "CSI-0001" not in seven
    applying = render(register, '{{ improvements_applying("optimize-and-automate") }}')
    assert "CSI-0001" in applying and "CSI-0002" not in applying
    assert "No improvement names this principle yet." in render(
        register, '{{ improvements_applying("start-where-you-are") }}')


@pytest.mark.parametrize(("template", "message"), [
    ("{{ improvements_at_step(8) }}", "the steps are numbered 1 to 7"),
    ('{{ improvements_applying("be-nice") }}', "unknown principle"),
    ('{{ field_reference("widget") }}', "unknown kind"),
    ('{{ chart("nonsense") }}', "there is no chart named 'nonsense'"),
    ("{{ recent_changes(0) }}", "1 or more"),
])
def test_macros_refuse_what_does_not_exist(register: Register, template: str, message: str) -> None:
    with pytest.raises(CsiError, match=re.escape(message)):
        render(register, template)


@pytest.mark.parametrize("kind", sorted(FILE_KINDS))
def test_field_reference_lists_every_key(register: Register, kind: str) -> None:
    page = render(register, f'{{{{ field_reference("{kind}") }}}}')
    keys = format_keys(FILE_KINDS[kind])
    assert re.findall(r"<tr><td><code>([\w]+)</code>", page) == list(keys)
    for spec in keys.values():
        assert escape(spec.type.describe()) in page and escape(spec.doc) in page


def test_field_reference_says_when_a_key_is_required(register: Register) -> None:
    page = render(register, '{{ field_reference("improvement") }}')
    assert '<td><code>id</code></td><td data-label="Type">an id like CSI-0007' in page
    assert "required unless status is proposed or rejected" in page


def test_status_table_and_rules_reference(register: Register) -> None:
    statuses = render(register, "{{ status_table() }}", "editing/")
    assert 'href="../register/?status=in_progress"' in statuses
    assert "1–3 What is the vision?" in statuses and "open, never stale" in statuses
    rules = render(register, "{{ rules_reference() }}")
    assert "<code>references_resolve</code>" in rules


def test_headline_figures_count_and_link(register: Register) -> None:
    figures = render(register, "{{ headline_figures() }}", "")
    assert text_of(figures) == ("3 open improvements 1 in progress 1 closed in 2026 0 stale "
                                "1 overdue As of 2026-11-25.")
    assert 'href="register/?flag=overdue"' in figures


def test_recent_changes_vision_and_variables(register: Register) -> None:
    changes = render(register, "{{ recent_changes(2) }}", "")
    assert re.findall(r"<li>([\d-]+) ", changes) == ["2026-11-20", "2026-10-01"]
    assert 'href="register/changes/"' in changes
    assert "<em>people</em>" in render(register, "{{ vision() }}")
    assert render(register, "{{ organisation }} {{ register_today }}") == "Example IT 2026-11-25"
    assert "metrics/MTTR/" in render(register, "{{ metrics_table() }}", "playbook/measurement/")


def test_macro_output_is_never_rendered_again(tmp_path: Path) -> None:
    register = load_register(sneaky_register(tmp_path / "register"), today=TODAY)
    page = render(register, "{{ recent_changes() }}{{ improvements_at_step(4) }}{{ vision() }}")
    assert "{{ 7*7 }}" in page and "49" not in page and "<script" not in page


def test_macros_of_an_empty_register() -> None:
    with temporary_register() as root:
        register = load_register(root, today=TODAY)
    assert "No changes logged yet." in render(register, "{{ recent_changes() }}")
    assert "0 open improvements" in text_of(render(register, "{{ headline_figures() }}"))
    generated = html_of(site_files(register, SiteContext()))
    assert "No changes logged yet." in generated["register/changes.md"]
    assert json.loads(generated["register.json"]) == []


# --- Plain prose skips Markdown ----------------------------------------------------------

PIECES = ["Word", "word", "é", " ", "  ", "\n", "\n\n", "\n\n\n", "09", ".", ",", ";", ":", "!",
          "?", "'", '"', "(", ")", "%", "/", "=", "+", "-", "1. ", "==", "---"]
RARE = list("*_`[]<>&#|~\\\t\r\u00a0\u2028")
ANY_TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(RARE)), max_size=30)
LINE = st.lists(st.sampled_from(["word", " ", "word"] + [p for p in PIECES if "\n" not in p]
                                + RARE[:2]), max_size=12).map(lambda pieces: pieces + ["x"])
PROSE_LINES = st.lists(st.tuples(st.sampled_from(["Word", "é", "1", " "]), LINE,
                                 st.sampled_from(["\n", "\n\n", "\n\n\n"])), max_size=5)
PROSE = st.one_of(ANY_TEXT.map("".join),
                  PROSE_LINES.map(lambda lines: "".join(a + "".join(b) + c for a, b, c in lines)))


@given(PROSE)
@settings(max_examples=1000, deadline=None)
def test_plain_prose_renders_as_markdown_would(text: str) -> None:
    if plain_paragraphs(text) is None:
        return
    _renderer.reset()
    assert render_markdown(text) == _renderer.convert(text)


def test_anything_markdown_could_read_takes_the_long_way() -> None:
    assert plain_paragraphs("First line.\nSecond, with (brackets) and 5%.\n\nNext one.") == [
        "First line.\nSecond, with (brackets) and 5%.", "Next one."]
    for text in ("- item", "1. item", "# heading", "    code", "a *b*", "a_b", "[x](y)", "a <b>",
                 "R&D", "a | b", "line  \nbreak", "Title\n===", "x\n- y", "`code`", "\tx"):
        assert plain_paragraphs(text) is None, text
