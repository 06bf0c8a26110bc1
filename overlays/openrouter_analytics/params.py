"""Typed shapes of the structured arguments of ``query_analytics``, for type checkers.

Each is a plain mapping with the spec's own keys; the matching generated model (``QueryFilter``,
``QueryTimeRange``, ...) is accepted in its place. ::

    analytics.query_analytics(
        metrics=["total_usage", "request_count"],
        dimensions=["model"],
        filters=[{"field": "provider", "operator": "in", "value": ["OpenAI", "Anthropic"]}],
        time_range={"start": date(2026, 9, 1), "end": date(2026, 10, 1)},
        order_by={"field": "total_usage", "direction": "desc"},
    )
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Literal, NotRequired, TypeAlias, TypedDict

__all__ = [
    "ClassifierDimensionsParam",
    "ClassifierFilterParam",
    "ClassifierFiltersParam",
    "FilterValue",
    "OrderByParam",
    "QueryFilterParam",
    "TimeRangeParam",
]

FilterValue: TypeAlias = str | float | Sequence[str | float]
"""A string or number for ``eq``, ``neq``, ``gt``, ``gte``, ``lt``, ``lte``; a non-empty list of
them for ``in`` and ``not_in``."""


class QueryFilterParam(TypedDict):
    """One of ``filters``: rows whose ``field`` compares with ``value`` by ``operator``."""

    field: str
    operator: str
    value: FilterValue
    include_unset: NotRequired[bool]


class TimeRangeParam(TypedDict):
    """The window of a query, ``start`` included, ``end`` excluded.

    Each end is an aware ``datetime`` (sent in UTC) or a ``date`` (midnight UTC).
    """

    start: dt.datetime | dt.date
    end: dt.datetime | dt.date


class OrderByParam(TypedDict):
    """The order of the rows: a requested metric or dimension, ``request_count`` or ``date``."""

    field: str
    direction: Literal["asc", "desc"]


class ClassifierDimensionsParam(TypedDict):
    """Group by the tags of a classifier."""

    classifier_id: str | uuid.UUID
    dimension_names: NotRequired[Sequence[str]]
    include_nulls: NotRequired[bool]


class ClassifierFilterParam(TypedDict):
    """One of ``classifier_filters["filters"]``; operators ``eq``, ``neq``, ``in``, ``not_in``."""

    field: str
    operator: str
    value: FilterValue


class ClassifierFiltersParam(TypedDict):
    """Keep only generations with these classifier tag values."""

    classifier_id: str | uuid.UUID
    filters: Sequence[ClassifierFilterParam]
