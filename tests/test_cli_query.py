"""The pieces of ``query`` and ``meta`` that need no server: options to arguments, formats, the grid."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any, get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openrouter_analytics.cli.commands import query
from openrouter_analytics.cli.exits import UsageError
from openrouter_analytics.cli.grid import Column, render_grid
from openrouter_analytics.cli.parser import parse_args
from openrouter_analytics.cli.results import columns_of, format_value, render_csv, render_table
from openrouter_analytics_client.models.granularity_name import GranularityName
from openrouter_analytics_client.models.operator_name import OperatorName


def args(*argv: str) -> argparse.Namespace:
    return parse_args(["query", *argv])


@pytest.mark.parametrize("number", ["-1", "-0.5", "-.5", "-1e3", "-1.5E-3", "-2e+2"])
def test_a_negative_number_is_a_filter_value_not_an_option(number: str) -> None:
    parsed = args("--metrics", "total_usage", "--filter", "total_usage", "gt", number)

    assert parsed.filters == [["total_usage", "gt", number]]


def test_the_operators_and_granularities_are_the_specs() -> None:
    assert set(query.OPERATORS) == set(get_args(OperatorName))
    assert set(query.GRANULARITIES) == set(get_args(GranularityName))


@pytest.mark.parametrize(
    ("text", "value"),
    [("100", 100), ("-3", -3), ("0.25", 0.25), ("1e3", 1000.0), (".5", 0.5), ("OpenAI", "OpenAI"),
     ("1.2.3", "1.2.3"), ("nan", "nan"), ("inf", "inf"), ("0x10", "0x10"), ("", "")],
)  # fmt: skip
def test_a_value_that_reads_as_a_number_is_sent_as_one(text: str, value: object) -> None:
    sent = query.filter_value("eq", text, "--filter")

    assert sent == value
    assert type(sent) is type(value)


def test_list_operators_split_on_commas_and_trim() -> None:
    assert query.filter_value("in", "OpenAI, Anthropic ,7", "--filter") == ["OpenAI", "Anthropic", 7]
    assert query.filter_value("not_in", "Groq", "--filter") == ["Groq"]
    assert query.filter_value("eq", "a,b", "--filter") == "a,b"


def test_an_empty_list_item_is_a_usage_error_naming_the_filter() -> None:
    with pytest.raises(UsageError, match="--filter provider in: 'a,' has an empty value"):
        query.filter_value("in", "a,", "--filter provider in")


def test_arguments_hold_only_what_was_given() -> None:
    assert query.query_arguments(args("--metrics", "total_usage")) == {"metrics": ["total_usage"]}


def test_arguments_of_every_option() -> None:
    arguments = query.query_arguments(
        args(
            "--metrics", "total_usage, request_count", "--dimensions", "model", "--granularity", "week",
            "--since", "2026-01-01", "--until", "2026-03-31", "--filter", "user", "eq", "user_1",
            "--order-by", "date:asc", "--limit", "10", "--group-limit", "2",
        )
    )  # fmt: skip

    assert arguments == {
        "metrics": ["total_usage", "request_count"],
        "dimensions": ["model"],
        "granularity": "week",
        "time_range": {
            "start": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            "end": dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
        },
        "filters": [{"field": "user", "operator": "eq", "value": "user_1"}],
        "order_by": {"field": "date", "direction": "asc"},
        "limit": 10,
        "group_limit": 2,
    }


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (None, None, None),
        ("2026-09-01", "2026-09-01", ("2026-09-01", "2026-09-02")),
        ("2026-02-27", "2026-03-01", ("2026-02-27", "2026-03-02")),
        ("2026-09-01", None, ("2026-09-01", "2026-10-11")),
        (None, "2026-09-30", ("2026-09-24", "2026-10-01")),
    ],
)
def test_days_are_whole_utc_days_both_included(
    since: str | None, until: str | None, expected: tuple[str, str] | None
) -> None:
    window = query.time_range(since, until, today=dt.date(2026, 10, 10))

    if expected is None:
        assert window is None
    else:
        assert window == {
            "start": dt.datetime.fromisoformat(f"{expected[0]}T00:00:00+00:00"),
            "end": dt.datetime.fromisoformat(f"{expected[1]}T00:00:00+00:00"),
        }


@pytest.mark.parametrize("text", ["total_usage:up", ":asc", "a:b:c"])
def test_a_bad_order_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="--order-by"):
        query.query_arguments(args("--metrics", "m", "--order-by", text))


@pytest.mark.parametrize(
    ("value", "display_format", "text"),
    [
        (12.34561, "currency", "$12.3456"),
        (1234.5, "currency", "$1,234.5000"),
        (0.1234, "percent", "12.3%"),
        (1, "percent", "100.0%"),
        (1834.4, "latency", "1,834 ms"),
        (92.06, "throughput", "92.1 tok/s"),
        (1234567, "number", "1,234,567"),
        (2**53 + 1, "number", "9,007,199,254,740,993"),
        (2**63 - 1, "number", "9,223,372,036,854,775,807"),
        (10**400, "currency", "1" + "0" * 400),
        (1234.5678, "number", "1,234.57"),
        (3.0, "number", "3"),
        (0.1, None, "0.1"),
        (0.1, "sparkles", "0.1"),
        ("n/a", "currency", "n/a"),
        (None, "currency", ""),
        (True, "number", "true"),
    ],
)
def test_values_are_shown_by_their_display_format(
    value: object, display_format: str | None, text: str
) -> None:
    assert format_value(value, display_format) == text


def test_columns_are_buckets_then_dimensions_then_metrics_then_the_rest() -> None:
    rows: list[dict[str, Any]] = [
        {"total_usage": 1.0, "extra": "x", "model": "m", "date__day": "2026-09-01T00:00:00.000Z"},
        {"provider": "p", "late": 1},
    ]

    columns = columns_of(rows, metrics=["total_usage"], dimensions=["provider", "model"])

    assert columns == ["date__day", "provider", "model", "total_usage", "extra", "late"]


def test_columns_asked_for_are_there_even_when_no_row_matched() -> None:
    columns = columns_of([], metrics=["total_usage"], dimensions=["model"], granularity="week")

    assert columns == ["date__week", "model", "total_usage"]


def test_hour_buckets_show_the_time_and_days_do_not() -> None:
    rows = [{"date__hour": "2026-09-01T13:00:00.000Z", "request_count": 5}]
    hourly = render_table(
        rows, ["date__hour", "request_count"], metrics=["request_count"], formats={}, granularity="hour",
        caption="c", width=80,
    )  # fmt: skip
    daily = render_table(
        [{"date__day": "2026-09-01T00:00:00.000Z", "request_count": 5}], ["date__day", "request_count"],
        metrics=["request_count"], formats={}, granularity="day", caption="c", width=80,
    )  # fmt: skip

    assert "2026-09-01 13:00" in hourly
    assert "2026-09-01" in daily
    assert "00:00" not in daily


def test_csv_keeps_full_precision_and_leaves_missing_values_empty() -> None:
    text = render_csv([{"a": 0.1 + 0.2, "b": None}, {"a": 1}], ["a", "b"])

    assert text.splitlines() == ["a,b", "0.30000000000000004,", "1,"]


cells = st.text(alphabet="abcdefghij_/-. 0123456789$%", max_size=40)


@given(
    st.lists(st.tuples(cells, st.sampled_from(["left", "right"]), st.booleans()), min_size=1, max_size=8),
    st.lists(st.lists(cells, min_size=8, max_size=8), max_size=6),
    st.integers(4, 250),
)
def test_no_line_of_a_grid_is_wider_than_the_screen(
    spec: list[tuple[str, Any, bool]], rows: list[list[str]], width: int
) -> None:
    columns = [Column(header or "h", align, shrink) for header, align, shrink in spec]
    grid = render_grid(columns, [row[: len(columns)] for row in rows], width=width)

    assert all(len(line) <= width for line in grid.lines)
    assert len(grid.left_out) < len(columns)
    if grid.records or grid.left_out:  # the width named is one that would show more
        assert grid.needed is not None
        assert grid.needed > width
    if grid.records:
        assert not grid.left_out
        assert all(
            "".join(cell.split()) in "".join(grid.lines).replace(" ", "")
            for row in rows
            for cell in row[: len(columns)]
        )


def test_a_grid_leaves_out_columns_from_the_right_and_says_which() -> None:
    columns = [Column("name", shrink=True), Column("a" * 30), Column("b" * 30)]

    grid = render_grid(columns, [["x", "1", "2"]], width=50)

    assert grid.left_out == ["b" * 30]
    assert all(len(line) <= 50 for line in grid.lines)
    assert grid.note(50, "--format json") == (
        f"50 columns leave out {'b' * 30}; {4 + 30 + 30 + 2} columns show it, as does --format json"
    )


TWO_DIMENSIONS: list[dict[str, Any]] = [
    {
        "model": "anthropic/claude-4-sonnet-20250522",
        "provider": p,
        "total_usage": 381.4679,
        "request_count": 16963,
    }
    for p in ("Anthropic", "Google Vertex", "Amazon Bedrock")
]
FORMATS = {"total_usage": "currency", "request_count": "number"}


def two_dimension_table(width: int, notes: list[str]) -> list[str]:
    columns = columns_of(
        TWO_DIMENSIONS, metrics=["total_usage", "request_count"], dimensions=["model", "provider"]
    )
    return render_table(
        TWO_DIMENSIONS, columns, metrics=["total_usage", "request_count"], dimensions=["model", "provider"],
        formats=FORMATS, granularity=None, caption="c", width=width, note=notes.append,
    ).splitlines()  # fmt: skip


def test_a_narrow_query_table_keeps_both_dimensions_and_the_first_metric_and_names_what_it_left_out() -> None:
    notes: list[str] = []

    lines = two_dimension_table(60, notes)

    assert all(len(line) <= 60 for line in lines)
    assert [line.split()[:2] for line in lines[-3:]] == [
        ["anthropic/claude-4-sonnet-20250522", provider] for provider in ("Anthropic", "Google", "Amazon")
    ]
    assert all(line.endswith("$381.4679") for line in lines[-3:])
    # request_count breaks onto two lines, "request" over "count"
    needed = len("anthropic/claude-4-sonnet-20250522 Amazon Bedrock $381.4679 request")
    assert notes == [
        f"60 columns leave out request_count; {needed} columns show it, as does --format csv or json"
    ]


def test_a_query_table_too_narrow_for_its_dimensions_shows_each_row_as_a_record() -> None:
    notes: list[str] = []

    lines = two_dimension_table(40, notes)

    assert all(len(line) <= 40 for line in lines)
    assert lines.count("  anthropic/claude-4-sonnet-20250522") == 3
    assert [line for line in lines if line.startswith("provider")] == [
        "provider       Anthropic", "provider       Google Vertex", "provider       Amazon Bedrock"
    ]  # fmt: skip
    assert lines.count("total_usage    $381.4679") == 3
    assert lines.count("request_count  16,963") == 3
    needed = len("anthropic/claude-4-sonnet-20250522 Amazon Bedrock $381.4679")
    assert notes == [
        "40 columns are too narrow for the table, so each row is a record, one field per line; "
        f"{needed} columns show the table"
    ]


def test_a_query_table_wide_enough_says_nothing() -> None:
    notes: list[str] = []

    lines = two_dimension_table(80, notes)

    assert notes == []
    assert "anthropic/claude-4-sonnet-20250522" in lines[-1]


def test_a_column_of_key_hashes_is_shown_whole_before_other_metrics() -> None:
    hashes = [f"{n:x}" * 64 for n in (10, 11, 12)]
    rows = [{"api_key_id": h, "total_usage": 1.5, "request_count": 3, "p50_latency": 812.0} for h in hashes]
    metrics = ["total_usage", "request_count", "p50_latency"]
    notes: list[str] = []

    columns = columns_of(rows, metrics=metrics, dimensions=["api_key_id"])
    table = render_table(
        rows, columns, metrics=metrics, dimensions=["api_key_id"], formats=FORMATS, granularity=None,
        caption="c", width=80, note=notes.append,
    )  # fmt: skip

    assert all(h in table for h in hashes)
    assert all(len(line) <= 80 for line in table.splitlines())
    assert notes == [
        f"80 columns leave out p50_latency; {64 + 1 + 7 + 1 + 7 + 1 + 7} columns show it, as does "
        "--format csv or json"
    ]


@given(
    st.lists(st.tuples(cells, st.sampled_from(["left", "right"]), st.booleans(), st.booleans()), min_size=1,
             max_size=8),
    st.lists(st.lists(cells, min_size=8, max_size=8), max_size=6),
    st.integers(4, 250),
)  # fmt: skip
def test_a_grid_never_leaves_out_a_column_to_keep(
    spec: list[tuple[str, Any, bool, bool]], rows: list[list[str]], width: int
) -> None:
    columns = [
        Column(f"{i}{header}", align, shrink, keep=keep)
        for i, (header, align, shrink, keep) in enumerate(spec)
    ]
    grid = render_grid(columns, [row[: len(columns)] for row in rows], width=width)

    assert all(len(line) <= width for line in grid.lines)
    assert not {column.header for column in columns if column.keep} & set(grid.left_out)
    assert len(grid.left_out) < len(columns)
