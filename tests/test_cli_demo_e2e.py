"""The installed tool against the demo data server: a seeded month served by /activity,
/analytics/meta and /analytics/query alike, so each answer can be checked against sums of the
month computed here, independently of the package.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cli_support import SECRET, run_tool
from demo_server import WORKSPACES, activity_rows, month_of_activity, serve

pytestmark = pytest.mark.slow

ANSI = re.compile(r"\x1b\[[0-9;]*m")
RECORDS = month_of_activity()
MONTH = activity_rows(RECORDS)
SEPTEMBER = ("--since", "2026-09-01", "--until", "2026-09-30")


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve(api_key=SECRET) as base_url:
        yield base_url


def sums(rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], str]) -> dict[str, tuple[float, int]]:
    """Per group: total_usage (usage with BYOK inference, as /analytics/query counts it) and requests."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return {
        name: (
            math.fsum(r["usage"] + r["byok_usage_inference"] for r in members),
            sum(r["requests"] for r in members),
        )
        for name, members in groups.items()
    }


def rows_of_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_meta_lists_the_demo_catalogue(url: str) -> None:
    table = run_tool("meta", "--base-url", url)
    document = run_tool("meta", "--base-url", url, "--format", "json")

    assert table.code == document.code == 0, table.stderr + document.stderr
    metrics = json.loads(document.stdout)["data"]["metrics"]
    assert f"Metrics ({len(metrics)})" in table.stdout.splitlines()
    assert {"total_usage", "request_count", "cache_hit_rate", "p50_latency"} <= {m["name"] for m in metrics}
    for metric in metrics:
        assert any(line.split()[:1] == [metric["name"]] for line in table.stdout.splitlines())
    assert max(len(line) for line in table.stdout.splitlines()) <= 80


def test_cost_and_requests_per_model_agree_with_the_activity_of_the_month(url: str) -> None:
    run = run_tool(
        "query",
        "--base-url",
        url,
        "--metrics",
        "total_usage,request_count",
        "--dimensions",
        "model",
        *SEPTEMBER,
        "--format",
        "csv",
    )

    assert run.code == 0, run.stderr
    got = {r["model"]: (float(r["total_usage"]), int(r["request_count"])) for r in rows_of_csv(run.stdout)}
    expected = sums(MONTH, lambda row: row["model_permaslug"])
    assert got.keys() == expected.keys()
    for model, (cost, requests) in expected.items():
        assert got[model][1] == requests
        assert f"{got[model][0]:.2f}" == f"{cost:.2f}"
        assert math.isclose(got[model][0], cost, abs_tol=1e-6)


def test_cached_tokens_of_report_and_query_agree_with_the_activity_of_the_month(url: str) -> None:
    report = run_tool("report", "--base-url", url, "--format", "json")
    query = run_tool(
        "query", "--base-url", url, "--metrics", "cached_tokens,cache_hit_rate", "--dimensions", "model",
        *SEPTEMBER, "--format", "csv",
    )  # fmt: skip

    assert report.code == query.code == 0, report.stderr + query.stderr
    document = json.loads(report.stdout)
    slugs = {row["model_permaslug"]: row["model"] for row in MONTH}
    cached: dict[str, int] = defaultdict(int)
    prompt: dict[str, int] = defaultdict(int)
    for row in MONTH:
        cached[row["model_permaslug"]] += row["cached_tokens"]
        prompt[row["model_permaslug"]] += row["prompt_tokens"]
    assert {r["key"]: r["cached_tokens"] for r in document["rows"]} == {
        slugs[model]: tokens for model, tokens in cached.items()
    }
    assert document["total"]["cached_tokens"] == sum(row["cached_tokens"] for row in MONTH)
    assert {
        r["model"]: (int(r["cached_tokens"]), float(r["cache_hit_rate"])) for r in rows_of_csv(query.stdout)
    } == {model: (tokens, round(tokens / prompt[model], 6)) for model, tokens in cached.items()}


def test_a_list_filter_keeps_only_the_providers_named(url: str) -> None:
    run = run_tool(
        "query",
        "--base-url",
        url,
        "--metrics",
        "request_count",
        "--dimensions",
        "provider",
        "--filter",
        "provider",
        "in",
        "OpenAI,Anthropic",
        *SEPTEMBER,
        "--format",
        "jsonl",
    )

    assert run.code == 0, run.stderr
    got = {row["provider"]: row["request_count"] for row in map(json.loads, run.stdout.splitlines())}
    expected = sums(MONTH, lambda row: row["provider_name"])
    assert got == {name: expected[name][1] for name in ("OpenAI", "Anthropic")}


def test_daily_buckets_cover_since_to_until_both_included(url: str) -> None:
    run = run_tool(
        "query",
        "--base-url",
        url,
        "--metrics",
        "total_usage",
        "--granularity",
        "day",
        "--since",
        "2026-09-01",
        "--until",
        "2026-09-03",
        "--format",
        "jsonl",
    )

    assert run.code == 0, run.stderr
    got = {row["date__day"][:10]: row["total_usage"] for row in map(json.loads, run.stdout.splitlines())}
    expected = sums([r for r in MONTH if r["date"] <= "2026-09-03"], lambda row: row["date"])
    assert sorted(got) == ["2026-09-01", "2026-09-02", "2026-09-03"]
    for day, (cost, _) in expected.items():
        assert math.isclose(got[day], cost, abs_tol=1e-6)


