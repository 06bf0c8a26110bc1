"""A plain aligned table of text cells, fitted to the screen: for the catalogue and query results.

When the natural widths do not fit, each step squeezes harder and the first that fits wins:
headers wider than their column's cells break at an underscore onto two lines
(``total`` over ``usage``), the columns that may shrink lose characters from the middle of their
cells (widest first, down to a floor), the gaps narrow to one space, the floor drops, and then
columns are left out from the right, except those to keep. When even the columns to keep do not
fit, their cells (keys among them) are shortened further, and the grid says how wide it needs
to be. No line is ever wider than ``width``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

import attrs

from .text import Style, clip, shorten

__all__ = ["Cell", "Column", "Grid", "render_grid"]

Cell = str

# (break headers, gap, floor of a shrinking column), in the order they are tried
_STEPS: Final = ((False, 2, None), (True, 2, 24), (True, 1, 24), (True, 1, 10))
_LAST_FLOOR: Final = 3  # the floor when the columns to keep do not fit otherwise


@attrs.frozen
class Column:
    """A column's header, its alignment, and how it may give up room.

    ``shrink``: its cells may be shortened in the middle. ``keep``: it is never left out (the
    columns that tell rows apart, the first metric). ``key``: its cells are ids a user may copy,
    shortened only when the columns to keep do not fit otherwise.
    """

    header: str
    align: Literal["left", "right"] = "left"
    shrink: bool = False
    keep: bool = False
    key: bool = False


@attrs.frozen
class Grid:
    """The lines of a rendered grid, the headers of the columns left out for want of room, and,
    when the columns to keep had to be squeezed below the usual floor, the width they need.
    """

    lines: list[str]
    left_out: list[str]
    needed: int | None = None


def _broken(header: str) -> list[str]:
    """``header`` on two lines at the underscore that makes the wider line narrowest."""
    cuts = [i for i, char in enumerate(header) if char == "_"]
    if not cuts:
        return [header]
    cut = min(cuts, key=lambda i: max(i, len(header) - i - 1))
    return [header[:cut], header[cut + 1 :]]


@attrs.frozen
class _Layout:
    headers: list[list[str]]
    widths: list[int]
    gap: int

    @property
    def total(self) -> int:
        return sum(self.widths) + self.gap * (len(self.widths) - 1)


def _layout(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    *,
    width: int,
    split: bool,
    gap: int,
    floor: int | None,
    keys_too: bool = False,
) -> _Layout:
    headers = [_broken(c.header) if split else [c.header] for c in columns]
    widths = [
        max([*(len(part) for part in parts), *(len(row[i]) for row in rows)])
        for i, parts in enumerate(headers)
    ]
    if floor is not None:
        excess = sum(widths) + gap * (len(widths) - 1) - width
        while excess > 0:
            candidates = [
                i for i, c in enumerate(columns) if (c.shrink or (keys_too and c.key)) and widths[i] > floor
            ]
            if not candidates:
                break
            widest = max(candidates, key=lambda i: widths[i])
            widths[widest] -= 1
            excess -= 1
    return _Layout(headers, widths, gap)


def _fit(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int
) -> tuple[list[int], _Layout, int | None]:
    """Which columns are kept (their indexes), how they are laid out, and the width they need
    when they had to be squeezed to fit.
    """
    kept = list(range(len(columns)))
    while True:
        shown = [columns[i] for i in kept]
        cells = [[row[i] for i in kept] for row in rows]
        for split, gap, floor in _STEPS:
            layout = _layout(shown, cells, width=width, split=split, gap=gap, floor=floor)
            if layout.total <= width:
                return kept, layout, None
        optional = [i for i in kept if not columns[i].keep]
        if len(kept) == 1 or not optional:
            break
        kept.remove(optional[-1])
    squeezed = _layout(shown, cells, width=width, split=True, gap=1, floor=_LAST_FLOOR, keys_too=True)
    return kept, squeezed, layout.total


def render_grid(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], *, width: int, style: Style | None = None
) -> Grid:
    """A header (one or two lines), a rule and a line per row, at most ``width`` characters each."""
    style = style or Style()
    kept, layout, needed = _fit(columns, rows, width)
    shown = [columns[i] for i in kept]
    separator = " " * layout.gap
    glyphs = style.glyphs

    def line(cells: Sequence[Cell]) -> str:
        parts = []
        for cell, column, size in zip(cells, shown, layout.widths, strict=True):
            text = shorten(cell, size, glyphs.ellipsis)
            parts.append(text.rjust(size) if column.align == "right" else text.ljust(size))
        return clip(separator.join(parts).rstrip(), width, glyphs.ellipsis)

    depth = max(len(parts) for parts in layout.headers)
    header_lines = [
        line(
            [
                parts[level - (depth - len(parts))] if level >= depth - len(parts) else ""
                for parts in layout.headers
            ]
        )
        for level in range(depth)
    ]
    rule = clip(separator.join(glyphs.rule * size for size in layout.widths), width, glyphs.ellipsis)
    body = [line([row[i] for i in kept]) for row in rows]
    lines = [*(style.bold(text) for text in header_lines), style.dim(rule), *body]
    return Grid(lines, [column.header for i, column in enumerate(columns) if i not in kept], needed)
