"""The installed ``openrouter-activity``, run as a subprocess against servers on 127.0.0.1."""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import io
import json
import math
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import (
    SECRET,
    TOOL,
    Received,
    api_server,
    error_body,
    item,
    refused_url,
    run_tool,
    scripted_server,
    table_parts,
    tool_env,
)
from demo_server import Record, activity_rows, month_of_activity, serve

pytestmark = pytest.mark.slow

ANSI = re.compile(r"\x1b\[[0-9;]*m")
MONTH = activity_rows(month_of_activity())


def per_model() -> dict[str, dict[str, Any]]:
    """The demo month added up per model, independently of the package."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in MONTH:
        groups[row["model"]].append(row)
    return {
        model: {
            "usage": math.fsum(row["usage"] for row in rows),
            "requests": sum(row["requests"] for row in rows),
            "prompt_tokens": sum(row["prompt_tokens"] for row in rows),
            "cached_tokens": sum(row["cached_tokens"] for row in rows),
        }
        for model, rows in groups.items()
    }


@pytest.fixture(scope="module")
def month_url() -> Iterator[str]:
    """The demo month on 127.0.0.1, answering only to SECRET."""
    with serve(api_key=SECRET) as url:
        yield url


@pytest.fixture(scope="module")
def small_url() -> Iterator[str]:
    """Three rows whose sums are easy to check by hand."""
    rows = [
        item(model="openai/gpt-4.1", usage=0.1, requests=3, prompt_tokens=1000),
        item(model="openai/gpt-4.1", usage=0.2, requests=4, prompt_tokens=2000, date="2025-08-25"),
        item(
            model="anthropic/claude-sonnet-4",
            provider_name="Anthropic",
            endpoint_id="e2",
            usage=1.005,
            requests=1,
            prompt_tokens=10,
        ),
    ]
    with serve([Record(row) for row in rows]) as url:
        yield url


def one_line(run_stderr: str) -> str:
    lines = run_stderr.splitlines()
    assert len(lines) == 1, run_stderr
    return lines[0]


def test_table_shows_hand_checked_totals_to_the_cent(small_url: str) -> None:
    run = run_tool("--base-url", small_url)

    assert run.code == 0, run.stderr
    rows = {line.split()[0]: line.split() for line in run.stdout.splitlines() if line and line[0].isalpha()}
    assert rows["openai/gpt-4.1"][1:2] == ["$0.3000"]
    assert rows["anthropic/claude-sonnet-4"][1:2] == ["$1.0050"]
    assert rows["total"][1] == "$1.3050"


def test_grouped_totals_of_the_month_match_the_data_to_the_cent(month_url: str) -> None:
    expected = per_model()

    run = run_tool("--base-url", month_url, "--group-by", "model")

    assert run.code == 0, run.stderr
    groups, total, _ = table_parts(run.stdout)
    costs = [line.split()[1] for line in groups]
    assert costs == [
        f"${sums['usage']:,.4f}" for sums in sorted(expected.values(), key=lambda s: -s["usage"])
    ]
    assert total.split()[:2] == ["total", f"${math.fsum(r['usage'] for r in MONTH):,.4f}"]


def test_table_fits_80_columns_and_names_every_model(month_url: str) -> None:
    run = run_tool("--base-url", month_url)

    assert run.code == 0
    assert max(len(line) for line in run.stdout.splitlines()) <= 80
    labels = [line.split()[0] for line in table_parts(run.stdout)[0]]
    assert len(labels) == len(per_model())


def test_csv_parses_back_to_the_exact_sums(month_url: str) -> None:
    run = run_tool("--base-url", month_url, "--format", "csv")

    assert run.code == 0, run.stderr
    parsed = {r["key"]: r for r in csv.DictReader(io.StringIO(run.stdout))}
    for model, sums in per_model().items():
        assert float(parsed[model]["cost"]) == sums["usage"]
        assert int(parsed[model]["requests"]) == sums["requests"]
        assert int(parsed[model]["prompt_tokens"]) == sums["prompt_tokens"]
        assert int(parsed[model]["cached_tokens"]) == sums["cached_tokens"]


def test_json_parses_back_to_the_exact_sums_and_total(month_url: str) -> None:
    run = run_tool("--base-url", month_url, "--format", "json")

    assert run.code == 0, run.stderr
    document = json.loads(run.stdout)
    assert {r["key"]: r["cost"] for r in document["rows"]} == {
        model: sums["usage"] for model, sums in per_model().items()
    }
    assert document["total"]["cost"] == math.fsum(r["usage"] for r in MONTH)
    assert document["total"]["requests"] == sum(r["requests"] for r in MONTH)
    assert document["total"]["cached_tokens"] == sum(r["cached_tokens"] for r in MONTH) > 0


def test_the_table_shows_cached_tokens_and_their_share_of_prompt_tokens(month_url: str) -> None:
    expected = per_model()
    cached = sum(row["cached_tokens"] for row in MONTH)
    prompt = sum(row["prompt_tokens"] for row in MONTH)

    run = run_tool("--base-url", month_url, env={"COLUMNS": "160"})

    assert run.code == 0, run.stderr
    groups, total, under = table_parts(run.stdout)
    assert run.stdout.splitlines()[2].split()[-1] == "cached"  # the last column
    assert {line.split()[0]: line.split()[-1] for line in groups} == {
        model: f"{sums['cached_tokens']:,}" for model, sums in expected.items()
    }
    assert total.split()[-1] == f"{cached:,}"
    assert under == [f"cache: {100 * cached / prompt:.1f}% of prompt tokens"]


def test_sort_cached_tokens_puts_the_most_cached_model_first(month_url: str) -> None:
    run = run_tool("--base-url", month_url, "--sort", "cached_tokens", "--format", "jsonl")

    assert run.code == 0, run.stderr
    keys = [json.loads(line)["key"] for line in run.stdout.splitlines()]
    assert keys == sorted(per_model(), key=lambda model: (-per_model()[model]["cached_tokens"], model))


def test_jsonl_gives_one_parseable_line_per_provider(month_url: str) -> None:
    run = run_tool("--base-url", month_url, "--format", "jsonl", "--group-by", "provider")

    assert run.code == 0, run.stderr
    providers = [json.loads(line)["key"] for line in run.stdout.splitlines()]
    assert sorted(providers) == sorted({r["provider_name"] for r in MONTH})


def test_row_filters_sort_and_top_apply_to_the_returned_rows(month_url: str) -> None:
    run = run_tool(
        "--base-url",
        month_url,
        "--format",
        "json",
        "--group-by",
        "date",
        "--since",
        "2026-09-07",
        "--until",
        "2026-09-13",
        "--provider",
        "openai",
        "--sort",
        "requests",
        "--top",
        "3",
    )

    assert run.code == 0, run.stderr
    document = json.loads(run.stdout)
    kept = [r for r in MONTH if "2026-09-07" <= r["date"] <= "2026-09-13" and r["provider_name"] == "OpenAI"]
    per_day: dict[str, int] = defaultdict(int)
    for r in kept:
        per_day[r["date"]] += r["requests"]
    busiest = sorted(per_day, key=lambda day: -per_day[day])[:3]
    assert [r["key"] for r in document["rows"]] == busiest
    assert document["other_groups"] == 4
    assert document["total"]["cost"] == math.fsum(r["usage"] for r in kept)


def test_date_is_sent_to_the_api(month_url: str) -> None:
    run = run_tool("--base-url", month_url, "--format", "json", "--date", "2026-09-15", "--model", "gemini")

    assert run.code == 0, run.stderr
    document = json.loads(run.stdout)
    assert (document["first_date"], document["last_date"]) == ("2026-09-15", "2026-09-15")
    assert {r["key"] for r in document["rows"]} == {"google/gemini-2.5-pro", "google/gemini-2.5-flash"}


def test_chart_has_a_bar_per_day_and_fits_80_columns(month_url: str) -> None:
    run = run_tool("--base-url", month_url, "--group-by", "date", "--chart")

    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    bars = [line for line in lines if re.match(r"\d{4}-\d{2}-\d{2} ", line)]
    assert len(bars) == 30
    assert all(len(line) <= 80 for line in lines)
    assert all("█" in line for line in bars)
    per_day: dict[str, float] = defaultdict(float)
    for r in MONTH:
        per_day[r["date"]] += r["usage"]
    longest = max(bars, key=lambda line: line.count("█"))
    assert longest.split()[0] == max(per_day, key=per_day.__getitem__)


def test_colour_can_be_forced_on_a_pipe(month_url: str) -> None:
    run = run_tool("--base-url", month_url, "--color", "always")

    assert ANSI.search(run.stdout)


def test_no_color_wins_over_color_always(month_url: str) -> None:
    run = run_tool("--base-url", month_url, "--color", "always", "--chart", env={"NO_COLOR": "1"})

    assert run.code == 0
    assert "\x1b[" not in run.stdout
    assert "\x1b[" not in run.stderr


def run_on_terminal(*args: str, columns: int = 80, **env: str) -> str:
    """Run the tool with stdout and stderr on a pseudo-terminal ``columns`` wide; return what it showed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    try:
        process = subprocess.Popen(
            [str(TOOL), *args],
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=follower,
            env=tool_env(OPENROUTER_API_KEY=SECRET, TERM="xterm", **env),
        )
        os.close(follower)
        shown = read_all(leader)
        assert process.wait(timeout=30) == 0
    finally:
        os.close(leader)
    return shown


