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


# What a command needs before an unknown option (history: export, else "x" is taken for it).
REQUIRED = {"query": ["--metrics", "total_usage"], "budget": ["--monthly", "500"], "history": ["export"]}


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


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["query", "--metrics", "total_usage", "--group-by", "model"],
            "unrecognized arguments: --group-by model; query groups with --dimensions "
            "(see openrouter-activity query --help)",
        ),
        (
            ["query", "--metrics", "total_usage", "--dimension", "model"],
            "unrecognized arguments: --dimension model; query groups with --dimensions "
            "(see openrouter-activity query --help)",
        ),
        (
            ["query", "--metrics", "total_usage", "--top", "3"],
            "unrecognized arguments: --top 3; query keeps the first N rows with --limit, or N rows per "
            "group with --group-limit (see openrouter-activity query --help)",
        ),
        (
            ["--dimensions", "model"],
            "unrecognized arguments: --dimensions model; report groups with --group-by "
            "(see openrouter-activity report --help)",
        ),
        (
            ["check", "--max-cost", "5", "--group-by", "model"],
            "unrecognized arguments: --group-by model; check takes each model or provider on its own "
            "with --by (see openrouter-activity check --help)",
        ),
        (
            ["meta", "--fromat", "json"],
            "unrecognized arguments: --fromat json; did you mean --format? "
            "(see openrouter-activity meta --help)",
        ),
    ],
    ids=["query-group-by", "query-dimension", "query-top", "report-dimensions", "check-group-by", "typo"],
)
def test_a_wrong_option_names_the_commands_help_and_what_it_has_instead(
    argv: list[str], expected: str
) -> None:
    with pytest.raises(UsageError) as caught:
        parse_args(argv)

    assert str(caught.value) == expected


def test_an_option_of_report_before_another_command_says_whose_it_is() -> None:
    with pytest.raises(UsageError) as caught:
        parse_args(["--group-by", "date", "query", "--metrics", "total_usage"])

    assert str(caught.value) == (
        "--group-by is an option of report, the command run when none is named, not of query; "
        "query groups with --dimensions (see openrouter-activity query --help)"
    )


def test_an_option_of_a_command_before_its_name_says_it_goes_after() -> None:
    with pytest.raises(UsageError) as caught:
        parse_args(["--verbose", "--metrics", "total_usage", "query"])

    assert str(caught.value) == "--metrics goes after query (see openrouter-activity query --help)"


def test_the_default_commands_options_may_come_before_its_name() -> None:
    args = parse_args(["--group-by", "date", "--verbose", "report", "--top", "3"])

    assert (args.command_name, args.group_by, args.top, args.verbose) == ("report", "date", 3, True)
