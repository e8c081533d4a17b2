"""When the data stops coming (register format v1.3): a real site built from a register whose
metrics are measured weekly, monthly and quarterly, two of which stopped. Exactly those two
read `late` (linked to its meaning) wherever their readings are shown, stand under "Needs
attention", and are the two `csi check` names; a gap breaks the chart's line and gets a row
in the values table; a bad `frequency` is an error with its file and line. In English, German
and Norwegian."""

from __future__ import annotations

import calendar
import datetime as dt
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from csi_macros import i18n
from csi_macros.i18n import using
from csi_macros.readings import words
from csi_macros.testing import improvement, metric, organisation, write_register
from sitebuild import BUILD_EPOCH, PROJECT, Site, build_site

TODAY = dt.datetime.fromtimestamp(int(BUILD_EPOCH), dt.timezone.utc).date()  # 2026-11-25
LATE = {"STOPPED", "WEEKLY-LATE"}
ON_TIME = {"GAPPY", "WEEKLY-OK", "QUARTERLY"}


def month_ends(year: int, month: int, count: int, step: int = 1) -> list[dt.date]:
    days = []
    for _ in range(count):
        days.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
        year, month = divmod(year * 12 + month - 1 + step, 12)
        month += 1
    return days


def every_week(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def series() -> dict[str, list[dt.date]]:
    """Each metric's dates after its baseline, as the issue describes them."""
    return {
        # monthly, stopped: its newest value four months before the build date
        "STOPPED": month_ends(2025, 11, 9),                                  # … 2026-07-31
        # monthly, up to date, with no value for June, July and August 2026
        "GAPPY": [d for d in month_ends(2025, 11, 12) if d.month not in (6, 7, 8)],
        # weekly, up to date (its file says weekly)
        "WEEKLY-OK": every_week(dt.date(2026, 8, 7), dt.date(2026, 11, 20)),
        # weekly, read from its dates, three weeks late
        "WEEKLY-LATE": every_week(dt.date(2026, 8, 12), dt.date(2026, 11, 4)),
        # quarterly, measured last quarter (monthly, it would be late)
        "QUARTERLY": month_ends(2024, 12, 8, step=3),                        # … 2026-09-30
    }


def scenario(root: Path) -> Path:
    values: dict[str, dict[str, float]] = {}
    for metric_id, dates in series().items():
        for index, day in enumerate(dates):
            values.setdefault(day.isoformat(), {})[metric_id] = 50 + index % 3
    metrics = [
        metric("STOPPED", name="Calls answered in 60 s", unit="%", direction="higher_is_better",
               baseline={"date": "2025-10-31", "value": 50}, target={"value": 50},
               services=["Service desk"]),
        metric("GAPPY", name="Survey score", unit="points", direction="higher_is_better",
               baseline={"date": "2025-10-31", "value": 50}, frequency="monthly",
               services=["Service desk"]),
        metric("WEEKLY-OK", name="Changes per week", unit="changes", frequency="weekly",
               baseline={"date": "2026-07-31", "value": 51}, services=["Email"]),
        metric("WEEKLY-LATE", name="Backlog at week end", unit="tickets",
               baseline={"date": "2026-08-05", "value": 51}, services=["Email"]),
        metric("QUARTERLY", name="Supplier score", unit="points", frequency="quarterly",
               direction="higher_is_better", baseline={"date": "2024-09-30", "value": 50},
               target={"value": 50}, services=["Network"]),
    ]
    register = organisation(objectives=[{"id": "OBJ-1", "title": "Answer faster",
                                         "metrics": sorted(m["id"] for m in metrics)}])
    improvements = [improvement("CSI-0001", status="implemented", services=["Service desk"],
                                metrics=["STOPPED", "WEEKLY-LATE", "GAPPY"],
                                log=[{"date": "2026-03-05", "note": "Live.",
                                      "status": "implemented"}])]
    snapshots = {f"{day}.yml": {"date": day, "values": found}
                 for day, found in sorted(values.items())}
    return write_register(root, register=register, improvements=improvements, metrics=metrics,
                          snapshots=snapshots)


@pytest.fixture(scope="module")
def register_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scenario(tmp_path_factory.mktemp("late") / "register")


@pytest.fixture(scope="module", params=("en", "de", "nb"))
def built(request: pytest.FixtureRequest, register_dir: Path,
          tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Site]:
    code = request.param
    site = build_site(register_dir, tmp_path_factory.mktemp(f"late-{code}") / "site",
                      language=None if code == "en" else code)
    assert site.returncode == 0, site.output
    return code, site


def text(fragment: str) -> str:
    """The words a sighted reader sees (a badge's meaning for screen readers left out)."""
    fragment = re.sub(r'<span class="csi-sr">[^<]*</span>', "", fragment)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


LATE_MARK = re.compile(r'<span class="csi-late"><a class="csi-badge csi-data csi-data--late" '
                       r'href="([^"]+)">([^<]+)<span class="csi-sr">: ([^<]*)</span></a> '
                       r"([^<]*)</span>")


def late_in(fragment: str) -> list[tuple[str, str, str, str]]:
    return LATE_MARK.findall(fragment)


def said(code: str, message: str, **values: str) -> str:
    with using(i18n.language(code)):
        return i18n._(message).format(**values)


def date_words(code: str, day: dt.date) -> str:
    with using(i18n.language(code)):
        return i18n.format_date(day)


def rows_of(fragment: str) -> dict[str, str]:
    """Table rows by the metric id they link to first."""
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", fragment, flags=re.S):
        ident = re.search(r'href="[^"]*metrics/([A-Z-]+)/"', row)
        if ident and ident.group(1) not in found:
            found[ident.group(1)] = row
    return found


@pytest.mark.build
def test_exactly_the_stopped_metrics_are_late_on_the_board(built: tuple[str, Site]) -> None:
    code, site = built
    page = site.page("/metrics/")
    board = page.split('csi-board-table"', 1)[1].split("</table>", 1)[0]
    groups = board.split('<tr class="csi-group">')[1:]
    needing = rows_of(groups[0])
    rows = rows_of(board)
    assert set(rows) == LATE | ON_TIME
    assert {ident for ident, row in rows.items() if late_in(row)} == LATE
    # Under "Needs attention" whatever the verdict: STOPPED's is "target met".
    assert LATE <= set(needing)
    assert 'csi-verdict--target-met' in rows["STOPPED"]
    for ident in sorted(LATE):
        newest = series()[ident][-1]
        ((href, word, meaning, since),) = late_in(rows[ident])
        with using(i18n.language(code)):
            assert (html.unescape(word), html.unescape(meaning)) == (
                words.data("late"), words.meaning("data", "late"))
        assert html.unescape(since) == said(code, "no value since {date}",
                                            date=date_words(code, newest))
        assert href == "../playbook/verdicts/#data-late"
        # its headline says the reading is as of that date
        assert date_words(code, newest) in text(rows[ident]).split(word)[0]


@pytest.mark.build
def test_the_late_word_links_to_its_line_in_the_glossary(built: tuple[str, Site]) -> None:
    code, site = built
    glossary = site.page("/playbook/verdicts/")
    assert 'id="data-late"' in glossary
    with using(i18n.language(code)):  # the verdicts page ships in every language
        word, meaning = words.data("late"), words.meaning("data", "late")
    line = re.search(r'<li><span id="data-late"></span><strong>([^<]+)</strong>: ([^<]+)</li>',
                     glossary)
    assert line and (html.unescape(line.group(1)), html.unescape(line.group(2))) == (word, meaning)


@pytest.mark.build
def test_a_late_metric_s_page_says_so_and_an_up_to_date_one_does_not(
        built: tuple[str, Site]) -> None:
    code, site = built
    as_of = "No value since {date} ({missing}). As of that date: {headline}"
    marker = said(code, as_of, date="\0", missing="\1",
                  headline="").split("\1")[1].strip()  # "). As of that date:"
    for ident in LATE | ON_TIME:
        page = site.page(f"/metrics/{ident}/")
        fields = page.split('class="csi-table csi-fields"', 1)[1].split("</table>", 1)[0]
        headline = html.unescape(
            re.search(r'<p class="csi-lead csi-headline">([^<]*)</p>', page).group(1))
        assert bool(late_in(fields)) is (ident in LATE), ident
        assert (marker in headline) is (ident in LATE), (ident, headline)
        if ident in LATE:
            assert headline.startswith(said(code, as_of, missing="\0", headline="",
                                            date=date_words(code, series()[ident][-1])
                                            ).split("\0")[0])
    frequency = site.page("/metrics/QUARTERLY/").split('class="csi-table csi-fields"', 1)[1]
    with using(i18n.language(code)):
        assert words.frequency("quarterly") in text(frequency.split("</table>", 1)[0])


@pytest.mark.build
def test_the_home_page_and_the_service_pages_mark_exactly_the_late_ones(
        built: tuple[str, Site]) -> None:
    _code, site = built
    signals = re.search(r'<div class="csi-signals".*?</div>', site.page("/"), re.S).group(0)
    listed = set(re.findall(r'<li><a href="metrics/([A-Z-]+)/"', signals))
    assert LATE <= listed
    marked = {ident for ident in listed
              if late_in(signals.split(f'href="metrics/{ident}/"', 1)[1].split("</li>", 1)[0])}
    assert marked == LATE
    for slug, expected in (("service-desk", {"STOPPED", "WEEKLY-LATE"}),
                           ("email", {"WEEKLY-LATE"}), ("network", set())):
        page = site.page(f"/services/{slug}/")
        measured = rows_of(page.split('id="metrics"', 1)[1].split("</table>", 1)[0])
        assert {ident for ident, row in measured.items() if late_in(row)} == expected, slug
    # the evidence of an improvement that aims to move them
    evidence = site.page("/register/CSI-0001/").split('id="evidence"', 1)[1].split("</table>")[0]
    assert {ident for ident, row in rows_of(evidence).items() if late_in(row)} == LATE
    # and the line naming each metric in its fields
    fields = site.page("/register/CSI-0001/").split('csi-fields"', 1)[1].split("</table>")[0]
    lines = {ident: re.split(r"<br>|</td>", fields.split(f'metrics/{ident}/"', 1)[1], 1)[0]
             for ident in ("STOPPED", "WEEKLY-LATE", "GAPPY")}
    assert {ident for ident, line in lines.items() if late_in(line)} == LATE


@pytest.mark.build
def test_a_gap_is_a_row_in_the_values_table_and_a_break_in_the_chart(
        built: tuple[str, Site]) -> None:
    code, site = built
    page = site.page("/metrics/GAPPY/")
    values = page.split('id="values"', 1)[1].split("</table>", 1)[0]
    cells = [text(row) for row in re.findall(r"<tr>(.*?)</tr>", values, flags=re.S)]
    with using(i18n.language(code)):
        missing = i18n.ngettext("no value for {count} month", "no value for {count} months",
                                3).format(count=3)
    gap = [index for index, row in enumerate(cells) if missing in row]
    assert len(gap) == 1, cells
    assert cells[gap[0] - 1].startswith("2026-05-31") and cells[gap[0] + 1].startswith("2026-09-30")
    assert cells[gap[0]].startswith("2026-06-30 – 2026-08-31")
    for other in ON_TIME - {"GAPPY"}:  # negative control: no gap, no row
        assert missing not in site.page(f"/metrics/{other}/")
    for narrow in (False, True):
        folder = site.root / "charts" / ("narrow" if narrow else "")
        assert line_segments(folder / "metric-GAPPY.svg") == 2, narrow
        assert line_segments(folder / "metric-WEEKLY-OK.svg") == 1, narrow


@pytest.mark.build
def test_a_late_metric_s_values_end_with_the_missing_ones_and_its_verdict_is_dated(
        built: tuple[str, Site]) -> None:
    """STOPPED's newest value is 31 July; on 25 November the values of August, September and
    October are due and missing (November's is not due yet)."""
    code, site = built
    with using(i18n.language(code)):
        missing = i18n._("{missing}, late").format(missing=i18n.ngettext(
            "no value for {count} month", "no value for {count} months", 3).format(count=3))
        as_of = i18n._("as of {date}").format(date=date_words(code, dt.date(2026, 7, 31)))
    values = site.page("/metrics/STOPPED/").split('id="values"', 1)[1].split("</table>", 1)[0]
    last = text(re.findall(r"<tr>(.*?)</tr>", values, flags=re.S)[-1])
    assert last.startswith("2026-08-31 – 2026-10-31") and missing in last, last
    board = rows_of(site.page("/metrics/").split('csi-board-table"', 1)[1].split("</table>", 1)[0])
    assert as_of in text(board["STOPPED"])
    for ident in ON_TIME:  # negative control: an up-to-date metric's verdict is not dated
        assert i18n.ngettext("no value for {count} month", "no value for {count} months", 3
                             ).format(count=3) not in text(board[ident])
        assert 'csi-as-of' not in board[ident]


def line_segments(svg: Path) -> int:
    """How many separate stretches the chart's line of measured values is drawn in."""
    group = re.search(r'<g id="measured-values">(.*?)</g>', svg.read_text(encoding="utf-8"),
                      flags=re.S)
    assert group, svg
    path = re.search(r'<path d="([^"]+)"', group.group(1)).group(1)
    return len(re.findall(r"M ", path))


@pytest.mark.build
def test_the_exports_carry_frequency_late_and_the_newest_date(built: tuple[str, Site]) -> None:
    code, site = built
    if code != "en":
        pytest.skip("the exports speak English whatever the site's language")
    (record,) = json.loads(site.page("/register.json"))
    assert record["frequency"] == {"STOPPED": "monthly", "WEEKLY-LATE": "weekly",
                                   "GAPPY": "monthly"}
    assert record["late"] == {"STOPPED": True, "WEEKLY-LATE": True, "GAPPY": False}
    assert record["newest_value"] == {"STOPPED": "2026-07-31", "WEEKLY-LATE": "2026-11-04",
                                      "GAPPY": "2026-10-31"}
    data = site.page("/register.csv")
    assert "STOPPED: true; WEEKLY-LATE: true; GAPPY: false" in data


def check(register_dir: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "csi_macros.cli", "check", "register", *options],
                          cwd=register_dir.parent, capture_output=True, text=True, timeout=120,
                          env={"SOURCE_DATE_EPOCH": BUILD_EPOCH, "PATH": "/usr/bin:/bin",
                               "PYTHONPATH": str(PROJECT)})


