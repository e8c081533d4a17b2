"""A process that is changing, and deadlines that have passed (register format v1.3).

Each series is designed for one case: a trend that reaches its target before the deadline,
one that closes most of the gap, one that closes little; a trend for the worse still inside
its target; a step change; a recovery rising from below the mean; a deadline passed, missed
and met. Each test asserts the labels, the verdict, the headline's start date and its tense.
"""

from __future__ import annotations

import datetime as dt

from csi_macros import Point
from csi_macros.readings.behaviour import (COMMON_CAUSE, CONCERN, FAILS, HIT_AND_MISS,
                                           IMPROVEMENT, PASSES, metric_behaviour)
from csi_macros.readings.change import SHIFT, TREND
from csi_macros.readings.changing import (DEADLINE_MISSED, PACE_MOST, PACE_REACHES,
                                          PACE_TOO_SLOW, WORSE_STILL_MEETS)
from csi_macros.readings.figures import decimals_of, roughly
from csi_macros.testing import month_ends
from csi_macros.readings.verdicts import AT_RISK, OFF_TRACK, ON_TRACK, TARGET_MET, metric_verdict
from csi_macros.register.model import Baseline, Metric, Target

D = dt.date.fromisoformat
FLAT = [50, 51, 49, 50, 52, 50, 49, 51, 50, 50, 51, 49]  # 12 months of 2025: limits ~47 to 53


def read(values: list[float], *, target: float | None, by: str | None = None,
         higher: bool = True, today: str = "2026-12-31", unit: str = "%"):
    days = month_ends(len(values))
    goal = Target(target, D(by) if by else None) if target is not None else None
    definition = Metric(id="M", name="M", description=None, unit=unit,
                        direction="higher_is_better" if higher else "lower_is_better",
                        baseline=Baseline(days[0], values[0]), target=goal)
    series = [Point(day, value) for day, value in zip(days[1:], values[1:])]
    behaviour = metric_behaviour(definition, series)
    return behaviour, metric_verdict(definition, series, behaviour, D(today))


# The trend: from 49 in December 2025, up 2 a month to 63 in July 2026.
RISING = FLAT + [51, 53, 55, 57, 59, 61, 63]


def test_a_trend_that_reaches_its_target_before_the_deadline_is_on_track() -> None:
    behaviour, verdict = read(RISING, target=70, by="2027-12-31")
    assert (behaviour.variation, behaviour.assurance) == (IMPROVEMENT, FAILS)
    assert verdict.changing is not None and verdict.changing.kind == TREND
    assert (verdict.status, verdict.cause) == (ON_TRACK, PACE_REACHES)
    assert verdict.headline.startswith("Improving since December 2025: at this pace it "
                                       "reaches 70% around November 2026")
    assert "before its target date of December 31, 2027" in verdict.headline
    # a change in a percentage is in points: "2%" would read as a share of the value
    assert "moved by about 2 percentage points a month" in verdict.reason, verdict.reason
    _, hours = read(RISING, target=70, by="2027-12-31", unit="hours")
    assert "moved by about 2 hours a month" in hours.reason, "other units keep their own"


def test_a_trend_that_closes_most_of_the_gap_is_at_risk() -> None:
    _, verdict = read(RISING, target=90, by="2027-03-31")
    assert (verdict.status, verdict.cause) == (AT_RISK, PACE_MOST)
    assert "reaches only 79% by March 31, 2027, against a target of 90%" in verdict.headline
    assert verdict.headline.endswith("It would reach 90% around late 2027.")


def test_a_trend_that_closes_little_of_the_gap_is_off_track() -> None:
    _, verdict = read(RISING, target=90, by="2026-10-31", today="2026-08-15")
    assert (verdict.status, verdict.cause) == (OFF_TRACK, PACE_TOO_SLOW)
    assert verdict.headline.startswith("Improving since December 2025, but too slowly: at "
                                       "this pace it reaches only 69% by October 31, 2026")


def test_a_trend_without_a_date_is_set_against_a_year_ahead() -> None:
    _, verdict = read(RISING, target=80)
    assert verdict.status == ON_TRACK
    assert "reaches 80% around" in verdict.headline and "target date" not in verdict.headline


def test_a_trend_for_the_worse_that_still_meets_its_target_is_at_risk() -> None:
    # Lower is better, target at most 40: creeping up 1 a month from 27, now 34.
    creeping = [28, 29, 27, 28, 30, 28, 27, 29, 28, 28, 29, 27, 29, 30, 31, 32, 33, 34]
    behaviour, verdict = read(creeping, target=40, higher=False)
    assert (behaviour.variation, behaviour.assurance) == (CONCERN, PASSES)
    assert verdict.changing is not None and verdict.changing.start == D("2025-12-31")
    assert (verdict.status, verdict.cause) == (AT_RISK, WORSE_STILL_MEETS)
    assert verdict.headline.startswith("Getting worse since December 2025 but still meets "
                                       "the target of 40% (latest: 34% on June 30, 2026): at "
                                       "this pace it stops meeting it around December 2026.")


