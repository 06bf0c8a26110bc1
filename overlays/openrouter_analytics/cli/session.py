"""What every command shares once the command line is read: the key, the client, the log,
the spinner, colour, and writing to stdout and stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Final, TextIO

from openrouter_analytics._constants import API_KEY_ENV_VAR

from .exits import UsageError

if TYPE_CHECKING:
    from openrouter_analytics._client import Analytics

    from .text import Style

__all__ = ["PROG", "Session", "read_key", "say", "use_color"]

PROG: Final = "openrouter-activity"


def say(kind: str, text: str) -> None:
    """One line on stderr, ``openrouter-activity: KIND: TEXT``, every character of ``text`` that a
    terminal would act on written as its escape (see :func:`.text.printable`).
    """
    from .text import printable

    sys.stderr.write(f"{PROG}: {kind}: {printable(text)}\n")


def read_key(args: argparse.Namespace) -> str:
    """The key from ``--api-key-file`` (``-``: stdin) or the environment; UsageError if none, or
    if what was found cannot be a key (saying why, never showing it)."""
    if args.api_key_file is not None:
        source = f"--api-key-file {args.api_key_file}"
        try:
            if args.api_key_file == "-":
                raw = sys.stdin.buffer.readline(_KEY_FILE_MOST + 1)
            else:
                with open(args.api_key_file, "rb") as file:
                    raw = file.read(_KEY_FILE_MOST + 1)
        except OSError as exc:
            raise UsageError(f"cannot read the key from {source}: {exc.strerror or exc}") from None
        if len(raw) > _KEY_FILE_MOST:  # /dev/zero, a log file: not a key, however long it runs
            raise UsageError(
                f"{source} holds more than {_KEY_FILE_MOST:,} bytes: it should hold the key alone, "
                "e.g. sk-or-v1-..."
            )
        try:
            key = raw.decode("utf-8").strip()
        except UnicodeDecodeError as exc:
            raise UsageError(
                f"{source} is not UTF-8 text (an invalid byte at offset {exc.start}): it should hold the "
                "key alone, as text, e.g. sk-or-v1-..."
            ) from None
        if not key:
            empty = "stdin held no key (--api-key-file -)" if args.api_key_file == "-" else None
            raise UsageError(empty or f"{source} holds no key: the file is empty or only blank")
        lines = key.splitlines()
        if len(lines) > 1:
            raise UsageError(f"{source} holds {len(lines)} lines: it should hold the key alone, on one line")
        assignment = _ASSIGNMENT.match(key)
        if assignment:
            raise UsageError(
                f"{source} holds {assignment.group(1)}=...: it should hold the key alone, without "
                "the variable's name, e.g. sk-or-v1-..."
            )
        stdin = "the key read from stdin (--api-key-file -)"
        _check_key_shape(key, stdin if args.api_key_file == "-" else f"the key in {source}")
        return key
    key = os.environ.get(API_KEY_ENV_VAR, "").strip()
    if not key:
        raise UsageError(
            f"no API key: set {API_KEY_ENV_VAR} to a management key, or pass --api-key-file PATH"
        )
    _check_key_shape(key, f"the key in {API_KEY_ENV_VAR}")
    return key


_KEY_FILE_MOST: Final = 4096
"""Bytes --api-key-file reads at most: a key is about 75."""
_ASSIGNMENT: Final = re.compile(r"(?:export\s+)?([A-Z][A-Z0-9_]*)\s*=")
"""A line of a .env file, OPENROUTER_API_KEY=sk-or-v1-...: the name is shown, never the value."""


def _check_key_shape(key: str, source: str) -> None:
    """Refuse what cannot be a key (it goes into a header), saying what is wrong but not the key."""
    from openrouter_analytics._validation import key_flaw

    flaw = key_flaw(key)
    if flaw is not None:
        raise UsageError(
            f"{source} is not shaped like a key: it has {flaw}; a key is one word of printable ASCII, "
            "e.g. sk-or-v1-..."
        )


def use_color(choice: str, stream: TextIO) -> bool:
    """Colour on ``stream``: ``--color always|never``, else on a terminal; NO_COLOR always wins."""
    if os.environ.get("NO_COLOR"):
        return False
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and os.environ.get("TERM") != "dumb"


class Session:
    """One run of a command: its parsed options and the key."""

    def __init__(self, args: argparse.Namespace, key: str | None) -> None:
        self.args = args
        self._key = key

    @contextlib.contextmanager
    def client(self, waiting_for: str) -> Iterator[Analytics]:
        """A client built from the connection options; a spinner saying ``waiting_for`` turns on
        stderr while the block runs (unless --verbose, whose log lines tell the progress).
        """
        from openrouter_analytics._client import Analytics

        from .log import request_log
        from .spinner import Spinner

        args = self.args
        if self._key is None:
            raise UsageError(f"{args.command.name} read no key, so it cannot ask the API")
        log = request_log(self._key) if args.verbose else contextlib.nullcontext()
        spinner = contextlib.nullcontext() if args.verbose else Spinner(waiting_for, sys.stderr)
        with log, Analytics(**self.client_options()) as analytics, spinner:
            yield analytics

    def client_options(self) -> dict[str, Any]:
        """The keyword arguments of a client (sync or async) for the connection options and key."""
        args = self.args
        options: dict[str, Any] = {"api_key": self._key}
        if args.base_url is not None:
            options["base_url"] = args.base_url
        if args.timeout is not None:
            options["timeout"] = args.timeout
        if args.max_retries is not None:
            options["max_retries"] = args.max_retries
        if args.allow_insecure_http:
            options["allow_insecure_http"] = True
        return options

    @staticmethod
    def width() -> int:
        """How wide stdout's lines may be: COLUMNS when it is a whole number above 0 (as
        ``shutil.get_terminal_size`` reads it), else the terminal's width, else 80.
        """
        from .text import DEFAULT_WIDTH

        with contextlib.suppress(ValueError):
            columns = int(os.environ.get("COLUMNS", ""))
            if columns > 0:
                return columns
        try:
            if sys.stdout.isatty():
                return os.get_terminal_size(sys.stdout.fileno()).columns or DEFAULT_WIDTH
        except (OSError, ValueError):
            pass
        return DEFAULT_WIDTH

    def style(self) -> Style:
        """Colour for the result, as --color and NO_COLOR say (a file given to --output is no
        terminal: colour there only with --color always), and the characters stdout can write."""
        from .text import Style, glyphs_for

        to_file = getattr(self.args, "output", None) not in (None, "-")
        color = self.args.color if not to_file or self.args.color != "auto" else "never"
        return Style(enabled=use_color(color, sys.stdout), glyphs=glyphs_for(sys.stdout))

    def redacted(self, text: str) -> str:
        """``text`` with the key taken out, should a server have echoed it."""
        from .log import redact

        return redact(text, self._key)

    # Notes, warnings and errors may quote the server, which may have echoed the key.

    def note(self, text: str) -> None:
        """A remark on stderr, where it does not mix with the data on stdout."""
        say("note", self.redacted(text))

    def warn(self, text: str) -> None:
        """A warning on stderr."""
        say("warning", self.redacted(text))

    def error(self, text: str) -> None:
        """An error on stderr that does not stop the command (it still exits non-zero)."""
        sys.stderr.write(f"{PROG}: error: {self.redacted(text)}\n")

    @staticmethod
    def output(text: str) -> None:
        """Write the command's result to stdout; a reader that stops early is not an error.

        Characters stdout's encoding cannot write (a model name in another script, under
        ``PYTHONIOENCODING=ascii``) are written as ``?``, with a note saying so.
        """
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            text = text.encode(encoding, errors="replace").decode(encoding)
            say(
                "note",
                f"stdout's encoding, {encoding}, cannot write some characters of the output, written "
                "as '?'; set PYTHONIOENCODING=utf-8 to keep them",
            )
        Session.write_out(text)

    @staticmethod
    def write_out(text: str = "") -> None:
        """``text`` to stdout, and stdout flushed (with no text: what argparse printed there);
        a reader that stops early is not an error, a device that cannot take it is."""
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            Session.reader_gone()
        except OSError as error:  # a full disk, a device that fails: not the tool's bug
            Session.reader_gone()  # nothing more can be written, at the exit either
            raise UsageError(f"cannot write the output to stdout: {error.strerror or error}") from None

    @staticmethod
    def reader_gone() -> None:
        """The reader of stdout stopped early (`| head`): keep the exit quiet."""
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
