"""A plain aligned table of text cells, fitted to the screen: for the catalogue and query results.

When the natural widths do not fit, each step squeezes harder and the first that fits wins:
headers wider than their column's cells break at an underscore onto two lines
(``total`` over ``usage``), the columns that may shrink lose characters from the middle of their
cells (widest first, down to a floor), the gaps narrow to one space, the floor drops, and last,
columns are left out from the right. No line is ever wider than ``width``.
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


@attrs.frozen
class Column:
    """A column's header, its alignment, and whether its cells may be shortened in the middle."""

    header: str
    align: Literal["left", "right"] = "left"
    shrink: bool = False


@attrs.frozen
class Grid:
    """The lines of a rendered grid, and the headers of the columns left out for want of room."""

    lines: list[str]
    left_out: list[str]


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
) -> _Layout:
    headers = [_broken(c.header) if split else [c.header] for c in columns]
    widths = [
        max([*(len(part) for part in parts), *(len(row[i]) for row in rows)])
        for i, parts in enumerate(headers)
    ]
    if floor is not None:
        excess = sum(widths) + gap * (len(widths) - 1) - width
        while excess > 0:
            candidates = [i for i, c in enumerate(columns) if c.shrink and widths[i] > floor]
            if not candidates:
                break
            widest = max(candidates, key=lambda i: widths[i])
            widths[widest] -= 1
            excess -= 1
    return _Layout(headers, widths, gap)


def _fit(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int) -> tuple[int, _Layout]:
    """How many columns are kept, from the left, and how they are laid out."""
    kept = len(columns)
    while True:
        layout = None
        for split, gap, floor in _STEPS:
            layout = _layout(columns[:kept], rows, width=width, split=split, gap=gap, floor=floor)
            if layout.total <= width:
                return kept, layout
        if kept == 1:
            assert layout is not None
            return kept, layout
        kept -= 1


def render_grid(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], *, width: int, style: Style | None = None
) -> Grid:
    """A header (one or two lines), a rule and a line per row, at most ``width`` characters each."""
    style = style or Style()
    kept, layout = _fit(columns, rows, width)
    shown = columns[:kept]
    separator = " " * layout.gap

    def line(cells: Sequence[Cell]) -> str:
        parts = []
        for cell, column, size in zip(cells, shown, layout.widths, strict=False):
            text = shorten(cell, size)
            parts.append(text.rjust(size) if column.align == "right" else text.ljust(size))
        return clip(separator.join(parts).rstrip(), width)

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
    rule = clip(separator.join("─" * size for size in layout.widths), width)
    lines = [*(style.bold(text) for text in header_lines), style.dim(rule), *(line(row) for row in rows)]
    return Grid(lines, [column.header for column in columns[kept:]])
