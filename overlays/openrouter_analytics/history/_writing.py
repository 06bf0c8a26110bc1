"""Writing a fetched window: every day replaced as a whole, in one transaction."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import json
import operator
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Final, NamedTuple

from openrouter_analytics_client.models import ActivityResponse
from openrouter_analytics_client.types import UNSET, undeclared_of

from ._days import SyncResult, find_gaps
from ._schema import NUMBERS

__all__ = ["KEPT_DAYS", "Extras", "check_clock", "item_extras", "rows_by_day", "window", "write_window"]

KEPT_DAYS: Final = 30
"""How many completed UTC days ``GET /activity`` returns."""

# The series is written into the statement, the day bound once per statement: fewer values to
# bind per row, and one statement compiled for every day of a sync. Each statement inserts
# _CHUNK rows (or one), numbered from its first parameter on: SQLite runs one statement per
# _CHUNK rows rather than per row, which halves the time a window's rows take to write.
_CHUNK: Final = 64
_COLUMNS: Final = (
    "series_id, date, row, dimension_id, usage, byok_usage_inference, requests, prompt_tokens, "
    "completion_tokens, reasoning_tokens, cached_tokens, extra"
)


@functools.cache
def _insert(series_id: int, rows: int, *, extra: bool) -> str:
    """The INSERT of ``rows`` rows: the first row's number, their day, then each row's
    dimension and numbers, and its extra where ``extra`` (else NULL: see :func:`_insert_rows`)."""
    one = f"({series_id:d}, ?2, ?1 + {{number}}, ?, ?, ?, ?, ?, ?, ?, ?, {'?' if extra else 'NULL'})"
    values = ", ".join(one.format(number=number) for number in range(rows))
    return f"INSERT INTO activity_data ({_COLUMNS}) VALUES {values}"  # noqa: S608


Row = Any
"""A row of a day: an object with the fields of ``ActivityItem`` as attributes (endpoint_id,
model, model_permaslug, provider_name, workspace_id, usage, byok_usage_inference, requests,
prompt, completion, reasoning and cached tokens, additional_properties)."""

_DATE: Final = operator.attrgetter("date")
_EXTRA: Final = operator.attrgetter("additional_properties")


# The rows' fields are read by list comprehensions: an attribute read inline (specialised by
# the interpreter) costs half what map(attrgetter(name), rows) does, and a list per number
# is several times faster than transposing a tuple of all seven per row.
def _dimensions(rows: list[Row]) -> list[tuple[Any, ...]]:
    """Each row's dimension: (endpoint_id, model, model_permaslug, provider_name, workspace_id)."""
    return [
        (row.endpoint_id, row.model, row.model_permaslug, row.provider_name, row.workspace_id) for row in rows
    ]


def _numbers(rows: list[Row]) -> tuple[list[Any], ...]:
    """The rows' numbers, a list for each of :data:`NUMBERS`, in its order."""
    return (
        [row.usage for row in rows],
        [row.byok_usage_inference for row in rows],
        [row.requests for row in rows],
        [row.prompt_tokens for row in rows],
        [row.completion_tokens for row in rows],
        [row.reasoning_tokens for row in rows],
        [row.cached_tokens for row in rows],
    )


Extras = Callable[[list[Row]], list[dict[str, Any]] | None]
"""The undeclared fields of each of some rows (``{}`` for a row without any), or None where no
row has any."""


def item_extras(rows: list[Row]) -> list[dict[str, Any]] | None:
    """:data:`Extras` of ``ActivityItem`` rows: their ``additional_properties``."""
    extras = list(map(_EXTRA, rows))
    return extras if any(extras) else None


def window(today: dt.date) -> list[str]:
    """The completed days the API returns when ``today`` is today, oldest first."""
    return [(today - dt.timedelta(days=offset)).isoformat() for offset in range(KEPT_DAYS, 0, -1)]


def check_clock(answered: Iterable[str], days: list[str], today: dt.date) -> None:
    """Refuse an answer whose days do not fit the window this machine's clock gives: rows of a
    day after today (the clock is behind the server's), or rows none of which fall in the window
    (the clock is ahead). Written anyway, it would replace the window's days that have activity
    with days without any, and fill gaps with them."""
    answered = sorted(answered)
    later = [day for day in answered if day > today.isoformat()]
    if later:
        raise bad_answer(
            f"the answer holds rows of {_span(later)}, after today ({today.isoformat()}) by this "
            "machine's clock; is the clock right?",
            "data",
        )
    if answered and not set(answered) & set(days):
        raise bad_answer(
            f"the answer holds rows of {_span(answered)}, none of them in the window of {days[0]} to "
            f"{days[-1]} this machine's clock gives (today: {today.isoformat()}); is the clock right?",
            "data",
        )


