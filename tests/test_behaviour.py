"""Process behaviour: each rule on hand-worked series, NHSRplotthedots' own test vectors,
assurance, rebase phases, and the evidence for each improvement."""

from __future__ import annotations

import datetime as dt

import pytest

from csi_macros import Point, load_register
from csi_macros.readings import behaviour
from csi_macros.readings.behaviour import (COMMON_CAUSE, CONCERN, FAILS, HIGH, HIT_AND_MISS, IMPROVEMENT,
                                  LOW, NO_SIGNAL_YET, NO_TARGET, NOT_IMPLEMENTED, PASSES,
                                  SIGNAL_OF_CONCERN, SIGNAL_OF_IMPROVEMENT, TOO_EARLY,
                                  TOO_FEW_BEFORE, TOO_FEW_POINTS, Limits, classify, limits,
                                  metric_behaviour, shift, trend, two_in_three)
from csi_macros.readings.behaviour import ALREADY_CHANGING
from csi_macros.readings.evidence import EVIDENCE_STRENGTH, metric_evidence
from csi_macros.register.model import Baseline, Improvement, LogEntry, Metric, Target
from csi_macros.testing import (improvement, metric, register_problems, snapshot,
                                temporary_register, write_register)

D = dt.date.fromisoformat
# Limits far away, so that only the rule under test can fire: mean 0, bands at ±60.
WIDE = Limits(mean=0, moving_range=0, lower=-90, upper=90, lower_band=-60, upper_band=60)


def months(count: int, start: str = "2025-01-31") -> list[dt.date]:
    """`count` month ends from `start` on."""
    first = D(start)
    days = []
    for index in range(count):
        year, month = divmod(first.month - 1 + index + 1, 12)
        days.append(dt.date(first.year + year, month + 1, 1) - dt.timedelta(days=1))
    return days


def define(values: list[float], *, higher: bool = False, target: float | None = None,
           rebase: tuple[str, ...] = ()) -> tuple[Metric, list[Point]]:
    """A metric whose baseline is the first value, and its series of month-end values."""
    days = months(len(values))
    goal = Target(target, None) if target is not None else None
    definition = Metric(id="M", name="M", description=None, unit="hours",
                        direction="higher_is_better" if higher else "lower_is_better",
                        baseline=Baseline(days[0], values[0]), target=goal,
                        rebase=tuple(D(d) for d in rebase))
    series = [Point(day, value, "") for day, value in zip(days[1:], values[1:])]
    return definition, series


def flagged(rule, values: list[float], bounds: Limits = WIDE) -> list[int]:
    """NHSRplotthedots' way of writing a result: 1 for each flagged value, else 0."""
    hits = {index for index, _ in rule(values, bounds)}
    return [int(index in hits) for index in range(len(values))]


# --- limits ---------------------------------------------------------------------------------

def test_limits_by_hand() -> None:
    bounds = limits([10, 12, 11, 13, 12])
    # mean 11.6; moving ranges 2, 1, 2, 1: MR̄ 1.5; 2.66 × 1.5 = 3.99
    assert bounds.mean == pytest.approx(11.6)
    assert bounds.moving_range == pytest.approx(1.5)
    assert (bounds.lower, bounds.upper) == (pytest.approx(7.61), pytest.approx(15.59))
    assert (bounds.lower_band, bounds.upper_band) == (pytest.approx(8.94), pytest.approx(14.26))


def test_a_wild_range_is_screened_out_once() -> None:
    # ranges 1, 1, 1, 1, 30: MR̄ 6.8, and 30 > 3.267 × 6.8 = 22.2, so MR̄ is 1 without it
    assert limits([10, 11, 10, 11, 10, 40]).moving_range == pytest.approx(1)
    # ranges 0, 0, 0, 20, 20: MR̄ 8; 20 < 26.1 stays
    assert limits([10, 10, 10, 10, 30, 10]).moving_range == pytest.approx(8)


def test_a_range_exactly_on_the_screen_is_dropped_and_one_below_it_kept(monkeypatch) -> None:
    # 3.267 × MR̄ rarely lands exactly on a range in floating point, so a factor of 2 makes
    # the tie exact: ranges 1, 1, 1, 3 have MR̄ 1.5, and 3 = 2 × 1.5 lies on the screen.
    monkeypatch.setattr(behaviour, "SCREEN_FACTOR", 2)
    assert limits([0, 1, 0, 1, 4]).moving_range == pytest.approx(1)      # on it: dropped
    assert limits([0, 1, 0, 1, 3.9]).moving_range == pytest.approx(5.9 / 4)  # below: kept


