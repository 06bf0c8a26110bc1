"""notify(): messages, the once-per-period rule and the sent-state table, delivered through
Apprise's generic JSON webhook (``json://``) to a local receiver, with real SQLite files."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import item
from hypothesis import given
from hypothesis import strategies as st
from notify_support import Receiver, receiver

from openrouter_analytics.budget import BudgetCheck, check_budget
from openrouter_analytics.errors import InvalidParameterError
from openrouter_analytics.history import SCHEMA_VERSION, HistoryFileError, connect
from openrouter_analytics.notify import (
    TABLE,
    NotifyOn,
    SentStore,
    SentStoreError,
    check_urls,
    destination_id,
    notify,
    plain,
)
from openrouter_analytics.spend import check_spend
from openrouter_analytics_client.models import ActivityItem

MARKUP = set('@<>&*_~`[]#|\\!{}"')
HOSTILE = "<!channel> @everyone *bold* [x](http://evil.example) \x1b[31mred\x1b[0m\u202eevil\u200b\n# h1"


@pytest.fixture(scope="module")
def hook() -> Iterator[Receiver]:
    with receiver() as running:
        yield running


@pytest.fixture
def webhook(hook: Receiver) -> Receiver:
    hook.reset()
    return hook


def spend_per_day(
    usage: float, first: dt.date, last: dt.date, model: str = "openai/gpt-4.1"
) -> list[ActivityItem]:
    rows = []
    day = first
    while day <= last:
        rows.append(ActivityItem.from_dict(item(date=day.isoformat(), usage=usage, model=model)))
        day += dt.timedelta(days=1)
    return rows


# $10 a day through November 2026: month to date on the Nth is 10 * (N - 1).
NOVEMBER = spend_per_day(10.0, dt.date(2026, 10, 20), dt.date(2026, 11, 30))


def budget_on(day: int, monthly: float = 1000.0, **options: object) -> BudgetCheck:
    return check_budget(NOVEMBER, monthly=monthly, today=dt.date(2026, 11, day), **options)


# what a message says


@given(st.text())
def test_plain_leaves_no_control_invisible_or_markup_character(text: str) -> None:
    cleaned = plain(text)

    assert len(cleaned) <= 80
    assert "\n" not in cleaned
    assert not MARKUP & set(cleaned)
    assert all(unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"} for char in cleaned)


@pytest.mark.parametrize(
    "name", ["meta-llama/llama-3.3-70b-instruct", "Google AI Studio", "550e8400-e29b-41d4-a716-446655440000"]
)
def test_plain_keeps_ordinary_names_as_they_are(name: str) -> None:
    assert plain(name) == name


def test_the_title_gives_the_share_used_and_the_forecast(webhook: Receiver) -> None:
    # 41 days of $10 to the 20th: $190 so far; forecast 190 + 10 * 11 = 300.
    result = budget_on(20, monthly=200.0)

    notify(webhook.url("/title"), result)

    (arrival,) = webhook.at("/title")
    assert arrival.body["title"] == "OpenRouter budget: 95% of $200.00 used, forecast $300.00"
    body = arrival.body["message"]
    assert "November 2026, month to date through 2026-11-19 (19 of 30 days, 11 left with today)" in body
    assert "- total: $190.00 (95%), forecast $300.00 (150%) at $10.00 a day; 80% reached (new), " in body
    assert "forecast over budget (new)" in body
    assert arrival.body["type"] == "warning"


def test_a_per_group_title_counts_warned_groups_without_calling_a_forecast_a_threshold_reached(
    webhook: Receiver,
) -> None:
    # $190 so far against $250 (76%): only the forecast, $300, is over.
    result = budget_on(20, monthly=250.0, by="model", warn_at=(100,))

    notify(webhook.url("/groups"), result)

    (arrival,) = webhook.at("/groups")
    assert arrival.body["title"] == (
        "OpenRouter budget per model: 1 of 1 model warned (a threshold of $250.00 each reached, or the "
        "forecast over it)"
    )


def test_one_destination_spelled_three_ways_is_told_once(webhook: Receiver, tmp_path: Path) -> None:
    url = webhook.url("/once")
    outcome = notify([url, f" {url} ", url.replace("json://", "JSON://")], budget_on(20, monthly=200.0))

    assert len(outcome.sent) == 1
    assert len(webhook.at("/once")) == 1


def test_a_blank_url_is_called_blank() -> None:
    with pytest.raises(InvalidParameterError, match=r"urls\[0\] must be an Apprise URL .*, got blank text$"):
        notify(" ", budget_on(20))


def test_server_text_reaches_the_message_without_markup_or_control_characters(webhook: Receiver) -> None:
    rows = spend_per_day(50.0, dt.date(2026, 11, 1), dt.date(2026, 11, 19), model=HOSTILE)
    result = check_budget(rows, monthly=100, by="model", today=dt.date(2026, 11, 20))

    notify(webhook.url("/hostile"), result, scope="workspace <@U123>")

    (arrival,) = webhook.at("/hostile")
    text = arrival.body["title"] + arrival.body["message"]
    line = next(line for line in arrival.body["message"].splitlines() if "everyone" in line)
    look_alike = str.maketrans({char: chr(ord(char) + 0xFEE0) for char in MARKUP})
    shown = "<!channel> @everyone *bold* [x](http://evil.example) [31mred[0mevil # h1".translate(look_alike)
    assert line.startswith(f"- {shown}: ")
    assert not MARKUP & set(line.partition(":")[0])
    assert "\x1b" not in text
    assert "\u202e" not in text
    assert "\u200b" not in text
    assert f"Scope: workspace {'<@U123>'.translate(look_alike)}" in arrival.body["message"]


def test_a_check_names_the_day_and_each_breach(webhook: Receiver) -> None:
    rows = spend_per_day(30.0, dt.date(2026, 11, 10), dt.date(2026, 11, 19))
    result = check_spend(rows, max_cost=25, today=dt.date(2026, 11, 20))

    sent = notify(webhook.url("/check"), result)

    (arrival,) = webhook.at("/check")
    assert arrival.body["title"] == "OpenRouter spend on 2026-11-19: 1 limit breached"
    assert "- total: $30.00, over the max cost $25.00 (new)" in arrival.body["message"]
    assert sent.sent[0].warnings == (("total", "max_cost"),)


@pytest.mark.parametrize("on", ["breach", "always"])
def test_a_check_failed_for_want_of_rows_is_sent_once_as_no_activity(
    webhook: Receiver, tmp_path: Path, on: NotifyOn
) -> None:
    """A quiet day failing require_activity is as much a warning as a breach; it was sent as
    "within limits" (on="always"), or not at all."""
    store = SentStore(tmp_path / "history.sqlite3")
    rows = spend_per_day(30.0, dt.date(2026, 11, 10), dt.date(2026, 11, 18))
    result = check_spend(rows, max_cost=25, require_activity=True, today=dt.date(2026, 11, 20))
    assert (result.ok, result.no_activity) == (False, "day")

    first = notify(webhook.url("/quiet"), result, store=store, on=on)
    second = notify(webhook.url("/quiet"), result, store=store, on=on)

    assert first.sent[0].warnings == (("total", "no_activity"),)
    arrivals = webhook.at("/quiet")
    assert arrivals[0].body["title"] == "OpenRouter spend on 2026-11-19: no activity"
    assert (
        "No rows on 2026-11-19, and a day without activity fails this check (new)."
        in (arrivals[0].body["message"])
    )
    assert "within limits" not in arrivals[0].body["message"].lower()
    assert len(arrivals) == (1 if on == "breach" else 2)
    assert (len(second.skipped), len(second.sent)) == ((1, 0) if on == "breach" else (0, 1))


def test_a_check_of_a_report_without_rows_is_sent_as_not_checked(webhook: Receiver) -> None:
    result = check_spend([], max_cost=25, today=dt.date(2026, 11, 20))

    notify(webhook.url("/empty"), result)

    (arrival,) = webhook.at("/empty")
    assert arrival.body["title"] == "OpenRouter spend on 2026-11-19: not checked, no activity"
    assert "No rows at all in the report checked: nothing was checked" in arrival.body["message"]


def test_a_quiet_day_that_passes_sends_nothing_on_breach(webhook: Receiver) -> None:
    rows = spend_per_day(30.0, dt.date(2026, 11, 10), dt.date(2026, 11, 18))
    result = check_spend(rows, max_cost=25, today=dt.date(2026, 11, 20))
    assert result.ok

    assert notify(webhook.url("/fine"), result).skipped
    assert webhook.at("/fine") == []


# once per warning and period


def test_each_threshold_is_sent_once_across_days_and_a_new_one_again(
    webhook: Receiver, tmp_path: Path
) -> None:
    store = SentStore(tmp_path / "history.sqlite3")
    url = webhook.url("/days")
    # A budget of $250: 80% ($200) is reached on the 21st, 100% on the 26th. The forecast
    # (month to date + $10 * days left) is $300 all month, over the budget from the start.
    outcomes = {day: notify(url, budget_on(day, monthly=250.0), store=store) for day in range(2, 31)}

    delivered = webhook.at("/days")
    new_on = {day: outcome.sent[0].warnings for day, outcome in outcomes.items() if outcome.sent}
    assert new_on == {2: (("total", "forecast"),), 21: (("total", "80%"),), 26: (("total", "100%"),)}
    assert len(delivered) == 3
    assert all(outcomes[day].skipped for day in range(2, 31) if day not in new_on)
    assert "80% reached (new)" in delivered[1].body["message"]
    assert "forecast over budget (new)" not in delivered[1].body["message"]


def test_a_new_month_starts_fresh(webhook: Receiver, tmp_path: Path) -> None:
    store = SentStore(tmp_path / "history.sqlite3")
    december = spend_per_day(10.0, dt.date(2026, 11, 1), dt.date(2026, 12, 31))
    url = webhook.url("/months")

    for today in (dt.date(2026, 11, 30), dt.date(2026, 12, 2), dt.date(2026, 12, 30)):
        notify(url, check_budget(december, monthly=100, today=today), store=store)

    titles = [arrival.body["title"] for arrival in webhook.at("/months")]
    assert titles == [
        "OpenRouter budget: 290% of $100.00 used, forecast $300.00",
        "OpenRouter budget: 10% of $100.00 used, forecast $310.00",  # the forecast, anew in December
        "OpenRouter budget: 290% of $100.00 used, forecast $310.00",  # 80% and 100% reached
    ]


def test_nothing_new_sends_nothing(webhook: Receiver, tmp_path: Path) -> None:
    store = SentStore(tmp_path / "history.sqlite3")
    within = budget_on(10, monthly=10_000.0)

    first = notify(webhook.url("/quiet"), within, store=store)
    notify(webhook.url("/quiet"), within)

    assert webhook.at("/quiet") == []
    assert [delivery.shown for delivery in first.skipped] == [webhook.url("/quiet")]


def test_always_sends_every_run_a_digest_too(webhook: Receiver, tmp_path: Path) -> None:
    store = SentStore(tmp_path / "history.sqlite3")

    for _ in range(3):
        notify(webhook.url("/digest"), budget_on(10, monthly=10_000.0), store=store, on="always")
    notify(webhook.url("/digest"), budget_on(10, monthly=100.0), store=store, on="always")

    arrivals = webhook.at("/digest")
    assert len(arrivals) == 4
    assert arrivals[0].body["type"] == "info"
    assert "Within budget." in arrivals[0].body["message"]
    assert arrivals[3].body["type"] == "warning"


def test_without_a_store_every_call_with_a_warning_sends(webhook: Receiver) -> None:
    for _ in range(2):
        notify(webhook.url("/nostore"), budget_on(20, monthly=100.0))

    assert len(webhook.at("/nostore")) == 2


def test_a_failed_delivery_is_not_recorded_and_is_tried_again(webhook: Receiver, tmp_path: Path) -> None:
    store = SentStore(tmp_path / "history.sqlite3")
    webhook.statuses["/flaky"] = [500]
    result = budget_on(20, monthly=200.0)

    failed = notify(webhook.url("/flaky"), result, store=store)
    retried = notify(webhook.url("/flaky"), result, store=store)
    again = notify(webhook.url("/flaky"), result, store=store)

    assert not failed.ok
    (failure,) = failed.failed
    assert "500" in (failure.reason or "")
    assert retried.ok
    assert len(retried.sent) == 1
    assert again.skipped
    assert len(webhook.at("/flaky")) == 1


def test_one_failing_destination_does_not_stop_the_others(webhook: Receiver, tmp_path: Path) -> None:
    store = SentStore(tmp_path / "history.sqlite3")
    webhook.failing.add("/down")
    urls = [webhook.url("/down"), webhook.url("/up")]

    outcome = notify(urls, budget_on(20, monthly=200.0), store=store)
    second = notify(urls, budget_on(20, monthly=200.0), store=store)

    assert [delivery.shown for delivery in outcome.failed] == [urls[0]]
    assert [delivery.shown for delivery in outcome.sent] == [urls[1]]
    assert [delivery.shown for delivery in second.failed] == [urls[0]]
    assert [delivery.shown for delivery in second.skipped] == [urls[1]]
    assert len(webhook.at("/up")) == 1
    assert outcome.to_dict()["failed"][0]["url"] == urls[0]


def refusing_to_record(path: Path) -> None:
    """The store at ``path`` reads as ever and refuses to record, as on a full disk."""
    SentStore(path).sent("", "budget", "", "")  # the table, as its first use makes it
    with sqlite3.connect(path) as connection:
        connection.execute(
            f"CREATE TRIGGER full BEFORE INSERT ON {TABLE} "
            "BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END"
        )
    connection.close()


def test_a_delivery_the_store_cannot_record_does_not_stop_the_others(
    webhook: Receiver, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    refusing_to_record(path)
    urls = [webhook.url("/first"), webhook.url("/second")]

    outcome = notify(urls, budget_on(20, monthly=200.0), store=SentStore(path))

    assert [delivery.shown for delivery in outcome.sent] == urls
    assert [delivery.shown for delivery in outcome.unrecorded] == urls
    assert all(
        f"cannot write the history {path}: the disk is full" in (delivery.reason or "")
        for delivery in outcome.unrecorded
    )
    assert not outcome.ok
    assert outcome.to_dict()["unrecorded"][1]["url"] == urls[1]
    assert len(webhook.at("/first")) == len(webhook.at("/second")) == 1
    assert _sent_rows(path) == []
    # Not remembered, so told again once the file records again; then not a third time.
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TRIGGER full")
    connection.close()
    again = notify(urls, budget_on(20, monthly=200.0), store=SentStore(path))
    third = notify(urls, budget_on(20, monthly=200.0), store=SentStore(path))
    assert (again.ok, len(again.sent), len(third.skipped)) == (True, 2, 2)
    assert len(webhook.at("/first")) == len(webhook.at("/second")) == 2


# the table in the history file


def _tables_and_version(path: Path) -> tuple[dict[str, str], int]:
    with sqlite3.connect(path) as connection:
        tables = dict(
            connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
        )
        (version,) = connection.execute("PRAGMA user_version").fetchone()
    connection.close()
    return tables, version


def _sent_rows(path: Path) -> list[tuple[str, ...]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            f"SELECT destination, kind, period, group_name, warning FROM {TABLE}"  # noqa: S608 - ours
        ).fetchall()
    connection.close()
    return sorted(rows)


def test_the_table_is_created_beside_the_historys_own_and_touches_nothing_else(
    webhook: Receiver, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    connect(path).close()  # a history file, as the history's first use leaves it
    before, version_before = _tables_and_version(path)
    url = webhook.url("/table?token=s3cr3t-t0ken")

    notify(url, budget_on(20, monthly=200.0), store=path)

    after, version_after = _tables_and_version(path)
    assert version_after == version_before == SCHEMA_VERSION
    assert {name: sql for name, sql in after.items() if name != TABLE} == before
    assert TABLE in after
    assert TABLE not in before
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connection.close()
    assert _sent_rows(path) == [
        (destination_id(url), "budget", "2026-11", "total", "80%"),
        (destination_id(url), "budget", "2026-11", "total", "forecast"),
    ]
    stored = b"".join(part.read_bytes() for part in tmp_path.iterdir() if part.is_file())
    assert b"s3cr3t-t0ken" not in stored


def test_a_file_begun_by_a_notification_is_a_history_too(webhook: Receiver, tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    url = webhook.url("/first")

    notify(url, budget_on(20, monthly=200.0), store=path)
    connect(path, create=False).close()  # the history opens it afterwards, as a sync would

    tables, version = _tables_and_version(path)
    assert version == SCHEMA_VERSION
    assert {TABLE, "days", "accounts"} <= set(tables)
    assert len(_sent_rows(path)) == 2
    assert notify(url, budget_on(20, monthly=200.0), store=path).skipped  # still remembered


def test_a_file_that_is_not_a_database_is_an_error_that_names_it(tmp_path: Path, webhook: Receiver) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"not a database, but someone's notes" * 100)

    with pytest.raises(SentStoreError) as refused:
        notify(webhook.url("/broken"), budget_on(20, monthly=200.0), store=path)

    with pytest.raises(HistoryFileError) as by_the_history:
        connect(path)
    assert str(refused.value) == str(by_the_history.value)
    assert str(path) in str(refused.value)
    assert "is not a SQLite file" in str(refused.value)
    assert path.read_bytes() == b"not a database, but someone's notes" * 100
    assert webhook.at("/broken") == []


def test_a_file_of_a_newer_schema_is_refused_with_the_historys_words(
    tmp_path: Path, webhook: Receiver
) -> None:
    path = tmp_path / "history.sqlite3"
    connect(path).close()
    with sqlite3.connect(path) as newer:
        newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.close()
    before = _tables_and_version(path)

    with pytest.raises(SentStoreError) as refused:
        notify(webhook.url("/newer"), budget_on(20, monthly=200.0), store=path)

    assert "written by a newer openrouter-analytics" in str(refused.value)
    assert "pip install --upgrade openrouter-analytics" in str(refused.value)
    assert _tables_and_version(path) == before
    assert webhook.at("/newer") == []


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anywhere")
def test_a_directory_that_cannot_be_written_is_refused_with_the_historys_words(
    tmp_path: Path, webhook: Receiver
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(SentStoreError) as refused:
            notify(webhook.url("/locked"), budget_on(20, monthly=200.0), store=locked / "h.sqlite3")
    finally:
        locked.chmod(0o700)

    assert "is not writable" in str(refused.value)
    assert str(locked / "h.sqlite3") in str(refused.value)
    assert list(locked.iterdir()) == []
    assert webhook.at("/locked") == []


def test_the_store_follows_the_historys_location_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENROUTER_ANALYTICS_DB", str(tmp_path / "from-env.sqlite3"))

    assert SentStore().path == tmp_path / "from-env.sqlite3"
    assert SentStore(tmp_path / "given.sqlite3").path == tmp_path / "given.sqlite3"


# refusals


@pytest.mark.parametrize(
    ("urls", "words"),
    [
        ([], "at least one"),
        ([""], "urls[0] must be an Apprise URL"),
        ([42], "urls[0] must be an Apprise URL"),
        (["json://127.0.0.1:9/ok", "nosuchservice://secret-token@host"], "urls[1] (nosuchservice://)"),
    ],
)
def test_urls_apprise_cannot_use_are_refused_without_echoing_them(urls: list[object], words: str) -> None:
    with pytest.raises(InvalidParameterError) as refused:
        check_urls(urls)

    assert refused.value.parameter == "urls"
    assert words in str(refused.value)
    assert "secret-token" not in str(refused.value)


def test_other_arguments_are_refused_by_name() -> None:
    result = budget_on(20)
    with pytest.raises(InvalidParameterError) as not_a_result:
        notify("json://127.0.0.1:9/x", {"ok": False})
    with pytest.raises(InvalidParameterError) as bad_on:
        notify("json://127.0.0.1:9/x", result, on="sometimes")
    with pytest.raises(InvalidParameterError) as bad_store:
        notify("json://127.0.0.1:9/x", result, store=3)

    assert (not_a_result.value.parameter, bad_on.value.parameter, bad_store.value.parameter) == (
        "result",
        "on",
        "store",
    )


def test_without_apprise_the_error_names_the_extra() -> None:
    script = (
        "import sys; sys.modules['apprise'] = None\n"
        "from openrouter_analytics.notify import check_urls\n"
        "try:\n    check_urls(['json://127.0.0.1:9/x'])\n"
        "except ImportError as exc:\n    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )

    assert "pip install 'openrouter-analytics[notify]'" in done.stdout


def test_importing_the_package_does_not_import_apprise() -> None:
    script = (
        "import sys, openrouter_analytics, openrouter_analytics.budget, openrouter_analytics.notify\n"
        "print('apprise' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )

    assert done.stdout.strip() == "False"


def test_the_result_document_is_json_with_masked_urls(webhook: Receiver) -> None:
    outcome = notify(webhook.url("/doc"), budget_on(20, monthly=200.0))

    document = json.loads(json.dumps(outcome.to_dict()))
    assert document["sent"] == [
        {
            "url": webhook.url("/doc"),
            "warnings": [{"group": "total", "warning": "80%"}, {"group": "total", "warning": "forecast"}],
        }
    ]
    assert "url=" not in repr(outcome.sent[0])


# several processes, and one killed while writing

_WRITER = """
import sys
from openrouter_analytics.notify import SentStore
store = SentStore(sys.argv[1])
name, count = sys.argv[2], int(sys.argv[3])
for n in range(count if count else 10**9):
    warnings = [(f"{name}-{n}", "80%"), (f"{name}-{n}", "forecast")]
    store.record("d" * 64, "budget", "monthly=100.0 by=model", "2026-11", warnings)
