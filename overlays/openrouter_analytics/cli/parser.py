"""The command line of ``openrouter-activity``: options every command shares, and each command's own.

The shared options work before the subcommand and after it. With no subcommand, the default
one (``report``) runs, so ``openrouter-activity --group-by date`` means what it always meant.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any, Final, NoReturn

from openrouter_analytics._constants import (
    API_KEY_ENV_VAR,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RETRIES,
    DEFAULT_READ_TIMEOUT,
    QUERY_READ_TIMEOUT,
)

from . import options
from .commands import COMMANDS, DEFAULT, load
from .exits import EXIT_CODES_HELP, UsageError
from .session import PROG

__all__ = ["build_parser", "parse_args"]

_DESCRIPTION: Final = f"""\
Where the money goes on OpenRouter, from its Analytics API. With no command,
{PROG} runs "report"."""

_KEY_NOTE: Final = f"""\
The key, a management key, comes from {API_KEY_ENV_VAR} or --api-key-file,
never from an option, so it stays out of shell history."""

_EXAMPLES: Final = f"""\
examples:
  {PROG}                          cost per model, last 30 days
  {PROG} --group-by date --chart  cost per day, as a bar chart
  {PROG} meta                     what the account can query
  {PROG} query --metrics total_usage --dimensions model
  {PROG} COMMAND --help           a command's options and examples"""


class _Parser(argparse.ArgumentParser):
    """No abbreviated options (a new option must never change what an old command line
    means), and errors as one line, which main() prints before exiting 2.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_abbrev=False, formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


class _NoKeyOption(argparse.Action):
    """``--api-key``: there is none; say where the key comes from, without echoing it."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        kwargs.pop("nargs", None)
        kwargs.pop("help", None)
        super().__init__(option_strings, dest, nargs="?", help=argparse.SUPPRESS, **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise UsageError(
            f"there is no --api-key option, so the key stays out of shell history and process "
            f"lists: set {API_KEY_ENV_VAR} to a management key, or pass --api-key-file PATH "
            "('-' reads it from stdin)"
        )


def _add_shared_arguments(parser: argparse.ArgumentParser, *, after_command: bool) -> None:
    """The options of every command. After the command their defaults are left out, so they do
    not overwrite what was given before it.
    """

    def default(value: object) -> object:
        return argparse.SUPPRESS if after_command else value

    shared = parser.add_argument_group("options of every command")
    shared.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default=default("auto"),
        help="colour tables and charts: auto means on a terminal; NO_COLOR always wins (default: auto)",
    )
    shared.add_argument("--api-key", action=_NoKeyOption, default=default(None))
    shared.add_argument(
        "--api-key-file",
        metavar="PATH",
        default=default(None),
        help=f"read the key from this file ('-' for stdin) instead of {API_KEY_ENV_VAR}",
    )
    shared.add_argument(
        "--base-url",
        metavar="URL",
        default=default(None),
        help="the API's base URL (default: https://openrouter.ai/api/v1)",
    )
    shared.add_argument(
        "--timeout",
        type=options.seconds,
        metavar="SECONDS",
        default=default(None),
        help=f"for each network operation (default: {DEFAULT_CONNECT_TIMEOUT:g} to connect, "
        f"{DEFAULT_READ_TIMEOUT:g} to read, {QUERY_READ_TIMEOUT:g} to read a query)",
    )
    shared.add_argument(
        "--max-retries",
        type=options.whole_number(0),
        metavar="N",
        default=default(None),
        help=f"retries after 408, 429, 5xx and network errors (default: {DEFAULT_MAX_RETRIES})",
    )
    shared.add_argument(
        "--allow-insecure-http",
        action="store_true",
        default=default(False),
        help="allow a plain http:// --base-url on another machine (sends the key unencrypted)",
    )
    shared.add_argument(
        "-v", "--verbose", action="store_true", default=default(False), help="log each request on stderr"
    )


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``openrouter-activity``, a subparser per command."""
    from openrouter_analytics import __version__

    parser = _Parser(
        prog=PROG, description=_DESCRIPTION, epilog=f"{_EXAMPLES}\n\n{_KEY_NOTE}\n\n{EXIT_CODES_HELP}"
    )
    _add_shared_arguments(parser, after_command=False)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command_name")
    for name in COMMANDS:
        command = load(name)
        sub = commands.add_parser(
            name,
            help=command.summary,
            description=command.description,
            epilog=f"{command.examples}\n\n{_KEY_NOTE}\n\n{EXIT_CODES_HELP}",
        )
        command.add_arguments(sub)
        _add_shared_arguments(sub, after_command=True)
        sub.set_defaults(command=command)
    return parser


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _takes_value(parser: argparse.ArgumentParser) -> set[str]:
    return {name for action in parser._actions if action.nargs != 0 for name in action.option_strings}


def _with_command(parser: argparse.ArgumentParser, argv: Sequence[str]) -> list[str]:
    """``argv`` with the default command put first when it names none.

    A word that is an option's value (``--group-by date``) is not taken for a command;
    ``--help`` and ``--version`` without a command stay the tool's own.
    """
    commands = _subparsers(parser)
    own = {name for action in parser._actions for name in action.option_strings}
    known = own | {name for action in commands[DEFAULT]._actions for name in action.option_strings}
    takes_value = _takes_value(parser) | _takes_value(commands[DEFAULT])
    only_own = True
    after_unknown = False  # the word after an unknown option may be its value
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--":
            break
        if word.startswith("-") and word != "-":
            name = word.partition("=")[0]
            only_own = only_own and name in own
            after_unknown = name not in known
            index += 2 if word in takes_value else 1
            continue
        if word in commands or not after_unknown:
            return list(argv)  # a command, or a word argparse will refuse as one
        break
    if only_own and any(word in ("-h", "--help", "--version") for word in argv):
        return list(argv)
    return [DEFAULT, *argv]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse ``argv`` (default: the process's arguments); UsageError when it cannot be used."""
    import sys

    parser = build_parser()
    return parser.parse_args(_with_command(parser, sys.argv[1:] if argv is None else argv))