# --- the rules, with NHSRplotthedots' vectors ------------------------------------------------

def test_a_run_of_six_is_no_shift_and_seven_is() -> None:
    assert flagged(shift, [1] * 6) == [0] * 6
    assert flagged(shift, [1] * 6 + [-1]) == [0] * 7
    assert flagged(shift, [1] * 7 + [-1]) == [1] * 7 + [0]
    assert flagged(shift, [-1] * 8 + [1]) == [1] * 8 + [0]
    assert flagged(shift, [1] + [-1] * 8 + [1]) == [0] + [1] * 8 + [0]


def test_a_value_on_the_mean_breaks_a_run() -> None:
    assert flagged(shift, [1, 1, 1, 0, 1, 1, 1, 1]) == [0] * 8
    assert flagged(shift, [1, 1, 1, 1, 1, 1, 0, 1]) == [0] * 8


def test_a_trend_needs_seven_values_each_beyond_the_last() -> None:
    assert flagged(trend, [1, 2, 3, 4, 5, 6]) == [0] * 6
    assert flagged(trend, [1, 2, 3, 4, 5, 6, 7]) == [1] * 7
    assert flagged(trend, [1, 2, 3, 3, 4, 5, 6]) == [0] * 7        # equal values break it
    assert flagged(trend, [2, 1, 2, 3, 4, 5, 6, 7, 3]) == [0, 1, 1, 1, 1, 1, 1, 1, 0]
    assert flagged(trend, [7, 6, 5, 4, 3, 2, 1]) == [1] * 7
    assert flagged(trend, [2, 7, 6, 5, 4, 3, 2, 1, 3]) == [0, 1, 1, 1, 1, 1, 1, 1, 0]


def band(pattern: list[int]) -> list[float]:
    """Values beyond the upper band (1), beyond the lower band (-1) or near the mean (0)."""
    return [70.0 * p if p else 1.0 for p in pattern]


@pytest.mark.parametrize("pattern, expected", [
    ([1, 0, 1], [1, 0, 1]),
    ([0, 1, 1], [0, 1, 1]),
    ([1, 1, 0], [1, 1, 0]),
    ([0, 0, 1, 0, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0]),
    ([0, 0, 1, 1, 0, 0, 0], [0, 0, 1, 1, 0, 0, 0]),
    ([1, 0, 0, 1], [0, 0, 0, 0]),
    ([1, 0, 0, 1, 1], [0, 0, 0, 1, 1]),
    ([1, -1, 0], [0, 0, 0]),           # beyond opposite bands: no signal
    ([1, -1, 1, 0, 0], [0, 0, 0, 0, 0]),  # no three in a row on one side of the mean
])
def test_two_in_three_close_to_the_same_limit(pattern: list[int], expected: list[int]) -> None:
    assert flagged(two_in_three, band(pattern)) == expected


def test_a_value_on_the_band_is_not_close_to_the_limit() -> None:
    assert flagged(two_in_three, [60, 60, 1]) == [0, 0, 0]


def test_two_in_three_needs_all_three_on_one_side_of_the_mean() -> None:
    # Two values close to the upper limit, the third just below the mean: the looser rule
    # (any two of three beyond one band) would flag them; NHSRplotthedots does not.
    assert flagged(two_in_three, [70, 70, -1]) == [0, 0, 0]
    assert flagged(two_in_three, [70, 70, 1]) == [1, 1, 0]
    assert flagged(two_in_three, [70, 70, 0]) == [0, 0, 0]     # on the mean: no side


def test_a_value_beyond_the_limit_does_not_count_towards_two_in_three() -> None:
    # 100 lies beyond the upper limit (90): a special cause by the first rule, not "close".
    assert flagged(two_in_three, [70, 100, 1]) == [0, 0, 0]
    assert flagged(two_in_three, [70, 100, 70]) == [1, 0, 1]
    assert flagged(two_in_three, [90, 80, 1]) == [1, 1, 0]     # on the limit is still close


def test_two_in_three_and_the_limit_rule_tell_their_values_apart() -> None:
    values = [1.0, 70, 100, 1]
    rules = classify(values, WIDE, better=HIGH)
    assert [label for label, _ in rules] == [COMMON_CAUSE, COMMON_CAUSE, IMPROVEMENT,
                                             COMMON_CAUSE]
    assert rules[2][1] == {"outside_limits"}


