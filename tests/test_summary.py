"""summarize(): filters, grouping, sums, sorting and top-N, on reports built in memory."""

from __future__ import annotations

import datetime as dt
import math

import attrs
import pytest
from cli_support import item
from hypothesis import given
from hypothesis import strategies as st

import openrouter_analytics
from openrouter_analytics.errors import InvalidParameterError
from openrouter_analytics.summary import SORT_KEYS, Summary, SummaryRow, summarize
from openrouter_analytics_client.models import ActivityItem, ActivityResponse


def activity(**fields: object) -> ActivityItem:
    return ActivityItem.from_dict(item(**fields))


GPT = {"model": "openai/gpt-4.1", "model_permaslug": "openai/gpt-4.1-2025-04-14", "provider_name": "OpenAI"}
SONNET_ANTHROPIC = {
    "model": "anthropic/claude-sonnet-4",
    "model_permaslug": "anthropic/claude-4-sonnet-20250522",
    "provider_name": "Anthropic",
    "endpoint_id": "e-anthropic",
}
SONNET_VERTEX = {**SONNET_ANTHROPIC, "provider_name": "Google Vertex", "endpoint_id": "e-vertex"}

REPORT = [
    activity(
        date="2025-08-01",
        usage=1.5,
        requests=10,
        prompt_tokens=1000,
        completion_tokens=100,
        cached_tokens=400,
        **GPT,
    ),
    activity(date="2025-08-02", usage=2.25, requests=20, prompt_tokens=2000, completion_tokens=200, **GPT),
    activity(
        date="2025-08-01",
        usage=4.0,
        byok_usage_inference=0.5,
        requests=5,
        prompt_tokens=500,
        completion_tokens=50,
        reasoning_tokens=7,
        cached_tokens=450,
        **SONNET_ANTHROPIC,
    ),
    # A replayed response-cache hit: the provider counts more cached tokens than prompt tokens.
    activity(
        date="2025-08-03",
        usage=0.75,
        requests=1,
        prompt_tokens=10,
        completion_tokens=1,
        cached_tokens=12,
        **SONNET_VERTEX,
    ),
]


def test_groups_by_model_adding_every_column() -> None:
    summary = summarize(REPORT, by="model")

    sonnet = next(row for row in summary.rows if row.key == "anthropic/claude-sonnet-4")
    assert sonnet == SummaryRow(
        key="anthropic/claude-sonnet-4",
        label="anthropic/claude-sonnet-4",
        cost=4.75,
        byok_cost=0.5,
        requests=6,
        prompt_tokens=510,
        completion_tokens=51,
        reasoning_tokens=7,
        cached_tokens=462,
        activity_rows=2,
    )


def test_total_adds_up_every_row() -> None:
    total = summarize(REPORT).total

    assert (total.cost, total.byok_cost, total.requests) == (8.5, 0.5, 36)
    assert (total.prompt_tokens, total.completion_tokens, total.reasoning_tokens) == (3510, 351, 7)
    assert total.cached_tokens == 400 + 450 + 12
    assert total.activity_rows == 4


def test_every_count_of_an_activity_row_is_added_up_under_its_own_name() -> None:
    """A count the spec adds to the rows (cached_tokens in 2026-10) fails here until it is summed."""
    from openrouter_analytics_client.models.activity_response import _ROW_FIELDS

    counts = [name for name, _, kind, _ in _ROW_FIELDS if kind is int]
    total = summarize(REPORT).total
    assert "cached_tokens" in counts
    assert {name: getattr(total, name) for name in counts} == {
        name: sum(getattr(row, name) for row in REPORT) for name in counts
    }


def test_cache_hit_rate_is_cached_over_prompt_tokens_as_the_query_api_defines_it() -> None:
    rows = {row.key: row for row in summarize(REPORT, by="date").rows}

    assert rows["2025-08-01"].cache_hit_rate == (400 + 450) / (1000 + 500)
    assert rows["2025-08-02"].cache_hit_rate == 0.0
    assert rows["2025-08-03"].cache_hit_rate == 1.2  # not capped: the rows said so
    assert summarize(REPORT).total.cache_hit_rate == 862 / 3510
    assert summarize(REPORT, since="2025-09-01").total.cache_hit_rate is None  # no prompt tokens


