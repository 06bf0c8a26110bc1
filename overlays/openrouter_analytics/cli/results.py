"""The rows of ``POST /analytics/query`` as a table, a chart, CSV, JSON or JSON Lines.

A row is a mapping from column names to values: a time bucket (``date__day``), the requested
dimensions, the requested metrics, and whatever else the server put in it (shown too, last:
nothing it sent is dropped). The table and chart format each metric by its ``display_format``
from ``/analytics/meta``; without one, a value is shown as it came.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from .chart import draw_bars
from .grid import Column, render_grid
from .text import Style, is_key, money, wrap

__all__ = [
    "BUCKET_PREFIX",
    "columns_of",
    "format_value",
    "render_chart",
    "render_csv",
    "render_json",
    "render_jsonl",
    "render_table",
]

BUCKET_PREFIX: Final = "date__"
"""A time-bucketed row carries its bucket's start under ``date__<granularity>``."""

_CLOCK_GRANULARITIES: Final = frozenset({"minute", "hour"})
_EMPTY: Final = "(none)"

Row = Mapping[str, Any]


def columns_of(
    rows: Sequence[Row], *, metrics: Sequence[str], dimensions: Sequence[str], granularity: str | None = None
) -> list[str]:
    """The columns, in order: time buckets, dimensions, metrics, then any others the rows have.

    What was asked for is a column even when no row has it, so a file's header does not
    depend on whether anything matched.
    """
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    buckets = [name for name in seen if name.startswith(BUCKET_PREFIX)]
    if granularity is not None and not buckets:
        buckets = [BUCKET_PREFIX + granularity]
    known = list(dict.fromkeys([*buckets, *dimensions, *metrics]))
    return [*known, *(name for name in seen if name not in known)]


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def _as_float(value: object) -> float:
    """A bar's length: the value as a double (the largest one beyond its range), 0 for no number."""
    if not _is_number(value):
        return 0.0
    try:
        return float(value)  # type: ignore[arg-type]
    except OverflowError:
        return math.copysign(sys.float_info.max, value)  # type: ignore[arg-type]


def _plain_number(number: float) -> str:
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"


# display_format -> how a number of that format is written
_FORMATTERS: Final[dict[str, Callable[[float], str]]] = {
    "currency": money,
    "percent": lambda number: f"{number * 100:.1f}%",
    "latency": lambda number: f"{number:,.0f} ms",
    "throughput": lambda number: f"{number:,.1f} tok/s",
    "number": _plain_number,
}


def format_value(value: object, display_format: str | None) -> str:
    """A metric's value as a person reads it: ``$12.3456``, ``12.3%``, ``850 ms``, ``92.1 tok/s``,
    ``1,234``; a value of an unknown format, or not a number, as it came.
    """
    if value is None:
        return ""
    formatter = _FORMATTERS.get(display_format or "")
    if formatter is None or not _is_number(value):
        return _raw(value)
    if display_format == "number" and isinstance(value, int):
        return f"{value:,}"  # exactly: a double would round a count beyond 2**53
    try:
        return formatter(float(value))  # type: ignore[arg-type]
    except OverflowError:  # a whole number beyond any double: as it came
        return _raw(value)