def test_classes_follow_the_direction_and_the_trend_goes_its_own_way() -> None:
    values = [1.0] * 7 + [-1.0]
    assert labels(values, HIGH) == [IMPROVEMENT] * 7 + [COMMON_CAUSE]
    assert labels(values, LOW) == [CONCERN] * 7 + [COMMON_CAUSE]
    # a falling trend above the mean is a concern when higher is better
    falling = [40.0, 35, 30, 25, 20, 15, 10]
    assert labels(falling, HIGH) == [CONCERN] * 7


# --- point types: NHSRplotthedots 0.2.2's rule order (ptd_special_cause_type) --------------

def test_the_first_rule_that_flags_a_value_decides_its_side() -> None:
    # 100 lies above the upper limit and starts a falling trend: beyond a limit comes first,
    # so it is an improvement when higher is better; the rest fall, all concern.
    values = [100.0, 50, 40, 30, 20, 10, 5]
    assert labels(values, HIGH) == [IMPROVEMENT] + [CONCERN] * 6
    assert labels([100.0, 1, -1], HIGH) == [IMPROVEMENT, COMMON_CAUSE, COMMON_CAUSE]


def test_a_recovery_rising_from_below_the_mean_is_an_improvement() -> None:
    # Seven values below the mean (a run of concern when higher is better), each above the
    # one before: the trend comes before the run, and it rises.
    values = [-50.0, -40, -30, -20, -10, -5, -1]
    assert labels(values, HIGH) == [IMPROVEMENT] * 7
    assert labels(values, LOW) == [CONCERN] * 7


def test_two_in_three_comes_before_a_run_on_one_side() -> None:
    # Seven below the mean, two of them close to the lower limit: those two take "2 in 3
    # below", the rest "7 below": all point down.
    values = [-1.0, -70, -70, -1, -2, -1, -3]
    sides = behaviour.point_sides(values, WIDE)
    assert [rule for _, rule, _ in sides] == ["shift", "two_in_three", "two_in_three",
                                              "shift", "shift", "shift", "shift"]
    assert {side for side, _, _ in sides} == {LOW}


def test_a_trend_comes_before_two_in_three() -> None:
    # Rising through the upper band: the two close values are in the trend and point up.
    values = [1.0, 2, 3, 4, 5, 70, 80]
    sides = behaviour.point_sides(values, WIDE)
    assert [rule for _, rule, _ in sides] == ["trend"] * 7
    assert sides[5][2] == {"trend", "two_in_three", "shift"}


def test_a_trend_that_turns_points_the_way_it_goes_next() -> None:
    # ptd_special_cause_type: "if a point is part of a trend either side, use right side".
    rising_then_falling = [1.0, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]
    sides = behaviour.trend_sides(rising_then_falling, set(range(13)))
    assert [sides[i] for i in range(13)] == [HIGH] * 6 + [LOW] * 7


def test_nhsr_seven_point_trend_vectors() -> None:
    # ptd_seven_point_trend and ptd_part_of_seven_trend, as `trend` flags them whole.
    assert flagged(trend, []) == []
    assert flagged(trend, [1, 2, 3, 4, 5, 6]) == [0] * 6
    assert flagged(trend, [1, 2, 3, 3, 4, 5, 6]) == [0] * 7
    assert flagged(trend, [1, 2, 3, 4, 5, 6, 7]) == [1] * 7
    assert flagged(trend, [2, 1, 2, 3, 4, 5, 6, 7, 3]) == [0] + [1] * 7 + [0]
    assert flagged(trend, [7, 6, 5, 4, 3, 2, 1]) == [1] * 7
    assert flagged(trend, [2, 7, 6, 5, 4, 3, 2, 1, 3]) == [0] + [1] * 7 + [0]


def test_nhsr_seven_point_one_side_vectors() -> None:
    # ptd_seven_point_one_side_mean, expanded by ptd_part_of_seven_trend.
    assert flagged(shift, []) == []
    assert flagged(shift, [1] * 6) == [0] * 6
    assert flagged(shift, [1] * 6 + [-1]) == [0] * 7
    assert flagged(shift, [1] * 8 + [-1]) == [1] * 8 + [0]
    assert flagged(shift, [-1] * 8 + [1]) == [1] * 8 + [0]


