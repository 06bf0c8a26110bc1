"""The local history as a library: sync against the demo's data server, read back, add up in
SQL, accounts, gaps, schema versions and bad files. Real SQLite files in tmp_path throughout."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import math
import re
import sqlite3
import tracemalloc
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from demo_server import Record, activity_rows, month_of_activity, serve
from fault_server import FaultServer, Reply, activity_json, envelope

from openrouter_analytics import Analytics, AsyncAnalytics, check_spend, summarize
from openrouter_analytics.errors import (
    InternalServerResponseError,
    InvalidParameterError,
    ResponseValidationError,
    UnauthorizedResponseError,
)
from openrouter_analytics.history import (
    SCHEMA_VERSION,
    AccountMismatchError,
    Gap,
    History,
    HistoryFileError,
    NotInHistoryError,
    connect,
)

KEY = "sk-or-v1-history-test-key-0123456789abcdef"
ANCHOR = dt.date(2026, 10, 1)


def sync(
    path: Path, records: list[Record], today: dt.date, *, key: str = KEY, account: str | None = None
) -> Any:
    with (
        serve(records) as url,
        Analytics(api_key=key, base_url=url, max_retries=0) as analytics,
        History(path, account=account) as history,
    ):
        return history.sync(analytics, today=today)


def day_totals(rows: list[dict[str, Any]]) -> dict[str, tuple[float, int, int]]:
    """Per day: the sum of usage (fsum), of requests and of cached tokens."""
    usage: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        usage[row["date"]].append(row["usage"])
        counts[row["date"]][0] += row["requests"]
        counts[row["date"]][1] += row["cached_tokens"]
    return {day: (math.fsum(usage[day]), *counts[day]) for day in usage}


@pytest.fixture(scope="module")
def month() -> list[Record]:
    return month_of_activity(ANCHOR)


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory, month: list[Record]) -> Path:
    """A history holding the demo's September, synced once."""
    path = tmp_path_factory.mktemp("history") / "history.sqlite3"
    sync(path, month, ANCHOR)
    return path


def test_a_sync_keeps_every_field_of_every_row_split_per_workspace(synced: Path, month: list[Record]) -> None:
    served = activity_rows(month, by_workspace=True)
    with History(synced) as history:
        kept = [item.to_dict() for item in history.activity().data]
    key = lambda row: (row["date"], row["endpoint_id"], row["workspace_id"])  # noqa: E731
    assert sorted(kept, key=key) == sorted(served, key=key)
    assert all("cached_tokens" in row and "workspace_id" in row for row in kept)


def test_the_first_sync_adds_the_whole_window(tmp_path: Path, month: list[Record]) -> None:
    result = sync(tmp_path / "h.sqlite3", month, ANCHOR)
    assert result.first_day == "2026-09-01"
    assert result.last_day == "2026-09-30"
    assert len(result.added) == 30
    assert not result.updated
    assert not result.unchanged
    assert result.rows == len(activity_rows(month, by_workspace=True))
    assert (
        result.summary_line()
        == "30 days: 30 new, 0 updated, 0 unchanged; history 2026-09-01 to 2026-09-30, 0 gaps"
    )


def test_fields_the_spec_does_not_declare_are_kept_and_returned(tmp_path: Path) -> None:
    record = Record({**month_of_activity(ANCHOR, days=1)[0].item, "carbon_grams": 12.5, "tags": ["a", "b"]})
    sync(tmp_path / "h.sqlite3", [record], ANCHOR)
    with History(tmp_path / "h.sqlite3") as history:
        (item,) = history.activity().data
    assert item.additional_properties == {"carbon_grams": 12.5, "tags": ["a", "b"]}


