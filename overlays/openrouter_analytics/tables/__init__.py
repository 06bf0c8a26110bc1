"""Results as typed tables: ``pyarrow.Table``, ``pandas.DataFrame``, ``polars.DataFrame``.

    import duckdb
    import polars

    from openrouter_analytics import Analytics

    with Analytics() as analytics:
        report = analytics.get_user_activity()
    frame = report.to_pandas()          # or report.to_arrow(), report.to_polars()
    polars.DataFrame(report)            # any reader of the Arrow PyCapsule interface
    print(duckdb.sql("select model, sum(usage) from report group by model"))

The models' ``to_arrow()``, ``to_pandas()``, ``to_polars()`` and ``__arrow_c_stream__`` call
the functions here. Arrow is the one table: :mod:`.schemas` declares its columns and types up
front, and pandas and polars are views of it, so the three agree on every type. The core of
the SDK never imports this package; pyarrow, pandas and polars are imported on first use, and a
missing one raises an ``ImportError`` that names the extra to install.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas
    import polars
    import pyarrow

    from openrouter_analytics_client.models import AnalyticsMeta, AnalyticsMetaResponse

__all__ = ["UnrepresentableValueError", "arrow_c_stream", "require", "to_arrow", "to_pandas", "to_polars"]


class UnrepresentableValueError(ValueError):
    """A value its column's type cannot hold: a count beyond int64, a date that is not one. The
    message names the row (or the summary's group) and the column."""


_EXTRAS = {"pyarrow": "arrow", "pandas": "pandas", "polars": "polars"}


def require(module: str, needed_by: str) -> ModuleType:
    """Import an optional dependency, or raise an ImportError naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        extra = _EXTRAS[module]
        raise ImportError(
            f"{needed_by} needs {module}, which is not installed: "
            f"pip install 'openrouter-analytics[{extra}]'",
            name=module,
        ) from error


def to_arrow(
    result: object,
    *,
    meta: AnalyticsMeta | AnalyticsMetaResponse | None = None,
    columns: Sequence[str] | None = None,
) -> pyarrow.Table:
    """The rows of ``result`` as a ``pyarrow.Table`` with the declared schema.

    ``result`` is an ``ActivityResponse`` (or a list of its ``ActivityItem`` rows), an
    ``AnalyticsQueryResponse``/``AnalyticsQueryResult`` or a ``Summary``. For query results,
    ``meta`` (from ``get_analytics_meta()``) types each metric by its ``display_format`` and
    ``columns`` names the metrics and dimensions asked for, so that an empty result still has
    them; both are ignored for the other results, whose schema is fixed.
    """
    require("pyarrow", "to_arrow()")
    from . import _build

    return _build.table_of(result, meta=meta, columns=columns)


def to_pandas(
    result: object,
    *,
    meta: AnalyticsMeta | AnalyticsMetaResponse | None = None,
    columns: Sequence[str] | None = None,
) -> pandas.DataFrame:
    """:func:`to_arrow` as a ``pandas.DataFrame``: dates as dates, names categorical."""
    require("pandas", "to_pandas()")
    require("pyarrow", "to_pandas()")
    from . import _build

    return _build.pandas_of(_build.table_of(result, meta=meta, columns=columns))


def to_polars(
    result: object,
    *,
    meta: AnalyticsMeta | AnalyticsMetaResponse | None = None,
    columns: Sequence[str] | None = None,
) -> polars.DataFrame:
    """:func:`to_arrow` as a ``polars.DataFrame``: dates as ``Date``, names ``Categorical``."""
    pl = require("polars", "to_polars()")
    require("pyarrow", "to_polars()")
    from . import _build

    return pl.from_arrow(_build.table_of(result, meta=meta, columns=columns), rechunk=False)  # type: ignore[no-any-return]


def arrow_c_stream(result: object, requested_schema: object | None = None) -> Any:
    """The Arrow PyCapsule stream of :func:`to_arrow` (``__arrow_c_stream__``)."""
    return to_arrow(result).__arrow_c_stream__(requested_schema)
