"""``History``: the library's door to the local history, for syncing it and reading it."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, Final, Literal, ParamSpec, Self, TypeVar

from openrouter_analytics._files import nearest_existing

from ._accounts import Account, find_account, fingerprint, resolve_for_sync
from ._connect import as_file_errors, check_whole, connect, not_writable, transaction
from ._days import Day, Gap, SyncResult, find_gaps
from ._errors import HistoryFileError, NotInHistoryError
from ._location import database_path, sync_command

if TYPE_CHECKING:
    from openrouter_analytics._client import Analytics, AsyncAnalytics
    from openrouter_analytics.summary import GroupBy, SortKey, Summary
    from openrouter_analytics_client.models import ActivityResponse

    from ._writing import Extras, Row

__all__ = ["History", "Series"]

_WRITE_CACHE_KIB: Final = 64 * 1024
_DEFAULT_CACHE_SIZE: Final = -2000  # SQLite's own default: 2,000 KiB

_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")

P = ParamSpec("P")
T = TypeVar("T")

Series = tuple[str, str]
"""The filter of /activity a series of days was fetched with: (api_key_hash, user_id), '' for none."""


def _checked_path(path: str | os.PathLike[str] | None) -> str | os.PathLike[str] | None:
    from openrouter_analytics._validation import describe
    from openrouter_analytics.errors import InvalidParameterError

    if path is None or (isinstance(path, str | os.PathLike) and str(os.fspath(path)).strip()):
        return path
    raise InvalidParameterError("path", f"path must be the path of a file, {describe(path)}")


def _checked_account(name: object) -> str | None:
    """An account's name as a person can read it back and type it: not blank, no control characters."""
    from openrouter_analytics._validation import describe
    from openrouter_analytics.errors import InvalidParameterError

    if name is None or (isinstance(name, str) and name.strip() and not _CONTROL.search(name)):
        return name
    raise InvalidParameterError(
        "account",
        f"account must be a non-blank name without control characters, e.g. 'acme', {describe(name)}",
    )


def _check_creatable(path: Path) -> None:
    """Refuse a new file where none can be made: under a file, or in a directory this process
    cannot write (the nearest one that exists; the others are made on the first write)."""
    above = nearest_existing(path)
    if above is None:
        return
    if not above.is_dir():
        raise HistoryFileError(
            f"cannot create the history {path}: {above} is not a directory; pass --db with another path "
            "(or set OPENROUTER_ANALYTICS_DB); nothing was changed",
            path=path,
        )
    if not os.access(above, os.W_OK | os.X_OK):
        raise not_writable(path, f"the directory {above}")


def _identity(path: Path) -> tuple[int, int] | None:
    """The file at ``path`` (device and inode), or None where there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _filters(api_key_hash: str | None, user_id: str | None) -> Series:
    """The series of a filter: the key hash as the API takes it (in lower case, so that one key
    is one series however its hash was typed), and the user id."""
    from openrouter_analytics._validation import check_api_key_hash, describe
    from openrouter_analytics.errors import InvalidParameterError

    for name, value in (("api_key_hash", api_key_hash), ("user_id", user_id)):
        if value is not None and not isinstance(value, str):
            raise InvalidParameterError(name, f"{name} must be a string, {describe(value)}")
        if value is not None and not value.strip():
            raise InvalidParameterError(
                name, f"{name} must not be blank (leave it out for no filter), {describe(value)}"
            )
    return (check_api_key_hash(api_key_hash) or "", user_id or "")


def _series_words(series: Series) -> str:
    words = [
        f"--api-key-hash {series[0]}" if series[0] else "",
        f"--user-id {series[1]}" if series[1] else "",
    ]
    return " ".join(word for word in words if word)


def _now() -> str:
    """When a sync asks the API, as its days record it: a day is replaced only by an answer asked
    for no earlier than the one it holds."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _today(today: dt.date | str | None) -> dt.date:
    if today is None:
        return dt.datetime.now(dt.UTC).date()
    from openrouter_analytics._validation import parse_day

    return dt.date.fromisoformat(parse_day(today, "today"))


