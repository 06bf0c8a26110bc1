"""Where the local history file lives: one rule for every command and library call that opens it."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

ENV_VAR = "OPENROUTER_ANALYTICS_DB"
FILE_NAME = "history.sqlite3"
APP_NAME = "openrouter-analytics"


def database_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The history file: ``path`` when given, else ``$OPENROUTER_ANALYTICS_DB``, else
    ``history.sqlite3`` in the platform's user data directory
    (``~/.local/share/openrouter-analytics/`` on Linux)."""
    if path is not None:
        return Path(path).expanduser()
    from_env = os.environ.get(ENV_VAR)
    if from_env and not from_env.strip():
        from openrouter_analytics._validation import describe
        from openrouter_analytics.errors import InvalidParameterError

        # Set, but to no path: a file named with spaces in the working directory is not meant.
        raise InvalidParameterError("path", f"{ENV_VAR} must be the path of a file, {describe(from_env)}")
    if from_env:
        return Path(from_env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / FILE_NAME


def sync_command(path: Path, *options: str) -> str:
    """The command that syncs into ``path``: with ``--db`` unless it is where a sync goes anyway."""
    words = ["openrouter-activity", "sync"]
    if path != database_path():
        words += ["--db", shell_word(str(path))]
    return " ".join([*words, *(option for option in options if option)])


def shell_word(text: str) -> str:
    """``text`` as one word of a shell command, in double quotes where it needs quoting: the
    messages that suggest a command quote it whole in single quotes."""
    if shlex.quote(text) == text:
        return text
    escaped = "".join(f"\\{character}" if character in '\\"$`' else character for character in text)
    return f'"{escaped}"'
