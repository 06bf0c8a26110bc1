"""The history from the command line: sync, history, history export, report --history and
check --history, run as the installed tool against the demo's data server."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import SECRET, run_tool
from demo_server import Record, activity_rows, month_of_activity, serve
from fault_server import ACTIVITY_ITEM, FaultServer, activity_json, ok

from openrouter_analytics import Analytics
from openrouter_analytics.history import History

pytestmark = pytest.mark.slow

TODAY = dt.datetime.now(dt.UTC).date()
FIRST = (TODAY - dt.timedelta(days=30)).isoformat()
LAST = (TODAY - dt.timedelta(days=1)).isoformat()


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return month_of_activity(TODAY)


@pytest.fixture(scope="module")
def url(records: list[Record]) -> Iterator[str]:
    with serve(records, api_key=SECRET) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, url: str) -> Path:
    path = tmp_path_factory.mktemp("cli-history") / "history.sqlite3"
    run = run_tool("sync", "--db", str(path), "--base-url", url)
    assert run.code == 0, run.stderr
    assert run.stdout == f"30 days: 30 new, 0 updated, 0 unchanged; history {FIRST} to {LAST}, 0 gaps\n"
    assert run.stderr == ""
    return path


def synced_on(path: Path, *todays: dt.date) -> None:
    """Syncs of ``path`` on ``todays``, each from a demo server of the 30 days before it."""
    with History(path) as history:
        for today in todays:
            with (
                serve(month_of_activity(today)) as base_url,
                Analytics(api_key=SECRET, base_url=base_url) as api,
            ):
                history.sync(api, today=today)


def test_a_second_sync_finds_every_day_unchanged(db: Path, url: str) -> None:
    run = run_tool("sync", "--db", str(db), "--base-url", url, "--format", "json")
    assert run.code == 0
    result = json.loads(run.stdout)
    assert (len(result["unchanged"]), result["added"], result["updated"]) == (30, [], [])
    assert result["path"] == str(db)


def test_history_shows_what_is_kept_without_a_key(db: Path, records: list[Record]) -> None:
    run = run_tool("history", "--db", str(db), "--format", "json", key=None)
    assert run.code == 0, run.stderr
    (series,) = json.loads(run.stdout)["series"]
    assert series["first_day"] == FIRST
    assert series["last_day"] == LAST
    assert series["rows"] == len(activity_rows(records, by_workspace=True))
    assert series["gaps"] == []
    assert series["account"].startswith("key-")
    text = run_tool("history", "--db", str(db), key=None)
    assert f"{FIRST} to {LAST}, 30 days, {series['rows']:,} rows, 0 gaps" in text.stdout


@pytest.mark.parametrize("group_by", ["workspace", "date", "model"])
def test_report_history_prints_what_the_api_report_prints(db: Path, url: str, group_by: str) -> None:
    # The API splits rows per workspace only when asked (group_by=workspace); the history always
    # keeps them split. Either way the numbers are the same rows added up.
    live = run_tool("report", "--base-url", url, "--group-by", group_by, "--format", "json")
    kept = run_tool(
        "report", "--history", "--db", str(db), "--group-by", group_by, "--format", "json", key=None
    )
    assert kept.code == 0, kept.stderr
    live_doc, kept_doc = json.loads(live.stdout), json.loads(kept.stdout)
    if group_by == "workspace":
        assert kept_doc == live_doc
    else:
        assert [row["key"] for row in kept_doc["rows"]] == [row["key"] for row in live_doc["rows"]]
        assert kept_doc["total"]["requests"] == live_doc["total"]["requests"]
        assert kept_doc["total"]["cost"] == pytest.approx(live_doc["total"]["cost"], rel=1e-12)


def test_report_history_takes_any_range_and_notes_gaps(tmp_path: Path, records: list[Record]) -> None:
    path = tmp_path / "h.sqlite3"
    synced_on(path, TODAY - dt.timedelta(days=40), TODAY)
    gap_first = (TODAY - dt.timedelta(days=40)).isoformat()
    gap_last = (TODAY - dt.timedelta(days=31)).isoformat()
    since = (TODAY - dt.timedelta(days=60)).isoformat()
    run = run_tool(
        "--history", "--db", str(path), "--group-by", "date", "--since", since, "--format", "csv", key=None
    )
    assert run.code == 0
    days = [row["key"] for row in csv.DictReader(io.StringIO(run.stdout))]
    assert days[0] == since
    assert days[-1] == LAST
    assert gap_first not in days
    assert len(days) == 60 - 10
    assert f"the history has a gap: no data for {gap_first} to {gap_last} (10 days" in run.stderr
    assert "not counted" in run.stderr

    # A range that holds no day kept, inside the gap, is refused as one before the first day is:
    # nothing is known there, not even that it cost nothing.
    inside = run_tool(
        "--history", "--db", str(path), "--since", gap_first, "--until", gap_last, "--format", "csv", key=None
    )
    first_kept = (TODAY - dt.timedelta(days=70)).isoformat()
    assert (inside.code, inside.stdout) == (2, "")
    assert inside.stderr == (
        f"openrouter-activity: error: --since {gap_first} --until {gap_last} asks for days the history "
        f"{path} does not keep (it keeps {first_kept} to {LAST}; the range falls in a gap); a day is kept "
        "from the first sync whose 30-day window holds it\n"
    )


def test_history_export_writes_every_row_as_the_api_sent_it(
    db: Path, tmp_path: Path, records: list[Record]
) -> None:
    served = activity_rows(records, by_workspace=True)
    key = lambda row: (row["date"], row["endpoint_id"], row["workspace_id"])  # noqa: E731
    out = tmp_path / "rows.jsonl"
    run = run_tool("history", "export", "--db", str(db), "--format", "jsonl", "--output", str(out), key=None)
    assert run.code == 0, run.stderr
    assert f"{len(served):,} rows written to {out}" in run.stderr
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(exported, key=key) == sorted(served, key=key)

    run = run_tool("history", "export", "--db", str(db), "--format", "csv", "--output", "-", "--since", LAST)
    table = list(csv.DictReader(io.StringIO(run.stdout)))
    last_day = sorted((row for row in served if row["date"] == LAST), key=key)
    assert len(table) == len(last_day)
    parsed: list[dict[str, Any]] = [
        {
            **{name: value for name, value in row.items() if name != "extra"},
            **{name: float(row[name]) for name in ("usage", "byok_usage_inference")},
            **{
                name: int(row[name])
                for name in (
                    "requests",
                    "prompt_tokens",
                    "completion_tokens",
                    "reasoning_tokens",
                    "cached_tokens",
                )
            },
        }
        for row in table
    ]
    assert sorted(parsed, key=key) == last_day


def test_check_history_takes_a_baseline_longer_than_the_api_keeps(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    synced_on(path, TODAY - dt.timedelta(days=20), TODAY)
    with History(path) as history:
        report = history.activity()
    day = LAST
    costs = [item.usage for item in report.data]
    assert costs
    run = run_tool(
        "check", "--history", "--db", str(path), "--max-increase", "1.0001", "--baseline-days", "45",
        "--min-cost", "0", "--format", "json", key=None,
    )  # fmt: skip
    result = json.loads(run.stdout)
    assert result["day"] == day
    # The history starts 50 days back: 45 days of baseline fit, which the API's 30 would not.
    import math

    first = (TODAY - dt.timedelta(days=46)).isoformat()
    expected = math.fsum(item.usage for item in report.data if first <= item.date < day) / 45
    assert result["checks"][0]["baseline"] == expected
    assert run.code == (1 if result["checks"][0]["cost"] > 1.0001 * expected else 0)


def test_errors_name_the_file_and_what_to_do(db: Path, tmp_path: Path, url: str) -> None:
    missing = tmp_path / "none.sqlite3"
    run = run_tool("report", "--history", "--db", str(missing), key=None)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == (
        f"openrouter-activity: error: there is no history at {missing} yet; 'openrouter-activity sync "
        f"--db {missing}' starts one\n"
    )
    run = run_tool("history", key=None, env={"OPENROUTER_ANALYTICS_DB": str(missing)})
    assert run.stderr == (
        f"openrouter-activity: error: there is no history at {missing} yet; 'openrouter-activity sync' "
        "starts one (or pass --db with the path of yours)\n"
    )
    run = run_tool("report", "--db", str(db))
    assert run.code == 2
    assert "--db names the local history; add --history to read it" in run.stderr
    with serve(month_of_activity(TODAY)) as other:
        run = run_tool("sync", "--db", str(db), "--base-url", other, key="sk-or-v1-a-key-of-another-account")
    assert run.code == 2
    assert "has never synced into the history" in run.stderr
    assert "pass --account key-" in run.stderr
    run = run_tool("history", "export", "--db", str(db), "--format", "text", "--output", "-", key=None)
    assert run.code == 2
    assert "history export needs --format csv or jsonl" in run.stderr


def test_an_unknown_key_is_told_what_to_pass_whatever_the_length_of_the_path(tmp_path: Path) -> None:
    folder = tmp_path / ("a-folder-with-a-long-name-" * 6)
    folder.mkdir()
    path = folder / "history.sqlite3"
    with serve(month_of_activity(TODAY)) as other:
        first = run_tool("sync", "--db", str(path), "--base-url", other, key="sk-or-v1-first-key-of-acme")
        second = run_tool(
            "sync",
            "--db",
            str(path),
            "--base-url",
            other,
            "--account",
            "globex",
            key="sk-or-v1-key-of-globex",
        )
        run = run_tool("sync", "--db", str(path), "--base-url", other, key="sk-or-v1-a-third-key")
    assert (first.code, second.code) == (0, 0), first.stderr + second.stderr
    assert run.code == 2
    assert f"has never synced into the history {path}, which holds the accounts globex, key-" in run.stderr
    assert run.stderr.endswith(
        "if it is a new key of one of them, pass --account with its name; to keep another account in "
        "the same file, pass --account NEW-NAME; or use another file with --db\n"
    )


@pytest.mark.parametrize("name", ["two words", "it's", 'a"b$c'])
def test_a_suggested_sync_names_any_path_as_one_word(tmp_path: Path, name: str) -> None:
    import subprocess

    missing = tmp_path / name / "history.sqlite3"
    run = run_tool("report", "--history", "--db", str(missing), key=None)
    assert run.code == 2
    suggested = run.stderr.split(" yet; '", 1)[1].rsplit("' starts one", 1)[0]
    # The words a shell makes of the command, one per line.
    words = subprocess.run(
        ["sh", "-c", f"printf '%s\\n' {suggested}"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert words == ["openrouter-activity", "sync", "--db", str(missing)]
    # Quoted in the message as a whole in single quotes: none inside, unless the path has one.
    assert ("'" in suggested) == ("'" in str(missing))


def test_check_history_refuses_a_baseline_across_a_gap(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    synced_on(path, TODAY - dt.timedelta(days=40), TODAY)
    gap = f"{(TODAY - dt.timedelta(days=40)).isoformat()} to {(TODAY - dt.timedelta(days=31)).isoformat()}"
    run = run_tool(
        "check", "--history", "--db", str(path), "--max-increase", "2", "--baseline-days", "35", key=None
    )
    assert run.code == 2
    assert f"the history has no data for {gap} (a gap)" in run.stderr
    run = run_tool(
        "check", "--history", "--db", str(path), "--max-increase", "2", "--baseline-days", "29", key=None
    )
    assert run.code in (0, 1), run.stderr
    # --max-cost alone judges the day, not the days before it: a baseline across the gap is no matter.
    after_the_gap = (TODAY - dt.timedelta(days=28)).isoformat()
    run = run_tool(
        "check", "--history", "--db", str(path), "--max-cost", "1000000", "--day", after_the_gap, key=None
    )
    assert run.code == 0, run.stderr
    in_the_gap = (TODAY - dt.timedelta(days=35)).isoformat()
    run = run_tool(
        "check", "--history", "--db", str(path), "--max-cost", "1000000", "--day", in_the_gap, key=None
    )
    assert (run.code, run.stdout) == (2, "")
    assert f"--day {in_the_gap} falls in a gap of the history: no data for {gap}" in run.stderr


def test_a_chart_of_days_shows_a_gap_as_no_data(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    synced_on(path, TODAY - dt.timedelta(days=32), TODAY)
    gap_day = (TODAY - dt.timedelta(days=32)).isoformat()
    since = (TODAY - dt.timedelta(days=35)).isoformat()
    run = run_tool(
        "--history", "--db", str(path), "--group-by", "date", "--chart", "--since", since, key=None
    )
    assert run.code == 0, run.stderr
    lines = {line[:10]: line for line in run.stdout.splitlines() if line[:4].isdigit()}
    assert lines[gap_day].rstrip().endswith("no data")
    assert lines[since].rstrip().endswith(tuple("0123456789"))
    assert len(lines) == 35


def test_report_history_starts_without_the_http_client(db: Path) -> None:
    # Reading the local file needs neither httpx nor the generated client: importing them is
    # most of the command's start-up, which the year report's time is measured against.
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from openrouter_analytics.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "clients = ('httpx', 'openrouter_analytics_client')\n"
        "loaded = sorted(name for name in sys.modules if name.split('.')[0] in clients)\n"
        "print(code, loaded, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "report", "--history", "--db", str(db),
         "--group-by", "model", "--format", "csv"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.stderr.strip().splitlines()[-1] == "0 []", done.stderr
    # The rows really were read: the CSV has a line per model of the history and a total.
    with History(db) as history:
        models = {item.model for item in history.activity().data}
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {row["key"] for row in rows if row["kind"] == "group"} == models


def test_history_shows_an_accounts_name_without_acting_on_it(url: str, tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History(path, account="acme") as history, Analytics(api_key=SECRET, base_url=url) as api:
        history.sync(api)
    # A name written into the file by another program (or an older version) that did not check it.
    with History(path) as history:
        history.connection().execute("UPDATE accounts SET name = ?", ("\x1b]0;owned\x07\x1b[2Jacme",))
        history.connection().commit()
    run = run_tool("history", "--db", str(path), key=None)
    assert run.code == 0, run.stderr
    assert "\x1b" not in run.stdout
    assert "account \\x1b]0;owned\\x07\\x1b[2Jacme: " in run.stdout


@pytest.mark.parametrize("name", ["", " ", "a\x1b[31mb", "two\nlines"])
def test_sync_refuses_an_account_name_that_cannot_be_shown_or_typed(
    url: str, tmp_path: Path, name: str
) -> None:
    path = tmp_path / "h.sqlite3"
    run = run_tool("sync", "--db", str(path), "--base-url", url, "--account", name)
    assert run.code == 2
    assert run.stderr.startswith("openrouter-activity: error: --account must be a non-blank name")
    assert "\x1b" not in run.stderr
    assert not path.exists()


def test_a_history_without_days_says_the_sync_that_fills_it_with_its_db(tmp_path: Path) -> None:
    from openrouter_analytics.history import connect

    path = tmp_path / "h.sqlite3"
    connect(path).close()  # as a first sync killed before its commit leaves it
    run = run_tool("history", "--db", str(path), key=None)
    assert run.code == 0, run.stderr
    assert run.stdout.endswith(f"no days kept yet; 'openrouter-activity sync --db {path}' fetches them\n")


@pytest.mark.parametrize("command", [["sync"], ["history"], ["report", "--history"]])
def test_a_blank_history_path_in_the_environment_is_refused_not_made_a_file(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_tool(*command, "--base-url", url, env={"OPENROUTER_ANALYTICS_DB": " "})
    assert (run.code, run.stdout) == (2, "")
    assert (
        run.stderr
        == "openrouter-activity: error: OPENROUTER_ANALYTICS_DB must be the path of a file, got ' '\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("flag", ["--api-key-hash", "--user-id"])
def test_sync_refuses_a_blank_filter_in_the_tools_words(url: str, tmp_path: Path, flag: str) -> None:
    path = tmp_path / "h.sqlite3"
    run = run_tool("sync", "--db", str(path), "--base-url", url, flag, " ")
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == (
        f"openrouter-activity: error: {flag} must not be blank (leave it out for no filter), got ' '\n"
    )
    assert not path.exists()


@pytest.mark.parametrize("flag", ["--until", "--date"])
def test_report_history_refuses_a_range_it_keeps_no_day_of_naming_the_flag(db: Path, flag: str) -> None:
    year_before = (dt.date.fromisoformat(FIRST) - dt.timedelta(days=365)).isoformat()
    run = run_tool("report", "--history", "--db", str(db), flag, year_before, key=None)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == (
        f"openrouter-activity: error: {flag} {year_before} asks for days the history {db} does not keep "
        f"(it keeps {FIRST} to {LAST}); a day is kept from the first sync whose 30-day window holds it\n"
    )


def test_report_history_notes_the_days_of_its_range_that_are_not_kept(
    db: Path, records: list[Record]
) -> None:
    since = (dt.date.fromisoformat(FIRST) - dt.timedelta(days=10)).isoformat()
    run = run_tool(
        "report", "--history", "--db", str(db), "--since", since, "--group-by", "none", "--format", "json",
        key=None,
    )  # fmt: skip
    assert run.code == 0, run.stderr
    day_before = (dt.date.fromisoformat(FIRST) - dt.timedelta(days=1)).isoformat()
    assert run.stderr == (
        f"openrouter-activity: note: the history keeps {FIRST} to {LAST}: {since} to {day_before} are not "
        "kept and not counted\n"
    )
    kept = [row for row in activity_rows(records) if FIRST <= row["date"][:10] <= LAST]
    assert json.loads(run.stdout)["total"]["requests"] == sum(row["requests"] for row in kept)


def test_sync_warns_of_rows_it_does_not_keep(server: FaultServer, tmp_path: Path) -> None:
    today = dt.datetime.now(dt.UTC).date().isoformat()
    server.script(ok(activity_json({**ACTIVITY_ITEM, "date": LAST}, {**ACTIVITY_ITEM, "date": today})))
    path = tmp_path / "h.sqlite3"
    run = run_tool("sync", "--db", str(path), "--base-url", server.url, "--format", "json")
    assert run.code == 0, run.stderr
    assert run.stderr == (
        f"openrouter-activity: warning: the answer held rows of {today}, outside the window of {FIRST} "
        f"to {LAST} (today is not a completed day; rows before the window are not a whole "
        "day); those rows were not kept\n"
    )
    result = json.loads(run.stdout)
    assert (result["left_out"], result["rows"], len(result["added"])) == ([today], 1, 30)


def test_sync_warns_of_days_that_had_activity_and_have_none_in_the_answer(
    server: FaultServer, tmp_path: Path
) -> None:
    path = tmp_path / "h.sqlite3"
    server.script(
        ok(activity_json({**ACTIVITY_ITEM, "date": FIRST}, {**ACTIVITY_ITEM, "date": LAST})),
        ok(b'{"data": []}'),
    )
    assert run_tool("sync", "--db", str(path), "--base-url", server.url).code == 0
    run = run_tool("sync", "--db", str(path), "--base-url", server.url, "--format", "json")
    assert run.code == 0, run.stderr
    assert run.stderr == (
        f"openrouter-activity: warning: 2 days that had activity have none in this answer ({FIRST}, {LAST}): "
        "kept so; if the API was down or late, sync again while they are in its 30-day window\n"
    )
    assert json.loads(run.stdout)["emptied"] == [FIRST, LAST]


def test_check_history_names_the_day_and_the_days_kept_for_a_day_it_does_not_keep(db: Path) -> None:
    before = (dt.date.fromisoformat(FIRST) - dt.timedelta(days=40)).isoformat()
    run = run_tool("check", "--history", "--db", str(db), "--day", before, "--max-cost", "5", key=None)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == (
        f"openrouter-activity: error: --day {before} is not in the history, which keeps {FIRST} to {LAST}\n"
    )


@pytest.mark.parametrize("days", ["0", "-3"])
def test_check_history_refuses_a_baseline_of_no_days_in_plain_numbers(db: Path, days: str) -> None:
    run = run_tool(
        "check", "--history", "--db", str(db), "--baseline-days", days, "--max-increase", "2", key=None
    )
    assert (run.code, run.stdout) == (2, "")
    said = f"--baseline-days must be a whole number of 1 or more, e.g. 7, got {days}"
    assert run.stderr == f"openrouter-activity: error: {said}\n"


@pytest.mark.parametrize("limit", [["--max-increase", "2"], ["--max-cost", "3"]])
@pytest.mark.parametrize("days", ["31", "25000", "100000", "3000000", "2147483648", "250000000000000000000"])
def test_check_history_words_the_longest_baseline_after_the_days_it_keeps(
    db: Path, days: str, limit: list[str]
) -> None:
    """Beyond any date (3,000,000 days) or a C int: refused as any other length, not a crash."""
    held = (dt.date.fromisoformat(LAST) - dt.date.fromisoformat(FIRST)).days + 1
    run = run_tool("check", "--history", "--db", str(db), "--baseline-days", days, *limit, key=None)
    assert (run.code, run.stdout) == (2, "")
    said = (
        f"--baseline-days must be a whole number from 1 to {held - 1} (the history keeps {held} days), "
        f"e.g. 7, got {days}"
    )
    assert run.stderr == f"openrouter-activity: error: {said}\n"


@pytest.mark.parametrize("command", ["report", "check", "budget", "history", "mcp"])
def test_the_account_a_read_takes_is_said_as_it_is_chosen(command: str) -> None:
    """A read chooses the file's only account or the one named: the key has no say."""
    run = run_tool(command, "--help", key=None)
    words = " ".join(run.stdout.split())
    assert "--account NAME the account of the history to read (default: the file's only one)" in words
    assert "key's own" not in words


