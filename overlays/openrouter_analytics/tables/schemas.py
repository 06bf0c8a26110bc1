"""The Arrow schema of every kind of row the SDK returns: declared once, here, up front.

Types, the same in pyarrow, pandas and polars:

- a day (``date`` of an activity row) is ``date32``;
- a query's time bucket (``date__day``, ``date__hour``, ...) is ``timestamp[ms, UTC]``;
- money (USD) is ``float64``; token and request counts are ``int64``;
- names that repeat row after row (models, permaslugs, providers, workspaces) are strings,
  dictionary-encoded (pandas ``category``, polars ``Categorical``); ids with a value per
  endpoint (``endpoint_id``) are plain strings, which a categorical would only slow down.

Columns carry the API's names (``usage``, ``byok_usage_inference``, ...), so the API's
documentation describes them. Fields a response carries beyond the spec are appended after
the declared columns, typed from their values (:mod:`._build`).
"""

from __future__ import annotations

from typing import Final

from . import require

try:
    import pyarrow as pa
except ImportError:  # raised again, naming the extra that installs it
    require("pyarrow", "openrouter_analytics.tables.schemas")
    raise

__all__ = [
    "ACTIVITY",
    "COUNT",
    "DAY",
    "METRIC_TYPES",
    "MONEY",
    "NAME",
    "SUMMARY",
    "TEXT",
    "TIME_BUCKET",
    "TIME_BUCKET_PREFIX",
]

DAY: Final = pa.date32()
TIME_BUCKET: Final = pa.timestamp("ms", tz="UTC")
MONEY: Final = pa.float64()
COUNT: Final = pa.int64()
NAME: Final = pa.dictionary(pa.int32(), pa.string())
TEXT: Final = pa.string()

ACTIVITY: Final = pa.schema(
    [
        pa.field("date", DAY, nullable=False),
        pa.field("model", NAME, nullable=False),
        pa.field("model_permaslug", NAME, nullable=False),
        pa.field("provider_name", NAME, nullable=False),
        pa.field("endpoint_id", TEXT, nullable=False),
        # Only in reports fetched with group_by="workspace"; null in the others.
        pa.field("workspace_id", NAME, nullable=True),
        pa.field("usage", MONEY, nullable=False),
        pa.field("byok_usage_inference", MONEY, nullable=False),
        pa.field("requests", COUNT, nullable=False),
        pa.field("prompt_tokens", COUNT, nullable=False),
        pa.field("completion_tokens", COUNT, nullable=False),
        pa.field("reasoning_tokens", COUNT, nullable=False),
        pa.field("cached_tokens", COUNT, nullable=False),
    ]
)
"""One row per ``ActivityItem`` of ``get_user_activity()``, in the order of the report."""

SUMMARY: Final = pa.schema(
    [
        # "group" for each of Summary.rows, "other" for Summary.other: a group may be named other.
        pa.field("kind", NAME, nullable=False),
        pa.field("key", TEXT, nullable=False),
        pa.field("label", TEXT, nullable=False),
        pa.field("cost", MONEY, nullable=False),
        pa.field("byok_cost", MONEY, nullable=False),
        pa.field("requests", COUNT, nullable=False),
        pa.field("prompt_tokens", COUNT, nullable=False),
        pa.field("completion_tokens", COUNT, nullable=False),
        pa.field("reasoning_tokens", COUNT, nullable=False),
        pa.field("cached_tokens", COUNT, nullable=False),
        pa.field("activity_rows", COUNT, nullable=False),
    ]
)
"""One row per ``SummaryRow`` of ``Summary.rows`` (``kind`` "group"), then ``Summary.other`` (``kind``
"other") when ``top`` left groups out; the other columns are the fields of ``SummaryRow``."""

TIME_BUCKET_PREFIX: Final = "date__"
"""A query row carries the start of its time bucket as ``date__<granularity>``."""

METRIC_TYPES: Final = {
    "currency": MONEY,
    "latency": pa.float64(),
    "throughput": pa.float64(),
    "percent": pa.float64(),
    "number": COUNT,
}
"""A query metric's Arrow type by the ``display_format`` that ``get_analytics_meta()`` gives it;
a ``number`` metric holding a fraction, and a format newer than this table, become ``float64``."""
