"""A horizontal bar chart of cost (or another column of the report) per group, drawn with Unicode
blocks in eighths of a cell, or with ``#`` in whole cells on a stream that cannot write them.

2026-09-01 Tue  ███████████████████████████▋                       $52.6146
2026-09-06 Sun  ██████▍                                            $12.0833
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Final

from openrouter_analytics.summary import Summary

from .columns import METRICS, MONEY_FIELDS
from .table import caption
from .text import (
    DEFAULT_WIDTH,
    UNICODE,
    Glyphs,
    Style,
    count,
    money,
    others_label,
    pad,
    printable,
    split_to_width,
    width_of,
    wrap,
)

__all__ = ["bar", "draw_bars", "render_chart"]

# PARTIALS[n] fills n eighths of a cell, left to right.
PARTIALS: Final = UNICODE.partials
FULL: Final = UNICODE.full
_TITLES: Final = {"cost": "Cost", "byok_cost": "BYOK cost", "requests": "Requests"}
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


def _daily_bars(summary: Summary, metric: str) -> list[tuple[str, float]] | None:
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
        (f"{day} {dt.date.fromisoformat(day):%a}", getattr(by_key[day], metric) if day in by_key else 0.0)
        for day in days
    ]


def _bars(summary: Summary, metric: str) -> list[tuple[str, float]]:
    """(label, value of ``metric``) per bar. Per day in date order, days without activity get an
    empty bar.
    """
    daily = _daily_bars(summary, metric)
    if daily is not None:
        return daily
    return [(row.label, float(getattr(row, metric))) for row in summary.rows]


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
    would dwarf every bar if it were drawn to the same scale. Labels tell the bars apart and
    amounts are money, so neither is ever cut: when a label, some bar and its amount do not
    fit on one line, each label gets a line of its own above its bar (wrapped if longer than
    the screen); when not even one cell of bar fits beside an amount, there are no bars, and
    ``note`` is told how wide the chart needs to be.
    """
    width = max(1, width)
    rows = [(printable(label), value, printable(amount)) for label, value, amount in bars]
    tail = (printable(rest[0]), printable(rest[1])) if rest else None
    labels = [label for label, _, _ in rows] + ([tail[0]] if tail else [])
    amounts = [amount for _, _, amount in rows] + ([tail[1]] if tail else [])
    amount_width = max(width_of(amount) for amount in amounts)
    label_width = max(width_of(label) for label in labels)
    gap = " " * _GAP
    largest = max((value for _, value, _ in rows), default=0.0)
    glyphs = style.glyphs
    beside = width - label_width - amount_width - 2 * _GAP
    if beside >= _MIN_CELLS:

        def line(label: str, drawn: str, amount: str) -> list[str]:
            cell = style.accent(pad(drawn, beside)) if drawn else " " * beside
            return [pad(label, label_width) + gap + cell + gap + pad(amount, amount_width, "right")]

        cells = beside
    else:
        cells = width - amount_width - _GAP
        if cells < 1 and note is not None:
            note(
                f"{width} columns are too narrow for bars: the chart needs {amount_width + _GAP + _MIN_CELLS}"
            )

        def line(label: str, drawn: str, amount: str) -> list[str]:
            if cells < 1:
                return [*split_to_width(label, width), *split_to_width(amount, width)]
            cell = style.accent(pad(drawn, cells)) if drawn else " " * cells
            return [*split_to_width(label, width), cell + gap + pad(amount, amount_width, "right")]

    lines = [
        text
        for label, value, amount in rows
        for text in line(label, bar(value, largest, cells, glyphs), amount)
    ]
    if tail is not None:
        lines.extend(line(tail[0], "", tail[1]))
    return [text.rstrip() for text in lines]


# The summary's columns a chart can draw, and how each amount is written.
_AMOUNTS: Final[dict[str, Callable[[float], str]]] = {
    field: money if field in MONEY_FIELDS else (lambda value: count(int(value))) for field, _, _ in METRICS
}


def render_chart(
    summary: Summary,
    *,
    style: Style | None = None,
    width: int = DEFAULT_WIDTH,
    note: Callable[[str], None] | None = None,
    metric: str = "cost",
    missing: Collection[str] = (),
) -> str:
    """``metric`` (a column of the report: cost by default, or the one sorted by) per group of
    ``summary`` as bars scaled to the largest, no line wider than ``width``.

    What ``top`` left out is a last line with its amount but no bar, so it does not crush the
    rest. Too narrow for bars, ``note`` is told so (see :func:`draw_bars`). Days in ``missing``
    (a history's gaps) say "no data" instead of an amount: they are not days without activity.
    """
    style = style or Style()
    amount = _AMOUNTS[metric]
    bars = [
        (label, value, "no data" if label[:10] in missing and not value else amount(value))
        for label, value in _bars(summary, metric)
    ]
    noun = "day" if summary.by == "date" else summary.by
    title = _TITLES.get(metric, metric)
    heading = f"{title} per {noun}" if summary.by != "none" else title
    captions = [style.dim(text) for text in wrap(caption(summary), width)]
    if not bars:
        return "\n".join(captions) + "\n"
    total = amount(getattr(summary.total, metric))
    head = [*captions, *(style.bold(text) for text in wrap(f"{heading}, total {total}", width)), ""]
    rest = None
    if summary.other is not None:
        rest = (others_label(summary.other_groups), amount(getattr(summary.other, metric)))
    return "\n".join([*head, *draw_bars(bars, style=style, width=width, rest=rest, note=note)]) + "\n"
