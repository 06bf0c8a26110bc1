"""Writing a fetched window: every day replaced as a whole, in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from openrouter_analytics_client.models import ActivityResponse
from openrouter_analytics_client.types import UNSET

from ._days import SyncResult, find_gaps

__all__ = ["KEPT_DAYS", "rows_by_day", "window", "write_window"]

KEPT_DAYS: Final = 30
"""How many completed UTC days ``GET /activity`` returns."""

_INSERT: Final = (
    "INSERT INTO activity (series_id, date, row, model, model_permaslug, endpoint_id, provider_name, "
    "workspace_id, usage, byok_usage_inference, requests, prompt_tokens, completion_tokens, "
    "reasoning_tokens, cached_tokens, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_MAX_INTEGER: Final = 2**63 - 1

Row = tuple[Any, ...]
"""An activity row's stored columns after ``series_id, date, row``."""


def window(today: dt.date) -> list[str]:
    """The completed days the API returns when ``today`` is today, oldest first."""
    return [(today - dt.timedelta(days=offset)).isoformat() for offset in range(KEPT_DAYS, 0, -1)]


def _bad_row(index: int, field: str, problem: str) -> Exception:
    from openrouter_analytics.errors import ResponseValidationError

    return ResponseValidationError(
        f"row {index} of the answer cannot be kept: {field} {problem}; nothing was written",
        location=f"data.{index}.{field}",
        status_code=200,
        body="",
        headers={},
        request=None,
        request_id=None,
    )


def rows_by_day(report: ActivityResponse) -> dict[str, list[Row]]:
    """The report's rows as stored columns, per day; a row that cannot be kept as it came (a
    date that is not a day, an integer past 64 bits) is refused with the whole answer."""
    days: dict[str, list[Row]] = {}
    for index, item in enumerate(report.data):
        day = item.date
        if len(day) != 10:
            raise _bad_row(index, "date", f"{day[:40]!r} is not a YYYY-MM-DD day")
        try:
            dt.date.fromisoformat(day)
        except ValueError:
            raise _bad_row(index, "date", f"{day[:40]!r} is not a YYYY-MM-DD day") from None
        counts = (item.requests, item.prompt_tokens, item.completion_tokens, item.reasoning_tokens)
        if any(abs(count) > _MAX_INTEGER for count in (*counts, item.cached_tokens)):
            raise _bad_row(index, "tokens", "is an integer beyond 64 bits")
        workspace = item.workspace_id
        extra = item.additional_properties
        row = (
            item.model,
            item.model_permaslug,
            item.endpoint_id,
            item.provider_name,
            None if workspace is UNSET else workspace,
            float(item.usage),
            float(item.byok_usage_inference),
            *counts,
            item.cached_tokens,
            json.dumps(extra, sort_keys=True, allow_nan=False) if extra else None,
        )
        rows = days.get(day)
        if rows is None:
            days[day] = [row]
        else:
            rows.append(row)
    return days


def _digest(rows: Sequence[Row]) -> str:
    # repr() writes floats exactly; sorting makes the digest independent of the API's row order.
    return hashlib.sha256("\n".join(sorted(map(repr, rows))).encode()).hexdigest()


def write_window(
    connection: sqlite3.Connection,
    path: Path,
    series_id: int,
    *,
    account: str,
    days: list[str],
    rows: dict[str, list[Row]],
    fetched_at: str,
) -> SyncResult:
    """Replace each of ``days`` with its ``rows`` (none: a day without activity), inside the
    caller's transaction; days not listed are not touched."""
    first, last = days[0], days[-1]
    stored = dict(
        connection.execute(
            "SELECT date, digest FROM days WHERE series_id = ? AND date BETWEEN ? AND ?",
            (series_id, first, last),
        ).fetchall()
    )
    before = [
        date for (date,) in connection.execute("SELECT date FROM days WHERE series_id = ?", (series_id,))
    ]
    added, updated, unchanged = [], [], []
    total = 0
    for day in days:
        day_rows = rows.get(day, [])
        total += len(day_rows)
        digest = _digest(day_rows)
        old = stored.get(day)
        if old == digest:
            unchanged.append(day)
            connection.execute(
                "UPDATE days SET fetched_at = ? WHERE series_id = ? AND date = ?",
                (fetched_at, series_id, day),
            )
            continue
        if old is None:
            added.append(day)
        else:
            updated.append(day)
            connection.execute("DELETE FROM activity WHERE series_id = ? AND date = ?", (series_id, day))
        connection.executemany(
            _INSERT, [(series_id, day, number, *row) for number, row in enumerate(day_rows)]
        )
        connection.execute(
            "INSERT OR REPLACE INTO days (series_id, date, fetched_at, rows, digest) VALUES (?, ?, ?, ?, ?)",
            (series_id, day, fetched_at, len(day_rows), digest),
        )
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
    )
