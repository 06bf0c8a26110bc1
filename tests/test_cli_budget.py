"""``openrouter-activity budget`` (and ``check --notify``): the installed tool against the demo
data server, with the day set by --today and the real clock behind it, and a local webhook
receiver behind ``json://127.0.0.1:PORT/...`` URLs. Every expected number is added up here from
the served rows, by the rule the issue states.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cli_support import SECRET, Run, run_tool, scripted_server
from demo_server import WORKSPACES, activity_rows, month_of_activity, serve
from notify_support import Receiver, receiver

from openrouter_analytics.cli.main import main

pytestmark = pytest.mark.slow

# October and November 2026, day by day; and January and February 2026 for a 28-day month.
AUTUMN = month_of_activity(dt.date(2026, 12, 1), days=61)
AUTUMN_ROWS = activity_rows(AUTUMN)
WINTER = month_of_activity(dt.date(2026, 3, 1), days=40)
WINTER_ROWS = activity_rows(WINTER)
PREFIX = "openrouter-activity: "


@pytest.fixture(scope="module")
def autumn() -> Iterator[str]:
    with serve(AUTUMN, api_key=SECRET) as url:
        yield url


@pytest.fixture(scope="module")
def winter() -> Iterator[str]:
    with serve(WINTER, api_key=SECRET) as url:
        yield url


@pytest.fixture(scope="module")
def hook() -> Iterator[Receiver]:
    with receiver() as running:
        yield running


@pytest.fixture
def webhook(hook: Receiver) -> Receiver:
    hook.reset()
    return hook


@pytest.fixture(autouse=True)
def tool_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The environment ``run_tool`` gives the installed tool, for runs of main() in this process
    (Apprise loads its ~150 service modules once per process, not once per run)."""
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "PYTHONIOENCODING"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENROUTER_API_KEY", SECRET)
    monkeypatch.setenv("OPENROUTER_ANALYTICS_DB", str(tmp_path / "default-history.sqlite3"))


