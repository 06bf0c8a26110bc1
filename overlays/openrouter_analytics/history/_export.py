"""The history out of the file: CSV and JSON Lines (one file), Parquet (a directory
partitioned by month, ``month=2026-09/part-0.parquet``, that DuckDB, Polars, Spark, Trino,
BigQuery and Snowflake read as one table).

Rows are streamed from SQLite to the file; a file is written beside its final name and moved
there when complete, so a reader never sees half an export.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Final, Literal

from openrouter_analytics._csv import write_rows
from openrouter_analytics._files import destination, is_history_file, mode_for, nearest_existing

from ._reading import COLUMNS, range_clause

__all__ = ["CSV_COLUMNS", "ExportFormat", "checked_output", "export_errors", "export_rows"]

ExportFormat = Literal["csv", "jsonl", "parquet"]

CSV_COLUMNS: Final = COLUMNS
"""The header of a CSV export; ``extra`` holds the fields the spec does not declare, as JSON."""

_ROW_FIELDS: Final = COLUMNS[:-1]


@contextlib.contextmanager
def _atomic_text(output: Path | None) -> Iterator[IO[str]]:
    """A text file that appears at ``output`` only once written whole (``None``: stdout)."""
    if output is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    place, whole = destination(str(output))
    if not whole:  # a pipe or a device: written to, not replaced
        with open(output, "w", encoding="utf-8", newline="") as stream:
            yield stream
        return
    output = Path(place)
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode_for(output))
        os.replace(temporary, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def checked_output(output: object, export_format: str, history: Path) -> Path | None:
    """``output`` as a path, refused before anything is read or written when no export could be
    written there: not a path, blank, a directory for a file's rows, under a file, or the
    ``history`` file itself."""
    from openrouter_analytics._validation import describe
    from openrouter_analytics.errors import InvalidParameterError

    if output is None:
        if export_format == "parquet":
            raise InvalidParameterError("output", "a Parquet export is a directory: pass output=PATH")
        return None
    if not isinstance(output, str | os.PathLike) or not str(os.fspath(output)).strip():
        raise InvalidParameterError(
            "output", f"output must be the path of a file (or None: stdout), {describe(output)}"
        )
    target = Path(output)
    if export_format != "parquet" and str(os.fspath(output)).endswith(("/", os.sep)):
        raise InvalidParameterError(
            "output",
            f"output {os.fspath(output)} ends in '/', a directory's path; a {export_format} export is a file",
        )
    if export_format != "parquet" and target.is_dir():
        raise InvalidParameterError(
            "output", f"output {target} is a directory; a {export_format} export is a file: pass its path"
        )
    above = nearest_existing(target)
    if above is not None and not above.is_dir():
        raise InvalidParameterError("output", f"output {target} is under {above}, which is not a directory")
    if is_history_file(target, history):
        raise InvalidParameterError(
            "output", f"output {target} is the history file itself: pass another path for the export"
        )
    return target


@contextlib.contextmanager
def export_errors(output: Path | None, history: Path) -> Iterator[None]:
    """An error writing ``output`` (None: stdout) as a :class:`HistoryFileError` about the export,
    not the history, that says the file there was left as it was."""
    from ._connect import file_error
    from ._errors import HistoryFileError

    try:
        yield
    except sqlite3.Error as exc:
        error = file_error(exc, history)
        if error is None:
            raise
        raise error from exc
    except OSError as exc:
        where = "stdout" if output is None else str(output)
        full = exc.errno in (errno.ENOSPC, errno.EFBIG)
        reason = "the disk is full (or the file reached its size limit)" if full else exc.strerror or str(exc)
        kept = "" if output is None else f"; anything at {output} was left as it was"
        raise HistoryFileError(f"cannot write the export to {where}: {reason}{kept}", path=history) from exc


def _cursor(
    connection: sqlite3.Connection,
    series_id: int,
    first: str | None,
    last: str | None,
    workspace_id: str | None,
) -> sqlite3.Cursor:
    clause, values = range_clause(series_id, first, last, workspace_id)
    return connection.execute(
        f"SELECT {', '.join(COLUMNS)} FROM activity WHERE {clause} ORDER BY series_id, date, row",  # noqa: S608
        values,
    )


def export_rows(
    connection: sqlite3.Connection,
    series_id: int,
    export_format: Literal["csv", "jsonl"],
    output: Path | None,
    *,
    first: str | None = None,
    last: str | None = None,
    workspace_id: str | None = None,
) -> int:
    """Write the rows from ``first`` to ``last`` (ISO days, None: open) as CSV or JSON Lines
    to ``output`` (None: stdout); return how many."""
    cursor = _cursor(connection, series_id, first, last, workspace_id)
    count = 0
    with _atomic_text(output) as file:
        if export_format == "csv":
            write_rows(file, [CSV_COLUMNS])
            return write_rows(file, cursor)
        for row in cursor:
            record = dict(zip(_ROW_FIELDS, row, strict=False))
            if record["workspace_id"] is None:
                del record["workspace_id"]
            if row[-1] is not None:
                record = {**json.loads(row[-1]), **record}
            file.write(json.dumps(record, allow_nan=False))
            file.write("\n")
            count += 1
    return count
