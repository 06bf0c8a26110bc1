"""``main()``: read the command line, run the command, turn every error into one line and an exit code.

Exit codes: 0 success, 2 usage or invalid input, 3 authentication or permission (401, 403),
4 other API errors, 5 network or timeout. Every error is one line on stderr.
"""

from __future__ import annotations

import sys
from typing import Final

from .exits import EXIT_BUG, EXIT_INTERRUPTED, EXIT_OK, exit_code_and_hint
from .parser import build_parser
from .session import PROG, Session, read_key

__all__ = ["main"]

_MESSAGE_CHARS: Final = 300


def _one_line(exc: BaseException, secret: str | None) -> str:
    """The error's own message on one line, capped, with the key taken out should it appear."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    if len(message) > _MESSAGE_CHARS:
        message = message[: _MESSAGE_CHARS - 1] + "…"
    return message.replace(secret, "***") if secret else message


def main(argv: list[str] | None = None) -> int:
    """Run ``openrouter-activity`` with ``argv`` (default: the process's); return the exit code."""
    args = None
    secret: str | None = None
    try:
        args = build_parser().parse_args(argv)
        args.command.check(args)
        secret = read_key(args)
        code: int = args.command.run(args, Session(args, secret))
        return code
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{PROG}: interrupted\n")
        return EXIT_INTERRUPTED
    except Exception as exc:
        entry = exit_code_and_hint(exc, args)
        if entry is None:
            if args is not None and args.verbose:
                raise
            sys.stderr.write(f"{PROG}: internal error: {_one_line(exc, secret)} (--verbose shows more)\n")
            return EXIT_BUG
        code, hint = entry
        line = f"{PROG}: error: {_one_line(exc, secret)}"
        sys.stderr.write(f"{line} ({hint})\n" if hint else f"{line}\n")
        return code