def read_all(leader: int) -> str:
    """Everything written to a pseudo-terminal until its last writer closes it."""
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode()


@pytest.mark.parametrize("view", [[], ["--chart"]], ids=["table", "chart"])
def test_a_wide_terminal_gets_its_full_width_and_whole_endpoint_names(
    month_url: str, view: list[str]
) -> None:
    shown = run_on_terminal("--base-url", month_url, "--group-by", "endpoint", *view, columns=200)
    lines = ANSI.sub("", shown).splitlines()

    assert "google/gemini-2.5-flash via Google AI Studio" in shown
    assert "google/gemini-2.5-pro via Google Vertex" in shown
    assert max(len(line) for line in lines) <= 200
    assert max(len(line) for line in lines) > 80


@pytest.mark.parametrize("columns", [60, 44])
@pytest.mark.parametrize(
    "view", [[], ["--chart"], ["--group-by", "date", "--chart"]], ids=["table", "chart", "days"]
)
def test_no_line_is_wider_than_a_narrow_terminal(month_url: str, columns: int, view: list[str]) -> None:
    shown = run_on_terminal("--base-url", month_url, "--group-by", "endpoint", *view, columns=columns)
    lines = ANSI.sub("", shown).splitlines()
    drawn = [line for line in lines if not line.startswith("openrouter-activity: note: ")]  # stderr's

    assert "total" in shown
    assert max(len(line) for line in drawn) <= columns
    if "date" not in view:  # an endpoint's label (model via provider) is never shortened
        assert "anthropic/claude-sonnet-4 via Amazon Bedrock" in "\n".join(drawn)