def test_csi_check_names_exactly_the_late_metrics_and_passes(register_dir: Path) -> None:
    result = check(register_dir)
    assert (result.returncode, result.stderr) == (0, "")
    named = re.findall(r"^register/metrics/([A-Z-]+)\.yml:\d+: suggestion: \1 is late: its newest "
                       r"value is dated (\S+),", result.stdout, flags=re.M)
    assert sorted(named) == [("STOPPED", "2026-07-31"), ("WEEKLY-LATE", "2026-11-04")]
    assert result.stdout.rstrip().endswith("2 suggestions")
    github = check(register_dir, "--format", "github")
    assert github.returncode == 0
    notices = re.findall(r"^::notice file=register/metrics/([A-Z-]+)\.yml,line=\d+::", github.stdout,
                         flags=re.M)
    assert sorted(notices) == sorted(LATE) and "::error" not in github.stdout


def test_a_frequency_outside_the_four_words_is_an_error_with_its_line(tmp_path: Path) -> None:
    for word in ("fortnightly", "Monthly"):
        root = write_register(tmp_path / word / "register", metrics=[metric(frequency=word)])
        lines = (root / "metrics" / "MTTR.yml").read_text(encoding="utf-8").splitlines()
        line = next(n for n, text in enumerate(lines, 1) if text.startswith("frequency:"))
        result = check(root)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.splitlines() == [
            f"register/metrics/MTTR.yml:{line}: frequency must be one of weekly, monthly, "
            f"quarterly, yearly; got '{word}'", "1 error"]
    root = write_register(tmp_path / "good" / "register", metrics=[metric(frequency="quarterly")])
    assert check(root).returncode == 0


@pytest.mark.build
def test_the_board_dates_its_newest_value_apart_from_the_build(built: tuple[str, Site]) -> None:
    code, site = built
    lead = text(re.search(r'<p class="csi-lead">(.*?)</p>', site.page("/metrics/"),
                          flags=re.S).group(1))
    newest = max(max(days) for days in series().values())  # WEEKLY-OK's, 20 November
    with using(i18n.language(code)):
        said_ = i18n.ngettext(
            "{count} metric, its newest value dated {newest}; page built on {date}.",
            "{count} metrics, the newest value dated {newest}; page built on {date}.", 5).format(
            count=5, newest=newest.isoformat(), date=TODAY.isoformat())
    assert lead.startswith(said_), lead