def test_costs_are_added_without_float_drift() -> None:
    report = [activity(usage=0.1) for _ in range(10)]

    assert sum(row.usage for row in report) != 1.0  # what a naive sum gives
    assert summarize(report).total.cost == 1.0


def test_accepts_the_response_model_as_well_as_its_rows() -> None:
    assert summarize(ActivityResponse(data=REPORT)) == summarize(REPORT)


def test_default_order_is_cost_largest_first() -> None:
    keys = [row.key for row in summarize(REPORT, by="model").rows]

    assert keys == ["anthropic/claude-sonnet-4", "openai/gpt-4.1"]


def test_grouping_by_date_defaults_to_date_order() -> None:
    keys = [row.key for row in summarize(REPORT, by="date").rows]

    assert keys == ["2025-08-01", "2025-08-02", "2025-08-03"]


def test_sorts_by_a_chosen_column_largest_first() -> None:
    keys = [row.key for row in summarize(REPORT, by="date", sort="requests").rows]

    assert keys == ["2025-08-02", "2025-08-01", "2025-08-03"]


def test_sorts_by_cached_tokens_largest_first() -> None:
    keys = [row.key for row in summarize(REPORT, by="date", sort="cached_tokens").rows]

    assert keys == ["2025-08-01", "2025-08-03", "2025-08-02"]  # 850, 12, 0


def test_ties_are_broken_by_key_so_the_order_is_stable() -> None:
    report = [activity(model=name, usage=1.0) for name in ("b/model", "c/model", "a/model")]

    assert [row.key for row in summarize(report).rows] == ["a/model", "b/model", "c/model"]


def test_groups_by_provider() -> None:
    rows = {row.key: row.cost for row in summarize(REPORT, by="provider").rows}

    assert rows == {"OpenAI": 3.75, "Anthropic": 4.0, "Google Vertex": 0.75}


def test_endpoint_rows_are_labelled_with_model_and_provider() -> None:
    rows = {row.key: row.label for row in summarize(REPORT, by="endpoint").rows}

    assert rows["e-vertex"] == "anthropic/claude-sonnet-4 via Google Vertex"


def test_group_by_none_gives_one_row_equal_to_the_total() -> None:
    summary = summarize(REPORT, by="none")

    assert summary.rows == (attrs.evolve(summary.total, key="all", label="all"),)


def test_top_keeps_n_rows_and_adds_up_the_rest_as_other() -> None:
    summary = summarize(REPORT, by="date", sort="cost", top=1)

    assert [row.key for row in summary.rows] == ["2025-08-01"]
    assert summary.other is not None
    assert summary.other_groups == 2
    assert summary.other.cost == 3.0
    assert summary.other.requests == 21


def test_top_larger_than_the_groups_leaves_no_other() -> None:
    summary = summarize(REPORT, top=10)

    assert summary.other is None
    assert summary.other_groups == 0


def test_since_and_until_include_both_days() -> None:
    summary = summarize(REPORT, by="date", since="2025-08-02", until=dt.date(2025, 8, 3))

    assert [row.key for row in summary.rows] == ["2025-08-02", "2025-08-03"]
    assert (summary.first_date, summary.last_date) == ("2025-08-02", "2025-08-03")


def test_model_filter_matches_a_substring_of_slug_or_permaslug_in_any_case() -> None:
    assert [row.key for row in summarize(REPORT, model="GPT").rows] == ["openai/gpt-4.1"]
    assert [row.key for row in summarize(REPORT, model="4-sonnet-2025").rows] == ["anthropic/claude-sonnet-4"]


def test_provider_filter_matches_a_substring_of_the_name_in_any_case_like_model() -> None:
    assert summarize(REPORT, provider="google vertex").total.cost == 0.75
    assert summarize(REPORT, provider="GOOGLE").total.cost == 0.75
    assert summarize(REPORT, provider="ai").total.cost == 3.75  # OpenAI
    assert summarize(REPORT, provider="bedrock").total.activity_rows == 0