print("done", flush=True)
"""


def test_processes_writing_at_once_each_keep_every_row(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), name, "25"], stdout=subprocess.PIPE, text=True
        )
        for name in ("a", "b", "c")
    ]
    outputs = [writer.communicate(timeout=120)[0] for writer in writers]

    assert [writer.returncode for writer in writers] == [0, 0, 0]
    assert outputs == ["done\n"] * 3
    sent = SentStore(path).sent("d" * 64, "budget", "monthly=100.0 by=model", "2026-11")
    assert sent == {
        (f"{name}-{n}", warning) for name in "abc" for n in range(25) for warning in ("80%", "forecast")
    }


_NOTIFIER = """
import sys
from openrouter_analytics import ActivityResponse, check_budget
from openrouter_analytics.notify import notify
rows = [{"date": "2026-11-10", "model": "m", "model_permaslug": "m-1", "endpoint_id": "e",
         "provider_name": "P", "usage": 90.0, "byok_usage_inference": 0.0, "requests": 1,
         "prompt_tokens": 1, "completion_tokens": 1, "reasoning_tokens": 0, "cached_tokens": 0}]
verdict = check_budget(ActivityResponse.from_dict({"data": rows}), monthly=100.0, today="2026-11-20")
print(len(notify(sys.argv[1], verdict, store=sys.argv[2]).sent))
"""


def test_runs_at_once_on_one_file_send_a_warning_once(webhook: Receiver, tmp_path: Path) -> None:
    """Two cron runs overlap and the service is slow: the second waits for the first's record."""
    webhook.delays["/slow"] = 1.5
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _NOTIFIER, webhook.url("/slow"), str(tmp_path / "history.sqlite3")],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    sent = [run.communicate(timeout=120)[0] for run in runs]

    assert [run.returncode for run in runs] == [0, 0, 0]
    assert sorted(sent) == ["0\n", "0\n", "1\n"]
    assert len(webhook.at("/slow")) == 1


def test_a_writer_killed_mid_run_leaves_a_valid_file_of_whole_records(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), "k", "0"], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        # Each record() closes its connection, which moves the write into the file itself.
        while time.monotonic() < deadline and not (path.exists() and path.stat().st_size > 16 * 1024):
            time.sleep(0.05)
    finally:
        writer.kill()
        writer.wait(timeout=30)

    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
    sent = SentStore(path).sent("d" * 64, "budget", "monthly=100.0 by=model", "2026-11")
    groups = {group for group, _ in sent}
    assert groups
    assert sent == {(group, warning) for group in groups for warning in ("80%", "forecast")}


def test_a_blank_store_path_is_refused() -> None:
    with pytest.raises(InvalidParameterError, match="path must be the path of a file"):
        SentStore(" ")
