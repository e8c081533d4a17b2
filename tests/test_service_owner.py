"""A service owner's page: the metrics that measure the service (those naming it and those
its improvements aim to move), with their headlines and readings, whether its improvements
worked, and the owner from the service catalogue; and no reader page that speaks YAML.
A real site built from a register in a temporary folder, its HTML looked at."""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re

import pytest

from csi_macros import load_register
from csi_macros.readings.facts import Register
from csi_macros.testing import improvement, metric, organisation, write_register
from sitebuild import Site, build_site

pytestmark = pytest.mark.build

TODAY = dt.date(2026, 11, 25)  # sitebuild.BUILD_EPOCH
CATALOGUE = [
    {"name": "Service desk", "owner": "Joanne Pike <desk>"},
    {"name": "Email", "owner": "Ben Carter", "description": "Mail and calendars for everyone."},
    {"name": "Payroll"},
]
# MTTR names no service: Email and the service desk reach it through their improvements.
# Its last value is far beyond its limits (a special cause of concern): it needs attention.
MTTR = [10, 9, 11, 10, 9, 11, 10, 10, 9, 11, 10, 9, 11, 10, 9, 10, 11, 10, 9, 10, 11, 30]
CSAT = [91, 90, 92, 91, 90, 92, 91, 90, 92, 91, 90, 92, 91, 90, 92, 91, 90, 92, 91, 90, 92, 91]
BACKLOG = [500, 510, 490, 505, 495, 500, 510, 490, 505, 495, 500, 510, 490, 505, 495, 500,
           510, 490, 505, 495, 500, 505]
IMPROVEMENTS = [
    improvement("CSI-0001", services=["Email"], metrics=["MTTR"], status="implemented",
                raised="2025-01-10",
                log=[{"date": "2025-12-15", "note": "Live.", "status": "implemented"}]),
    improvement("CSI-0002", services=["Service desk", "Email"], metrics=["MTTR", "CSAT"],
                status="in_progress", raised="2025-03-01"),
    improvement("CSI-0003", services=["Payroll"], status="approved"),
]
METRICS = [
    metric("MTTR", baseline={"date": "2025-01-01", "value": 10},
           target={"value": 5, "date": "2027-06-30"}),
    metric("CSAT", name="Customer satisfaction", unit="%", direction="higher_is_better",
           baseline={"date": "2025-01-01", "value": 90}, target={"value": 80},
           services=["Service desk"]),
    metric("BACKLOG", unit="tickets", baseline={"date": "2025-01-01", "value": 500},
           services=["Service desk"]),
]
HELP_PAGES = ("editing", "importing", "publishing", "security", "raise", "playbook")
"""The help pages and the playbook, the guide for the people who do the work: they show the
register's files and keys. Every other page is for readers."""


def month_ends(count: int) -> list[str]:
    days = []
    year, month = 2025, 1
    for _ in range(count):
        days.append(dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat())
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def snapshots() -> list[dict]:
    return [{"date": day, "values": {"MTTR": MTTR[i], "CSAT": CSAT[i], "BACKLOG": BACKLOG[i]}}
            for i, day in enumerate(month_ends(len(MTTR)))]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Register]:
    folder = tmp_path_factory.mktemp("service-owner")
    root = write_register(folder / "register",
                         register=organisation(services=CATALOGUE,
                                               objectives=[{"id": "OBJ-1", "title": "Better"}]),
                         improvements=IMPROVEMENTS, metrics=METRICS, snapshots=snapshots())
    site = build_site(root, folder / "site")
    assert site.returncode == 0, site.output
    return site, load_register(root, today=TODAY)


def article(page: str) -> str:
    return page.split("<article", 1)[1].split("</article>", 1)[0]


def section(page: str, anchor: str) -> str:
    return article(page).split(f'id="{anchor}"', 1)[1].split("<h2", 1)[0]


