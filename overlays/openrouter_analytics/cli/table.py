"""The report as an aligned table for people, at most as wide as the screen allows.

Money as ``$12.3456``, counts with thousands separators, a totals row at the bottom.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

import attrs

from openrouter_analytics.summary import Summary, SummaryRow

from .columns import METRICS, MONEY_FIELDS, OPTIONAL_FIELDS, TOKEN_FIELDS
from .text import (
    DEFAULT_WIDTH,
    Style,
    clip,
    compact_count,
    count,
    is_key,
    money,
    money_in_cents,
    others_label,
    plural,
    shorten,
    wrap,
)

__all__ = ["caption", "render_table"]

_GAP: Final = 2
_LABEL_MIN: Final = 24
_LABEL_MIN_TIGHT: Final = 20
_LABEL_MIN_SQUEEZED: Final = 12


def _label_header(summary: Summary) -> str:
    return "all" if summary.by == "none" else summary.by


def _group_noun(summary: Summary) -> str:
    nouns = {
        "date": "day",
        "model": "model",
        "provider": "provider",
        "endpoint": "endpoint",
        "workspace": "workspace",
    }
    return nouns.get(summary.by, "group")


def caption(summary: Summary) -> str:
    """One line on what a summary covers: its dates and its grouping."""
    if summary.first_date is None:
        return "No activity matches."
    span = (
        summary.first_date
        if summary.first_date == summary.last_date
        else f"{summary.first_date} to {summary.last_date}"
    )
    groups = len(summary.rows) + summary.other_groups
    return f"OpenRouter activity, {span}: {plural(groups, _group_noun(summary))}"


@attrs.define
class _Column:
    header: str
    field: str
    cells: list[str]
    numbers: list[float]

    @property
    def width(self) -> int:
        return max(len(self.header), *(len(cell) for cell in self.cells))


def _metric_columns(lines: Sequence[SummaryRow], *, compact: bool, cents: bool = False) -> list[_Column]:
    columns = []
    for field, header, tight_header in METRICS:
        values = [getattr(row, field) for row in lines]
        render: Callable[[Any], str]
        if field in MONEY_FIELDS:
            render = money_in_cents if cents else money
        elif compact and field in TOKEN_FIELDS:
            render = compact_count
        else:
            render = count
        shown = tight_header if compact else header
        columns.append(_Column(shown, field, [render(value) for value in values], values))
    return columns


@attrs.frozen
class _Layout:
    label_width: int
    label_gap: int
    metric_gap: int
    columns: list[_Column]

    @property
    def width(self) -> int:
        numbers = sum(column.width for column in self.columns) + self.metric_gap * (len(self.columns) - 1)
        return self.label_width + self.label_gap + numbers


def _fit(labels: list[str], whole: int, lines: Sequence[SummaryRow], width: int) -> _Layout:
    """How the table fits in ``width``: each step squeezes harder, the first that fits wins.

    Labels (the header among them) take the room there is, but never less than ``whole``, the
    width of those that must not be shortened: "(k others)", "total", and keys a user may copy.
    """
    natural_label = max(len(label) for label in labels)

    def room(columns: list[_Column], gap: int, label_gap: int = _GAP) -> int:
        return width - label_gap - sum(column.width for column in columns) - gap * (len(columns) - 1)

    def layout(columns: list[_Column], gap: int, label_min: int, label_gap: int = _GAP) -> _Layout | None:
        space = room(columns, gap, label_gap)
        if space < max(min(natural_label, label_min), whole):
            return None
        return _Layout(min(natural_label, space), label_gap, gap, columns)

    full = _metric_columns(lines, compact=False)
    nonzero = [c for c in full if c.field not in OPTIONAL_FIELDS or any(n != 0 for n in c.numbers)]
    kept = {column.field for column in nonzero}
    compact = [c for c in _metric_columns(lines, compact=True) if c.field in kept]
    steps = [
        (full, _GAP, _LABEL_MIN),
        (nonzero, _GAP, _LABEL_MIN),
        (compact, _GAP, _LABEL_MIN),
        (compact, 1, _LABEL_MIN_TIGHT),
        (compact, 1, _LABEL_MIN_SQUEEZED),
        # Then columns are left out from the right, down to the cost alone.
        *((compact[:shown], 1, _LABEL_MIN_SQUEEZED) for shown in range(len(compact) - 1, 0, -1)),
    ]
    for columns, gap, label_min in steps:
        found = layout(columns, gap, label_min)
        if found is not None:
            return found
    # Narrower than any sensible table: the cost in cents, and the label takes what is left.
    cost = _metric_columns(lines, compact=True, cents=True)[:1]
    found = layout(cost, 1, _LABEL_MIN_SQUEEZED, label_gap=1)
    return found or _Layout(max(1, min(natural_label, room(cost, 1, 1))), 1, 1, cost)


def _whole_labels(labels: list[str], header: str, summary: Summary) -> list[str]:
    """The labels a table must show whole: its header, "(k others)", "total", and keys."""
    keys = [label for label in labels if is_key(label)]
    return [header, *keys, *labels[len(summary.rows) :]]


def render_table(
    summary: Summary,
    *,
    style: Style | None = None,
    width: int = DEFAULT_WIDTH,
    note: Callable[[str], None] | None = None,
) -> str:
    """An aligned text table of ``summary`` with a totals row, no line wider than ``width``.

    Labels take the room there is. When the numbers leave too little, in this order: columns
    holding only zeros are left out, token counts are written as ``12.3M`` under short
    headers, the gaps between numbers narrow, long labels are shortened in the middle, and
    columns are left out from the right, down to the cost alone, in cents. Keys a user may
    copy (workspace ids), "(k others)" and "total" are never shortened while the cost alone
    leaves room for them; when it does not, ``note`` is told how wide the table needs to be.
    """
    style = style or Style()
    lines: list[SummaryRow] = [*summary.rows]
    labels = [row.label for row in summary.rows]
    if summary.other is not None:
        lines.append(summary.other)
        labels.append(others_label(summary.other_groups))
    lines.append(summary.total)
    labels.append("total")
    header = _label_header(summary)
    whole = max(len(label) for label in _whole_labels(labels, header, summary))
    fit = _fit([header, *labels], whole, lines, width)
    if fit.label_width < whole and note is not None:
        needed = fit.width + whole - fit.label_width
        keys = any(is_key(label) for label in labels)
        what = f"every {_group_noun(summary)} id" if keys else "its labels"
        note(f"{width} columns are too narrow to show {what} whole: the table needs {needed}")
    glyphs = style.glyphs

    def line(label: str, cells: list[str]) -> str:
        numbers = (" " * fit.metric_gap).join(
            cell.rjust(column.width) for cell, column in zip(cells, fit.columns, strict=True)
        )
        label_cell = shorten(label, fit.label_width, glyphs.ellipsis).ljust(fit.label_width)
        return clip(label_cell + " " * fit.label_gap + numbers, width, glyphs.ellipsis)

    rules = [
        glyphs.rule * fit.label_width,
        (" " * fit.metric_gap).join(glyphs.rule * c.width for c in fit.columns),
    ]
    rule = clip((" " * fit.label_gap).join(rules), width, glyphs.ellipsis)
    body = [line(label, [c.cells[i] for c in fit.columns]) for i, label in enumerate(labels[:-1])]
    total = line(labels[-1], [c.cells[-1] for c in fit.columns])
    out = [
        *(style.dim(text) for text in wrap(caption(summary), width)),
        "",
        style.bold(line(header, [c.header for c in fit.columns])),
        style.dim(rule),
        *body,
        style.dim(rule),
        style.bold(total),
        *(style.dim(text) for text in _cache_note(summary.total, width)),
    ]
    return "\n".join(text.rstrip() for text in out) + "\n"


def _cache_note(total: SummaryRow, width: int) -> list[str]:
    """``cache: 38.2% of prompt tokens`` under the totals, when anything was served from cache."""
    rate = total.cache_hit_rate
    if not total.cached_tokens or rate is None:
        return []
    return wrap(f"cache: {rate * 100:.1f}% of prompt tokens", width)
