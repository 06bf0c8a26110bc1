"""The command line itself: options, subcommands and help, without any request."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterator

import pytest
from cli_support import SECRET, tool_env

from openrouter_analytics.cli import main
from openrouter_analytics.cli.exits import UsageError
from openrouter_analytics.cli.parser import build_parser


def test_help_imports_neither_httpx_nor_the_client() -> None:
    probe = (
        "import sys\n"
        "from openrouter_analytics.cli import main\n"
        "code = main(['--help'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'httpx', 'openrouter_analytics_client'}"
        " or m in {'openrouter_analytics._client', 'openrouter_analytics.summary'})\n"
        "print(code, heavy, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=tool_env(), check=False, timeout=60
    )

    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "0 []"
    assert "openrouter-activity" in done.stdout


def all_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """``parser`` and the parser of each of its subcommands."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from all_parsers(sub)


def long_options(parser: argparse.ArgumentParser) -> list[str]:
    return [name for action in parser._actions for name in action.option_strings if name.startswith("--")]


def test_no_parser_takes_an_abbreviated_option() -> None:
    checked = 0
    for parser in all_parsers(build_parser()):
        options = set(long_options(parser))
        for option in options:
            abbreviation = option[:-1]
            if abbreviation in options or abbreviation == "--":
                continue
            with pytest.raises(UsageError, match="unrecognized arguments"):
                parser.parse_args([abbreviation, "x"] if option != "--help" else [abbreviation])
            checked += 1
    assert checked > 10


@pytest.mark.parametrize("argv", [["--form", "jsonl"], ["--group", "date"], ["--max-ret", "3"]])
def test_a_prefix_of_an_option_is_a_usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "unrecognized arguments" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--api-key", SECRET], [f"--api-key={SECRET}"], ["--api-key"]])
def test_api_key_says_where_the_key_comes_from_without_echoing_it(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2

    stderr = capsys.readouterr().err
    assert "there is no --api-key option" in stderr
    assert "OPENROUTER_API_KEY" in stderr
    assert "--api-key-file" in stderr
    assert SECRET not in stderr
    assert "ambiguous" not in stderr
