"""Syncs over time: any sequence of overlapping windows leaves the last-seen version of each day
(a property test), and forty days of syncs against the demo moving its window day by day."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
from demo_server import activity_rows, month_of_activity, serve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openrouter_analytics import Analytics
from openrouter_analytics.history import Gap, History

KEY = "sk-or-v1-history-sync-test"
START = dt.date(2026, 1, 1)


def rows_of(day: dt.date, version: int) -> list[dict[str, Any]]:
    """What the server says about ``day`` in ``version``: 0 to 2 rows, numbers that tell versions apart.
    A day's version-0 answer is the same in every sync, so some days come back unchanged."""
    count = (day.toordinal() + version) % 3
    return [
        {
            "date": day.isoformat(),
            "model": f"vendor/model-{index}",
            "model_permaslug": f"vendor/model-{index}-v{version}",
            "endpoint_id": f"endpoint-{index}",
            "provider_name": "Provider",
            "workspace_id": "ws",
            "usage": version + index / 8 + day.day / 1024,
            "byok_usage_inference": 0.0,
            "requests": version * 10 + index,
            "prompt_tokens": 1,
            "completion_tokens": 2,
            "reasoning_tokens": 0,
            "cached_tokens": version,
        }
        for index in range(count)
    ]


def window(today: dt.date) -> list[dt.date]:
    return [today - dt.timedelta(days=offset) for offset in range(30, 0, -1)]


def missing_runs(days: set[dt.date]) -> tuple[Gap, ...]:
    ordered = sorted(days)
    gaps = []
    for before, after in itertools.pairwise(ordered):
        if (after - before).days > 1:
            gaps.append(
                Gap((before + dt.timedelta(days=1)).isoformat(), (after - dt.timedelta(days=1)).isoformat())
            )
    return tuple(gaps)


steps = st.lists(
    st.tuples(st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=3)),
    min_size=1,
    max_size=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps)
def test_any_sequence_of_syncs_leaves_the_last_seen_version_of_each_day(steps: list[tuple[int, int]]) -> None:
    answer: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params["group_by"] == "workspace"
        return httpx.Response(200, json={"data": answer})

    last_seen: dict[dt.date, list[dict[str, Any]]] = {}
    reported: list[Gap] = []
    today = START
    with (
        tempfile.TemporaryDirectory() as directory,
        Analytics(api_key=KEY, http_client=httpx.Client(transport=httpx.MockTransport(handler))) as analytics,
        History(Path(directory) / "h.sqlite3") as history,
    ):
        for advance, version in steps:
            today += dt.timedelta(days=advance)
            # Version 0 on days where (ordinal + version) % 4 == 0: those days are corrections of nothing.
            answer[:] = [
                row
                for day in window(today)
                for row in rows_of(day, 0 if (day.toordinal() + version) % 4 == 0 else version)
            ]
            by_day = defaultdict(list)
            for row in answer:
                by_day[dt.date.fromisoformat(row["date"])].append(row)
            seen_before = set(last_seen)
            changed = {day for day in window(today) if day in last_seen and last_seen[day] != by_day[day]}
            gaps_before = missing_runs(seen_before)
            result = history.sync(analytics, today=today)
            for day in window(today):
                last_seen[day] = by_day[day]

            assert set(result.added) == {day.isoformat() for day in window(today) if day not in seen_before}
            assert set(result.updated) == {day.isoformat() for day in changed}
            assert len(result.unchanged) == 30 - len(result.added) - len(result.updated)
            assert result.gaps == missing_runs(set(last_seen))
            reported += list(result.new_gaps)
            assert all(gap not in gaps_before for gap in result.new_gaps)

        kept: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for item in history.activity().data:
            kept[item.date].append(item.to_dict())
        expected = {day.isoformat(): rows for day, rows in last_seen.items() if rows}
        assert {day: sorted(rows, key=str) for day, rows in kept.items()} == {
            day: sorted(rows, key=str) for day, rows in expected.items()
        }
        assert [day.date for day in history.days()] == sorted(day.isoformat() for day in last_seen)
        assert history.gaps() == missing_runs(set(last_seen))
        # Each gap was reported by exactly one sync.
        assert sorted(reported, key=lambda gap: gap.first) == list(history.gaps())