def test_ascending_order_is_sent_and_kept(url: str) -> None:
    run = run_tool(
        "query",
        "--base-url",
        url,
        "--metrics",
        "total_usage",
        "--dimensions",
        "model",
        "--order-by",
        "total_usage:asc",
        *SEPTEMBER,
        "--format",
        "jsonl",
    )

    assert run.code == 0, run.stderr
    costs = [row["total_usage"] for row in map(json.loads, run.stdout.splitlines())]
    assert costs == sorted(costs)
    assert len(costs) > 3


def test_a_truncated_result_is_reported_on_stderr(url: str) -> None:
    # An hour per model over September: more rows than the API's default limit of 1,000.
    args = ["query", "--base-url", url, "--metrics", "total_usage", "--dimensions", "model"]
    run = run_tool(*args, "--granularity", "hour", *SEPTEMBER, "--format", "csv")

    assert run.code == 0, run.stderr
    assert len(rows_of_csv(run.stdout)) == 1000
    assert "truncated to 1,000 rows" in run.stderr
    assert "raise --limit (at most 10,000)" in run.stderr


def test_a_limit_the_user_asked_for_is_no_truncation(url: str) -> None:
    args = ["query", "--base-url", url, "--metrics", "total_usage", "--dimensions", "model"]
    run = run_tool(*args, "--limit", "2", *SEPTEMBER, "--format", "csv")

    assert run.code == 0, run.stderr
    assert len(rows_of_csv(run.stdout)) == 2
    assert "truncated" not in run.stderr


def test_an_unknown_key_comes_back_as_a_warning_on_stderr(url: str) -> None:
    unknown = "ab" * 32
    run = run_tool(
        "query",
        "--base-url",
        url,
        "--metrics",
        "request_count",
        "--filter",
        "api_key_id",
        "eq",
        unknown,
        "--format",
        "csv",
    )

    assert run.code == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if line.startswith("openrouter-activity: warning: ")]
    assert warnings
    assert (
        run.stdout.splitlines()[0] == "request_count" or run.stdout == "\n" or "request_count" in run.stdout
    )


def test_the_table_shows_every_metric_in_its_format_within_80_columns(url: str) -> None:
    run = run_tool(
        "query",
        "--base-url",
        url,
        "--metrics",
        "total_usage,request_count,cache_hit_rate,p50_latency",
        "--dimensions",
        "model",
        *SEPTEMBER,
    )

    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "OpenRouter analytics, 2026-09-01 to 2026-09-30: 7 rows"
    body = lines[lines.index(next(line for line in lines if line.startswith("─"))) + 1 :]
    assert len(body) == 7
    for line in body:
        assert re.search(r"\$[\d,]+\.\d{4} +[\d,]+ +\d+\.\d% +[\d,]+ ms$", line), line
    assert max(len(line) for line in lines) <= 80


def test_the_chart_has_a_bar_per_day_of_the_week(url: str) -> None:
    run = run_tool(
        "query",
        "--base-url",
        url,
        "--metrics",
        "total_usage",
        "--granularity",
        "day",
        "--since",
        "2026-09-07",
        "--until",
        "2026-09-13",
        "--chart",
    )

    assert run.code == 0, run.stderr
    bars = [line for line in run.stdout.splitlines() if line.startswith("2026-09-")]
    assert [line.split()[0] for line in bars] == [f"2026-09-{day:02d}" for day in range(7, 14)]
    per_day = sums(MONTH, lambda row: row["date"])
    assert [line.split()[-1] for line in bars] == [
        f"${per_day[f'2026-09-{d:02d}'][0]:,.4f}" for d in range(7, 14)
    ]


def test_report_per_workspace_adds_up_to_the_month(url: str) -> None:
    run = run_tool("report", "--base-url", url, "--group-by", "workspace", "--format", "json")

    assert run.code == 0, run.stderr
    document = json.loads(run.stdout)
    split = activity_rows(RECORDS, by_workspace=True)
    expected = {
        workspace: math.fsum(r["usage"] for r in split if r["workspace_id"] == workspace)
        for workspace in {r["workspace_id"] for r in split}
    }
    assert {r["key"]: r["cost"] for r in document["rows"]} == expected
    assert set(expected) <= {workspace.id for workspace in WORKSPACES}
    assert document["total"]["cost"] == math.fsum(r["usage"] for r in split)


def test_report_of_one_workspace_sends_its_id(url: str) -> None:
    research = next(workspace for workspace in WORKSPACES if workspace.name == "Research")

    run = run_tool("--base-url", url, "--workspace-id", research.id, "--group-by", "none", "--format", "json")

    assert run.code == 0, run.stderr
    rows = activity_rows(RECORDS, workspace_id=research.id)
    assert json.loads(run.stdout)["total"]["cost"] == math.fsum(r["usage"] for r in rows)
