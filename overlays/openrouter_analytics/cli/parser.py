"""The command line of ``openrouter-activity``: options every command shares, and each command's own.

The shared options work before the subcommand and after it. With no subcommand, the default
one (``report``) runs, so ``openrouter-activity --group-by date`` means what it always meant.
"""

from __future__ import annotations

import argparse
import re
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
        # A value such as -1e3 (--filter total_usage gt -1e3) is a number, not an option:
        # argparse's own pattern knows -1 and -.5 only.
        self._negative_number_matcher = re.compile(r"^-(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")

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


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {name for action in parser._actions for name in action.option_strings}


def _takes_value(parser: argparse.ArgumentParser) -> set[str]:
    return {name for action in parser._actions if action.nargs != 0 for name in action.option_strings}


_GROUPS_WITH_GROUP_BY: Final = "report groups with --group-by"
_GROUPS_WITH_DIMENSIONS: Final = "query groups with --dimensions"
_SPLITS_WITH_BY: Final = "check takes each model or provider on its own with --by"

# An option a command does not have -> what it has instead, for options of the other commands
# (and their near misses) that people reach for.
_INSTEAD: Final[dict[str, dict[str, str]]] = {
    "report": {
        "--dimensions": _GROUPS_WITH_GROUP_BY,
        "--dimension": _GROUPS_WITH_GROUP_BY,
        "--by": _GROUPS_WITH_GROUP_BY,
        "--limit": "report keeps the N largest groups with --top",
        "--order-by": "report orders with --sort",
        "--metrics": f"report's columns are fixed; '{PROG} query --metrics' chooses them",
        "--filter": "report filters with --model, --provider and --since/--until",
        "--granularity": "report adds up per day with --group-by date",
        "--day": "report takes one day with --date",
    },
    "query": {
        "--group-by": _GROUPS_WITH_DIMENSIONS,
        "--by": _GROUPS_WITH_DIMENSIONS,
        "--dimension": _GROUPS_WITH_DIMENSIONS,
        "--top": "query keeps the first N rows with --limit, or N rows per group with --group-limit",
        "--sort": "query orders with --order-by",
        "--model": "query filters with --filter model eq PERMASLUG",
        "--provider": "query filters with --filter provider eq NAME",
        "--workspace-id": "query filters with --filter workspace eq UUID",
        "--date": "query covers whole days with --since and --until",
        "--day": "query covers whole days with --since and --until",
    },
    "check": {
        "--group-by": _SPLITS_WITH_BY,
        "--dimensions": _SPLITS_WITH_BY,
        "--since": "check looks at one day, --day",
        "--until": "check looks at one day, --day",
    },
}


def _advice(command: str, option: str, parser: argparse.ArgumentParser) -> str | None:
    """What ``command`` has instead of ``option``: the table's word, else a near miss's name."""
    import difflib

    instead = _INSTEAD.get(command, {}).get(option)
    if instead is not None:
        return instead
    close = difflib.get_close_matches(option, sorted(_options(parser)), n=1, cutoff=0.8)
    return f"did you mean {close[0]}?" if close else None


def _unrecognized(parser: argparse.ArgumentParser, command: str, words: Sequence[str]) -> UsageError:
    """The words ``command`` does not take, with what it has instead, and its own help."""
    sub = _subparsers(parser)[command]
    options = [word.partition("=")[0] for word in words if word.startswith("-") and word != "-"]
    advice = [text for text in (_advice(command, option, sub) for option in options) if text]
    listed = "; ".join(dict.fromkeys(advice))
    return UsageError(
        f"unrecognized arguments: {' '.join(words)}{'; ' + listed if listed else ''} "
        f"(see {PROG} {command} --help)"
    )


def _misplaced(
    parser: argparse.ArgumentParser, argv: Sequence[str], index: int, before: list[str]
) -> UsageError:
    """Options of a command given before the name of another (``--group-by date query``)."""
    command = argv[index]
    commands = _subparsers(parser)
    own = _options(commands[command])
    default = _options(commands[DEFAULT])
    problems = []
    for option in dict.fromkeys(before):
        if option in own:
            problems.append(f"{option} goes after {command}")
        elif option in default:
            advice = _advice(command, option, commands[command])
            problems.append(
                f"{option} is an option of {DEFAULT}, the command run when none is named, not of {command}"
                + (f"; {advice}" if advice else "")
            )
        else:
            advice = _advice(command, option, commands[command])
            problems.append(f"{option} is not an option of {PROG}" + (f"; {advice}" if advice else ""))
    return UsageError(f"{'; '.join(problems)} (see {PROG} {command} --help)")


def _with_command(parser: argparse.ArgumentParser, argv: Sequence[str]) -> list[str]:
    """``argv`` with the default command put first when it names none.

    A word that is an option's value (``--group-by date``) is not taken for a command;
    ``--help`` and ``--version`` without a command stay the tool's own. The options of the
    default command may come before its name; those of any command before another's name are
    a UsageError saying where they go.
    """
    commands = _subparsers(parser)
    own = _options(parser)
    default = _options(commands[DEFAULT])
    takes_value = _takes_value(parser) | _takes_value(commands[DEFAULT])
    before: list[str] = []  # options before the command that are not the tool's own
    after_unknown = False  # the word after an unknown option may be its value
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--":
            break
        if word.startswith("-") and word != "-":
            name = word.partition("=")[0]
            if name not in own:
                before.append(name)
            after_unknown = name not in own | default
            index += 2 if word in takes_value else 1
            continue
        if word in commands:
            if not before:
                return list(argv)
            if word == DEFAULT and all(name in default for name in before):
                return [DEFAULT, *argv[:index], *argv[index + 1 :]]
            raise _misplaced(parser, argv, index, before)
        if after_unknown:  # perhaps the unknown option's value: a command may still follow
            after_unknown = False
            index += 1
            continue
        if not before:
            return list(argv)  # a word argparse will refuse as a command
        break
    if not before and any(word in ("-h", "--help", "--version") for word in argv):
        return list(argv)
    return [DEFAULT, *argv]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse ``argv`` (default: the process's arguments); UsageError when it cannot be used."""
    import sys

    parser = build_parser()
    args, extras = parser.parse_known_args(_with_command(parser, sys.argv[1:] if argv is None else argv))
    if extras:
        raise _unrecognized(parser, args.command_name, extras)
    return args