def test_a_trend_for_the_worse_past_its_target_is_off_track() -> None:
    creeping = [28, 29, 27, 28, 30, 28, 27, 29, 28, 28, 29, 27, 35, 38, 41, 44, 47, 50]
    _, verdict = read(creeping, target=40, higher=False)
    assert verdict.status == OFF_TRACK
    assert verdict.headline.startswith("Getting worse since December 2025")


def test_a_step_change_is_read_as_its_own_provisional_phase() -> None:
    stepped = FLAT + [60, 61, 59, 60, 61, 60, 59, 60]
    behaviour, verdict = read(stepped, target=55, by="2027-12-31")
    assert (behaviour.variation, behaviour.assurance) == (IMPROVEMENT, HIT_AND_MISS)
    change = verdict.changing
    assert change is not None and change.kind == SHIFT and change.provisional
    assert change.start == D("2026-01-31") and change.assurance == PASSES
    assert verdict.status == TARGET_MET
    assert verdict.headline == ("Better since January 2026: about 60% since then (8 values, "
                                "provisional), which meets the target of 55% month after "
                                "month (latest: 60% on August 31, 2026).")


def test_a_recovery_rising_from_below_the_mean_is_an_improvement() -> None:
    # Higher is better: a dip, then seven rising values, all below the mean and inside the
    # limits. Two in three and the run below the mean point down; the trend, asked first,
    # points up (under v1.2's "concern wins" they were all concerns).
    recovery = [60, 64, 57, 62, 58, 63, 56, 61, 59, 64, 57, 60, 49, 50, 51, 52, 53, 54, 55]
    behaviour, verdict = read(recovery, target=65, by="2027-06-30")
    bounds = behaviour.latest.limits
    assert all(bounds.lower < v.value < bounds.mean for v in behaviour.values[-7:])
    assert behaviour.variation == IMPROVEMENT
    assert [v.label for v in behaviour.values[-7:]] == [IMPROVEMENT] * 7
    assert behaviour.values[-7].rules == {"trend", "two_in_three", "shift"}
    assert verdict.changing is not None and verdict.changing.start == D("2026-01-31")
    assert verdict.headline.startswith("Improving since January 2026")
    assert verdict.status == ON_TRACK


def test_a_deadline_passed_and_missed_is_told_in_the_past_tense() -> None:
    _, verdict = read(RISING, target=90, by="2026-06-30")
    assert (verdict.status, verdict.cause) == (OFF_TRACK, DEADLINE_MISSED)
    assert verdict.headline == ("Missed the target of 90%, due by June 30, 2026, by 27 percentage points "
                                "(latest: 63% on July 31, 2026); it has been improving since "
                                "December 2025.")
    assert "at this pace" not in verdict.headline and "will" not in verdict.headline


def test_a_steady_process_that_missed_its_deadline_says_where_it_is_now() -> None:
    behaviour, verdict = read(FLAT + [50], target=70, by="2026-06-30")
    assert behaviour.variation == COMMON_CAUSE
    assert verdict.status == OFF_TRACK
    assert verdict.headline.startswith("Missed the target of 70%, due by June 30, 2026, by 20 percentage points")
    assert "the process now gives" in verdict.headline


def test_a_deadline_passed_and_met_is_told_in_the_past_tense() -> None:
    high = [80, 82, 79, 81, 80, 83, 79, 80, 82, 81, 80, 79, 81]
    behaviour, verdict = read(high, target=60, by="2026-06-30")
    assert (behaviour.assurance, verdict.status) == (PASSES, TARGET_MET)
    assert verdict.headline == ("The target of 60%, due by June 30, 2026, has been met since "
                                "January 2025 (latest: 81% on January 31, 2026).")


def test_a_hit_and_miss_process_past_its_met_deadline_still_misses_some_months() -> None:
    noisy = [62, 68, 64, 71, 66, 63, 69, 65, 70, 64, 67, 66, 72]
    behaviour, verdict = read(noisy, target=70, by="2025-06-30")
    assert (behaviour.assurance, verdict.status) == (HIT_AND_MISS, AT_RISK)
    assert "is met by the latest value" in verdict.headline
    assert "still misses it in some months" in verdict.headline


