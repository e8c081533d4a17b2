"""The "Did we get there?" verdicts: each rule on a crafted series, both directions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from csi_macros import Point, load_register
from csi_macros.readings.behaviour import metric_behaviour
from csi_macros.i18n import format_date
from csi_macros.register.model import Baseline, Metric, Target
from csi_macros.testing import metric, snapshot, temporary_register
from csi_macros.readings.verdicts import (AT_RISK, NO_DATA, NO_TARGET, OFF_TRACK, ON_TRACK, TARGET_MET,
                                 VERDICT_STATUSES, format_number, metric_verdict)

D = dt.date.fromisoformat
DOCS = Path(__file__).resolve().parent.parent / "csi_macros" / "site" / "shipped" / "en" / "playbook" / "verdicts.md"


def judge(points: dict[str, float | None], *, lower: bool = True, baseline: float = 10,
          target: float | None = None, by: str | None = None, today: str = "2026-06-30"):
    """The verdict on a metric with its baseline on 2026-01-01 and `points` as snapshots."""
    direction = "lower_is_better" if lower else "higher_is_better"
    goal = Target(target, D(by) if by else None) if target is not None else None
    definition = Metric(id="M", name="M", description=None, unit="hours", direction=direction,
                        baseline=Baseline(D("2026-01-01"), baseline), target=goal)
    series = [Point(D(day), value, "") for day, value in sorted(points.items())]
    return metric_verdict(definition, series, metric_behaviour(definition, series), D(today))


# --- no data, no target, target met ---------------------------------------------------------

def test_no_snapshot_is_no_data() -> None:
    verdict = judge({}, target=5, by="2026-12-31")
    assert (verdict.status, verdict.latest, verdict.projection) == (NO_DATA, None, None)


def test_only_gaps_is_no_data_not_zero() -> None:
    verdict = judge({"2026-02-28": None, "2026-03-31": None}, target=5, by="2026-12-31")
    assert verdict.status == NO_DATA
    assert verdict.change is None


def test_values_before_the_baseline_do_not_count() -> None:
    assert judge({"2025-12-01": 3}, target=5, by="2026-12-31").status == NO_DATA


def test_no_target_still_reports_the_change() -> None:
    verdict = judge({"2026-02-28": 8})
    assert verdict.status == NO_TARGET
    assert (verdict.change, verdict.change_pct, verdict.gap_closed) == (-2, -20, None)
    assert verdict.latest == Point(D("2026-02-28"), 8, "")


@pytest.mark.parametrize("lower, latest, target", [(True, 5, 5), (True, 4, 5),
                                                    (False, 20, 20), (False, 21, 20)])
def test_latest_at_or_beyond_the_target_is_met(lower: bool, latest: float, target: float) -> None:
    assert judge({"2026-02-28": latest}, lower=lower, target=target,
                 by="2026-12-31").status == TARGET_MET


def test_met_even_after_the_target_date() -> None:
    assert judge({"2026-02-28": 4}, target=5, by="2026-03-31").status == TARGET_MET


def test_met_needs_the_latest_value_not_an_earlier_one() -> None:
    verdict = judge({"2026-02-28": 4, "2026-03-31": 9}, target=5, by="2026-03-31",
                    today="2026-04-15")
    assert verdict.status == OFF_TRACK


# --- the trend --------------------------------------------------------------------------------
# Baseline 10 on 2026-01-01, one snapshot of 9 ten days later: a pace of -0.1 a day. Twenty
# days more to 2026-01-31 take it to 7. So a target of 7 is reached, 6 and 5 half reached
# (5 exactly half), 4 not.

@pytest.mark.parametrize("target, status", [(7, ON_TRACK), (6, AT_RISK), (5, AT_RISK),
                                            (4, OFF_TRACK)])
def test_the_pace_decides_lower_is_better(target: float, status: str) -> None:
    verdict = judge({"2026-01-11": 9}, target=target, by="2026-01-31", today="2026-01-11")
    assert verdict.status == status
    assert verdict.pace == pytest.approx(-0.1)
    assert verdict.projected == pytest.approx(7)


@pytest.mark.parametrize("target, status", [(13, ON_TRACK), (14, AT_RISK), (15, AT_RISK),
                                            (16, OFF_TRACK)])
def test_the_pace_decides_higher_is_better(target: float, status: str) -> None:
    verdict = judge({"2026-01-11": 11}, lower=False, target=target, by="2026-01-31",
                    today="2026-01-11")
    assert verdict.status == status


@pytest.mark.parametrize("lower, latest", [(True, 11), (False, 9)])
def test_moving_away_is_off_track(lower: bool, latest: float) -> None:
    verdict = judge({"2026-02-01": latest}, lower=lower, target=5 if lower else 15,
                    by="2026-12-31", today="2026-02-01")
    assert verdict.status == OFF_TRACK
    assert "not moving toward" in verdict.reason


def test_standing_still_is_off_track() -> None:
    assert judge({"2026-02-01": 10, "2026-03-01": 10}, target=5,
                 by="2026-12-31").status == OFF_TRACK


def test_a_passed_target_date_is_off_track_whatever_the_trend() -> None:
    verdict = judge({"2026-02-01": 8, "2026-03-01": 6}, target=5, by="2026-04-30",
                    today="2026-05-15")
    assert verdict.status == OFF_TRACK
    assert f"{format_date(dt.date(2026, 4, 30))} has passed" in verdict.reason  # prose date


@pytest.mark.parametrize("lower, latest, status", [(True, 8, ON_TRACK), (True, 12, OFF_TRACK),
                                                   (True, 10, OFF_TRACK), (False, 12, ON_TRACK),
                                                   (False, 8, OFF_TRACK)])
def test_without_a_target_date_the_direction_decides(lower: bool, latest: float,
                                                     status: str) -> None:
    verdict = judge({"2026-02-01": latest}, lower=lower, target=2 if lower else 50)
    assert verdict.status == status
    assert "no target date" in verdict.reason


def test_a_single_snapshot_is_trended_from_the_baseline() -> None:
    verdict = judge({"2026-01-21": 8}, target=1, by="2026-12-31", today="2026-02-01")
    assert verdict.points_used == 2
    assert verdict.pace == pytest.approx(-2 / 20)


def test_gaps_are_left_out_of_the_trend() -> None:
    steady = {"2026-02-01": 9, "2026-03-01": 8, "2026-04-01": 7}
    gappy = {**steady, "2026-01-15": None, "2026-03-15": None}
    assert judge(gappy, target=2, by="2026-12-31") == judge(steady, target=2, by="2026-12-31")


def test_a_gap_after_the_last_value_keeps_that_value_as_latest() -> None:
    verdict = judge({"2026-02-01": 9, "2026-03-01": None}, target=2, by="2026-12-31")
    assert verdict.latest == Point(D("2026-02-01"), 9, "")


def test_only_the_last_six_points_make_the_trend() -> None:
    # Worse for three months, then better by 1 a month for six: the old climb is forgotten.
    early = {"2026-01-31": 11, "2026-02-28": 12, "2026-03-31": 13}
    recent = {f"2026-{month:02d}-01": 20 - month for month in range(4, 10)}
    verdict = judge({**early, **recent}, target=5, by="2026-12-31", today="2026-09-01")
    assert verdict.points_used == 6
    assert verdict.pace == pytest.approx(-5 / 153, rel=0.01)
    assert verdict.status == AT_RISK  # about 7 by the end of the year: 4 of the 6 to go
    assert judge({**early, **recent}, target=9, by="2026-12-31",
                 today="2026-09-01").status == ON_TRACK


# --- the numbers around the status ------------------------------------------------------------

def test_change_and_share_of_the_gap_closed() -> None:
    verdict = judge({"2026-02-01": 7}, target=4, by="2026-12-31")
    assert (verdict.change, verdict.change_pct, verdict.gap_closed) == (-3, -30, 0.5)


def test_a_zero_baseline_has_no_percentage_change() -> None:
    verdict = judge({"2026-02-01": 3}, lower=False, baseline=0, target=10, by="2026-12-31")
    assert verdict.change_pct is None
    assert verdict.gap_closed == pytest.approx(0.3)


def test_the_projection_runs_from_the_latest_value_to_the_target_date() -> None:
    verdict = judge({"2026-01-11": 9}, target=6, by="2026-01-31", today="2026-01-11")
    assert verdict.projection is not None
    assert verdict.projection.dates == (D("2026-01-11"), D("2026-01-31"))
    assert verdict.projection.values == pytest.approx((9, 7))


def test_format_number() -> None:
    assert [format_number(v) for v in (10, 12.5, 0.25, 1234567.891, -0.001, 3.0)] == \
        ["10", "12.5", "0.25", "1,234,567.89", "0", "3"]


# --- through the register ---------------------------------------------------------------------

def test_register_verdicts_from_real_files() -> None:
    metrics = [metric("MTTR", target={"value": 4, "date": "2026-12-31"}),
               metric("CSAT", unit="%", direction="higher_is_better",
                      baseline={"date": "2026-01-01", "value": 70}),
               metric("EMPTY")]
    snapshots = [snapshot("2026-02-28", MTTR=9, CSAT=72, EMPTY=None),
                 snapshot("2026-03-31", MTTR=None, CSAT=75),
                 snapshot("2026-04-30", MTTR=8)]
    with temporary_register(metrics=metrics, snapshots=snapshots) as root:
        register = load_register(root, today=D("2026-05-15"))
    assert list(register.verdicts) == ["CSAT", "EMPTY", "MTTR"]
    assert {k: v.status for k, v in register.verdicts.items()} == {
        "CSAT": NO_TARGET, "EMPTY": NO_DATA, "MTTR": ON_TRACK}
    assert register.verdicts["MTTR"].latest == Point(D("2026-04-30"), 8, "")


def test_a_snapshot_whose_source_says_baseline_is_still_a_measurement() -> None:
    snapshots = [{"date": "2026-02-28", "source": "baseline", "values": {"MTTR": 7}}]
    with temporary_register(snapshots=snapshots) as root:
        register = load_register(root, today=D("2026-03-01"))
    assert register.verdicts["MTTR"].latest == Point(D("2026-02-28"), 7, "baseline")
    assert [v.value for v in register.behaviour["MTTR"].values] == [10, 7]


def test_few_values_say_so() -> None:
    verdict = judge({"2026-02-01": 9, "2026-03-01": 8}, target=2, by="2026-12-31")
    assert verdict.few_values == 3
    assert "rests on 3 values" in verdict.reason
    assert "3 values" in verdict.headline


def test_the_docs_page_names_every_status() -> None:
    page = DOCS.read_text(encoding="utf-8")
    for status in VERDICT_STATUSES:
        assert f"**{status}**" in page, status
