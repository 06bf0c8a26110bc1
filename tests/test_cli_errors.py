"""Every error of the tool speaks the tool's language: flags and files, exit codes and hints."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import re
import subprocess
from pathlib import Path

import pytest
from cli_support import SECRET, TOOL, error_body, refused_url, run_tool, scripted_server, tool_env

from openrouter_analytics._constants import LOGGER_NAME
from openrouter_analytics.cli import main
from openrouter_analytics.cli.commands import report
from openrouter_analytics.cli.exits import in_tool_terms
from openrouter_analytics.cli.log import request_log
from openrouter_analytics.errors import NotFoundResponseError

pytestmark = pytest.mark.slow

PYTHON_WORDS = ("allow_insecure_http", "api_key", "user_id", "workspace_id", "=True", "api_key=")


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def assert_speaks_flags(line: str) -> None:
    for word in PYTHON_WORDS:
        assert word not in line, line


def test_plain_http_to_another_machine_names_the_flags_that_allow_it() -> None:
    run = run_tool("--base-url", "http://analytics.example.com/api/v1")

    assert run.code == 2
    line = one_line(run.stderr)
    assert line.startswith("openrouter-activity: error: --base-url 'http://analytics.example.com/api/v1'")
    assert line.endswith("use https:// or pass --allow-insecure-http")
    assert_speaks_flags(line)


def test_credentials_in_the_base_url_say_where_the_key_goes() -> None:
    run = run_tool("--base-url", "https://me:pw@analytics.example.com/api/v1")

    assert run.code == 2
    line = one_line(run.stderr)
    assert (
        "--base-url must not carry credentials; give the key in OPENROUTER_API_KEY or --api-key-file" in line
    )
    assert "pw@" not in line
    assert_speaks_flags(line)


@pytest.mark.parametrize(
    ("flag", "value"), [("--api-key-hash", "not a hash"), ("--user-id", "user\x01")], ids=["hash", "user"]
)
def test_a_refused_api_filter_is_named_by_its_flag(flag: str, value: str) -> None:
    with refused_url() as url:
        run = run_tool("--base-url", url, flag, value)

    assert run.code == 2
    line = one_line(run.stderr)
    assert line.startswith(f"openrouter-activity: error: {flag} must be ")
    assert_speaks_flags(line)


def test_a_key_file_with_a_bad_key_is_named_and_the_key_is_not_shown(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(f"{SECRET} trailing words\n")

    run = run_tool("--api-key-file", str(key_file), key=None)

    assert run.code == 2
    line = one_line(run.stderr)
    assert f"the key in --api-key-file {key_file} is not shaped like a key: it has a space at" in line
    assert SECRET not in line
    assert_speaks_flags(line)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (f"OPENROUTER_API_KEY={SECRET}\n", "holds OPENROUTER_API_KEY=...: it should hold the key alone"),
        (
            f"export OPENROUTER_API_KEY = {SECRET}\n",
            "holds OPENROUTER_API_KEY=...: it should hold the key alone",
        ),
        ("x" * 5000, "holds more than 4,096 bytes: it should hold the key alone"),
    ],
    ids=["a .env line", "an export line", "too long"],
)
def test_a_key_file_holding_more_than_the_key_says_what_it_holds(
    tmp_path: Path, content: str, said: str
) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(content)

    run = run_tool("--api-key-file", str(key_file), key=None)

    assert run.code == 2
    assert said in one_line(run.stderr)
    assert SECRET.removeprefix("sk-or-v1-") not in run.stderr


def test_a_key_file_that_never_ends_is_refused_without_reading_it_all() -> None:
    run = run_tool("--api-key-file", "/dev/zero", key=None)

    assert run.code == 2
    assert "holds more than 4,096 bytes" in one_line(run.stderr)


def test_a_bad_key_in_the_environment_is_named_by_the_variable() -> None:
    run = run_tool(key="sk-or-v1-é")

    assert run.code == 2
    assert "the key in OPENROUTER_API_KEY is not shaped like a key: it has a non-ASCII character" in one_line(
        run.stderr
    )


def test_an_empty_stdin_is_named_as_stdin() -> None:
    done = subprocess.run(
        [str(TOOL), "--api-key-file", "-"],
        input="\n",
        capture_output=True,
        text=True,
        env=tool_env(),
        check=False,
    )

    assert done.returncode == 2
    assert one_line(done.stderr) == "openrouter-activity: error: stdin held no key (--api-key-file -)"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["query", "--metrics", "total_usage", "--limit", "10001"],
            "--limit must be a whole number from 1 to 10,000, got 10001",
        ),
        (["--workspace-id", "not-a-uuid"], "got 'not-a-uuid'"),
        (["check", "--max-cost", "-1"], "got -1"),
        (
            ["query", "--metrics", "total_usage", "--dimensions", "a,b,c"],
            "--dimensions takes at most 2 dimensions, got 3",
        ),
    ],
    ids=["limit", "workspace", "max-cost", "dimensions"],
)
def test_a_refused_value_is_shown_as_given_not_as_a_python_type(argv: list[str], expected: str) -> None:
    with refused_url() as url:
        run = run_tool("--base-url", url, *argv)

    assert run.code == 2
    line = one_line(run.stderr)
    assert expected in line
    assert not re.search(r"\b(int|float|str)\b|\(s\)", line), line


def test_429_with_a_wait_longer_than_the_retries_allow_says_how_long_instead_of_more_retries() -> None:
    headers = {"Retry-After": "30"}
    with scripted_server(429, error_body(429, "Rate limit exceeded"), headers=headers) as url:
        run = run_tool("--base-url", url)

    assert run.code == 4
    line = one_line(run.stderr)
    assert "the server asks to wait 30 s" in line
    assert "--max-retries" not in line


def test_429_with_a_short_wait_shows_it_and_suggests_more_retries() -> None:
    with scripted_server(429, error_body(429, "Rate limit exceeded"), headers={"Retry-After": "2"}) as url:
        run = run_tool("--base-url", url, "--max-retries", "0")

    assert run.code == 4
    line = one_line(run.stderr)
    assert "the server asked to wait 2 s" in line
    assert "--max-retries" in line


def test_400_without_date_does_not_blame_date() -> None:
    with scripted_server(400, error_body(400, "Invalid request parameters")) as url:
        run = run_tool("--base-url", url)

    assert run.code == 2
    line = one_line(run.stderr)
    assert "Invalid request parameters" in line
    assert "--date" not in line


def test_400_with_date_blames_the_date_given() -> None:
    with scripted_server(400, error_body(400, "Date out of range")) as url:
        run = run_tool("--base-url", url, "--date", "2025-08-24")

    assert run.code == 2
    assert "(--date 2025-08-24 must be one of the last 30 completed UTC days)" in one_line(run.stderr)


def test_400_with_a_user_names_the_filter_sent() -> None:
    with scripted_server(400, error_body(400, "Unknown member")) as url:
        run = run_tool("--base-url", url, "--user-id", "user_x")

    line = one_line(run.stderr)
    assert "(the API refused --user-id)" in line
    assert "--date" not in line


WORKSPACE = "550e8400-e29b-41d4-a716-446655440000"
KEY_HASH = "ab" * 32


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--workspace-id", WORKSPACE], "(check --workspace-id: this account may have no such workspace; "),
        (["check", "--max-cost", "5", "--api-key-hash", KEY_HASH], "(check --api-key-hash: "),
        (
            ["--workspace-id", WORKSPACE, "--user-id", "user_1"],
            "(check --workspace-id and --user-id: this account may have no such workspace or member; ",
        ),
    ],
    ids=["report", "check", "two"],
)
def test_404_after_an_id_filter_points_at_the_filter_before_the_url(argv: list[str], expected: str) -> None:
    with scripted_server(404, error_body(404, "Not found on this account")) as url:
        run = run_tool("--base-url", url, *argv)

    assert run.code == 4
    line = one_line(run.stderr)
    assert expected in line
    assert line.endswith(", or --base-url)")
    assert "OpenRouter's is" not in line


def test_404_after_an_id_filter_leaves_the_default_url_alone(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def not_found(args: argparse.Namespace, session: object) -> None:
        raise NotFoundResponseError(
            f"Workspace {WORKSPACE} not found", status_code=404, body=None, headers={}, request=None
        )

    monkeypatch.setattr(report, "_fetch", not_found)
    monkeypatch.setenv("OPENROUTER_API_KEY", SECRET)

    assert main(["--workspace-id", WORKSPACE]) == 4
    line = one_line(capsys.readouterr().err)
    assert "check --workspace-id" in line
    assert "'openrouter-activity --group-by workspace' lists the workspaces" in line
    assert "--base-url" not in line


def test_an_unexpected_error_exits_70_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: argparse.Namespace, session: object) -> None:
        raise RuntimeError("something nobody planned for")

    monkeypatch.setattr(report, "_fetch", broken)
    monkeypatch.setenv("OPENROUTER_API_KEY", SECRET)

    code = main([])

    assert code == 70
    line = one_line(capsys.readouterr().err)
    assert line == "openrouter-activity: internal error: something nobody planned for (--verbose shows more)"


@pytest.mark.parametrize(
    ("message", "parameter", "expected"),
    [
        ("filters[1].value must be a string", "filters[1].value", "--filter #2 value must be a string"),
        (
            "order_by.field must be a non-empty string",
            "order_by.field",
            "--order-by field must be a non-empty string",
        ),
        ("limit must be a whole number", "limit", "--limit must be a whole number"),
        (
            "use https:// or pass allow_insecure_http=True",
            "base_url",
            "use https:// or pass --allow-insecure-http",
        ),
        ("classifier_id must be a UUID", "classifier_id", "classifier_id must be a UUID"),
        ("date must be a datetime.date", "date", "--date must be a datetime.date"),
        ("limit must be at most 10,000, got int 10001", "limit", "--limit must be at most 10,000, got 10001"),
        ("max_cost must be >= 0, got float -1.0", "max_cost", "--max-cost must be >= 0, got -1.0"),
        (
            "workspace_id must be a UUID, got str 'not-a-uuid'",
            "workspace_id",
            "--workspace-id must be a UUID, got 'not-a-uuid'",
        ),
        ("user_id must be text, got list", "user_id", "--user-id must be text, got list"),
        (
            "dimensions takes at most 2 item(s), got 3",
            "dimensions",
            "--dimensions takes at most 2 dimensions, got 3",
        ),
        ("filters takes at most 1 item(s), got 2", "filters", "--filter takes at most 1 filter, got 2"),
        (
            "metrics must have at least 1 item(s), got 0",
            "metrics",
            "--metrics must have at least 1 metric, got 0",
        ),
        ("classes takes at most 3 item(s)", "classes", "classes takes at most 3 items"),
    ],
)
def test_library_messages_are_put_in_the_tools_words(message: str, parameter: str, expected: str) -> None:
    assert in_tool_terms(message, parameter, None) == expected


def test_an_unexpected_error_with_verbose_shows_the_traceback_and_still_exits_70(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: argparse.Namespace, session: object) -> None:
        raise RuntimeError(f"leaked {SECRET}")

    monkeypatch.setattr(report, "_fetch", broken)
    monkeypatch.setenv("OPENROUTER_API_KEY", SECRET)

    code = main(["--verbose"])

    assert code == 70
    stderr = capsys.readouterr().err
    assert "Traceback (most recent call last)" in stderr
    assert stderr.splitlines()[-1] == "openrouter-activity: internal error: leaked [redacted]"
    assert "RuntimeError: leaked [redacted]" in stderr
    assert SECRET not in stderr


def test_the_verbose_log_puts_the_librarys_word_for_the_key_in_its_place(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with request_log(SECRET):
        logging.getLogger(LOGGER_NAME).debug("sent %s", SECRET)

    stderr = capsys.readouterr().err
    assert stderr.rstrip().endswith("sent [redacted]")
    assert SECRET not in stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_stdout_on_a_full_device_is_an_error_saying_so_not_a_bug() -> None:
    """A full disk is not the tool's fault: exit 2 saying why, not "internal error" (exit 70)."""
    with scripted_server(200, {"data": []}) as url, open("/dev/full", "w") as full:
        done = subprocess.run(
            [str(TOOL), "report", "--base-url", url, "--group-by", "none"],
            stdout=full, stderr=subprocess.PIPE, text=True, env=tool_env(OPENROUTER_API_KEY=SECRET),
            timeout=60, check=False,
        )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert (
        done.stderr
        == "openrouter-activity: error: cannot write the output to stdout: No space left on device\n"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
@pytest.mark.parametrize("args", [["--help"], ["report", "--help"], ["--version"]])
def test_help_and_version_on_a_full_device_are_an_error_saying_so(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [str(TOOL), *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, check=False
        )
    assert (done.returncode, done.stderr) == (
        2,
        "openrouter-activity: error: cannot write the output to stdout: No space left on device\n",
    )


@pytest.mark.parametrize(
    "command",
    [["report"], ["report", "--format", "json"], ["check", "--max-cost", "1"], ["budget", "--monthly", "5"]],
    ids=["report", "report json", "check", "budget"],
)
def test_costs_that_add_up_beyond_a_double_are_an_answer_at_fault_exit_4(command: list[str]) -> None:
    day = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat()
    row = {
        "date": day, "model": "m", "model_permaslug": "m", "endpoint_id": "e", "provider_name": "p",
        "usage": 1.7e308, "byok_usage_inference": 0.0, "requests": 1, "prompt_tokens": 1,
        "completion_tokens": 1, "reasoning_tokens": 0, "cached_tokens": 0,
    }  # fmt: skip
    with scripted_server(200, {"data": [row, row]}) as url:
        run = run_tool(*command, "--base-url", url)
    assert run.code == 4, run.stderr
    assert "adds up beyond a double's range" in run.stderr
    assert "internal error" not in run.stderr


@pytest.mark.parametrize("offset", [0, 1, 400])
def test_report_date_today_or_later_is_refused_before_anything_is_sent(offset: int) -> None:
    day = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=offset)).isoformat()
    with scripted_server(200, {"data": []}) as url:
        run = run_tool("report", "--base-url", url, "--date", day)
    assert run.code == 2
    assert f"--date {day} is not a completed UTC day" in run.stderr
