"""What was sent, kept in the history file so a warning reaches people once per period.

One table, ``notifications_sent``, in the same SQLite file as the local history
(:func:`openrouter_analytics.history.database_path`), opened with the history's own
:func:`~openrouter_analytics.history.connect` (WAL journal, busy timeout, the schema brought up
to date, the same refusals of a bad file) and created on first use. This module writes nothing
else in the file: the history's tables and ``PRAGMA user_version`` are its migrations' business.
A row means "this warning of this budget, for this period, was delivered to this destination";
it is written only after delivery, each write in a transaction of its own, so a crash or a kill
leaves the file as it was or with the row, never half of it.

Destinations are kept as the SHA-256 of their URL: an Apprise URL may carry a token or a
password, and the file must not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from openrouter_analytics._validation import describe
from openrouter_analytics.errors import InvalidParameterError, OpenRouterError

__all__ = ["TABLE", "SentStore", "SentStoreError", "destination_id"]

TABLE: Final = "notifications_sent"

_SCHEMA: Final = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    destination TEXT NOT NULL,  -- SHA-256 of the Apprise URL, never the URL itself
    kind TEXT NOT NULL,         -- 'budget' or 'check'
    scope TEXT NOT NULL,        -- which budget or limits: amounts, grouping, filters
    period TEXT NOT NULL,       -- 'YYYY-MM' for a budget, 'YYYY-MM-DD' for a check
    group_name TEXT NOT NULL,   -- 'total', a model slug, a provider name, a workspace id
    warning TEXT NOT NULL,      -- '80%', 'forecast', 'max_cost', 'max_increase'
    sent_at TEXT NOT NULL,      -- when it was delivered, ISO 8601 in UTC
    PRIMARY KEY (destination, kind, scope, period, group_name, warning)
)"""


class SentStoreError(OpenRouterError):
    """The file that keeps what was sent cannot be read or written; ``path`` names it.

    When the history's :func:`~openrouter_analytics.history.connect` refused the file (not
    SQLite, a newer schema, not writable, a full disk), the message is the history's own,
    which says what to do.
    """

    def __init__(self, path: Path, reason: str, *, message: str | None = None) -> None:
        super().__init__(message or f"cannot use {path} to keep the notifications sent: {reason}")
        self.path = path


def destination_id(url: str) -> str:
    """How the store names a destination: the SHA-256 of its URL, in hex."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


class SentStore:
    """The ``notifications_sent`` table of the history file at ``path`` (default: the history's
    own location rule: ``OPENROUTER_ANALYTICS_DB``, else the platform's user data directory).

    The file and its directory are created on first use if missing.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        from openrouter_analytics.history import database_path

        if path is not None and not str(os.fspath(path)).strip():
            raise InvalidParameterError("path", f"path must be the path of a file, {describe(path)}")
        self.path = database_path(path)
        self._ready = False

    def __repr__(self) -> str:
        return f"SentStore({str(self.path)!r})"

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """The file opened by the history's :func:`connect`, this table created on first use;
        the history's errors become :class:`SentStoreError` with the history's words."""
        from openrouter_analytics.history import HistoryError, connect

        try:
            connection = connect(self.path)
        except HistoryError as exc:
            raise SentStoreError(self.path, str(exc), message=str(exc)) from exc
        try:
            if not self._ready:
                with self._transaction(connection):
                    connection.execute(_SCHEMA)
                self._ready = True
            yield connection
        except HistoryError as exc:
            raise SentStoreError(self.path, str(exc), message=str(exc)) from exc
        except sqlite3.Error as exc:
            raise SentStoreError(self.path, _reason(exc)) from exc
        finally:
            connection.close()

    def _transaction(self, connection: sqlite3.Connection) -> contextlib.AbstractContextManager[None]:
        """The history's write transaction: ``BEGIN IMMEDIATE``, waiting for another writer."""
        from openrouter_analytics.history._connect import transaction

        return transaction(connection, self.path)

    def sent(self, destination: str, kind: str, scope: str, period: str) -> frozenset[tuple[str, str]]:
        """The ``(group, warning)`` pairs already delivered to ``destination`` (see
        :func:`destination_id`) for this budget and period."""
        with self._connection() as connection:
            return HeldStore(connection).sent(destination, kind, scope, period)

    def record(
        self,
        destination: str,
        kind: str,
        scope: str,
        period: str,
        warnings: Iterable[tuple[str, str]],
        *,
        sent_at: dt.datetime | None = None,
    ) -> None:
        """Remember that ``warnings`` were delivered to ``destination``: all of them, or none
        should the process die while writing."""
        with self.held() as store:
            store.record(destination, kind, scope, period, warnings, sent_at=sent_at)

    @contextlib.contextmanager
    def held(self) -> Iterator[HeldStore]:
        """The table, held for one destination's look, delivery and record: a run at once on
        the same file waits, then finds the warnings sent, so none goes out twice."""
        with self._connection() as connection, self._transaction(connection):
            yield HeldStore(connection)


class HeldStore:
    """The sent table through one connection: :meth:`SentStore.sent` and :meth:`SentStore.record`
    read and write through it, and within :meth:`SentStore.held` the caller does."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def sent(self, destination: str, kind: str, scope: str, period: str) -> frozenset[tuple[str, str]]:
        rows = self._connection.execute(
            f"SELECT group_name, warning FROM {TABLE} "  # noqa: S608 - the table name is ours
            "WHERE destination = ? AND kind = ? AND scope = ? AND period = ?",
            (destination, kind, scope, period),
        ).fetchall()
        return frozenset((group, warning) for group, warning in rows)

    def record(
        self,
        destination: str,
        kind: str,
        scope: str,
        period: str,
        warnings: Iterable[tuple[str, str]],
        *,
        sent_at: dt.datetime | None = None,
    ) -> None:
        moment = (sent_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")
        self._connection.executemany(
            f"INSERT OR IGNORE INTO {TABLE} "  # noqa: S608 - the table name is ours
            "(destination, kind, scope, period, group_name, warning, sent_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(destination, kind, scope, period, group, warning, moment) for group, warning in warnings],
        )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
