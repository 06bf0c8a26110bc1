"""The demo's data server: a realistic month, served like the API, and kept to openapi.yaml by Prism."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cli_support import SECRET, item, run_tool, scripted_server
from demo_server import API_KEYS, ENDPOINTS, Record, activity_rows, month_of_activity, serve
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
