"""The report as CSV, JSON or JSON Lines, for programs.

Every format has one set of columns whatever the grouping (:data:`.columns.RECORD_FIELDS`),
and every float is written as its shortest exact ``repr``, so parsing it back gives the very
same number. CSV and JSON Lines carry what ``--top`` left out as a row of ``kind`` "other", so
their columns add up to the total; they have no totals row of their own.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from openrouter_analytics._csv import write_rows
from openrouter_analytics.summary import Summary, SummaryRow

from .columns import METRICS, RECORD_FIELDS
from .text import others_label

__all__ = ["csv_text", "render_csv", "render_json", "render_jsonl"]

Kind = Literal["group", "other", "total"]


def _record(summary: Summary, row: SummaryRow, kind: Kind) -> dict[str, Any]:
    """A row as a record: its grouping, kind, key and label, then numbers.

    The key is summarize()'s, so a program reading the file and one calling the library see the
    same one: the group's, or ``"other"`` and ``"total"``.
    """
    label = {"group": row.label, "other": others_label(summary.other_groups), "total": "total"}[kind]
    return {
        "group_by": summary.by,
        "kind": kind,
        "key": row.key,
        "label": label,
        **{field: getattr(row, field) for field, _, _ in METRICS},
    }


def _records(summary: Summary) -> list[dict[str, Any]]:
    """The groups, then what ``top`` left out when it left anything out."""
    records = [_record(summary, row, "group") for row in summary.rows]
    if summary.other is not None:
        records.append(_record(summary, summary.other, "other"))
    return records


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """``rows`` as CSV lines ending in ``\\n``, every value as it is (see :func:`.._csv.write_rows`)."""
    buffer = io.StringIO()
    write_rows(buffer, rows)
    return buffer.getvalue()


def render_csv(summary: Summary) -> str:
    """The rows of ``summary`` as CSV with a header line; no totals row, so columns add up."""
    records = [[_csv_cell(record[name]) for name in RECORD_FIELDS] for record in _records(summary)]
    return csv_text([RECORD_FIELDS, *records])


def _csv_cell(value: Any) -> Any:
    # repr is the shortest text that parses back to the same float.
    return repr(value) if isinstance(value, float) else value


def render_json(summary: Summary) -> str:
    """``summary`` as one JSON document: its rows, what ``top`` left out, and the totals.

    ``rows``, ``other`` and ``total`` are records with the same keys as a JSON Lines line.
    """
    document = {
        "group_by": summary.by,
        "first_date": summary.first_date,
        "last_date": summary.last_date,
        "rows": [_record(summary, row, "group") for row in summary.rows],
        "other": None if summary.other is None else _record(summary, summary.other, "other"),
        "other_groups": summary.other_groups,
        "total": _record(summary, summary.total, "total"),
    }
    return json.dumps(document, indent=2, allow_nan=False) + "\n"


def render_jsonl(summary: Summary) -> str:
    """The rows of ``summary`` as JSON Lines, one object per row; no totals line."""
    return "".join(json.dumps(record, allow_nan=False) + "\n" for record in _records(summary))
