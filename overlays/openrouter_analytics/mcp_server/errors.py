"""What a failed tool call tells the agent: one plain sentence, never a traceback or the key."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = ["RATE_LIMIT_PER_MINUTE", "explain", "explain_arguments"]

RATE_LIMIT_PER_MINUTE: Final = 64
"""OpenRouter's limit on analytics requests."""

# What each exit code of openrouter-activity means, for errors of the same kind here.
_KINDS: Final = {
    2: "invalid input",
    3: "authentication or permission error",
    4: "API error",
    5: "network error or timeout",
}

_PARAMETER: Final = re.compile(r"[a-z][a-z0-9_]*(?:\[\d+\])*(?:\.[a-z][a-z0-9_]*)*")


def _argument(message: str, names: Mapping[str, str]) -> str:
    """The library's message with its parameters named as the tool's arguments: the one it starts
    with, and any other with an underscore in its name (a bare word may be English)."""
    ordered = sorted(names.items(), key=lambda item: -len(item[0]))
    start = _PARAMETER.match(message)
    if start is not None:
        said = start.group(0)
        for library, tool in ordered:
            if said == library or said.startswith((library + ".", library + "[")):
                message = tool + said[len(library) :] + message[start.end() :]
                break
    for library, tool in ordered:
        if "_" in library:
            message = re.sub(rf"(?<![\w.]){re.escape(library)}(?![\w])", tool, message)
    return message


def _rate_limited(retry_after: float | None) -> str:
    limit = f"rate limited (429): OpenRouter allows {RATE_LIMIT_PER_MINUTE} analytics requests a minute"
    if retry_after is None:
        return f"{limit}; wait a minute, then call the tool again"
    return f"{limit}; it asks to wait {retry_after:g} s: call the tool again after that"


def explain(exc: BaseException, *, key: str, names: Mapping[str, str] | None = None) -> str:
    """``exc``, an error of the library, in plain words for the agent, with the key taken out.

    ``names`` maps a library parameter to the tool argument that sets it (``by`` -> ``group_by``).
    """
    from openrouter_analytics.cli.exits import exit_code_and_hint
    from openrouter_analytics.cli.log import redact
    from openrouter_analytics.errors import InvalidParameterError, TooManyRequestsResponseError

    history = sys.modules.get("openrouter_analytics.history")
    if isinstance(exc, InvalidParameterError):
        text = f"invalid argument: {_argument(str(exc), names or {})}"
    elif history is not None and isinstance(exc, history.HistoryError):
        text = str(exc)  # the file's state and what to do, in full; no argument was wrong
    elif isinstance(exc, TooManyRequestsResponseError):
        text = _rate_limited(exc.retry_after)
    else:
        entry = exit_code_and_hint(exc)
        code, hint = entry if entry is not None else (None, None)
        kind = _KINDS.get(code) if code is not None else None
        detail = "; ".join(part for part in (kind, hint) if part)
        text = f"{exc} ({detail})" if detail else str(exc)
    return redact(" ".join(text.split()), key)


def _shown(value: Any) -> str:
    text = repr(value)
    return f" (got {text})" if len(text) <= 60 else ""


def explain_arguments(error: ValidationError) -> str:
    """Arguments that do not fit a tool's input schema, each named, in one line."""
    problems = []
    for problem in error.errors(include_url=False):
        where = ".".join(str(part) for part in problem["loc"]) or "arguments"
        said = str(problem["msg"])
        if said == "Field required":
            problems.append(f"{where} is required")
            continue
        if problem["type"] == "extra_forbidden":
            problems.append(
                f"{where}: no such key here, so it would be dropped{_shown(problem.get('input'))}"
            )
            continue
        said = said[0].lower() + said[1:] if said else said
        problems.append(
            f"{where}: {said.replace('input should be', 'must be')}{_shown(problem.get('input'))}"
        )
    return "invalid argument: " + "; ".join(problems)
