"""The verdict where the process has limits: one answer per metric.

Each series is designed to tell a reading apart (a lucky month in a hit-and-miss process, a
noisy stable process, a step up after an improvement, a trend, a concern), and every test
checks that the verdict agrees with variation and assurance (register format v1.2), or, where
the process is changing or its deadline has passed, with the v1.3 rules that come first.
"""

from __future__ import annotations

import datetime as dt

import pytest

from csi_macros import Point, load_register
from csi_macros.readings.behaviour import (COMMON_CAUSE, CONCERN, FAILS, HIT_AND_MISS, IMPROVEMENT,
                                  NO_TARGET as NO_TARGET_ASSURANCE, PASSES, metric_behaviour)
from csi_macros.register.model import Baseline, Metric, Target
from csi_macros.testing import improvement, metric, month_ends, snapshot, temporary_register
from csi_macros.readings.change import SHIFT
from csi_macros.readings.changing import DEADLINE_MISSED
from csi_macros.readings.verdicts import (AT_RISK, BY_ASSURANCE, NO_TARGET, OFF_TRACK, ON_TRACK,
                                          TARGET_MET, metric_verdict)

D = dt.date.fromisoformat
STEADY = [50, 51, 49, 50, 52, 50, 49, 51, 50, 50, 51, 49]  # 12 values, limits about 47 to 53


def read(values: list[float], *, target: float | None = 70, by: str | None = "2027-12-31",
         higher: bool = True, today: str = "2026-12-31"):
    """The behaviour and verdict of a metric in % whose baseline is the first value."""
    days = month_ends(len(values))
    goal = Target(target, D(by) if by else None) if target is not None else None
    definition = Metric(id="M", name="M", description=None, unit="%",
                        direction="higher_is_better" if higher else "lower_is_better",
                        baseline=Baseline(days[0], values[0]), target=goal)
    series = [Point(day, value) for day, value in zip(days[1:], values[1:])]
    behaviour = metric_behaviour(definition, series)
    verdict = metric_verdict(definition, series, behaviour, D(today))
    assert_agrees(behaviour, verdict)
    return behaviour, verdict


def assert_agrees(behaviour, verdict) -> None:
    """The contract's rules: a missed deadline is off track; a changing process with a
    target is read by its pace (a trend) or its own provisional phase (a shift), v1.3;
    otherwise the verdict never contradicts variation and assurance (v1.2)."""
    change = verdict.changing
    if verdict.cause == DEADLINE_MISSED:
        assert verdict.status == OFF_TRACK
    elif change is not None and behaviour.assurance in BY_ASSURANCE:
        if change.kind == SHIFT:
            expected = (OFF_TRACK if change.variation == CONCERN
                        else BY_ASSURANCE[change.assurance])
            assert verdict.status == expected
        else:
            assert verdict.status in (ON_TRACK, AT_RISK, OFF_TRACK)
            assert change.better or verdict.status != ON_TRACK
    elif behaviour.variation == CONCERN:  # target or not
        assert verdict.status == OFF_TRACK
    elif behaviour.assurance in BY_ASSURANCE:
        assert verdict.status == BY_ASSURANCE[behaviour.assurance]
    elif behaviour.assurance == NO_TARGET_ASSURANCE:
        assert verdict.status == NO_TARGET


def test_a_lucky_month_in_a_hit_and_miss_process_is_at_risk() -> None:
    noisy = [62, 68, 64, 71, 66, 63, 69, 65, 70, 64, 67, 66]
    behaviour, verdict = read(noisy + [72])  # the latest beats 70
    assert (behaviour.variation, behaviour.assurance) == (COMMON_CAUSE, HIT_AND_MISS)
    assert verdict.status == AT_RISK
    assert verdict.projection is None and verdict.pace is None
    assert verdict.headline.startswith("Will meet the target of 70% in some months")
    assert verdict.few_values is None