def test_forty_days_of_syncs_against_the_demo_keep_every_day_with_one_gap(tmp_path: Path) -> None:
    """The demo's window moves a day at a time (and each move changes its numbers for the days
    it shares with the last, like late corrections); after 20 syncs the job stops for a month,
    so three days fall out of the window before any sync sees them."""
    anchor = dt.date(2026, 10, 1)
    todays = [anchor + dt.timedelta(days=i) for i in range(20)] + [
        anchor + dt.timedelta(days=i + 32) for i in range(20, 40)
    ]
    last_served: dict[str, list[dict[str, Any]]] = {}
    results = []
    path = tmp_path / "history.sqlite3"
    with History(path) as history:
        for today in todays:
            records = month_of_activity(today)
            with serve(records) as url, Analytics(api_key=KEY, base_url=url) as analytics:
                results.append(history.sync(analytics, today=today))
            served: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for row in activity_rows(records, by_workspace=True):
                served[row["date"]].append(row)
            for day in window(today):
                last_served[day.isoformat()] = served[day.isoformat()]
        kept = history.activity().data
        gaps = history.gaps()

    def totals(rows: list[Any]) -> tuple[float, int, int, int]:
        return (
            math.fsum(row["usage"] for row in rows),
            sum(row["requests"] for row in rows),
            sum(row["cached_tokens"] for row in rows),
            len(rows),
        )

    by_day: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in kept:
        by_day[item.date].append(item.to_dict())
    assert {day: totals(rows) for day, rows in by_day.items()} == {
        day: totals(rows) for day, rows in last_served.items() if rows
    }
    # Two runs of 30 days and 19 syncs each, a new day per sync.
    assert len(last_served) == 2 * (30 + 19)
    gap = Gap("2026-10-20", "2026-10-22")
    assert gaps == (gap,)
    assert [result.new_gaps for result in results].count((gap,)) == 1
    assert all(result.new_gaps in ((), (gap,)) for result in results)
    last_day = todays[-1] - dt.timedelta(days=1)
    assert results[-1].summary_line() == (
        f"30 days: 1 new, 29 updated, 0 unchanged; history 2026-09-01 to {last_day}, 1 gap"
    )


def busy_day(day: dt.date, rows: int) -> list[dict[str, Any]]:
    """``rows`` rows of ``day``: more than one statement's worth, a dimension twice, costs that
    need every bit, a workspace missing from some, a field the spec does not declare on others."""
    found = []
    for index in range(rows):
        row: dict[str, Any] = {
            "date": day.isoformat(),
            "model": f"vendor/model-{index % 7}",
            "model_permaslug": f"vendor/model-{index % 7}-v1",
            "endpoint_id": f"endpoint-{index % 11}",
            "provider_name": f"Provider {index % 3}",
            "usage": 0.1 * index + 1e-9 / (index + 1),
            "byok_usage_inference": 0.0 if index % 4 else 3.3 / (index + 1),
            "requests": index,
            "prompt_tokens": 2**40 + index,
            "completion_tokens": index * 3,
            "reasoning_tokens": index % 5,
            "cached_tokens": index % 2,
        }
        if index % 9:
            row["workspace_id"] = f"ws-{index % 2}"
        if index % 10 == 3:
            row["carbon_grams"] = index / 3
        found.append(row)
    return found


def test_a_window_is_kept_row_for_row_in_the_apis_order_with_each_days_digest(tmp_path: Path) -> None:
    """Days whose rows come interleaved and in runs, each more rows than one INSERT takes, with
    and without undeclared fields: every row read back as sent, in the API's order within its
    day, and each day's digest "2:" and the SHA-256 of its stored rows sorted by dimension, one
    after another."""
    import hashlib
    import json
    import sqlite3

    import msgspec

    today = dt.date(2026, 3, 1)
    days = window(today)[-3:]
    sent = {day.isoformat(): busy_day(day, 64 * 2 + 5 + offset) for offset, day in enumerate(days)}
    first, second, third = sent.values()
    for row in third:  # a day without undeclared fields, written by a statement of its own
        row.pop("carbon_grams", None)
    # Interleaved: runs of each day, a day coming back after another.
    answer = first[:50] + second[:70] + first[50:] + third + second[70:]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": answer})

    path = tmp_path / "h.sqlite3"
    with (
        Analytics(api_key=KEY, http_client=httpx.Client(transport=httpx.MockTransport(handler))) as analytics,
        History(path) as history,
    ):
        result = history.sync(analytics, today=today)
        again = history.sync(analytics, today=today)
        kept: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for item in history.activity().data:
            kept[item.date].append(item.to_dict())
    # The window's other days were quiet: kept as days without rows.
    assert set(result.added) == set(again.unchanged) == {day.isoformat() for day in window(today)}
    assert result.rows == len(answer)
    assert kept == sent

    connection = sqlite3.connect(path)
    for day, rows in sent.items():
        stored = connection.execute(
            "SELECT dimension_id, usage, byok_usage_inference, requests, prompt_tokens, completion_tokens, "
            "reasoning_tokens, cached_tokens, extra FROM activity_data WHERE date = ? ORDER BY row",
            (day,),
        ).fetchall()
        (digest,) = connection.execute("SELECT digest FROM days WHERE date = ?", (day,)).fetchone()
        by_dimension = sorted(stored, key=lambda row: row[0])
        flat = [value for row in by_dimension for value in row]
        assert digest == "2:" + hashlib.sha256(msgspec.msgpack.encode(flat)).hexdigest()
        assert [json.loads(row[8]) if row[8] else {} for row in stored] == [
            {"carbon_grams": row["carbon_grams"]} if "carbon_grams" in row else {} for row in rows
        ]
    connection.close()