def test_the_account_a_sync_writes_is_the_keys_own() -> None:
    run = run_tool("sync", "--help", key=None)
    assert (
        "--account NAME the account in the history (default: the key's own, or a new one in a new file)"
        in " ".join(run.stdout.split())
    )


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--api-key-hash", "ab12" * 16], "--api-key-hash"),
        (["--user-id", "user_1"], "--user-id"),
        (["--since", "2026-01-01", "--user-id", "user_1"], "--since, --user-id"),
    ],
)
def test_the_overview_refuses_the_flags_of_export_rather_than_show_every_series(
    db: Path, flags: list[str], named: str
) -> None:
    run = run_tool("history", "--db", str(db), *flags, key=None)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == (
        f"openrouter-activity: error: {named} go with 'history export'; 'openrouter-activity history' "
        "shows what is kept, every series of every account\n"
    )


def test_check_help_says_what_check_history_reads() -> None:
    """check judges one day (--day) and no range: its help offers no --since/--until."""
    words = " ".join(run_tool("check", "--help", key=None).stdout.split())
    assert (
        "instead of the API: any day it holds (--day), with as many --baseline-days before it as it keeps"
        in words
    )
    assert "--since/--until" not in words
    assert "1 to 29, or with --history as many as it keeps before the day" in words