def _span(days: list[str]) -> str:
    return days[0] if len(days) == 1 else f"{days[0]} to {days[-1]}"


def bad_answer(message: str, location: str) -> Exception:
    from openrouter_analytics.errors import ResponseValidationError

    return ResponseValidationError(
        f"{message}; nothing was written",
        location=location,
        status_code=200,
        body="",
        headers={},
        request=None,
        request_id=None,
    )


def _beyond_64_bits(day: str) -> Exception:
    """A count SQLite cannot store (2**63 and over), or the digest encode (2**64 and over)."""
    return bad_answer(
        f"a count (requests or tokens) of {day} is 2**63 or more, beyond the history's integers", "data"
    )


def _check_day(day: str, index: int) -> None:
    try:
        valid = len(day) == 10 and dt.date.fromisoformat(day).isoformat() == day
    except ValueError:
        valid = False
    if not valid:
        raise bad_answer(
            f"row {index} of the answer is dated {day[:40]!r}, not a YYYY-MM-DD day", f"data[{index}].date"
        )


def rows_by_day(report: ActivityResponse) -> tuple[dict[str, list[Row]], Extras]:
    """The report's rows per day, in the API's order within each day, and how to read their
    undeclared fields; a date that is not a day refuses the whole answer.

    The rows of a decoded body are its structs, as msgspec decoded them: the history stores
    numbers and names, and making an ActivityItem of each first would cost more than the write.
    """
    decoded = report._read_pending_rows(_decoded_rows_by_day)
    return (_runs_by_day(report.data), item_extras) if decoded is None else decoded


def _decoded_rows_by_day(structs: list[Any], extra_key: str) -> tuple[dict[str, list[Row]], Extras]:
    return _runs_by_day(structs), functools.partial(undeclared_of, extra_key=extra_key)


def _runs_by_day(items: list[Row]) -> dict[str, list[Row]]:
    days: dict[str, list[Row]] = {}
    start = 0
    # The API sends a day's rows together: each run of one date is taken whole, without a
    # Python step per row. Runs of a day seen before are added to its rows.
    for day, run in itertools.groupby(map(_DATE, items)):
        end = start + len(list(run))
        rows = days.get(day)
        if rows is None:
            _check_day(day, start)
            rows = days[day] = []
        rows.extend(items[start:end])
        start = end
    return days


def _encoder() -> Callable[[Any], bytes]:
    try:
        import msgspec
    except ImportError:  # PyPy: exact too, slower
        return lambda rows: repr(rows).encode()
    return msgspec.msgpack.Encoder().encode


class _DimensionIds(dict[tuple[Any, ...], int]):
    """Each dimension's id, by its five fields, read from the file; a dimension not seen before
    is numbered on its first lookup, in the order of lookups, and listed in :attr:`new`. A row
    without workspace_id has UNSET there, so a dimension is found under UNSET as well as None."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        super().__init__()
        self.new: list[tuple[Any, ...]] = []
        """The new dimensions as stored: (dimension_id, endpoint_id, model, ..., workspace_id)."""
        for dimension_id, *dimension in connection.execute(
            "SELECT dimension_id, endpoint_id, model, model_permaslug, provider_name, workspace_id "
            "FROM dimensions"
        ):
            self._add(tuple(dimension), dimension_id)
        self._next = max(self.values(), default=0) + 1

    def _add(self, stored: tuple[Any, ...], dimension_id: int) -> None:
        self[stored] = dimension_id
        if stored[4] is None:
            self[(*stored[:4], UNSET)] = dimension_id

    def __missing__(self, dimension: tuple[Any, ...]) -> int:
        dimension_id = self._next
        self._next += 1
        stored = dimension if dimension[4] is not UNSET else (*dimension[:4], None)
        self._add(stored, dimension_id)
        self.new.append((dimension_id, *stored))
        return dimension_id


_WIDTH: Final = 2 + len(NUMBERS)
"""Values per stored row (of :func:`_values`): its dimension, the seven numbers, its extra."""

_DIGEST_VERSION: Final = "2:"
"""What a day's digest begins with; one without it was written by :func:`_digest_before_2`."""