def test_a_corrected_day_is_replaced_whole_and_older_days_are_untouched(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    first = month_of_activity(ANCHOR)
    sync(path, first, ANCHOR)
    # A day later: the window moved by one, and the demo's numbers for every shared day differ.
    later = month_of_activity(ANCHOR + dt.timedelta(days=1))
    result = sync(path, later, ANCHOR + dt.timedelta(days=1))
    assert result.added == ("2026-10-01",)
    assert len(result.updated) == 29
    assert result.updated[0] == "2026-09-02"
    with History(path) as history:
        kept = [item.to_dict() for item in history.activity().data]
    split = lambda records: day_totals(activity_rows(records, by_workspace=True))  # noqa: E731
    expected = {**split(first), **split(later)}
    assert day_totals(kept) == expected  # 09-01 from the first sync, the rest from the second
    # The same answer again changes nothing.
    again = sync(path, later, ANCHOR + dt.timedelta(days=1))
    assert len(again.unchanged) == 30
    assert not again.added
    assert not again.updated


def test_the_same_rows_in_another_order_are_an_unchanged_day_even_with_a_dimension_twice(
    tmp_path: Path, server: FaultServer
) -> None:
    item = json.loads(activity_json())["data"][0]
    day = (ANCHOR - dt.timedelta(days=1)).isoformat()
    twice = [
        {**item, "date": day, "usage": 0.5, "requests": 3},
        {**item, "date": day, "usage": 0.25, "requests": 1},
    ]
    others = [
        {**item, "date": day, "endpoint_id": f"endpoint-{n}", "cache_write_tokens": n} for n in range(3)
    ]
    rows = [*twice, *others]
    server.script(Reply(200, activity_json(*rows)), Reply(200, activity_json(*reversed(rows))))
    with (
        Analytics(api_key=KEY, base_url=server.url, max_retries=0) as analytics,
        History(tmp_path / "h.sqlite3") as history,
    ):
        history.sync(analytics, today=ANCHOR)
        again = history.sync(analytics, today=ANCHOR)
    assert again.updated == ()
    assert len(again.unchanged) == 30


def test_a_day_whose_rows_come_in_another_order_is_unchanged_and_a_corrected_one_updated(
    tmp_path: Path, server: FaultServer
) -> None:
    """Each dimension once in the day, sent in the reverse order the second time: unchanged;
    then one number corrected in that order: updated, the new number kept."""
    item = json.loads(activity_json())["data"][0]
    day = (ANCHOR - dt.timedelta(days=1)).isoformat()
    rows = [{**item, "date": day, "endpoint_id": f"endpoint-{n}", "requests": n + 1} for n in range(200)]
    corrected = [*reversed(rows)]
    corrected[7] = {**corrected[7], "requests": 10_000}
    server.script(
        Reply(200, activity_json(*rows)),
        Reply(200, activity_json(*reversed(rows))),
        Reply(200, activity_json(*corrected)),
    )
    with (
        Analytics(api_key=KEY, base_url=server.url, max_retries=0) as analytics,
        History(tmp_path / "h.sqlite3") as history,
    ):
        history.sync(analytics, today=ANCHOR)
        again = history.sync(analytics, today=ANCHOR)
        fixed = history.sync(analytics, today=ANCHOR)
        kept = {row.endpoint_id: row.requests for row in history.activity().data}
    assert again.updated == ()
    assert len(again.unchanged) == 30
    assert fixed.updated == (day,)
    assert kept[corrected[7]["endpoint_id"]] == 10_000
    assert sum(kept.values()) == sum(row["requests"] for row in corrected)


def test_days_kept_by_a_release_before_versioned_digests_are_recognised_unchanged(
    tmp_path: Path, month: list[Record]
) -> None:
    """A history whose days carry the digest releases before "2:" wrote (SHA-256 of the msgpack
    of the day's stored rows as tuples, by dimension): the same window again is unchanged,
    nothing rewritten, and each day's digest is the new one from then on."""
    import hashlib

    import msgspec

    path = tmp_path / "h.sqlite3"
    sync(path, month, ANCHOR)
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        for series_id, day in connection.execute("SELECT series_id, date FROM days").fetchall():
            rows = connection.execute(
                "SELECT dimension_id, usage, byok_usage_inference, requests, prompt_tokens, "
                "completion_tokens, reasoning_tokens, cached_tokens, extra FROM activity_data "
                "WHERE series_id = ? AND date = ? ORDER BY dimension_id",
                (series_id, day),
            ).fetchall()
            before_2 = hashlib.sha256(msgspec.msgpack.encode(rows)).hexdigest()
            connection.execute(
                "UPDATE days SET digest = ? WHERE series_id = ? AND date = ?", (before_2, series_id, day)
            )
        stored_before = connection.execute("SELECT * FROM activity_data ORDER BY 1, 2, 3").fetchall()
    again = sync(path, month, ANCHOR)
    assert len(again.unchanged) == 30
    assert not again.updated
    with contextlib.closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT * FROM activity_data ORDER BY 1, 2, 3").fetchall() == stored_before
        digests = [digest for (digest,) in connection.execute("SELECT digest FROM days")]
    assert len(digests) == 30
    assert all(digest.startswith("2:") for digest in digests)


@pytest.mark.parametrize("count", [2**63, 2**64, 2**70])
def test_a_count_beyond_64_bits_is_an_off_spec_answer_and_nothing_is_written(
    tmp_path: Path, server: FaultServer, count: int
) -> None:
    item = json.loads(activity_json())["data"][0]
    day = (ANCHOR - dt.timedelta(days=1)).isoformat()
    server.script(Reply(200, activity_json({**item, "date": day, "prompt_tokens": count})))
    path = tmp_path / "h.sqlite3"
    with (
        Analytics(api_key=KEY, base_url=server.url, max_retries=0) as analytics,
        History(path) as history,
        pytest.raises(
            ResponseValidationError,
            match=r"is 2\*\*63 or more, beyond the history's integers; nothing was written",
        ),
    ):
        history.sync(analytics, today=ANCHOR)
    with contextlib.closing(connect(path)) as connection:
        assert connection.execute("SELECT count(*) FROM days").fetchone() == (0,)


def test_a_quiet_day_in_the_window_is_kept_as_a_day_without_rows(tmp_path: Path, month: list[Record]) -> None:
    without_the_15th = [record for record in month if record.item["date"] != "2026-09-15"]
    result = sync(tmp_path / "h.sqlite3", without_the_15th, ANCHOR)
    assert len(result.added) == 30
    assert not result.gaps
    with History(tmp_path / "h.sqlite3") as history:
        days = {day.date: day.rows for day in history.days()}
    assert days["2026-09-15"] == 0
    assert len(days) == 30


def test_a_gap_is_reported_once_and_never_filled(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    sync(path, month_of_activity(ANCHOR), ANCHOR)
    late = ANCHOR + dt.timedelta(days=33)  # a month without syncs: 3 days fell out of the window
    found = sync(path, month_of_activity(late), late)
    assert found.new_gaps == (Gap("2026-10-01", "2026-10-03"),)
    assert found.new_gaps[0].days == 3
    after = sync(path, month_of_activity(late + dt.timedelta(days=1)), late + dt.timedelta(days=1))
    assert after.new_gaps == ()
    assert after.gaps == found.gaps
    assert after.summary_line().endswith("1 gap")
    with History(path) as history:
        assert history.gaps() == (Gap("2026-10-01", "2026-10-03"),)
        dates = {item.date for item in history.activity(since="2026-09-29", until="2026-10-05").data}
    assert dates.isdisjoint({"2026-10-01", "2026-10-02", "2026-10-03"})


def test_rows_dated_outside_the_window_touch_no_day(tmp_path: Path, server: FaultServer) -> None:
    """An answer with rows of a day kept long ago, of a day never kept before it and of today
    (unfinished): those rows are left out, so the day kept is not replaced by part of it, no
    stray row passes for a whole day, and no day past the window appears (nor a gap before it,
    or between the stray day and the first day kept)."""
    path = tmp_path / "h.sqlite3"
    item = json.loads(activity_json())["data"][0]

    def answer(days: list[str], usage: float) -> Reply:
        return Reply(200, activity_json(*({**item, "date": day, "usage": usage} for day in days)))

    first = [(ANCHOR - dt.timedelta(days=offset)).isoformat() for offset in range(30, 0, -1)]
    later = ANCHOR + dt.timedelta(days=10)
    window = [(later - dt.timedelta(days=offset)).isoformat() for offset in range(30, 0, -1)]
    never_kept = (ANCHOR - dt.timedelta(days=90)).isoformat()
    stray = [never_kept, first[0], later.isoformat()]
    server.script(answer(first, 2.0), answer(window + stray, 0.5))
    with Analytics(api_key=KEY, base_url=server.url, max_retries=0) as analytics, History(path) as history:
        history.sync(analytics, today=ANCHOR)
        result = history.sync(analytics, today=later)
        assert result.rows == 30
        assert result.days == 30
        assert result.left_out == tuple(sorted(stray))
        assert (result.history_first, result.history_last) == (first[0], window[-1])
        assert result.gaps == ()
        assert history.summary("none", since=first[0], until=first[0]).total.cost == 2.0
        assert [day.date for day in history.days()][-1] == window[-1]


@pytest.mark.parametrize(
    ("offsets", "said"),
    [
        # The clock behind the server's: the answer runs past today.
        (range(-30, 0), "after today (2026-09-01) by this machine's clock; is the clock right?"),
        (range(-29, 1), "after today (2026-09-01) by this machine's clock; is the clock right?"),
        # The clock ahead: none of the answer's days is in the window the clock gives.
        (range(60, 90), "none of them in the window of 2026-08-02 to 2026-08-31"),
    ],
)
def test_an_answer_whose_days_do_not_fit_the_clock_writes_nothing(
    tmp_path: Path, server: FaultServer, offsets: range, said: str
) -> None:
    """A sync whose window (from this machine's clock) does not match the answer's days would
    replace days that have activity with days without any, and fill gaps with them."""
    path = tmp_path / "h.sqlite3"
    item = json.loads(activity_json())["data"][0]
    today = dt.date(2026, 9, 1)

    def answer(days: list[dt.date]) -> Reply:
        return Reply(200, activity_json(*({**item, "date": day.isoformat()} for day in days)))

    kept = [today - dt.timedelta(days=offset) for offset in range(30, 0, -1)]
    server.script(answer(kept), answer([today - dt.timedelta(days=offset) for offset in offsets]))
    with Analytics(api_key=KEY, base_url=server.url, max_retries=0) as analytics, History(path) as history:
        history.sync(analytics, today=today)
        before = history.summary("date").rows
        with pytest.raises(ResponseValidationError, match=re.escape(said)) as refused:
            history.sync(analytics, today=today)
        assert str(refused.value).endswith("nothing was written")
        assert history.summary("date").rows == before


def test_an_answer_without_rows_of_days_that_had_activity_says_so(
    tmp_path: Path, server: FaultServer
) -> None:
    path = tmp_path / "h.sqlite3"
    item = json.loads(activity_json())["data"][0]
    days = [(ANCHOR - dt.timedelta(days=offset)).isoformat() for offset in range(30, 0, -1)]
    server.script(
        Reply(200, activity_json(*({**item, "date": day} for day in days))),
        Reply(200, activity_json(*({**item, "date": day} for day in days[:-3]))),
        Reply(200, b'{"data": []}'),
    )
    with Analytics(api_key=KEY, base_url=server.url, max_retries=0) as analytics, History(path) as history:
        assert history.sync(analytics, today=ANCHOR).emptied == ()
        assert history.sync(analytics, today=ANCHOR).emptied == tuple(days[-3:])
        assert history.sync(analytics, today=ANCHOR).emptied == tuple(days[:-3])


GROUPINGS = ["date", "model", "provider", "endpoint", "workspace", "none"]


@pytest.mark.parametrize("by", GROUPINGS)
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"since": "2026-09-10", "until": "2026-09-20"},
        {"model": "CLAUDE", "top": 2},
        {"provider": "google", "sort": "requests", "top": 1},
        {"sort": "key"},
        {"sort": "cached_tokens", "top": 3},
    ],
)
def test_the_sql_summary_is_summarize_of_the_rows(synced: Path, by: str, options: dict[str, Any]) -> None:
    with History(synced) as history:
        in_python = summarize(history.activity(), by, **options)  # type: ignore[arg-type]
        in_sql = history.summary(by, **options)  # type: ignore[arg-type]
    assert in_sql == in_python


