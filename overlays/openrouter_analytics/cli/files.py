"""The report as CSV, JSON or JSON Lines, for programs.

Every float is written as its shortest exact ``repr``, so parsing it back gives the very same
number.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from openrouter_analytics.summary import Summary, SummaryRow

from .columns import KEY_NAMES, METRICS

__all__ = ["render_csv", "render_json", "render_jsonl"]


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