WIDE_VIEWS = {
    "table": ["--group-by", "endpoint"],
    "chart": ["--group-by", "endpoint", "--chart"],
    "query": ["query", "--metrics", "total_usage,request_count,cache_hit_rate,p50_latency,tokens_total",
              "--dimensions", "model,provider", "--since", "2026-09-01", "--until", "2026-09-30"],
}  # fmt: skip


@pytest.mark.parametrize("view", WIDE_VIEWS.values(), ids=WIDE_VIEWS.keys())
def test_columns_in_the_environment_sets_the_width_in_a_pipe(month_url: str, view: list[str]) -> None:
    wide = run_tool("--base-url", month_url, *view, env={"COLUMNS": "200"})
    plain = run_tool("--base-url", month_url, *view)
    narrow = run_tool("--base-url", month_url, *view, env={"COLUMNS": "50"})

    assert 80 < max(len(line) for line in wide.stdout.splitlines()) <= 200
    assert 50 < max(len(line) for line in plain.stdout.splitlines()) <= 80
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 50


def test_columns_in_the_environment_wins_over_the_terminals_width(month_url: str) -> None:
    shown = run_on_terminal("--base-url", month_url, "--group-by", "endpoint", columns=60, COLUMNS="120")
    lines = ANSI.sub("", shown).splitlines()

    assert 80 < max(len(line) for line in lines) <= 120


def test_columns_that_is_not_a_width_is_ignored(month_url: str) -> None:
    run = run_tool("--base-url", month_url, "--group-by", "endpoint", env={"COLUMNS": "wide"})
    eighty = run_tool("--base-url", month_url, "--group-by", "endpoint", env={"COLUMNS": "80"})
    wider = run_tool("--base-url", month_url, "--group-by", "endpoint", env={"COLUMNS": "120"})

    assert run.code == 0, run.stderr
    assert max(len(line) for line in run.stdout.splitlines()) <= 80
    assert (run.stdout, run.stderr) == (eighty.stdout, eighty.stderr)
    assert wider.stdout != run.stdout


