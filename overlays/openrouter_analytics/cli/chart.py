"""A horizontal bar chart of cost per group, drawn with Unicode blocks in eighths of a cell,
or with ``#`` in whole cells on a stream that cannot write them.

2026-09-01 Tue  ███████████████████████████▋                       $52.6146
2026-09-06 Sun  ██████▍                                            $12.0833
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Final

from openrouter_analytics.summary import Summary

from .table import caption
from .text import DEFAULT_WIDTH, UNICODE, Glyphs, Style, clip, is_key, money, others_label, shorten, wrap

__all__ = ["bar", "draw_bars", "render_chart"]

# PARTIALS[n] fills n eighths of a cell, left to right.
PARTIALS: Final = UNICODE.partials
FULL: Final = UNICODE.full
_LABEL_MAX: Final = 36  # a workspace id (a UUID) whole
_LABEL_READABLE: Final = 10  # what a label keeps, at least, before the bars are left out
_MIN_CELLS: Final = 8
_GAP: Final = 2


def bar(value: float, largest: float, cells: int, glyphs: Glyphs = UNICODE) -> str:
    """A bar ``cells`` wide at ``largest``, to the nearest step of a cell (an eighth in Unicode,
    a whole cell in ASCII); any cost above zero shows.
    """
    if cells <= 0 or largest <= 0 or value <= 0:
        return ""
    per_cell = len(glyphs.partials)
    steps = min(round(value / largest * cells * per_cell), cells * per_cell)
    steps = max(steps, 1)
    return glyphs.full * (steps // per_cell) + glyphs.partials[steps % per_cell]


def _days(first: str, last: str) -> Iterator[str]:
    day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    while day <= end:
        yield day.isoformat()
        day += dt.timedelta(days=1)


def _daily_bars(summary: Summary) -> list[tuple[str, float]] | None:
    """A bar per day from the first to the last, or None unless the rows are whole days in order."""
    by_key = {row.key: row for row in summary.rows}
    keys = [row.key for row in summary.rows]
    if summary.by != "date" or not keys or summary.other is not None or keys != sorted(keys):
        return None
    try:
        days = list(_days(keys[0], keys[-1]))
    except ValueError:  # not a YYYY-MM-DD date after all
        return None
    return [
        (f"{day} {dt.date.fromisoformat(day):%a}", by_key[day].cost if day in by_key else 0.0) for day in days
    ]


def _bars(summary: Summary) -> list[tuple[str, float]]:
    """(label, cost) per bar. Per day in date order, days without activity get an empty bar."""
    daily = _daily_bars(summary)
    if daily is not None:
        return daily
    return [(row.label, row.cost) for row in summary.rows]


def draw_bars(
    bars: Sequence[tuple[str, float, str]],
    *,
    style: Style,
    width: int,
    rest: tuple[str, str] | None = None,
    note: Callable[[str], None] | None = None,
) -> list[str]:
    """A line per (label, value, amount) bar, scaled to the largest value, at most ``width`` wide.

    ``rest`` (label, amount) is a last line without a bar: what the chart leaves out, which
    would dwarf every bar if it were drawn to the same scale. Labels that must stay whole (keys
    a user may copy, ``rest``'s) and a readable few characters of the others take room from the
    bars first; when not even one cell is left, the lines are labels and amounts without bars,
    and ``note`` is told how wide the chart needs to be.
    """
    labels = [label for label, _, _ in bars] + ([rest[0]] if rest else [])
    amounts = [amount for _, _, amount in bars] + ([rest[1]] if rest else [])
    amount_width = max(len(amount) for amount in amounts)
    natural = max(len(label) for label in labels)
    whole = max([len(label) for label in labels if is_key(label)] + [len(rest[0]) if rest else 0])
    wanted = max(whole, min(natural, _LABEL_READABLE))
    room = width - amount_width - 2 * _GAP  # for a label and a bar
    if room - 1 >= wanted:
        # Labels may take a third of a wide screen, but leave the bars some room on a narrow one.
        label_width = max(min(max(_LABEL_MAX, width // 3), natural, room - _MIN_CELLS), wanted)
        cells, gap = room - label_width, " " * _GAP
    else:  # no room for bars: labels and amounts
        label_width, cells, gap = max(1, min(natural, width - amount_width - 1)), 0, " "
        if note is not None:
            needed = wanted + amount_width + 2 * _GAP + _MIN_CELLS
            note(f"{width} columns are too narrow for bars: the chart needs {needed}")
    largest = max((value for _, value, _ in bars), default=0.0)
    glyphs = style.glyphs

    def line(label: str, drawn: str, amount: str) -> str:
        label_cell = shorten(label, label_width, glyphs.ellipsis).ljust(label_width)
        parts = [label_cell, *([drawn.ljust(cells)] if cells else []), amount.rjust(amount_width)]
        plain = gap.join(parts)
        if len(plain) > width:  # narrower than a label and an amount: cut, unstyled
            return clip(plain, width, glyphs.ellipsis)
        if cells:
            parts[1] = style.accent(parts[1])
        return gap.join(parts)

    lines = [line(label, bar(value, largest, cells, glyphs), amount) for label, value, amount in bars]
    if rest is not None:
        lines.append(line(rest[0], "", rest[1]))
    return lines


def render_chart(
    summary: Summary,
    *,
    style: Style | None = None,
    width: int = DEFAULT_WIDTH,
    note: Callable[[str], None] | None = None,
    missing: Collection[str] = (),
) -> str:
    """Cost per group of ``summary`` as bars scaled to the largest, no line wider than ``width``.

    What ``top`` left out is a last line with its cost but no bar, so it does not crush the rest.
    Too narrow for bars, ``note`` is told so (see :func:`draw_bars`). Days in ``missing`` (a
    history's gaps) say "no data" instead of a cost: they are not days without activity.
    """
    style = style or Style()
    bars = [
        (label, cost, "no data" if label[:10] in missing and not cost else money(cost))
        for label, cost in _bars(summary)
    ]
    noun = "day" if summary.by == "date" else summary.by
    title = f"Cost per {noun}" if summary.by != "none" else "Cost"
    captions = [style.dim(text) for text in wrap(caption(summary), width)]
    if not bars:
        return "\n".join(captions) + "\n"
    head = [
        *captions,
        *(style.bold(text) for text in wrap(f"{title}, total {money(summary.total.cost)}", width)),
        "",
    ]
    rest = None
    if summary.other is not None:
        rest = (others_label(summary.other_groups), money(summary.other.cost))
    return "\n".join([*head, *draw_bars(bars, style=style, width=width, rest=rest, note=note)]) + "\n"
