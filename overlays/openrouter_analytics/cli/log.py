"""--verbose: the package's request log on stderr, with the key taken out of every line and what
a terminal would act on escaped.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterator

from openrouter_analytics._constants import LOGGER_NAME
from openrouter_analytics._redact import REDACTED, redact

__all__ = ["REDACTED", "redact", "request_log"]


class _RedactingFormatter(logging.Formatter):
    """Takes the key out of every formatted log line, tracebacks included, whoever logged it."""

    def __init__(self, secret: str) -> None:
        super().__init__("%(asctime)s %(name)s %(levelname)s %(message)s")
        self._secret = secret

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        # UTC, as every day and time the tool shows: 2026-11-26T07:59:38.992Z
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        from .text import printable

        # A traceback's lines stay lines; any other line break (a server's \r) is escaped.
        lines = redact(super().format(record), self._secret).split("\n")
        return "\n".join(printable(line) for line in lines)


@contextlib.contextmanager
def request_log(secret: str) -> Iterator[None]:
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