def _raw(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        return json.dumps(value)
    return repr(value) if isinstance(value, float) else str(value)


def _bucket(value: object, granularity: str | None) -> str:
    """A bucket's start as a day (``2026-09-01``), or a day and time for minutes and hours."""
    if not isinstance(value, str):
        return _raw(value)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    if granularity in _CLOCK_GRANULARITIES or (granularity is None and moment.time() != dt.time()):
        return f"{moment:%Y-%m-%d %H:%M}"
    return f"{moment:%Y-%m-%d}"


def _dimension(value: object) -> str:
    return _EMPTY if value is None or value == "" else _raw(value)


def _cell(name: str, value: object, formats: Mapping[str, str], granularity: str | None) -> str:
    if name.startswith(BUCKET_PREFIX):
        return _bucket(value, granularity)
    if name in formats:
        return format_value(value, formats[name])
    if _is_number(value):
        return _raw(value)
    return _dimension(value)


def _header(name: str) -> str:
    return name.removeprefix(BUCKET_PREFIX) if name.startswith(BUCKET_PREFIX) else name


def render_table(
    rows: Sequence[Row],
    columns: Sequence[str],
    *,
    metrics: Sequence[str],
    dimensions: Sequence[str] = (),
    formats: Mapping[str, str],
    granularity: str | None,
    caption: str,
    width: int,
    style: Style | None = None,
    note: Callable[[str], None] | None = None,
) -> str:
    """An aligned table of the rows, fitted by :func:`.grid.render_grid`; ``note`` is told what it
    had to leave out, or that the rows became records.

    The columns that tell rows apart (time buckets, ``dimensions``) and the first metric are
    never left out, and no dimension or number is ever cut; only a column of free text the
    server added (no ids) may be shortened in the middle.
    """
    style = style or Style()
    head = [style.dim(text) for text in wrap(caption, width)]
    if not rows:
        return "\n".join(head) + "\n"
    numeric = set(metrics) | {
        name for name in columns if all(_is_number(row.get(name)) or row.get(name) is None for row in rows)
    }
    cells = [
        [_cell(name, row[name], formats, granularity) if name in row else "" for name in columns]
        for row in rows
    ]
    keep = {*dimensions, *metrics[:1]}
    spec = []
    for index, name in enumerate(columns):
        values = [row[index] for row in cells if row[index]]
        tells_apart = name in dimensions or name.startswith(BUCKET_PREFIX)
        text = name not in numeric and not tells_apart
        spec.append(
            Column(
                _header(name),
                align="right" if name in numeric and not name.startswith(BUCKET_PREFIX) else "left",
                shrink=text and not any(is_key(value) for value in values),
                keep=name in keep or tells_apart,
            )
        )
    grid = render_grid(spec, cells, width=width, style=style)
    said = grid.note(width, "--format csv or json")
    if note is not None and said is not None:
        note(said)
    return "\n".join([*head, "", *grid.lines]) + "\n"


def _label(row: Row, label_columns: Sequence[str], granularity: str | None, separator: str) -> str:
    parts = [
        _bucket(row.get(name), granularity) if name.startswith(BUCKET_PREFIX) else _dimension(row.get(name))
        for name in label_columns
    ]
    return separator.join(parts) or "all"


def render_chart(
    rows: Sequence[Row],
    *,
    metric: str,
    label_columns: Sequence[str],
    formats: Mapping[str, str],
    granularity: str | None,
    caption: str,
    title: str,
    width: int,
    style: Style | None = None,
    note: Callable[[str], None] | None = None,
) -> str:
    """A bar per row of its ``metric``, labelled by the row's ``label_columns`` (bucket, groups);
    too narrow for bars, ``note`` is told so.
    """
    style = style or Style()
    head = [style.dim(text) for text in wrap(caption, width)]
    if not rows:
        return "\n".join(head) + "\n"
    bars = []
    for row in rows:
        value = row.get(metric)
        number = _as_float(value)
        bars.append(
            (
                _label(row, label_columns, granularity, style.glyphs.separator),
                number,
                format_value(value, formats.get(metric)),
            )
        )
    heading = [style.bold(text) for text in wrap(title, width)]
    return "\n".join([*head, *heading, "", *draw_bars(bars, style=style, width=width, note=note)]) + "\n"


def render_csv(rows: Sequence[Row], columns: Sequence[str]) -> str:
    """A header line of column names, then a line per row; floats in full precision, text exactly
    as it came.
    """
    from .files import csv_text

    return csv_text(
        [
            columns,
            *(["" if row.get(name) is None else _raw(row.get(name)) for name in columns] for row in rows),
        ]
    )


def render_jsonl(rows: Sequence[Row]) -> str:
    """Each row as the server sent it, one JSON object per line."""
    return "".join(json.dumps(dict(row), allow_nan=False) + "\n" for row in rows)


def render_json(document: Mapping[str, Any]) -> str:
    """The API's whole answer: rows, metadata and warnings."""
    return json.dumps(document, indent=2, allow_nan=False) + "\n"
