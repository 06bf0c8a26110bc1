"""``main()``: read the command line, run the command, turn every error into one line and an exit code.

The exit codes are listed in :data:`.exits.EXIT_CODES_HELP`. Every error is one line on stderr,
in the tool's own words, with a hint where one helps.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Final

from .exits import (
    EXIT_BUG,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    exit_code_and_hint,
    in_tool_terms,
)
from .parser import parse_args
from .session import PROG, Session, read_key, say

__all__ = ["main"]

_MESSAGE_CHARS: Final = 300


# The history's errors are the tool's own sentences around a path and account names, with what
# to do at the end: a long path must not cut that off.
_OWN_MESSAGE_CHARS: Final = 1000


def _one_line(message: str, secret: str | None, limit: int = _MESSAGE_CHARS) -> str:
    """A message on one line, the key taken out should it appear (before it is capped, so no part
    of it is left), what a terminal would act on escaped, capped.
    """
    from .log import redact
    from .text import clip, glyphs_for

    return clip(redact(" ".join(message.split()), secret), limit, glyphs_for(sys.stderr).ellipsis)


def _limit(exc: BaseException) -> int:
    # Only a loaded history raises its errors: no import for the others.
    history = sys.modules.get("openrouter_analytics.history")
    return (
        _OWN_MESSAGE_CHARS
        if history is not None and isinstance(exc, history.HistoryError)
        else _MESSAGE_CHARS
    )


def _message(exc: BaseException, args: argparse.Namespace | None) -> str:
    from openrouter_analytics.errors import InvalidParameterError

    message = str(exc) or type(exc).__name__
    if isinstance(exc, InvalidParameterError):
        return in_tool_terms(message, exc.parameter, args)
    return message


def _hint(exc: BaseException, args: argparse.Namespace | None, general: str | None) -> str | None:
    command = getattr(args, "command", None)
    own = command.hint(exc, args) if command is not None else None
    return own if own is not None else general


class _Stopped(BaseException):
    """SIGTERM or SIGHUP (a supervisor's, a closed terminal's), raised where the tool is, as
    Ctrl-C raises KeyboardInterrupt: what it was writing is cleaned up on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    raise _Stopped(signum)


@contextlib.contextmanager
def _stopped_as_interrupts() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():  # only there can it be caught
        yield
        return
    previous = {signum: signal.signal(signum, _stop) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: list[str] | None = None) -> int:
    """Run ``openrouter-activity`` with ``argv`` (default: the process's); return the exit code."""
    with _stopped_as_interrupts():
        return _main(argv)


def _printed_and_exited(exc: SystemExit) -> int:
    """The exit code of --help or --version once what argparse printed is out: the help on a
    full disk is as much an error as a report."""
    try:
        Session.write_out()
    except UsageError as error:
        say("error", str(error))
        return EXIT_USAGE
    return exc.code if isinstance(exc.code, int) else EXIT_OK


def _main(argv: list[str] | None) -> int:
    args: argparse.Namespace | None = None
    secret: str | None = None
    try:
        args = parse_args(argv)
        args.command.check(args)
        secret = read_key(args) if args.command.needs_key(args) else None
        code: int = args.command.run(args, Session(args, secret))
        return code
    except SystemExit as exc:  # --help and --version
        return _printed_and_exited(exc)
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{PROG}: interrupted\n")
        return EXIT_INTERRUPTED
    except _Stopped as stopped:
        name = signal.Signals(stopped.signum).name
        sys.stderr.write(f"\n{PROG}: stopped by {name}\n")
        return 128 + stopped.signum
    except Exception as exc:
        entry = exit_code_and_hint(exc)
        if entry is None:
            verbose = args is not None and args.verbose
            if verbose:
                import traceback

                from .log import redact
                from .text import printable

                trace = redact(traceback.format_exc(), secret)
                sys.stderr.writelines(printable(line) + "\n" for line in trace.rstrip("\n").split("\n"))
            line = _one_line(str(exc) or type(exc).__name__, secret)
            more = "" if verbose else " (--verbose shows more)"
            say("internal error", f"{line}{more}")
            return EXIT_BUG
        code, general = entry
        hint = _hint(exc, args, general)
        line = _one_line(_message(exc, args), secret, _limit(exc))
        say("error", f"{line} ({_one_line(hint, secret)})" if hint else line)
        return code
