"""Text from a server made safe to show: one rule for every message, table and chart.

Used by the errors (their ``str()`` is printed in tracebacks and logs) and by the command-line
tool, which draws nothing a server wrote without it.
"""

from __future__ import annotations

import unicodedata
from typing import Final

__all__ = ["escape", "printable"]

# What is written as an escape: controls (C0, DEL, C1), format characters (bidi overrides such
# as U+202E, zero-width spaces and joiners, soft hyphens, tags), surrogates, private-use and
# unassigned code points, line and paragraph separators; and the Hangul fillers, letters drawn
# as blanks. A terminal would act on them, draw them at a width no table agrees on, or draw
# nothing where a name has something.
_ESCAPED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_BLANK_LETTERS: Final = frozenset("\u115f\u1160\u3164\uffa0")
_SHORT_ESCAPES: Final = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escaped(char: str) -> bool:
    return unicodedata.category(char) in _ESCAPED_CATEGORIES or char in _BLANK_LETTERS


def escape(char: str) -> str:
    """``\\x1b``, ``\\r``, ``\\u202e``, ``\\U000e0041``: as Python writes it in a string."""
    short = _SHORT_ESCAPES.get(char)
    if short is not None:
        return short
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` as it may be drawn on a terminal: every control character (``\\x1b``, ``\\r``,
    ``\\x00``, C1 ``\\x9b``, DEL), format character (bidi overrides like U+202E, zero-width
    spaces), surrogate, private-use or unassigned code point written as its escape (``\\x1b``,
    ``\\u202e``); everything else as it is. Applying it twice changes nothing more.

    The one way text the tool did not write itself reaches a person: tables, charts, notes
    and errors call it; machine formats (CSV, JSON) never do.
    """
    if text.isascii() and text.isprintable():
        return text
    return "".join(escape(char) if _escaped(char) else char for char in text)
