"""Text for people: styling, money, counts and shortened names, shared by every table and chart."""

from __future__ import annotations

import math
import re
import textwrap
from typing import Final

import attrs

__all__ = [
    "ASCII",
    "DEFAULT_WIDTH",
    "UNICODE",
    "Glyphs",
    "Style",
    "clip",
    "compact_count",
    "count",
    "glyphs_for",
    "is_key",
    "money",
    "money_in_cents",
    "others_label",
    "plural",
    "printable",
    "shorten",
    "wrap",
]

DEFAULT_WIDTH: Final = 80
"""The width of a table or chart when neither COLUMNS nor a terminal gives one."""


@attrs.frozen
class Glyphs:
    """The characters tables, charts and the spinner are drawn with."""

    rule: str
    ellipsis: str
    full: str
    """A bar's whole cell."""
    partials: tuple[str, ...]
    """``partials[n]`` fills n steps of a cell, left to right; there are len(partials) steps."""
    separator: str
    """Between the parts of a label (a day and a model)."""
    frames: str
    """The spinner's frames."""


UNICODE: Final = Glyphs(
    rule="─",
    ellipsis="…",
    full="█",
    partials=("", "▏", "▎", "▍", "▌", "▋", "▊", "▉"),
    separator=" · ",
    frames="⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏",
)
ASCII: Final = Glyphs(rule="-", ellipsis="...", full="#", partials=("",), separator=" | ", frames="|/-\\")


def glyphs_for(stream: object) -> Glyphs:
    """:data:`UNICODE` when ``stream``'s encoding can write it, else :data:`ASCII`
    (``PYTHONIOENCODING=ascii``, a Windows code page, a C locale).
    """
    encoding = getattr(stream, "encoding", None) or "utf-8"
    drawn = UNICODE.rule + UNICODE.ellipsis + UNICODE.full + "".join(UNICODE.partials)
    try:
        (drawn + UNICODE.separator + UNICODE.frames).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return ASCII
    return UNICODE


@attrs.frozen
class Style:
    """ANSI styling for the terminal and the characters to draw with; the default, ``Style()``,
    adds no styling and draws with Unicode.
    """

    enabled: bool = False
    glyphs: Glyphs = UNICODE

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


def money_in_cents(value: float) -> str:
    """``$1,234.57``: :func:`money` to the cent, for a table too narrow for four decimals."""
    sign = "-" if value < 0 and round(value, 2) != 0 else ""
    return f"{sign}${abs(value):,.2f}"


# A workspace or endpoint id (a UUID), or a key's hash (hex digits): text a user may paste
# into --workspace-id or --api-key-hash, which a shortened one cannot be.
_KEY: Final = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32,}")


def is_key(text: str) -> bool:
    """Whether ``text`` is an id or hash a user may copy, which must never be shortened."""
    return _KEY.fullmatch(text) is not None


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


_BOTH_ENDS: Final = 6  # fewer kept characters read better as a start than as two stubs


def shorten(text: str, width: int, ellipsis: str = UNICODE.ellipsis) -> str:
    """``text`` cut to ``width`` characters by an ellipsis in the middle, keeping both ends;
    with room for fewer than :data:`_BOTH_ENDS` characters, its start only.
    """
    if len(text) <= width:
        return text
    if width <= len(ellipsis):
        return ellipsis[: max(0, width)]
    kept = width - len(ellipsis)
    if kept < _BOTH_ENDS:
        return text[:kept] + ellipsis
    head = math.ceil(kept / 2)
    tail = kept - head
    return text[:head] + ellipsis + (text[-tail:] if tail else "")


def plural(n: int, word: str) -> str:
    """``1 model``, ``3 models``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def others_label(groups: int) -> str:
    """The label of the row that adds up what ``--top`` left out: ``(3 others)``."""
    return f"({plural(groups, 'other')})"


def clip(text: str, width: int, ellipsis: str = UNICODE.ellipsis) -> str:
    """``text`` cut to ``width`` characters at the end: the last resort of a very narrow screen."""
    if len(text) <= width:
        return text
    if width <= len(ellipsis):
        return ellipsis[: max(0, width)]
    return text[: width - len(ellipsis)] + ellipsis


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words where it can be."""
    return textwrap.wrap(text, max(1, width), break_on_hyphens=False) or [""]


def printable(text: str) -> str:
    """``text`` with what a terminal would act on (escape sequences, other control and invisible
    characters) shown as ``\\x1b``-style escapes instead."""
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() or char == " " else char.encode("unicode_escape").decode("ascii")
        for char in text
    )
