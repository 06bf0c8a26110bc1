"""The report as an aligned table for people, at most as wide as the screen allows.

Money as ``$12.3456``, counts with thousands separators, a totals row at the bottom.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

import attrs

from openrouter_analytics.summary import Summary, SummaryRow

from .columns import METRICS, MONEY_FIELDS
from .text import DEFAULT_WIDTH, Style, clip, compact_count, count, money, others_label, plural, shorten, wrap

__all__ = ["caption", "render_table"]

_GAP: Final = 2
_LABEL_MIN: Final = 24
_LABEL_MIN_TIGHT: Final = 20
_LABEL_MIN_SQUEEZED: Final = 12
_TOKEN_FIELDS: Final = frozenset({"prompt_tokens", "completion_tokens", "reasoning_tokens"})
# Columns a table may leave out when they hold only zeros, most dispensable first.
_OPTIONAL_FIELDS: Final = ("reasoning_tokens", "byok_cost")


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


def _metric_columns(lines: Sequence[SummaryRow], *, compact: bool) -> list[_Column]:
    columns = []
    for field, header, tight_header in METRICS:
        values = [getattr(row, field) for row in lines]
        render: Callable[[Any], str]
        if field in MONEY_FIELDS:
            render = money
        elif compact and field in _TOKEN_FIELDS:
            render = compact_count
        else:
            render = count
        shown = tight_header if compact else header
        columns.append(_Column(shown, field, [render(value) for value in values], values))
    return columns


@attrs.frozen
class _Layout:
    label_width: int
    metric_gap: int
    columns: list[_Column]


def _fit(labels: list[str], header: str, lines: Sequence[SummaryRow], width: int) -> _Layout:
    """How the table fits in ``width``: each step squeezes harder, the first that fits wins."""
    natural_label = max(len(header), *(len(label) for label in labels))

    def room(columns: list[_Column], gap: int) -> int:
        return width - _GAP - sum(column.width for column in columns) - gap * (len(columns) - 1)

    def layout(columns: list[_Column], gap: int, label_min: int) -> _Layout | None:
        space = room(columns, gap)
        if space < min(natural_label, label_min):
            return None
        return _Layout(min(natural_label, space), gap, columns)

    full = _metric_columns(lines, compact=False)
    nonzero = [c for c in full if c.field not in _OPTIONAL_FIELDS or any(n != 0 for n in c.numbers)]
    kept = {column.field for column in nonzero}
    compact = [c for c in _metric_columns(lines, compact=True) if c.field in kept]
    for columns, gap, label_min in (
        (full, _GAP, _LABEL_MIN),
        (nonzero, _GAP, _LABEL_MIN),
        (compact, _GAP, _LABEL_MIN),
        (compact, 1, _LABEL_MIN_TIGHT),
        (compact, 1, _LABEL_MIN_SQUEEZED),
    ):
        found = layout(columns, gap, label_min)
        if found is not None:
            return found
    # Narrower than any sensible table: keep what fits from the left.
    columns = list(compact)
    while len(columns) > 1 and room(columns, 1) < _LABEL_MIN_SQUEEZED:
        columns.pop()
    return _Layout(max(1, min(natural_label, room(columns, 1))), 1, columns)


def render_table(summary: Summary, *, style: Style | None = None, width: int = DEFAULT_WIDTH) -> str:
    """An aligned text table of ``summary`` with a totals row, no line wider than ``width``.

    Labels take the room there is. When the numbers leave too little, in this order: columns
    holding only zeros are left out, token counts are written as ``12.3M`` under short
    headers, the gaps between numbers narrow, long labels are shortened in the middle, and
    columns are left out from the right.
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
    fit = _fit(labels, header, lines, width)

    def line(label: str, cells: list[str]) -> str:
        numbers = (" " * fit.metric_gap).join(
            cell.rjust(column.width) for cell, column in zip(cells, fit.columns, strict=True)
        )
        return clip(shorten(label, fit.label_width).ljust(fit.label_width) + " " * _GAP + numbers, width)

    rule = clip(
        "─" * fit.label_width + " " * _GAP + (" " * fit.metric_gap).join("─" * c.width for c in fit.columns),
        width,
    )
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
    ]
    return "\n".join(text.rstrip() for text in out) + "\n"
