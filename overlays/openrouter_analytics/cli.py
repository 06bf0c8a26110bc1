"""``openrouter-activity``: where the money goes, per model, day, provider or endpoint.

    export OPENROUTER_API_KEY=sk-or-v1-...        # a management key
    openrouter-activity                           # cost per model over the last 30 days
    openrouter-activity --group-by date --chart   # cost per day as a bar chart
    openrouter-activity --format csv > activity.csv

Exit codes: 0 success, 2 usage or invalid input, 3 authentication or permission (401, 403),
4 other API errors, 5 network or timeout. Every error is one line on stderr.

Everything past argument parsing is imported when it is needed, so ``--help`` stays quick.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Final, NoReturn, TextIO, cast

from ._columns import SORT_CHOICES
from ._constants import API_KEY_ENV_VAR, LOGGER_NAME

if TYPE_CHECKING:
    from openrouter_analytics_client.models import ActivityResponse

    from .summary import GroupBy, SortKey, Summary

__all__ = ["EXIT_API", "EXIT_AUTH", "EXIT_NETWORK", "EXIT_OK", "EXIT_USAGE", "main"]

PROG: Final = "openrouter-activity"
EXIT_OK: Final = 0
EXIT_USAGE: Final = 2
EXIT_AUTH: Final = 3
EXIT_API: Final = 4
EXIT_NETWORK: Final = 5
EXIT_INTERRUPTED: Final = 130
EXIT_BUG: Final = 1

_MESSAGE_CHARS: Final = 300
_MANAGEMENT_KEYS_DOCS: Final = "https://openrouter.ai/docs/guides/overview/auth/management-api-keys"


class UsageError(Exception):
    """The command line or the key given to it cannot be used; exit code 2."""


def _exit_table() -> dict[type[BaseException], tuple[int, str | None]]:
    """Error class -> (exit code, hint); an error takes the entry of its nearest class."""
    from . import errors

    return {
        UsageError: (EXIT_USAGE, None),
        errors.InvalidParameterError: (EXIT_USAGE, None),
        errors.BadRequestResponseError: (
            EXIT_USAGE,
            "the API rejected the parameters; --date must be one of the last 30 completed UTC days",
        ),
        errors.UnauthorizedResponseError: (
            EXIT_AUTH,
            f"check the key in {API_KEY_ENV_VAR} or in the file given to --api-key-file",
        ),
        errors.ForbiddenResponseError: (
            EXIT_AUTH,
            f"this endpoint needs a management key, see {_MANAGEMENT_KEYS_DOCS}",
        ),
        errors.NotFoundResponseError: (
            EXIT_API,
            "check --base-url; OpenRouter's is https://openrouter.ai/api/v1",
        ),
        errors.TooManyRequestsResponseError: (
            EXIT_API,
            "rate limited; wait a minute, or raise --max-retries",
        ),
        errors.InternalServerResponseError: (EXIT_API, "the API failed on its side; try again later"),
        errors.APIError: (EXIT_API, None),
        errors.ResponseValidationError: (
            EXIT_API,
            "the answer does not have the API's documented shape; check --base-url",
        ),
        errors.APITimeoutError: (EXIT_NETWORK, "no answer in time; check the network, or raise --timeout"),
        errors.APIConnectionError: (EXIT_NETWORK, "check the network or --base-url"),
        errors.OpenRouterError: (EXIT_USAGE, None),
    }


def _date(text: str) -> str:
    from ._validation import parse_day
    from .errors import InvalidParameterError

    try:
        return parse_day(text, "date")
    except InvalidParameterError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2025-08-24") from None


def _whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: an integer of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of {minimum} or more")
        return value

    return parse


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0, e.g. 30")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line instead of argparse's usage block; main() prints it and exits 2.
        raise UsageError(f"{message} (see {PROG} --help)")


_DESCRIPTION: Final = """\
Where the money goes: OpenRouter activity (GET /activity) over the last 30
completed UTC days, with cost, requests and tokens added up per model, day,
provider or endpoint."""

_EPILOG: Final = f"""\
examples:
  {PROG}                          cost per model, largest first
  {PROG} --group-by date --chart  cost per day, as a bar chart
  {PROG} --group-by provider --top 3 --sort requests
  {PROG} --since 2025-08-01 --model claude --format csv > out.csv

