"""An aligned table of text cells, fitted to the screen: for the report, the catalogue and query
results alike, so that one rule decides what a narrow screen gives up.

The rule: nothing a user must copy is cut. Columns that tell rows apart (a report's groups,
a query's time buckets and dimensions, the catalogue's names) and numbers (money keeps its four
decimals) are always shown whole; only text meant to be read (a label, a title) may be
shortened, in the middle. When the natural widths do not fit, each step squeezes harder and the
first that fits wins: the tighter ways of drawing the rows a table offers (the report leaves out
columns holding only zeros, then writes token counts as ``12.3M``), headers wider than their
column's cells break at an underscore onto two lines (``total`` over ``usage``), free text loses
characters from the middle (down to a floor), the gaps narrow to one space, the floor drops; then
columns are left out from the right, except those to keep, and :meth:`Grid.note` names them and
the width that shows them all. When even the columns to keep do not fit, each row becomes a
record, one field per line (like ``psql``'s ``\\x``), its values wrapped, never cut. Widths are
display widths (see :func:`.text.width_of`), and every cell passes through
:func:`.text.printable` on the way in. No line is ever wider than ``width``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

import attrs

from .text import Style, clip, pad, printable, shorten, split_to_width, width_of

__all__ = ["Cell", "Column", "Grid", "Sheet", "render_grid"]

Cell = str

# (break headers, gap, floor of a shortened free-text column), in the order they are tried
_STEPS: Final = ((False, 2, None), (True, 2, 24), (True, 1, 24), (True, 1, 10))
_RECORD_GAP: Final = 2


@attrs.frozen
class Column:
    """A column's header, its alignment, and how it may give up room.

    ``shrink``: its cells are free text, which may be shortened in the middle (never a name a
    user types back, never a number). ``keep``: it is never left out (the columns that tell rows
    apart, the first metric). ``name``: what a note calls it (default: the header); ``remark``:
    said beside that name when it is left out, such as ``all zero``.
    """

    header: str
    align: Literal["left", "right"] = "left"
    shrink: bool = False
    keep: bool = False
    name: str = ""
    remark: str = ""

    @property
    def called(self) -> str:
        return self.name or self.header


@attrs.frozen
class Sheet:
    """One way of drawing the rows: columns, a row of cells per body line, and rows drawn below a
    second rule (a totals row). A table may offer tighter sheets of the same rows, with fewer or
    shorter columns, matched to the first by :attr:`Column.called`.
    """

    columns: Sequence[Column]
    rows: Sequence[Sequence[Cell]]
    footer: Sequence[Sequence[Cell]] = ()


@attrs.frozen
class Grid:
    """The lines of a rendered grid, the columns left out for want of room (as a note names them),
    whether rows were drawn as records, and, when either happened, the width that shows every
    column as a table.
    """

    lines: list[str]
    left_out: list[str]
    needed: int | None = None
    records: bool = False
    wrapped: bool = False
    """Whether a record's value was longer than a line, so wrapped."""

    def note(self, width: int, complete: str) -> str | None:
        """What the screen cost, for stderr, or None; ``complete`` names what has every column
        whatever the width (``--format csv or json``).
        """
        if self.records:
            wrapped = ", values longer than a line wrapped" if self.wrapped else ""
            return (
                f"{width} columns are too narrow for the table, so each row is a record, one field per "
                f"line{wrapped}; {self.needed} columns show the table"
            )
        if self.left_out:
            them = "it" if len(self.left_out) == 1 else "them"
            return (
                f"{width} columns leave out {', '.join(self.left_out)}; {self.needed} columns show {them}, "
                f"as does {complete}"
            )
        return None


def _broken(header: str) -> list[str]:
    """``header`` on two lines at the underscore that makes the wider line narrowest."""
    cuts = [i for i, char in enumerate(header) if char == "_"]
    if not cuts:
        return [header]
    cut = min(cuts, key=lambda i: max(width_of(header[:i]), width_of(header[i + 1 :])))
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
    heads = [max(width_of(part) for part in parts) for parts in headers]
    widths = [max([heads[i], *(width_of(row[i]) for row in rows)]) for i in range(len(columns))]
    if floor is not None:
        excess = sum(widths) + gap * (len(widths) - 1) - width
        while excess > 0:
            candidates = [i for i, c in enumerate(columns) if c.shrink and widths[i] > max(floor, heads[i])]
            if not candidates:
                break
            widest = max(candidates, key=lambda i: widths[i])
            widths[widest] -= 1
            excess -= 1
    return _Layout(headers, widths, gap)


@attrs.frozen
class _Fit:
    sheet: Sheet
    kept: list[int]
    layout: _Layout


def _select(sheet: Sheet, kept: Sequence[int]) -> tuple[list[Column], list[list[Cell]]]:
    columns = [sheet.columns[i] for i in kept]
    rows = [[row[i] for i in kept] for row in [*sheet.rows, *sheet.footer]]
    return columns, rows


def _tries(sheets: Sequence[Sheet]) -> list[tuple[Sheet, bool, int, int | None]]:
    """The ways of drawing every column, in order: each sheet as it is, then the last squeezed."""
    return [(sheet, *_STEPS[0]) for sheet in sheets] + [(sheets[-1], *step) for step in _STEPS[1:]]