def test_nothing_left_after_filters_gives_zero_totals_and_no_dates() -> None:
    summary = summarize(REPORT, since="2030-01-01")

    assert summary.rows == ()
    assert summary.total.cost == 0.0
    assert summary.total.requests == 0
    assert (summary.first_date, summary.last_date) == (None, None)


@pytest.mark.parametrize(
    ("arguments", "parameter"),
    [
        ({"by": "week"}, "by"),
        ({"by": ["model"]}, "by"),
        ({"sort": "price"}, "sort"),
        ({"sort": "usage"}, "sort"),
        ({"top": 0}, "top"),
        ({"top": True}, "top"),
        ({"top": 2.0}, "top"),
        ({"top": "3"}, "top"),
        ({"since": "2025-8-1"}, "since"),
        ({"until": "20250801"}, "until"),
        ({"since": dt.datetime(2025, 8, 1, 10, 30)}, "since"),
        ({"since": "2025-08-03", "until": "2025-08-01"}, "since"),
        ({"model": ""}, "model"),
        ({"provider": ""}, "provider"),
        ({"provider": "  "}, "provider"),
        ({"model": 4}, "model"),
    ],
)
def test_refuses_bad_arguments_naming_them(arguments: dict[str, object], parameter: str) -> None:
    with pytest.raises(InvalidParameterError, match=parameter) as caught:
        summarize(REPORT, **arguments)  # type: ignore[arg-type]

    assert caught.value.parameter == parameter


@pytest.mark.parametrize(
    "report", [None, "2025-08-01", {"data": []}, 42, b"rows"], ids=["None", "str", "dict", "int", "bytes"]
)
def test_refuses_what_is_not_a_report(report: object) -> None:
    with pytest.raises(InvalidParameterError, match="ActivityResponse") as caught:
        summarize(report)  # type: ignore[arg-type]

    assert caught.value.parameter == "report"


def test_refuses_rows_that_are_not_activity_items_saying_which_and_how_to_make_one() -> None:
    rows = [REPORT[0], item(usage=1.0)]

    with pytest.raises(InvalidParameterError, match=r"report\[1\].*ActivityItem\.from_dict") as caught:
        summarize(rows)  # type: ignore[arg-type]

    assert caught.value.parameter == "report"


def test_refuses_a_response_whose_rows_are_not_activity_items() -> None:
    with pytest.raises(InvalidParameterError, match=r"report\[0\]"):
        summarize(ActivityResponse(data=[item()]))  # type: ignore[list-item]


def test_top_keeps_the_dearest_days_and_shows_them_in_date_order() -> None:
    report = [
        activity(date="2025-08-01", usage=1.0),
        activity(date="2025-08-02", usage=5.0),
        activity(date="2025-08-03", usage=3.0),
        activity(date="2025-08-04", usage=0.5),
    ]

    summary = summarize(report, by="date", top=2)

    assert [row.key for row in summary.rows] == ["2025-08-02", "2025-08-03"]
    assert summary.other is not None
    assert (summary.other_groups, summary.other.cost) == (2, 1.5)


def test_top_with_a_numeric_sort_keeps_the_largest_by_that_column() -> None:
    summary = summarize(REPORT, by="date", sort="requests", top=1)

    assert [row.key for row in summary.rows] == ["2025-08-02"]


def test_top_sorted_by_key_keeps_the_dearest_groups_in_key_order() -> None:
    report = [activity(model=name, usage=cost) for name, cost in (("a/x", 1.0), ("b/y", 3.0), ("c/z", 2.0))]

    summary = summarize(report, sort="key", top=2)

    assert [row.key for row in summary.rows] == ["b/y", "c/z"]


def test_is_exported_by_the_package() -> None:
    assert openrouter_analytics.summarize is summarize
    assert openrouter_analytics.SummaryRow is SummaryRow


