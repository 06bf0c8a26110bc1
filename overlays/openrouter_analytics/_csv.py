"""CSV that reads back as written, whatever the values hold."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

__all__ = ["write_rows"]


def write_rows(file: IO[str], rows: Iterable[Sequence[Any]], *, carriage_returns: bool = True) -> int:
    """Write ``rows`` to ``file`` as CSV lines ending in ``\\n``, every value as it is; return how
    many. The csv module quotes a value holding a character of its line ending, so a value with a
    carriage return is written by a writer whose line ends in ``\\r\\n`` (then ending the line in
    ``\\n``): quoted, where the other would leave it bare and the file would not read back the
    same; the row's other values, nulls among them, are written as on any row.
    ``carriage_returns=False`` says no value holds one, and spares looking at each.
    """
    minimal = csv.writer(file, lineterminator="\n")
    if not carriage_returns:
        rows = list(rows)
        minimal.writerows(rows)
        return len(rows)
    line = io.StringIO()
    carriage = csv.writer(line, lineterminator="\r\n")
    count = 0
    for row in rows:
        if any(isinstance(value, str) and "\r" in value for value in row):
            line.seek(0)
            line.truncate()
            carriage.writerow(row)
            file.write(line.getvalue().removesuffix("\r\n") + "\n")
        else:
            minimal.writerow(row)
        count += 1
    return count
