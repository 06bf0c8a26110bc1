"""A spinner on stderr while a request runs, shown only on a terminal and only after a delay.

Quick answers print nothing extra, and pipes and log files never see a spinner frame. A
terminal whose encoding cannot write the braille frames gets ASCII ones.
"""

from __future__ import annotations

import os
import threading
import time
from types import TracebackType
from typing import Final, TextIO

from .text import UNICODE, glyphs_for, printable

__all__ = ["Spinner"]

_CLEAR_LINE: Final = "\r\x1b[2K"


class Spinner:
    """Context manager: after ``delay`` seconds, spin ``message`` on ``stream`` until exit.

    Does nothing unless ``stream`` is a terminal, and not ``TERM=dumb``. On exit the line is
    cleared, so whatever is written next starts on a clean line.
    """

    def __init__(self, message: str, stream: TextIO, *, delay: float = 1.0, interval: float = 0.1) -> None:
        glyphs = glyphs_for(stream)
        self._frames = glyphs.frames
        self._message = printable(message.replace(UNICODE.ellipsis, glyphs.ellipsis))
        self._stream = stream
        self._delay = delay
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._drawn = False

    def _run(self) -> None:
        if self._stop.wait(self._delay):
            return
        started = time.monotonic() - self._delay
        frame = 0
        while True:
            elapsed = time.monotonic() - started
            self._stream.write(
                f"{_CLEAR_LINE}{self._frames[frame % len(self._frames)]} {self._message} {elapsed:.0f}s"
            )
            self._stream.flush()
            self._drawn = True
            frame += 1
            if self._stop.wait(self._interval):
                return

    def __enter__(self) -> Spinner:
        # A dumb terminal (Emacs' shell) draws the line-clearing escapes as text.
        if self._stream.isatty() and os.environ.get("TERM") != "dumb":
            self._thread = threading.Thread(target=self._run, name="openrouter-activity-spinner", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        if self._drawn:
            self._stream.write(_CLEAR_LINE)
            self._stream.flush()