@pytest.mark.parametrize("options", [{}, {"since": "2026-09-20"}, {"sort": "key", "top": 1}])
def test_an_endpoint_renamed_midway_is_labelled_from_its_earliest_row(
    tmp_path: Path, options: dict[str, Any]
) -> None:
    """An endpoint's model renamed from 2026-09-15 on: summarize() labels the endpoint from its first
    row in the range, and the SQL summary looks up which of its dimensions came first."""
    records = month_of_activity(ANCHOR, days=30)
    endpoint = records[0].item["endpoint_id"]
    renamed = [
        Record({**record.item, "model": "zeta/renamed-model"})
        if record.item["endpoint_id"] == endpoint and record.item["date"] >= "2026-09-15"
        else record
        for record in records
    ]
    assert {record.item["model"] for record in renamed if record.item["endpoint_id"] == endpoint} >= {
        "zeta/renamed-model"
    }
    path = tmp_path / "h.sqlite3"
    sync(path, renamed, ANCHOR)
    with History(path) as history:
        in_python = summarize(history.activity(), "endpoint", **options)
        in_sql = history.summary("endpoint", **options)
    assert in_sql == in_python
    assert in_sql.first_date == in_python.first_date
    assert in_sql.last_date == in_python.last_date


def test_a_summary_of_a_range_without_rows_has_no_dates(synced: Path) -> None:
    with History(synced) as history:
        empty = history.summary("model", since="2020-01-01", until="2020-01-31")
    assert empty.rows == ()
    assert empty.first_date is None
    assert empty.last_date is None
    assert empty == summarize(History(synced).activity(since="2020-01-01", until="2020-01-31"), "model")


