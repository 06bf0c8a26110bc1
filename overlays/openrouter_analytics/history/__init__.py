"""The local history: every completed day of ``/activity`` kept in a SQLite file."""

from ._location import database_path

__all__ = ["database_path"]