@pytest.fixture
def tool(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """``openrouter-activity ARGS`` run by main() here; the key must appear in no output."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        assert SECRET not in out
        assert SECRET not in err
        return Run(code, out, err)

    return run


@pytest.fixture
def budget(tool: Callable[..., Run]) -> Callable[..., Run]:
    """``openrouter-activity budget --base-url URL ARGS``."""

    def run(url: str, *args: str) -> Run:
        return tool("budget", "--base-url", url, *args)

    return run


def document(run: Run) -> dict[str, Any]:
    assert run.stdout.count("\n") == 1
    loaded: dict[str, Any] = json.loads(run.stdout)
    return loaded


def month_to_date(rows: list[dict[str, Any]], today: dt.date, key: str | None = None) -> dict[str, float]:
    """Per group (or "total"), the usage of the month's days before ``today``."""
    first = today.replace(day=1).isoformat()
    groups: dict[str, list[float]] = {}
    for row in rows:
        if first <= row["date"] < today.isoformat():
            groups.setdefault(row[key] if key else "total", []).append(row["usage"])
    return {group: math.fsum(costs) for group, costs in groups.items()}


def forecast(rows: list[dict[str, Any]], today: dt.date) -> tuple[float, float]:
    """The daily mean of the 7 days before ``today`` and the forecast for the month's end."""
    start = (today - dt.timedelta(days=7)).isoformat()
    mean = math.fsum(row["usage"] for row in rows if start <= row["date"] < today.isoformat()) / 7
    left = calendar.monthrange(today.year, today.month)[1] - today.day + 1
    return mean, month_to_date(rows, today).get("total", 0.0) + mean * left


# the numbers


def test_month_to_date_and_the_forecast_are_the_rules(autumn: str) -> None:
    today = dt.date(2026, 11, 20)
    mean, expected_forecast = forecast(AUTUMN_ROWS, today)

    # The installed tool itself, once; the other tests run main() in this process.
    run = run_tool(
        "budget", "--base-url", autumn, "--monthly", "5000", "--today", today.isoformat(), "--format", "json"
    )
    assert SECRET not in run.stdout + run.stderr

    assert run.code == 0, run.stderr
    result = document(run)
    (total,) = result["groups"]
    assert total["month_to_date"] == month_to_date(AUTUMN_ROWS, today)["total"]
    assert total["daily_mean"] == mean
    assert total["forecast"] == expected_forecast
    assert (result["days_completed"], result["days_left"], result["through"]) == (19, 11, "2026-11-19")


def test_the_text_gives_the_numbers_and_the_verdict(autumn: str, budget: Callable[..., Run]) -> None:
    today = dt.date(2026, 11, 20)
    spent = month_to_date(AUTUMN_ROWS, today)["total"]
    mean, expected_forecast = forecast(AUTUMN_ROWS, today)
    monthly = 1000.0

    run = budget(autumn, "--monthly", "1000", "--today", today.isoformat())

    share = math.floor(spent / monthly * 1000) / 10
    reached = [f"{p}%" for p in (80, 100) if spent >= monthly * p / 100]
    over = ["forecast over budget"] if expected_forecast > monthly else []
    verdict = ", ".join(([f"{', '.join(reached)} reached"] if reached else []) + over) or "within budget"
    assert run.stdout == (
        f"2026-11-01 to 2026-11-19: month to date ${spent:,.4f} ({share:.1f}%), forecast "
        f"${expected_forecast:,.4f} ({math.floor(expected_forecast / monthly * 1000) / 10:.1f}%) at "
        f"${mean:,.4f} a day; {verdict} (budget $1,000.0000 a month, warn at 80%, 100%; 11 days left "
        "with today)\n"
    )
    assert run.code == (1 if reached or over else 0)


@pytest.mark.parametrize("percent", [50, 80, 100])
def test_each_threshold_is_reached_at_its_share_and_not_a_hair_below(
    autumn: str, percent: int, budget: Callable[..., Run]
) -> None:
    today = dt.date(2026, 11, 20)
    spent = month_to_date(AUTUMN_ROWS, today)["total"]
    # The largest budget whose share is at or under month to date, and the next one up.
    at = spent * 100 / percent
    while at * percent / 100 > spent:
        at = math.nextafter(at, 0)
    while math.nextafter(at, math.inf) * percent / 100 <= spent:
        at = math.nextafter(at, math.inf)
    above = math.nextafter(at, math.inf)

    options = ("--warn-at", "50,80,100", "--today", "2026-11-20", "--format", "json")
    reached = document(budget(autumn, "--monthly", repr(at), *options))
    missed = document(budget(autumn, "--monthly", repr(above), *options))

    assert percent in reached["groups"][0]["reached"]
    assert percent not in missed["groups"][0]["reached"]
    assert max(reached["groups"][0]["reached"]) == percent


def test_within_budget_exits_0_and_a_threshold_exits_1(autumn: str, budget: Callable[..., Run]) -> None:
    spent = month_to_date(AUTUMN_ROWS, dt.date(2026, 11, 20))["total"]
    _, expected_forecast = forecast(AUTUMN_ROWS, dt.date(2026, 11, 20))

    within = budget(autumn, "--monthly", str(math.ceil(expected_forecast) + 1), "--today", "2026-11-20")
    reached = budget(autumn, "--monthly", str(math.floor(spent)), "--today", "2026-11-20")

    assert (within.code, reached.code) == (0, 1)
    assert "within budget" in within.stdout
    assert "80%, 100% reached" in reached.stdout


def test_by_workspace_budgets_each_workspace_with_the_apis_split(
    autumn: str, budget: Callable[..., Run]
) -> None:
    today = dt.date(2026, 11, 20)
    split = activity_rows(AUTUMN, by_workspace=True)
    expected = month_to_date(split, today, key="workspace_id")

    run = budget(
        autumn, "--monthly", "300", "--by", "workspace", "--today", today.isoformat(), "--format", "json"
    )

    groups = {group["group"]: group for group in document(run)["groups"]}
    assert {group: groups[group]["month_to_date"] for group in groups} == expected
    assert set(groups) <= {workspace.id for workspace in WORKSPACES}
    for group in groups.values():
        assert group["reached"] == [p for p in (80.0, 100.0) if group["month_to_date"] >= 300 * p / 100]
    assert run.code == (1 if any(group["warnings"] for group in groups.values()) else 0)


# the calendar


def test_the_first_day_of_a_month_is_within_budget_with_a_note(
    autumn: str, budget: Callable[..., Run]
) -> None:
    run = budget(autumn, "--monthly", "1", "--today", "2026-11-01", "--format", "json")

    assert run.code == 0
    result = document(run)
    assert result["ok"] is True
    assert (result["through"], result["days_completed"], result["days_left"]) == (None, 0, 30)
    assert result["groups"][0]["month_to_date"] == 0.0
    assert result["groups"][0]["forecast"] == forecast(AUTUMN_ROWS, dt.date(2026, 11, 1))[1]
    assert run.stderr.startswith(f"{PREFIX}note: 2026-11-01 is the first day of the month")


def test_the_last_day_of_a_month_counts_the_thirty_before_it(autumn: str, budget: Callable[..., Run]) -> None:
    today = dt.date(2026, 10, 31)

    result = document(budget(autumn, "--monthly", "100000", "--today", today.isoformat(), "--format", "json"))

    assert (result["days_in_month"], result["days_completed"], result["days_left"]) == (31, 30, 1)
    assert result["groups"][0]["month_to_date"] == month_to_date(AUTUMN_ROWS, today)["total"]
    assert result["groups"][0]["forecast"] == forecast(AUTUMN_ROWS, today)[1]


def test_february_has_28_days(winter: str, budget: Callable[..., Run]) -> None:
    last = document(budget(winter, "--monthly", "100000", "--today", "2026-02-28", "--format", "json"))
    march = document(budget(winter, "--monthly", "100000", "--today", "2026-03-01", "--format", "json"))

    assert (last["days_in_month"], last["days_completed"], last["days_left"]) == (28, 27, 1)
    assert last["groups"][0]["month_to_date"] == month_to_date(WINTER_ROWS, dt.date(2026, 2, 28))["total"]
    assert last["groups"][0]["forecast"] == forecast(WINTER_ROWS, dt.date(2026, 2, 28))[1]
    assert (march["period"], march["through"], march["days_left"]) == ("2026-03", None, 31)


# refusals, before the key is read


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--monthly", "0"], "--monthly must be a finite number > 0"),
        (
            ["--monthly", "500", "--warn-at", "80,0"],
            "--warn-at 80,0: each threshold must be a percentage above 0",
        ),
        (["--monthly", "500", "--warn-at", "eighty"], "is not a list of percentages"),
        (["--monthly", "500", "--today", "2999-01-01"], "--today 2999-01-01 is after today"),
        (["--monthly", "500", "--notify-on", "always"], "--notify-on has no effect without --notify URL"),
        (
            ["--monthly", "500", "--notify", "nosuchservice://token@x"],
            "--notify #1 (nosuchservice://) is not a URL",
        ),
        (["--monthly", "500", "--date", "2026-11-02"], "unrecognized arguments: --date"),
    ],
)
def test_bad_options_are_usage_errors_before_the_key_is_read(
    args: list[str], words: str, tool: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENROUTER_API_KEY")

    run = tool("budget", "--base-url", "http://127.0.0.1:9", *args)

    assert run.code == 2
    assert words in run.stderr
    assert "token@" not in run.stderr


def test_help_and_readme_list_exit_6() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for command in ("budget", "check", "report"):
        shown = run_tool(command, "--help").stdout
        assert "6   could not notify" in shown
    assert "| 6 | could not notify" in readme


# notifications


def warnings_on(today: dt.date, monthly: float) -> set[str]:
    """What the budget warns of on ``today``, from the rows: thresholds reached and the forecast."""
    spent = month_to_date(AUTUMN_ROWS, today).get("total", 0.0)
    found = {f"{p}%" for p in (50, 80, 100) if spent >= monthly * p / 100}
    if today.day > 1 and forecast(AUTUMN_ROWS, today)[1] > monthly:
        found.add("forecast")
    return found


def test_one_post_per_threshold_across_consecutive_days(
    autumn: str, webhook: Receiver, tmp_path: Path, budget: Callable[..., Run]
) -> None:
    db = tmp_path / "history.sqlite3"
    monthly = month_to_date(AUTUMN_ROWS, dt.date(2026, 11, 25))["total"]  # 100% reached on the 25th
    days = [dt.date(2026, 11, 19) + dt.timedelta(days=n) for n in range(8)]
    url = webhook.url("/budget")

    codes = []
    for day in days:
        run = budget(
            autumn,
            "--monthly",
            repr(monthly),
            "--warn-at",
            "50,80,100",
            "--today",
            day.isoformat(),
            "--notify",
            url,
            "--db",
            str(db),
        )
        codes.append(run.code)

    expected_posts = []
    seen: set[str] = set()
    for day in days:
        new = warnings_on(day, monthly) - seen
        seen |= new
        if new:
            expected_posts.append((day, new))
    arrivals = webhook.at("/budget")
    assert len(arrivals) == len(expected_posts) >= 2
    for arrival, (_, new) in zip(arrivals, expected_posts, strict=True):
        marked = {line for line in arrival.body["message"].splitlines() if "(new)" in line}
        assert marked
        for warning in new:
            words = "forecast over budget (new)" if warning == "forecast" else f"{warning} reached (new)"
            assert any(words in line for line in marked)
    assert all(code == (1 if warnings_on(day, monthly) else 0) for code, day in zip(codes, days, strict=True))
    assert SECRET.encode() not in b"".join(arrival.raw for arrival in webhook.arrivals)
    assert SECRET.encode() not in db.read_bytes()


def test_a_failed_delivery_is_retried_on_the_next_run(
    autumn: str, webhook: Receiver, tmp_path: Path, budget: Callable[..., Run]
) -> None:
    webhook.statuses["/flaky"] = [500]
    args = (
        "--monthly",
        "100",
        "--today",
        "2026-11-20",
        "--notify",
        webhook.url("/flaky"),
        "--db",
        str(tmp_path / "h.db"),
    )

    failed = budget(autumn, *args)
    retried = budget(autumn, *args)
    quiet = budget(autumn, *args)

    assert failed.code == 6
    assert "80%, 100% reached" in failed.stdout  # the verdict is printed all the same
    assert f"{PREFIX}error: could not notify {webhook.url('/flaky')}: " in failed.stderr
    assert "the next run tries again" in failed.stderr
    assert retried.code == 1
    assert (
        f"{PREFIX}note: notified {webhook.url('/flaky')}: total 80%, total 100%, total forecast"
        in retried.stderr
    )
    assert quiet.code == 1
    assert quiet.stderr == ""
    assert len(webhook.at("/flaky")) == 1
    assert len(webhook.arrivals) == 2


def test_one_destination_failing_and_one_succeeding_exits_6(
    autumn: str, webhook: Receiver, tmp_path: Path, budget: Callable[..., Run]
) -> None:
    webhook.failing.add("/down")
    db = str(tmp_path / "h.db")
    args = ["--monthly", "100", "--today", "2026-11-20", "--format", "json", "--db", db]
    urls = ["--notify", webhook.url("/down"), "--notify", webhook.url("/up")]

    first = budget(autumn, *args, *urls)
    second = budget(autumn, *args, *urls)

    assert (first.code, second.code) == (6, 6)
    sent = document(first)["notifications"]
    assert [entry["url"] for entry in sent["sent"]] == [webhook.url("/up")]
    assert [entry["url"] for entry in sent["failed"]] == [webhook.url("/down")]
    assert [entry["url"] for entry in document(second)["notifications"]["skipped"]] == [webhook.url("/up")]
    assert len(webhook.at("/up")) == 1
    assert len([a for a in webhook.arrivals if a.path == "/down"]) == 2
    with sqlite3.connect(db) as connection:
        (count,) = connection.execute("SELECT count(DISTINCT destination) FROM notifications_sent").fetchone()
    connection.close()
    assert count == 1


def test_always_sends_a_digest_every_run(
    autumn: str, webhook: Receiver, tmp_path: Path, budget: Callable[..., Run]
) -> None:
    args = [
        "--monthly",
        "100000",
        "--today",
        "2026-11-20",
        "--notify",
        webhook.url("/digest"),
        "--notify-on",
        "always",
        "--db",
        str(tmp_path / "h.db"),
    ]

    runs = [budget(autumn, *args) for _ in range(2)]

    assert [run.code for run in runs] == [0, 0]
    arrivals = webhook.at("/digest")
    assert len(arrivals) == 2
    assert arrivals[0].body["title"].startswith("OpenRouter budget: 0% of $100,000.00 used, forecast $")


def test_check_notifies_a_breach_once_a_day(
    webhook: Receiver, tmp_path: Path, tool: Callable[..., Run]
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    rows = month_of_activity(today, days=30)
    spent = math.fsum(row["usage"] for row in activity_rows(rows) if row["date"] == yesterday)
    args = ["--max-cost", "1", "--notify", webhook.url("/check"), "--db", str(tmp_path / "h.db")]

    with serve(rows, api_key=SECRET) as url:
        first = tool("check", "--base-url", url, *args)
        second = tool("check", "--base-url", url, *args)

    assert (first.code, second.code) == (1, 1)
    (arrival,) = webhook.at("/check")
    assert arrival.body["title"] == f"OpenRouter spend on {yesterday}: 1 limit breached"
    assert f"- total: ${spent:,.2f}, over the max cost $1.00 (new)" in arrival.body["message"]
    assert SECRET not in arrival.raw.decode()


def test_check_notifies_a_quiet_day_that_require_activity_fails_once(
    webhook: Receiver, tmp_path: Path, tool: Callable[..., Run]
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    rows = [record for record in month_of_activity(today, days=30) if record.item["date"][:10] != yesterday]
    args = ["--max-cost", "1000", "--require-activity", "--notify", webhook.url("/quiet")]

    with serve(rows, api_key=SECRET) as url:
        first = tool("check", "--base-url", url, *args, "--db", str(tmp_path / "h.db"))
        second = tool("check", "--base-url", url, *args, "--db", str(tmp_path / "h.db"))

    assert (first.code, second.code) == (1, 1), first.stderr
    assert f"{PREFIX}note: notified {webhook.url('/quiet')}: total no_activity" in first.stderr
    (arrival,) = webhook.at("/quiet")
    assert arrival.body["title"] == f"OpenRouter spend on {yesterday}: no activity"


def test_check_history_notifies_a_breach_once_a_day_as_check_does(
    webhook: Receiver, tmp_path: Path, tool: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    rows = month_of_activity(today, days=30)
    spent = math.fsum(row["usage"] for row in activity_rows(rows) if row["date"] == yesterday)
    db = tmp_path / "history.sqlite3"
    with serve(rows, api_key=SECRET) as url:
        synced = tool("sync", "--base-url", url, "--db", str(db))
    assert synced.code == 0, synced.stderr
    monkeypatch.delenv("OPENROUTER_API_KEY")
    args = ["check", "--history", "--max-cost", "1", "--notify", webhook.url("/kept"), "--db", str(db)]

    first = tool(*args)
    second = tool(*args, "--format", "json")

    assert (first.code, second.code) == (1, 1), first.stderr
    (arrival,) = webhook.at("/kept")
    assert arrival.body["title"] == f"OpenRouter spend on {yesterday}: 1 limit breached"
    assert f"- total: ${spent:,.2f}, over the max cost $1.00 (new)" in arrival.body["message"]
    assert json.loads(second.stdout)["notifications"]["skipped"]


def test_a_delivery_the_file_cannot_record_is_an_error_and_the_others_are_told(
    autumn: str, webhook: Receiver, tmp_path: Path, budget: Callable[..., Run]
) -> None:
    from test_notify import refusing_to_record

    db = tmp_path / "history.sqlite3"
    refusing_to_record(db)
    urls = ["--notify", webhook.url("/first"), "--notify", webhook.url("/second")]

    run = budget(autumn, "--monthly", "100", "--today", "2026-11-20", "--db", str(db), *urls)

    assert run.code == 6
    assert "80%, 100% reached" in run.stdout
    for url in (webhook.url("/first"), webhook.url("/second")):
        assert f"{PREFIX}note: notified {url}: total 80%, total 100%" in run.stderr
        assert (
            f"{PREFIX}error: notified {url}, but could not record it as sent, so the next run tells it "
            f"again: cannot write the history {db}: the disk is full (or the file reached its size "
            "limit); free some space and run again; nothing was changed\n"
        ) in run.stderr
    assert len(webhook.at("/first")) == len(webhook.at("/second")) == 1


def test_a_history_file_that_cannot_be_used_exits_6_after_the_verdict(
    autumn: str, webhook: Receiver, tmp_path: Path, budget: Callable[..., Run]
) -> None:
    db = tmp_path / "history.sqlite3"
    db.write_bytes(b"my own notes, not a database\n" * 200)

    run = budget(
        autumn, "--monthly", "100", "--today", "2026-11-20", "--notify", webhook.url("/x"), "--db", str(db)
    )

    assert run.code == 6
    assert "80%, 100% reached" in run.stdout
    # The history's own words for a bad file, as every command that opens it says them.
    assert run.stderr.startswith(f"{PREFIX}error: {db} is not a SQLite file, so it is not a history; ")
    assert "give another with --db" in run.stderr
    assert db.read_bytes() == b"my own notes, not a database\n" * 200
    assert webhook.arrivals == []


def test_hostile_group_names_reach_the_terminal_escaped(
    webhook: Receiver, tmp_path: Path, tool: Callable[..., Run]
) -> None:
    hostile = "evil\x1b]0;owned\x07/model\u202e"
    rows = [
        {**item, "model": hostile} if item["model"] == "openai/gpt-4.1" else item
        for item in (record.item for record in AUTUMN)
    ]
    records = [replace(record, item=row) for record, row in zip(AUTUMN, rows, strict=True)]
    args = ["--monthly", "1", "--by", "model", "--today", "2026-11-20", "--notify", webhook.url("/h")]

    with serve(records, api_key=SECRET) as url:
        run = tool("budget", "--base-url", url, *args, "--db", str(tmp_path / "h.db"))

    assert run.code == 1
    assert "\x1b" not in run.stdout
    assert "\u202e" not in run.stdout
    assert "evil\\x1b]0;owned\\x07/model\\u202e: month to date" in run.stdout
    (arrival,) = webhook.at("/h")
    assert "\x1b" not in arrival.body["message"]
    assert "- evil\uff3d0;owned/model: $" in arrival.body["message"]


# the local history


def _kept_autumn(db: Path) -> None:
    """Every day of October and November kept, as daily syncs then kept them: each from a
    server of AUTUMN's 30 days before its today, as the API answers then."""
    from openrouter_analytics import Analytics
    from openrouter_analytics.history import History

    with History(db) as history:
        for today in (dt.date(2026, 10, 31), dt.date(2026, 11, 30), dt.date(2026, 12, 1)):
            first = (today - dt.timedelta(days=30)).isoformat()
            then = [record for record in AUTUMN if first <= record.item["date"] < today.isoformat()]
            with serve(then, api_key=SECRET) as url, Analytics(api_key=SECRET, base_url=url) as api:
                history.sync(api, today=today)


@pytest.fixture(scope="module")
def autumn_history(autumn: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A history kept by real syncs from the demo server: every day of October and November."""
    db = tmp_path_factory.mktemp("history") / "history.sqlite3"
    _kept_autumn(db)
    return db


@pytest.mark.parametrize("today", ["2026-11-26", "2026-11-01", "2026-11-03", "2026-10-31"])
def test_the_history_gives_the_apis_verdict_without_a_key(
    *,
    autumn: str,
    autumn_history: Path,
    today: str,
    tool: Callable[..., Run],
    budget: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options = ("--monthly", "750", "--by", "workspace", "--today", today, "--format", "json")
    from_api = budget(autumn, *options)
    monkeypatch.delenv("OPENROUTER_API_KEY")

    from_history = tool("budget", "--history", "--db", str(autumn_history), *options)

    assert from_history.code == from_api.code, from_history.stderr
    assert document(from_history) == document(from_api)
    month = math.fsum(row["usage"] for row in AUTUMN_ROWS if today[:8] + "01" <= row["date"] < today)
    groups = document(from_history)["groups"]
    assert math.fsum(group["month_to_date"] for group in groups) == pytest.approx(month, rel=1e-12)


def test_the_historys_total_is_the_sum_the_issue_states(
    autumn_history: Path, tool: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENROUTER_API_KEY")
    today = dt.date(2026, 11, 20)
    month = [row for row in AUTUMN_ROWS if "2026-11-01" <= row["date"] < today.isoformat()]
    trend_from = (today - dt.timedelta(days=7)).isoformat()
    trend = [row for row in AUTUMN_ROWS if trend_from <= row["date"] < today.isoformat()]
    month_to_date = math.fsum(row["usage"] for row in month)
    forecast = month_to_date + math.fsum(row["usage"] for row in trend) / 7 * (30 - 19)

    run = tool(
        "budget",
        "--history",
        "--db",
        str(autumn_history),
        "--monthly",
        "750",
        "--today",
        today.isoformat(),
        "--format",
        "json",
    )

    (total,) = document(run)["groups"]
    assert total["month_to_date"] == pytest.approx(month_to_date, rel=1e-12)
    assert total["forecast"] == pytest.approx(forecast, rel=1e-12)


def _synced(path: Path, *todays: dt.date) -> None:
    """Syncs run on ``todays`` from a demo server of the 30 days before each: the history keeps
    each one's window, and a gap between windows more than 30 days apart."""
    from openrouter_analytics import Analytics
    from openrouter_analytics.history import History

    with History(path) as history:
        for today in todays:
            with (
                serve(month_of_activity(today, days=30), api_key=SECRET) as url,
                Analytics(api_key=SECRET, base_url=url) as api,
            ):
                history.sync(api, today=today)


def test_days_before_the_historys_first_or_after_its_last_are_refused(
    tmp_path: Path, tool: Callable[..., Run], budget: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "history.sqlite3"
    _synced(db, dt.date(2026, 11, 25))  # keeps 2026-10-26 to 2026-11-24
    with serve(month_of_activity(dt.date(2026, 11, 25), days=30), api_key=SECRET) as url:
        from_api = budget(
            url, "--monthly", "100", "--today", "2026-11-24", "--by", "workspace", "--format", "json"
        )
    monkeypatch.delenv("OPENROUTER_API_KEY")
    args = ("budget", "--history", "--db", str(db), "--monthly", "100")

    before_first = tool(*args, "--today", "2026-10-30")
    after_last = tool(*args, "--today", "2026-11-28")
    within = tool(*args, "--today", "2026-11-24", "--by", "workspace", "--format", "json")

    for run, reads in ((before_first, "2026-10-01 to 2026-10-29"), (after_last, "2026-11-01 to 2026-11-27")):
        assert run.code == 2
        assert run.stdout == ""
        assert f"the budget reads {reads}, but the history {db} keeps 2026-10-26 to 2026-11-24:" in run.stderr
        assert "would count as days without cost" in run.stderr
    # The clock is real: these days left the API's 30 days long ago (the test runs after 2026-11-28).
    assert "the API's last 30 days no longer hold them either" in before_first.stderr
    assert "run 'openrouter-activity sync' first" not in before_first.stderr
    assert within.code == from_api.code, within.stderr
    assert document(within) == document(from_api)


def test_a_stale_history_says_to_sync_and_then_gives_the_apis_verdict(
    tmp_path: Path, tool: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "history.sqlite3"
    _synced(db, dt.date(2026, 11, 25))  # a sync long ago: ends on 2026-11-24
    today = dt.datetime.now(dt.UTC).date()
    args = ("budget", "--monthly", "100", "--by", "workspace", "--format", "json")

    with serve(month_of_activity(today, days=30), api_key=SECRET) as url:
        stale = tool(*args, "--history", "--db", str(db))
        synced = tool("sync", "--base-url", url, "--db", str(db))
        from_api = tool(*args, "--base-url", url)
    monkeypatch.delenv("OPENROUTER_API_KEY")
    fresh = tool(*args, "--history", "--db", str(db))

    assert stale.code == 2
    assert "keeps 2026-10-26 to 2026-11-24: " in stale.stderr
    assert "run 'openrouter-activity sync' first, or leave out --history" in stale.stderr
    assert synced.code == 0, synced.stderr
    assert fresh.code == from_api.code, fresh.stderr
    assert document(fresh) == document(from_api)


def test_a_gap_in_the_days_read_is_refused_not_counted_as_zero(
    tmp_path: Path, tool: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "history.sqlite3"
    _synced(db, dt.date(2026, 10, 10), dt.date(2026, 11, 20))  # no day from 2026-10-10 to 2026-10-20
    monkeypatch.delenv("OPENROUTER_API_KEY")
    args = ("budget", "--history", "--db", str(db), "--monthly", "100")

    across = tool(*args, "--today", "2026-10-25")
    trend_after = tool(*args, "--today", "2026-11-03")  # the last 7 days reach back to 2026-10-27
    clear = tool(*args, "--today", "2026-11-20")

    assert across.code == 2
    assert "the history has no data for 2026-10-10 to 2026-10-20 (a gap)" in across.stderr
    assert "they would count as days without cost" in across.stderr
    # The clock is real: the API's 30 days no longer hold October, so reading the API is no way out.
    assert "leave out --history" not in across.stderr
    assert "the API's last 30 days no longer hold them either" in across.stderr
    assert trend_after.code in (0, 1), trend_after.stderr
    assert clear.code in (0, 1), clear.stderr
    assert clear.stdout.startswith("2026-11-01 to 2026-11-19: month to date $")


def test_account_and_db_name_the_history(
    autumn: str, tool: Callable[..., Run], budget: Callable[..., Run]
) -> None:
    account = budget(autumn, "--monthly", "100", "--account", "main")
    db = budget(autumn, "--monthly", "100", "--db", "h.sqlite3")

    assert account.code == db.code == 2
    assert "--account names an account of the local history; add --history" in account.stderr
    assert "--db has no effect without --notify URL" in db.stderr


@pytest.mark.parametrize("first", ["sync", "notify"])
def test_the_history_and_the_notifications_share_one_file_in_either_order(
    *,
    first: str,
    autumn: str,
    tmp_path: Path,
    webhook: Receiver,
    tool: Callable[..., Run],
    budget: Callable[..., Run],
) -> None:
    db = tmp_path / "history.sqlite3"
    notifying = (
        "--monthly",
        "100",
        "--today",
        "2026-11-20",
        "--notify",
        webhook.url("/both"),
        "--db",
        str(db),
    )

    if first == "sync":
        _kept_autumn(db)
        told = budget(autumn, *notifying)
    else:
        told = budget(autumn, *notifying)
        _kept_autumn(db)
    again = tool("budget", "--history", *notifying)
    kept = tool("history", "--db", str(db), "--format", "json")

    assert (told.code, again.code, kept.code) == (1, 1, 0), again.stderr
    assert len(webhook.at("/both")) == 1  # the history's run found the warnings sent
    assert "nothing new" not in again.stderr
    (series,) = json.loads(kept.stdout)["series"]
    assert series["first_day"] == min(row["date"] for row in AUTUMN_ROWS)
    assert series["gaps"] == []
    with sqlite3.connect(db) as connection:
        tables = {
            name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        sent = connection.execute("SELECT count(*) FROM notifications_sent").fetchone()[0]
    connection.close()
    assert {"notifications_sent", "days", "activity_data"} <= tables
    assert sent == 3  # 80%, 100% and the forecast of the total


def test_a_share_over_a_thousand_percent_reads_with_its_thousands_separated(
    autumn: str, budget: Callable[..., Run]
) -> None:
    run = budget(autumn, "--monthly", "10", "--today", "2026-11-20")
    assert run.code == 1
    share = re.search(r"month to date \$[\d,.]+ \(([\d,.]+)%\)", run.stdout)
    assert share is not None, run.stdout
    assert float(share.group(1).replace(",", "")) > 1000
    assert "," in share.group(1)


def test_a_budget_that_read_no_rows_names_the_filters_by_their_flags(tool: Callable[..., Run]) -> None:
    today = dt.datetime.now(dt.UTC).date()
    with serve(month_of_activity(today, days=30), api_key=SECRET) as url:
        run = tool("budget", "--base-url", url, "--monthly", "100", "--user-id", "user_nobody")
    first = min(today.replace(day=1), today - dt.timedelta(days=7))
    assert run.code == 0, run.stderr
    assert (
        f"openrouter-activity: note: the report has no rows in the days the budget reads, {first} to "
        f"{today - dt.timedelta(days=1)} (filters sent: --user-id user_nobody): nothing was spent, or a "
        "filter matches nothing\n"
    ) in run.stderr


def test_a_blank_db_for_notifications_is_refused_before_anything_is_fetched(
    webhook: Receiver, tool: Callable[..., Run]
) -> None:
    with serve(month_of_activity(dt.datetime.now(dt.UTC).date(), days=30), api_key=SECRET) as url:
        run = tool("budget", "--base-url", url, "--monthly", "1", "--notify", webhook.url("/x"), "--db", "")
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == f"{PREFIX}error: --db must be the path of a file, got ''\n"
    assert webhook.arrivals == []


@pytest.mark.parametrize("output", ["text", "json"])
def test_a_400_is_an_error_naming_the_filter_not_a_crash_read_as_a_threshold(
    budget: Callable[..., Run], output: str
) -> None:
    """budget has no --date: the 400's hint names the filter sent, exit 2 (exit 1 is a threshold)."""
    body = {"error": {"code": 400, "message": "Invalid user \x1b[31m"}}
    with scripted_server(400, body) as url:
        run = budget(url, "--monthly", "5", "--user-id", "user_1", "--format", output)
    assert run.code == 2
    assert run.stdout == ""
    assert run.stderr == (
        "openrouter-activity: error: Error code 400 Bad Request: Invalid user \\x1b[31m "
        "(the API refused --user-id)\n"
    )