def test_a_workspace_filter_reads_one_workspace(synced: Path, month: list[Record]) -> None:
    workspace = month[0].workspace_id
    with History(synced) as history:
        rows = history.activity(workspace_id=workspace.upper()).data
        summary = history.summary("none", workspace_id=workspace)
    expected = [row for row in activity_rows(month, by_workspace=True) if row["workspace_id"] == workspace]
    assert len(rows) == len(expected) == summary.total.activity_rows
    assert summary.total.cost == math.fsum(row["usage"] for row in expected)


def test_check_spend_reads_the_history_with_a_baseline_longer_than_the_api_keeps(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    for offset in (0, 20):
        today = ANCHOR + dt.timedelta(days=offset)
        sync(path, month_of_activity(today), today)
    with History(path) as history:
        days = history.days()
        report = history.activity()
    window = (days[0].date, days[-1].date)
    result = check_spend(report, max_increase=100.0, baseline_days=45, window=window, today="2026-12-01")
    mean = math.fsum(item.usage for item in report.data if "2026-09-05" <= item.date < "2026-10-20") / 45
    assert result.day == "2026-10-20"
    assert result.checks[0].baseline == mean


async def test_async_sync_writes_what_the_sync_one_does(tmp_path: Path, month: list[Record]) -> None:
    with serve(month) as url:
        async with AsyncAnalytics(api_key=KEY, base_url=url) as analytics:
            with History(tmp_path / "a.sqlite3") as history:
                result = await history.async_sync(analytics, today=ANCHOR)
    assert len(result.added) == 30
    with History(tmp_path / "a.sqlite3") as history:
        kept = sorted(item.to_dict().items() for item in history.activity().data)
    assert kept == sorted(row.items() for row in activity_rows(month, by_workspace=True))


pytestmark = pytest.mark.anyio


# -- accounts ---------------------------------------------------------------------------------


def test_another_key_is_refused_with_what_to_pass(synced: Path, month: list[Record]) -> None:
    before = synced.read_bytes()
    with pytest.raises(AccountMismatchError, match=r"--account key-[0-9a-f]{16}") as caught:
        sync(synced, month, ANCHOR, key="sk-or-v1-another-key-of-someone")
    assert str(synced) in str(caught.value)
    assert synced.read_bytes() == before


def test_a_new_key_of_the_same_account_syncs_with_account(tmp_path: Path, month: list[Record]) -> None:
    path = tmp_path / "h.sqlite3"
    sync(path, month, ANCHOR, account="acme")
    result = sync(path, month, ANCHOR, key="sk-or-v1-rotated-key", account="acme")
    assert result.account == "acme"
    assert len(result.unchanged) == 30
    # Once known, the rotated key needs no --account; and it cannot write another account.
    assert sync(path, month, ANCHOR, key="sk-or-v1-rotated-key").account == "acme"
    with pytest.raises(AccountMismatchError, match="pass --account acme"):
        sync(path, month, ANCHOR, key="sk-or-v1-rotated-key", account="other")


def test_a_file_of_two_accounts_is_read_with_account(tmp_path: Path, month: list[Record]) -> None:
    path = tmp_path / "h.sqlite3"
    sync(path, month, ANCHOR, account="acme")
    sync(path, month[:10], ANCHOR, key="sk-or-v1-second", account="globex")
    with pytest.raises(AccountMismatchError, match="acme, globex"), History(path) as history:
        history.activity()
    with History(path, account="globex") as history:
        assert len(history.activity().data) == len(activity_rows(month[:10], by_workspace=True))


def test_a_filter_is_its_own_series(tmp_path: Path, month: list[Record]) -> None:
    path = tmp_path / "h.sqlite3"
    key_hash = month[0].api_key_hash
    with serve(month) as url, Analytics(api_key=KEY, base_url=url) as analytics, History(path) as history:
        history.sync(analytics, api_key_hash=key_hash, today=ANCHOR)
        kept = history.activity(api_key_hash=key_hash).data
        with pytest.raises(
            NotInHistoryError, match=r"'openrouter-activity sync --db .+' keeps them from now on"
        ):
            history.activity()
    assert len(kept) == len(activity_rows(month, api_key_hash=key_hash, by_workspace=True))


def test_a_key_hash_is_one_series_however_its_case_was_typed(tmp_path: Path, month: list[Record]) -> None:
    path = tmp_path / "h.sqlite3"
    key_hash = month[0].api_key_hash
    with serve(month) as url, Analytics(api_key=KEY, base_url=url) as analytics, History(path) as history:
        history.sync(analytics, api_key_hash=key_hash.lower(), today=ANCHOR)
        again = history.sync(analytics, api_key_hash=key_hash.upper(), today=ANCHOR)
        kept = history.activity(api_key_hash=key_hash.upper()).data
        with pytest.raises(InvalidParameterError, match="api_key_hash must be the key's SHA-256 hash"):
            history.activity(api_key_hash="abc123hash")
    assert again.unchanged
    assert not again.added
    assert len(kept) == len(activity_rows(month, api_key_hash=key_hash, by_workspace=True))
    with contextlib.closing(sqlite3.connect(path)) as raw:
        assert raw.execute("SELECT api_key_hash FROM series").fetchall() == [(key_hash.lower(),)]


# -- what a failed fetch writes: nothing ------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (Reply(500, envelope(500, "Internal Server Error")), InternalServerResponseError),
        (Reply(401, envelope(401, "User not found.")), UnauthorizedResponseError),
        (Reply(200, json.dumps({"data": [{"date": "2026-09-30"}]}).encode()), ResponseValidationError),
        (
            Reply(200, activity_json({**json.loads(activity_json())["data"][0], "date": "yesterday"})),
            ResponseValidationError,
        ),
    ],
    ids=["500", "401", "missing-fields", "date-not-a-day"],
)
def test_a_failed_fetch_writes_nothing(
    tmp_path: Path, server: FaultServer, reply: Reply, error: type[Exception]
) -> None:
    path = tmp_path / "h.sqlite3"
    server.script(Reply(200, activity_json()))
    with Analytics(api_key=KEY, base_url=server.url, max_retries=0) as analytics, History(path) as history:
        history.sync(analytics, today="2025-08-25")
    before = path.read_bytes()
    server.always(reply)
    with Analytics(api_key=KEY, base_url=server.url, max_retries=0) as analytics, History(path) as history:
        with pytest.raises(error):
            history.sync(analytics, today="2025-08-26")
        assert [day.date for day in history.days()][-1] == "2025-08-24"
    assert path.read_bytes() == before
    # And a failed first sync leaves no file at all.
    with Analytics(api_key=KEY, base_url=server.url, max_retries=0) as analytics, pytest.raises(error):
        History(tmp_path / "new.sqlite3").sync(analytics)
    assert not (tmp_path / "new.sqlite3").exists()