def labels(values: list[float], better: int) -> list[str]:
    return [label for label, _ in classify(values, WIDE, better=better)]


# --- variation and assurance ----------------------------------------------------------------

STEADY = [10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 11]  # 12 values: mean 11.5, MR̄ ~1.45


def test_eleven_values_are_too_few_and_twelve_are_enough() -> None:
    short = metric_behaviour(*define(STEADY[:11], target=5))
    assert (short.variation, short.assurance, short.latest.limits) == (TOO_FEW_POINTS,
                                                                        TOO_FEW_POINTS, None)
    assert all(value.label is None for value in short.values)
    enough = metric_behaviour(*define(STEADY, target=5))
    assert enough.variation == COMMON_CAUSE
    assert enough.latest.limits is not None


def test_a_latest_value_beyond_the_limit_is_a_special_cause() -> None:
    lower_is_better = metric_behaviour(*define(STEADY + [30]))
    assert lower_is_better.variation == CONCERN
    higher_is_better = metric_behaviour(*define(STEADY + [30], higher=True))
    assert higher_is_better.variation == IMPROVEMENT


@pytest.mark.parametrize("higher, target, expected", [
    (True, 5, PASSES),       # lower limit ~7.6 is at or above 5
    (True, 20, FAILS),       # upper limit ~15.4 is at or below 20
    (True, 12, HIT_AND_MISS),
    (False, 20, PASSES),     # lower is better: upper limit at or below 20
    (False, 5, FAILS),
    (False, 12, HIT_AND_MISS),
    (True, None, NO_TARGET),
])
def test_assurance(higher: bool, target: float | None, expected: str) -> None:
    assert metric_behaviour(*define(STEADY, higher=higher, target=target)).assurance == expected


def test_a_target_exactly_on_a_limit_is_hit_and_miss() -> None:
    bounds = metric_behaviour(*define(STEADY)).latest.limits
    for higher in (True, False):
        for limit in (bounds.lower, bounds.upper):
            found = metric_behaviour(*define(STEADY, higher=higher, target=limit)).assurance
            assert found == HIT_AND_MISS, (higher, limit)
    assert metric_behaviour(*define(STEADY, higher=True, target=bounds.lower - 1e-9)
                            ).assurance == PASSES
    assert metric_behaviour(*define(STEADY, higher=True, target=bounds.upper + 1e-9)
                            ).assurance == FAILS


def test_gaps_are_skipped_not_zero() -> None:
    definition, series = define(STEADY)
    gappy = [*series[:5], Point(series[5].date + dt.timedelta(days=1), None, ""), *series[5:]]
    assert metric_behaviour(definition, gappy) == metric_behaviour(definition, series)


def test_values_on_or_before_the_baseline_date_are_not_in_the_series() -> None:
    definition, series = define(STEADY)
    early = [Point(D("2024-06-30"), 500, ""), Point(definition.baseline.date, 400, "other"),
             *series]
    assert metric_behaviour(definition, early).values == metric_behaviour(definition,
                                                                         series).values


# --- rebase -----------------------------------------------------------------------------------

def test_a_rebase_date_starts_a_new_phase_with_its_own_limits() -> None:
    values = STEADY + [5, 6, 5, 4, 5, 6, 5, 4, 5, 6, 5, 5]
    day = months(24)[12].isoformat()
    behaviour = metric_behaviour(*define(values, rebase=(day,)))
    first, second = behaviour.phases
    assert (len(first.values), len(second.values)) == (12, 12)
    assert second.values[0].date == D(day)          # the value on the date opens the phase
    assert second.limits.mean == pytest.approx(sum(values[12:]) / 12)
    assert behaviour.variation == COMMON_CAUSE
    # without the rebase, the drop is a long run below the mean: a special cause
    assert metric_behaviour(*define(values)).variation == IMPROVEMENT


def test_a_short_latest_phase_is_too_few_points_whatever_came_before() -> None:
    values = STEADY + [5, 6, 5]
    behaviour = metric_behaviour(*define(values, target=8, rebase=(months(15)[12].isoformat(),)))
    assert (behaviour.variation, behaviour.assurance) == (TOO_FEW_POINTS, TOO_FEW_POINTS)
    assert behaviour.phases[0].limits is not None