def rows(part: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", part.split("<tbody>", 1)[1], re.S)


def text(fragment: str) -> str:
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return re.sub(r" ([,.;])", r"\1", words)


def metric_rows(page: str) -> dict[str, str]:
    """The rows of a service page's metrics table, by metric id, in their order."""
    found = {}
    for row in rows(section(page, "metrics")):
        id = re.search(r'href="[^"]*metrics/([A-Z-]+)/"', row)
        assert id is not None, row
        found[id.group(1)] = row
    return found


# --- The metrics that measure a service --------------------------------------------------

def test_a_service_lists_the_metrics_naming_it_and_those_its_improvements_aim_to_move(
        built) -> None:
    site, _ = built
    desk = metric_rows(site.page("/services/service-desk/"))
    assert sorted(desk) == ["BACKLOG", "CSAT", "MTTR"]
    assert text(desk["BACKLOG"]).endswith("names this service")
    assert "reached through" not in desk["BACKLOG"]
    # CSAT names the service, and the service's CSI-0002 aims to move it too.
    assert "names this service" in text(desk["CSAT"])
    assert "reached through CSI-0002" in text(desk["CSAT"])
    # MTTR names no service: it is here only because CSI-0002 names it.
    assert "names this service" not in desk["MTTR"]
    assert text(desk["MTTR"]).endswith("reached through CSI-0002")
    assert 'href="../../register/CSI-0002/"' in desk["MTTR"]
    email = metric_rows(site.page("/services/email/"))
    assert sorted(email) == ["CSAT", "MTTR"]  # no metric names Email itself
    assert text(email["MTTR"]).endswith("reached through CSI-0001, CSI-0002")
    assert text(email["CSAT"]).endswith("reached through CSI-0002")
    payroll = site.page("/services/payroll/")
    assert "No metric measures this service yet." in section(payroll, "metrics")


def test_each_metric_has_its_headline_and_readings_those_needing_attention_first(built) -> None:
    site, register = built
    desk = metric_rows(site.page("/services/service-desk/"))
    assert list(desk)[0] == "MTTR"  # the special cause of concern leads
    assert register.behaviour["MTTR"].variation == "special cause: concern"
    for id, row in desk.items():
        found = register.verdicts[id]
        assert html.escape(found.headline, quote=False) in row, id
        slug = found.status.replace(" ", "-")
        assert f"csi-verdict--{slug}" in row, id
        behaviour = register.behaviour[id]
        for kind, word in (("variation", behaviour.variation),
                           ("assurance", behaviour.assurance)):
            assert f'csi-{kind}--{word.replace(":", "").replace(" ", "-")}' in row, (id, kind)
    lead = text(article(site.page("/services/service-desk/")).split("<h2", 1)[0])
    assert "3 metrics measure it. 1 needs attention." in lead


def test_each_implemented_improvement_of_a_service_shows_its_evidence(built) -> None:
    site, register = built
    evidence = section(site.page("/services/email/"), "evidence")
    found = {re.search(r">(CSI-\d+)</a>", row).group(1): row for row in rows(evidence)}
    # CSI-0002 is not implemented yet: nothing to read, so it is counted, not listed.
    assert sorted(found) == ["CSI-0001"]
    assert "1 more improvement has no evidence yet" in text(evidence)
    for id, row in found.items():
        readings = register.evidence(register.improvement[id])
        assert readings
        for reading in readings:
            word = reading.signal.replace(" ", "-")
            assert re.search(rf'metrics/{reading.metric_id}/"[^>]*>{reading.metric_id}</a> '
                             rf'<a class="csi-badge csi-evidence csi-evidence--{word}"',
                             row), (id, reading)
        assert f'href="../../register/{id}/#evidence"' in row
    # CSI-0001 was implemented before MTTR's special cause: the page says what the facts say.
    assert register.evidence(register.improvement["CSI-0001"])[0].signal == "signal of concern"
    assert "csi-evidence--signal-of-concern" in found["CSI-0001"]
    assert register.evidence(register.improvement["CSI-0002"])[0].signal == "not implemented yet"
    desk = section(site.page("/services/service-desk/"), "evidence")
    assert "None of its improvements has evidence yet" in text(desk)
    payroll = section(site.page("/services/payroll/"), "evidence")
    assert "None of its improvements has evidence yet" in text(payroll)


def test_the_owner_comes_from_the_service_catalogue(built) -> None:
    site, _ = built
    desk = article(site.page("/services/service-desk/"))
    assert "Service owner: Joanne Pike &lt;desk&gt;" in desk and "<desk>" not in desk
    email = article(site.page("/services/email/"))
    assert "Service owner: Ben Carter" in email
    assert "Mail and calendars for everyone." in email
    payroll = article(site.page("/services/payroll/"))
    assert re.search(r'Service owner: <span class="csi-none">—</span>', payroll)
    index = article(site.page("/services/"))
    cells = {}
    for row in rows(index):
        values = [text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        cells[values[0]] = values[1:]
    # Owner, metrics, how many need attention, open improvements, finished.
    assert cells == {"Email": ["Ben Carter", "2", "1", "2", "0"],
                     "Payroll": ["—", "0", "0", "1", "0"],
                     "Service desk": ["Joanne Pike <desk>", "3", "1", "1", "0"]}


def test_the_metrics_a_service_counts_are_the_facts(built) -> None:
    _, register = built
    measured = {name: [(m.metric.id, m.named, m.through) for m in entries]
                for name, entries in register.service_metrics.items()}
    assert measured == {
        "Email": [("CSAT", False, ("CSI-0002",)), ("MTTR", False, ("CSI-0001", "CSI-0002"))],
        "Payroll": [],
        "Service desk": [("BACKLOG", True, ()), ("CSAT", True, ("CSI-0002",)),
                         ("MTTR", False, ("CSI-0002",))]}


# --- Reader pages never speak YAML -------------------------------------------------------

LIST_KEYS = ("services", "tags", "dimensions", "metrics", "objectives", "principles",
             "related", "rebase", "actions", "log")
FILE_OR_COMMIT = re.compile(r"[\w./-]+\.ya?ml|[0-9a-f]{10}")


def reader_pages(site: Site) -> list[tuple[str, str]]:
    pages = []
    for path in site.html_files():
        address = path.parent.relative_to(site.root).as_posix()
        if address.split("/", 1)[0] in HELP_PAGES or "<article" not in path.read_text("utf-8"):
            continue
        # The one place a reader page speaks to editors is a folded box saying so (a
        # metric's rebase line, as `csi check` suggests it); everything else is for readers.
        page = re.sub(r'<details class="csi-editors">.*?</details>', "",
                      article(path.read_text(encoding="utf-8")), flags=re.S)
        pages.append((address, page))
    return pages


def test_no_reader_page_shows_a_yaml_key_or_asks_to_edit_one(built) -> None:
    site, _ = built
    pages = reader_pages(site)
    kinds = {address.split("/", 1)[0] for address, _ in pages}
    assert {".", "register", "metrics", "services", "objectives", "dimensions", "tags",
            "principles"} <= kinds
    for address, page in pages:
        for code in re.findall(r"<code[^>]*>(.*?)</code>", page, re.S):
            # A record's file ("Source file: …") and a commit are shown as code; keys never.
            assert FILE_OR_COMMIT.fullmatch(html.unescape(code)), (address, code)
        words = text(page)
        for key in LIST_KEYS:  # a key as it is written in a file, code font or not
            assert not re.search(rf"\b{key}:\s*\[", words), (address, key)
        assert ".yml" not in re.sub(r"Source file: \S+", "", words), address


def test_the_editing_advice_moved_to_the_help_pages(built) -> None:
    site, _ = built
    editing = article(site.page("/editing/"))
    principles = editing.split('id="guiding-principles-in-a-record"', 1)[1].split("<h2", 1)[0]
    assert "<code>principles: [focus-on-value]</code>" in principles
    assert "reached through CSI-0007" in text(editing)  # how a service's metrics are found
    assert 'href="../editing/#guiding-principles-in-a-record"' in site.page("/principles/")
