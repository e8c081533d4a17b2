"""`readings/cadence.py`: a metric's period (its `frequency`, or read from its dates), whether
it is late at the build date, and the gaps between its values (register format v1.3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from csi_macros.i18n import language, using
from csi_macros.readings import cadence
from csi_macros.readings.cadence import (FROM_DATES, FROM_DEFAULT, FROM_FILE, Gap, add_periods,
                                         infer_frequency, periods_between)
from csi_macros.readings.facts import load_register
from csi_macros.readings.verdicts import NEEDS_ATTENTION
from csi_macros.testing import metric, organisation, write_register

D = dt.date
TODAY = D(2026, 11, 25)
ORGANISATION = organisation(objectives=[{"id": "OBJ-1", "title": "One", "metrics": ["M"]}])


def month_ends(first: D, count: int, step: int = 1) -> list[D]:
    return [add_periods(first, index * step, "monthly") for index in range(count)]


def weeks(first: D, count: int) -> list[D]:
    return [first + dt.timedelta(weeks=index) for index in range(count)]


def read(tmp_path: Path, dates: list[D], today: D = TODAY, **overrides):
    """The cadence of a metric whose baseline is the first date and whose values lie on the
    others, read from a register written to disk and loaded as the site loads it."""
    snapshots = {f"{day}.yml": {"date": day.isoformat(), "values": {"M": 10 + index % 3}}
                 for index, day in enumerate(dates[1:])}
    root = write_register(tmp_path / "register", metrics=[metric(
        "M", baseline={"date": dates[0].isoformat(), "value": 10}, **overrides)],
        register=ORGANISATION, snapshots=snapshots)
    return load_register(root, today=today)


# --- distances and dates ---------------------------------------------------------------------

@pytest.mark.parametrize(("start", "end", "frequency", "expected"), [
    (D(2026, 1, 31), D(2026, 2, 28), "monthly", 1.0),      # month end to month end
    (D(2026, 2, 28), D(2026, 3, 31), "monthly", 1.0),
    (D(2026, 1, 31), D(2026, 4, 30), "monthly", 3.0),
    (D(2026, 3, 31), D(2026, 9, 30), "quarterly", 2.0),
    (D(2024, 12, 31), D(2026, 6, 30), "yearly", 1.5),
    (D(2026, 11, 4), D(2026, 11, 25), "weekly", 3.0),
])
def test_periods_count_calendar_months_and_weeks(start: D, end: D, frequency: str,
                                                 expected: float) -> None:
    assert periods_between(start, end, frequency) == pytest.approx(expected)


def test_a_month_end_stays_a_month_end() -> None:
    assert add_periods(D(2026, 1, 31), 1, "monthly") == D(2026, 2, 28)
    assert add_periods(D(2026, 2, 28), 1, "monthly") == D(2026, 3, 31)
    assert add_periods(D(2026, 1, 15), 1, "monthly") == D(2026, 2, 15)
    assert add_periods(D(2026, 9, 30), 1, "quarterly") == D(2026, 12, 31)
    assert add_periods(D(2026, 11, 4), 2, "weekly") == D(2026, 11, 18)


@pytest.mark.parametrize(("dates", "expected"), [
    (weeks(D(2026, 8, 5), 10), "weekly"),
    ([D(2026, 8, 1) + dt.timedelta(days=14 * n) for n in range(6)], "weekly"),  # fortnightly
    (month_ends(D(2025, 1, 31), 12), "monthly"),
    (month_ends(D(2024, 3, 31), 8, step=3), "quarterly"),
    ([D(2020 + n, 12, 31) for n in range(4)], "yearly"),
    # A gap in monthly data does not make it quarterly: the typical gap is the median.
    ([*month_ends(D(2025, 1, 31), 6), *month_ends(D(2025, 11, 30), 4)], "monthly"),
    (month_ends(D(2025, 1, 31), 2), None),                   # too few to tell
])
def test_the_frequency_is_read_from_the_typical_gap(dates: list[D], expected: str | None) -> None:
    assert infer_frequency(dates) == expected


# --- late and gaps, from a register -------------------------------------------------------------

def test_a_monthly_metric_four_months_behind_is_late(tmp_path: Path) -> None:
    register = read(tmp_path, month_ends(D(2025, 12, 31), 8))  # newest: 31 July 2026
    found = register.cadence["M"]
    assert (found.frequency, found.source, found.newest, found.late) == (
        "monthly", FROM_DATES, D(2026, 7, 31), True)
    assert register.attention["M"] < NEEDS_ATTENTION
    # the values due on 31 August, 30 September and 31 October never came (25 November:
    # November's is not due yet)
    assert found.overdue == 3
    assert register.verdicts["M"].headline.startswith(
        "No value since July 31, 2026 (3 months missing). As of that date: ")


def test_late_starts_beyond_one_and_a_half_periods(tmp_path: Path) -> None:
    """Negative control: the same metric a month and a half after its newest value is not
    late yet, a day later it is."""
    dates = month_ends(D(2025, 12, 31), 11)  # newest: 31 October 2026
    assert not read(tmp_path / "a", dates, today=D(2026, 12, 15)).cadence["M"].late
    assert read(tmp_path / "b", dates, today=D(2026, 12, 16)).cadence["M"].late
    assert not read(tmp_path / "c", dates).cadence["M"].late


def test_weekly_and_quarterly_metrics_are_judged_by_their_own_period(tmp_path: Path) -> None:
    up_to_date = read(tmp_path / "a", weeks(D(2026, 8, 7), 16), frequency="weekly")  # 20 Nov
    three_weeks = read(tmp_path / "b", weeks(D(2026, 8, 12), 13))  # 4 Nov, read as weekly
    quarterly = read(tmp_path / "c", month_ends(D(2024, 12, 31), 8, step=3),
                     frequency="quarterly")  # newest 30 September 2026
    as_monthly = read(tmp_path / "d", month_ends(D(2024, 12, 31), 8, step=3),
                      frequency="monthly")
    assert up_to_date.cadence["M"].late is False
    assert up_to_date.cadence["M"].source == FROM_FILE
    assert three_weeks.cadence["M"].frequency == "weekly"
    assert three_weeks.cadence["M"].late is True
    assert (three_weeks.cadence["M"].overdue, up_to_date.cadence["M"].overdue) == (3, 0)
    assert quarterly.cadence["M"].late is False
    assert as_monthly.cadence["M"].late is True  # the same dates, monthly: late


def test_a_metric_with_only_its_baseline_is_monthly_by_default(tmp_path: Path) -> None:
    register = read(tmp_path, [D(2026, 10, 31)])
    found = register.cadence["M"]
    assert (found.frequency, found.source, found.newest, found.late) == (
        "monthly", FROM_DEFAULT, D(2026, 10, 31), False)


def test_a_three_month_gap_is_found_and_counted(tmp_path: Path) -> None:
    dates = [*month_ends(D(2025, 10, 31), 8), *month_ends(D(2026, 9, 30), 2)]  # no Jun–Aug
    found = read(tmp_path, dates).cadence["M"]
    assert found.gaps == (Gap(D(2026, 5, 31), D(2026, 9, 30), 3),)
    assert found.missing_dates(found.gaps[0]) == (D(2026, 6, 30), D(2026, 7, 31),
                                                  D(2026, 8, 31))
    assert not found.late


def test_a_null_is_not_a_value_and_one_missing_month_is_a_gap(tmp_path: Path) -> None:
    """A snapshot that leaves the metric unmeasured: the values either side are two months
    apart, one gap of one month. A month and a half apart is not a gap yet."""
    root = write_register(tmp_path / "register", register=ORGANISATION, metrics=[metric(
        "M", baseline={"date": "2026-01-31", "value": 10})], snapshots=[
        {"date": "2026-02-28", "values": {"M": 9}}, {"date": "2026-03-31", "values": {"M": None}},
        {"date": "2026-04-30", "values": {"M": 8}}, {"date": "2026-06-14", "values": {"M": 8}}])
    found = load_register(root, today=D(2026, 6, 20)).cadence["M"]
    assert found.gaps == (Gap(D(2026, 2, 28), D(2026, 4, 30), 1),)


def test_the_process_behaviour_reads_the_values_that_exist(tmp_path: Path) -> None:
    """A gap changes nothing of the reading: the same values without the gap read alike."""
    values = [5, 6, 5, 7, 6, 5, 6, 7, 5, 6, 6, 5, 7, 6]
    gapped = [*month_ends(D(2025, 1, 31), 8), *month_ends(D(2025, 12, 31), 6)]
    steady = month_ends(D(2025, 1, 31), 14)
    readings = []
    for name, dates in (("gapped", gapped), ("steady", steady)):
        root = write_register(tmp_path / name / "register", register=ORGANISATION, metrics=[metric(
            "M", baseline={"date": dates[0].isoformat(), "value": values[0]})], snapshots=[
            {"date": day.isoformat(), "values": {"M": value}}
            for day, value in zip(dates[1:], values[1:])])
        register = load_register(root, today=dates[-1])
        behaviour = register.behaviour["M"]
        readings.append((behaviour.latest.limits, [v.label for v in behaviour.values]))
        assert bool(register.cadence["M"].gaps) is (name == "gapped")
    assert readings[0] == readings[1]


# --- the words -----------------------------------------------------------------------------------

def test_words_name_the_metric_s_own_period() -> None:
    gap = Gap(D(2026, 5, 31), D(2026, 9, 30), 3)
    with using(language("en")):
        assert cadence.missing_text(gap, "monthly") == "no value for 3 months"
        assert cadence.missing_text(Gap(D(2026, 1, 1), D(2026, 1, 15), 1), "weekly") == \
            "no value for 1 week"
        assert cadence.after_each("quarterly") == "quarter after quarter"
        assert cadence.when(D(2026, 8, 15), "quarterly") == "Q3 2026"
        assert cadence.when(D(2026, 8, 15), "monthly") == "August 2026"
        assert cadence.when(D(2026, 8, 15), "weekly") == "August 15, 2026"
        assert cadence.when(D(2026, 8, 15), "yearly") == "2026"
    with using(language("de")):
        assert cadence.missing_text(gap, "monthly") == "3 Monate ohne Wert"
        assert cadence.after_each("weekly") == "Woche für Woche"
    with using(language("nb")):
        assert cadence.missing_text(gap, "quarterly") == "ingen verdi i 3 kvartaler"
        assert cadence.in_some("weekly") == "noen uker"


def test_a_badge_s_meaning_speaks_of_its_metric_s_period() -> None:
    from csi_macros.readings import words
    with using(language("en")):
        assert words.meaning("assurance", "hit and miss", "quarterly") == (
            "The target lies within the process limits: it is met in some quarters and missed "
            "in others.")
        assert words.cause("consistently fails", "weekly") == (
            "The process falls short of the target every week: it has to change.")
        assert "month after month" in words.meaning("verdict", "target met")  # the default
    with using(language("de")):
        assert "Quartal für Quartal" in words.meaning("verdict", "target met", "quarterly")


def test_a_weekly_metric_s_headline_speaks_of_weeks(tmp_path: Path) -> None:
    """A process that meets its target every time: "week after week" for a weekly metric,
    "month after month" for the same values monthly."""
    values = [50, 52, 51, 53, 50, 52, 51, 53, 52, 51, 50, 52, 53]
    headlines = {}
    for frequency, dates in (("weekly", weeks(D(2026, 8, 19), 13)),
                             ("monthly", month_ends(D(2025, 11, 30), 13))):
        root = write_register(tmp_path / frequency / "register", register=ORGANISATION,
                              metrics=[metric(
            "M", direction="higher_is_better", frequency=frequency, target={"value": 40},
            baseline={"date": dates[0].isoformat(), "value": values[0]})], snapshots=[
            {"date": day.isoformat(), "values": {"M": value}}
            for day, value in zip(dates[1:], values[1:])])
        with using(language("en")):
            headlines[frequency] = load_register(root, today=dates[-1]).verdicts["M"].headline
    assert "week after week" in headlines["weekly"]
    assert "month" not in headlines["weekly"]
    assert "month after month" in headlines["monthly"]
