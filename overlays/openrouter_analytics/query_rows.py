"""Typed access to what an analytics query row holds beyond its raw values.

A row (:class:`~openrouter_analytics.AnalyticsQueryRow`) is a read-only mapping of column
name to value exactly as the API sent it: ``row["date__day"]`` stays the string
``"2026-09-01T00:00:00.000Z"``. :func:`time_bucket` reads that string as a
:class:`datetime.datetime` in UTC::

    from openrouter_analytics import Analytics, time_bucket

    with Analytics() as analytics:
        result = analytics.query_analytics(metrics=["total_usage"], granularity="day")
    for row in result.data.data:
        print(time_bucket(row).date(), row["date__day"], row["total_usage"])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Final

from ._validation import describe
from .errors import InvalidParameterError

__all__ = ["BUCKET_PREFIX", "bucket_column", "time_bucket"]

BUCKET_PREFIX: Final = "date__"
"""A time-bucketed row names its bucket's start ``date__<granularity>`` (``date__day``, ``date__week``)."""


def bucket_column(row: Mapping[str, object]) -> str | None:
    """The name of the row's time-bucket column (``"date__day"``), or ``None`` without one."""
    return next((name for name in row if name.startswith(BUCKET_PREFIX)), None)


def time_bucket(row: Mapping[str, object]) -> dt.datetime | None:
    """The start of the row's time bucket as an aware UTC :class:`~datetime.datetime`, or
    ``None`` when the query had no ``granularity``. The raw string stays in the row.

    Raises :class:`~openrouter_analytics.errors.InvalidParameterError` (a ``ValueError``) naming
    the column when its value is not an RFC 3339 time.
    """
    column = bucket_column(row)
    if column is None:
        return None
    value = row[column]
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is not None:
                return moment.astimezone(dt.UTC)
        except (ValueError, OverflowError):  # OverflowError: a time beyond year 9999 once in UTC
            pass
    raise InvalidParameterError(
        "row",
        f"row[{column!r}] must be an RFC 3339 time with an offset, e.g. "
        f"'2026-09-01T00:00:00.000Z', {describe(value)}",
    )
