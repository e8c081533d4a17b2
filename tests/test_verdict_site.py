"""One answer per metric on the built site: the headline first, verdicts that agree with
variation and assurance, the rebase advice after an explained shift, and `csi check`
listing the same advice as a suggestion."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from csi_macros import load_register
from csi_macros.testing import improvement, metric, organisation, snapshot, write_register
from sitebuild import BUILD_EPOCH, PROJECT, Site, build_site

pytestmark = pytest.mark.build

TODAY = dt.datetime.fromtimestamp(int(BUILD_EPOCH), dt.timezone.utc).date()
DAYS = [(dt.date(2025, 3 + i, 1) if i < 10 else dt.date(2026, i - 9, 1)) - dt.timedelta(days=1)
        for i in range(20)]  # month ends, February 2025 to September 2026
# Satisfaction steady around 50, then a step to about 60 after CSI-0009 went live in
# December 2025: a sustained shift, short of the target of 70.
STEP = [51, 49, 50, 52, 50, 49, 51, 50, 50, 51, 49, 60, 61, 59, 60, 61, 60, 59, 60, 61]
# A noisy stable process whose last month beats its target: one lucky month.
LUCKY = [62, 68, 64, 71, 66, 63, 69, 65, 70, 64, 67, 66, 70, 64, 65, 68, 63, 69, 66, 72]


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def article(page: str) -> str:
    return page.split("<article", 1)[1].split("</article>", 1)[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Path]:
    folder = tmp_path_factory.mktemp("verdicts")
    root = write_register(
        folder / "register",
        register=organisation(objectives=[{"id": "OBJ-1", "title": "Happier users",
                                           "metrics": ["CSAT", "SPEED"]}]),
        metrics=[metric("CSAT", unit="%", direction="higher_is_better",
                        baseline={"date": "2025-01-31", "value": 50},
                        target={"value": 70, "date": "2027-12-31"}),
                 metric("SPEED", unit="%", direction="higher_is_better",
                        baseline={"date": "2025-01-31", "value": 66},
                        target={"value": 70, "date": "2027-12-31"})],
        improvements=[improvement("CSI-0009", title="Self-service portal", raised="2025-01-10",
                                  status="implemented", metrics=["CSAT"],
                                  log=[{"date": "2025-12-15", "note": "Live",
                                        "status": "implemented"}])],
        snapshots=[snapshot(day.isoformat(), CSAT=step, SPEED=lucky)
                   for day, step, lucky in zip(DAYS, STEP, LUCKY)])
    site = build_site(root, folder / "site")
    assert site.returncode == 0, site.output
    return site, root


def test_the_headline_comes_first_on_the_metric_page(built) -> None:
    site, root = built
    register = load_register(root, today=TODAY)
    for metric_id in ("CSAT", "SPEED"):
        body = article(site.page(f"/metrics/{metric_id}/"))
        first = re.search(r"<p[^>]*>(.*?)</p>", body, flags=re.S)
        assert first is not None
        assert text(first.group(1)) == text(html.escape(register.verdicts[metric_id].headline))


def test_one_lucky_month_is_not_the_target_met(built) -> None:
    site, _ = built
    body = text(article(site.page("/metrics/SPEED/")))
    assert "at risk" in body and "hit and miss" in body
    assert "target met" not in body
    assert "Will meet the target of 70% in some months" in body


def test_the_step_reads_one_answer_and_suggests_the_rebase(built) -> None:
    site, _ = built
    page = article(site.page("/metrics/CSAT/"))
    body = text(page)
    assert body.count("off track") >= 1 and "consistently fails" in body
    assert "special cause: improvement" in body
    # v1.3: the shift is read as its own, provisional phase.
    assert ("Better since January 2026: about 60% since then (9 values, provisional), "
            "still short of the target of 70%") in body
    advice = text(page.split('id="rebase"', 1)[1].split("<h2", 1)[0])
    assert "CSI-0009" in advice and "Making Data Count recalculates" in advice
    assert "earlier values read as special causes of concern" in advice
    assert "rebase: [2026-01-31]" in advice


def test_no_trend_line_is_drawn_from_a_shift_or_from_noise(built) -> None:
    site, _ = built
    for metric_id in ("CSAT", "SPEED"):
        body = text(article(site.page(f"/metrics/{metric_id}/")))
        assert "trend" not in body.split("Data behind this chart", 1)[-1].lower()


def test_check_lists_the_rebase_as_a_suggestion_not_an_error(built) -> None:
    _, root = built
    result = subprocess.run([sys.executable, "-m", "csi_macros.cli", "check", str(root)],
                            capture_output=True, text=True, cwd=PROJECT,
                            env={"SOURCE_DATE_EPOCH": BUILD_EPOCH, "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    found = [line for line in lines if "suggestion:" in line]
    suggestion = [line for line in found if "rebase" in line]
    assert len(suggestion) == 1
    assert suggestion[0].startswith(f"{(root / 'metrics' / 'CSAT.yml').as_posix()}:")
    assert "CSI-0009" in suggestion[0] and "'rebase: [2026-01-31]'" in suggestion[0]
    # The values end in September and the build is in late November: both metrics are late
    # too, each a suggestion of its own.
    assert sorted(line.split("suggestion: ")[1].split(" ")[0] for line in found
                  if " is late: " in line) == ["CSAT", "SPEED"]
    assert lines[-1] == f"{len(found)} suggestions"
    github = subprocess.run([sys.executable, "-m", "csi_macros.cli", "check", str(root),
                             "--format", "github"], capture_output=True, text=True,
                            cwd=PROJECT, env={"SOURCE_DATE_EPOCH": BUILD_EPOCH,
                                              "PATH": "/usr/bin:/bin"})
    assert github.returncode == 0
    assert any(line.startswith("::notice file=") for line in github.stdout.splitlines())


def test_every_verdict_in_the_exports_agrees_with_its_readings(built) -> None:
    site, root = built
    register = load_register(root, today=TODAY)
    agree = {"consistently passes": "target met", "hit and miss": "at risk",
             "consistently fails": "off track"}
    for m in register.metrics:
        behaviour, verdict = register.behaviour[m.id], register.verdicts[m.id]
        if behaviour.variation == "special cause: concern":
            assert verdict.status == "off track"
        elif behaviour.assurance in agree:
            assert verdict.status == agree[behaviour.assurance], m.id
    assert json.loads(site.page("/register.json"))
