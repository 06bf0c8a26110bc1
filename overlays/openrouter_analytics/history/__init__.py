"""The local history: every completed day of ``/activity`` kept in a SQLite file.

    from openrouter_analytics import Analytics
    from openrouter_analytics.history import History

    with Analytics() as analytics, History() as history:
        print(history.sync(analytics).summary_line())
        last_quarter = history.activity(since="2026-07-01", until="2026-09-30")

:func:`connect` opens the file with the package's settings (WAL, busy timeout, the schema up to
date, clear errors for a bad file), for every part of the package that keeps a table in it.
"""

from ._connect import connect
from ._days import Day, Gap, SyncResult
from ._errors import AccountMismatchError, HistoryError, HistoryFileError, NotInHistoryError
from ._location import database_path
from ._schema import SCHEMA_VERSION
from ._store import History

__all__ = [
    "SCHEMA_VERSION",
    "AccountMismatchError",
    "Day",
    "Gap",
    "History",
    "HistoryError",
    "HistoryFileError",
    "NotInHistoryError",
    "SyncResult",
    "connect",
    "database_path",
]
