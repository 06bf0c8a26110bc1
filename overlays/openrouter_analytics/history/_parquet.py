"""The history as Parquet, partitioned by month (Hive style): ``DIR/month=2026-09/part-0.parquet``.

DuckDB (``read_parquet('DIR/**/*.parquet', hive_partitioning = true)``), Polars, Spark, Trino,
BigQuery and Snowflake read such a directory as one table with a ``month`` column. Each month's
rows are read back as an ``ActivityResponse`` and turned into Arrow by its ``to_arrow()``, the
one mapping of the package's models to Arrow types, so a Parquet export has the very columns
and types of ``report.to_arrow()``.

The whole export is written to a directory beside ``DIR`` and renamed into place when every
month is complete: a failed export leaves the old ``DIR`` as it was. An existing ``DIR`` is
replaced as a whole (it then holds exactly the months asked for), but only if it is empty or
holds nothing but ``month=YYYY-MM`` directories of ``part-N.parquet`` files, as an earlier
export left it; any other directory or file is refused, never deleted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from openrouter_analytics._files import umask
from openrouter_analytics_client.models import ActivityResponse

from ._errors import HistoryFileError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["export_parquet"]

_PARTITION: Final = re.compile(r"month=\d{4}-\d{2}")
_PART: Final = re.compile(r"part-\d+\.parquet")


def _month_end(month: str) -> str:
    first = dt.date.fromisoformat(f"{month}-01")
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (following - dt.timedelta(days=1)).isoformat()


def _check_replaceable(output: Path) -> None:
    """Refuse an ``output`` that is not a directory an earlier export could have left."""
    if not output.exists():
        return
    if not output.is_dir() or output.is_symlink():
        raise HistoryFileError(
            f"{output} exists and is not a directory; a Parquet export is a directory of months: "
            "pass a new or empty directory",
            path=output,
        )
    others = sorted(name for entry in output.iterdir() for name in _not_exported(entry))
    if others:
        raise HistoryFileError(
            f"{output} holds {', '.join(others[:3])}{', ...' if len(others) > 3 else ''}, not only "
            "month=YYYY-MM directories of an earlier export; pass a new or empty directory "
            "(nothing was changed)",
            path=output,
        )


def _not_exported(entry: Path) -> list[str]:
    """What in ``entry`` (of a directory to replace) no export wrote: a month directory holding
    anything but its Parquet parts, or anything else at all, named relative to that directory."""
    if not _PARTITION.fullmatch(entry.name) or entry.is_symlink() or not entry.is_dir():
        return [entry.name]
    return [
        f"{entry.name}/{inner.name}"
        for inner in entry.iterdir()
        if not _PART.fullmatch(inner.name) or inner.is_symlink() or not inner.is_file()
    ]


def export_parquet(
    output: Path,
    days: list[str],
    read: Callable[[str, str], ActivityResponse],
    *,
    since: str | None,
    until: str | None,
) -> tuple[int, list[str]]:
    """Write the months of ``days`` within ``since``/``until``, each read with ``read(first,
    last)``, to the directory ``output`` (replacing an earlier export there as a whole); return
    how many rows and which months."""
    from openrouter_analytics.tables import require

    require("pyarrow", "history export --format parquet")
    from pyarrow import parquet

    _check_replaceable(output)
    kept = [day for day in days if (since is None or day >= since) and (until is None or day <= until)]
    months = sorted({day[:7] for day in kept})
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent))
    old = staging.with_suffix(".old")
    rows = 0
    try:
        parts = []
        for month in months:
            first = max(f"{month}-01", since or "")
            last = min(_month_end(month), until or "9999-12-31")
            table = read(first, last).to_arrow()
            part = staging / f"month={month}" / "part-0.parquet"
            part.parent.mkdir()
            parquet.write_table(table, part, compression="zstd")
            rows += table.num_rows
            parts.append(part)
        _one_schema(parts)
        staging.chmod(0o777 & ~umask())
        try:
            if output.exists():
                os.replace(output, old)
            os.replace(staging, output)
        except BaseException:  # an OS error, or a signal between the two: the old export goes back
            if old.exists() and not output.exists():
                os.replace(old, output)
            raise
    finally:
        for leftover in (staging, old):
            with contextlib.suppress(OSError):
                shutil.rmtree(leftover)
    return rows, months


def _one_schema(parts: list[Path]) -> None:
    """Give every month's part the same columns, so that readers of the directory see one
    table: the fields the spec does not declare (their types inferred month by month) may
    differ between months. A column a month lacks is added to it as nulls; one whose types
    differ is a double where they are all numbers, else each value's JSON text, as one table
    of all the months would hold it. A month already of that schema is not written again."""
    import pyarrow as pa
    from pyarrow import parquet

    schemas = [parquet.read_schema(part) for part in parts]
    fields: dict[str, list[pa.Field]] = {}
    for schema in schemas:
        for field in schema:
            fields.setdefault(field.name, []).append(field)
    wanted = pa.schema(
        [_common_field(found, everywhere=len(found) == len(schemas)) for found in fields.values()]
    )
    for part, schema in zip(parts, schemas, strict=True):
        if schema.remove_metadata().equals(wanted):
            continue
        table = parquet.read_table(part)
        columns = [
            _as_type(table.column(field.name), field.type)
            if field.name in schema.names
            else pa.nulls(table.num_rows, field.type)
            for field in wanted
        ]
        parquet.write_table(
            pa.Table.from_arrays(columns, schema=wanted.with_metadata(schema.metadata)),
            part,
            compression="zstd",
        )


def _common_field(found: list[pa.Field], *, everywhere: bool) -> pa.Field:
    """The field of a column in every month: as the months have it where they agree (a month
    without the column has nulls there)."""
    import pyarrow as pa

    known = [kind for kind in dict.fromkeys(field.type for field in found) if kind != pa.null()]
    if len(known) <= 1:
        field = found[0].with_type(known[0]) if known else found[0]
    elif all(pa.types.is_integer(kind) or pa.types.is_floating(kind) for kind in known):
        field = found[0].with_type(pa.float64())
    else:
        field = found[0].with_type(pa.string())
    return (
        field
        if everywhere and all(one.nullable == field.nullable for one in found)
        else field.with_nullable(True)
    )


def _as_type(column: pa.ChunkedArray, wanted: pa.DataType) -> pa.ChunkedArray | pa.Array:
    import json

    import pyarrow as pa

    if column.type == wanted:
        return column
    if wanted == pa.string() and not pa.types.is_null(column.type):
        texts = [None if value is None else json.dumps(value) for value in column.to_pylist()]
        return pa.array(texts, pa.string())
    return column.cast(wanted)
