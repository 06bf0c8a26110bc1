"""Build the tables of :mod:`.schemas` column by column from the SDK's models."""

from __future__ import annotations

import array
import contextlib
import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from openrouter_analytics.summary import Summary, SummaryRow
from openrouter_analytics_client.models import (
    ActivityItem,
    ActivityResponse,
    AnalyticsMeta,
    AnalyticsMetaResponse,
    AnalyticsQueryResponse,
    AnalyticsQueryResult,
    AnalyticsQueryRow,
)
from openrouter_analytics_client.types import UNSET, undeclared_of

from . import UnrepresentableValueError, schemas

if TYPE_CHECKING:
    import pandas

__all__ = ["activity_table", "pandas_of", "query_table", "summary_table", "table_of"]

# Tables are a few large buffers, made right after the response's body was read and freed: the
# system allocator hands that memory back out, where Arrow's default pool (mimalloc) maps more.
# A 100,000-row report peaks about 10 MiB lower.
_POOL = pa.system_memory_pool()


def table_of(
    result: object,
    *,
    meta: AnalyticsMeta | AnalyticsMetaResponse | None = None,
    columns: Sequence[str] | None = None,
) -> pa.Table:
    """The table of any result the SDK returns (see :func:`openrouter_analytics.tables.to_arrow`)."""
    _check_columns(columns)
    if isinstance(result, ActivityResponse):
        # A decoded body's rows are read as msgspec decoded them, without making its models.
        table = result._read_pending_rows(_decoded_activity_table)
        return activity_table(result.data) if table is None else table
    if isinstance(result, AnalyticsQueryResponse):
        return query_table(result.data.data, meta=meta, columns=columns)
    if isinstance(result, AnalyticsQueryResult):
        return query_table(result.data, meta=meta, columns=columns)
    if isinstance(result, Summary):
        return summary_table(result)
    if isinstance(result, list | tuple) and all(type(row) is ActivityItem for row in result):
        return activity_table(result)
    raise TypeError(
        "expected an ActivityResponse, a list of ActivityItem, an AnalyticsQueryResponse, an "
        f"AnalyticsQueryResult or a Summary, got {type(result).__name__}"
    )


def _check_columns(columns: object) -> None:
    """``columns``: None, or a list (or tuple) of column names; a bare string would be read as
    its characters."""
    if columns is None or (
        isinstance(columns, list | tuple) and all(isinstance(name, str) and name for name in columns)
    ):
        return
    from openrouter_analytics._validation import describe
    from openrouter_analytics.errors import InvalidParameterError

    raise InvalidParameterError(
        "columns",
        f"columns must be a list of column names, e.g. ['model', 'total_usage'], {describe(columns)}",
    )


# --- activity -----------------------------------------------------------------------------------


def activity_table(items: Sequence[ActivityItem]) -> pa.Table:
    """``schemas.ACTIVITY``, then a column per field the spec does not declare."""
    table = _declared_activity_columns(items, _column)
    extras = list(map(attrgetter("additional_properties"), items))
    return _with_undeclared(table, extras) if any(extras) else table


def _decoded_activity_table(structs: list[Any], extra_key: str) -> pa.Table:
    """:func:`activity_table` of the rows of a decoded body: structs with the items' attribute
    names, and in ``_extra`` the value of the one undeclared key ``extra_key`` (UNSET where absent)."""
    table = _declared_activity_columns(structs, _checked_column)
    extras = undeclared_of(structs, extra_key)
    return table if extras is None else _with_undeclared(table, extras)


def _declared_activity_columns(
    items: Sequence[Any], column: Callable[[pa.Field, list[Any]], pa.Array]
) -> pa.Table:
    """``schemas.ACTIVITY`` of rows that have its columns as attributes, UNSET where absent,
    each column made by ``column``."""
    values_of = _activity_values(items)
    arrays: list[pa.Array] = []
    for index, field in enumerate(schemas.ACTIVITY):
        values, values_of[index] = values_of[index], []  # each list freed once its column is made
        if field.nullable:
            absent = values.count(UNSET)
            if absent == len(values):
                arrays.append(pa.nulls(len(values), field.type))
                continue
            if absent:
                values = [None if value is UNSET else value for value in values]
        arrays.append(column(field, values))
    return pa.Table.from_arrays(arrays, schema=schemas.ACTIVITY)