def _reading_the_file(method: Callable[Concatenate[History, P], T]) -> Callable[Concatenate[History, P], T]:
    """``method``, with an error of SQLite or the OS while it reads (a damaged file, one that
    vanished) raised as the :class:`HistoryFileError` that names the file and what to do."""

    @functools.wraps(method)
    def reading(self: History, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with as_file_errors(self.path):
            return method(self, *args, **kwargs)

    return reading


class History:
    """The local history: every completed UTC day of ``GET /activity`` kept in a SQLite file.

    ::

        from openrouter_analytics import Analytics, summarize
        from openrouter_analytics.history import History

        with Analytics() as analytics, History() as history:
            result = history.sync(analytics)          # fetch the 30-day window and keep it
            print(result.summary_line())
            year = history.activity(since="2026-01-01")  # an ActivityResponse, as from the API
        print(summarize(year, by="model").total.cost)

    Args:
        path: the file; default ``$OPENROUTER_ANALYTICS_DB``, else ``history.sqlite3`` in the
            platform's user data directory (see :func:`database_path`).
        account: the name of the account to sync or read. A sync without it writes to the
            account its key synced before (a file's first sync names it ``key-`` and the
            key's fingerprint); a read without it reads the file's only account.

    The file is opened on first use and closed by :meth:`close` (or the ``with`` block).
    A ``History`` may be used from one thread at a time; processes may share a file.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, account: str | None = None) -> None:
        self._path = database_path(_checked_path(path))
        self._account_name = _checked_account(account)
        self._connection: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None

    def __repr__(self) -> str:
        return f"History({str(self._path)!r})"

    @property
    def path(self) -> Path:
        """The history file."""
        return self._path

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file (it is opened again on next use)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def connection(self, *, create: bool = False) -> sqlite3.Connection:
        """The open SQLite connection (opened with :func:`connect`), for your own queries."""
        if self._connection is not None and _identity(self._path) != self._identity:
            # The file was replaced (restored from a backup), moved or deleted since it was
            # opened: what is at the path now is the history.
            self.close()
        if self._connection is None:
            self._connection = connect(self._path, create=create)
            self._identity = _identity(self._path)
        return self._connection

    # -- syncing --------------------------------------------------------------------------

    @_reading_the_file
    def _before_fetch(self, key: str) -> None:
        """Refuse an unusable file, or a key of another account, before asking the API."""
        if not self._path.exists():
            _check_creatable(self._path)
            return
        connection = self.connection(create=True)
        check_whole(connection, self._path)
        resolve_for_sync(connection, self._path, fingerprint(key), self._account_name, record=False)

    def _write(
        self, key: str, series: Series, report: ActivityResponse, today: dt.date, fetched_at: str
    ) -> SyncResult:
        from openrouter_analytics_client.types import paused_gc

        from ._writing import check_clock, rows_by_day, window

        # The rows' tuples cannot form cycles; collecting again and again as they appear costs
        # more than making them.
        with paused_gc():
            days_rows, extras_of = rows_by_day(report)
            days = window(today)
            check_clock(days_rows, days, today)

            def release() -> None:
                # The answer's rows, no longer needed once written, are freed while SQLite commits.
                days_rows.clear()
                report.data = []

            # Only the window's days are written: rows of today (unfinished), and rows dated
            # before the window (a stray row of a day, not the day), are left out.
            return self._write_days(
                key, series, days_rows, days, extras_of=extras_of, fetched_at=fetched_at, release=release
            )

    def _write_days(
        self,
        key: str,
        series: Series,
        days_rows: dict[str, list[Row]],
        days: list[str],
        *,
        extras_of: Extras,
        fetched_at: str,
        release: Callable[[], object] | None = None,
    ) -> SyncResult:
        from ._writing import write_window

        connection = self.connection(create=True)
        # A window's rows fit in the page cache until the commit, rather than spilling to the log.
        connection.execute(f"PRAGMA cache_size = {-_WRITE_CACHE_KIB}")
        try:
            with transaction(connection, self._path, while_committing=release):
                account = resolve_for_sync(
                    connection, self._path, fingerprint(key), self._account_name, record=True
                )
                connection.execute(
                    "INSERT OR IGNORE INTO series (account_id, api_key_hash, user_id) VALUES (?, ?, ?)",
                    (account[0], *series),
                )
                (series_id,) = connection.execute(
                    "SELECT series_id FROM series WHERE account_id = ? AND api_key_hash = ? AND user_id = ?",
                    (account[0], *series),
                ).fetchone()
                result = write_window(
                    connection,
                    self._path,
                    series_id,
                    account=account[1],
                    days=days,
                    rows=days_rows,
                    fetched_at=fetched_at,
                    extras_of=extras_of,
                )
                if _identity(self._path) != self._identity:  # the days would go to a file no one finds
                    raise HistoryFileError(
                        f"the history {self._path} was moved or deleted while the sync wrote it; nothing "
                        "was written; run the sync again",
                        path=self._path,
                    )
        finally:
            connection.execute(f"PRAGMA cache_size = {_DEFAULT_CACHE_SIZE}")
        if _identity(self._path) != self._identity:
            self._lost_while_committing(connection)
        return result

    def _lost_while_committing(self, connection: sqlite3.Connection) -> None:
        """The file at the path was replaced, moved or deleted while the sync committed: the days
        went to the file that was there. Its log (``-wal``, named by the path) is emptied into it,
        so that a file restored at the path does not read this sync's pages as its own."""
        with contextlib.suppress(sqlite3.Error):
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.close()
        raise HistoryFileError(
            f"the history {self._path} was moved, replaced or deleted while the sync committed its "
            "days; they went with the file that was there, not to the one there now; run the sync again",
            path=self._path,
        )

    def sync(
        self,
        analytics: Analytics,
        *,
        api_key_hash: str | None = None,
        user_id: str | None = None,
        today: dt.date | str | None = None,
    ) -> SyncResult:
        """Fetch the API's window (the last 30 completed UTC days, split per workspace) and
        keep it: each day returned is replaced as a whole, in one transaction with the others;
        older days are not touched. ``api_key_hash`` or ``user_id`` keep that filter's days as
        a series of their own. ``today`` (default: the UTC clock) decides the window.

        Raises what ``get_user_activity`` raises (then nothing was written),
        :class:`HistoryFileError` for a file that cannot be used, and
        :class:`AccountMismatchError` for a key of another account than the file's.
        """
        series = _filters(api_key_hash, user_id)
        day = _today(today)
        key = analytics.settings.api_key.reveal()
        self._before_fetch(key)
        fetched_at = _now()
        report = analytics.get_user_activity(group_by="workspace", api_key_hash=api_key_hash, user_id=user_id)
        return self._write(key, series, report, day, fetched_at)

    async def async_sync(
        self,
        analytics: AsyncAnalytics,
        *,
        api_key_hash: str | None = None,
        user_id: str | None = None,
        today: dt.date | str | None = None,
    ) -> SyncResult:
        """:meth:`sync` with an :class:`AsyncAnalytics`; the file is written in a worker thread,
        so the event loop is not blocked while another process holds the file."""
        import anyio.to_thread

        series = _filters(api_key_hash, user_id)
        day = _today(today)
        key = analytics.settings.api_key.reveal()
        await anyio.to_thread.run_sync(self._before_fetch, key)
        fetched_at = _now()
        report = await analytics.get_user_activity(
            group_by="workspace", api_key_hash=api_key_hash, user_id=user_id
        )
        return await anyio.to_thread.run_sync(self._write, key, series, report, day, fetched_at)

    # -- reading --------------------------------------------------------------------------

    def _reader(self) -> tuple[sqlite3.Connection, Account]:
        connection = self.connection(create=False)
        return connection, find_account(connection, self._path, self._account_name)

    def _series_id(self, api_key_hash: str | None, user_id: str | None) -> int:
        series = _filters(api_key_hash, user_id)
        connection, account = self._reader()
        row = connection.execute(
            "SELECT series_id FROM series WHERE account_id = ? AND api_key_hash = ? AND user_id = ?",
            (account[0], *series),
        ).fetchone()
        if row is None:
            words = _series_words(series)
            command = sync_command(self._path, words)
            raise NotInHistoryError(
                f"the history {self._path} holds no days of the account {account[1]} fetched with "
                f"{words or 'no filter'}; '{command}' keeps them from now on",
                path=self._path,
            )
        series_id: int = row[0]
        return series_id

    @_reading_the_file
    def days(self, *, api_key_hash: str | None = None, user_id: str | None = None) -> tuple[Day, ...]:
        """Every day kept (of the whole account, or of the series synced with a filter), oldest first."""
        series_id = self._series_id(api_key_hash, user_id)
        return tuple(
            Day(date, rows, fetched_at)
            for date, rows, fetched_at in self.connection().execute(
                "SELECT date, rows, fetched_at FROM days WHERE series_id = ? ORDER BY date", (series_id,)
            )
        )

    @_reading_the_file
    def gaps(self, *, api_key_hash: str | None = None, user_id: str | None = None) -> tuple[Gap, ...]:
        """The runs of days missing between the first day kept and the last."""
        series_id = self._series_id(api_key_hash, user_id)
        return find_gaps(
            date
            for (date,) in self.connection().execute(
                "SELECT date FROM days WHERE series_id = ? ORDER BY date", (series_id,)
            )
        )

    @_reading_the_file
    def activity(
        self,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        *,
        workspace_id: str | None = None,
        api_key_hash: str | None = None,
        user_id: str | None = None,
    ) -> ActivityResponse:
        """The rows kept from ``since`` to ``until`` (both included; default: all), as an
        :class:`ActivityResponse`, so :func:`summarize`, :func:`check_spend` and every other
        reader of the API's answer work on it unchanged. Fields the spec does not declare
        come back as they came. ``workspace_id`` keeps one workspace's rows;
        ``api_key_hash`` / ``user_id`` read the series synced with that filter."""
        from ._reading import checked_range, checked_workspace, read_activity

        first, last = checked_range(since, until)
        workspace_id = checked_workspace(workspace_id)
        series_id = self._series_id(api_key_hash, user_id)
        return read_activity(self.connection(), series_id, first, last, workspace_id)

    @_reading_the_file
    def summary(
        self,
        by: GroupBy = "model",
        *,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        model: str | None = None,
        provider: str | None = None,
        sort: SortKey | None = None,
        top: int | None = None,
        workspace_id: str | None = None,
        api_key_hash: str | None = None,
        user_id: str | None = None,
    ) -> Summary:
        """``summarize(self.activity(...), by, ...)``, added up by SQLite instead: the same
        :class:`Summary`, to the last bit of every cost, without a Python object per row."""
        from ._reading import checked_workspace, summary_in_sql, summary_question

        question = summary_question(
            by, since=since, until=until, model=model, provider=provider, sort=sort, top=top
        )
        workspace_id = checked_workspace(workspace_id)
        series_id = self._series_id(api_key_hash, user_id)
        return summary_in_sql(self.connection(), series_id, question, workspace_id)

    @_reading_the_file
    def export(
        self,
        output: str | os.PathLike[str] | None,
        format: Literal["csv", "jsonl", "parquet"],
        *,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        workspace_id: str | None = None,
        api_key_hash: str | None = None,
        user_id: str | None = None,
    ) -> int:
        """Write the rows kept from ``since`` to ``until`` to the file ``output`` (None:
        stdout) as CSV (a header of :data:`COLUMNS`; ``extra`` is the undeclared fields as
        JSON) or JSON Lines (each row as the API sent it), or to the directory ``output`` as
        Parquet partitioned by month (``month=2026-09/part-0.parquet``, each month the
        ``to_arrow()`` of its rows; the ``arrow`` extra); return how many rows. A file appears
        only once written whole."""
        from openrouter_analytics._validation import check_enum

        from ._export import checked_output, export_errors, export_rows
        from ._reading import checked_range, checked_workspace

        chosen = check_enum("format", format, ("csv", "jsonl", "parquet"))
        first, last = checked_range(since, until)
        workspace_id = checked_workspace(workspace_id)
        target = checked_output(output, chosen, self._path)
        series_id = self._series_id(api_key_hash, user_id)
        if chosen == "parquet" and target is not None:
            from ._parquet import export_parquet

            days = [day.date for day in self.days(api_key_hash=api_key_hash, user_id=user_id)]

            def read(start: str, end: str) -> ActivityResponse:
                return self.activity(
                    start, end, workspace_id=workspace_id, api_key_hash=api_key_hash, user_id=user_id
                )

            with export_errors(target, self._path):
                return export_parquet(target, days, read, since=first, until=last)[0]
        connection = self.connection()
        with export_errors(target, self._path):
            return export_rows(
                connection,
                series_id,
                "csv" if chosen == "csv" else "jsonl",
                target,
                first=first,
                last=last,
                workspace_id=workspace_id,
            )

    @_reading_the_file
    def overview(self) -> list[dict[str, Any]]:
        """What is kept, per account and series: ``account``, ``api_key_hash``, ``user_id``,
        ``first_day``, ``last_day``, ``days``, ``rows``, ``gaps`` (a list of :class:`Gap`),
        ``last_fetched_at``."""
        connection = self.connection(create=False)
        found = []
        for series_id, name, key_hash, user in connection.execute(
            "SELECT s.series_id, a.name, s.api_key_hash, s.user_id FROM series s JOIN accounts a "
            "USING (account_id) ORDER BY a.name, s.api_key_hash, s.user_id"
        ).fetchall():
            dates = [
                date
                for (date,) in connection.execute(
                    "SELECT date FROM days WHERE series_id = ? ORDER BY date", (series_id,)
                )
            ]
            rows, fetched = connection.execute(
                "SELECT coalesce(sum(rows), 0), max(fetched_at) FROM days WHERE series_id = ?", (series_id,)
            ).fetchone()
            found.append(
                {
                    "account": name,
                    "api_key_hash": key_hash or None,
                    "user_id": user or None,
                    "first_day": dates[0] if dates else None,
                    "last_day": dates[-1] if dates else None,
                    "days": len(dates),
                    "rows": rows,
                    "gaps": list(find_gaps(dates)),
                    "last_fetched_at": fetched,
                }
            )
        return found

    def file_size(self) -> int:
        """Bytes on disk: the file and its write-ahead log."""
        return sum(
            candidate.stat().st_size
            for candidate in (self._path, Path(f"{self._path}-wal"))
            if candidate.exists()
        )
