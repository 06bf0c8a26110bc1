"""``openrouter-activity meta`` and ``query``, installed, against a local API with known answers.

The server records every request, so each test checks both what the tool sent and what it
made of the answer.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from cli_support import SECRET, Received, api_server, error_body, refused_url, run_tool
from test_cli_e2e import run_on_terminal

pytestmark = pytest.mark.slow

ANSI = re.compile(r"\x1b\[[0-9;]*m")

META: dict[str, Any] = {
    "data": {
        "metrics": [
            {
                "name": "total_usage",
                "display_label": "Total Usage",
                "is_rate": False,
                "display_format": "currency",
            },
            {
                "name": "request_count",
                "display_label": "Requests",
                "is_rate": False,
                "display_format": "number",
            },
            {
                "name": "cache_hit_rate",
                "display_label": "Cache Hit Rate",
                "is_rate": True,
                "display_format": "percent",
            },
            {
                "name": "p50_latency",
                "display_label": "P50 Latency",
                "is_rate": True,
                "display_format": "latency",
            },
            {
                "name": "avg_throughput",
                "display_label": "Throughput",
                "is_rate": True,
                "display_format": "throughput",
            },
        ],
        "dimensions": [
            {"name": "model", "display_label": "Model"},
            {"name": "provider", "display_label": "Provider"},
            {"name": "api_key_id", "display_label": "API Key"},
        ],
        "operators": [
            {"name": name, "value_type": "array" if name in ("in", "not_in") else "scalar"}
            for name in ("eq", "neq", "gt", "gte", "lt", "lte", "in", "not_in")
        ],
        "granularities": [{"name": name, "display_label": name.title()} for name in ("hour", "day", "week")],
    }
}

ROWS: list[dict[str, Any]] = [
    {
        "model": "anthropic/claude-4-sonnet-20250522",
        "total_usage": 464.753012,
        "request_count": 20912,
        "cache_hit_rate": 0.4172,
        "p50_latency": 1834.4,
        "avg_throughput": 61.27,
    },
    {
        "model": "google/gemini-2.5-flash",
        "total_usage": 178.86801234567,
        "request_count": 81247,
        "cache_hit_rate": 0.0913,
        "p50_latency": 612.0,
        "avg_throughput": 182.44,
    },
    {
        "model": "",  # not attributed
        "total_usage": 0.1,
        "request_count": 3,
        "cache_hit_rate": 0.0,
        "p50_latency": 90.0,
        "avg_throughput": 12.5,
        "origin": "playground",  # a column nobody asked for: shown, not dropped
    },
]
METRICS = "total_usage,request_count,cache_hit_rate,p50_latency,avg_throughput"

DAYS: list[dict[str, Any]] = [
    {"date__day": "2026-09-03T00:00:00.000Z", "total_usage": 40.3809},
    {"date__day": "2026-09-01T00:00:00.000Z", "total_usage": 36.5531},
    {"date__day": "2026-09-02T00:00:00.000Z", "total_usage": 4.0978},
]


def answer(
    rows: list[dict[str, Any]], *, truncated: bool = False, warnings: list[str] | None = None
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "data": rows,
        "metadata": {"query_time_ms": 42.5, "row_count": len(rows), "truncated": truncated},
        "cachedAt": 1760000000.5,
    }
    if warnings is not None:
        result["warnings"] = warnings
    return {"data": result}


@pytest.fixture(scope="module")
def api() -> Iterator[tuple[str, list[Received]]]:
    routes = {"GET /analytics/meta": (200, META), "POST /analytics/query": (200, answer(ROWS))}
    with api_server(routes) as served:
        yield served


def query(url: str, *args: str) -> Any:
    return run_tool("query", "--base-url", url, *args)


def last_body(received: list[Received]) -> Any:
    """The JSON body of the last query, its time range as aware datetimes (RFC 3339 allows
    both Z and +00:00 for UTC)."""
    posts = [request for request in received if request.method == "POST"]
    assert posts, "nothing was sent"
    body = copy.deepcopy(posts[-1].body)
    if "time_range" in body:
        body["time_range"] = {end: instant(text) for end, text in body["time_range"].items()}
    return body


def instant(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    assert moment.utcoffset() == dt.timedelta(0), text
    return moment


def utc(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T00:00:00+00:00")


def test_every_documented_flag_is_sent_as_the_api_expects(api: tuple[str, list[Received]]) -> None:
    url, received = api

    run = query(
        url,
        "--metrics", "total_usage,request_count",
        "--dimensions", "model,provider",
        "--granularity", "day",
        "--since", "2026-09-01",
        "--until", "2026-09-07",
        "--filter", "provider", "in", "OpenAI, Anthropic",
        "--filter", "request_count", "gt", "100",
        "--filter", "model", "eq", "openai/gpt-4.1",
        "--order-by", "total_usage:asc",
        "--limit", "50",
        "--group-limit", "5",
        "--format", "json",
    )  # fmt: skip

    assert run.code == 0, run.stderr
    assert last_body(received) == {
        "metrics": ["total_usage", "request_count"],
        "dimensions": ["model", "provider"],
        "granularity": "day",
        "time_range": {"start": utc("2026-09-01"), "end": utc("2026-09-08")},
        "filters": [
            {"field": "provider", "operator": "in", "value": ["OpenAI", "Anthropic"]},
            {"field": "request_count", "operator": "gt", "value": 100},
            {"field": "model", "operator": "eq", "value": "openai/gpt-4.1"},
        ],
        "order_by": {"field": "total_usage", "direction": "asc"},
        "limit": 50,
        "group_limit": 5,
    }


@pytest.mark.parametrize(
    ("operator", "value", "sent"),
    [
        ("eq", "OpenAI", "OpenAI"),
        ("neq", "Groq", "Groq"),
        ("gt", "100", 100),
        ("gte", "0.5", 0.5),
        ("lt", "-2.5", -2.5),
        ("lte", "1e3", 1000.0),
        ("in", "OpenAI,Anthropic", ["OpenAI", "Anthropic"]),
        ("not_in", "12,abc,3.5", [12, "abc", 3.5]),
        ("eq", "", ""),
    ],
)
def test_each_filter_operator_sends_its_value_in_the_right_shape(
    api: tuple[str, list[Received]], operator: str, value: str, sent: object
) -> None:
    url, received = api

    run = query(url, "--metrics", "request_count", "--filter", "provider", operator, value, "--format", "csv")

    assert run.code == 0, run.stderr
    (sent_filter,) = last_body(received)["filters"]
    assert sent_filter == {"field": "provider", "operator": operator, "value": sent}
    assert type(sent_filter["value"]) is type(sent)


def test_order_by_alone_means_descending(api: tuple[str, list[Received]]) -> None:
    url, received = api

    assert query(url, "--metrics", "total_usage", "--order-by", "total_usage", "--format", "csv").code == 0
    assert last_body(received)["order_by"] == {"field": "total_usage", "direction": "desc"}


def test_one_day_is_since_midnight_to_the_next_midnight(api: tuple[str, list[Received]]) -> None:
    url, received = api

    run = query(
        url, "--metrics", "total_usage", "--since", "2026-09-30", "--until", "2026-09-30", "--format", "csv"
    )

    assert run.code == 0, run.stderr
    assert last_body(received)["time_range"] == {"start": utc("2026-09-30"), "end": utc("2026-10-01")}


def test_without_dates_the_api_chooses_the_window(api: tuple[str, list[Received]]) -> None:
    url, received = api

    assert query(url, "--metrics", "total_usage", "--format", "csv").code == 0
    assert last_body(received) == {"metrics": ["total_usage"]}


def test_since_alone_runs_to_the_end_of_today_and_until_alone_covers_seven_days(
    api: tuple[str, list[Received]],
) -> None:
    url, received = api

    assert query(url, "--metrics", "total_usage", "--since", "2026-09-01", "--format", "csv").code == 0
    since_only = last_body(received)["time_range"]
    assert query(url, "--metrics", "total_usage", "--until", "2026-09-07", "--format", "csv").code == 0
    until_only = last_body(received)["time_range"]

    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    assert since_only["start"] == utc("2026-09-01")
    assert since_only["end"] in {
        utc(str(tomorrow)),
        utc(str(tomorrow + dt.timedelta(days=1))),
    }  # midnight race
    assert until_only == {"start": utc("2026-09-01"), "end": utc("2026-09-08")}


def test_table_formats_each_metric_by_its_display_format(api: tuple[str, list[Received]]) -> None:
    url, _ = api

    run = query(url, "--metrics", METRICS, "--dimensions", "model", "--color", "never")

    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    first = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=7)
    today = dt.datetime.now(dt.UTC).date()
    assert lines[0] == f"OpenRouter analytics, {first} to {today} (the last 7 days): 3 rows"
    rule = next(index for index, line in enumerate(lines) if line.startswith("─"))
    headers = [word for line in lines[2:rule] for word in line.split()]
    # The whole model name leaves no room for the last two columns at 80, which a note names.
    assert headers == ["total", "request", "cache", "p50",
                       "model", "usage", "count", "hit_rate", "latency"]  # fmt: skip
    rows = [line.split() for line in lines[rule + 1 :]]
    assert rows == [
        ["anthropic/claude-4-sonnet-20250522", "$464.7530", "20,912", "41.7%", "1,834", "ms"],
        ["google/gemini-2.5-flash", "$178.8680", "81,247", "9.1%", "612", "ms"],
        ["(none)", "$0.1000", "3", "0.0%", "90", "ms"],  # the model of a request nobody is attributed to
    ]
    assert max(len(line) for line in lines) <= 80
    assert run.stderr.startswith("openrouter-activity: note: 80 columns leave out avg_throughput, origin; ")
    wide = run_tool("query", "--base-url", url, "--metrics", METRICS, "--dimensions", "model",
                    env={"COLUMNS": "200"})  # fmt: skip
    assert [line.split()[-2:] for line in wide.stdout.splitlines()[-3:]] == [
        ["61.3", "tok/s"], ["182.4", "tok/s"], ["tok/s", "playground"]
    ]  # fmt: skip
    assert "playground" in wide.stdout


def test_table_shows_raw_values_when_the_catalogue_cannot_be_read() -> None:
    routes = {
        "GET /analytics/meta": (500, error_body(500, "Internal Server Error")),
        "POST /analytics/query": (200, answer(ROWS)),
    }
    with api_server(routes) as (url, _):
        run = query(
            url, "--metrics", "total_usage,request_count", "--dimensions", "model", "--max-retries", "0"
        )

    assert run.code == 0, run.stderr
    assert "464.753012" in run.stdout
    assert "$" not in run.stdout
    assert "metric formats could not be read" in run.stderr


def test_csv_parses_back_to_the_rows_the_server_sent(api: tuple[str, list[Received]]) -> None:
    url, _ = api

    run = query(url, "--metrics", METRICS, "--dimensions", "model", "--format", "csv")

    assert run.code == 0, run.stderr
    records = list(csv.DictReader(io.StringIO(run.stdout)))
    assert list(records[0]) == ["model", *METRICS.split(","), "origin"]
    for record, row in zip(records, ROWS, strict=True):
        assert record["model"] == row["model"]
        assert float(record["total_usage"]) == row["total_usage"]
        assert int(record["request_count"]) == row["request_count"]
        assert record["origin"] == row.get("origin", "")


def test_jsonl_is_each_row_as_sent(api: tuple[str, list[Received]]) -> None:
    url, _ = api

    run = query(url, "--metrics", METRICS, "--dimensions", "model", "--format", "jsonl")

    assert run.code == 0, run.stderr
    assert [json.loads(line) for line in run.stdout.splitlines()] == ROWS


def test_json_is_the_whole_answer(api: tuple[str, list[Received]]) -> None:
    url, _ = api

    run = query(url, "--metrics", METRICS, "--dimensions", "model", "--format", "json")

    assert run.code == 0, run.stderr
    assert json.loads(run.stdout) == answer(ROWS)


def test_truncation_and_warnings_go_to_stderr_and_leave_stdout_clean() -> None:
    unresolved = "api_key_id filter value 'abc' could not be resolved"
    routes = {
        "GET /analytics/meta": (200, META),
        "POST /analytics/query": (200, answer(ROWS[:2], truncated=True, warnings=[unresolved])),
    }
    with api_server(routes) as (url, _):
        runs = [
            query(url, "--metrics", METRICS, "--dimensions", "model", *view)
            for view in (["--format", "csv"], [])
        ]

    for run in runs:
        assert run.code == 0, run.stderr
        assert f"openrouter-activity: warning: the server says: {unresolved}" in run.stderr.splitlines()
        assert "truncated to 2 rows" in run.stderr
        assert "--limit" in run.stderr
        assert "truncated" not in run.stdout
        assert unresolved not in run.stdout
    assert len(list(csv.DictReader(io.StringIO(runs[0].stdout)))) == 2


def test_chart_has_a_bar_per_day_in_date_order() -> None:
    routes = {"GET /analytics/meta": (200, META), "POST /analytics/query": (200, answer(DAYS))}
    with api_server(routes) as (url, _):
        run = query(url, "--metrics", "total_usage", "--granularity", "day", "--chart")

    assert run.code == 0, run.stderr
    bars = [line for line in run.stdout.splitlines() if line.startswith("2026-")]
    assert [line.split()[0] for line in bars] == ["2026-09-01", "2026-09-02", "2026-09-03"]
    assert [line.split()[-1] for line in bars] == ["$36.5531", "$4.0978", "$40.3809"]
    assert "total_usage per day" in run.stdout
    assert bars[2].count("█") > bars[0].count("█") > bars[1].count("█")


def test_shared_options_work_before_and_after_the_command(api: tuple[str, list[Received]]) -> None:
    url, received = api
    before = run_tool(
        "--base-url", url, "--max-retries", "0", "query", "--metrics", "total_usage", "--format", "csv"
    )
    after = run_tool("query", "--metrics", "total_usage", "--format", "csv", "--base-url", url, "--verbose")

    assert before.code == after.code == 0, before.stderr + after.stderr
    assert before.stdout == after.stdout
    assert "POST" in after.stderr
    assert received[-1].headers["authorization"] == f"Bearer {SECRET}"


def test_meta_tables_list_what_the_account_can_query(api: tuple[str, list[Received]]) -> None:
    url, _ = api

    run = run_tool("meta", "--base-url", url)

    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert "Metrics (5)" in lines
    assert any(
        line.split() == ["cache_hit_rate", "Cache", "Hit", "Rate", "rate", "percent"] for line in lines
    )
    assert any(line.split() == ["total_usage", "Total", "Usage", "sum", "currency"] for line in lines)
    assert any(line.split()[:2] == ["not_in", "a"] for line in lines)
    assert "Granularities (3)" in lines
    assert max(len(line) for line in lines) <= 80


def test_meta_json_is_the_catalogue_as_sent(api: tuple[str, list[Received]]) -> None:
    url, _ = api

    run = run_tool("--base-url", url, "meta", "--format", "json")

    assert run.code == 0, run.stderr
    assert json.loads(run.stdout) == META


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--filter", "provider", "like", "Open"], ["--filter provider like Open", "not an operator"]),
        (["--filter", "provider", "in", "OpenAI,,Groq"], ["--filter provider in", "empty value"]),
        (["--limit", "20000"], ["--limit must be a whole number from 1 to 10,000"]),
        (["--limit", "0"], ["argument --limit"]),
        (["--order-by", "total_usage:up"], ["--order-by 'total_usage:up'", "FIELD:asc"]),
        (["--dimensions", "model,"], ["argument --dimensions", "empty name"]),
        (["--dimensions", "a,b,c"], ["--dimensions takes at most 2"]),
        (
            ["--since", "2026-09-08", "--until", "2026-09-01"],
            ["--since 2026-09-08 is after --until 2026-09-01"],
        ),
        (["--chart", "--format", "csv"], ["--chart"]),
        (["--granularity", ""], ["argument --granularity"]),
    ],
)
def test_bad_options_are_usage_errors_naming_the_flag_before_anything_is_sent(
    argv: list[str], words: list[str]
) -> None:
    with refused_url() as url:  # refused: nothing may be sent
        run = query(url, "--metrics", "total_usage", *argv)

    assert run.code == 2, run.stderr
    assert run.stdout == ""
    line = run.stderr.strip()
    assert "\n" not in line
    for word in words:
        assert word in line
    assert "filters[" not in line
    assert "group_limit" not in line


def test_metrics_are_required() -> None:
    run = run_tool("query", "--format", "csv")

    assert run.code == 2
    assert "--metrics" in run.stderr


def test_a_400_points_to_meta() -> None:
    routes = {"POST /analytics/query": (400, error_body(400, "Unknown metric: total_cost"))}
    with api_server(routes) as (url, _):
        run = query(url, "--metrics", "total_cost")

    assert run.code == 2
    assert "Unknown metric: total_cost" in run.stderr
    assert "'openrouter-activity meta' lists the metrics" in run.stderr


@pytest.mark.parametrize(
    "message",
    [
        "time_range: provider covers at most 31 days; narrow the window",
        "Time range too long for this dimension",
    ],
)
def test_a_400_about_the_window_points_to_since_and_until_not_meta(message: str) -> None:
    routes = {"POST /analytics/query": (400, error_body(400, message))}
    with api_server(routes) as (url, _):
        run = query(url, "--metrics", "total_usage", "--dimensions", "provider", "--since", "2026-01-01",
                    "--until", "2026-03-31")  # fmt: skip

    assert run.code == 2
    line = run.stderr.strip()
    assert line.endswith(
        "(the query covers 90 days, 2026-01-01 to 2026-03-31; narrow it with --since/--until)"
    )
    assert "meta" not in line


@pytest.mark.parametrize("format", ["table", "csv", "json"])
def test_no_row_with_filters_says_what_a_model_filter_takes(format: str) -> None:
    routes = {"GET /analytics/meta": (200, META), "POST /analytics/query": (200, answer([]))}
    with api_server(routes) as (url, _):
        run = query(url, "--metrics", "total_usage", "--filter", "model", "eq", "anthropic/claude-sonnet-4",
                    "--since", "2026-09-01", "--until", "2026-09-30", "--format", format)  # fmt: skip

    assert run.code == 0
    note = run.stderr.strip()
    assert note.startswith(
        "openrouter-activity: note: no row matches the filters in 2026-09-01 to 2026-09-30; "
    )
    assert "--filter model takes a permaslug such as anthropic/claude-4-sonnet-20250522" in note
    assert "'--dimensions model' lists them" in note
    assert "note" not in run.stdout


def test_no_row_with_filters_names_the_id_each_filter_takes() -> None:
    routes = {"GET /analytics/meta": (200, META), "POST /analytics/query": (200, answer([]))}
    with api_server(routes) as (url, _):
        run = query(url, "--metrics", "total_usage", "--filter", "workspace", "eq", "Production",
                    "--filter", "user", "in", "Ada,Bob", "--filter", "provider", "eq", "openai")  # fmt: skip

    assert run.code == 0
    note = run.stderr.strip()
    assert "--filter workspace takes a workspace UUID" in note
    assert "--filter user takes a user id" in note
    assert "'--dimensions FIELD' lists the values a dimension takes" in note
    assert "model" not in note


def test_rows_or_no_filters_need_no_note(api: tuple[str, list[Received]]) -> None:
    url, _ = api
    matched = query(
        url, "--metrics", "total_usage", "--filter", "model", "eq", "anthropic/claude-4-sonnet-20250522"
    )
    routes = {"GET /analytics/meta": (200, META), "POST /analytics/query": (200, answer([]))}
    with api_server(routes) as (empty_url, _):
        unfiltered = query(empty_url, "--metrics", "total_usage")

    assert (matched.code, matched.stderr) == (0, "")
    assert (unfiltered.code, unfiltered.stderr) == (0, "")


def test_a_408_exits_4_suggesting_a_narrower_query() -> None:
    routes = {"POST /analytics/query": (408, error_body(408, "Operation timed out. Please try again later."))}
    with api_server(routes) as (url, _):
        run = query(url, "--metrics", "p99_latency", "--max-retries", "0")

    assert run.code == 4
    assert "narrow --since/--until" in run.stderr


def test_the_key_is_in_no_output_of_meta_or_query() -> None:
    echoed = error_body(401, f"Key {SECRET} is not valid")
    leaky_rows = copy.deepcopy(ROWS)
    routes = {"GET /analytics/meta": (200, META), "POST /analytics/query": (200, answer(leaky_rows))}
    runs = []
    with api_server(routes) as (url, _):
        runs += [
            query(url, "--metrics", METRICS, "--verbose"),
            query(url, "--metrics", METRICS, "--format", "json", "--verbose"),
            run_tool("meta", "--base-url", url, "--verbose"),
        ]
    with api_server({"POST /analytics/query": (401, echoed), "GET /analytics/meta": (401, echoed)}) as (
        url,
        _,
    ):
        runs += [query(url, "--metrics", METRICS, "--verbose"), run_tool("meta", "--base-url", url)]

    assert [run.code for run in runs] == [0, 0, 0, 3, 3]
    for run in runs:
        assert SECRET not in run.stdout
        assert SECRET not in run.stderr


def test_order_by_desc_can_be_said_explicitly(api: tuple[str, list[Received]]) -> None:
    url, received = api

    assert (
        query(url, "--metrics", "total_usage", "--order-by", "request_count:desc", "--format", "csv").code
        == 0
    )
    assert last_body(received)["order_by"] == {"field": "request_count", "direction": "desc"}


@pytest.mark.parametrize("columns", [200, 50])
def test_query_table_follows_the_terminal_width(api: tuple[str, list[Received]], columns: int) -> None:
    url, _ = api

    shown = run_on_terminal(
        "query", "--base-url", url, "--metrics", METRICS, "--dimensions", "model", columns=columns
    )
    lines = [
        line for line in ANSI.sub("", shown).splitlines() if not line.startswith("openrouter-activity: ")
    ]

    assert max(len(line) for line in lines) <= columns
    if columns == 50:
        assert "50 columns leave out " in shown  # the note on stderr
    if columns == 200:
        assert "anthropic/claude-4-sonnet-20250522" in shown
        assert "playground" in shown


def test_a_warning_that_echoes_the_key_shows_it_redacted() -> None:
    routes = {
        "GET /analytics/meta": (200, META),
        "POST /analytics/query": (200, answer(ROWS[:2], warnings=[f"filter {SECRET} could not be resolved"])),
    }
    with api_server(routes) as (url, _):
        run = query(url, "--metrics", METRICS, "--dimensions", "model")
        as_json = query(url, "--metrics", METRICS, "--dimensions", "model", "--format", "json")

    assert run.code == 0, run.stderr
    assert "warning: the server says: filter [redacted] could not be resolved" in run.stderr
    assert SECRET.removeprefix("sk-or-v1-") not in run.stderr
    assert json.loads(as_json.stdout)["data"]["warnings"] == ["filter [redacted] could not be resolved"]
    assert SECRET.removeprefix("sk-or-v1-") not in as_json.stdout + as_json.stderr
