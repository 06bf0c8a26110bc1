"""The demo's data server: a realistic month, served like the API, and kept to openapi.yaml by Prism."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import socket
import statistics
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cli_support import SECRET, item, run_tool, scripted_server
from demo_server import (
    API_KEYS,
    DEFAULT_WORKSPACE,
    ENDPOINTS,
    MEMBERS,
    ORIGIN_HEADER,
    WORKSPACES,
    Record,
    activity_rows,
    month_of_activity,
    serve,
)
from prism import run_prism

pytestmark = pytest.mark.slow

SPEC = Path(__file__).resolve().parent.parent / "openapi.yaml"
MONTH = activity_rows(month_of_activity())
AUTH = {"Authorization": f"Bearer {SECRET}"}


@pytest.fixture(scope="module")
def data_url() -> Iterator[str]:
    with serve(api_key=SECRET) as url:
        yield url


@pytest.fixture(scope="module")
def client(data_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=data_url, headers=AUTH, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def checked_url(data_url: str) -> Iterator[str]:
    """Prism as a validating proxy in front of the demo data, as `make demo` runs it."""
    with run_prism(SPEC, upstream=data_url) as url:
        yield url


def test_the_month_is_30_consecutive_completed_days() -> None:
    days = sorted({row["date"] for row in MONTH})

    assert len(days) == 30
    assert (days[0], days[-1]) == ("2026-09-01", "2026-09-30")


def test_the_month_has_at_least_6_models_from_at_least_4_providers() -> None:
    assert len({row["model"] for row in MONTH}) >= 6
    assert len({row["provider_name"] for row in MONTH}) >= 4


def test_a_few_rows_are_paid_with_the_users_own_key() -> None:
    byok = [row for row in MONTH if row["byok_usage_inference"] > 0]

    assert 1 <= len(byok) <= 10
    assert all(row["byok_usage_inference"] > row["usage"] > 0 for row in byok)


def test_costs_follow_the_list_prices_of_the_tokens() -> None:
    prices = {(e.model, e.provider): (e.prompt_price, e.completion_price) for e in ENDPOINTS}
    for row in MONTH:
        prompt_price, completion_price = prices[row["model"], row["provider_name"]]
        list_cost = (row["prompt_tokens"] * prompt_price + row["completion_tokens"] * completion_price) / 1e6
        paid = row["byok_usage_inference"] or row["usage"]
        assert paid == pytest.approx(list_cost, rel=1e-6, abs=1e-7)


def test_reasoning_tokens_come_from_reasoning_models_within_their_completions() -> None:
    reasoning_models = {row["model"] for row in MONTH if row["reasoning_tokens"]}

    assert "deepseek/deepseek-r1" in reasoning_models
    assert "openai/gpt-4.1" not in reasoning_models
    assert all(row["reasoning_tokens"] <= row["completion_tokens"] for row in MONTH)


def test_weekdays_are_busier_than_weekends() -> None:
    per_day: dict[str, int] = {}
    for row in MONTH:
        per_day[row["date"]] = per_day.get(row["date"], 0) + row["requests"]
    weekend = [n for day, n in per_day.items() if dt.date.fromisoformat(day).weekday() >= 5]
    weekday = [n for day, n in per_day.items() if dt.date.fromisoformat(day).weekday() < 5]

    assert statistics.mean(weekday) > 3 * statistics.mean(weekend)


def test_the_month_is_the_same_on_every_run() -> None:
    assert activity_rows(month_of_activity()) == MONTH


def test_asks_for_a_bearer_token(data_url: str) -> None:
    response = httpx.get(f"{data_url}/activity")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == 401


def test_refuses_another_key(data_url: str) -> None:
    response = httpx.get(f"{data_url}/activity", headers={"Authorization": "Bearer sk-or-v1-other"})

    assert response.status_code == 401


def test_serves_the_month(data_url: str) -> None:
    assert httpx.get(f"{data_url}/activity", headers=AUTH).json() == {"data": MONTH}


def test_date_keeps_one_day(data_url: str) -> None:
    rows = httpx.get(f"{data_url}/activity", params={"date": "2026-09-10"}, headers=AUTH).json()["data"]

    assert rows == [row for row in MONTH if row["date"] == "2026-09-10"]


@pytest.mark.parametrize("date", ["2026-9-10", "2026-10-01"])
def test_a_malformed_or_out_of_range_date_is_a_400(data_url: str, date: str) -> None:
    response = httpx.get(f"{data_url}/activity", params={"date": date}, headers=AUTH)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == 400


def test_the_keys_add_up_to_the_whole_account(data_url: str) -> None:
    per_key = [
        httpx.get(f"{data_url}/activity", params={"api_key_hash": key.hash}, headers=AUTH).json()["data"]
        for key in API_KEYS
    ]

    assert all(per_key)
    assert sum(row["requests"] for rows in per_key for row in rows) == sum(row["requests"] for row in MONTH)


def test_user_id_keeps_the_members_keys(data_url: str) -> None:
    maria = httpx.get(f"{data_url}/activity", params={"user_id": "user_2demoMaria"}, headers=AUTH).json()[
        "data"
    ]
    notebooks = next(key for key in API_KEYS if key.user_id == "user_2demoMaria")
    by_key = httpx.get(f"{data_url}/activity", params={"api_key_hash": notebooks.hash}, headers=AUTH).json()

    assert maria == by_key["data"]


@pytest.mark.parametrize(
    ("params", "headers", "status"),
    [
        ({}, AUTH, 200),
        ({"date": "2026-09-15"}, AUTH, 200),
        ({"user_id": "user_2demoOps"}, AUTH, 200),
        ({"api_key_hash": API_KEYS[0].hash}, AUTH, 200),
        ({"date": "2026-10-15"}, AUTH, 400),
        ({}, {"Authorization": "Bearer sk-or-v1-other"}, 401),
    ],
)
def test_every_answer_conforms_to_the_spec(
    checked_url: str, params: dict[str, str], headers: dict[str, str], status: int
) -> None:
    response = httpx.get(f"{checked_url}/activity", params=params, headers=headers)

    assert response.status_code == status, response.text
    assert "sl-violations" not in response.headers


@pytest.mark.parametrize(
    ("broken", "field"),
    [
        ({k: v for k, v in item(usage=0.5).items() if k != "usage"}, "usage"),
        (item(requests="12"), "requests"),
        (item(date=None), "date"),
    ],
)
def test_prism_rejects_an_answer_that_breaks_the_spec(broken: dict[str, object], field: str) -> None:
    with serve([Record(broken)]) as upstream, run_prism(SPEC, upstream=upstream) as url:
        response = httpx.get(f"{url}/activity", headers=AUTH)
        run = run_tool("--base-url", url, "--max-retries", "0")

    assert response.status_code == 500
    violations = json.loads(response.headers["sl-violations"])
    assert any(field in violation["message"] for violation in violations)
    assert run.code == 4  # and the tool says so instead of printing a wrong report


def test_prism_checks_error_answers_too() -> None:
    with scripted_server(401, {"error": "no"}) as upstream, run_prism(SPEC, upstream=upstream) as url:
        response = httpx.get(f"{url}/activity", headers=AUTH)

    assert response.status_code == 500
    assert "error must be object" in response.headers["sl-violations"]


# ---------------------------------------------------------------------------------------------
# Workspaces, and /activity's workspace_id and group_by

RECORDS = month_of_activity()
NUMBERS = (
    "usage",
    "byok_usage_inference",
    "requests",
    "prompt_tokens",
    "completion_tokens",
    "reasoning_tokens",
)
STAGING = next(key for key in API_KEYS if key.name == "staging")
NOTEBOOKS = next(key for key in API_KEYS if key.name == "notebooks")
RESEARCH = next(workspace for workspace in WORKSPACES if workspace.name == "Research")


def activity(client: httpx.Client, **params: str) -> list[dict[str, Any]]:
    response = client.get("/activity", params=params)
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["data"]
    return rows


def test_three_workspaces_and_the_staging_key_joined_one_mid_month() -> None:
    keys_per_workspace = defaultdict(set)
    for record in RECORDS:
        keys_per_workspace[record.workspace_id].add(record.api_key_hash)
    default_days = sorted({r.item["date"] for r in RECORDS if r.workspace_id == DEFAULT_WORKSPACE.id})

    assert set(keys_per_workspace) == {workspace.id for workspace in WORKSPACES}
    assert keys_per_workspace[DEFAULT_WORKSPACE.id] == {STAGING.hash}
    assert keys_per_workspace[RESEARCH.id] == {NOTEBOOKS.hash}
    assert (default_days[0], default_days[-1]) == ("2026-09-01", "2026-09-14")


def test_group_by_workspace_splits_the_rows_and_the_parts_add_up(client: httpx.Client) -> None:
    split = activity(client, group_by="workspace")
    parts: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in split:
        for name in NUMBERS:
            parts[row["date"], row["endpoint_id"]][name] += row[name]

    assert {row["workspace_id"] for row in split} == {workspace.id for workspace in WORKSPACES}
    assert len(split) > len(MONTH)
    assert all("workspace_id" not in row for row in MONTH)
    assert len(parts) == len(MONTH)
    for row in MONTH:
        for name in NUMBERS:
            assert parts[row["date"], row["endpoint_id"]][name] == pytest.approx(row[name], abs=1e-7)


def test_workspace_id_keeps_that_workspaces_activity(client: httpx.Client) -> None:
    research = activity(client, workspace_id=RESEARCH.id)
    default = activity(client, workspace_id=DEFAULT_WORKSPACE.id.upper(), group_by="workspace")

    assert research == activity(client, api_key_hash=NOTEBOOKS.hash)
    assert default
    assert {row["workspace_id"] for row in default} == {DEFAULT_WORKSPACE.id}
    assert max(row["date"] for row in default) == "2026-09-14"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"workspace_id": "production"}, 400),
        ({"workspace_id": "00000000-0000-4000-8000-000000000000"}, 404),
        ({"group_by": "model"}, 400),
    ],
)
def test_a_bad_workspace_parameter_is_an_error_in_the_envelope(
    client: httpx.Client, params: dict[str, str], status: int
) -> None:
    response = client.get("/activity", params=params)

    assert response.status_code == status
    assert response.json()["error"]["code"] == status


# ---------------------------------------------------------------------------------------------
# Routes: JSON for every path and method, never an HTML page


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("POST", "/activity", "GET, HEAD"),
        ("DELETE", "/activity", "GET, HEAD"),
        ("PUT", "/analytics/meta", "GET, HEAD"),
        ("GET", "/analytics/query", "POST"),
        ("PATCH", "/api/v1/analytics/query", "POST"),
        ("OPTIONS", "/analytics/query", "POST"),
        ("BREW", "/activity", "GET, HEAD"),
    ],
)
def test_a_method_a_path_does_not_serve_is_a_405_envelope_with_allow(
    client: httpx.Client, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path)

    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["code"] == 405
    assert method in response.json()["error"]["message"]


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE", "BREW"])
@pytest.mark.parametrize("path", ["/", "/keys", "/api/v1/keys", "/activity/2026-09-01", "/api/v2/activity"])
def test_an_unknown_path_is_a_404_envelope(client: httpx.Client, method: str, path: str) -> None:
    response = client.request(method, path)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["code"] == 404


def test_the_api_v1_prefix_serves_the_same(client: httpx.Client) -> None:
    assert client.get("/api/v1/activity").json() == {"data": MONTH}
    assert client.get("/api/v1/analytics/meta").json() == client.get("/analytics/meta").json()


def test_head_answers_like_get_without_a_body(client: httpx.Client) -> None:
    head, get = client.head("/activity"), client.get("/activity")

    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == get.headers["content-length"]


def raw_exchange(url: str, request: bytes) -> tuple[str, dict[str, str], bytes]:
    """Send ``request`` as it is; the status line, headers and body of the answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    return status, {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}, body


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /activity HTTP/1.1\r\nX-Long: " + b"x" * 70_000 + b"\r\n\r\n", 431),
        (b"GET /activity HTTP/1.1\r\n" + b"X-Many: 1\r\n" * 101 + b"\r\n", 431),
        (
            b"POST /analytics/query HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"2\r\n{}\r\n0\r\n\r\n",
            400,
        ),
        (b"POST /analytics/query HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n", 400),
    ],
)
def test_a_request_http_server_refuses_is_answered_in_json_too(
    data_url: str, request_bytes: bytes, status: int
) -> None:
    status_line, headers, body = raw_exchange(data_url, request_bytes)

    assert status_line.split()[1] == str(status)
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["error"]["code"] == status


