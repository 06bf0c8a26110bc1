"""Text for people: styling, money, counts and shortened names, shared by every table and chart."""

from __future__ import annotations

import math
import textwrap
from typing import Final

import attrs

__all__ = [
    "DEFAULT_WIDTH",
    "Style",
    "clip",
    "compact_count",
    "count",
    "money",
    "others_label",
    "plural",
    "shorten",
    "wrap",
]

DEFAULT_WIDTH: Final = 80
"""The width of a table or chart when stdout is not a terminal."""


@attrs.frozen
class Style:
    """ANSI styling for the terminal; the default, ``Style()``, adds none."""

    enabled: bool = False

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled and text else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def accent(self, text: str) -> str:
        return self._wrap("36", text)

    def alert(self, text: str) -> str:
        """Bold red: what needs acting on, such as a breached limit."""
        return self._wrap("1;31", text)


def money(value: float) -> str:
    """``$1,234.5678``: US dollars to four decimals, with thousands separators."""
    sign = "-" if value < 0 and round(value, 4) != 0 else ""
    return f"{sign}${abs(value):,.4f}"


def count(value: int) -> str:
    """``1,234,567``."""
    return f"{value:,}"


def compact_count(value: int) -> str:
    """``1.2M``: a count in three significant figures or so, for tight tables."""
    magnitude = abs(value)
    for threshold, suffix in ((1_000_000_000_000, "T"), (1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if magnitude >= threshold:
            scaled = value / threshold
            return f"{scaled:.1f}{suffix}" if abs(scaled) < 100 else f"{scaled:.0f}{suffix}"
    return str(value)


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters by an ellipsis in the middle, keeping both ends."""
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    kept = width - 1
    head = math.ceil(kept / 2)
    tail = kept - head
    return text[:head] + "…" + (text[-tail:] if tail else "")


def plural(n: int, word: str) -> str:
    """``1 model``, ``3 models``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def others_label(groups: int) -> str:
    """The label of the row that adds up what ``--top`` left out: ``(3 others)``."""
    return f"({plural(groups, 'other')})"


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters at the end: the last resort of a very narrow screen."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"[: max(0, width)]


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words where it can be."""
    return textwrap.wrap(text, max(1, width), break_on_hyphens=False) or [""]