def _fit(sheets: Sequence[Sheet], width: int) -> _Fit | None:
    """The first way of drawing that fits ``width``, or None when not even the columns to keep do."""
    for sheet, split, gap, floor in _tries(sheets):
        kept = list(range(len(sheet.columns)))
        columns, rows = _select(sheet, kept)
        layout = _layout(columns, rows, width=width, split=split, gap=gap, floor=floor)
        if layout.total <= width:
            return _Fit(sheet, kept, layout)
    sheet = sheets[-1]
    kept = list(range(len(sheet.columns)))
    while True:
        optional = [i for i in kept if not sheet.columns[i].keep]
        if not optional or len(kept) == 1:
            return None
        kept.remove(optional[-1])
        columns, rows = _select(sheet, kept)
        for split, gap, floor in _STEPS:
            layout = _layout(columns, rows, width=width, split=split, gap=gap, floor=floor)
            if layout.total <= width:
                return _Fit(sheet, kept, layout)


def _least_width(sheets: Sequence[Sheet], names: set[str] | None = None) -> int:
    """The narrowest screen on which the table shows every column named in ``names``; with
    None, on which it is a table at all (its columns to keep, or else its first).
    """
    totals = []
    if names is None:
        sheet = sheets[-1]
        columns, rows = _select(sheet, [i for i, c in enumerate(sheet.columns) if c.keep] or [0])
        tries = [(sheet, *step) for step in _STEPS]
    else:
        tries = [t for t in _tries(sheets) if names <= {c.called for c in t[0].columns}]
    for sheet, split, gap, floor in tries:
        if names is not None:
            columns, rows = _select(sheet, range(len(sheet.columns)))
        totals.append(_layout(columns, rows, width=0, split=split, gap=gap, floor=floor).total)
    return min(totals)


def _escaped(sheet: Sheet) -> Sheet:
    return Sheet(
        [attrs.evolve(c, header=printable(c.header)) for c in sheet.columns],
        [[printable(cell) for cell in row] for row in sheet.rows],
        [[printable(cell) for cell in row] for row in sheet.footer],
    )


def _table_lines(fit: _Fit, style: Style) -> list[str]:
    columns, _ = _select(fit.sheet, fit.kept)
    layout = fit.layout
    separator = " " * layout.gap
    glyphs = style.glyphs

    def line(cells: Sequence[Cell]) -> str:
        parts = []
        for cell, column, size in zip(cells, columns, layout.widths, strict=True):
            text = shorten(cell, size, glyphs.ellipsis) if column.shrink else cell
            parts.append(pad(text, size, column.align))
        return separator.join(parts).rstrip()

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
    rule = style.dim(separator.join(glyphs.rule * size for size in layout.widths))
    body = [line([row[i] for i in fit.kept]) for row in fit.sheet.rows]
    footer = [style.bold(line([row[i] for i in fit.kept])) for row in fit.sheet.footer]
    return [
        *(style.bold(text) for text in header_lines),
        rule,
        *body,
        *([rule, *footer] if footer else []),
    ]


def _field_lines(name: str, value: str, name_width: int, width: int) -> list[str]:
    """A field of a record: its name and value on one line when the value fits beside the names,
    else the value on lines of its own below, indented when that leaves it on one line, wrapped
    only when longer than a line.
    """
    if name_width + _RECORD_GAP + width_of(value) <= width:
        return [(pad(name, name_width) + " " * _RECORD_GAP + value).rstrip()]
    indent = " " * _RECORD_GAP if width_of(value) + _RECORD_GAP <= width else ""
    return [
        *split_to_width(name, width),
        *(indent + piece for piece in split_to_width(value, width - len(indent))),
    ]


def _record_lines(sheet: Sheet, width: int, style: Style) -> tuple[list[str], bool]:
    """Each row as a record: a numbered rule, then a line per field; and whether a value was
    longer than a line, so wrapped.
    """
    names = [column.header for column in sheet.columns]
    name_width = max(width_of(name) for name in names)
    rows = [*sheet.rows, *sheet.footer]
    rule = style.glyphs.rule
    lines: list[str] = []
    for number, row in enumerate(rows, start=1):
        head = clip(f"{rule * 2} {number} of {len(rows)} ", width, style.glyphs.ellipsis)
        lines.append(style.dim(head + rule * (width - width_of(head))))
        for name, cell in zip(names, row, strict=True):
            lines.extend(_field_lines(name, cell, name_width, width))
    wrapped = any(width_of(cell) + _RECORD_GAP > width for row in rows for cell in row)
    return lines, wrapped


def render_grid(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    *,
    width: int,
    style: Style | None = None,
    footer: Sequence[Sequence[Cell]] = (),
    tighter: Sequence[Sheet] = (),
) -> Grid:
    """A header (one or two lines), a rule and a line per row, then, if there is a ``footer``,
    another rule and its rows; or, when not even the columns to keep fit, a record per row. At
    most ``width`` cells a line. ``tighter`` are other ways of drawing the same rows, tried in
    order when the first does not fit.
    """
    style = style or Style()
    width = max(1, width)
    sheets = [_escaped(sheet) for sheet in (Sheet(columns, rows, footer), *tighter)]
    fit = _fit(sheets, width)
    if fit is None:
        lines, wrapped = _record_lines(sheets[0], width, style)
        return Grid(lines, [], _least_width(sheets), records=True, wrapped=wrapped)
    if fit.sheet is sheets[0]:
        left_out = [column for i, column in enumerate(sheets[0].columns) if i not in fit.kept]
    else:
        shown = {fit.sheet.columns[i].called for i in fit.kept}
        left_out = [column for column in sheets[0].columns if column.called not in shown]
    if not left_out:
        return Grid(_table_lines(fit, style), [])
    named = [f"{c.called} ({c.remark})" if c.remark else c.called for c in left_out]
    needed = _least_width(sheets, {column.called for column in left_out})
    return Grid(_table_lines(fit, style), named, needed)
