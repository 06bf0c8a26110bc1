"""Opening the history file: one place for its settings (WAL, busy timeout) and for the errors
that say what is wrong with a file and what to do.

Every part of the package that keeps something in the history file opens it with
:func:`connect`, so they all wait for each other the same way and refuse the same bad files.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final, TypeVar

from ._errors import HistoryFileError, NotInHistoryError
from ._location import database_path, sync_command
from ._schema import OUR_TABLES, SCHEMA_VERSION, SHARED_TABLES, V1_TABLES, migrate

__all__ = [
    "BUSY_TIMEOUT",
    "as_file_errors",
    "check_whole",
    "connect",
    "file_error",
    "not_writable",
    "transaction",
]

T = TypeVar("T")

BUSY_TIMEOUT: Final = 60.0
"""Seconds a connection waits for another process's write to end before giving up."""

_SQLITE_HEADER: Final = b"SQLite format 3\x00"
_UPGRADE: Final = "pip install --upgrade openrouter-analytics"
_FULL_MARKERS: Final = ("database or disk is full", "disk i/o error", "file too large")
_READ_ONLY_MARKERS: Final = ("readonly database", "unable to open database file", "read-only")
_BUSY_MARKERS: Final = ("database is locked", "database is busy")
_DAMAGED_MARKERS: Final = ("malformed", "database corrupt")


def file_error(exc: BaseException, path: Path) -> HistoryFileError | None:
    """The :class:`HistoryFileError` an error of SQLite or the OS means for ``path``, or None
    when it is none of those (a bug, to be raised as it is)."""
    text = str(exc).lower()
    if isinstance(exc, sqlite3.DatabaseError) and "file is not a database" in text:
        return HistoryFileError(
            f"{path} is not a SQLite file, so it is not a history; pass --db with another path "
            f"(or set OPENROUTER_ANALYTICS_DB), or move the file away; it was left as it is",
            path=path,
        )
    if any(marker in text for marker in _FULL_MARKERS) or (
        isinstance(exc, OSError) and exc.errno in (28, 27)  # ENOSPC, EFBIG
    ):
        return HistoryFileError(
            f"cannot write the history {path}: the disk is full (or the file reached its size "
            f"limit); free some space and run again; nothing was changed",
            path=path,
        )
    if _read_only(exc):
        return not_writable(path, str(exc))
    if any(marker in text for marker in _BUSY_MARKERS):
        return HistoryFileError(
            f"the history {path} stayed locked by another process for over {BUSY_TIMEOUT:g} s; "
            f"run again once it is done; nothing was changed",
            path=path,
        )
    if isinstance(exc, OSError | sqlite3.DatabaseError):
        return _damaged(exc, path) or HistoryFileError(f"cannot use the history {path}: {exc}", path=path)
    return None


def not_writable(path: Path, detail: str) -> HistoryFileError:
    """The error for a history this process may not write, ``detail`` saying what refused."""
    # SQLite makes them with the file's permissions, so a read-only file leaves read-only ones.
    beside = [f"{path.name}{suffix}" for suffix in ("-wal", "-shm") if Path(f"{path}{suffix}").exists()]
    also = f" (and of {' and '.join(beside)} beside it)" if beside else ""
    return HistoryFileError(
        f"cannot write the history {path}: the file or its directory is not writable ({detail}); "
        f"fix the permissions{also}, or pass --db with a writable path (or set "
        "OPENROUTER_ANALYTICS_DB); nothing was changed",
        path=path,
    )


def _read_only(exc: BaseException) -> bool:
    """Whether SQLite or the OS refused to write: the file, its directory or a file beside it."""
    return isinstance(exc, PermissionError) or any(
        marker in str(exc).lower() for marker in _READ_ONLY_MARKERS
    )


def _damaged(exc: BaseException, path: Path) -> HistoryFileError | None:
    if not isinstance(exc, sqlite3.DatabaseError) or not any(
        marker in str(exc).lower() for marker in _DAMAGED_MARKERS
    ):
        return None
    return _damaged_file(str(exc), path)


def _damaged_file(detail: str, path: Path) -> HistoryFileError:
    return HistoryFileError(
        f"the history {path} is damaged ({detail}); restore it from a backup, or move it away and run "
        f"'{sync_command(path)}' to start a new one (it then keeps only the API's last 30 days); "
        "it was left as it is",
        path=path,
    )