def _activity_values(items: Sequence[Any]) -> list[list[Any]]:
    """The values of each column of ``schemas.ACTIVITY``, in its order, read in one pass over
    the rows: each row is visited once, while it is in the cache, which costs two thirds of
    reading the rows once per column."""
    columns: list[list[Any]] = [[] for _ in schemas.ACTIVITY]
    (
        add_date,
        add_model,
        add_permaslug,
        add_provider,
        add_endpoint,
        add_workspace,
        add_usage,
        add_byok,
        add_requests,
        add_prompt,
        add_completion,
        add_reasoning,
        add_cached,
    ) = [column.append for column in columns]
    for item in items:
        add_date(item.date)
        add_model(item.model)
        add_permaslug(item.model_permaslug)
        add_provider(item.provider_name)
        add_endpoint(item.endpoint_id)
        add_workspace(item.workspace_id)
        add_usage(item.usage)
        add_byok(item.byok_usage_inference)
        add_requests(item.requests)
        add_prompt(item.prompt_tokens)
        add_completion(item.completion_tokens)
        add_reasoning(item.reasoning_tokens)
        add_cached(item.cached_tokens)
    return columns


def _column(field: pa.Field, values: list[Any]) -> pa.Array:
    if field.type == schemas.DAY:
        return _days(field.name, values)
    try:
        # Straight into a dictionary array (the same indices and dictionary as dictionary_encode()
        # of a string array), without the string array in between.
        return pa.array(values, field.type, memory_pool=_POOL)
    except (pa.ArrowInvalid, OverflowError) as error:
        return _large_numbers(field, values, error)


_BUFFER_CODES = {schemas.MONEY: "d", schemas.COUNT: "q"}
"""The ``array`` type code of a number column's values (double, signed 64-bit)."""


def _checked_column(field: pa.Field, values: list[Any]) -> pa.Array:
    """:func:`_column` of values whose JSON types msgspec checked (a count an int, never a bool;
    money an int or a float). Numbers are copied into a buffer by ``array``, which converts as
    Arrow does, in two thirds of its time; one that does not fit goes the way of
    :func:`_column`, which says why."""
    code = _BUFFER_CODES.get(field.type)
    if code is not None:
        try:
            numbers = array.array(code, values)
        except OverflowError:
            return _column(field, values)
        return pa.Array.from_buffers(field.type, len(values), [None, pa.py_buffer(numbers)])
    return _column(field, values)


def _large_numbers(field: pa.Field, values: list[Any], error: Exception) -> pa.Array:
    """A column Arrow refused for a whole number out of its type's exact range.

    Money is a double in the spec, and JSON writes a whole one without a point: as a double it
    is kept, to the nearest one. A count beyond int64 has no place in its column: a clear error.
    """
    if field.type == schemas.MONEY:
        try:
            return pa.array([float(value) for value in values], field.type, memory_pool=_POOL)
        except OverflowError:
            index = next(index for index, value in enumerate(values) if abs(value) > sys.float_info.max)
            raise UnrepresentableValueError(
                f"data[{index}].{field.name}: a whole number of {len(str(abs(values[index])))} digits, "
                "beyond a double's range"
            ) from None
    for index, value in enumerate(values):
        if type(value) is int and not _INT64_MIN <= value <= _INT64_MAX:
            raise UnrepresentableValueError(f"data[{index}].{field.name}: {value} does not fit int64")
    raise error


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _days(name: str, values: list[Any]) -> pa.Array:
    """ISO dates (``YYYY-MM-DD``, or the day of a longer timestamp, as ``summarize()`` reads it)
    as date32, each day parsed once.

    Parsed in Python: a report holds a few dozen distinct days, and Arrow's string-to-date cast
    costs seconds on its first use in a process.
    """
    encoded = pa.array(values, schemas.NAME, memory_pool=_POOL)
    days = []
    for text in encoded.dictionary.to_pylist():
        day = _DAY.fullmatch(text)
        try:
            if day is None:
                raise ValueError(text)
            days.append(dt.date.fromisoformat(day.group(1)))
        except ValueError:
            index = values.index(text)
            raise UnrepresentableValueError(
                f"data[{index}].{name}: expected a YYYY-MM-DD date, got {_quoted_if_a_date(text)}"
            ) from None
    return pc.take(pa.array(days, schemas.DAY), encoded.indices, memory_pool=_POOL)


_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}.*)?", re.ASCII | re.DOTALL)
_DATE_LIKE = re.compile(r"[\d :.+/TZ-]{1,40}", re.ASCII)


