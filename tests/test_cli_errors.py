"""Every error of the tool speaks the tool's language: flags and files, exit codes and hints."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from cli_support import SECRET, error_body, refused_url, run_tool, scripted_server

from openrouter_analytics.cli import main
from openrouter_analytics.cli.commands import report
from openrouter_analytics.cli.exits import in_tool_terms

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
    assert f"the key in --api-key-file {key_file} must be a string of printable ASCII" in line
    assert SECRET not in line
    assert_speaks_flags(line)


def test_a_bad_key_in_the_environment_is_named_by_the_variable() -> None:
    run = run_tool(key="sk-or-v1-é")

    assert run.code == 2
    assert "the key in OPENROUTER_API_KEY must be" in one_line(run.stderr)


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
    assert stderr.splitlines()[-1] == "openrouter-activity: internal error: leaked ***"
    assert SECRET not in stderr