def test_the_same_lucky_month_with_too_few_values_is_met_and_says_it_rests_on_few() -> None:
    _, verdict = read([62, 68, 64, 71, 72])
    assert verdict.status == TARGET_MET
    assert verdict.few_values == 5
    assert "5 values are too few" in verdict.headline


def test_a_noisy_stable_process_draws_no_trend() -> None:
    # The last six values fall: a straight line through them would tilt down and, before
    # v1.2, made this "off track". The process is stable and well above 55.
    noisy = [62, 68, 64, 71, 66, 63, 69, 65, 70, 67, 66, 64, 63]
    behaviour, verdict = read(noisy, target=50)
    assert (behaviour.variation, behaviour.assurance) == (COMMON_CAUSE, PASSES)
    assert verdict.status == TARGET_MET
    assert verdict.projection is None
    assert verdict.headline.startswith("Meets the target of 50% month after month")


def test_a_stable_process_short_of_the_target_is_off_track() -> None:
    behaviour, verdict = read(STEADY + [50])
    assert (behaviour.variation, behaviour.assurance) == (COMMON_CAUSE, FAILS)
    assert verdict.status == OFF_TRACK
    assert "unless the process changes" in verdict.headline


def test_a_step_up_that_falls_short_reads_one_answer() -> None:
    behaviour, verdict = read(STEADY + [60, 61, 59, 60, 61, 60, 59, 60])
    assert (behaviour.variation, behaviour.assurance) == (IMPROVEMENT, FAILS)
    # v1.3: the shift is read as its own, provisional phase: about 60, short of 70.
    assert verdict.changing is not None and verdict.changing.kind == SHIFT
    assert verdict.status == OFF_TRACK
    assert verdict.headline == ("Better since January 2026: about 60% since then (8 values, "
                                "provisional), still short of the target of 70% (latest: 60% "
                                "on August 31, 2026).")
    assert verdict.projection is None  # a shift is a new level, not a line to continue


def test_a_step_up_to_a_level_beyond_the_target_is_not_yet_counted_on() -> None:
    behaviour, verdict = read(STEADY + [72, 73, 71, 72, 73, 72, 71, 72])
    assert behaviour.variation == IMPROVEMENT
    # Its own phase, about 72 from 69 to 75, holds the target of 70: hit and miss.
    assert verdict.status == AT_RISK
    assert verdict.headline.startswith("Better since January 2026: about 72% since then (8 "
                                       "values, provisional), which meets the target of 70% "
                                       "in some months and misses it in others")


@pytest.mark.parametrize("target, by, reaches", [(70, "2027-12-31", True),
                                                 (90, "2027-03-31", False)])
def test_an_improving_trend_is_judged_by_its_own_pace(target: float, by: str,
                                                      reaches: bool) -> None:
    climbing = STEADY + [51, 53, 55, 57, 59, 61, 63]
    behaviour, verdict = read(climbing, target=target, by=by)
    assert behaviour.variation == IMPROVEMENT
    assert verdict.pace == pytest.approx(2 / 30.4, rel=0.05)  # 2 points a month
    assert verdict.projection is not None and verdict.projection.better
    assert verdict.projection.dates[-1] == D(by)
    # The trend began at 49 in December 2025 (the value before 51, 53, ...).
    assert verdict.changing is not None and verdict.changing.start == D("2025-12-31")
    if reaches:  # 63 in July 2026 at 2 a month: 70 three and a half months later
        assert verdict.status == ON_TRACK
        assert verdict.headline == ("Improving since December 2025: at this pace it reaches "
                                    "70% around November 2026, before its target date of "
                                    "December 31, 2027 (latest: 63% on July 31, 2026).")
    else:  # about 79 by March 2027: more than half of the 27 points, not all
        assert verdict.status == AT_RISK
        assert verdict.headline == ("Improving since December 2025, but at this pace it "
                                    "reaches only 79% by March 31, 2027, against a target of "
                                    "90%: most of the gap, not all (latest: 63% on July 31, "
                                    "2026). It would reach 90% around late 2027.")


