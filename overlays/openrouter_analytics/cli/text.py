"""Text for people: what a terminal may be sent, how wide it is drawn, styling, money, counts and
shortened names, shared by every table, chart and message.

Text from a server (names people gave to workspaces, keys, members; error messages) reaches
the terminal through :func:`printable` alone: every character a terminal would act on rather
than draw, or that would make a name look like another, is written as its escape (``\\x1b``).
Widths are display widths (a CJK character takes two cells, a combining accent none), measured
by ``wcwidth``, and text is cut between whole characters as a person sees them (graphemes).
"""

from __future__ import annotations

import math
import re
from typing import Final

import attrs

from openrouter_analytics._printable import escape, printable

# wcwidth is imported where a width is measured: loading its tables takes a tenth of a second,
# which a command writing CSV or JSON never needs.

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
    "others_label",
    "pad",
    "plural",
    "printable",
    "shorten",
    "split_to_width",
    "width_of",
    "wrap",
]

DEFAULT_WIDTH: Final = 80
"""The width of a table or chart when neither COLUMNS nor a terminal gives one."""


def width_of(text: str) -> int:
    """How many cells ``text`` takes on a terminal: two for a wide (East Asian) character or
    emoji, none for a combining accent; control characters count as their escapes.
    """
    text = printable(text)
    if text.isascii():
        return len(text)
    import wcwidth

    return max(0, wcwidth.wcswidth(text))


def pad(text: str, width: int, align: str = "left") -> str:
    """``text`` with spaces added on the right (``align="left"``) or left up to ``width`` cells."""
    room = " " * max(0, width - width_of(text))
    return room + text if align == "right" else text + room


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


def _graphemes_within(text: str, room: int, *, from_end: bool = False) -> str:
    """The longest start (or end) of ``text`` made of whole graphemes at most ``room`` cells wide."""
    import wcwidth

    kept: list[str] = []
    used = 0
    graphemes = list(wcwidth.iter_graphemes(text))
    for grapheme in reversed(graphemes) if from_end else graphemes:
        size = width_of(grapheme)
        if used + size > room:
            break
        kept.append(grapheme)
        used += size
    return "".join(reversed(kept) if from_end else kept)


def shorten(text: str, width: int, ellipsis: str = UNICODE.ellipsis) -> str:
    """``text`` cut to ``width`` cells by an ellipsis in the middle, keeping both ends; with room
    for fewer than :data:`_BOTH_ENDS` cells, its start only. Only for text meant to be read:
    names a user types back are never shortened.
    """
    text = printable(text)
    if width_of(text) <= width:
        return text
    if width <= len(ellipsis):
        return ellipsis[: max(0, width)]
    kept = width - len(ellipsis)
    if kept < _BOTH_ENDS:
        return _graphemes_within(text, kept) + ellipsis
    head = _graphemes_within(text, math.ceil(kept / 2))
    tail = _graphemes_within(text[len(head) :], kept - width_of(head), from_end=True)
    return head + ellipsis + tail


def clip(text: str, width: int, ellipsis: str = UNICODE.ellipsis) -> str:
    """``text`` cut to ``width`` cells at the end: for messages, never for a table's cells."""
    text = printable(text)
    if width_of(text) <= width:
        return text
    if width <= len(ellipsis):
        return ellipsis[: max(0, width)]
    return _graphemes_within(text, width - len(ellipsis)) + ellipsis


def split_to_width(text: str, width: int) -> list[str]:
    """``text`` in pieces of at most ``width`` cells, cut between graphemes, nothing left out:
    how a value too long for its line is shown whole. A grapheme wider than ``width`` (a CJK
    character on a line of one cell) is written as its escape, which fits.
    """
    import wcwidth

    width = max(1, width)
    pieces: list[str] = []
    line, used = "", 0
    for grapheme in wcwidth.iter_graphemes(printable(text)):
        size = width_of(grapheme)
        parts = [grapheme] if size <= width else list("".join(escape(char) for char in grapheme))
        for part in parts:
            size = width_of(part)
            if used + size > width:
                pieces.append(line)
                line, used = "", 0
            line += part
            used += size
    pieces.append(line)
    return pieces


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between words where it can be and
    inside a word only when it is longer than a line.
    """
    import wcwidth

    lines: list[str] = []
    for line in wcwidth.wrap(printable(text), max(1, width), break_on_hyphens=False) or [""]:
        lines.extend(split_to_width(line, width) if width_of(line) > width else [line])
    return lines


def plural(n: int, word: str) -> str:
    """``1 model``, ``3 models``, ``100,000 endpoints``."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def others_label(groups: int) -> str:
    """The label of the row that adds up what ``--top`` left out: ``(3 others)``."""
    return f"({plural(groups, 'other')})"