@pytest.mark.parametrize(("method", "path"), [("GET", "/analytics/meta"), ("POST", "/analytics/query")])
def test_the_analytics_routes_ask_for_a_bearer_token(data_url: str, method: str, path: str) -> None:
    response = httpx.request(method, f"{data_url}{path}", json={"metrics": ["request_count"]})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == 401


def test_every_answer_carries_the_servers_origin_token() -> None:
    with serve(api_key=SECRET, origin="token-7") as url, httpx.Client(base_url=url) as client:
        answers = [
            client.get("/activity", headers=AUTH),
            client.get("/activity"),
            client.post("/analytics/query", headers=AUTH, json={"metrics": ["nope"]}),
            client.delete("/activity"),
            client.get("/nowhere"),
        ]

    assert [answer.headers[ORIGIN_HEADER] for answer in answers] == ["token-7"] * len(answers)


# ---------------------------------------------------------------------------------------------
# /analytics/meta

MONTH_RANGE = {"start": "2026-09-01T00:00:00Z", "end": "2026-10-01T00:00:00Z"}
GPT = "openai/gpt-4.1-2025-04-14"
FLASH = "google/gemini-2.5-flash"


def query(client: httpx.Client, **body: Any) -> dict[str, Any]:
    response = client.post("/analytics/query", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["data"]
    assert result["metadata"]["row_count"] == len(result["data"])
    return result


def rows(client: httpx.Client, **body: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = query(client, **body)["data"]
    return found


REQUIRED_METRICS = {
    "total_usage": ("currency", False),
    "request_count": ("number", False),
    "tokens_prompt": ("number", False),
    "tokens_completion": ("number", False),
    "tokens_total": ("number", False),
    "reasoning_tokens": ("number", False),
    "byok_usage": ("currency", False),
    "cache_hit_rate": ("percent", True),
    "avg_latency": ("latency", True),
    "p50_latency": ("latency", True),
    "p90_latency": ("latency", True),
    "p99_latency": ("latency", True),
    "p50_throughput": ("throughput", True),
}
DIMENSION_NAMES = ["model", "provider", "api_key_id", "user", "workspace"]


def test_meta_lists_metrics_dimensions_operators_and_granularities(client: httpx.Client) -> None:
    data = client.get("/analytics/meta").json()["data"]
    metrics = {metric["name"]: metric for metric in data["metrics"]}

    for name, (display_format, is_rate) in REQUIRED_METRICS.items():
        assert metrics[name]["display_format"] == display_format
        assert metrics[name]["is_rate"] is is_rate
        assert metrics[name]["display_label"]
    assert [d["name"] for d in data["dimensions"]] == DIMENSION_NAMES
    assert all(d["display_label"] for d in data["dimensions"])
    assert {(o["name"], o["value_type"]) for o in data["operators"]} == {
        *((name, "scalar") for name in ("eq", "neq", "gt", "gte", "lt", "lte")),
        ("in", "array"),
        ("not_in", "array"),
    }
    assert [g["name"] for g in data["granularities"]] == ["minute", "hour", "day", "week", "month"]


def test_everything_meta_lists_can_be_queried(client: httpx.Client) -> None:
    data = client.get("/analytics/meta").json()["data"]
    every_metric = [metric["name"] for metric in data["metrics"]]

    for dimension in data["dimensions"]:
        result = rows(client, metrics=every_metric, dimensions=[dimension["name"]], time_range=MONTH_RANGE)
        assert result
        assert all(set(row) == {dimension["name"], *every_metric} for row in result)
    three_hours = {"start": "2026-09-10T12:00:00Z", "end": "2026-09-10T15:00:00Z"}
    for granularity in data["granularities"]:
        window = three_hours if granularity["name"] == "minute" else MONTH_RANGE
        assert rows(client, metrics=["request_count"], granularity=granularity["name"], time_range=window)


# ---------------------------------------------------------------------------------------------
# /analytics/query: the same month as /activity


def added_up(part: list[dict[str, Any]]) -> dict[str, Any]:
    """/activity rows as the query's metrics: exact sums, money rounded like the API's, and the
    cache hit rate as the API defines it (cached over prompt tokens, to 6 places; none without
    prompt tokens)."""

    def money(*names: str) -> float:
        return round(math.fsum(row[name] for row in part for name in names), 8)

    prompt = sum(row["prompt_tokens"] for row in part)
    cached = sum(row["cached_tokens"] for row in part)
    return {
        "total_usage": money("usage", "byok_usage_inference"),
        "byok_usage": money("byok_usage_inference"),
        "credits_usage": money("usage"),
        "request_count": sum(row["requests"] for row in part),
        "tokens_prompt": sum(row["prompt_tokens"] for row in part),
        "tokens_completion": sum(row["completion_tokens"] for row in part),
        "tokens_total": sum(row["prompt_tokens"] + row["completion_tokens"] for row in part),
        "reasoning_tokens": sum(row["reasoning_tokens"] for row in part),
        "cached_tokens": cached,
        "cache_hit_rate": round(cached / prompt, 6) if prompt else None,
    }


SUMMED = list(added_up([]))


def test_query_agrees_with_activity_for_every_day_and_model(client: httpx.Client) -> None:
    per_day_and_model = defaultdict(list)
    for row in activity(client):
        per_day_and_model[f"{row['date']}T00:00:00.000Z", row["model_permaslug"]].append(row)

    result = rows(
        client, metrics=SUMMED, dimensions=["model"], granularity="day", time_range=MONTH_RANGE, limit=10_000
    )

    assert len(result) == len(per_day_and_model) > 200
    for row in result:
        expected = added_up(per_day_and_model[row["date__day"], row["model"]])
        assert {name: row[name] for name in SUMMED} == expected, row
    # The cache figures are there to agree on: most days and models have some, not all.
    cached = [row["cached_tokens"] for row in result]
    assert sum(map(bool, cached)) > len(cached) / 2
    assert 0 < min(row["cache_hit_rate"] for row in result if row["cached_tokens"]) < 1


@pytest.mark.parametrize(
    ("date", "model"), [("2026-09-10", "anthropic/claude-4-sonnet-20250522"), ("2026-09-26", GPT)]
)
def test_a_filtered_one_day_query_agrees_with_activity_on_that_date(
    client: httpx.Client, date: str, model: str
) -> None:
    day = dt.date.fromisoformat(date)
    window = {"start": f"{day}T00:00:00Z", "end": f"{day + dt.timedelta(days=1)}T00:00:00Z"}
    expected = added_up([row for row in activity(client, date=date) if row["model_permaslug"] == model])

    result = rows(
        client,
        metrics=SUMMED,
        filters=[{"field": "model", "operator": "eq", "value": model}],
        time_range=window,
    )

    assert result == [expected]


def test_query_agrees_with_activity_per_workspace(client: httpx.Client) -> None:
    per_workspace = defaultdict(list)
    for row in activity(client, group_by="workspace"):
        per_workspace[row["workspace_id"]].append(row)
    names = {workspace.id: workspace.name for workspace in WORKSPACES}

    result = rows(client, metrics=SUMMED, dimensions=["workspace"], time_range=MONTH_RANGE)

    assert {row["workspace"]: {n: row[n] for n in SUMMED} for row in result} == {
        names[workspace_id]: added_up(part) for workspace_id, part in per_workspace.items()
    }


@pytest.mark.parametrize("key", API_KEYS, ids=lambda key: key.name)
def test_api_key_id_filters_by_numeric_id_or_hash_and_agrees_with_activity(
    client: httpx.Client, key: Any
) -> None:
    expected = [added_up(activity(client, api_key_hash=key.hash))]

    for value in (key.hash, key.hash.upper(), key.number, str(key.number), float(key.number)):
        filters = [{"field": "api_key_id", "operator": "eq", "value": value}]
        result = query(client, metrics=SUMMED, filters=filters, time_range=MONTH_RANGE)
        assert result["data"] == expected, value
        assert "warnings" not in result


def test_user_filters_by_user_id_and_shows_the_member(client: httpx.Client) -> None:
    maria = "user_2demoMaria"
    filters = [{"field": "user", "operator": "eq", "value": maria}]

    result = rows(client, metrics=SUMMED, dimensions=["user"], filters=filters, time_range=MONTH_RANGE)

    assert result == [{"user": MEMBERS[maria], **added_up(activity(client, user_id=maria))}]


def test_hours_add_up_to_their_days_exactly(client: httpx.Client) -> None:
    body = {"metrics": ["request_count", "tokens_prompt", "total_usage"], "dimensions": ["api_key_id"]}
    days = rows(client, **body, granularity="day", time_range=MONTH_RANGE)
    hours = rows(client, **body, granularity="hour", time_range=MONTH_RANGE, limit=10_000)
    summed: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in hours:
        for name in body["metrics"]:
            summed[row["date__hour"][:10], row["api_key_id"]][name] += row[name]

    assert len(hours) > 10 * len(days)
    for row in days:
        part = summed[row["date__day"][:10], row["api_key_id"]]
        assert part["request_count"] == row["request_count"]
        assert part["tokens_prompt"] == row["tokens_prompt"]
        assert part["total_usage"] == pytest.approx(row["total_usage"], abs=1e-9)


def test_traffic_follows_the_hours_of_its_users(client: httpx.Client) -> None:
    filters = [{"field": "api_key_id", "operator": "eq", "value": NOTEBOOKS.number}]
    per_hour = defaultdict(int)
    for row in rows(client, metrics=["request_count"], granularity="hour", filters=filters, limit=10_000):
        per_hour[int(row["date__hour"][11:13])] += row["request_count"]

    assert per_hour[9] > 10 * per_hour.get(2, 0)  # one analyst in Berlin


# Buckets and windows


BUCKET = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z")


@pytest.mark.parametrize(
    ("granularity", "buckets"),
    [
        ("month", ["2026-09-01"]),
        ("week", ["2026-08-31", "2026-09-07", "2026-09-14", "2026-09-21", "2026-09-28"]),  # Mondays
        ("day", [f"2026-09-{day:02d}" for day in range(1, 31)]),
    ],
)
def test_buckets_are_named_by_their_start(client: httpx.Client, granularity: str, buckets: list[str]) -> None:
    result = rows(client, metrics=["request_count"], granularity=granularity, time_range=MONTH_RANGE)
    names = [row[f"date__{granularity}"] for row in result]

    assert names == [f"{day}T00:00:00.000Z" for day in buckets]
    assert sum(row["request_count"] for row in result) == sum(row["requests"] for row in MONTH)


def test_without_a_time_range_the_last_7_days_are_served(client: httpx.Client) -> None:
    result = rows(client, metrics=["request_count"], granularity="day")

    assert [row["date__day"][:10] for row in result] == [f"2026-09-{day}" for day in range(24, 31)]


def test_an_hour_counts_when_it_starts_inside_the_window(client: httpx.Client) -> None:
    window = {"start": "2026-09-10T11:30:00+02:00", "end": "2026-09-10T12:00:00.000Z"}  # 09:30Z to 12:00Z

    result = rows(client, metrics=["request_count"], granularity="hour", time_range=window)

    assert all(BUCKET.fullmatch(row["date__hour"]) for row in result)
    assert [row["date__hour"][11:13] for row in result] == ["10", "11"]


def test_a_window_in_another_time_zone_is_the_same_instants(client: httpx.Client) -> None:
    utc = {"start": "2026-09-10T00:00:00Z", "end": "2026-09-11T00:00:00Z"}
    berlin = {"start": "2026-09-10T02:00:00+02:00", "end": "2026-09-11T02:00:00+02:00"}

    assert rows(client, metrics=SUMMED, time_range=utc) == rows(client, metrics=SUMMED, time_range=berlin)
    assert rows(client, metrics=SUMMED, time_range=utc) == [added_up(activity(client, date="2026-09-10"))]


# Filters: every operator


def per_model(client: httpx.Client, *filters: dict[str, Any]) -> dict[str, int]:
    result = rows(
        client, metrics=["request_count"], dimensions=["model"], filters=list(filters), time_range=MONTH_RANGE
    )
    return {row["model"]: row["request_count"] for row in result}


def test_eq_neq_in_and_not_in_on_a_dimension(client: httpx.Client) -> None:
    every = per_model(client)

    def on_model(operator: str, value: Any) -> dict[str, int]:
        return per_model(client, {"field": "model", "operator": operator, "value": value})

    assert len(every) == 7
    assert on_model("eq", GPT) == {GPT: every[GPT]}
    assert on_model("neq", GPT) == {m: n for m, n in every.items() if m != GPT}
    assert on_model("in", [GPT, FLASH]) == {GPT: every[GPT], FLASH: every[FLASH]}
    assert on_model("not_in", [GPT, FLASH]) == {m: n for m, n in every.items() if m not in {GPT, FLASH}}
    assert on_model("in", []) == {}
    assert on_model("not_in", []) == every


def test_a_filter_on_a_dimension_not_grouped_by(client: httpx.Client) -> None:
    groq = per_model(client, {"field": "provider", "operator": "eq", "value": "Groq"})

    assert list(groq) == ["meta-llama/llama-3.3-70b-instruct"]
    assert (
        0 < groq["meta-llama/llama-3.3-70b-instruct"] < per_model(client)["meta-llama/llama-3.3-70b-instruct"]
    )


@pytest.mark.parametrize(
    ("operator", "keeps"),
    [
        ("gt", lambda n, t: n > t),
        ("gte", lambda n, t: n >= t),
        ("lt", lambda n, t: n < t),
        ("lte", lambda n, t: n <= t),
        ("eq", lambda n, t: n == t),
        ("neq", lambda n, t: n != t),
    ],
)
def test_scalar_comparisons_on_a_metric_keep_the_rows_that_pass(
    client: httpx.Client, operator: str, keeps: Any
) -> None:
    every = per_model(client)
    threshold = every[GPT]  # a value some row has, so that the boundary matters

    kept = per_model(client, {"field": "request_count", "operator": operator, "value": threshold})

    assert kept == {m: n for m, n in every.items() if keeps(n, threshold)}


def test_in_and_not_in_on_a_metric(client: httpx.Client) -> None:
    every = per_model(client)
    values = [every[GPT], every[FLASH], 12.5]

    assert per_model(client, {"field": "request_count", "operator": "in", "value": values}) == {
        GPT: every[GPT],
        FLASH: every[FLASH],
    }
    assert set(per_model(client, {"field": "request_count", "operator": "not_in", "value": values})) == (
        set(every) - {GPT, FLASH}
    )


def test_a_metric_filter_needs_no_request_for_that_metric(client: httpx.Client) -> None:
    spend = rows(client, metrics=["total_usage"], dimensions=["model"], time_range=MONTH_RANGE)
    dear = {row["model"] for row in spend if row["total_usage"] > 100}

    kept = per_model(client, {"field": "total_usage", "operator": "gt", "value": 100})

    assert set(kept) == dear
    assert 0 < len(dear) < 7


def test_an_unknown_key_hash_is_a_warning_and_matches_no_rows(client: httpx.Client) -> None:
    unknown = "0" * 64

    def filtered(operator: str, value: Any) -> dict[str, Any]:
        filters = [{"field": "api_key_id", "operator": operator, "value": value}]
        return query(client, metrics=["request_count"], filters=filters, time_range=MONTH_RANGE)

    everything = [{"request_count": sum(row["requests"] for row in MONTH)}]
    eq, neq = filtered("eq", unknown), filtered("neq", unknown)
    mixed = filtered("in", [NOTEBOOKS.hash, unknown])

    assert eq["data"] == []
    assert neq["data"] == everything
    assert mixed["data"] == [
        {"request_count": sum(r["requests"] for r in activity(client, api_key_hash=NOTEBOOKS.hash))}
    ]
    for result in (eq, neq, mixed):
        assert len(result["warnings"]) == 1
        assert unknown in result["warnings"][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [("user", "user_nobody"), ("workspace", "00000000-0000-4000-8000-000000000000"), ("api_key_id", 7)],
)
def test_unknown_ids_of_enriched_dimensions_are_warnings(
    client: httpx.Client, field: str, value: Any
) -> None:
    result = query(
        client, metrics=["request_count"], filters=[{"field": field, "operator": "in", "value": [value]}]
    )

    assert result["data"] == []
    assert [str(value) in warning for warning in result["warnings"]] == [True]


def test_a_value_no_row_has_on_a_plain_dimension_is_no_warning(client: httpx.Client) -> None:
    result = query(
        client, metrics=["request_count"], filters=[{"field": "model", "operator": "eq", "value": "x/y"}]
    )

    assert result["data"] == []
    assert "warnings" not in result


def test_include_unset_keeps_the_rows_without_a_value() -> None:
    owned = Record(item(date="2026-09-03", requests=5), user_id="user_2demoOps")
    unowned = Record(item(date="2026-09-03", requests=7))  # a key no member owns
    window = {"start": "2026-09-03T00:00:00Z", "end": "2026-09-04T00:00:00Z"}

    def requests(client: httpx.Client, operator: str, include_unset: bool) -> int:
        user_filter = {"field": "user", "operator": operator, "value": ["user_2demoOps"]}
        found = rows(
            client,
            metrics=["request_count"],
            time_range=window,
            filters=[{**user_filter, "include_unset": include_unset}],
        )
        return int(found[0]["request_count"]) if found else 0

    with serve([owned, unowned]) as url, httpx.Client(base_url=url, headers=AUTH) as client:
        assert (requests(client, "in", False), requests(client, "in", True)) == (5, 12)
        assert (requests(client, "not_in", False), requests(client, "not_in", True)) == (0, 7)
        shown = rows(client, metrics=["request_count"], dimensions=["user"], time_range=window)

    assert shown == [{"user": "", "request_count": 7}, {"user": MEMBERS["user_2demoOps"], "request_count": 5}]


# Order, limit, group_limit


def test_rows_come_with_the_first_metric_largest_first_by_default(client: httpx.Client) -> None:
    result = rows(
        client, metrics=["total_usage", "request_count"], dimensions=["model"], time_range=MONTH_RANGE
    )
    spend = [row["total_usage"] for row in result]

    assert spend == sorted(spend, reverse=True)


@pytest.mark.parametrize("direction", ["asc", "desc"])
@pytest.mark.parametrize("field", ["request_count", "total_usage", "model"])
def test_order_by_a_metric_or_a_dimension_either_way(
    client: httpx.Client, field: str, direction: str
) -> None:
    result = rows(
        client,
        metrics=["total_usage"],
        dimensions=["model"],
        time_range=MONTH_RANGE,
        order_by={"field": field, "direction": direction},
    )
    if field == "request_count":  # may be ordered by without being requested
        counts = per_model(client)
        values: list[Any] = [counts[row["model"]] for row in result]
    else:
        values = [row[field] for row in result]

    assert values == sorted(values, reverse=direction == "desc")
    assert len(values) == 7


def test_order_by_date_descending(client: httpx.Client) -> None:
    result = rows(
        client,
        metrics=["request_count"],
        granularity="day",
        time_range=MONTH_RANGE,
        order_by={"field": "date", "direction": "desc"},
    )

    assert [row["date__day"][:10] for row in result] == [f"2026-09-{day:02d}" for day in range(30, 0, -1)]


def test_limit_keeps_the_first_rows_and_says_the_rest_were_cut(client: httpx.Client) -> None:
    body = {"metrics": ["total_usage"], "dimensions": ["model"], "time_range": MONTH_RANGE}
    whole, three, seven = (
        query(client, **body),
        query(client, **body, limit=3),
        query(client, **body, limit=7),
    )

    assert three["data"] == whole["data"][:3]
    assert (three["metadata"]["row_count"], three["metadata"]["truncated"]) == (3, True)
    assert (seven["metadata"]["row_count"], seven["metadata"]["truncated"]) == (7, False)


def test_the_default_limit_is_1000_rows(client: httpx.Client) -> None:
    result = query(
        client, metrics=["request_count"], dimensions=["model"], granularity="hour", time_range=MONTH_RANGE
    )

    assert (result["metadata"]["row_count"], result["metadata"]["truncated"]) == (1000, True)


def test_group_limit_keeps_the_first_rows_of_each_combination(client: httpx.Client) -> None:
    body = {
        "metrics": ["total_usage"],
        "dimensions": ["model"],
        "granularity": "day",
        "time_range": MONTH_RANGE,
        "order_by": {"field": "total_usage", "direction": "desc"},
    }
    every = rows(client, **body, limit=10_000)
    two = query(client, **body, group_limit=2)
    dearest: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in every:
        if len(dearest[row["model"]]) < 2:
            dearest[row["model"]].append(row)

    assert sorted(two["data"], key=lambda r: (r["model"], -r["total_usage"])) == sorted(
        (row for part in dearest.values() for row in part), key=lambda r: (r["model"], -r["total_usage"])
    )
    assert two["metadata"]["truncated"] is True
    assert query(client, metrics=["total_usage"], group_limit=1)["metadata"]["truncated"] is False


# Rates, latency and throughput


def test_money_tokens_and_cache_metrics_fit_together(client: httpx.Client) -> None:
    metrics = [
        "total_usage",
        "byok_usage",
        "credits_usage",
        "openrouter_usage",
        "byok_fees",
        "tokens_total",
        "tokens_prompt",
        "tokens_completion",
        "cached_tokens",
        "cache_hit_rate",
        "byok_request_count",
        "request_count",
    ]
    result = {
        row["provider"]: row
        for row in rows(client, metrics=metrics, dimensions=["provider"], time_range=MONTH_RANGE)
    }

    for provider, row in result.items():
        assert row["total_usage"] == pytest.approx(row["credits_usage"] + row["byok_usage"], abs=1e-8)
        assert row["credits_usage"] == pytest.approx(row["openrouter_usage"] + row["byok_fees"], abs=1e-8)
        assert row["tokens_total"] == row["tokens_prompt"] + row["tokens_completion"]
        assert row["cache_hit_rate"] == round(row["cached_tokens"] / row["tokens_prompt"], 6)
        paid_with_own_key = provider == "Amazon Bedrock"
        assert (row["byok_usage"] > 0) is paid_with_own_key
        assert (row["byok_request_count"] == row["request_count"]) is paid_with_own_key
    assert result["Anthropic"]["cache_hit_rate"] > 0.3
    assert result["Groq"]["cache_hit_rate"] == 0


def test_latency_and_throughput_percentiles_are_ordered_and_plausible(client: httpx.Client) -> None:
    kinds = ("latency", "throughput")
    metrics = [f"{s}_{kind}" for kind in kinds for s in ("avg", "p50", "p90", "p99")]
    result = {
        row["provider"]: row
        for row in rows(client, metrics=metrics, dimensions=["provider"], time_range=MONTH_RANGE)
    }

    for row in result.values():
        for kind in kinds:
            assert 0 < row[f"p50_{kind}"] < row[f"p90_{kind}"] < row[f"p99_{kind}"]
            assert row[f"p50_{kind}"] < row[f"avg_{kind}"] < row[f"p99_{kind}"]  # skewed to the right
        assert 100 < row["p50_latency"] < 10_000
    assert result["Groq"]["p50_latency"] < result["DeepSeek"]["p50_latency"]
    assert result["Groq"]["p50_throughput"] > result["DeepSeek"]["p50_throughput"]


def test_the_same_query_gives_the_same_numbers_on_another_server(client: httpx.Client) -> None:
    body = {
        "metrics": ["p90_latency", "avg_throughput", "cache_hit_rate", "total_usage"],
        "dimensions": ["model"],
        "granularity": "week",
        "time_range": MONTH_RANGE,
    }
    with serve(api_key=SECRET) as other, httpx.Client(base_url=other, headers=AUTH) as other_client:
        assert rows(other_client, **body) == rows(client, **body)


# Invalid queries: 400 in the envelope, naming the field

_ANY = {"metrics": ["request_count"]}
_MODEL_EQ = {"field": "model", "operator": "eq", "value": GPT}
_FORTY_DAYS = {"start": "2026-08-22T00:00:00Z", "end": "2026-10-01T00:00:00Z"}


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"metrics": ["spend"]}, "metrics[0]"),
        ({"metrics": []}, "metrics"),
        ({"dimensions": ["model"]}, "metrics"),
        ({"metrics": ["request_count", "request_count"]}, "metrics[1]"),
        ({**_ANY, "dimensions": ["colour"]}, "dimensions[0]"),
        ({**_ANY, "dimensions": ["model", "provider", "user"]}, "dimensions: at most 2"),
        ({**_ANY, "filters": [_MODEL_EQ] * 21}, "filters: at most 20"),
        ({**_ANY, "filters": [{**_MODEL_EQ, "operator": "like"}]}, "filters[0].operator"),
        ({**_ANY, "filters": [{**_MODEL_EQ, "field": "colour"}]}, "filters[0].field"),
        ({**_ANY, "filters": [{**_MODEL_EQ, "operator": "in"}]}, "filters[0].value"),
        ({**_ANY, "filters": [{**_MODEL_EQ, "value": [GPT]}]}, "filters[0].value"),
        ({**_ANY, "filters": [{**_MODEL_EQ, "value": True}]}, "filters[0].value"),
        ({**_ANY, "filters": [{**_MODEL_EQ, "operator": "gt", "value": 3}]}, "filters[0].operator"),
        (
            {**_ANY, "filters": [{"field": "request_count", "operator": "gt", "value": "3"}]},
            "filters[0].value",
        ),
        ({**_ANY, "filters": [{**_MODEL_EQ, "include_unset": "yes"}]}, "filters[0].include_unset"),
        ({**_ANY, "filters": [_MODEL_EQ, {"field": "model"}]}, "filters[1].operator"),
        ({**_ANY, "granularity": "minute"}, "granularity"),
        ({**_ANY, "limit": 0}, "limit"),
        ({**_ANY, "limit": 10_001}, "limit"),
        ({**_ANY, "limit": "10"}, "limit"),
        ({**_ANY, "limit": 2.5}, "limit"),
        ({**_ANY, "group_limit": 0}, "group_limit"),
        (
            {**_ANY, "time_range": {"start": "2026-09-02T00:00:00Z", "end": "2026-09-02T00:00:00Z"}},
            "time_range",
        ),
        (
            {**_ANY, "time_range": {"start": "2026-09-03T00:00:00Z", "end": "2026-09-02T00:00:00Z"}},
            "time_range",
        ),
        ({**_ANY, "time_range": {"start": "yesterday", "end": "2026-09-02T00:00:00Z"}}, "time_range.start"),
        ({**_ANY, "time_range": {"start": "2026-09-02T00:00:00"}}, "time_range.start"),
        ({**_ANY, "time_range": {"start": "2026-09-02T00:00:00Z"}}, "time_range.end"),
        (
            {**_ANY, "time_range": {"start": "2025-01-01T00:00:00Z", "end": "2026-09-02T00:00:00Z"}},
            "365 days",
        ),
        ({"metrics": ["p50_latency"], "time_range": _FORTY_DAYS}, "p50_latency covers at most 31 days"),
        ({**_ANY, "dimensions": ["provider"], "time_range": _FORTY_DAYS}, "provider covers at most 31 days"),
        ({**_ANY, "order_by": {"field": "colour", "direction": "asc"}}, "order_by.field"),
        ({**_ANY, "order_by": {"field": "model", "direction": "asc"}}, "order_by.field"),
        ({**_ANY, "order_by": {"field": "date", "direction": "asc"}}, "order_by.field"),
        ({**_ANY, "order_by": {"field": "request_count", "direction": "up"}}, "order_by"),
        (
            {**_ANY, "classifier_dimensions": {"classifier_id": "550e8400-e29b-41d4-a716-446655440000"}},
            "classifier",
        ),
        (["request_count"], "JSON object"),
    ],
)
def test_an_invalid_query_is_a_400_naming_what_is_wrong(client: httpx.Client, body: Any, named: str) -> None:
    response = client.post("/analytics/query", json=body)

    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == 400
    assert named in response.json()["error"]["message"]


