"""Files the package writes whole: the mode of one (a temporary file, private as mkstemp makes
it, renamed over the target, which should end with the mode a plain ``open()`` would have given
it), where a new one's missing directories would be made, whether a target is the history, and
what a target is replaced at (the file a link names) or written through (a pipe, a device)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["destination", "is_history_file", "mode_for", "nearest_existing", "umask"]


def umask() -> int:
    """The process's umask. Read from /proc where Linux shows it: setting it to read it (the
    only other way) leaves other threads creating files meanwhile with no mask at all."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0)
    os.umask(mask)
    return mask


def mode_for(path: Path) -> int:
    """The mode for a file written at ``path``: the mode of the file it replaces, or for a new
    one the umask's."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~umask()


def nearest_existing(path: Path) -> Path | None:
    """The nearest directory above ``path`` that exists (or a file there, which no path can be
    under), where a new file's missing directories would be made."""
    return next((parent for parent in path.parents if parent.exists()), None)


def is_history_file(output: Path, history: Path) -> bool:
    """Whether writing ``output`` would write over the history file ``history`` (the file itself
    by any path to it, or its log beside it): the one copy of the days the API no longer serves."""
    for kept in (history, Path(f"{history}-wal"), Path(f"{history}-shm")):
        try:
            if output.resolve() == kept.resolve() or (
                output.exists() and kept.exists() and output.samefile(kept)
            ):
                return True
        except OSError:
            continue
    return False


def destination(path: str) -> tuple[str, bool]:
    """Where ``--output path`` writes, and whether a file is replaced whole there: a regular
    file (or a new one) is, at the path a symbolic link names, so the link stays a link; a
    terminal, a pipe, a device (``/dev/stdout``, ``/dev/null``) is written to as a shell's ``>``
    would, never replaced by a file."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return os.path.realpath(path), True
    except OSError:
        return path, True  # the checks and the write say what is wrong
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):  # a directory: refused by the caller's checks
        return os.path.realpath(path), True
    return path, False