def check_whole(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse a damaged file before it is written: a sync may touch none of its damaged pages (a
    window of days unchanged), and must not then say all is well. SQLite's quick check reads
    every page (a quarter of a second for a million rows)."""
    with as_file_errors(path):
        (verdict,) = connection.execute("PRAGMA quick_check(1)").fetchone()
    if verdict != "ok":
        raise _damaged_file(f"quick_check: {str(verdict)[:200]}", path)


@contextlib.contextmanager
def as_file_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except (OSError, sqlite3.Error) as exc:
        error = file_error(exc, path)
        if error is None:
            raise
        raise error from exc


@contextlib.contextmanager
def _as_reading_errors(path: Path) -> Iterator[None]:
    """:func:`as_file_errors` for a reader: SQLite reads a file in WAL mode only where it may make
    the file's shared-memory index (``-shm``) beside it, which a directory this user cannot write
    refuses, though nothing is written to the history itself."""
    try:
        yield
    except (OSError, sqlite3.Error) as exc:
        if not _read_only(exc):
            error = file_error(exc, path)
            if error is None:
                raise
            raise error from exc
        raise HistoryFileError(
            f"cannot read the history {path}: SQLite reads it only where it may create "
            f"{path.name}-shm beside it (its index of the write-ahead log), and this user cannot "
            f"write to {path.parent}; let this user write there, or copy the file (while no sync "
            "runs) and read the copy; it was left as it is",
            path=path,
        ) from exc


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as file:
            head = file.read(len(_SQLITE_HEADER))
    except IsADirectoryError:
        raise HistoryFileError(
            f"{path} is a directory; pass --db with the path of a file, e.g. {path / 'history.sqlite3'}",
            path=path,
        ) from None
    if head and head != _SQLITE_HEADER:
        raise HistoryFileError(
            f"{path} is not a SQLite file, so it is not a history; pass --db with another path "
            f"(or set OPENROUTER_ANALYTICS_DB), or move the file away; it was left as it is",
            path=path,
        )


def _retrying(step: Callable[[], T]) -> T:
    """``step()``, again while another process holds a lock SQLite's busy timeout does not wait
    for (changing the journal mode, or a write begun in a read transaction)."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    delay = 0.01
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if not any(marker in str(exc).lower() for marker in _BUSY_MARKERS):
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def _check_version(connection: sqlite3.Connection, path: Path) -> int:
    version: int = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = {
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    foreign = sorted(tables - OUR_TABLES - SHARED_TABLES)
    # A version of ours without our tables is another program's use of user_version.
    if (version == 0 and foreign) or (version > 0 and not tables >= V1_TABLES):
        listed = f" (tables {', '.join(foreign[:5])})" if foreign else ""
        raise HistoryFileError(
            f"{path} is a SQLite database of something else{listed}, not a history; pass --db with "
            "another path; it was left as it is",
            path=path,
        )
    if version > SCHEMA_VERSION:
        raise HistoryFileError(
            f"{path} was written by a newer openrouter-analytics (history schema {version}; this "
            f"version knows up to {SCHEMA_VERSION}); upgrade it ({_UPGRADE}); the file was left "
            f"as it is",
            path=path,
        )
    return version


def transaction(
    connection: sqlite3.Connection, path: Path, *, while_committing: Callable[[], object] | None = None
) -> contextlib.AbstractContextManager[None]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` on any error (the COMMIT's too);
    SQLite and OS errors become :class:`HistoryFileError`. Waits for another process's write to
    end.

    ``while_committing`` is called while SQLite commits on another thread, and the commit
    awaited: Python work that needs no answer from the commit (freeing what was written) then
    takes none of the commit's time, which SQLite spends without the interpreter's lock."""

    @contextlib.contextmanager
    def run() -> Iterator[None]:
        with as_file_errors(path):
            _retrying(lambda: connection.execute("BEGIN IMMEDIATE"))
            try:
                yield
                if while_committing is None:
                    connection.execute("COMMIT")
                else:
                    _commit_beside(connection, while_committing)
            except BaseException:
                # A COMMIT that failed may leave the transaction open (a deferred constraint, a
                # full disk): ended here, so that the connection can begin the next one.
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
                raise

    return run()


def _commit_beside(connection: sqlite3.Connection, work: Callable[[], object]) -> None:
    """COMMIT on a thread of its own while ``work()`` runs here; raises what the commit raised."""
    import threading

    failure: list[BaseException] = []

    def commit() -> None:
        try:
            connection.execute("COMMIT")
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=commit, name="openrouter-analytics-commit")
    thread.start()
    try:
        work()
    finally:
        thread.join()
    if failure:
        raise failure[0]


def _no_history(where: Path) -> NotInHistoryError:
    return NotInHistoryError(
        f"there is no history at {where} yet; '{sync_command(where)}' starts one"
        + (" (or pass --db with the path of yours)" if where == database_path() else ""),
        path=where,
    )


def connect(path: str | os.PathLike[str] | None = None, *, create: bool = True) -> sqlite3.Connection:
    """Open the history file (see :func:`database_path`) with the package's settings: WAL
    journal, a busy timeout of :data:`BUSY_TIMEOUT` seconds, autocommit (begin your own
    transactions, e.g. with ``BEGIN IMMEDIATE``), the schema brought up to date.

    A missing file is created (with its directory), and an empty one made a history, when
    ``create`` is true; else :class:`NotInHistoryError`, the file left untouched. A file that is
    not SQLite, a SQLite file of something else, one written by a newer schema, or a path that
    cannot be written raise :class:`HistoryFileError` naming the path and what to do, and leave
    the file as it was.
    """
    where = database_path(path)
    exists = where.exists()
    if exists:
        _check_header(where)
    elif not create:
        raise _no_history(where)
    with as_file_errors(where):
        if not exists:
            where.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(
            where, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
    try:
        with as_file_errors(where) if create else _as_reading_errors(where):
            version = _check_version(connection, where)
            if version == 0 and not create:
                # An empty file (or one of the budgets' alone): a reader leaves it untouched.
                raise _no_history(where)
            mode = _retrying(lambda: connection.execute("PRAGMA journal_mode = WAL").fetchone()[0])
            if str(mode).lower() != "wal" and create:
                raise HistoryFileError(f"cannot use the history {where}: journal mode {mode}", path=where)
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
        if version < SCHEMA_VERSION:
            with transaction(connection, where):
                # Another process may have migrated the file since the first look.
                _check_version(connection, where)
                migrate(connection)
    except BaseException:
        connection.close()
        raise
    return connection