@pytest.mark.parametrize("content", [b"", b"{metrics: 1}", b'{"metrics": NaN}', b"\xff\xfe"])
def test_a_body_that_is_not_json_is_a_400(client: httpx.Client, content: bytes) -> None:
    response = client.post("/analytics/query", content=content, headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert "not JSON" in response.json()["error"]["message"]


# Prism checks the new answers too


@pytest.mark.parametrize(
    ("method", "path", "payload", "status"),
    [
        ("GET", "/analytics/meta", None, 200),
        (
            "POST",
            "/analytics/query",
            {
                "metrics": ["total_usage", "p99_latency", "cache_hit_rate"],
                "dimensions": ["model", "workspace"],
                "granularity": "week",
                "filters": [{"field": "api_key_id", "operator": "in", "value": ["0" * 64, 184_201]}],
                "time_range": MONTH_RANGE,
                "order_by": {"field": "total_usage", "direction": "desc"},
                "limit": 5,
            },
            200,
        ),
        ("POST", "/analytics/query", {"metrics": ["spend"]}, 400),
        ("GET", "/activity?group_by=workspace&date=2026-09-15", None, 200),
        ("GET", f"/activity?workspace_id={RESEARCH.id}", None, 200),
        ("GET", "/activity?workspace_id=00000000-0000-4000-8000-000000000000", None, 404),
    ],
)
def test_the_new_answers_conform_to_the_spec(
    checked_url: str, method: str, path: str, payload: Any, status: int
) -> None:
    response = httpx.request(method, f"{checked_url}{path}", json=payload, headers=AUTH)

    assert response.status_code == status, response.text
    assert "sl-violations" not in response.headers