rows_strategy = st.lists(
    st.builds(
        lambda day, model, provider, usage, requests, tokens, cached: activity(
            date=f"2025-08-{day:02d}",
            model=model,
            provider_name=provider,
            endpoint_id=f"{model}@{provider}",
            usage=usage,
            requests=requests,
            prompt_tokens=tokens,
            cached_tokens=cached,
        ),
        st.integers(1, 28),
        st.sampled_from(["a/x", "b/y", "c/z"]),
        st.sampled_from(["P1", "P2"]),
        st.floats(0, 1000, allow_nan=False),
        st.integers(0, 10_000),
        st.integers(0, 10**9),
        st.integers(0, 10**9),
    ),
    max_size=40,
)


@given(rows_strategy, st.sampled_from(["date", "model", "provider", "endpoint", "none"]), st.integers(1, 5))
def test_rows_and_other_add_up_to_the_total_under_any_grouping(
    report: list[ActivityItem], by: str, top: int
) -> None:
    summary: Summary = summarize(report, by=by, top=top)  # type: ignore[arg-type]
    parts = [*summary.rows, *([summary.other] if summary.other else [])]

    assert sum(row.requests for row in parts) == summary.total.requests
    assert sum(row.prompt_tokens for row in parts) == summary.total.prompt_tokens
    assert sum(row.cached_tokens for row in parts) == summary.total.cached_tokens
    assert summary.total.cached_tokens == sum(row.cached_tokens for row in report)
    assert sum(row.activity_rows for row in parts) == len(report)
    assert math.isclose(math.fsum(row.cost for row in parts), summary.total.cost, rel_tol=1e-12, abs_tol=1e-9)
    assert summary.total.cost == math.fsum(row.usage for row in report)


def test_speaks_the_tools_vocabulary() -> None:
    from openrouter_analytics.cli.columns import METRICS, SORT_CHOICES

    assert SORT_KEYS == SORT_CHOICES
    assert [field for field, _, _ in METRICS] == [
        name for name in attrs.fields_dict(SummaryRow) if name not in {"key", "label", "activity_rows"}
    ]


def test_groups_by_workspace_when_the_rows_carry_it() -> None:
    report = [
        activity(usage=1.0, workspace_id="w-1"),
        activity(usage=2.5, workspace_id="w-2"),
        activity(usage=0.5, workspace_id="w-1"),
    ]

    rows = {row.key: row.cost for row in summarize(report, by="workspace").rows}

    assert rows == {"w-1": 1.5, "w-2": 2.5}


def test_grouping_by_workspace_refuses_rows_without_one_saying_how_to_get_them() -> None:
    with pytest.raises(InvalidParameterError, match="group_by='workspace'") as caught:
        summarize(REPORT, by="workspace")

    assert caught.value.parameter == "by"


@pytest.mark.parametrize(
    "costs",
    [[1.7e308, 1.7e308], [10**400], [0.5, -1.7e308, -1.7e308]],
    ids=["two doubles near the largest", "a whole number of 401 digits", "negative"],
)
@pytest.mark.parametrize("field", ["usage", "byok_usage_inference"])
def test_costs_that_add_up_beyond_a_double_are_refused_naming_the_group(
    costs: list[float], field: str
) -> None:
    rows = ActivityResponse.from_dict({"data": [item(**{field: cost}) for cost in costs]})
    with pytest.raises(InvalidParameterError) as refused:
        summarize(rows, by="model")
    assert refused.value.parameter == "report"
    assert "'openai/gpt-4.1' adds up beyond a double's range" in str(refused.value)
    with pytest.raises(InvalidParameterError, match="beyond a double's range"):
        openrouter_analytics.check_spend(rows, max_cost=1.0, day="2025-08-24", today="2025-08-25")


def test_by_date_groups_a_day_however_its_time_is_written() -> None:
    """Rows dated "2026-09-01" and "2026-09-01 00:00:00" are one day, as since/until read them."""
    rows = ActivityResponse.from_dict(
        {"data": [item(date="2026-09-01", usage=1.0), item(date="2026-09-01 00:00:00", usage=2.0)]}
    )
    summary = summarize(rows, by="date", since="2026-09-01", until="2026-09-01")
    assert [(row.key, row.cost, row.activity_rows) for row in summary.rows] == [("2026-09-01", 3.0, 2)]