The key, a management key, comes from {API_KEY_ENV_VAR} or --api-key-file,
never from a flag, so it stays out of shell history.

exit codes: 0 ok, 2 usage or invalid input, 3 authentication or permission
(401, 403), 4 other API error, 5 network or timeout."""


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``openrouter-activity``."""
    from . import __version__

    parser = _Parser(
        prog=PROG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=_DESCRIPTION,
        epilog=_EPILOG,
    )
    api = parser.add_argument_group("filters sent to the API")
    api.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="one UTC day of the last 30")
    api.add_argument("--api-key-hash", metavar="HASH", help="one API key, by its SHA-256 hash")
    api.add_argument("--user-id", metavar="ID", help="one member of an organization")

    rows = parser.add_argument_group("filters on the returned rows")
    rows.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="from this day, inclusive")
    rows.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="to this day, inclusive")
    rows.add_argument("--model", metavar="SUBSTRING", help="models whose slug contains this, any case")
    rows.add_argument("--provider", metavar="NAME", help="one provider, e.g. 'Google Vertex', any case")

    view = parser.add_argument_group("grouping and output")
    view.add_argument(
        "--group-by",
        choices=["date", "model", "provider", "endpoint", "none"],
        default="model",
        help="what each row adds up (default: model)",
    )
    view.add_argument(
        "--sort",
        choices=list(SORT_CHOICES),
        metavar="COLUMN",
        help=f"{', '.join(SORT_CHOICES)}: numbers largest first, name A to Z "
        "(default: name for --group-by date, cost otherwise)",
    )
    view.add_argument("--top", type=_whole_number(1), metavar="N", help="show N rows, add up the rest")
    view.add_argument(
        "--format",
        choices=["table", "csv", "json", "jsonl"],
        default="table",
        help="table for people; csv, json, jsonl with full precision for programs (default: table)",
    )
    view.add_argument("--chart", action="store_true", help="a bar chart of cost per group instead of a table")
    view.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour the table and chart: auto means on a terminal; NO_COLOR always wins",
    )

    connection = parser.add_argument_group("connection")
    connection.add_argument(
        "--api-key-file",
        metavar="PATH",
        help=f"read the key from this file ('-' for stdin) instead of {API_KEY_ENV_VAR}",
    )
    connection.add_argument("--base-url", metavar="URL", help="the API's base URL (default: OpenRouter's)")
    connection.add_argument("--timeout", type=_seconds, metavar="SECONDS", help="per network operation")
    connection.add_argument(
        "--max-retries", type=_whole_number(0), metavar="N", help="retries on 429, 5xx, network errors"
    )
    connection.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="allow a plain http:// --base-url on another machine (sends the key unencrypted)",
    )
    connection.add_argument("-v", "--verbose", action="store_true", help="log each request on stderr")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


def _read_key(args: argparse.Namespace) -> str:
    if args.api_key_file is not None:
        source = f"--api-key-file {args.api_key_file}"
        try:
            if args.api_key_file == "-":
                key = sys.stdin.readline().strip()
            else:
                with open(args.api_key_file, encoding="utf-8") as file:
                    key = file.read().strip()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
            raise UsageError(f"cannot read the key from {source}: {reason}") from None
        if not key:
            raise UsageError(f"{source} holds no key")
        return key
    key = os.environ.get(API_KEY_ENV_VAR, "").strip()
    if not key:
        raise UsageError(
            f"no API key: set {API_KEY_ENV_VAR} to a management key, or pass --api-key-file PATH"
        )
    return key


class _RedactingFormatter(logging.Formatter):
    """Takes the key out of every formatted log line, tracebacks included, whoever logged it."""

    def __init__(self, secret: str) -> None:
        super().__init__("%(asctime)s %(name)s %(levelname)s %(message)s")
        self._secret = secret

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace(self._secret, "***")