def test_rebase_dates_are_checked_with_their_lines(tmp_path) -> None:
    root = write_register(tmp_path / "register", metrics=[metric(rebase=[
        "2025-12-01", "2026-03-01", "2026-02-01", "2026-02-01", "2027-01-01"])])
    problems = register_problems(root, today=D("2026-06-30"))
    path = "register/metrics/MTTR.yml"
    assert problems == [
        f"{path}:9: rebase date 2025-12-01 must lie after the baseline date (2026-01-01)",
        f"{path}:11: rebase dates must be sorted: 2026-02-01 comes after 2026-03-01",
        f"{path}:12: rebase date 2026-02-01 is listed twice",
        f"{path}:13: rebase date 2027-01-01 is in the future (the build date is 2026-06-30)",
    ]


def test_rebase_dates_must_be_dates(tmp_path) -> None:
    root = write_register(tmp_path / "register", metrics=[metric(rebase=["soon"])])
    assert len(problems := register_problems(root)) == 1
    assert problems[0].startswith("register/metrics/MTTR.yml:9: ")
    assert "soon" in problems[0]


# --- evidence ---------------------------------------------------------------------------------

def implemented(on: str | None, *, status: str = "implemented",
                closed: str | None = None) -> Improvement:
    log = (LogEntry(D(on), "Done", "implemented"),) if on else ()
    return Improvement(id="CSI-1", title="T", description="D", raised=D("2024-01-01"),
                       status=status, priority="low", metrics=("M",), log=log,
                       closed=D(closed) if closed else None)


def evidence(values: list[float], on_index: int, *, higher: bool = False, **kw):
    definition, series = define(values, higher=higher)
    imp = implemented(months(len(values))[on_index].isoformat(), **kw)
    return metric_evidence(imp, definition, metric_behaviour(definition, series))


BEFORE = [10, 12, 11, 13, 12, 11]   # six values: mean 11.5, limits about 7.6 to 15.4


def test_not_implemented_yet() -> None:
    definition, series = define(BEFORE + [5] * 8)
    result = metric_evidence(implemented(None, status="in_progress"), definition,
                             metric_behaviour(definition, series))
    assert (result.signal, result.date) == (NOT_IMPLEMENTED, None)


def test_a_closed_improvement_without_the_move_counts_from_its_closed_date() -> None:
    definition, series = define(BEFORE + [5] * 8)
    imp = implemented(None, status="closed", closed=months(14)[5].isoformat())
    result = metric_evidence(imp, definition, metric_behaviour(definition, series))
    assert (result.signal, result.date, len(result.before)) == (SIGNAL_OF_IMPROVEMENT,
                                                                months(14)[5], 6)


def test_five_values_before_are_too_few() -> None:
    assert evidence(BEFORE + [5] * 8, 4).signal == TOO_FEW_BEFORE
    assert evidence(BEFORE + [5] * 8, 5).signal == SIGNAL_OF_IMPROVEMENT


def test_one_value_beyond_a_limit_set_before_is_a_signal() -> None:
    # lower is better: 5 lies below the lower limit: improvement; 20 above the upper: concern
    assert evidence(BEFORE + [5], 5).signal == SIGNAL_OF_IMPROVEMENT
    assert evidence(BEFORE + [20], 5).signal == SIGNAL_OF_CONCERN
    assert evidence(BEFORE + [20], 5, higher=True).signal == SIGNAL_OF_IMPROVEMENT


def test_seven_in_a_row_on_one_side_of_the_mean_before_is_a_signal() -> None:
    assert evidence(BEFORE + [11] * 6, 5).signal == TOO_EARLY
    result = evidence(BEFORE + [11] * 7, 5)
    assert (result.signal, result.reason) == (SIGNAL_OF_IMPROVEMENT, "run")
    assert (result.before_mean, result.after_mean) == (pytest.approx(11.5), 11)
    assert evidence(BEFORE + [12] * 7, 5).signal == SIGNAL_OF_CONCERN
    assert evidence(BEFORE + [11] * 3 + [11.5] + [11] * 4, 5).signal == NO_SIGNAL_YET


def test_no_signal_yet_and_too_early() -> None:
    wobble = [11, 12, 11, 12, 11, 12, 11]
    assert evidence(BEFORE + wobble, 5).signal == NO_SIGNAL_YET
    assert evidence(BEFORE + wobble[:6], 5).signal == TOO_EARLY
    assert evidence(BEFORE, 5).signal == TOO_EARLY