def _quoted_if_a_date(text: str) -> str:
    """``text`` quoted where it looks like a date gone wrong; else only its length: a server's
    text is not shown (it could hold anything, even the key the request was made with)."""
    return repr(text) if _DATE_LIKE.fullmatch(text) else f"a text of {len(text)} characters"


def _with_undeclared(table: pa.Table, extras: list[dict[str, Any]]) -> pa.Table:
    """Append a column for each key the rows carry beyond the schema, in the order first seen."""
    rows_with = [(index, extra) for index, extra in enumerate(extras) if extra]
    if not rows_with:
        return table
    names: dict[str, list[Any]] = {}
    for index, extra in rows_with:
        for key, value in extra.items():
            column = names.get(key)
            if column is None:
                column = names[key] = [None] * len(extras)
            column[index] = value
    for key, values in names.items():
        name = key if key not in table.column_names else f"{key}_"
        table = table.append_column(name, _inferred(values))
    return table


def _inferred(values: list[Any]) -> pa.Array:
    """A column of values the spec says nothing about: Arrow's own inference, else JSON text."""
    try:
        array = pa.array(values, memory_pool=_POOL)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        array = None
    if array is None or not _storable(array.type):
        texts = [None if value is None else json.dumps(value) for value in values]
        return pa.array(texts, pa.string(), memory_pool=_POOL)
    # Text is a name, as in a query's columns, however often it repeats in this report: a type
    # that depended on the count would make two reports' tables refuse to be concatenated.
    return array.dictionary_encode() if array.type == pa.string() else array


def _storable(data_type: pa.DataType) -> bool:
    """Whether Parquet can store the type: not a struct without fields (what ``{}`` is read as),
    nor anything holding one."""
    if pa.types.is_struct(data_type):
        return data_type.num_fields > 0 and all(_storable(field.type) for field in data_type)
    if (
        pa.types.is_list(data_type)
        or pa.types.is_large_list(data_type)
        or pa.types.is_fixed_size_list(data_type)
    ):
        return _storable(data_type.value_type)
    return True


# --- analytics queries --------------------------------------------------------------------------


def query_table(
    rows: Sequence[AnalyticsQueryRow],
    *,
    meta: AnalyticsMeta | AnalyticsMetaResponse | None = None,
    columns: Sequence[str] | None = None,
) -> pa.Table:
    """One column per metric, dimension and time bucket, in ``columns`` order and then as first seen.

    A metric is typed by its ``display_format`` in ``meta``; a dimension is a name; a time
    bucket (``date__<granularity>``) a UTC timestamp; anything else by its values. A row
    that lacks a column has ``null`` there.
    """
    formats, dimensions = _meta_of(meta)
    order: dict[str, None] = dict.fromkeys(columns or ())
    for row in rows:
        for key in row.additional_properties:
            if key not in order:
                order[key] = None
    fields: list[pa.Field] = []
    arrays: list[pa.Array] = []
    for name in order:
        values = [row.additional_properties.get(name) for row in rows]
        array = _query_column(name, values, formats.get(name), name in dimensions)
        fields.append(pa.field(name, array.type))
        arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _meta_of(meta: AnalyticsMeta | AnalyticsMetaResponse | None) -> tuple[dict[str, str], set[str]]:
    if meta is None:
        return {}, set()
    if isinstance(meta, AnalyticsMetaResponse):
        meta = meta.data
    if not isinstance(meta, AnalyticsMeta):
        raise TypeError(f"meta must be what get_analytics_meta() returns, got {type(meta).__name__}")
    formats = {metric.name: str(metric.display_format) for metric in meta.metrics}
    return formats, {dimension.name for dimension in meta.dimensions}


def _query_column(name: str, values: list[Any], display_format: str | None, is_dimension: bool) -> pa.Array:
    if name.startswith(schemas.TIME_BUCKET_PREFIX):
        return _time_buckets(values)
    present = {type(value) for value in values if value is not None}
    wanted: pa.DataType | None = None
    if bool in present:  # not a number, whatever the format says: kept as sent
        return _inferred(values)
    if display_format is not None:
        wanted = schemas.METRIC_TYPES.get(display_format, pa.float64())
        # A count written 3.0 (JSON does not tell the two apart) is still a count; a fraction
        # makes the column floats, as Arrow would cut 3.5 to 3.
        whole = present <= {int, float} and all(
            type(value) is not float or value.is_integer() for value in values
        )
        if wanted == schemas.COUNT and not whole:
            wanted = pa.float64()
    elif is_dimension or (present and present <= {str}):
        wanted = schemas.NAME if present <= {str} else None
    elif present and present <= {int}:
        wanted = schemas.COUNT
    elif present and present <= {int, float}:
        wanted = pa.float64()
    return _inferred(values) if wanted is None else _typed(values, wanted)


