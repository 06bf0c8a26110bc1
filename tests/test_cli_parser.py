"""The command line itself: options, subcommands and help, without any request."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest
from cli_support import SECRET, tool_env

from openrouter_analytics.cli import main
from openrouter_analytics.cli.exits import UsageError
from openrouter_analytics.cli.parser import build_parser, parse_args


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


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser of each subcommand, by name."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def long_options(parser: argparse.ArgumentParser) -> set[str]:
    return {name for action in parser._actions for name in action.option_strings if name.startswith("--")}


REQUIRED = {"query": ["--metrics", "total_usage"]}


def test_no_command_takes_an_abbreviated_option() -> None:
    parser = build_parser()
    lines = [([], long_options(parser))]
    lines += [
        ([name, *REQUIRED.get(name, [])], long_options(sub)) for name, sub in subparsers(parser).items()
    ]
    checked = 0
    for prefix, options in lines:
        for option in sorted(options):
            abbreviation = option[:-1]
            if abbreviation in options:
                continue
            with pytest.raises(UsageError, match=f"unrecognized arguments: {abbreviation}"):
                parse_args([*prefix, abbreviation, "x"])
            checked += 1
    assert checked > 30


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
