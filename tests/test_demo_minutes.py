"""The demo serves minute buckets, like the real API, for windows of at most 3 hours."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from demo_server import serve

AUTH = {"Authorization": "Bearer sk-or-v1-any"}
WINDOW = {"start": "2026-09-10T12:30:00Z", "end": "2026-09-10T15:30:00Z"}


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with serve() as url, httpx.Client(base_url=url, headers=AUTH) as client:
        yield client


def query(client: httpx.Client, **body: Any) -> httpx.Response:
    return client.post("/analytics/query", json={"metrics": ["request_count", "total_usage"], **body})


def test_minute_buckets_add_up_to_the_hours_they_split(client: httpx.Client) -> None:
    minutes = query(client, granularity="minute", time_range=WINDOW, limit=10_000).json()["data"]["data"]
    hours = query(
        client,
        granularity="hour",
        time_range={"start": "2026-09-10T13:00:00Z", "end": "2026-09-10T15:00:00Z"},
    ).json()["data"]["data"]

    starts = [row["date__minute"] for row in minutes]
    assert starts == sorted(starts)
    assert starts[0] >= "2026-09-10T12:30:00.000Z"
    assert starts[-1] < "2026-09-10T15:30:00.000Z"
    assert all(start.endswith(":00.000Z") for start in starts)
    assert len({start[:13] for start in starts}) == 4  # 12:30-13:00, 13, 14, 15:00-15:30
    for hour in hours:
        inside = [row for row in minutes if row["date__minute"][:13] == hour["date__hour"][:13]]
        assert len(inside) > 1
        assert sum(row["request_count"] for row in inside) == hour["request_count"]


def test_minute_buckets_over_more_than_three_hours_are_refused(client: httpx.Client) -> None:
    answer = query(
        client,
        granularity="minute",
        time_range={"start": "2026-09-10T12:00:00Z", "end": "2026-09-10T15:00:01Z"},
    )

    assert answer.status_code == 400
    assert "minute covers at most 3 hours" in answer.json()["error"]["message"]
