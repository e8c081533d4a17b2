"""Process behaviour on the built site: the Evidence section, the Variation and Assurance
columns, the home page's concerns, the chart's text alternative and the exports."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from csi_macros import load_register
from csi_macros.testing import improvement, metric, organisation, snapshot, write_register
from sitebuild import BUILD_EPOCH, Site, build_site

pytestmark = pytest.mark.build

MONTHS = ["2025-11-30", "2025-12-31", "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30",
          "2026-05-31", "2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31"]
# Waiting time halves after CSI-0001 is implemented on 2026-04-30.
WAIT = [11, 9, 10, 11, 10, 9, 6, 5, 6, 6, 5, 6]
# Satisfaction steady around 50, then one very bad month: the latest value is a concern.
HAPPY = [50, 52, 49, 51, 50, 52, 49, 50, 51, 50, 49, 20]


def text(page: str) -> str:
    """The words of a page's article."""
    article = page.split("<article", 1)[1].split("</article>", 1)[0]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", article)))


def row_of(page: str, needle: str) -> str:
    """The text of the first table row holding `needle`."""
    for row in re.findall(r"<tr>.*?</tr>", page, flags=re.S):
        if needle in row:
            return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", row)))
    raise AssertionError(f"no row with {needle!r}")


def evidence_of(page: str) -> str:
    """The Evidence section of an improvement's page."""
    assert 'id="evidence"' in page
    return page.split('id="evidence"', 1)[1].split("<h2", 1)[0]


LIVE = [{"date": "2026-04-30", "note": "Live", "status": "implemented"}]


def quicker_happier(root: Path, improvements: list[dict]) -> Path:
    """A register of two metrics, WAIT (halves after 2026-04-30) and HAPPY (one very bad
    month at the end), and `improvements`, written at `root`."""
    return write_register(
        root,
        register=organisation(objectives=[{"id": "OBJ-1", "title": "Quicker, happier",
                                           "metrics": ["WAIT", "HAPPY"]}]),
        metrics=[metric("WAIT", baseline={"date": "2025-10-31", "value": 10},
                        target={"value": 4, "date": "2027-06-30"}),
                 metric("HAPPY", unit="%", direction="higher_is_better",
                        baseline={"date": "2025-10-31", "value": 51})],
        improvements=improvements,
        snapshots=[snapshot(day, WAIT=w, HAPPY=h) for day, w, h in zip(MONTHS, WAIT, HAPPY)])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Path]:
    folder = tmp_path_factory.mktemp("behaviour")
    root = quicker_happier(folder / "register", [
        improvement("CSI-0001", status="implemented", metrics=["WAIT", "HAPPY"], log=LIVE),
        improvement("CSI-0002", metrics=["WAIT"])])
    site = build_site(root, folder / "site")
    assert site.returncode == 0, site.output
    return site, root


def register(root: Path):
    import datetime as dt
    return load_register(root, today=dt.datetime.fromtimestamp(int(BUILD_EPOCH),
                                                                 dt.timezone.utc).date())


def test_the_improvement_page_has_its_evidence(built) -> None:
    site, _ = built
    page = evidence_of(site.page("/register/CSI-0001/"))
    wait = row_of(page, "metrics/WAIT/")
    assert "signal of improvement" in wait
    assert "mean 10 hours (7 values)" in wait and "mean 5.67 hours (6 values)" in wait
    assert "moved after" in wait
    happy = row_of(page, "metrics/HAPPY/")
    assert "signal of concern" in happy
    assert "caused by" not in html.unescape(page).replace("is not “caused by”", "")


def test_an_improvement_not_yet_implemented_says_so(built) -> None:
    site, _ = built
    page = evidence_of(site.page("/register/CSI-0002/"))
    assert "not implemented yet" in row_of(page, "metrics/WAIT/")


def test_variation_and_assurance_stand_beside_the_verdict(built) -> None:
    site, root = built
    found = register(root).behaviour
    for address in ("/metrics/", "/objectives/", "/playbook/measurement/"):
        page = site.page(address)
        headers = re.findall(r'<th scope="col">([^<]+)</th>', page)
        assert headers[headers.index("Verdict"):headers.index("Verdict") + 3] == [
            "Verdict", "Variation", "Assurance"], address
        for metric_id in ("WAIT", "HAPPY"):
            row = row_of(page, f'metrics/{metric_id}/"')
            assert metric_id in row
            assert found[metric_id].variation in row and found[metric_id].assurance in row
    assert found["HAPPY"].variation == "special cause: concern"
    assert found["HAPPY"].assurance == "no target"


def test_the_home_page_names_the_metrics_that_need_attention(built) -> None:
    site, root = built
    words = text(site.page("/"))
    headline = register(root).verdicts["HAPPY"].headline
    assert "HAPPY" in words and "need attention" in words
    assert re.sub(r"\s+", " ", headline) in words
    assert "WAIT Metric WAIT special cause" not in words


def test_the_metric_page_reads_its_process(built) -> None:
    site, root = built
    page = site.page("/metrics/HAPPY/")
    assert "special cause: concern" in row_of(page, ">Variation<")
    values = page.split('id="values"', 1)[1]
    assert "2026-10-31" in row_of(values, "special cause: concern")
    # 49 lies above a mean pulled down by the 20: one of 12 in a row above it
    labels = {str(v.date): v.label for v in register(root).behaviour["HAPPY"].values}
    assert labels["2026-09-30"] == "special cause: improvement"
    assert labels["2026-09-30"] in row_of(values, "2026-09-30")


def test_the_chart_lists_every_value_with_its_class(built) -> None:
    site, root = built
    page = site.page("/metrics/WAIT/")
    alt = html.unescape(re.search(r'<img src="[^"]*metric-WAIT\.svg" alt="([^"]*)"', page)[1])
    for value in register(root).behaviour["WAIT"].values:
        assert f"{value.date} " in alt
        assert f"({value.label})" in alt
    svg = (site.root / "charts" / "metric-WAIT.svg").read_text(encoding="utf-8")
    assert "process limits" in svg and "mean" in svg


def test_the_exports_carry_the_readings(built) -> None:
    site, root = built
    records = {r["id"]: r for r in json.loads((site.root / "register.json").read_text())}
    found = register(root).behaviour
    assert records["CSI-0001"]["variation"] == {m: found[m].variation for m in ("WAIT", "HAPPY")}
    assert records["CSI-0001"]["evidence"] == {"WAIT": "signal of improvement",
                                              "HAPPY": "signal of concern"}
    csv_text = (site.root / "register.csv").read_text(encoding="utf-8-sig")
    assert "WAIT: signal of improvement; HAPPY: signal of concern" in csv_text


def test_the_sample_register_shows_a_shift_and_a_rebase() -> None:
    root = Path(__file__).resolve().parent.parent / "register"
    sample = register(root)
    kb = sample.behaviour["KB-USE"]
    assert len(kb.phases) == 2 and kb.phases[1].limits is not None
    assert any(e.signal == "signal of improvement"
               for e in sample.evidence(sample.improvement["CSI-0002"]) if e.metric_id == "KB-USE")
