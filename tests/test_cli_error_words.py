"""Every error of the tool reads in the terms the user typed: flags, days, files, JSON; never the
library's parameter names (``time_range.end``), Python's types (``NoneType``, ``got str``) or
what a number became (``inf``). One case per path of the exit-code table, run in-process."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from cli_support import error_body, item, refused_url, scripted_server

from openrouter_analytics.cli.main import main

KEY = "sk-or-v1-words-000000000000000000000000000000000000000000000000000000000000000"
# What must never show: library names and Python's words for types and numbers.
LIBRARY_WORDS = re.compile(
    r"time_range|api_key\b|\bmax_cost|\bmin_cost|baseline_days|group_by|NoneType|\bgot (str|int|float|"
    r"list|dict|bool)\b|(?<![-'])\binf\b|UnicodeDecodeError|Traceback"
)


def run(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, key: str = KEY
) -> tuple[int, str]:
    monkeypatch.setenv("OPENROUTER_API_KEY", key)
    monkeypatch.setenv("COLUMNS", "80")
    code = main(args)
    err = capsys.readouterr().err
    return code, err


def one_error_line(err: str) -> str:
    (line,) = err.splitlines()
    assert line.startswith("openrouter-activity: error: ")
    assert not LIBRARY_WORDS.search(line), line
    return line


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return tmp_path / "key"


TODAY = dt.datetime.now(dt.UTC).date()


def test_a_since_after_today_speaks_of_since_and_the_days(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    future = (TODAY + dt.timedelta(days=30)).isoformat()
    code, err = run(["query", "--metrics", "total_usage", "--since", future], capsys, monkeypatch)

    assert code == 2
    line = one_error_line(err)
    assert f"--since {future} is after today ({TODAY}, UTC)" in line


@pytest.mark.parametrize(
    ("operator", "value", "typed"),
    [("gt", "1e309", "1e309"), ("lt", "2E400", "2E400"), ("in", "1,1e999", "1e999")],
)
def test_a_number_out_of_range_is_named_as_typed(
    operator: str, value: str, typed: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["query", "--metrics", "request_count", "--filter", "request_count", operator, value]
    code, err = run(args, capsys, monkeypatch)

    assert code == 2
    line = one_error_line(err)
    assert f"the number {typed} is out of range" in line
    assert f"--filter request_count {operator}" in line


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"sk-or-v1-\xff\xfe", "is not UTF-8 text (an invalid byte at offset 9)"),
        (b"", "holds no key: the file is empty or only blank"),
        (b"  \n\n", "holds no key: the file is empty or only blank"),
        (b"sk-or-v1-aaa\nsk-or-v1-bbb\n", "holds 2 lines: it should hold the key alone, on one line"),
        (b"export KEY=sk-or-v1-aaa\n", "holds KEY=...: it should hold the key alone, without the"),
        (b"sk-or-v1-a\tb", "is not shaped like a key: it has a tab at character 11 of 12"),
        ("sk-or-v1-é".encode(), "is not shaped like a key: it has a non-ASCII character at character 10"),
        (b"sk-or-v1-\x07x", "is not shaped like a key: it has a control character at character 10"),
    ],
)
def test_a_bad_key_file_says_what_is_wrong_with_it_without_showing_it(
    content: bytes,
    problem: str,
    key_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key_file.write_bytes(content)
    code, err = run(["--api-key-file", str(key_file)], capsys, monkeypatch)

    assert code == 2
    line = one_error_line(err)
    assert problem in line
    assert str(key_file) in line
    for secret in ("aaa", "bbb", "KEY=sk"):  # a variable's name may be shown, never its value
        assert secret not in line


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--max-cost", "-1"], "--max-cost must be a finite number >= 0, e.g. 50.0, got -1"),
        (["--max-increase", "0"], "--max-increase must be a finite number > 0, e.g. 3.0, got 0"),
        (["--max-increase", "2", "--min-cost", "-0.50"], "got -0.50"),
        (["--max-cost", "1e309"], "argument --max-cost: '1e309' is out of range"),
        (["--max-cost=-inf"], "argument --max-cost: '-inf' is out of range"),
        (["--max-cost", "nan"], "argument --max-cost: 'nan' is not a number"),
    ],
)
def test_a_refused_limit_of_check_is_shown_as_typed(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, err = run(["check", *args], capsys, monkeypatch)

    assert code == 2
    assert words in one_error_line(err)


def test_a_bad_key_in_the_environment_is_described_the_same_way(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, err = run(["meta"], capsys, monkeypatch, key="sk-or-v1-top secret")

    assert code == 2
    line = one_error_line(err)
    assert "the key in OPENROUTER_API_KEY is not shaped like a key: it has a space at character 13" in line
    assert "secret" not in line


def test_an_off_spec_body_is_described_in_json_terms(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with scripted_server(200, {"data": [item(usage=None)]}) as url:
        code, err = run(["--base-url", url, "--max-retries", "0"], capsys, monkeypatch)

    assert code == 4
    line = one_error_line(err)
    assert "data[0].usage: expected a number, got null" in line


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (item(usage=float("nan")), "NaN is not a JSON number"),
        (item(usage=float("inf")), "Infinity is not a JSON number"),
        (item(byok_usage_inference=float("-inf")), "-Infinity is not a JSON number"),
        (item(model="bad\ud800lone"), "half of a UTF-16 surrogate pair"),
    ],
)
def test_what_json_cannot_mean_is_an_off_spec_body_not_a_number_or_a_name(
    row: dict[str, Any], words: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with scripted_server(200, {"data": [item(), row]}) as url:
        code, err = run(["--base-url", url, "--max-retries", "0", "--group-by", "none"], capsys, monkeypatch)

    assert code == 4
    line = one_error_line(err)
    assert "does not match the API spec" in line
    assert words in line


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--date", "2025-13-01"], 2, "argument --date: '2025-13-01' is not a date"),
        (["query", "--metrics", "x", "--limit", "0"], 2, "--limit"),
        (
            ["query", "--metrics", "x", "--since", "2026-09-02", "--until", "2026-09-01"],
            2,
            "--since 2026-09-02",
        ),
        (["check"], 2, "--max-cost, --max-increase or both"),
        (
            ["check", "--max-cost", "5", "--min-cost", "1"],
            2,
            "--min-cost 1 has no effect without --max-increase",
        ),
        (["check", "--max-increase", "2", "--baseline-days", "40"], 2, "--baseline-days"),
        (["--user-id", "a\x01b"], 2, "--user-id"),
        (["--workspace-id", "nope"], 2, "--workspace-id"),
        (
            ["query", "--metrics", "x", "--until", "9999-12-31"],
            2,
            "argument --until: 9999-12-31 is not a day of activity: give one from 1970-01-01 to 9998-12-31",
        ),
        (
            ["budget", "--monthly", "5", "--today", "0001-01-01"],
            2,
            "argument --today: 0001-01-01 is not a day",
        ),
        (["--base-url", "http://analytics.example.com"], 2, "--allow-insecure-http"),
    ],
)
def test_usage_errors_name_the_flags(
    args: list[str],
    code: int,
    words: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    got, err = run(args, capsys, monkeypatch)

    assert got == code
    assert words in one_error_line(err)


@pytest.mark.parametrize(
    ("status", "code", "words"),
    [
        (400, 2, "Error code 400"),
        (401, 3, "check the key in OPENROUTER_API_KEY"),
        (403, 3, "management key"),
        (404, 4, "--base-url"),
        (500, 4, "try again later"),
    ],
)
def test_api_errors_have_their_exit_code_and_the_tools_words(
    status: int,
    code: int,
    words: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with scripted_server(status, error_body(status, "no")) as url:
        got, err = run(["--base-url", url, "--max-retries", "0"], capsys, monkeypatch)

    assert got == code
    assert words in one_error_line(err)


def test_a_refused_connection_is_exit_5_in_plain_words(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with refused_url() as url:
        got, err = run(["--base-url", url, "--max-retries", "0"], capsys, monkeypatch)

    assert got == 5
    assert "check the network or --base-url" in one_error_line(err)


@pytest.mark.parametrize("key", ["e", "x", "sk-or"])
def test_a_key_too_short_to_be_one_does_not_garble_the_message(
    key: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No key is that short: taking it out of the message would only break the message's words."""
    code, err = run(["--base-url", "http://analytics.example.com/api/v1"], capsys, monkeypatch, key=key)

    assert code == 2
    assert one_error_line(err) == (
        "openrouter-activity: error: --base-url 'http://analytics.example.com/api/v1' is plain http:// "
        "to a non-loopback host, which would send the API key in clear text; use https:// or pass "
        "--allow-insecure-http"
    )


@pytest.mark.parametrize("command", [[], ["check", "--max-cost", "5"], ["budget", "--monthly", "5"]])
def test_a_408_to_the_activity_commands_does_not_suggest_query_options(
    command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with scripted_server(408, {"error": {"code": 408, "message": "Request Timeout"}}) as url:
        code, err = run(["--base-url", url, "--max-retries", "0", *command], capsys, monkeypatch)

    assert code == 4
    line = one_error_line(err)
    assert line.endswith("(the server gave up before answering; try again later)"), line
    assert "--since" not in line
