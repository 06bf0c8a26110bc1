"""check_budget(): month to date, the forecast and the thresholds, on reports built in memory.

Every expected number is computed here from the rows, by the rule the issue states, not read
back from the result.
"""

from __future__ import annotations

import calendar
import datetime as dt
import inspect
import json
import math
import random
from collections.abc import Iterator

import pytest
from cli_support import item
from hypothesis import given, settings
from hypothesis import strategies as st

import openrouter_analytics
from openrouter_analytics.budget import BUDGET_BY, DEFAULT_WARN_AT, BudgetCheck, GroupBudget, check_budget
from openrouter_analytics.cli.commands import budget as budget_command
from openrouter_analytics.errors import InvalidParameterError
from openrouter_analytics_client.models import ActivityItem

GPT = ("openai/gpt-4.1", "OpenAI")
CLAUDE = ("anthropic/claude-sonnet-4", "Anthropic")


def activity(day: dt.date, usage: float, model: tuple[str, str] = GPT, **fields: object) -> ActivityItem:
    slug, provider = model
    return ActivityItem.from_dict(
        item(date=day.isoformat(), usage=usage, model=slug, provider_name=provider, **fields)
    )


def days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def expected(rows: list[ActivityItem], today: dt.date) -> tuple[float, float, float]:
    """Month to date, daily mean and forecast by the issue's rule, from the rows alone."""
    first = today.replace(day=1)
    month = math.fsum(r.usage for r in rows if first.isoformat() <= r.date < today.isoformat())
    week_start = (today - dt.timedelta(days=7)).isoformat()
    mean = math.fsum(r.usage for r in rows if week_start <= r.date < today.isoformat()) / 7
    left = calendar.monthrange(today.year, today.month)[1] - today.day + 1
    return month, mean, month + mean * left


def only(result: BudgetCheck) -> GroupBudget:
    (group,) = result.groups
    return group


def test_the_commands_defaults_are_the_librarys() -> None:
    parameters = inspect.signature(check_budget).parameters
    assert parameters["warn_at"].default == DEFAULT_WARN_AT == budget_command.DEFAULT_WARN_AT
    assert parameters["by"].default == "total"
    assert budget_command.BY_CHOICES == BUDGET_BY


def test_the_package_exports_the_budget() -> None:
    assert openrouter_analytics.check_budget is check_budget
    assert openrouter_analytics.BudgetCheck is BudgetCheck
    assert "check_budget" in dir(openrouter_analytics)


# month to date and the forecast


def test_month_to_date_is_the_months_completed_days_and_nothing_else() -> None:
    today = dt.date(2026, 11, 20)
    rows = [
        activity(dt.date(2026, 10, 31), 1000.0),  # last month
        activity(dt.date(2026, 11, 1), 3.0),
        activity(dt.date(2026, 11, 19), 5.0),
        activity(dt.date(2026, 11, 20), 700.0),  # today: not completed
    ]

    group = only(check_budget(rows, monthly=100, today=today))

    assert group.month_to_date == 8.0
    assert group.used == 8.0


def test_the_forecast_adds_the_mean_of_the_last_7_days_times_the_days_left_today_included() -> None:
    today = dt.date(2026, 11, 20)  # 11 days left: the 20th to the 30th
    rows = [activity(day, 7.0) for day in days(dt.date(2026, 11, 1), dt.date(2026, 11, 19))]

    group = only(check_budget(rows, monthly=1000, today=today))

    assert group.month_to_date == 19 * 7.0
    assert group.daily_mean == 7.0
    assert group.forecast == 19 * 7.0 + 7.0 * 11


def test_days_without_rows_count_zero_in_the_mean() -> None:
    today = dt.date(2026, 11, 20)
    rows = [activity(dt.date(2026, 11, 19), 14.0)]  # one day of the seven

    group = only(check_budget(rows, monthly=1000, today=today))

    assert group.daily_mean == 2.0
    assert group.forecast == 14.0 + 2.0 * 11


def test_the_trend_reaches_into_the_month_before() -> None:
    today = dt.date(2026, 11, 3)  # the trend is Oct 27 to Nov 2
    rows = [activity(day, 3.5) for day in days(dt.date(2026, 10, 1), dt.date(2026, 11, 2))]

    group = only(check_budget(rows, monthly=1000, today=today))

    assert group.month_to_date == 7.0
    assert group.daily_mean == 3.5
    assert group.forecast == 7.0 + 3.5 * 28


