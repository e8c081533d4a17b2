"""A metric's chart at its own grain (register format v1.3): the date axis names weeks,
months, quarters or years by its frequency, and the line of values is broken at each gap,
and only there, in the wide and the narrow version alike."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

from csi_macros.i18n import language, using
from csi_macros.readings.facts import load_register
from csi_macros.site import charts
from csi_macros.site.charts.draw import _tick_labels, date_ticks
from csi_macros.site.charts.metric import _line
from csi_macros.testing import metric, organisation, write_register

D = dt.date


def test_a_weekly_metric_over_a_few_weeks_is_ticked_by_week() -> None:
    ticks, form = date_ticks(D(2026, 9, 1), D(2026, 11, 20), 7, "weekly")
    assert form == "week" and 2 <= len(ticks) <= 7
    assert all(day.weekday() == 0 for day in ticks)  # Mondays
    with using(language("en")):
        labels = _tick_labels(ticks, form)
    assert labels[0].endswith("2026") and not labels[1].endswith("2026")
    # The same span for a monthly metric names months; a long weekly one too.
    assert date_ticks(D(2026, 9, 1), D(2026, 11, 20), 7, "monthly")[1] == "%Y-%m"
    assert date_ticks(D(2025, 9, 1), D(2026, 11, 20), 7, "weekly")[1] != "week"


def test_a_quarterly_metric_is_ticked_by_quarter() -> None:
    ticks, form = date_ticks(D(2025, 1, 1), D(2026, 9, 30), 7, "quarterly")
    assert form == "quarter" and all(day.month in (1, 4, 7, 10) for day in ticks)
    with using(language("en")):
        assert _tick_labels(ticks, form)[0] == "Q1 2025"
    with using(language("nb")):
        assert _tick_labels(ticks, form)[0] == "K1 2025"
    # A monthly metric over the same span may tick every two months: not quarters.
    assert date_ticks(D(2025, 1, 1), D(2026, 9, 30), 12, "monthly")[1] == "%Y-%m"


def test_the_line_breaks_at_gaps_and_nowhere_else() -> None:
    data = {"baseline": ["2026-01-31", 5],
            "points": [["2026-02-28", 6], ["2026-03-31", None], ["2026-04-30", 7],
                       ["2026-08-31", 8], ["2026-09-30", 9]],
            "gaps": [["2026-04-30", "2026-08-31"]]}
    days, values = _line(data)
    breaks = [index for index, value in enumerate(values) if math.isnan(value)]
    assert len(breaks) == 1
    assert days[breaks[0] - 1] == D(2026, 4, 30) and days[breaks[0] + 1] == D(2026, 8, 31)
    # A null that leaves no gap (a snapshot that skipped the metric) does not break it.
    assert D(2026, 3, 31) not in days
    assert not any(math.isnan(v) for v in _line({**data, "gaps": []})[1])


def test_both_versions_of_a_gapped_chart_are_broken_and_say_no_value(tmp_path: Path) -> None:
    months = [D(2026, m, 1) - dt.timedelta(days=1) for m in range(2, 13)]  # Jan … Nov ends
    kept = [day for day in months if day.month not in (5, 6, 7)]
    root = write_register(
        tmp_path / "register",
        register=organisation(objectives=[{"id": "OBJ-1", "title": "One", "metrics": ["M"]}]),
        metrics=[metric("M", baseline={"date": "2025-12-31", "value": 5})],
        snapshots=[{"date": day.isoformat(), "values": {"M": 5 + i % 2}}
                   for i, day in enumerate(kept)])
    register = load_register(root, today=D(2026, 12, 10))
    chart = charts.describe_chart(register, "metric-M")
    assert chart.data["gaps"] == [["2026-04-30", "2026-08-31"]]
    assert chart.data["frequency"] == "monthly" and chart.data["late"] is None
    style = charts.load_style()
    for narrow in (False, True):
        job = charts.Job(chart.name, chart.subject, chart.kind,
                         *chart.size(style, narrow), chart.data, style, narrow)
        svg = charts.draw_svg(job).decode()
        line = re.search(r'<g id="measured-values">.*?<path d="([^"]+)"', svg, flags=re.S)
        assert line and line.group(1).count("M ") == 2, narrow
        assert "no value" in svg
    assert "no value for 3 months" in " ".join(" ".join(row) for row in chart.table.rows)