@pytest.mark.parametrize("format_", ["csv", "jsonl"])
def test_history_export_refuses_a_range_it_keeps_no_day_of(db: Path, tmp_path: Path, format_: str) -> None:
    later = (dt.date.fromisoformat(LAST) + dt.timedelta(days=30)).isoformat()
    out = tmp_path / f"later.{format_}"
    run = run_tool(
        "history",
        "export",
        "--db",
        str(db),
        "--format",
        format_,
        "--output",
        str(out),
        "--since",
        later,
        key=None,
    )
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == (
        f"openrouter-activity: error: --since {later} asks for days the history {db} does not keep (it keeps "
        f"{FIRST} to {LAST}); a day is kept from the first sync whose 30-day window holds it\n"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["history", "export", "--format", "csv", "--output"],
        ["history", "export", "--format", "jsonl", "--output"],
        ["report", "--history", "--format", "csv", "--output"],
    ],
)
@pytest.mark.parametrize("how", ["the path", "a link", "its log"])
def test_an_export_never_writes_over_the_history_it_reads(
    db: Path, tmp_path: Path, command: list[str], how: str
) -> None:
    kept = tmp_path / "kept.sqlite3"
    kept.write_bytes(db.read_bytes())
    before = kept.read_bytes()
    output = {"the path": kept, "a link": tmp_path / "link.csv", "its log": Path(f"{kept}-wal")}[how]
    if how == "a link":
        output.symlink_to(kept)
    run = run_tool(*command, str(output), "--db", str(kept), key=None)
    assert (run.code, run.stdout) == (2, ""), run.stderr
    assert f"--output {output} is the history file" in run.stderr
    assert kept.read_bytes() == before