def test_a_row_dated_other_than_a_day_is_named_as_the_sdk_names_a_field(
    tmp_path: Path, server: FaultServer
) -> None:
    """The location reads as the SDK's other refusals of a body do: ``data[3].date``."""
    item = json.loads(activity_json())["data"][0]
    days = ["2026-09-28", "2026-09-29", "2026-09-30", "2026-09-31"]
    server.always(Reply(200, activity_json(*({**item, "date": day} for day in days))))
    with (
        Analytics(api_key=KEY, base_url=server.url, max_retries=0) as analytics,
        pytest.raises(ResponseValidationError) as refused,
    ):
        History(tmp_path / "h.sqlite3").sync(analytics, today="2026-10-01")
    assert refused.value.location == "data[3].date"
    assert "row 3 of the answer is dated '2026-09-31', not a YYYY-MM-DD day" in str(refused.value)
    assert not (tmp_path / "h.sqlite3").exists()


# -- the file: versions, other tables, bad files ----------------------------------------------


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_new_file_is_at_the_current_schema_with_wal(tmp_path: Path) -> None:
    connection = connect(tmp_path / "deep" / "dir" / "h.sqlite3")
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 1
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA busy_timeout").fetchone()[0] >= 30_000
    connection.close()
    assert tables(tmp_path / "deep" / "dir" / "h.sqlite3") == {
        "accounts",
        "account_keys",
        "series",
        "days",
        "dimensions",
        "activity_data",
    }


