"""What each error means on the command line: its exit code, its hint, and its words.

One table from error class to exit code and hint, one table from the library's parameter names
to the tool's flags. Kept free of the client's imports; the error classes are looked up only
when an error occurs.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from typing import Final

from openrouter_analytics._constants import API_KEY_ENV_VAR, MAX_RETRY_DELAY

__all__ = [
    "EXIT_API",
    "EXIT_AUTH",
    "EXIT_BUG",
    "EXIT_CODES_HELP",
    "EXIT_INTERRUPTED",
    "EXIT_LIMIT_BREACHED",
    "EXIT_NETWORK",
    "EXIT_NOTIFY",
    "EXIT_OK",
    "EXIT_USAGE",
    "FLAGS",
    "UsageError",
    "exit_code_and_hint",
    "in_tool_terms",
    "key_source",
]

EXIT_OK: Final = 0
EXIT_LIMIT_BREACHED: Final = 1
"""Kept for ``check`` and ``budget``: a limit was breached, or there was nothing to check (no
rows in the 30 days; with --require-activity, none on the day); a budget threshold reached or
its forecast over; nothing else."""
EXIT_USAGE: Final = 2
EXIT_AUTH: Final = 3
EXIT_API: Final = 4
EXIT_NETWORK: Final = 5
EXIT_NOTIFY: Final = 6
"""A --notify destination could not be told (the verdict was printed; the next run tries again)."""
EXIT_BUG: Final = 70
"""EX_SOFTWARE of sysexits.h: an error the tool did not expect, which is a bug."""
EXIT_INTERRUPTED: Final = 130

EXIT_CODES_HELP: Final = """\
exit codes:
  0   ok
  1   check: a limit was breached, or no activity to check;
      budget: a threshold reached or the forecast over the budget
  2   usage or invalid input, or a 400 from the API
  3   authentication or permission (401, 403)
  4   other API error (404, 408, 429, 5xx), or an answer off the spec
  5   network or timeout
  6   could not notify: a --notify destination failed, or was told and not
      recorded (the verdict is printed; the next run tries again)
  70  internal error, a bug (--verbose shows the traceback)
  130 interrupted (Ctrl-C); 143 stopped by SIGTERM, 129 by SIGHUP"""

_MANAGEMENT_KEYS_DOCS: Final = "https://openrouter.ai/docs/guides/overview/auth/management-api-keys"
_KEY_FROM: Final = f"{API_KEY_ENV_VAR} or --api-key-file"

FLAGS: Final[dict[str, str]] = {
    # the client
    "base_url": "--base-url",
    "allow_insecure_http": "--allow-insecure-http",
    "timeout": "--timeout",
    "max_retries": "--max-retries",
    # get_user_activity
    "date": "--date",
    "api_key_hash": "--api-key-hash",
    "user_id": "--user-id",
    "workspace_id": "--workspace-id",
    "group_by": "--group-by",
    # query_analytics
    "metrics": "--metrics",
    "dimensions": "--dimensions",
    "filters": "--filter",
    "granularity": "--granularity",
    "time_range": "--since/--until",
    "order_by": "--order-by",
    "limit": "--limit",
    "group_limit": "--group-limit",
    # check_spend (its ``by`` is --by, but the command's choices refuse a bad one first)
    "day": "--day",
    "max_cost": "--max-cost",
    "max_increase": "--max-increase",
    "baseline_days": "--baseline-days",
    "min_cost": "--min-cost",
    # check_budget and notify
    "monthly": "--monthly",
    "warn_at": "--warn-at",
    "today": "--today",
    "urls": "--notify",
    # summarize
    "by": "--group-by",
    "since": "--since",
    "until": "--until",
    "model": "--model",
    "provider": "--provider",
    "sort": "--sort",
    "top": "--top",
    # History
    "output": "--output",
    "account": "--account",
    "path": "--db",
}
"""A parameter of the library -> the flag of the tool that sets it (``api_key``: see key_source)."""


class UsageError(Exception):
    """The command line or the key given to it cannot be used; exit code 2."""


def key_source(args: argparse.Namespace | None) -> str:
    """Where this run's key came from, as the tool names it."""
    path = getattr(args, "api_key_file", None)
    if path == "-":
        return "the key read from stdin (--api-key-file -)"
    if path is not None:
        return f"the key in --api-key-file {path}"
    return f"the key in {API_KEY_ENV_VAR}"


# A parameter as the library writes it: a name, then list indexes and fields (filters[0].value).
_PATH: Final = re.compile(r"([a-z][a-z0-9_]*)((?:\[\d+\])*)((?:\.[a-z][a-z0-9_]*)*)")
# A parameter named inside a message: ``name=True`` (a switch), ``name=VALUE``, or a bare name.
_KEYWORD: Final = re.compile(r"(?<![\w.'\"-])([a-z][a-z0-9_]*)(?:(=True\b)|(=)|(?![\w\[(]|\.\w))")
# What a caller passed, as the library shows it: its Python type, then its value (got int 10001).
_TYPED_VALUE: Final = re.compile(r"\bgot (?:str|int|float) (?=\S)")
# A count of a list's items, as the library words it (at most 2 item(s)).
_ITEMS: Final = re.compile(r"\b(\d+) item\(s\)")