def test_check_history_checks_yesterday_by_default_and_says_when_the_history_lacks_it(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    then = TODAY - dt.timedelta(days=5)
    with (
        History(path) as history,
        serve(month_of_activity(then)) as base_url,
        Analytics(api_key=SECRET, base_url=base_url) as api,
    ):
        history.sync(api, today=then)
    kept_last = (then - dt.timedelta(days=1)).isoformat()
    stale = run_tool("check", "--history", "--db", str(path), "--max-cost", "5000", key=None)
    assert (stale.code, stale.stdout) == (2, "")
    assert stale.stderr == (
        f"openrouter-activity: error: the day checked is yesterday, {LAST}, which the history does not keep "
        f"(it keeps {(then - dt.timedelta(days=30)).isoformat()} to {kept_last}): run 'openrouter-activity "
        "sync' first, pass --day, or leave out --history\n"
    )
    named = run_tool(
        "check", "--history", "--db", str(path), "--max-cost", "5000", "--day", kept_last,
        "--format", "json", key=None,
    )  # fmt: skip
    assert named.code in (0, 1), named.stderr
    assert json.loads(named.stdout)["day"] == kept_last


def test_history_export_notes_the_days_of_its_range_it_holds_nothing_of(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    synced_on(path, TODAY - dt.timedelta(days=40), TODAY)
    first = (TODAY - dt.timedelta(days=70)).isoformat()
    gap = f"{(TODAY - dt.timedelta(days=40)).isoformat()} to {(TODAY - dt.timedelta(days=31)).isoformat()}"
    since = (TODAY - dt.timedelta(days=80)).isoformat()
    output = tmp_path / "rows.csv"
    run = run_tool(
        "history", "export", "--db", str(path), "--format", "csv", "--output", str(output),
        "--since", since, "--until", LAST, key=None,
    )  # fmt: skip
    assert run.code == 0, run.stderr
    notes = run.stderr.splitlines()
    before = (TODAY - dt.timedelta(days=71)).isoformat()
    assert notes[0] == (
        f"openrouter-activity: note: the history keeps {first} to {LAST}: {since} to {before} are not "
        "kept and not exported"
    )
    assert notes[1] == (
        f"openrouter-activity: note: the history has a gap: no data for {gap} (10 days, fetched by no sync "
        "before they left the API's window); these days are not in the export"
    )
    assert notes[2].startswith("openrouter-activity: note: ")
    assert notes[2].endswith(f"rows written to {output}")


def test_the_gap_warning_gives_the_crontab_line_of_this_sync(tmp_path: Path) -> None:
    path = tmp_path / "my history.sqlite3"
    then = TODAY - dt.timedelta(days=40)
    with (
        History(path, account="acme") as history,
        serve(month_of_activity(then)) as base_url,
        Analytics(api_key=SECRET, base_url=base_url) as api,
    ):
        history.sync(api, today=then)
    with serve(month_of_activity(TODAY)) as base_url:
        run = run_tool("sync", "--db", str(path), "--account", "acme", "--base-url", base_url)
    assert run.code == 0, run.stderr
    assert run.stderr.endswith(
        f'a daily sync (crontab: 5 0 * * * openrouter-activity sync --db "{path}" --account acme) keeps '
        "every day\n"
    )
