"""The command line of ``openrouter-activity``: options every command shares, and each command's own."""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

from openrouter_analytics._constants import API_KEY_ENV_VAR

from . import options
from .commands import DEFAULT, load
from .exits import UsageError
from .session import PROG

__all__ = ["build_parser"]


class _Parser(argparse.ArgumentParser):
    """No abbreviated options (a new option must never change what an old command line
    means), and errors as one line, which main() prints before exiting 2.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_abbrev=False, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {PROG} --help)")


class _NoKeyOption(argparse.Action):
    """``--api-key``: there is none; say where the key comes from, without echoing it."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs="?", help=argparse.SUPPRESS)

    def __call__(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise UsageError(
            f"there is no --api-key option, so the key stays out of shell history and process "
            f"lists: set {API_KEY_ENV_VAR} to a management key, or pass --api-key-file PATH "
            "('-' reads it from stdin)"
        )


def _add_shared_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour the table and chart: auto means on a terminal; NO_COLOR always wins",
    )
    connection = parser.add_argument_group("connection")
    connection.add_argument("--api-key", action=_NoKeyOption)
    connection.add_argument(
        "--api-key-file",
        metavar="PATH",
        help=f"read the key from this file ('-' for stdin) instead of {API_KEY_ENV_VAR}",
    )
    connection.add_argument("--base-url", metavar="URL", help="the API's base URL (default: OpenRouter's)")
    connection.add_argument(
        "--timeout", type=options.seconds, metavar="SECONDS", help="per network operation"
    )
    connection.add_argument(
        "--max-retries", type=options.whole_number(0), metavar="N", help="retries on 429, 5xx, network errors"
    )
    connection.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="allow a plain http:// --base-url on another machine (sends the key unencrypted)",
    )
    connection.add_argument("-v", "--verbose", action="store_true", help="log each request on stderr")


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``openrouter-activity``."""
    from openrouter_analytics import __version__

    command = load(DEFAULT)
    parser = _Parser(
        prog=PROG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=command.description,
        epilog=command.examples,
    )
    command.add_arguments(parser)
    _add_shared_arguments(parser)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.set_defaults(command=command)
    return parser