def _typed(values: list[Any], wanted: pa.DataType) -> pa.Array:
    try:
        if wanted == schemas.NAME:
            return pa.array(values, pa.string(), memory_pool=_POOL).dictionary_encode()
        return pa.array(values, wanted, memory_pool=_POOL)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
        if wanted == pa.float64() and all(type(value) in (int, float) or value is None for value in values):
            # A whole number beyond a double's exact range (Arrow refuses to round it) is the
            # nearest double, as an activity report's money is.
            with contextlib.suppress(OverflowError):
                return pa.array([None if v is None else float(v) for v in values], wanted, memory_pool=_POOL)
        # The server sent something the format does not describe (a string for a currency, a
        # count beyond int64): kept as it came rather than dropped.
        return _inferred(values)


def _time_buckets(values: list[Any]) -> pa.Array:
    """Bucket starts as UTC timestamps: ISO text with a zone offset, or without one (taken as UTC)."""
    if not all(value is None or type(value) is str for value in values):
        return _inferred(values)
    encoded = pa.array(values, pa.string(), memory_pool=_POOL).dictionary_encode()
    starts = []
    for text in encoded.dictionary.to_pylist():
        try:
            start = dt.datetime.fromisoformat(text)
        except ValueError:
            return encoded.dictionary.take(encoded.indices)  # not times after all: kept as sent
        starts.append(start.replace(tzinfo=dt.UTC) if start.tzinfo is None else start)
    return pa.array(starts, schemas.TIME_BUCKET, memory_pool=_POOL).take(encoded.indices)


# --- summaries ----------------------------------------------------------------------------------


def summary_table(summary: Summary) -> pa.Table:
    """``schemas.SUMMARY``: the summary's rows in order, then ``other`` when ``top`` left groups out."""
    rows: list[SummaryRow] = list(summary.rows)
    kinds = ["group"] * len(rows)
    if summary.other is not None:
        rows.append(summary.other)
        kinds.append("other")
    arrays = [pa.array(kinds, schemas.NAME, memory_pool=_POOL)]
    for field in schemas.SUMMARY:
        if field.name != "kind":
            arrays.append(_summary_column(field, list(map(attrgetter(field.name), rows)), rows))
    return pa.Table.from_arrays(arrays, schema=schemas.SUMMARY)


def _summary_column(field: pa.Field, values: list[Any], rows: list[SummaryRow]) -> pa.Array:
    try:
        return pa.array(values, field.type, memory_pool=_POOL)
    except (pa.ArrowInvalid, OverflowError) as error:
        for row, value in zip(rows, values, strict=True):
            if type(value) is int and not _INT64_MIN <= value <= _INT64_MAX:
                raise UnrepresentableValueError(
                    f"{field.name} of {row.key!r} adds up to {value}, which does not fit int64"
                ) from None
        raise error


# --- views --------------------------------------------------------------------------------------


def _pandas_type(arrow_type: pa.DataType) -> Any:
    import pandas as pd

    # A day stays a day (datetime.date values), not a datetime64 at midnight or an object column.
    return pd.ArrowDtype(arrow_type) if arrow_type == schemas.DAY else None


def pandas_of(table: pa.Table) -> pandas.DataFrame:
    """The pandas view of a table built here: names categorical, days dates, buckets
    datetime64[ms, UTC], counts int64; counts with nulls (a metric some rows lack) ``Int64``,
    which holds them exactly, where numpy's float64 would round those beyond 2**53."""
    import pandas as pd

    with_nulls = {
        index: column
        for index, column in enumerate(table.columns)
        if column.type == schemas.COUNT and column.null_count
    }
    frame = table.to_pandas(types_mapper=_pandas_type, split_blocks=True, self_destruct=True)
    for index, column in with_nulls.items():
        frame[frame.columns[index]] = column.to_pandas(types_mapper={schemas.COUNT: pd.Int64Dtype()}.get)
    return frame