@contextlib.contextmanager
def _request_log(secret: str) -> Iterator[None]:
    """The package's DEBUG log on stderr, for the duration of the block."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_RedactingFormatter(secret))
    logger = logging.getLogger(LOGGER_NAME)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _use_color(choice: str, stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def _fetch(args: argparse.Namespace, key: str) -> ActivityResponse:
    from ._client import Analytics
    from ._spinner import Spinner

    options: dict[str, Any] = {}
    if args.base_url is not None:
        options["base_url"] = args.base_url
    if args.timeout is not None:
        options["timeout"] = args.timeout
    if args.max_retries is not None:
        options["max_retries"] = args.max_retries
    if args.allow_insecure_http:
        options["allow_insecure_http"] = True
    # With --verbose the log lines tell the progress; a spinner would garble them.
    spinner = contextlib.nullcontext() if args.verbose else Spinner("fetching activity…", sys.stderr)
    with Analytics(api_key=key, **options) as analytics, spinner:
        return analytics.get_user_activity(
            date=args.date, api_key_hash=args.api_key_hash, user_id=args.user_id
        )


def _summarize(args: argparse.Namespace, report: ActivityResponse) -> Summary:
    from .summary import summarize

    group_by: GroupBy = args.group_by
    sort = cast("SortKey", SORT_CHOICES[args.sort]) if args.sort else None
    return summarize(
        report,
        by=group_by,
        since=args.since,
        until=args.until,
        model=args.model,
        provider=args.provider,
        sort=sort,
        top=args.top,
    )


def _render(args: argparse.Namespace, summary: Summary) -> str:
    from . import _format

    if args.format == "csv":
        return _format.render_csv(summary)
    if args.format == "json":
        return _format.render_json(summary)
    if args.format == "jsonl":
        return _format.render_jsonl(summary)
    style = _format.Style(enabled=_use_color(args.color, sys.stdout))
    if args.chart:
        from ._chart import render_chart

        return render_chart(summary, style=style)
    return _format.render_table(summary, style=style)


def _note_empty(report: ActivityResponse, summary: Summary) -> None:
    if summary.total.activity_rows or not report.data:
        return
    providers = sorted({item.provider_name for item in report.data})
    dates = sorted({item.date for item in report.data})
    sys.stderr.write(
        f"{PROG}: note: none of the report's {len(report.data)} rows passes the filters; it has "
        f"{dates[0]} to {dates[-1]} and providers {', '.join(providers)}\n"
    )


def _check(args: argparse.Namespace) -> None:
    if args.chart and args.format != "table":
        raise UsageError(f"--chart draws for the terminal and cannot be combined with --format {args.format}")
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")


def _run(args: argparse.Namespace, key: str) -> int:
    with _request_log(key) if args.verbose else contextlib.nullcontext():
        report = _fetch(args, key)
    summary = _summarize(args, report)
    output = _render(args, summary)
    _note_empty(report, summary)
    try:
        sys.stdout.write(output)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`); that is not an error. Keep the exit quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


def _one_line(exc: BaseException, secret: str | None) -> str:
    """The error's own message on one line, capped, with the key taken out should it appear."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    if len(message) > _MESSAGE_CHARS:
        message = message[: _MESSAGE_CHARS - 1] + "…"
    return message.replace(secret, "***") if secret else message


def main(argv: list[str] | None = None) -> int:
    """Run ``openrouter-activity`` with ``argv`` (default: the process's); return the exit code."""
    verbose = False
    secret: str | None = None
    try:
        args = build_parser().parse_args(argv)
        verbose = args.verbose
        _check(args)
        secret = _read_key(args)
        return _run(args, secret)
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{PROG}: interrupted\n")
        return EXIT_INTERRUPTED
    except Exception as exc:
        table = _exit_table()
        entry = next((table[cls] for cls in type(exc).__mro__ if cls in table), None)
        if entry is None:
            if verbose:
                raise
            sys.stderr.write(f"{PROG}: internal error: {_one_line(exc, secret)} (--verbose shows more)\n")
            return EXIT_BUG
        code, hint = entry
        line = f"{PROG}: error: {_one_line(exc, secret)}"
        sys.stderr.write(f"{line} ({hint})\n" if hint else f"{line}\n")
        return code
