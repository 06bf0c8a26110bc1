"""Exit codes, and what each error means as an exit code and a hint: one table.

Kept free of the client's imports; the error classes are looked up only when an error occurs.
"""

from __future__ import annotations

import argparse
from typing import Final

from openrouter_analytics._constants import API_KEY_ENV_VAR

__all__ = [
    "EXIT_API",
    "EXIT_AUTH",
    "EXIT_BUG",
    "EXIT_INTERRUPTED",
    "EXIT_NETWORK",
    "EXIT_OK",
    "EXIT_USAGE",
    "UsageError",
    "exit_code_and_hint",
]

EXIT_OK: Final = 0
EXIT_USAGE: Final = 2
EXIT_AUTH: Final = 3
EXIT_API: Final = 4
EXIT_NETWORK: Final = 5
EXIT_INTERRUPTED: Final = 130
EXIT_BUG: Final = 1

_MANAGEMENT_KEYS_DOCS: Final = "https://openrouter.ai/docs/guides/overview/auth/management-api-keys"


class UsageError(Exception):
    """The command line or the key given to it cannot be used; exit code 2."""


def _exit_table() -> dict[type[BaseException], tuple[int, str | None]]:
    """Error class -> (exit code, hint); an error takes the entry of its nearest class."""
    from openrouter_analytics import errors

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


def exit_code_and_hint(exc: BaseException, args: argparse.Namespace | None) -> tuple[int, str | None] | None:
    """The exit code and hint for ``exc``, or None for an error no table entry expects (a bug)."""
    table = _exit_table()
    return next((table[cls] for cls in type(exc).__mro__ if cls in table), None)
