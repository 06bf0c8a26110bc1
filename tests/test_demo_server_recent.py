"""``scripts/demo_server.py --days-ending``: the demo month moved to end on a completed UTC day,
as the real API's last 30 days do, with a runaway model on its last day for ``check``."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from demo_server import RUNAWAY, last_completed_day, month_of_activity, recent_activity, serve

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "demo_server.py"
AUTH = {"Authorization": "Bearer sk-or-v1-any"}


def test_recent_activity_is_the_30_days_ending_on_the_day_with_the_runaway_on_it_alone() -> None:
    last = dt.date(2026, 12, 5)
    records = recent_activity(last)

    days = sorted({record.item["date"] for record in records})
    assert days == [(last - dt.timedelta(days=n)).isoformat() for n in range(29, -1, -1)]
    runaway = [record.item for record in records if record.item["model"] == RUNAWAY.model]
    assert [item["date"] for item in runaway] == [last.isoformat()]
    assert runaway[0]["usage"] == pytest.approx((1850 * 8000 * 2 + 1850 * 2400 * 8) / 1e6)
    assert len(records) == len(month_of_activity(last + dt.timedelta(days=1))) + 1


def test_serve_answers_a_query_without_dates_with_the_week_before_its_month_ends() -> None:
    last = dt.date(2026, 12, 5)
    with serve(recent_activity(last)) as url:
        answer = httpx.post(
            f"{url}/analytics/query",
            json={"metrics": ["request_count"], "granularity": "day"},
            headers=AUTH,
        ).json()
    with serve(month_of_activity()) as url:  # the API others use keeps September's "now"
        september = httpx.post(
            f"{url}/analytics/query", json={"metrics": ["request_count"], "granularity": "day"}, headers=AUTH
        ).json()

    buckets = [row["date__day"][:10] for row in answer["data"]["data"]]
    assert buckets == [(last - dt.timedelta(days=n)).isoformat() for n in range(6, -1, -1)]
    assert september["data"]["data"][-1]["date__day"].startswith("2026-09-30")


def test_days_ending_yesterday_is_the_last_completed_utc_day() -> None:
    assert last_completed_day("yesterday", today=dt.date(2027, 1, 1)) == dt.date(2026, 12, 31)
    assert last_completed_day("2026-09-30") == dt.date(2026, 9, 30)


@pytest.mark.parametrize("value", ["tomorrow", "2026-02-30", "2026-9-1", ""])
def test_a_bad_days_ending_is_a_usage_error(value: str) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--days-ending", value],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert done.returncode == 2
    assert "is not 'yesterday' or a day as YYYY-MM-DD" in done.stderr


def test_the_script_serves_the_month_ending_yesterday() -> None:
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    with subprocess.Popen(
        [sys.executable, str(SCRIPT), "--days-ending", "yesterday"],
        stdout=subprocess.PIPE,
        text=True,
    ) as server:
        try:
            assert server.stdout is not None
            banner = server.stdout.readline()
            base = re.search(r"http://127\.0\.0\.1:\d+", banner).group(0)  # type: ignore[union-attr]
            rows = httpx.get(f"{base}/activity", headers=AUTH).json()["data"]
        finally:
            server.terminate()
            server.wait(timeout=10)

    first = (yesterday - dt.timedelta(days=29)).isoformat()
    assert banner.startswith(f"Serving {first} to {yesterday.isoformat()} at http://127.0.0.1:")
    assert max(row["date"] for row in rows) == yesterday.isoformat()
    assert min(row["date"] for row in rows) == first
    assert any(row["model"] == RUNAWAY.model for row in rows)
