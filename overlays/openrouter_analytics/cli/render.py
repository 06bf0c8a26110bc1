"""Render a :class:`~openrouter_analytics.summary.Summary` as a table, CSV, JSON or JSON Lines.

The table is for people: aligned, at most ``width`` columns, money as ``$12.3456`` and counts
with thousands separators. CSV and JSON are for programs: every float as its shortest exact
``repr``, so parsing them back gives the very same numbers.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Sequence
from typing import Any, Final

import attrs

from openrouter_analytics.summary import Summary, SummaryRow

from .columns import KEY_NAMES, METRICS

__all__ = [
    "TABLE_WIDTH",
    "Style",
    "caption",
    "compact_count",
    "count",
    "money",
    "others_label",
    "render_csv",
    "render_json",
    "render_jsonl",
    "render_table",
    "shorten",
]

TABLE_WIDTH: Final = 80
_GAP: Final = 2
_LABEL_MIN: Final = 24
_LABEL_MIN_TIGHT: Final = 20
_LABEL_MIN_SQUEEZED: Final = 12
_TOKEN_FIELDS: Final = frozenset({"prompt_tokens", "completion_tokens", "reasoning_tokens"})
# Columns a table may leave out when they hold only zeros, most dispensable first.
_OPTIONAL_FIELDS: Final = ("reasoning_tokens", "byok_usage_inference")


@attrs.frozen
class Style:
    """ANSI styling for the terminal; the default, ``Style()``, adds none."""

    enabled: bool = False

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled and text else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def accent(self, text: str) -> str:
        return self._wrap("36", text)


def money(value: float) -> str:
    """``$1,234.5678``: US dollars to four decimals, with thousands separators."""
    sign = "-" if value < 0 and round(value, 4) != 0 else ""
    return f"{sign}${abs(value):,.4f}"


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


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters by an ellipsis in the middle, keeping both ends."""
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    kept = width - 1
    head = math.ceil(kept / 2)
    tail = kept - head
    return text[:head] + "…" + (text[-tail:] if tail else "")


def _label_header(summary: Summary) -> str:
    return "all" if summary.by == "none" else summary.by


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def others_label(summary: Summary) -> str:
    """The label of the row that adds up what ``top`` left out: ``(3 others)``."""
    return f"({_plural(summary.other_groups, 'other')})"


def _group_noun(summary: Summary) -> str:
    return {"date": "day", "model": "model", "provider": "provider", "endpoint": "endpoint"}.get(
        summary.by, "group"
    )


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
    return f"OpenRouter activity, {span}: {_plural(groups, _group_noun(summary))}"


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
        if field in {"usage", "byok_usage_inference"}:
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


def render_table(summary: Summary, *, style: Style | None = None, width: int = TABLE_WIDTH) -> str:
    """An aligned text table of ``summary`` with a totals row, at most ``width`` characters wide.

    When the numbers leave too little room, in this order: columns holding only zeros are
    left out, token counts are written as ``12.3M`` under short headers, the gaps between
    numbers narrow, and long labels are shortened in the middle.
    """
    style = style or Style()
    lines: list[SummaryRow] = [*summary.rows]
    labels = [row.label for row in summary.rows]
    if summary.other is not None:
        lines.append(summary.other)
        labels.append(others_label(summary))
    lines.append(summary.total)
    labels.append("total")
    header = _label_header(summary)
    fit = _fit(labels, header, lines, width)

    def line(label: str, cells: list[str]) -> str:
        numbers = (" " * fit.metric_gap).join(
            cell.rjust(column.width) for cell, column in zip(cells, fit.columns, strict=True)
        )
        return shorten(label, fit.label_width).ljust(fit.label_width) + " " * _GAP + numbers

    rule = (
        "─" * fit.label_width + " " * _GAP + (" " * fit.metric_gap).join("─" * c.width for c in fit.columns)
    )
    body = [line(label, [c.cells[i] for c in fit.columns]) for i, label in enumerate(labels[:-1])]
    total = line(labels[-1], [c.cells[-1] for c in fit.columns])
    out = [
        style.dim(caption(summary)),
        "",
        style.bold(line(header, [c.header for c in fit.columns])),
        style.dim(rule),
        *body,
        style.dim(rule),
        style.bold(total),
    ]
    return "\n".join(text.rstrip() for text in out) + "\n"


def _record_fields(summary: Summary) -> list[str]:
    label = ["label"] if summary.by == "endpoint" else []
    return [KEY_NAMES[summary.by], *label, *(field for field, _, _ in METRICS)]


def _row_record(summary: Summary, row: SummaryRow) -> dict[str, Any]:
    record: dict[str, Any] = {KEY_NAMES[summary.by]: row.key}
    if summary.by == "endpoint":
        record["label"] = row.label
    record.update(_metrics(row))
    return record


def _metrics(row: SummaryRow) -> dict[str, Any]:
    return {field: getattr(row, field) for field, _, _ in METRICS}


def render_csv(summary: Summary) -> str:
    """The rows of ``summary`` as CSV with a header line; no totals row, so columns add up."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    records = [_row_record(summary, row) for row in summary.rows]
    header = _record_fields(summary)
    writer.writerow(header)
    writer.writerows([[_csv_cell(record[name]) for name in header] for record in records])
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    # repr is the shortest text that parses back to the same float.
    return repr(value) if isinstance(value, float) else value


def render_json(summary: Summary) -> str:
    """``summary`` as one JSON document: its rows, what ``top`` left out, and the totals."""
    document = {
        "group_by": summary.by,
        "first_date": summary.first_date,
        "last_date": summary.last_date,
        "rows": [_row_record(summary, row) for row in summary.rows],
        "other": None if summary.other is None else _metrics(summary.other),
        "other_groups": summary.other_groups,
        "total": _metrics(summary.total),
    }
    return json.dumps(document, indent=2, allow_nan=False) + "\n"


def render_jsonl(summary: Summary) -> str:
    """The rows of ``summary`` as JSON Lines, one object per row; no totals line."""
    return "".join(json.dumps(_row_record(summary, row), allow_nan=False) + "\n" for row in summary.rows)
