"""Whose days a history holds: accounts, known by a name and the fingerprints of their keys.

A key is never stored: only a short fingerprint of it, a salted SHA-256 cut to 16 hex digits,
which tells one key from another and cannot be turned back into the key (nor matched with the
``api_key_hash`` of OpenRouter's filters, which is the plain SHA-256).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path
from typing import Final

from ._errors import AccountMismatchError, NotInHistoryError
from ._location import sync_command

__all__ = ["Account", "find_account", "fingerprint", "resolve_for_sync"]

_SALT: Final = b"openrouter-analytics history account\x00"
_PREFIX: Final = "key-"

Account = tuple[int, str]
"""(account_id, name)."""


def fingerprint(key: str) -> str:
    """The key's fingerprint: 16 hex digits of a salted SHA-256."""
    return hashlib.sha256(_SALT + key.encode()).hexdigest()[:16]


def _names(connection: sqlite3.Connection) -> list[str]:
    return [name for (name,) in connection.execute("SELECT name FROM accounts ORDER BY name")]


def _by_name(connection: sqlite3.Connection, name: str) -> Account | None:
    row = connection.execute("SELECT account_id, name FROM accounts WHERE name = ?", (name,)).fetchone()
    return None if row is None else (row[0], row[1])


def _by_key(connection: sqlite3.Connection, key_fingerprint: str) -> Account | None:
    row = connection.execute(
        "SELECT a.account_id, a.name FROM account_keys k JOIN accounts a USING (account_id) "
        "WHERE k.fingerprint = ?",
        (key_fingerprint,),
    ).fetchone()
    return None if row is None else (row[0], row[1])


def find_account(connection: sqlite3.Connection, path: Path, name: str | None) -> Account:
    """The account a read is about: ``name``, or the file's only one."""
    if name is not None:
        found = _by_name(connection, name)
        if found is None:
            names = _names(connection)
            held = f"it holds {', '.join(names)}" if names else "it holds none yet"
            raise NotInHistoryError(f"the history {path} has no account {name!r}; {held}", path=path)
        return found
    names = _names(connection)
    if not names:
        raise NotInHistoryError(
            f"the history {path} holds no days yet; '{sync_command(path)}' fetches them", path=path
        )
    if len(names) > 1:
        raise AccountMismatchError(
            f"the history {path} holds {len(names)} accounts ({', '.join(names)}); pass --account "
            f"NAME to choose one",
            path=path,
        )
    found = _by_name(connection, names[0])
    assert found is not None
    return found


def resolve_for_sync(
    connection: sqlite3.Connection, path: Path, key_fingerprint: str, name: str | None, *, record: bool
) -> Account:
    """The account a sync with this key (and ``--account name``) writes to; refuses to mix.

    Without a name, the key's own account, or, in a file without accounts, a new one named
    ``key-<fingerprint>``. With a name, that account (new or not), unless the key already wrote
    another one. ``record`` adds the account and the key's fingerprint when they are new.
    """
    owner = _by_key(connection, key_fingerprint)
    if name is None:
        if owner is not None:
            return owner
        names = _names(connection)
        if names:
            raise AccountMismatchError(
                f"this key (fingerprint {key_fingerprint}) has never synced into the history {path}, "
                f"which holds the account{'s' if len(names) > 1 else ''} {', '.join(names)}: if it is a "
                f"new key of {'that account' if len(names) == 1 else 'one of them'}, pass --account "
                f"{names[0] if len(names) == 1 else 'with its name'}; to keep another account in the "
                f"same file, pass --account NEW-NAME; or use another file with --db",
                path=path,
            )
        name = _PREFIX + key_fingerprint
    elif owner is not None and owner[1] != name:
        raise AccountMismatchError(
            f"this key (fingerprint {key_fingerprint}) syncs the account {owner[1]} of the history "
            f"{path}, not {name}: pass --account {owner[1]}, or use another file with --db",
            path=path,
        )
    account = _by_name(connection, name)
    if not record:
        return account if account is not None else (0, name)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if account is None:
        cursor = connection.execute("INSERT INTO accounts (name, created_at) VALUES (?, ?)", (name, now))
        assert cursor.lastrowid is not None
        account = (cursor.lastrowid, name)
    if owner is None:
        connection.execute(
            "INSERT INTO account_keys (fingerprint, account_id, first_synced_at) VALUES (?, ?, ?)",
            (key_fingerprint, account[0], now),
        )
    return account