def _values(
    dimension_ids: list[int], numbers: tuple[list[Any], ...], extras: list[str | None] | None, width: int
) -> list[Any]:
    """Rows one after another in one list, ``width`` values each: dimension, the seven numbers,
    then (where ``width`` is :data:`_WIDTH`) the undeclared fields as JSON, or None. Built column
    by column, a slice assignment each: no tuple, no Python step, per row."""
    values: list[Any] = [None] * (len(dimension_ids) * width)
    values[0::width] = dimension_ids
    for column, column_numbers in enumerate(numbers, 1):
        values[column::width] = column_numbers
    if extras is not None and width == _WIDTH:
        values[_WIDTH - 1 :: _WIDTH] = extras
    return values


class _Day(NamedTuple):
    """A day's rows as the history keeps them."""

    ids: list[int]
    """Each row's dimension."""
    numbers: tuple[list[Any], ...]
    """The rows' numbers, a list for each of :data:`NUMBERS`."""
    extras: list[str | None] | None
    """Each row's undeclared fields as JSON (None for a row without any), or None where no row
    has any."""
    values: list[Any]
    """:func:`_values` of all of them, :data:`_WIDTH` each: what the digest reads."""

    @classmethod
    def of(cls, rows: list[Row], dimension_ids: _DimensionIds, extras_of: Extras) -> _Day:
        ids = list(map(dimension_ids.__getitem__, _dimensions(rows)))
        numbers = _numbers(rows)
        undeclared = extras_of(rows)
        extras = (
            None
            if undeclared is None
            else [
                json.dumps(extra, sort_keys=True, allow_nan=False) if extra else None for extra in undeclared
            ]
        )
        return cls(ids, numbers, extras, _values(ids, numbers, extras, _WIDTH))


def _rows_of(values: list[Any]) -> list[tuple[Any, ...]]:
    """:func:`_values` as a tuple per row."""
    return list(zip(*[iter(values)] * _WIDTH, strict=True))


def _sorted_rows(dimension_ids: list[int], values: list[Any]) -> list[tuple[Any, ...]]:
    """The rows in an order that does not depend on the API's: by dimension, or, where one
    dimension appears twice in the day, by all their fields (the extra's JSON or '')."""
    if len(set(dimension_ids)) == len(dimension_ids):
        return sorted(_rows_of(values), key=operator.itemgetter(0))
    return sorted(_rows_of(values), key=lambda row: (*row[:-1], row[-1] or ""))


def _digest(encode: Callable[[Any], bytes], dimension_ids: list[int], values: list[Any]) -> str:
    """The day's digest, compared only within its file: SHA-256 of its rows in the order of
    :func:`_sorted_rows`, which a day's rows are already in when their dimensions increase (as
    they do from a first sync on where the API keeps its order), then read as they are."""
    if not all(map(operator.lt, dimension_ids, itertools.islice(dimension_ids, 1, None))):
        values = list(itertools.chain.from_iterable(_sorted_rows(dimension_ids, values)))
    return _DIGEST_VERSION + hashlib.sha256(encode(values)).hexdigest()


def _digest_before_2(encode: Callable[[Any], bytes], dimension_ids: list[int], values: list[Any]) -> str:
    """The digest of a day as histories written before digests had a version keep it: SHA-256
    of the sorted rows' tuples."""
    return hashlib.sha256(encode(_sorted_rows(dimension_ids, values))).hexdigest()