def test_a_worsening_trend_is_drawn_as_worse() -> None:
    falling = STEADY + [49, 47, 45, 43, 41, 39, 37]
    behaviour, verdict = read(falling, target=40)
    assert behaviour.variation == CONCERN
    assert verdict.status == OFF_TRACK
    assert verdict.projection is not None and not verdict.projection.better
    assert verdict.headline.startswith("Getting worse since")


def test_concern_wins_over_a_process_that_passes() -> None:
    high = [80, 82, 79, 81, 80, 83, 79, 80, 82, 81, 80, 79]
    behaviour, verdict = read(high + [74], target=60)
    assert (behaviour.variation, behaviour.assurance) == (CONCERN, PASSES)
    assert verdict.status == OFF_TRACK
    assert "far worse than usual" in verdict.headline


def test_no_target_with_limits() -> None:
    behaviour, verdict = read(STEADY + [50], target=None)
    assert (behaviour.assurance, verdict.status) == (NO_TARGET_ASSURANCE, NO_TARGET)
    assert verdict.headline.startswith("Steady at about 50")


@pytest.mark.parametrize("higher", [True, False])
def test_both_directions_agree(higher: bool) -> None:
    values = STEADY + [60, 61, 59, 60, 61, 60, 59, 60] if higher else \
        [60, 61, 59, 60, 61, 60, 59, 60, 60, 61, 59, 60] + STEADY[:8]
    behaviour, verdict = read(values, target=45 if higher else 40, higher=higher)
    assert behaviour.variation == IMPROVEMENT


def test_every_verdict_on_random_series_agrees_with_its_readings() -> None:
    import random
    generator = random.Random(20)
    for _ in range(400):
        length = generator.randint(12, 30)
        level = generator.uniform(20, 80)
        values = [round(level + generator.gauss(0, 5) + (generator.random() < 0.1) * 20, 1)
                  for _ in range(length)]
        read(values, target=generator.choice([None, 30, 50, 70]),
             by=generator.choice([None, "2026-06-30", "2028-01-31"]),
             higher=generator.random() < 0.5)


# --- rebase advice -------------------------------------------------------------------------

def stepped_register(rebase: list[str] | None = None):
    days = month_ends(20, "2025-02-28")
    values = STEADY[1:] + [60, 61, 59, 60, 61, 60, 59, 60, 61]
    extra = {"rebase": rebase} if rebase else {}
    return temporary_register(
        metrics=[metric(), metric("CSAT", unit="%", direction="higher_is_better",
                        baseline={"date": "2025-01-31", "value": 50},
                        target={"value": 70, "date": "2027-12-31"}, **extra)],
        improvements=[improvement("CSI-0009", metrics=["CSAT"], status="implemented",
                                  raised="2025-01-10",
                                  log=[{"date": "2025-12-15", "note": "Live",
                                        "status": "implemented"}])],
        snapshots=[snapshot(day.isoformat(), CSAT=value) for day, value in zip(days, values)])


def test_a_step_after_an_improvement_suggests_a_rebase() -> None:
    with stepped_register() as root:
        register = load_register(root, today=D("2026-12-31"))
    advice = register.rebase_advice["CSAT"]
    assert (advice.improvement_id, advice.date) == ("CSI-0009", D("2026-01-31"))
    behaviour = register.behaviour["CSAT"]
    assert CONCERN in {v.label for v in behaviour.values if v.date < advice.date}


def test_no_advice_once_the_rebase_is_made() -> None:
    with stepped_register(rebase=["2026-01-31"]) as root:
        register = load_register(root, today=D("2026-12-31"))
    assert "CSAT" not in register.rebase_advice
    assert register.behaviour["CSAT"].phases[0].limits is not None