def test_concern_wins_over_improvement() -> None:
    assert evidence(BEFORE + [5, 5, 20], 5).signal == SIGNAL_OF_CONCERN


def test_before_is_read_in_the_phase_that_holds_the_date() -> None:
    values = [30, 31, 29, 30, 31, 30] + BEFORE + [5] * 3
    definition, series = define(values, rebase=(months(15)[6].isoformat(),))
    imp = implemented(months(15)[9].isoformat())  # 4 values into the second phase
    result = metric_evidence(imp, definition, metric_behaviour(definition, series))
    assert (result.signal, result.before) == (TOO_FEW_BEFORE, (10, 12, 11, 13))
    imp = implemented(months(15)[11].isoformat())
    result = metric_evidence(imp, definition, metric_behaviour(definition, series))
    assert (result.signal, result.before) == (SIGNAL_OF_IMPROVEMENT, tuple(BEFORE))


def test_the_register_gives_evidence_for_every_metric_an_improvement_names() -> None:
    values = {d.isoformat(): v for d, v in zip(months(14, "2026-01-31")[1:], [9, 10, 9, 10, 9,
                                                                              3, 3])}
    with temporary_register(
            metrics=[metric(), metric("CSAT", direction="higher_is_better")],
            improvements=[improvement(metrics=["MTTR", "CSAT"], status="implemented",
                                      log=[{"date": "2026-06-30", "note": "Live",
                                            "status": "implemented"}])],
            snapshots=[snapshot(d, MTTR=v) for d, v in values.items()]) as root:
        register = load_register(root, today=D("2026-09-30"))
    found = {e.metric_id: e for e in register.evidence(register.improvements[0])}
    assert found["MTTR"].signal == SIGNAL_OF_IMPROVEMENT
    assert found["CSAT"].signal == TOO_FEW_BEFORE


# --- evidence when the metric was already changing (v1.3) -------------------------------------

def test_an_improvement_made_while_the_metric_was_already_improving() -> None:
    # Lower is better: falling every month from 20, the improvement goes live at 8 (the
    # last value before is the end of a 7-value falling trend), and it falls on, slower.
    values = [20, 21, 20, 19, 17, 15, 13, 11, 9, 8, 7.5, 7, 6.5, 6, 5.8, 5.6]
    result = evidence(values, 9)
    assert result.signal == ALREADY_CHANGING
    assert result.better and result.moving == LOW
    assert result.began == months(16)[1]  # 21, where the fall began
    assert result.pace_before is not None and result.pace_after is not None
    assert abs(result.pace_after) < abs(result.pace_before)  # it slowed after


def test_no_pace_after_is_read_from_fewer_than_three_values() -> None:
    from csi_macros.i18n import language, using
    from csi_macros.site.pages.improvement import already_changing_sentence
    values = [20, 21, 20, 19, 17, 15, 13, 11, 9, 8, 7.5, 7]  # two values after the date
    result = evidence(values, 9)
    assert result.signal == ALREADY_CHANGING and len(result.after) == 2
    assert result.pace_after is None
    with using(language("en")):
        assert already_changing_sentence(result, "MTTR").endswith(
            "Only 2 values since: too early to say what the pace did after it.")
    assert evidence(values + [6.5], 9).pace_after is not None, "three values are read"


def test_a_metric_already_getting_worse_before_the_date() -> None:
    values = [10, 11, 10, 11, 12, 13, 14, 15, 16, 17, 16, 15]
    result = evidence(values, 9)
    assert result.signal == ALREADY_CHANGING and not result.better


def test_a_steady_metric_before_the_date_is_not_already_changing() -> None:
    assert evidence(BEFORE + [5] * 3, 5).signal == SIGNAL_OF_IMPROVEMENT


def test_a_signal_resting_on_one_value_names_it() -> None:
    result = evidence(BEFORE + [11, 12, 30, 11], 5)
    assert (result.signal, result.reason) == (SIGNAL_OF_CONCERN, "limit")
    assert result.single == months(10)[8] and result.since == months(10)[8]
    assert evidence(BEFORE + [5] * 7, 5).single is None  # a run as well: not one value


def test_already_changing_is_between_the_signals_and_no_signal() -> None:
    order = EVIDENCE_STRENGTH
    assert order.index(SIGNAL_OF_IMPROVEMENT) < order.index(ALREADY_CHANGING) < \
        order.index(NO_SIGNAL_YET)