def _insert_rows(connection: sqlite3.Connection, series_id: int, day: str, rows: _Day) -> None:
    """Insert ``rows`` as rows 0, 1, ... of ``day``.

    A day without undeclared fields is written without them, its extras NULL in the statement:
    binding None goes through the sqlite3 module's adapter lookup, which costs ten times what
    binding a number does (more than half of the window's binding)."""
    extra = rows.extras is not None
    width = _WIDTH if extra else _WIDTH - 1
    values = rows.values if extra else _values(rows.ids, rows.numbers, None, width)
    count = len(rows.ids)
    whole = count - count % _CHUNK
    step = _CHUNK * width
    connection.executemany(
        _insert(series_id, _CHUNK, extra=extra),
        [(start // width, day, *values[start : start + step]) for start in range(0, whole * width, step)],
    )
    connection.executemany(
        _insert(series_id, 1, extra=extra),
        [(number, day, *values[number * width : (number + 1) * width]) for number in range(whole, count)],
    )


@functools.cache
def _dimensions_insert(rows: int) -> str:
    values = ", ".join(["(?, ?, ?, ?, ?, ?)"] * rows)
    return (
        "INSERT INTO dimensions (dimension_id, endpoint_id, model, model_permaslug, provider_name, "  # noqa: S608
        f"workspace_id) VALUES {values}"
    )


def _insert_dimensions(connection: sqlite3.Connection, new: list[tuple[Any, ...]]) -> None:
    """Insert ``new`` (of :class:`_DimensionIds`), _CHUNK to a statement."""
    whole = len(new) - len(new) % _CHUNK
    chain = itertools.chain.from_iterable
    connection.executemany(
        _dimensions_insert(_CHUNK),
        [tuple(chain(new[start : start + _CHUNK])) for start in range(0, whole, _CHUNK)],
    )
    connection.executemany(_dimensions_insert(1), new[whole:])


def write_window(
    connection: sqlite3.Connection,
    path: Path,
    series_id: int,
    *,
    account: str,
    days: list[str],
    rows: dict[str, list[Row]],
    fetched_at: str,
    extras_of: Extras = item_extras,
) -> SyncResult:
    """Replace each of ``days`` with its ``rows`` (none: a day without activity), inside the
    caller's transaction; days not listed are not touched, and the rows of other days in
    ``rows`` are left out (:attr:`SyncResult.left_out`). ``extras_of`` reads the rows'
    undeclared fields."""
    before = [
        date for (date,) in connection.execute("SELECT date FROM days WHERE series_id = ?", (series_id,))
    ]
    first, last = days[0], days[-1]
    stored: dict[str, str] = {}
    active: set[str] = set()
    newer: set[str] = set()
    for date, digest, count, fetched in connection.execute(
        "SELECT date, digest, rows, fetched_at FROM days WHERE series_id = ? AND date BETWEEN ? AND ?",
        (series_id, first, last),
    ):
        stored[date] = digest
        if count:
            active.add(date)
        if fetched > fetched_at:  # a sync that asked later wrote it first: its answer stays
            newer.add(date)
    dimension_ids = _DimensionIds(connection)
    encode = _encoder()
    added, updated, unchanged, emptied, kept_newer = [], [], [], [], []
    total = 0
    for day in days:
        if day in newer:
            kept_newer.append(day)
            continue
        day_rows: list[Row] = rows.get(day, [])
        total += len(day_rows)
        day_values = _Day.of(day_rows, dimension_ids, extras_of)
        try:
            digest = _digest(encode, day_values.ids, day_values.values)
        except OverflowError:
            raise _beyond_64_bits(day) from None
        old = stored.get(day)
        if (
            old is not None
            and not old.startswith(_DIGEST_VERSION)
            and old == _digest_before_2(encode, day_values.ids, day_values.values)
        ):
            old = digest  # kept by an earlier release, unchanged since
        if old == digest:
            unchanged.append(day)
            connection.execute(
                "UPDATE days SET fetched_at = ?, digest = ? WHERE series_id = ? AND date = ?",
                (fetched_at, digest, series_id, day),
            )
            continue
        if old is None:
            added.append(day)
        else:
            updated.append(day)
            if not day_rows and day in active:
                emptied.append(day)
            connection.execute("DELETE FROM activity_data WHERE series_id = ? AND date = ?", (series_id, day))
        try:
            _insert_rows(connection, series_id, day, day_values)
        except OverflowError:
            raise _beyond_64_bits(day) from None
        connection.execute(
            "INSERT OR REPLACE INTO days (series_id, date, fetched_at, rows, digest) VALUES (?, ?, ?, ?, ?)",
            (series_id, day, fetched_at, len(day_rows), digest),
        )
    _insert_dimensions(connection, dimension_ids.new)
    after = sorted({*before, *days})
    gaps_before = find_gaps(before)
    gaps = find_gaps(after)
    # A gap is new unless it is (part of) one the history already had.
    new_gaps = tuple(
        gap for gap in gaps if not any(old.first <= gap.first and gap.last <= old.last for old in gaps_before)
    )
    return SyncResult(
        path=str(path),
        account=account,
        first_day=first,
        last_day=last,
        added=tuple(added),
        updated=tuple(updated),
        unchanged=tuple(unchanged),
        rows=total,
        new_gaps=new_gaps,
        gaps=gaps,
        history_first=after[0],
        history_last=after[-1],
        fetched_at=fetched_at,
        left_out=tuple(sorted(set(rows) - set(days))),
        emptied=tuple(emptied),
        kept_newer=tuple(kept_newer),
    )