@settings(max_examples=60, deadline=None)
@given(
    st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31)),
    st.lists(st.tuples(st.integers(1, 40), st.floats(0, 500, allow_nan=False)), max_size=60),
)
def test_the_numbers_follow_the_rule_on_any_day(today: dt.date, spread: list[tuple[int, float]]) -> None:
    rows = [activity(today - dt.timedelta(days=back), usage) for back, usage in spread]
    random.Random(len(rows)).shuffle(rows)  # noqa: S311 - an order, not a secret
    month, mean, forecast = expected(rows, today)

    result = check_budget(rows, monthly=250, today=today)
    group = only(result)

    assert group.month_to_date == month
    assert group.daily_mean == mean
    assert group.forecast == forecast
    assert result.days_in_month == calendar.monthrange(today.year, today.month)[1]
    assert result.days_completed + result.days_left == result.days_in_month


# thresholds


@pytest.mark.parametrize("percent", [50.0, 80.0, 90.0, 100.0, 120.0])
def test_a_threshold_is_reached_at_its_share_and_not_a_hair_below(percent: float) -> None:
    today = dt.date(2026, 11, 20)
    at = 400.0 * percent / 100
    below = math.nextafter(at, 0.0)
    warn_at = (50, 80, 90, 100, 120)

    reached = only(
        check_budget([activity(dt.date(2026, 11, 2), at)], monthly=400, warn_at=warn_at, today=today)
    )
    under = only(
        check_budget([activity(dt.date(2026, 11, 2), below)], monthly=400, warn_at=warn_at, today=today)
    )

    assert reached.reached == tuple(p for p in map(float, warn_at) if p <= percent)
    assert under.reached == tuple(p for p in map(float, warn_at) if p < percent)
    assert f"{percent:g}%" in reached.warnings
    assert f"{percent:g}%" not in under.warnings


def test_the_forecast_over_the_budget_is_its_own_warning() -> None:
    today = dt.date(2026, 11, 20)  # 11 days left
    # $70 so far, all of it yesterday: a mean of $10 a day, a forecast of 70 + 10 * 11 = 180.
    rows = [activity(dt.date(2026, 11, 19), 70.0)]

    over = check_budget(rows, monthly=100, today=today)
    within = check_budget(rows, monthly=180, warn_at=[99], today=today)

    assert only(over).forecast == 180.0
    assert only(over).reached == ()
    assert only(over).warnings == ("forecast",)
    assert not over.ok
    assert only(within).warnings == ()
    assert within.ok


def test_a_forecast_equal_to_the_budget_is_within_it() -> None:
    today = dt.date(2026, 11, 24)  # 7 days left
    rows = [activity(day, 1.0) for day in days(dt.date(2026, 11, 17), dt.date(2026, 11, 23))]

    group = only(check_budget(rows, monthly=14.0, warn_at=[200], today=today))

    assert group.forecast == 14.0
    assert not group.forecast_over


def test_warn_at_is_sorted_and_each_percentage_kept_once() -> None:
    result = check_budget([], monthly=10, warn_at=[100, 50, 100.0, 80], today=dt.date(2026, 11, 2))

    assert result.warn_at == (50.0, 80.0, 100.0)


# the calendar


def test_the_first_day_of_a_month_is_within_budget_whatever_the_trend() -> None:
    today = dt.date(2026, 12, 1)
    rows = [activity(day, 100.0) for day in days(dt.date(2026, 11, 1), dt.date(2026, 11, 30))]

    result = check_budget(rows, monthly=50, today=today)
    group = only(result)

    assert result.ok
    assert result.first_day_of_month
    assert result.through is None
    assert (result.days_completed, result.days_left) == (0, 31)
    assert group.month_to_date == 0.0
    assert group.forecast == 100.0 * 31  # still computed, from November's last week
    assert group.warnings == ()


def test_the_last_day_of_a_month_counts_every_day_but_it() -> None:
    today = dt.date(2026, 10, 31)
    rows = [activity(day, 2.0) for day in days(dt.date(2026, 10, 1), dt.date(2026, 10, 31))]

    result = check_budget(rows, monthly=100, today=today)
    group = only(result)

    assert result.through == "2026-10-30"
    assert (result.days_completed, result.days_left) == (30, 1)
    assert group.month_to_date == 60.0
    assert group.forecast == 62.0


def test_february_has_28_days() -> None:
    today = dt.date(2026, 2, 28)
    rows = [activity(day, 5.0) for day in days(dt.date(2026, 1, 20), dt.date(2026, 2, 28))]

    result = check_budget(rows, monthly=140, today=today)

    assert (result.days_in_month, result.days_completed, result.days_left) == (28, 27, 1)
    assert only(result).month_to_date == 135.0
    assert only(result).forecast == 140.0
    assert only(result).reached == (80.0,)
    assert not only(result).forecast_over