def test_few_values_past_a_missed_deadline() -> None:
    _, verdict = read([40, 42, 44, 45], target=60, by="2025-03-31")
    assert verdict.status == OFF_TRACK and verdict.cause == DEADLINE_MISSED
    assert verdict.headline.startswith("Missed the target of 60%, due by March 31, 2025, by 15 percentage points")


def test_headlines_use_the_metric_s_own_precision() -> None:
    tickets = [301, 299, 300, 302, 298, 301, 300, 299, 302, 300, 301, 299, 302]
    _, verdict = read(tickets, target=None, unit="tickets")
    assert verdict.headline.startswith("Steady at about 300 tickets (latest: 302 tickets")
    assert verdict.decimals == 0
    assert (decimals_of(83.8), decimals_of(300.0), decimals_of(0.25)) == (1, 0, 2)


def test_a_date_a_trend_reaches_is_said_roughly() -> None:
    since = D("2026-01-31")
    assert roughly(D("2026-09-14"), since) == "around September 2026"
    assert roughly(D("2027-06-14"), since) == "around mid-2027"
    assert roughly(D("2028-02-01"), since) == "around early 2028"
    assert roughly(D("2027-11-01"), since) == "around late 2027"


def test_the_home_page_names_every_metric_it_counts() -> None:
    """"N metrics need attention" names all N, headlines for the first few."""
    import re

    from csi_macros import load_register
    from csi_macros.site.macros import ATTENTION_SHOWN, Macros
    from csi_macros.site.pages.context import Site, SiteContext
    from csi_macros.testing import metric, snapshot, temporary_register

    count = ATTENTION_SHOWN + 3
    ids = ["MTTR", *(f"M{index}" for index in range(count - 1))]
    days = month_ends(6, "2026-01-31")
    with temporary_register(
            metrics=[metric(i, target={"value": 1, "date": "2026-03-31"}) for i in ids],
            snapshots=[snapshot(day.isoformat(), **{i: 10 for i in ids}) for day in days]
    ) as root:
        register = load_register(root, today=D("2026-07-15"))
    html = Macros(Site(register, SiteContext())).signals("./")
    assert f"{count} metrics need attention:" in html
    named = re.findall(r"<li><a [^>]*>(M\w+)</a>", html)
    assert sorted(named) == sorted(ids)
    assert html.count('class="csi-headline"') == ATTENTION_SHOWN


def _register(values: list[float], today: str, **definition):
    from csi_macros import load_register
    from csi_macros.testing import metric, snapshot, temporary_register

    days = month_ends(len(values), "2025-01-31")
    with temporary_register(
            metrics=[metric(unit="%", direction="higher_is_better",
                            baseline={"date": days[0].isoformat(), "value": values[0]},
                            **definition)],
            snapshots=[snapshot(d.isoformat(), MTTR=v) for d, v in zip(days[1:], values[1:])]
    ) as root:
        return load_register(root, today=D(today))


def test_a_shift_the_process_is_in_now_is_advised_a_rebase_at_its_start() -> None:
    register = _register(FLAT + [60, 61, 59, 60, 61, 60, 59, 60],
                         "2026-09-15", target={"value": 55, "date": "2027-12-31"})
    advice = register.rebase_advice["MTTR"]
    assert (advice.improvement_id, advice.date) == ("", D("2026-01-31"))
    from csi_macros.readings.suggestions import rebase_suggestions
    [found] = rebase_suggestions(register)
    assert "has run on one side of its mean since 2026-01-31" in found.message
    assert "rebase: [2026-01-31]" in found.message


def test_a_late_changing_metric_is_read_as_of_its_newest_value() -> None:
    register = _register(RISING, "2026-12-31", target={"value": 70, "date": "2027-12-31"})
    verdict = register.verdicts["MTTR"]
    assert register.cadence["MTTR"].late
    assert verdict.headline.startswith("No value since July 31, 2026 (5 months missing). As of "
                                       "that date: Improving since December 2025")


def test_a_shifted_metric_s_page_advises_the_rebase_and_dates_its_limits() -> None:
    import html
    import re

    from csi_macros.site.pages import metric as metric_pages
    from csi_macros.site.pages.context import Site, SiteContext

    register = _register(FLAT + [60, 61, 59, 60, 61, 60, 59, 60],
                         "2026-09-15", target={"value": 55, "date": "2027-12-31"})
    page = metric_pages.metric_page(Site(register, SiteContext()), register.metric["MTTR"])
    words = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.html())))
    assert "has run on one side of its mean since January 2026" in words
    assert "rebase: [2026-01-31]" in words
    assert ("The process has been changing since January 2026: these limits are worked out "
            "over the values before and during the change, so they describe neither the old "
            "process nor the new one") in words
    assert "unless it changes" not in words, "no claim from limits drawn across a change"