def _flag_path(match: re.Match[str], key: str) -> str | None:
    name, indexes, fields = match.groups()
    flag = key if name == "api_key" else FLAGS.get(name)
    if flag is None:
        return None
    numbers = [int(index) + 1 for index in re.findall(r"\d+", indexes)]
    words = [flag, *(f"#{number}" for number in numbers), *fields.lstrip(".").split(".")]
    return " ".join(word for word in words if word)


def in_tool_terms(message: str, parameter: str, args: argparse.Namespace | None) -> str:
    """A library message in the tool's words: the parameter it starts with becomes the flag that
    sets it (``--user-id must ...``); ``name=True`` becomes the flag, ``name=50`` the flag and its
    value (``--max-cost 50``), and a bare ``snake_case`` name of a parameter its flag. A value is
    shown without its Python type (``got 10001``), and a count of items by what they are
    (``at most 2 dimensions``).
    """
    key = key_source(args)
    if message.startswith(parameter):
        start = _PATH.match(message)
        replaced = _flag_path(start, key) if start is not None else None
        if start is not None and replaced is not None:
            message = replaced + message[start.end() :]

    def keyword(match: re.Match[str]) -> str:
        name, switch, assigned = match.groups()
        given = switch is not None or assigned is not None
        if name == "api_key":
            return _KEY_FROM if given else match.group(0)
        flag = FLAGS.get(name)
        # A bare name without an underscore may be an English word ("the day before").
        if flag is None or not (given or "_" in name):
            return match.group(0)
        return f"{flag} " if assigned is not None else flag

    message = message.replace("pass the key as api_key=", f"give the key in {_KEY_FROM}")
    message = _TYPED_VALUE.sub("got ", message)
    message = _ITEMS.sub(lambda match: _items(int(match.group(1)), parameter), message)
    return _KEYWORD.sub(keyword, message)


def _items(count: int, parameter: str) -> str:
    """``2 dimensions``, ``1 filter``: a count of a list's items, named after the list."""
    from .text import plural

    name = _PATH.match(parameter)
    listed = name.group(1) if name is not None else ""
    return plural(count, listed[:-1] if listed.endswith("s") and listed in FLAGS else "item")


def _duration(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.3g} s"
    if seconds < 120:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 120:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def _rate_limit_hint(exc: BaseException) -> str:
    asked = getattr(exc, "retry_after", None)
    if asked is not None and asked > MAX_RETRY_DELAY:
        return (
            f"rate limited; the server asks to wait {_duration(asked)}, longer than the tool waits "
            f"between retries ({MAX_RETRY_DELAY:g} s): run it again after that"
        )
    if asked is not None:
        return f"rate limited; the server asked to wait {_duration(asked)}; try again, or raise --max-retries"
    return "rate limited; wait a minute, or raise --max-retries"


Hint = str | Callable[[BaseException], str] | None


def _exit_table() -> dict[type[BaseException], tuple[int, Hint]]:
    """Error class -> (exit code, hint); an error takes the entry of its nearest class."""
    from openrouter_analytics import errors
    from openrouter_analytics.notify import SentStoreError

    return {
        UsageError: (EXIT_USAGE, None),
        errors.InvalidParameterError: (EXIT_USAGE, None),
        errors.BadRequestResponseError: (EXIT_USAGE, None),
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
        errors.RequestTimeoutResponseError: (
            EXIT_API,
            "the server gave up on a slow query; narrow --since/--until, or leave out latency "
            "metrics and per-generation dimensions",
        ),
        errors.TooManyRequestsResponseError: (EXIT_API, _rate_limit_hint),
        errors.InternalServerResponseError: (EXIT_API, "the API failed on its side; try again later"),
        errors.APIError: (EXIT_API, None),
        errors.ResponseValidationError: (
            EXIT_API,
            "the answer does not have the API's documented shape; check --base-url",
        ),
        errors.APITimeoutError: (EXIT_NETWORK, "no answer in time; check the network, or raise --timeout"),
        errors.APIConnectionError: (EXIT_NETWORK, "check the network or --base-url"),
        SentStoreError: (
            EXIT_NOTIFY,
            "the file keeps what was sent; check it, or give another with --db (or OPENROUTER_ANALYTICS_DB)",
        ),
        errors.OpenRouterError: (EXIT_USAGE, None),
    }


def exit_code_and_hint(exc: BaseException) -> tuple[int, str | None] | None:
    """The exit code and general hint for ``exc``; None for an error nothing expects (a bug)."""
    from openrouter_analytics.errors import InvalidParameterError

    if isinstance(exc, InvalidParameterError) and exc.parameter == "report":
        # The tool passes what the API (or the history) answered: the answer is at fault.
        return EXIT_API, None
    table = _exit_table()
    entry = next((table[cls] for cls in type(exc).__mro__ if cls in table), None)
    if entry is None:
        return None
    code, hint = entry
    return code, hint(exc) if callable(hint) else hint
