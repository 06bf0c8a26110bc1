"""The report as an aligned table for people, at most as wide as the screen allows.

Money as ``$12.3456``, counts with thousands separators, a totals row at the bottom; fitted to
the screen by :mod:`.grid`, whose rule it follows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

from openrouter_analytics.summary import Summary, SummaryRow

from .columns import METRICS, MONEY_FIELDS, OPTIONAL_FIELDS, TOKEN_FIELDS
from .grid import Column, Sheet, render_grid
from .text import DEFAULT_WIDTH, Style, compact_count, count, money, others_label, plural, wrap

__all__ = ["caption", "render_table"]

_COMPLETE: Final = "--format csv, json or jsonl"


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


def _sheet(
    header: str, labels: Sequence[str], lines: Sequence[SummaryRow], *, compact: bool, nonzero: bool
) -> Sheet:
    """The table as a grid: a label column, then a column per metric; ``compact`` writes token
    counts as ``12.3M`` under short headers, ``nonzero`` leaves out the optional columns that
    hold only zeros.
    """
    columns = [Column(header, keep=True)]
    cells: list[list[str]] = [[label] for label in labels]
    for field, full_header, tight_header in METRICS:
        values = [getattr(line, field) for line in lines]
        zero = all(value == 0 for value in values)
        if nonzero and zero and field in OPTIONAL_FIELDS:
            continue
        render: Callable[[Any], str]
        if field in MONEY_FIELDS:
            render = money
        elif compact and field in TOKEN_FIELDS:
            render = compact_count
        else:
            render = count
        columns.append(
            Column(
                tight_header if compact else full_header,
                align="right",
                keep=field == METRICS[0][0],
                name=full_header,
                remark="all zero" if zero else "",
            )
        )
        for row, value in zip(cells, values, strict=True):
            row.append(render(value))
    return Sheet(columns, cells[:-1], cells[-1:])


def render_table(
    summary: Summary,
    *,
    style: Style | None = None,
    width: int = DEFAULT_WIDTH,
    note: Callable[[str], None] | None = None,
) -> str:
    """An aligned text table of ``summary`` with a totals row, no line wider than ``width``.

    When the numbers leave too little room, in this order: columns holding only zeros (cached,
    reasoning, BYOK) are left out, token counts are written as ``12.3M`` under short headers, the
    gaps between columns narrow, and columns are left out from the right, down to the cost;
    ``note`` is told which, and the width that shows them. Labels (model slugs, workspace ids,
    "(k others)", "total") and money are never cut: when the labels and the cost do not fit,
    each group is a record, one field per line, and ``note`` says so.
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
    full = _sheet(header, labels, lines, compact=False, nonzero=False)
    nonzero = _sheet(header, labels, lines, compact=False, nonzero=True)
    compact = _sheet(header, labels, lines, compact=True, nonzero=True)
    tighter = [*([nonzero] if len(nonzero.columns) < len(full.columns) else []), compact]
    grid = render_grid(full.columns, full.rows, footer=full.footer, width=width, style=style, tighter=tighter)
    said = grid.note(width, _COMPLETE)
    if said is not None and note is not None:
        note(said)
    out = [
        *(style.dim(text) for text in wrap(caption(summary), width)),
        "",
        *grid.lines,
        *(style.dim(text) for text in _cache_note(summary.total, width)),
    ]
    return "\n".join(text.rstrip() for text in out) + "\n"


def _cache_note(total: SummaryRow, width: int) -> list[str]:
    """``cache: 38.2% of prompt tokens`` under the totals, when anything was served from cache."""
    rate = total.cache_hit_rate
    if not total.cached_tokens or rate is None:
        return []
    return wrap(f"cache: {rate * 100:.1f}% of prompt tokens", width)
