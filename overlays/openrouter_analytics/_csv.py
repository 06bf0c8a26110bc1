"""CSV that reads back as written, whatever the values hold."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import IO, Any

__all__ = ["write_rows"]


def write_rows(file: IO[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write ``rows`` to ``file`` as CSV lines ending in ``\\n``, every value as it is; return how
    many. A row with a carriage return in a value is quoted whole: the csv module quotes only the
    characters of its line ending, so it would leave that one bare and the file would not read
    back the same.
    """
    minimal = csv.writer(file, lineterminator="\n")
    every = csv.writer(file, lineterminator="\n", quoting=csv.QUOTE_ALL)
    count = 0
    for row in rows:
        (every if any(isinstance(value, str) and "\r" in value for value in row) else minimal).writerow(row)
        count += 1
    return count
