"""Days, gaps and what a sync did: the history's small typed results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from ._errors import NotInHistoryError

__all__ = ["Day", "Gap", "SyncResult", "find_gaps", "outside_kept", "range_not_kept"]


@attrs.frozen
class Gap:
    """Days missing from a history, from ``first`` to ``last`` (both included): they fell out of
    the API's 30-day window before any sync saw them. Never filled with made-up zeros."""

    first: str
    last: str

    @property
    def days(self) -> int:
        """How many days the gap is."""
        return (dt.date.fromisoformat(self.last) - dt.date.fromisoformat(self.first)).days + 1

    def __str__(self) -> str:
        return self.first if self.first == self.last else f"{self.first} to {self.last}"


@attrs.frozen
class Day:
    """A day kept in the history: its date, how many rows it has, and when it was fetched."""

    date: str
    rows: int
    fetched_at: str


def find_gaps(dates: Iterable[str]) -> tuple[Gap, ...]:
    """The runs of days missing between the first and the last of ``dates`` (sorted)."""
    gaps = []
    previous: dt.date | None = None
    for text in dates:
        day = dt.date.fromisoformat(text)
        if previous is not None and (day - previous).days > 1:
            gaps.append(
                Gap((previous + dt.timedelta(days=1)).isoformat(), (day - dt.timedelta(days=1)).isoformat())
            )
        previous = day
    return tuple(gaps)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@attrs.frozen
class SyncResult:
    """What one sync wrote: every day of the window it fetched, each added, updated (a late
    correction) or unchanged, and the gaps it found."""

    path: str
    account: str
    first_day: str
    """The first day of the window fetched."""
    last_day: str
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    rows: int
    """How many rows were written: every row the API returned but those of :attr:`left_out`
    and of :attr:`kept_newer`."""
    new_gaps: tuple[Gap, ...]
    """Gaps this sync found: reported once, here, and listed by :meth:`History.gaps` after."""
    gaps: tuple[Gap, ...]
    """Every gap of the history after the sync."""
    history_first: str
    history_last: str
    fetched_at: str
    left_out: tuple[str, ...] = ()
    """Days the answer held rows of outside the window it asked for: today (not a
    completed day), or before the window (rows of a day the API no longer returns whole, which
    would pass for the day, and make a gap of the days between). Their rows were not written;
    a day kept is as it was."""
    kept_newer: tuple[str, ...] = ()
    """Days of the window a sync that asked the API later than this one (at once, in another
    process) wrote first: they keep that newer answer, untouched here, and are in none of
    :attr:`added`, :attr:`updated` and :attr:`unchanged`."""
    emptied: tuple[str, ...] = ()
    """Days of :attr:`updated` that had activity and have none in this answer: kept so, as the
    API's last word on them, but an answer missing days (an outage) would do the same; a sync
    while they are still in the API's window puts back what it returns then."""

    @property
    def days(self) -> int:
        """How many days the sync wrote or confirmed."""
        return len(self.added) + len(self.updated) + len(self.unchanged)

    def summary_line(self) -> str:
        """``30 days: 1 new, 2 updated, 27 unchanged; history 2026-03-02 to 2026-12-05, 0 gaps``."""
        return (
            f"{_plural(self.days, 'day')}: {len(self.added)} new, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged; history {self.history_first} to {self.history_last}, "
            f"{_plural(len(self.gaps), 'gap')}"
        )


def range_not_kept(
    days: Sequence[Day], since: str | None, until: str | None, *, asked: str, path: Path | str
) -> NotInHistoryError | None:
    """The error for a range that holds none of the ``days`` kept (wholly before or after them,
    or in a gap; ``asked``: the range in the words the user gave it), or None: nothing is known
    there, not even that it cost nothing."""
    first, last = days[0].date, days[-1].date
    low, high = since or first, until or last
    if any(low <= day.date <= high for day in days):
        return None
    where = "; the range falls in a gap" if first < low and high < last else ""
    return NotInHistoryError(
        f"{asked} asks for days the history {path} does not keep (it keeps {first} to {last}{where}); "
        "a day is kept from the first sync whose 30-day window holds it",
        path=path,
    )


def outside_kept(days: Sequence[Day], since: str | None, until: str | None) -> tuple[Gap, ...]:
    """The parts of ``since`` to ``until`` before the first of the ``days`` kept and after the
    last (none where the range is open on that side): days no report counts, not days without
    cost."""
    if not days:
        return ()
    one_day = dt.timedelta(days=1)
    first, last = days[0].date, days[-1].date
    parts = []
    if since is not None and since < first:
        parts.append(Gap(since, (dt.date.fromisoformat(first) - one_day).isoformat()))
    if until is not None and until > last:
        parts.append(Gap((dt.date.fromisoformat(last) + one_day).isoformat(), until))
    return tuple(parts)