def test_a_transaction_commits_on_a_thread_of_its_own_while_its_work_runs(tmp_path: Path) -> None:
    """A sync frees the answer's rows while SQLite commits: the COMMIT runs on another thread,
    the work here, and a COMMIT that fails (a deferred foreign key) raises here once both are
    done, rolled back, the connection free to begin the next transaction."""
    import threading

    from openrouter_analytics.history._connect import transaction

    path = tmp_path / "h.sqlite3"
    connection = connect(path)
    connection.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    connection.execute("CREATE TABLE child (parent_id REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)")
    committed_in: list[str] = []
    connection.set_trace_callback(
        lambda sql: committed_in.append(threading.current_thread().name) if sql == "COMMIT" else None
    )
    worked_in: list[str] = []

    def work() -> None:
        worked_in.append(threading.current_thread().name)

    here = threading.current_thread().name
    with transaction(connection, path, while_committing=work):
        connection.execute("INSERT INTO parent VALUES (1)")
    assert worked_in == [here]
    assert len(committed_in) == 1
    assert committed_in[0] != here
    with contextlib.closing(sqlite3.connect(path)) as other:
        assert other.execute("SELECT id FROM parent").fetchall() == [(1,)]

    threads = threading.active_count()
    for while_committing in (work, None):
        with (
            pytest.raises(HistoryFileError, match="FOREIGN KEY constraint failed"),
            transaction(connection, path, while_committing=while_committing),
        ):
            connection.execute("INSERT INTO child VALUES (2)")
        assert not connection.in_transaction
    assert worked_in == [here, here]
    assert threading.active_count() == threads
    with transaction(connection, path, while_committing=work):
        connection.execute("INSERT INTO parent VALUES (3)")
    connection.close()
    with contextlib.closing(sqlite3.connect(path)) as other:
        assert other.execute("SELECT * FROM parent").fetchall() == [(1,), (3,)]
        assert other.execute("SELECT * FROM child").fetchall() == []


