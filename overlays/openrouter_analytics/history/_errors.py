"""The errors of the local history: each names the file and says what to do."""

from __future__ import annotations

from pathlib import Path

from openrouter_analytics.errors import OpenRouterError

__all__ = ["AccountMismatchError", "HistoryError", "HistoryFileError", "NotInHistoryError"]


class HistoryError(OpenRouterError):
    """Base class of the history's errors; ``path`` is the history file."""

    def __init__(self, message: str, *, path: Path | str) -> None:
        super().__init__(message)
        self.path = str(path)


class HistoryFileError(HistoryError):
    """The file cannot be used: not SQLite, written by a newer version, not writable, or the
    disk is full. Nothing in it was changed."""


class AccountMismatchError(HistoryError):
    """A sync would mix one account's days into another's history, or a read names no account
    of a file that holds several."""


class NotInHistoryError(HistoryError):
    """The history holds nothing for what was asked (an account, a filter never synced)."""