def test_the_clock_decides_today_when_none_is_given() -> None:
    result = check_budget([], monthly=10)

    assert result.today in {
        dt.datetime.now(dt.UTC).date().isoformat(),
        (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat(),
    }


# groups


def test_by_model_budgets_each_model_on_its_own() -> None:
    today = dt.date(2026, 11, 20)
    rows = [
        activity(dt.date(2026, 11, 2), 90.0, CLAUDE),
        activity(dt.date(2026, 11, 3), 10.0, GPT),
        activity(dt.date(2026, 10, 20), 500.0, ("old/model", "Gone")),  # neither month nor trend
    ]

    result = check_budget(rows, monthly=100, by="model", today=today)

    assert [group.group for group in result.groups] == [CLAUDE[0], GPT[0]]
    assert result.groups[0].reached == (80.0,)
    assert result.groups[1].reached == ()
    assert result.warnings == ((CLAUDE[0], "80%"),)


def test_by_workspace_needs_rows_split_per_workspace() -> None:
    today = dt.date(2026, 11, 20)
    a, b = "550e8400-e29b-41d4-a716-446655440000", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
    rows = [
        activity(dt.date(2026, 11, 2), 85.0, workspace_id=a),
        activity(dt.date(2026, 11, 2), 20.0, workspace_id=b),
    ]

    result = check_budget(rows, monthly=100, by="workspace", today=today)

    assert {group.group: group.reached for group in result.groups} == {a: (80.0,), b: ()}
    with pytest.raises(InvalidParameterError, match="group_by='workspace'") as refused:
        check_budget([activity(dt.date(2026, 11, 2), 1.0)], monthly=100, by="workspace", today=today)
    assert refused.value.parameter == "by"


def test_a_one_shot_iterator_is_read_whole() -> None:
    today = dt.date(2026, 11, 20)
    rows = [activity(day, 1.0) for day in days(dt.date(2026, 11, 1), dt.date(2026, 11, 19))]

    group = only(check_budget(iter(rows), monthly=100, today=today))

    assert (group.month_to_date, group.daily_mean) == (19.0, 1.0)


def test_the_document_is_plain_json_with_every_number() -> None:
    today = dt.date(2026, 11, 20)
    rows = [activity(dt.date(2026, 11, 19), 0.1), activity(dt.date(2026, 11, 18), 0.2)]

    result = check_budget(rows, monthly=0.3, by="model", today=today)
    document = json.loads(json.dumps(result.to_dict()))

    assert document["period"] == "2026-11"
    assert document["through"] == "2026-11-19"
    assert document["groups"][0]["month_to_date"] == math.fsum([0.1, 0.2])
    assert document["groups"][0]["warnings"] == ["80%", "100%", "forecast"]
    assert document["ok"] is False
    assert (document["rows"], document["trend_rows"]) == (2, 2)


# refusals


@pytest.mark.parametrize(
    ("arguments", "parameter"),
    [
        ({"monthly": 0}, "monthly"),
        ({"monthly": -5}, "monthly"),
        ({"monthly": math.inf}, "monthly"),
        ({"monthly": "500"}, "monthly"),
        ({"monthly": True}, "monthly"),
        ({"monthly": 5, "warn_at": []}, "warn_at"),
        ({"monthly": 5, "warn_at": [80, 0]}, "warn_at"),
        ({"monthly": 5, "warn_at": [math.nan]}, "warn_at"),
        ({"monthly": 5, "warn_at": "80,100"}, "warn_at"),
        ({"monthly": 5, "by": "day"}, "by"),
        ({"monthly": 5, "today": "2026-13-01"}, "today"),
        ({"monthly": 5, "today": dt.datetime(2026, 11, 1, tzinfo=dt.UTC)}, "today"),
    ],
)
def test_bad_arguments_are_refused_by_name(arguments: dict[str, object], parameter: str) -> None:
    with pytest.raises(InvalidParameterError) as refused:
        check_budget([], **arguments)  # type: ignore[arg-type]

    assert refused.value.parameter == parameter
    assert parameter in str(refused.value)


def test_a_cost_that_is_not_finite_names_the_report() -> None:
    rows = [activity(dt.date(2026, 11, 2), math.inf)]

    with pytest.raises(InvalidParameterError) as refused:
        check_budget(rows, monthly=5, today=dt.date(2026, 11, 20))

    assert refused.value.parameter == "report"