def test_a_file_holding_only_notifications_sent_is_taken_as_new_and_that_table_kept(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE IF NOT EXISTS notifications_sent (rule TEXT, period TEXT, sent_at TEXT)")
        other.execute("INSERT INTO notifications_sent VALUES ('daily-50', '2026-09-30', 'now')")
    other.close()
    sync(path, month_of_activity(ANCHOR, days=2), ANCHOR)
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT * FROM notifications_sent").fetchall() == [
            ("daily-50", "2026-09-30", "now")
        ]
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    connection.close()
    # The other side creating its table after ours leaves ours alone too.
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE IF NOT EXISTS notifications_sent (rule TEXT, period TEXT, sent_at TEXT)")
    other.close()
    with History(path) as history:
        assert len(history.days()) == 30


@pytest.mark.parametrize("budgets_table", [False, True])
def test_reading_a_file_that_holds_no_history_yet_leaves_it_untouched(
    tmp_path: Path, budgets_table: bool
) -> None:
    """An empty file, or one holding only the budgets' table: nothing to read, and a reader
    writes no schema into it; the first sync then makes it a history."""
    path = tmp_path / "h.sqlite3"
    path.touch()
    if budgets_table:
        with contextlib.closing(sqlite3.connect(path)) as other:
            other.execute("CREATE TABLE notifications_sent (rule TEXT, period TEXT, sent_at TEXT)")
            other.commit()
    before = path.read_bytes()
    for read in (
        lambda h: h.activity(),
        lambda h: h.summary(),
        lambda h: h.days(),
        lambda h: h.overview(),
        lambda h: h.export(tmp_path / "out.csv", "csv"),
    ):
        with History(path) as history, pytest.raises(NotInHistoryError, match=r"no history at .* yet"):
            read(history)
    assert path.read_bytes() == before
    assert not (tmp_path / "out.csv").exists()
    assert {p.name for p in tmp_path.iterdir()} == {"h.sqlite3"}
    sync(path, month_of_activity(ANCHOR, days=2), ANCHOR)
    with History(path) as history:
        assert len(history.days()) == 30


def test_each_migration_from_version_0_gives_the_current_schema(tmp_path: Path) -> None:
    from openrouter_analytics.history._schema import MIGRATIONS, migrate

    path = tmp_path / "h.sqlite3"
    raw = sqlite3.connect(path, isolation_level=None)
    for version in range(len(MIGRATIONS) + 1):
        raw.execute("BEGIN")
        assert migrate(raw, to=version) <= version
        raw.execute("COMMIT")
        assert raw.execute("PRAGMA user_version").fetchone()[0] == version
    raw.close()
    connect(path).close()  # opens at the current version without migrating again
    fresh = tmp_path / "fresh.sqlite3"
    connect(fresh).close()
    dump = lambda p: sorted(sqlite3.connect(p).execute("SELECT sql FROM sqlite_master").fetchall(), key=str)  # noqa: E731
    assert dump(path) == dump(fresh)


def test_a_file_of_a_newer_schema_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    connect(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    before = path.read_bytes()
    with pytest.raises(HistoryFileError, match=rf"{path}.*newer.*pip install --upgrade"):
        connect(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"hello, not a database\n", b"SQLite format 2\x00" + b"\x00" * 100])