def test_a_window_decoded_from_its_bytes_is_stored_as_the_plain_path_stores_it(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """A sync stores a decoded answer's rows as msgspec decoded them, without making models;
    the same answer made the plain way (a dict per row, then ActivityItems) is recognised as
    unchanged, day by day, and the rows on file are the same."""
    import sqlite3

    from openrouter_analytics_client.models import activity_response

    today = dt.date(2026, 3, 1)
    answer = [row for day in window(today)[-4:] for row in busy_day(day, 70)]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": answer})

    def stored(path: Path) -> list[tuple[Any, ...]]:
        with sqlite3.connect(path) as connection:
            return connection.execute("SELECT * FROM activity_data ORDER BY date, row").fetchall()

    decoded_path, plain_path = tmp_path / "decoded.sqlite3", tmp_path / "plain.sqlite3"
    with Analytics(
        api_key=KEY, http_client=httpx.Client(transport=httpx.MockTransport(handler))
    ) as analytics:
        assert analytics.get_user_activity()._pending_rows is not None  # the answer decodes from its bytes
        with monkeypatch.context() as patch:

            def no_models(*arguments: Any) -> None:
                raise AssertionError("the sync made ActivityItems of a decoded answer")

            patch.setattr(activity_response.ActivityResponse, "_rows_from_wires", staticmethod(no_models))
            with History(decoded_path) as history:
                first = history.sync(analytics, today=today)
        with monkeypatch.context() as patch:
            patch.setattr(activity_response, "decode_rows", lambda *arguments: None)
            assert analytics.get_user_activity()._pending_rows is None  # now made the plain way
            with History(decoded_path) as history:
                again = history.sync(analytics, today=today)
            with History(plain_path) as history:
                plain = history.sync(analytics, today=today)
    assert first.rows == plain.rows == len(answer)
    assert set(again.unchanged) == {day.isoformat() for day in window(today)}
    assert not again.added
    assert not again.updated
    assert stored(decoded_path) == stored(plain_path)
    assert any(row[-1] for row in stored(decoded_path))  # the undeclared field is kept


dimension_rows = st.lists(
    st.tuples(
        st.integers(1, 6),  # few dimensions: some appear twice in a day
        st.floats(0, 10, allow_nan=False),
        st.integers(0, 2**63 - 1),
        st.sampled_from([None, '{"carbon_grams":1.5}', '{"tags":["a"]}']),
    ),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(rows=dimension_rows, seed=st.randoms(use_true_random=False))
def test_a_days_digest_is_the_plain_one_whatever_the_order_of_its_rows(rows: list[Any], seed: Any) -> None:
    """The digest reads the rows as they are when their dimensions increase, and sorts them
    otherwise: in every order of the same rows it is the SHA-256 of the rows sorted (by
    dimension where each appears once, else by every field), as a test spells it out."""
    import hashlib

    import msgspec

    from openrouter_analytics.history import _writing

    def stored(order: list[Any]) -> tuple[list[int], list[Any]]:
        ids = [row[0] for row in order]
        values = [value for row in order for value in (row[0], row[1], 0.0, 1, row[2], 0, 0, 0, row[3])]
        return ids, values

    unique = len({row[0] for row in rows}) == len(rows)
    plain = sorted(
        (
            tuple(values[index : index + 9])
            for values in [stored(rows)[1]]
            for index in range(0, len(values), 9)
        ),
        key=(lambda row: row[0]) if unique else (lambda row: (*row[:-1], row[-1] or "")),
    )
    expected = "2:" + hashlib.sha256(msgspec.msgpack.encode([v for row in plain for v in row])).hexdigest()
    encode = msgspec.msgpack.Encoder().encode
    shuffled = rows.copy()
    seed.shuffle(shuffled)
    for order in (
        rows,
        shuffled,
        sorted(rows, key=lambda row: row[0]),
        sorted(rows, key=lambda row: -row[0]),
    ):
        assert _writing._digest(encode, *stored(order)) == expected


def test_a_rows_numbers_and_dimension_are_read_in_the_order_the_history_stores_them() -> None:
    from types import SimpleNamespace

    from openrouter_analytics.history import _writing
    from openrouter_analytics.history._schema import NUMBERS

    names = ("endpoint_id", "model", "model_permaslug", "provider_name", "workspace_id")
    rows = [
        SimpleNamespace(**{name: (index, copy) for index, name in enumerate(names + NUMBERS)})
        for copy in "ab"
    ]
    assert _writing._dimensions(rows) == [tuple((index, copy) for index in range(5)) for copy in "ab"]
    assert _writing._numbers(rows) == tuple(
        [(index, "a"), (index, "b")] for index in range(5, 5 + len(NUMBERS))
    )
