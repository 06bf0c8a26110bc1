"""check_spend(): the spend limits, their boundaries and refusals, on reports built in memory."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import attrs
import pytest
from cli_support import item
from hypothesis import given
from hypothesis import strategies as st

import openrouter_analytics
from openrouter_analytics.errors import InvalidParameterError
from openrouter_analytics.spend import GroupCheck, SpendCheck, check_spend
from openrouter_analytics_client.models import ActivityItem, ActivityResponse

TODAY = dt.date(2025, 8, 25)
DAY = "2025-08-24"  # the default day for TODAY: yesterday
OLDEST = dt.date(2025, 7, 26)  # TODAY - 30 days


def activity(**fields: object) -> ActivityItem:
    return ActivityItem.from_dict(item(**fields))


def days_before(day: str, n: int) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=n)).isoformat()


def steady(usage: float, *, days: int = 7, day: str = DAY, **fields: object) -> list[ActivityItem]:
    """One row costing ``usage`` on each of the ``days`` days before ``day``."""
    return [activity(date=days_before(day, n), usage=usage, **fields) for n in range(1, days + 1)]


def only(result: SpendCheck) -> GroupCheck:
    (check,) = result.checks
    return check


# max_cost


def test_a_cost_equal_to_max_cost_is_within_the_limit() -> None:
    result = check_spend([activity(date=DAY, usage=10.0)], max_cost=10.0, today=TODAY)

    assert result.ok
    assert only(result) == GroupCheck("total", 10.0, 0.0, 10.0, None, ())


def test_a_cost_just_over_max_cost_breaches_it() -> None:
    cost = math.nextafter(10.0, math.inf)

    result = check_spend([activity(date=DAY, usage=cost)], max_cost=10.0, today=TODAY)

    assert not result.ok
    assert only(result).breaches == ("max_cost",)


def test_max_cost_applies_to_the_sum_of_the_days_rows() -> None:
    report = [activity(date=DAY, usage=0.1) for _ in range(10)]  # adds up to 1.0 with fsum

    assert check_spend(report, max_cost=1.0, today=TODAY).ok
    assert not check_spend([*report, activity(date=DAY, usage=0.01)], max_cost=1.0, today=TODAY).ok


def test_max_cost_zero_is_breached_by_any_spend() -> None:
    assert check_spend([activity(date=DAY, usage=0.0)], max_cost=0, today=TODAY).ok
    assert not check_spend([activity(date=DAY, usage=1e-9)], max_cost=0, today=TODAY).ok


# max_increase


def test_a_cost_equal_to_factor_times_baseline_is_within_the_limit() -> None:
    report = [*steady(1.0), activity(date=DAY, usage=2.0)]

    check = only(check_spend(report, max_increase=2.0, today=TODAY))

    assert (check.cost, check.baseline, check.breaches) == (2.0, 1.0, ())


def test_a_cost_just_over_factor_times_baseline_breaches_max_increase() -> None:
    report = [*steady(1.0), activity(date=DAY, usage=math.nextafter(2.0, math.inf))]

    result = check_spend(report, max_increase=2.0, today=TODAY)

    assert not result.ok
    assert only(result).breaches == ("max_increase",)


def test_an_increase_below_min_cost_is_not_a_breach() -> None:
    report = [*steady(0.01), activity(date=DAY, usage=0.5)]  # fifty times the baseline

    assert check_spend(report, max_increase=3.0, today=TODAY).ok
    assert not check_spend(report, max_increase=3.0, min_cost=0.5, today=TODAY).ok  # at min_cost: counts
    assert check_spend(report, max_increase=3.0, min_cost=math.nextafter(0.5, 1), today=TODAY).ok


def test_min_cost_does_not_soften_max_cost() -> None:
    report = [activity(date=DAY, usage=0.5)]

    result = check_spend(report, max_cost=0.25, max_increase=1e9, min_cost=1.0, today=TODAY)

    assert only(result).breaches == ("max_cost",)


@pytest.mark.parametrize("min_cost", [0.0, 1.0, 2.0])
def test_min_cost_without_max_increase_is_refused_as_the_command_refuses_it(min_cost: float) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        check_spend([activity(date=DAY, usage=5.0)], max_cost=10.0, min_cost=min_cost, today=TODAY)

    assert caught.value.parameter == "min_cost"
    assert "no effect without max_increase" in str(caught.value)


def test_min_cost_defaults_to_the_documented_value() -> None:
    from openrouter_analytics.spend import DEFAULT_MIN_COST

    assert DEFAULT_MIN_COST == 1.0
    # a new group spending just under the default is not flagged, just at it is
    below = [activity(date=DAY, usage=math.nextafter(1.0, 0))]
    assert check_spend(below, max_increase=2.0, today=TODAY).ok
    assert not check_spend([activity(date=DAY, usage=1.0)], max_increase=2.0, today=TODAY).ok


def test_a_zero_baseline_with_a_cost_of_at_least_min_cost_is_a_breach() -> None:
    assert not check_spend([activity(date=DAY, usage=1.0)], max_increase=100.0, today=TODAY).ok
    assert check_spend([activity(date=DAY, usage=0.99)], max_increase=100.0, today=TODAY).ok


def test_no_spend_on_a_zero_baseline_is_fine_even_with_min_cost_zero() -> None:
    result = check_spend([activity(date=DAY, usage=0.0)], max_increase=2.0, min_cost=0.0, today=TODAY)

    assert result.ok
    assert only(result) == GroupCheck("total", 0.0, 0.0, None, 2.0, ())


def test_both_limits_can_be_breached_at_once() -> None:
    report = [*steady(1.0), activity(date=DAY, usage=5.0)]

    check = only(check_spend(report, max_cost=4.0, max_increase=3.0, today=TODAY))

    assert check.breaches == ("max_cost", "max_increase")


# The baseline


def test_days_without_rows_count_as_zero_in_the_baseline() -> None:
    report = [activity(date=days_before(DAY, 3), usage=7.0), activity(date=DAY, usage=2.5)]

    check = only(check_spend(report, max_increase=2.0, today=TODAY))

    assert check.baseline == 1.0  # 7.0 over 7 days, not 7.0 over the one day with rows
    assert check.breaches == ("max_increase",)


def test_the_baseline_covers_exactly_baseline_days_before_the_day() -> None:
    report = [
        activity(date=days_before(DAY, 1), usage=1.0),
        activity(date=days_before(DAY, 3), usage=2.0),
        activity(date=days_before(DAY, 4), usage=100.0),  # one day too early for baseline_days=3
        activity(date="2025-08-25", usage=100.0),  # after the day checked
        activity(date=DAY, usage=1.0),
    ]

    check = only(check_spend(report, max_increase=2.0, baseline_days=3, today=TODAY))

    assert check.baseline == 1.0
    assert check.cost == 1.0


def test_the_baseline_is_reported_with_max_cost_alone() -> None:
    report = [*steady(3.0), activity(date=DAY, usage=1.0)]

    assert only(check_spend(report, max_cost=10.0, today=TODAY)).baseline == 3.0


# Groups


def test_by_model_catches_one_model_while_the_total_is_within_limits() -> None:
    report = [
        *steady(1.0, model="a/small"),
        *steady(5.0, model="b/large"),
        activity(date=DAY, model="a/small", usage=3.5),  # 3.5 times its baseline
        activity(date=DAY, model="b/large", usage=3.0),
    ]

    total = check_spend(report, max_increase=3.0, today=TODAY)
    per_model = check_spend(report, max_increase=3.0, by="model", today=TODAY)

    assert total.ok
    assert only(total).cost == 6.5
    assert not per_model.ok
    assert {check.group: check.breaches for check in per_model.checks} == {
        "a/small": ("max_increase",),
        "b/large": (),
    }


def test_by_model_checks_a_model_that_stopped_and_flags_a_new_one() -> None:
    report = [*steady(2.0, model="old/model"), activity(date=DAY, model="new/model", usage=1.5)]

    result = check_spend(report, max_increase=3.0, by="model", today=TODAY)

    assert result.checks == (
        GroupCheck("new/model", 1.5, 0.0, None, 3.0, ("max_increase",)),
        GroupCheck("old/model", 0.0, 2.0, None, 3.0, ()),
    )


def test_by_provider_groups_by_provider_name() -> None:
    report = [
        activity(date=DAY, model="a/x", provider_name="OpenAI", usage=2.0),
        activity(date=DAY, model="b/y", provider_name="OpenAI", usage=3.0),
        activity(date=DAY, model="a/x", provider_name="Azure", usage=1.0),
    ]

    result = check_spend(report, max_cost=4.0, by="provider", today=TODAY)

    assert [(check.group, check.cost, check.breaches) for check in result.checks] == [
        ("OpenAI", 5.0, ("max_cost",)),
        ("Azure", 1.0, ()),
    ]


def test_groups_come_by_cost_then_baseline_largest_first_then_by_name() -> None:
    report = [
        *steady(1.0, model="c/quiet"),
        *steady(2.0, model="d/quieter-today"),
        activity(date=DAY, model="b/tie", usage=4.0),
        activity(date=DAY, model="a/tie", usage=4.0),
        activity(date=DAY, model="e/top", usage=9.0),
    ]

    result = check_spend(report, max_cost=100.0, by="model", today=TODAY)

    assert [check.group for check in result.checks] == [
        "e/top",
        "a/tie",
        "b/tie",
        "d/quieter-today",
        "c/quiet",
    ]


def test_groups_without_rows_in_the_checked_days_are_left_out() -> None:
    report = [
        activity(date=days_before(DAY, 20), model="long/gone", usage=50.0),
        activity(date=DAY, usage=1.0),
    ]

    result = check_spend(report, max_cost=10.0, by="model", today=TODAY)

    assert [check.group for check in result.checks] == ["openai/gpt-4.1"]


def test_by_total_always_gives_one_check_even_without_rows() -> None:
    assert check_spend([], max_cost=1.0, today=TODAY).checks == (
        GroupCheck("total", 0.0, 0.0, 1.0, None, ()),
    )


# The day


def test_the_default_day_is_yesterday() -> None:
    report = [activity(date=DAY, usage=5.0), activity(date="2025-08-23", usage=50.0)]

    result = check_spend(report, max_cost=10.0, today=TODAY)

    assert result.day == DAY
    assert only(result).cost == 5.0


def test_without_today_the_default_day_is_yesterday_on_the_utc_clock() -> None:
    before = dt.datetime.now(dt.UTC).date()
    result = check_spend([], max_cost=1.0)
    after = dt.datetime.now(dt.UTC).date()

    yesterdays = {(moment - dt.timedelta(days=1)).isoformat() for moment in (before, after)}
    assert result.day in yesterdays


def test_a_day_can_be_a_string_or_a_date_and_today_a_string() -> None:
    report = [activity(date="2025-08-10", usage=2.0)]

    by_string = check_spend(report, day="2025-08-10", max_cost=1.0, today="2025-08-25")
    by_date = check_spend(report, day=dt.date(2025, 8, 10), max_cost=1.0, today=TODAY)

    assert by_string == by_date
    assert by_string.day == "2025-08-10"
    assert only(by_string).cost == 2.0


def test_the_oldest_day_the_api_returns_can_be_checked_for_cost() -> None:
    result = check_spend(
        [activity(date=OLDEST.isoformat(), usage=2.0)], day=OLDEST, max_cost=1.0, today=TODAY
    )

    assert only(result).breaches == ("max_cost",)


def test_max_increase_accepts_a_baseline_ending_at_the_oldest_day() -> None:
    day = OLDEST + dt.timedelta(days=7)
    report = [activity(date=day.isoformat(), usage=0.5)]

    assert check_spend(report, day=day, max_increase=2.0, baseline_days=7, today=TODAY).ok


# Activity: a quiet day is an answer, an empty report is not


def test_the_rows_on_the_day_in_the_baseline_and_in_the_window_are_counted() -> None:
    report = [
        activity(date=DAY, usage=0.0),  # a free model: a row, no cost
        activity(date=DAY, model="b/y", usage=2.0),
        *steady(1.0, days=3),
        activity(date=days_before(DAY, 20), usage=4.0),  # in the 30 days, before the baseline
        activity(date=(OLDEST - dt.timedelta(days=1)).isoformat(), usage=9.0),  # before them
        activity(date=TODAY.isoformat(), usage=9.0),  # today: not a completed day
    ]

    result = check_spend(report, max_cost=10.0, baseline_days=3, by="model", today=TODAY)

    assert (result.rows, result.baseline_rows, result.window_rows) == (2, 3, 6)
    assert result.no_activity is None
    assert result.ok


@pytest.mark.parametrize("by", ["total", "model", "provider"])
def test_a_report_without_rows_is_never_ok_whether_activity_is_required_or_not(by: str) -> None:
    result = check_spend([], max_cost=1.0, max_increase=2.0, by=by, today=TODAY)  # type: ignore[arg-type]
    required = check_spend([], max_cost=1.0, by=by, require_activity=True, today=TODAY)  # type: ignore[arg-type]

    assert not result.ok
    assert not required.ok
    assert result.no_activity == required.no_activity == "window"
    assert (result.rows, result.baseline_rows, result.window_rows) == (0, 0, 0)
    assert all(check.breaches == () for check in result.checks)  # nothing breached: nothing checked


def test_rows_only_outside_the_days_the_api_returns_leave_nothing_to_check() -> None:
    stale = [activity(date=(OLDEST - dt.timedelta(days=n)).isoformat(), usage=5.0) for n in range(1, 40)]

    result = check_spend(stale, max_cost=100.0, today=TODAY)

    assert (result.rows, result.window_rows) == (0, 0)
    assert result.no_activity == "window"
    assert not result.ok
    assert not attrs.evolve(result, require_activity=True).ok


def test_a_quiet_day_in_a_report_with_rows_on_other_days_is_ok() -> None:
    result = check_spend([activity(date=days_before(DAY, 12), usage=3.0)], max_cost=1.0, today=TODAY)

    assert result.ok
    assert result.no_activity == "day"
    assert (result.rows, result.baseline_rows, result.window_rows) == (0, 0, 1)
    assert only(result) == GroupCheck("total", 0.0, 0.0, 1.0, None, ())


def test_require_activity_makes_a_quiet_day_fail_and_nothing_else() -> None:
    quiet = [activity(date=days_before(DAY, 2), usage=3.0)]
    busy = [*quiet, activity(date=DAY, usage=0.0)]

    assert not check_spend(quiet, max_cost=1.0, require_activity=True, today=TODAY).ok
    assert check_spend(quiet, max_cost=1.0, require_activity=False, today=TODAY).ok
    assert check_spend(busy, max_cost=1.0, require_activity=True, today=TODAY).ok
    assert check_spend(quiet, max_cost=1.0, require_activity=True, today=TODAY).to_dict()["require_activity"]


def test_ok_weighs_the_rows_against_the_checks_in_an_evolved_result() -> None:
    result = check_spend([activity(date=DAY, usage=2.0)], max_cost=5.0, today=TODAY)

    assert result.ok
    assert not attrs.evolve(result, window_rows=0, rows=0).ok
    assert not attrs.evolve(result, window_rows=0, rows=0, require_activity=True).ok
    assert attrs.evolve(result, rows=0).ok
    assert not attrs.evolve(result, rows=0, require_activity=True).ok


# Input


def test_accepts_the_response_model_and_a_one_shot_iterator_alike() -> None:
    report = [*steady(1.0), activity(date=DAY, usage=5.0)]

    def rows() -> Iterator[ActivityItem]:
        yield from report

    from_list = check_spend(report, max_increase=3.0, today=TODAY)

    assert check_spend(ActivityResponse(data=report), max_increase=3.0, today=TODAY) == from_list
    assert check_spend(rows(), max_increase=3.0, today=TODAY) == from_list
    assert only(from_list).baseline == 1.0


@pytest.mark.parametrize("usage", [math.nan, math.inf, -math.inf])
def test_a_row_with_a_non_finite_cost_is_refused(usage: float) -> None:
    report = [activity(date=DAY, usage=1.0), ActivityItem(**{**item(date=DAY), "usage": usage})]

    with pytest.raises(InvalidParameterError) as caught:
        check_spend(report, max_cost=10.0, today=TODAY)

    assert caught.value.parameter == "report"


# Refusals


@pytest.mark.parametrize(
    ("arguments", "parameter"),
    [
        ({"max_cost": -0.01}, "max_cost"),
        ({"max_cost": math.nan}, "max_cost"),
        ({"max_cost": math.inf}, "max_cost"),
        ({"max_cost": 10**400}, "max_cost"),
        ({"max_cost": True}, "max_cost"),
        ({"max_cost": "50"}, "max_cost"),
        ({"max_increase": 0}, "max_increase"),
        ({"max_increase": -2.0}, "max_increase"),
        ({"max_increase": math.nan}, "max_increase"),
        ({"max_increase": True}, "max_increase"),
        ({"max_cost": 1.0, "min_cost": -1.0}, "min_cost"),
        ({"max_cost": 1.0, "min_cost": math.inf}, "min_cost"),
        ({"max_cost": 1.0, "min_cost": False}, "min_cost"),
        ({"max_cost": 1.0, "min_cost": 1.0}, "min_cost"),
        ({"max_cost": 1.0, "baseline_days": 0}, "baseline_days"),
        ({"max_cost": 1.0, "baseline_days": 30}, "baseline_days"),
        ({"max_cost": 1.0, "baseline_days": 7.0}, "baseline_days"),
        ({"max_cost": 1.0, "baseline_days": True}, "baseline_days"),
        ({"max_cost": 1.0, "by": "endpoint"}, "by"),
        ({"max_cost": 1.0, "by": "none"}, "by"),
        ({"max_cost": 1.0, "day": "2025-8-24"}, "day"),
        ({"max_cost": 1.0, "day": "2025-02-30"}, "day"),
        ({"max_cost": 1.0, "day": dt.datetime(2025, 8, 24, 12, 0)}, "day"),
        ({"max_cost": 1.0, "day": TODAY}, "day"),
        ({"max_cost": 1.0, "day": "2025-09-01"}, "day"),
        ({"max_cost": 1.0, "day": OLDEST - dt.timedelta(days=1)}, "day"),
        ({"max_cost": 1.0, "today": "25/08/2025"}, "today"),
        ({"max_cost": 1.0, "require_activity": 1}, "require_activity"),
        ({"max_cost": 1.0, "require_activity": "yes"}, "require_activity"),
        ({"max_cost": 1.0, "require_activity": None}, "require_activity"),
        ({}, "max_cost"),
        ({"min_cost": 0.0}, "max_cost"),
        ({"max_increase": 2.0, "day": OLDEST + dt.timedelta(days=6)}, "baseline_days"),
        ({"max_increase": 2.0, "day": OLDEST}, "day"),
    ],
)
def test_refuses_bad_arguments_naming_them(arguments: dict[str, Any], parameter: str) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        check_spend([], **{"today": TODAY, **arguments})

    assert caught.value.parameter == parameter
    assert parameter in str(caught.value)


def test_missing_limits_are_explained_with_both_names() -> None:
    with pytest.raises(InvalidParameterError, match=r"max_cost, max_increase or both, e\.g\. max_cost=50\.0"):
        check_spend([], today=TODAY)


def test_a_day_in_the_future_or_today_shows_a_day_that_works() -> None:
    with pytest.raises(InvalidParameterError, match=r"not a completed UTC day .* e\.g\. '2025-08-24'"):
        check_spend([], day=TODAY, max_cost=1.0, today=TODAY)


def test_a_day_too_old_shows_the_days_that_work() -> None:
    with pytest.raises(InvalidParameterError, match=r"from '2025-07-26' to '2025-08-24'"):
        check_spend([], day="2025-07-25", max_cost=1.0, today=TODAY)


def test_a_baseline_reaching_before_the_data_shows_how_many_days_fit() -> None:
    with pytest.raises(InvalidParameterError, match=r"baseline_days=3 or fewer"):
        check_spend([], day=OLDEST + dt.timedelta(days=3), max_increase=2.0, today=TODAY)


def test_a_baseline_reaching_before_the_data_is_fine_without_max_increase() -> None:
    day = OLDEST + dt.timedelta(days=3)

    assert check_spend([activity(date=day.isoformat())], day=day, max_cost=1.0, today=TODAY).ok


def test_arguments_are_checked_before_the_report_is_read() -> None:
    def exploding() -> Iterator[ActivityItem]:
        raise AssertionError("the report was read")
        yield  # pragma: no cover

    with pytest.raises(InvalidParameterError):
        check_spend(exploding(), max_cost=-1.0, today=TODAY)


# The result


def test_the_result_is_frozen_and_ok_follows_the_checks() -> None:
    result = check_spend([activity(date=DAY, usage=2.0)], max_cost=1.0, today=TODAY)

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.day = "2025-08-01"  # type: ignore[misc]
    assert not result.ok
    assert attrs.evolve(result, checks=()).ok


def test_to_dict_survives_a_json_round_trip_with_sums_computed_here() -> None:
    costs = {"a/x": [0.1, 0.2, 0.30000000000000004], "b/y": [1 / 3, 2 / 3, 1e-7]}
    baselines = {"a/x": [0.7, 0.05, 0.11], "b/y": [3.3, 0.123456789]}
    report = [
        activity(date=DAY, model=model, usage=usage) for model, values in costs.items() for usage in values
    ]
    report += [
        activity(date=days_before(DAY, n + 1), model=model, usage=usage)
        for model, values in baselines.items()
        for n, usage in enumerate(values)
    ]

    document = json.loads(
        json.dumps(check_spend(report, max_cost=0.5, max_increase=1.5, by="model", today=TODAY).to_dict())
    )

    assert set(document) == {
        "day",
        "ok",
        "by",
        "checks",
        "rows",
        "baseline_rows",
        "window_rows",
        "require_activity",
    }
    assert (document["day"], document["ok"], document["by"]) == (DAY, False, "model")
    assert (document["rows"], document["baseline_rows"], document["window_rows"]) == (6, 5, 11)
    assert document["require_activity"] is False
    by_group = {check["group"]: check for check in document["checks"]}
    assert set(by_group) == {"a/x", "b/y"}
    for model, day_costs in costs.items():
        check = by_group[model]
        assert set(check) == {"group", "cost", "baseline", "max_cost", "max_increase", "breaches"}
        assert check["cost"] == pytest.approx(sum(day_costs), abs=1e-9)
        assert check["baseline"] == pytest.approx(sum(baselines[model]) / 7, abs=1e-9)
        assert (check["max_cost"], check["max_increase"]) == (0.5, 1.5)
    # a/x: 0.6 is over max_cost and almost 5 times its baseline (0.123), but under min_cost.
    assert by_group["a/x"]["breaches"] == ["max_cost"]
    # b/y: 1.0000001 is at least min_cost and over 1.5 times its baseline (0.489).
    assert by_group["b/y"]["breaches"] == ["max_cost", "max_increase"]


def test_to_dict_keeps_null_for_a_limit_not_set_and_every_float_bit() -> None:
    cost = 0.1 + 0.2
    result = check_spend([activity(date=DAY, usage=cost)], max_cost=1.0, today=TODAY)

    document = json.loads(json.dumps(result.to_dict()))

    assert document == {
        "day": DAY,
        "ok": True,
        "by": "total",
        "checks": [
            {
                "group": "total",
                "cost": cost,
                "baseline": 0.0,
                "max_cost": 1.0,
                "max_increase": None,
                "breaches": [],
            }
        ],
        "rows": 1,
        "baseline_rows": 0,
        "window_rows": 1,
        "require_activity": False,
    }


def test_is_exported_by_the_package() -> None:
    assert openrouter_analytics.check_spend is check_spend
    assert openrouter_analytics.SpendCheck is SpendCheck
    assert openrouter_analytics.GroupCheck is GroupCheck
    assert {"check_spend", "SpendCheck", "GroupCheck"} <= set(openrouter_analytics.__all__)


# The rule, restated independently


def expected_checks(
    report: list[ActivityItem],
    *,
    day: dt.date,
    max_cost: float | None,
    max_increase: float | None,
    baseline_days: int,
    min_cost: float,
    by: str,
) -> list[tuple[str, float, float, tuple[str, ...]]]:
    """(group, cost, baseline, breaches) per group, from exact sums and the rule as the issue states it."""
    first = day - dt.timedelta(days=baseline_days)
    day_sums: dict[str, Fraction] = {}
    before_sums: dict[str, Fraction] = {}
    for row in report:
        group = "total" if by == "total" else row.model if by == "model" else row.provider_name
        row_day = dt.date.fromisoformat(row.date)
        if row_day == day:
            day_sums[group] = day_sums.get(group, Fraction(0)) + Fraction(row.usage)
        elif first <= row_day < day:
            before_sums[group] = before_sums.get(group, Fraction(0)) + Fraction(row.usage)
    groups = {"total"} if by == "total" else set(day_sums) | set(before_sums)
    expected = []
    for group in groups:
        # float(exact sum) is what fsum returns: the float nearest the exact sum.
        cost = float(day_sums.get(group, Fraction(0)))
        baseline = float(before_sums.get(group, Fraction(0))) / baseline_days
        breaches = []
        if max_cost is not None and cost > max_cost:
            breaches.append("max_cost")
        # A zero baseline is a breach when something was spent: stated apart, as the issue does.
        increased = (baseline == 0 and cost > 0) or (
            max_increase is not None and cost > max_increase * baseline
        )
        if max_increase is not None and cost >= min_cost and increased:
            breaches.append("max_increase")
        expected.append((group, cost, baseline, tuple(breaches)))
    return sorted(expected, key=lambda entry: (-entry[1], -entry[2], entry[0]))


def expected_rows(report: list[ActivityItem], *, day: dt.date, baseline_days: int) -> tuple[int, int, int]:
    """Rows on the day, in the baseline days, and in the 30 days before TODAY, counted here."""
    dates = [dt.date.fromisoformat(row.date) for row in report]
    return (
        sum(1 for date in dates if date == day),
        sum(1 for date in dates if 1 <= (day - date).days <= baseline_days),
        sum(1 for date in dates if 1 <= (TODAY - date).days <= 30),
    )


usage_strategy = st.one_of(
    st.floats(0, 5, allow_nan=False),
    st.floats(0, 500, allow_nan=False),
    st.sampled_from([0.0, 0.01, 0.1, 0.5, 1.0, 2.0, 3.0]),
    st.integers(0, 20),
)
limit_strategy = st.one_of(
    st.none(), st.floats(0, 100, allow_nan=False), st.sampled_from([1.0, 2.0, 3.0, 6.0])
)


@st.composite
def spend_cases(draw: st.DrawFn) -> dict[str, Any]:
    baseline_days = draw(st.integers(1, 29))
    day = TODAY - dt.timedelta(days=draw(st.integers(1, 30 - baseline_days)))
    max_cost = draw(limit_strategy)
    max_increase = draw(
        st.none() | st.floats(0.01, 10, allow_nan=False) | st.sampled_from([1.0, 1.5, 2.0, 3.0])
        if max_cost is not None
        else st.floats(0.01, 10, allow_nan=False) | st.sampled_from([1.0, 1.5, 2.0, 3.0])
    )
    report = draw(
        st.lists(
            st.builds(
                lambda offset, model, provider, usage: activity(
                    date=(day - dt.timedelta(days=offset)).isoformat(),
                    model=model,
                    provider_name=provider,
                    usage=usage,
                ),
                # Half on the day, the rest around it: some after it and some before the baseline.
                st.just(0) | st.integers(-3, baseline_days + 3),
                st.sampled_from(["a/x", "b/y", "c/z"]),
                st.sampled_from(["P1", "P2"]),
                usage_strategy,
            ),
            max_size=60,
        )
    )
    return {
        "report": report,
        "day": day,
        "max_cost": max_cost,
        "max_increase": max_increase,
        "baseline_days": baseline_days,
        "min_cost": draw(st.sampled_from([0.0, 0.5, 1.0, 5.0]) | st.floats(0, 20, allow_nan=False)),
        "by": draw(st.sampled_from(["total", "model", "provider"])),
        "require_activity": draw(st.booleans()),
    }


@given(spend_cases())
def test_agrees_with_a_straightforward_restatement_of_the_rule(case: dict[str, Any]) -> None:
    given_min_cost = case["min_cost"] if case["max_increase"] is not None else None
    result = check_spend(today=TODAY, **{**case, "min_cost": given_min_cost})

    require_activity = case.pop("require_activity")
    expected = expected_checks(**case)
    rows, baseline_rows, window_rows = expected_rows(
        case["report"], day=case["day"], baseline_days=case["baseline_days"]
    )
    assert [(c.group, c.cost, c.baseline, c.breaches) for c in result.checks] == expected
    assert (result.rows, result.baseline_rows, result.window_rows) == (rows, baseline_rows, window_rows)
    # Not ok: a breach, nothing in the 30 days, or a day without rows when activity is required.
    assert result.ok == (
        not any(breaches for *_, breaches in expected)
        and window_rows > 0
        and (rows > 0 or not require_activity)
    )
    assert all(
        (c.max_cost, c.max_increase) == (case["max_cost"], case["max_increase"]) for c in result.checks
    )
    assert json.loads(json.dumps(result.to_dict())) == result.to_dict()


def test_a_short_window_takes_the_default_baseline_when_max_increase_is_not_asked() -> None:
    """A five-day history checked against max_cost alone: the default baseline (7 days) is
    not refused, as it judges nothing; it is the mean of the days the window has before the day."""
    first = dt.date.fromisoformat(DAY) - dt.timedelta(days=4)
    report = [activity(date=DAY, usage=3.0), *steady(1.0, days=4)]

    result = check_spend(report, max_cost=10.0, day=DAY, window=(first, DAY), today=TODAY)

    assert result.ok
    assert result.checks[0].baseline == pytest.approx(1.0)


@pytest.mark.parametrize(
    "window", [5, ("2026-09-10",), ("2026-09-01", "2026-09-02", "2026-09-03"), "2026-09-01"]
)
def test_a_window_that_is_not_two_days_is_refused_naming_it(window: Any) -> None:
    with pytest.raises(InvalidParameterError) as refused:
        check_spend([], max_cost=1.0, window=window, today=TODAY)
    assert refused.value.parameter == "window"
    assert "window must be its first and last day" in str(refused.value)


def test_a_one_day_window_says_one_day_and_suggests_a_baseline_it_allows() -> None:
    with pytest.raises(InvalidParameterError) as refused:
        check_spend([], max_increase=2.0, day=DAY, window=(DAY, DAY), today=TODAY)
    assert refused.value.parameter == "baseline_days"
    assert "(the history keeps 1 day), e.g. 1, got int 7" in str(refused.value)