def test_a_file_that_is_not_sqlite_is_refused_and_left_as_it_is(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    with pytest.raises(HistoryFileError, match=rf"{path} is not a SQLite file.*--db"):
        sync(path, month_of_activity(ANCHOR, days=1), ANCHOR)
    assert path.read_bytes() == content


def test_a_sqlite_file_of_something_else_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE invoices (id INTEGER)")
    raw.close()
    before = path.read_bytes()
    with pytest.raises(HistoryFileError, match=r"database of something else.*invoices"):
        connect(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("version", [1, 2])
def test_a_sqlite_file_of_something_else_that_sets_a_user_version_is_refused_untouched(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / "app.db"
    with contextlib.closing(sqlite3.connect(path)) as raw:
        raw.execute("CREATE TABLE settings (k TEXT, v TEXT)")
        raw.execute(f"PRAGMA user_version = {version}")
        raw.commit()
    before = path.read_bytes()
    with pytest.raises(
        HistoryFileError, match=rf"{path} is a SQLite database of something else \(tables settings\)"
    ):
        sync(path, month_of_activity(ANCHOR, days=1), ANCHOR)
    with pytest.raises(HistoryFileError, match="database of something else"), History(path) as history:
        history.days()
    assert path.read_bytes() == before  # not even switched to WAL


def test_reading_a_missing_history_says_how_to_start_one(tmp_path: Path) -> None:
    with (
        pytest.raises(NotInHistoryError, match="openrouter-activity sync"),
        History(tmp_path / "none.sqlite3") as h,
    ):
        h.activity()
    assert not (tmp_path / "none.sqlite3").exists()


@pytest.mark.parametrize(
    ("read", "named"),
    [
        (lambda h: h.activity("2026-09-10", "2026-09-01"), "since"),
        (lambda h: h.activity(until="September"), "until"),
        (lambda h: h.summary(since="2026-09-10", until="2026-09-01"), "since"),
        (lambda h: h.summary("week"), "by"),
        (lambda h: h.summary(top=0), "top"),
        (lambda h: h.summary(sort="price"), "sort"),
        (lambda h: h.export(None, "csv", since="2026-09-10", until="2026-09-01"), "since"),
        (lambda h: h.export(None, "xlsx"), "format"),  # type: ignore[arg-type]
        (lambda h: h.export(None, "parquet"), "output"),
        (lambda h: h.activity(workspace_id="production"), "workspace_id"),
        (lambda h: h.summary(workspace_id=""), "workspace_id"),
        (lambda h: h.export(None, "csv", workspace_id="not-a-uuid"), "workspace_id"),
    ],
)
def test_bad_arguments_are_refused_before_the_file_is_read(
    tmp_path: Path, synced: Path, read: Any, named: str
) -> None:
    # The same error whether or not the history exists: the arguments are checked first.
    for path in (tmp_path / "none.sqlite3", synced):
        with History(path) as h, pytest.raises(InvalidParameterError) as refused:
            read(h)
        assert refused.value.parameter == named
    assert not (tmp_path / "none.sqlite3").exists()


def test_the_key_is_never_stored(synced: Path) -> None:
    import hashlib

    stored = b"".join(p.read_bytes() for p in synced.parent.iterdir() if p.name.startswith(synced.name))
    assert KEY.encode() not in stored
    assert hashlib.sha256(KEY.encode()).hexdigest().encode() not in stored
    assert KEY[-12:].encode() not in stored


def test_pandas_reads_the_activity_view(synced: Path, month: list[Record]) -> None:
    import pandas as pd

    with contextlib.closing(sqlite3.connect(synced)) as connection:
        frame = pd.read_sql_query("SELECT * FROM activity", connection)
    served = activity_rows(month, by_workspace=True)
    assert len(frame) == len(served)
    assert math.fsum(frame["usage"]) == math.fsum(row["usage"] for row in served)
    assert int(frame["cached_tokens"].sum()) == sum(row["cached_tokens"] for row in served)
    assert set(frame["workspace_id"]) == {row["workspace_id"] for row in served}


def test_a_workspace_filter_finds_a_workspace_the_api_spelled_in_upper_case(
    server: FaultServer, tmp_path: Path
) -> None:
    # The filter is taken in any spelling of the UUID (it is canonicalized, as for the API), so
    # the rows kept must be found whatever spelling the API sent them in.
    item = json.loads(activity_json())["data"][0]
    spelled = "550E8400-E29B-41D4-A716-44665544AAAA"
    other = "550e8400-e29b-41d4-a716-44665544bbbb"
    day = (ANCHOR - dt.timedelta(days=1)).isoformat()
    rows = [
        {**item, "date": day, "workspace_id": spelled, "usage": 1.5},
        {**item, "date": day, "workspace_id": other},
    ]
    server.script(Reply(200, activity_json(*rows)))
    with (
        Analytics(api_key=KEY, base_url=server.url, max_retries=0) as analytics,
        History(tmp_path / "h.sqlite3") as history,
    ):
        history.sync(analytics, today=ANCHOR)
        for asked in (spelled, spelled.lower()):
            found = history.activity(workspace_id=asked).data
            assert [row.workspace_id for row in found] == [spelled]
            assert history.summary("none", workspace_id=asked).total.cost == 1.5
            assert history.export(tmp_path / f"{asked}.jsonl", "jsonl", workspace_id=asked) == 1


@pytest.mark.parametrize("collecting", [True, False])
def test_a_summary_keeps_none_of_its_costs_and_leaves_the_collector_as_it_was(
    synced: Path, collecting: bool
) -> None:
    """The costs SQLite hands over are freed with the summary, though the connection keeps its
    aggregate; the collector, paused while they are kept, is as the caller left it."""
    from openrouter_analytics.history import _reading

    with History(synced) as history:
        history.summary("model")  # the file's schema and the connection, before the count starts
        (gc.enable if collecting else gc.disable)()
        tracemalloc.start()
        try:
            summary = history.summary("model")
            _, peak = tracemalloc.get_traced_memory()
            assert gc.isenabled() is collecting
            del summary
            left = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, _reading.__file__)])
        finally:
            tracemalloc.stop()
            gc.enable()
    # What stays: the statement cache, and the floats Python keeps for reuse (at most 100).
    held = sum(trace.size for trace in left.traces)
    assert held < peak / 5, (held, peak)