def test_colour_is_on_by_default_on_a_terminal(month_url: str) -> None:
    assert ANSI.search(run_on_terminal("--base-url", month_url))


def test_no_color_turns_colour_off_on_a_terminal(month_url: str) -> None:
    shown = run_on_terminal("--base-url", month_url, NO_COLOR="1")

    assert "total" in shown
    assert "\x1b[" not in shown


def test_a_slow_answer_shows_a_spinner_on_a_terminal_stderr_and_nothing_extra_on_stdout() -> None:
    rows = {"data": [item(usage=2.5, requests=1)]}
    leader, follower = pty.openpty()
    with scripted_server(200, rows, delay=2.0) as url:
        try:
            done = subprocess.run(
                [str(TOOL), "--base-url", url, "--format", "csv"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=follower,
                env=tool_env(OPENROUTER_API_KEY=SECRET, TERM="xterm"),
                timeout=30,
                check=False,
            )
            os.close(follower)
            shown = read_all(leader)
        finally:
            os.close(leader)

    assert done.returncode == 0
    assert "fetching activity" in shown
    assert shown.endswith("\r\x1b[2K")  # the spinner cleans up after itself
    assert done.stdout.decode().splitlines()[1].startswith("model,group,openai/gpt-4.1,openai/gpt-4.1,2.5,")


def test_a_quick_answer_shows_no_spinner(month_url: str) -> None:
    shown = run_on_terminal("--base-url", month_url, "--format", "csv")

    assert "fetching activity" not in shown


def test_401_exits_3_with_one_line_about_the_key() -> None:
    with scripted_server(401, error_body(401, "User not found.")) as url:
        run = run_tool("--base-url", url)

    assert run.code == 3
    assert run.stdout == ""
    line = one_line(run.stderr)
    assert "401" in line
    assert "User not found." in line
    assert "OPENROUTER_API_KEY" in line


def test_403_exits_3_with_one_line_about_management_keys() -> None:
    with scripted_server(403, error_body(403, "Only management keys can perform this operation")) as url:
        run = run_tool("--base-url", url)

    assert run.code == 3
    line = one_line(run.stderr)
    assert "403" in line
    assert "management key" in line


def test_500_exits_4_with_one_line() -> None:
    with scripted_server(500, error_body(500, "Internal Server Error")) as url:
        run = run_tool("--base-url", url, "--max-retries", "0")

    assert run.code == 4
    assert run.stdout == ""
    assert "500" in one_line(run.stderr)


@pytest.mark.parametrize(("status", "hint"), [(404, "--base-url"), (429, "--max-retries"), (502, "502")])
def test_other_api_errors_exit_4_with_one_line(status: int, hint: str) -> None:
    with scripted_server(status, error_body(status, "nope")) as url:
        run = run_tool("--base-url", url, "--max-retries", "0")

    assert run.code == 4
    assert hint in one_line(run.stderr)


def test_a_body_off_the_spec_exits_4() -> None:
    with scripted_server(200, {"data": [{"date": "2025-08-24"}]}) as url:
        run = run_tool("--base-url", url)

    assert run.code == 4
    assert "data[0].byok_usage_inference: required field is missing" in one_line(run.stderr)


def test_refused_connection_exits_5_with_a_hint_about_the_network() -> None:
    with refused_url() as url:
        run = run_tool("--base-url", url, "--max-retries", "0")

    assert run.code == 5
    assert run.stdout == ""
    line = one_line(run.stderr)
    assert "refused" in line.lower()
    assert "--base-url" in line


@pytest.mark.parametrize("date", ["2025-13-01", "2025-02-30", "20250824", "2025-W34-7", "yesterday"])
def test_bad_date_exits_2_showing_the_format(date: str) -> None:
    run = run_tool("--date", date)

    assert run.code == 2
    assert run.stdout == ""
    line = one_line(run.stderr)
    assert "--date" in line
    assert "YYYY-MM-DD" in line


@pytest.mark.parametrize("flag", ["--since", "--until"])
def test_bad_row_filter_dates_exit_2(flag: str) -> None:
    run = run_tool(flag, "last week")

    assert run.code == 2
    assert "YYYY-MM-DD" in one_line(run.stderr)


def test_missing_key_exits_2_saying_where_a_key_comes_from() -> None:
    run = run_tool(key=None)

    assert run.code == 2
    line = one_line(run.stderr)
    assert "OPENROUTER_API_KEY" in line
    assert "--api-key-file" in line


def test_there_is_no_api_key_flag() -> None:
    run = run_tool("--api-key", SECRET, key=None)

    assert run.code == 2
    assert SECRET not in run.stderr


def test_key_is_read_from_a_file_with_whitespace_stripped(month_url: str, tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(f"  {SECRET}\n")

    run = run_tool("--base-url", month_url, "--api-key-file", str(key_file), key=None)

    assert run.code == 0, run.stderr
    assert "total" in run.stdout


@pytest.mark.parametrize("content", [None, "  \n"])
def test_unreadable_or_empty_key_file_exits_2(tmp_path: Path, content: str | None) -> None:
    key_file = tmp_path / "key"
    if content is not None:
        key_file.write_text(content)

    run = run_tool("--api-key-file", str(key_file), key=None)

    assert run.code == 2
    assert "--api-key-file" in one_line(run.stderr)


def test_chart_with_a_file_format_is_a_usage_error() -> None:
    run = run_tool("--chart", "--format", "csv")

    assert run.code == 2
    assert "--chart" in one_line(run.stderr)


def test_verbose_logs_the_request_on_stderr_only(month_url: str) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    run = run_tool(
        "--base-url", month_url, "--verbose", "--format", "json", env={"TZ": "America/Los_Angeles"}
    )
    after = dt.datetime.now(dt.UTC)

    assert run.code == 0
    assert "GET" in run.stderr
    assert "/activity" in run.stderr
    json.loads(run.stdout)  # stdout holds nothing but the document
    # Each line's time in UTC, as every time the tool shows, whatever the machine's zone.
    stamp = re.match(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.\d{3}Z ", run.stderr)
    assert stamp is not None, run.stderr
    assert before <= dt.datetime.fromisoformat(stamp.group(1)).replace(tzinfo=dt.UTC) <= after


def test_the_key_never_appears_in_any_output(month_url: str) -> None:
    echoing_401 = error_body(401, f"Key {SECRET} is not valid")
    runs = [
        run_tool("--base-url", month_url),
        run_tool("--base-url", month_url, "--verbose"),
        run_tool("--base-url", month_url, "--verbose", "--format", "json"),
        run_tool("--date", "yesterday", "--verbose"),
    ]
    with refused_url() as url:
        runs.append(run_tool("--base-url", url, "--verbose", "--max-retries", "0"))
    with scripted_server(401, echoing_401) as url:
        runs.append(run_tool("--base-url", url, "--verbose"))
    with scripted_server(500, echoing_401 | {"debug": SECRET}) as url:
        runs.append(run_tool("--base-url", url, "--verbose", "--max-retries", "0"))

    assert [run.code for run in runs] == [0, 0, 0, 2, 5, 3, 4], [run.stderr for run in runs]
    for run in runs:
        assert SECRET not in run.stdout
        assert SECRET not in run.stderr


def test_runs_as_a_python_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "openrouter_analytics", "--help"],
        capture_output=True,
        text=True,
        env=tool_env(),
        check=False,
    )

    assert done.returncode == 0
    assert "--group-by" in done.stdout
    assert "openrouter-activity" in done.stdout


def test_key_can_come_from_stdin(month_url: str) -> None:
    done = subprocess.run(
        [str(TOOL), "--base-url", month_url, "--api-key-file", "-", "--format", "json"],
        input=f"{SECRET}\n",
        capture_output=True,
        text=True,
        env=tool_env(),
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"]["requests"] == sum(r["requests"] for r in MONTH)


def test_plain_http_to_another_machine_is_refused_before_sending_the_key() -> None:
    run = run_tool("--base-url", "http://analytics.example.com/api/v1")

    assert run.code == 2
    assert "http://" in one_line(run.stderr)


def test_help_lists_the_exit_codes_and_where_the_key_comes_from() -> None:
    run = run_tool("--help", key=None)

    assert run.code == 0
    assert "OPENROUTER_API_KEY" in run.stdout
    assert "5   network or timeout" in run.stdout
    assert "70  internal error" in run.stdout
    assert "130 interrupted (Ctrl-C); 143 stopped by SIGTERM, 129 by SIGHUP" in run.stdout
    assert max(len(line) for line in run.stdout.splitlines()) <= 80


def test_provider_matches_part_of_the_name_in_any_case_like_model(month_url: str) -> None:
    run = run_tool(
        "--base-url", month_url, "--format", "json", "--group-by", "provider", "--provider", "GOOGLE"
    )

    assert run.code == 0, run.stderr
    document = json.loads(run.stdout)
    assert {r["key"] for r in document["rows"]} == {"Google Vertex", "Google AI Studio"}
    google = [r for r in MONTH if r["provider_name"].startswith("Google")]
    assert document["total"]["cost"] == math.fsum(r["usage"] for r in google)


@pytest.mark.parametrize("flag", ["--provider", "--model"])
def test_an_empty_row_filter_is_a_usage_error_naming_the_flag(flag: str) -> None:
    with refused_url() as url:  # refused: the run must end before any request
        run = run_tool("--base-url", url, flag, "")

    assert run.code == 2
    assert run.stdout == ""
    assert f"argument {flag}: must not be empty" in one_line(run.stderr)


WORKSPACE_A = "550e8400-e29b-41d4-a716-446655440000"
WORKSPACE_B = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
SPLIT_ROWS = [
    item(usage=1.25, requests=2, workspace_id=WORKSPACE_A),
    item(usage=0.5, requests=1, model="anthropic/claude-sonnet-4", workspace_id=WORKSPACE_A),
    item(usage=2.0, requests=5, workspace_id=WORKSPACE_B),
]


def split_activity(request: Received) -> tuple[int, dict[str, Any]]:
    """/activity that splits rows per workspace only when asked to, and filters by one."""
    rows = [dict(row) for row in SPLIT_ROWS]
    if "workspace_id" in request.query:
        rows = [row for row in rows if row["workspace_id"] == request.query["workspace_id"]]
    if request.query.get("group_by") != "workspace":
        for row in rows:
            del row["workspace_id"]
    return 200, {"data": rows}


def test_group_by_workspace_asks_the_api_to_split_rows_and_adds_them_up_per_workspace() -> None:
    with api_server({"GET /activity": split_activity}) as (url, received):
        run = run_tool("report", "--base-url", url, "--group-by", "workspace", "--format", "json")

    assert run.code == 0, run.stderr
    assert received[-1].query == {"group_by": "workspace"}
    document = json.loads(run.stdout)
    assert {r["key"]: (r["cost"], r["requests"]) for r in document["rows"]} == {
        WORKSPACE_A: (1.75, 3),
        WORKSPACE_B: (2.0, 5),
    }
    assert document["group_by"] == "workspace"

    with api_server({"GET /activity": split_activity}) as (url, received):
        table = run_tool("report", "--base-url", url, "--group-by", "workspace")
    assert table.stdout.splitlines()[0] == "OpenRouter activity, 2025-08-24: 2 workspaces"


def test_the_table_per_workspace_shows_ids_whole_in_80_columns_to_paste_into_workspace_id() -> None:
    with serve() as url:
        run = run_tool("--base-url", url, "--group-by", "workspace")

    assert run.code == 0, run.stderr
    ids = [line.split()[0] for line in table_parts(run.stdout)[0]]
    assert len(ids) == 3
    assert all(re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", workspace) for workspace in ids)
    assert max(len(line) for line in run.stdout.splitlines()) <= 80
    # what the whole ids leave no room for is named on stderr
    assert run.stderr.startswith("openrouter-activity: note: 80 columns leave out reasoning, cached; ")


def test_workspace_id_is_sent_to_the_api() -> None:
    with api_server({"GET /activity": split_activity}) as (url, received):
        run = run_tool("--base-url", url, "--workspace-id", WORKSPACE_B.upper(), "--format", "json")

    assert run.code == 0, run.stderr
    assert received[-1].query == {"workspace_id": WORKSPACE_B}
    assert json.loads(run.stdout)["total"]["cost"] == 2.0


def test_a_workspace_id_that_is_not_a_uuid_is_refused_naming_the_flag() -> None:
    with refused_url() as url:
        run = run_tool("--base-url", url, "--workspace-id", "team-a")

    assert run.code == 2
    line = one_line(run.stderr)
    assert line.startswith("openrouter-activity: error: --workspace-id must be a UUID")
    assert "workspace_id" not in line


def test_rows_without_their_workspace_are_an_answer_off_the_spec() -> None:
    rows = [{k: v for k, v in row.items() if k != "workspace_id"} for row in SPLIT_ROWS]
    with api_server({"GET /activity": (200, {"data": rows})}) as (url, _):
        run = run_tool("--base-url", url, "--group-by", "workspace")

    assert run.code == 4
    assert "workspace_id" in one_line(run.stderr)


def test_report_by_name_is_the_default_command(month_url: str) -> None:
    default = run_tool("--base-url", month_url, "--group-by", "provider", "--format", "csv")
    named = run_tool("report", "--base-url", month_url, "--group-by", "provider", "--format", "csv")
    shared_first = run_tool("--base-url", month_url, "report", "--group-by", "provider", "--format", "csv")

    assert default.code == named.code == shared_first.code == 0
    assert default.stdout == named.stdout == shared_first.stdout
    assert default.stdout.startswith("group_by,kind,key,label,cost,")


def cents(value: float) -> str:
    return f"{value:,.2f}"


@pytest.mark.parametrize("group_by", ["model", "date", "endpoint"])
def test_every_format_with_top_adds_up_to_the_total_to_the_cent(month_url: str, group_by: str) -> None:
    total = math.fsum(row["usage"] for row in MONTH)
    base = ("--base-url", month_url, "--group-by", group_by, "--top", "3")

    table = run_tool(*base, "--color", "never")
    chart = run_tool(*base, "--chart", "--color", "never")
    as_csv = run_tool(*base, "--format", "csv")
    as_jsonl = run_tool(*base, "--format", "jsonl")
    as_json = run_tool(*base, "--format", "json")

    assert {run.code for run in (table, chart, as_csv, as_jsonl, as_json)} == {0}
    table_lines = table.stdout.splitlines()
    shown = [line for line in table_lines if "$" in line and not line.startswith("total")]
    assert len(shown) == 4  # three groups and the others
    assert cents(math.fsum(float(line.split("$")[1].split()[0].replace(",", "")) for line in shown)) == cents(
        total
    )
    assert table_parts(table.stdout)[1].split()[1] == f"${total:,.4f}"
    assert f"total ${total:,.4f}" in chart.stdout
    csv_costs = [float(r["cost"]) for r in csv.DictReader(io.StringIO(as_csv.stdout))]
    jsonl_costs = [json.loads(line)["cost"] for line in as_jsonl.stdout.splitlines()]
    document = json.loads(as_json.stdout)
    json_costs = [r["cost"] for r in document["rows"]] + [document["other"]["cost"]]
    for costs in (csv_costs, jsonl_costs, json_costs):
        assert len(costs) == 4
        assert cents(math.fsum(costs)) == cents(total)
    assert document["total"]["cost"] == total


@pytest.mark.parametrize("command", ["report", "meta", "query"])
def test_each_command_has_help_with_examples_defaults_and_exit_codes(command: str) -> None:
    run = run_tool(command, "--help", key=None, env={"COLUMNS": "80"})

    assert run.code == 0
    assert f"usage: openrouter-activity {command}" in run.stdout
    assert "examples:" in run.stdout
    assert f"openrouter-activity {command}" in run.stdout.split("examples:")[1] or command == "report"
    assert "(default: 2)" in " ".join(run.stdout.split())  # --max-retries
    assert "(default: 5 to connect, 10 to read, 60 to read a query)" in " ".join(run.stdout.split())
    assert "70  internal error" in run.stdout
    assert max(len(line) for line in run.stdout.splitlines()) <= 80


@pytest.mark.parametrize(
    "view", [[], ["--chart"], ["query", "--metrics", "total_usage"]], ids=["table", "chart", "query"]
)
def test_a_file_given_to_output_from_a_terminal_holds_no_colour(
    month_url: str, tmp_path: Path, view: list[str]
) -> None:
    """The terminal is where the note goes, not the file: colour there only with --color always."""
    plain, forced = tmp_path / "plain.txt", tmp_path / "forced.txt"
    command = view if view[:1] == ["query"] else ["report", *view]
    run_on_terminal(*command, "--base-url", month_url, "--output", str(plain))
    run_on_terminal(*command, "--base-url", month_url, "--output", str(forced), "--color", "always")

    assert "\x1b" not in plain.read_text()
    assert ANSI.search(forced.read_text())


def test_query_help_names_only_the_formats_query_has() -> None:
    run = run_tool("query", "--help", key=None)

    assert "(needed for parquet)" in run.stdout
    assert "focus" not in run.stdout
