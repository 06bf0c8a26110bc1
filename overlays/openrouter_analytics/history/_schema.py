"""The history file's schema: numbered migrations, applied in order, recorded in ``PRAGMA user_version``.

Version 1 (the tables are documented in the README's "The local history" section)::

    accounts     one row per account kept: its name (the ``--account`` label, or ``key-`` and the
                 fingerprint of the first key that synced it)
    account_keys the fingerprint of every key that synced an account (never the key)
    series       one account with one filter of /activity: none (the whole account), an
                 ``api_key_hash`` or a ``user_id``
    days         one row per fetched day of a series: when, how many rows, a digest of them
    dimensions   each distinct (endpoint_id, model, model_permaslug, provider_name,
                 workspace_id) of the rows, once
    activity_data every row of every fetched day: its numbers and its dimension (``extra``:
                 the fields the spec does not declare, a JSON object, or NULL)
    activity     a view: activity_data with its dimensions, every field of the API's rows

Only these tables are ours. Other tools of the package keep their own tables in the same file
(``notifications_sent``, by the budgets), created with ``CREATE TABLE IF NOT EXISTS`` and never
versioned here; a migration never drops or alters a table it did not create.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Final

__all__ = ["MIGRATIONS", "NUMBERS", "OUR_TABLES", "SCHEMA_VERSION", "SHARED_TABLES", "V1_TABLES", "migrate"]

NUMBERS: Final = (
    "usage",
    "byok_usage_inference",
    "requests",
    "prompt_tokens",
    "completion_tokens",
    "reasoning_tokens",
    "cached_tokens",
)
"""The numbers of an activity row, each a column of ``activity_data`` (and of ``activity``)."""

_V1: Final = """
CREATE TABLE IF NOT EXISTS accounts (
    account_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS account_keys (
    fingerprint TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (account_id),
    first_synced_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS series (
    series_id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (account_id),
    api_key_hash TEXT NOT NULL DEFAULT '',
    user_id TEXT NOT NULL DEFAULT '',
    UNIQUE (account_id, api_key_hash, user_id)
);
CREATE TABLE IF NOT EXISTS days (
    series_id INTEGER NOT NULL REFERENCES series (series_id),
    date TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    rows INTEGER NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (series_id, date)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dimensions (
    dimension_id INTEGER PRIMARY KEY,
    endpoint_id TEXT NOT NULL,
    model TEXT NOT NULL,
    model_permaslug TEXT NOT NULL,
    provider_name TEXT NOT NULL,
    workspace_id TEXT
);
CREATE TABLE IF NOT EXISTS activity_data (
    series_id INTEGER NOT NULL,
    date TEXT NOT NULL,
    row INTEGER NOT NULL,
    dimension_id INTEGER NOT NULL,
    usage REAL NOT NULL,
    byok_usage_inference REAL NOT NULL,
    requests INTEGER NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    reasoning_tokens INTEGER NOT NULL,
    cached_tokens INTEGER NOT NULL,
    extra TEXT,
    PRIMARY KEY (series_id, date, row)
) WITHOUT ROWID;
CREATE VIEW IF NOT EXISTS activity AS
SELECT a.series_id, a.date, a.row, d.model, d.model_permaslug, d.endpoint_id, d.provider_name,
       d.workspace_id, a.usage, a.byok_usage_inference, a.requests, a.prompt_tokens,
       a.completion_tokens, a.reasoning_tokens, a.cached_tokens, a.extra
FROM activity_data AS a JOIN dimensions AS d USING (dimension_id);
"""


def _v1(connection: sqlite3.Connection) -> None:
    for statement in _V1.split(";"):
        if statement.strip():
            connection.execute(statement)


MIGRATIONS: Final[tuple[Callable[[sqlite3.Connection], None], ...]] = (_v1,)
"""``MIGRATIONS[n - 1]`` takes the file from version ``n - 1`` to ``n``."""

SCHEMA_VERSION: Final = len(MIGRATIONS)

V1_TABLES: Final = frozenset({"accounts", "account_keys", "series", "days", "dimensions", "activity_data"})
"""The tables of schema 1, which a file of any version of ours holds."""
OUR_TABLES: Final = V1_TABLES
SHARED_TABLES: Final = frozenset({"notifications_sent"})
"""Tables other parts of the package keep in the history file, unversioned."""


def migrate(connection: sqlite3.Connection, *, to: int = SCHEMA_VERSION) -> int:
    """Apply the migrations after the file's version, up to ``to``, in one transaction that the
    caller has begun; return the version the file had."""
    version: int = connection.execute("PRAGMA user_version").fetchone()[0]
    for number in range(version + 1, to + 1):
        MIGRATIONS[number - 1](connection)
    if to > version:
        connection.execute(f"PRAGMA user_version = {int(to)}")
    return version
