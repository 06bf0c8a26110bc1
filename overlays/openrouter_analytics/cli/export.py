"""Where a command's result goes: stdout, or ``--output FILE`` written atomically; and the
file formats that need the ``arrow`` extra (Parquet, FOCUS).

A file is written whole or not at all: the result goes to a temporary file in the same
directory, which is flushed to disk and then renamed over FILE. A run that fails (an API
error, a full disk, an interrupt) leaves FILE as it was and no temporary file behind.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from openrouter_analytics._files import destination, mode_for
from openrouter_analytics.cli.exits import UsageError

if TYPE_CHECKING:
    from openrouter_analytics.cli.session import Session
    from openrouter_analytics.summary import Summary

__all__ = [
    "ARROW_FORMATS",
    "add_output_argument",
    "check_output",
    "deliver",
    "parquet_bytes",
    "require_arrow",
    "summary_records",
    "table_of_answer",
    "write_atomically",
]

ARROW_FORMATS: Final = frozenset({"parquet", "focus"})
"""The --format values that need pyarrow and --output."""


def add_output_argument(group: Any, binary: str = "parquet") -> None:
    """--output; ``binary`` names the formats of the command that need it."""
    group.add_argument(
        "--output",
        metavar="FILE",
        help=f"write the result to FILE ('-': stdout), whole or not at all (needed for {binary})",
    )


def check_output(args: argparse.Namespace) -> None:
    """--output: ``-`` is stdout (refused for the binary formats), and a path no file could be
    written to is refused before anything is fetched."""
    if args.output is None:
        return
    if args.output == "-":
        if args.format in ARROW_FORMATS:
            raise UsageError(f"--format {args.format} writes a file, not stdout: pass --output FILE")
        args.output = None
        return
    flaw = _path_flaw(args.output)
    if flaw is not None:
        raise UsageError(flaw)
    place, whole = destination(args.output)
    if not whole:
        if not os.access(args.output, os.W_OK):
            raise UsageError(f"cannot write --output {args.output}: permission denied")
        return
    target = Path(place)
    if target.is_dir():
        raise UsageError(f"cannot write --output {args.output}: it is a directory; pass the path of a file")
    folder = target.parent
    if not folder.exists():
        raise UsageError(f"cannot write --output {args.output}: the directory {folder} does not exist")
    if not folder.is_dir():
        raise UsageError(f"cannot write --output {args.output}: {folder} is not a directory")
    # The file is written beside its place and renamed there: the directory must take a new file.
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write --output {args.output}: the directory {folder} is not writable")
    if getattr(args, "history", False):
        from openrouter_analytics._files import is_history_file
        from openrouter_analytics.history import database_path

        if is_history_file(target, database_path(args.db)):
            raise UsageError(f"--output {args.output} is the history file --history reads: pass another path")


def _path_flaw(output: str) -> str | None:
    """What is wrong with --output's text itself, before the path is looked at."""
    if not output.strip():
        return "--output needs the path of a file ('-' writes to stdout)"
    if output.endswith(("/", os.sep)):
        return (
            f"cannot write --output {output}: a path ending in '/' is a directory's; pass the path of a file"
        )
    return None


def require_arrow(args: argparse.Namespace) -> None:
    """--format parquet or focus: pyarrow installed and a file to write to, before anything is fetched."""
    if args.format not in ARROW_FORMATS:
        return
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise UsageError(
            f"--format {args.format} needs pyarrow, which is not installed: "
            "pip install 'openrouter-analytics[arrow]'"
        ) from None
    if not args.output:
        raise UsageError(f"--format {args.format} writes a file: add --output FILE")


def write_atomically(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step; on any failure ``path`` is left as it was.
    What is not a regular file (see ``_files.destination``) is written to, not replaced."""
    place, whole = destination(path)
    if not whole:
        try:
            with open(path, "wb") as stream:
                stream.write(data)
        except OSError as error:
            raise UsageError(f"cannot write --output {path}: {error.strerror or error}") from None
        return
    target = Path(place)
    directory = target.parent
    try:
        descriptor, scratch = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise UsageError(f"cannot write --output {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(scratch, mode_for(target))
        os.replace(scratch, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(scratch)
        if isinstance(error, OSError):
            raise UsageError(
                f"cannot write --output {path}: {error.strerror or error}; the file is as it was"
            ) from None
        raise


def deliver(args: argparse.Namespace, session: Session, result: str | bytes, rows: int) -> None:
    """The result to --output FILE when given (with a note on stderr), else to stdout."""
    if not args.output:
        session.output(result if isinstance(result, str) else result.decode())
        return
    write_atomically(args.output, result.encode() if isinstance(result, str) else result)
    session.note(f"wrote {rows:,} row{'s' if rows != 1 else ''} to {args.output}")


def parquet_bytes(table: Any) -> bytes:
    """A pyarrow table as the bytes of a Parquet file (zstd), schema and types kept."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    data: bytes = sink.getvalue().to_pybytes()
    return data


@contextlib.contextmanager
def table_of_answer(args: argparse.Namespace) -> Iterator[None]:
    """Around making a table of the answer: a value no column of --format parquet or focus can
    hold (a count beyond int64) is refused in the tool's words, with the formats that keep it."""
    from openrouter_analytics.tables import UnrepresentableValueError

    try:
        yield
    except UnrepresentableValueError as exc:
        raise UsageError(
            f"--format {args.format} cannot hold this answer: {exc}; --format json or csv keep every value"
        ) from None


def summary_records(summary: Summary) -> Any:
    """The report's Parquet table: the columns of its CSV (``group_by`` first), typed as
    ``Summary.to_arrow()`` types them, plus ``activity_rows``."""
    import pyarrow as pa

    from openrouter_analytics.cli.text import others_label

    table = summary.to_arrow()
    if summary.other is not None:  # labelled as in the CSV: (7 others)
        labels = table.column("label").to_pylist()
        labels[-1] = others_label(summary.other_groups)
        index = table.schema.get_field_index("label")
        table = table.set_column(
            index, table.schema.field(index), pa.array(labels, table.schema.field(index).type)
        )
    grouping = pa.array([summary.by] * table.num_rows, pa.string()).dictionary_encode()
    return table.add_column(0, "group_by", grouping)
