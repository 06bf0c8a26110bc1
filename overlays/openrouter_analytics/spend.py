"""A yes/no on one day's spend: the rule behind ``openrouter-activity check``.

    from openrouter_analytics import Analytics, check_spend

    with Analytics() as analytics:
        report = analytics.get_user_activity()
    result = check_spend(report, max_cost=50.0, max_increase=3.0, by="model")
    for check in result.checks:
        if check.breaches:
            print(f"{check.group}: ${check.cost:.2f} on {result.day}, breaches {', '.join(check.breaches)}")
    raise SystemExit(0 if result.ok else 1)

The day checked defaults to the last completed UTC day (yesterday). A group's ``cost`` is
the day's ``usage`` added with :func:`math.fsum` (as :func:`~openrouter_analytics.summarize`
adds it); its ``baseline`` is the mean daily cost of the ``baseline_days`` days before, days
without rows counting as 0. Limits are compared with the numbers the result carries, in
floating point: ``cost > max_cost`` and ``cost > max_increase * baseline`` (the latter only
when ``cost >= min_cost``), so anyone can recheck a verdict from :meth:`SpendCheck.to_dict`.

A day without rows costs 0 and breaches nothing, but nothing was measured either: a filter
with a typo matches no rows at all. So the result counts the report's rows on the day, in
the baseline days and in the 30 days the API returns (``no_activity`` says which are empty).
A report without rows in those 30 days is never ``ok``: there was nothing to check, and a
spend guard that passes on a mistyped filter guards nothing. A quiet day in a report with
rows on other days is ``ok`` unless ``require_activity=True``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from typing import Final, Literal, TypedDict, get_args

import attrs

from openrouter_analytics_client.models import ActivityItem, ActivityResponse

from ._validation import describe, parse_day
from .errors import InvalidParameterError
from .summary import GroupBy, summarize

__all__ = [
    "BREACHES",
    "CHECK_BY",
    "DEFAULT_MIN_COST",
    "KEPT_DAYS",
    "Breach",
    "CheckBy",
    "GroupCheck",
    "GroupCheckDict",
    "NoActivity",
    "SpendCheck",
    "SpendCheckDict",
    "check_spend",
    "kept_days",
]

CheckBy = Literal["total", "model", "provider"]
"""What the limits apply to: the day's sum, or each model slug / provider name on its own."""

Breach = Literal["max_cost", "max_increase"]
"""A limit that was exceeded, named after the argument that set it."""

NoActivity = Literal["day", "window"]
"""Where a report has no rows: on the day checked only, or in the whole of the days the API returns."""

CHECK_BY: Final[tuple[CheckBy, ...]] = get_args(CheckBy)
BREACHES: Final[tuple[Breach, ...]] = get_args(Breach)

KEPT_DAYS: Final = 30
"""How many completed UTC days of activity the API returns."""

DEFAULT_MIN_COST: Final = 1.0
"""The least cost in USD that ``max_increase`` flags when ``min_cost`` is not given."""

_MAX_BASELINE_DAYS: Final = KEPT_DAYS - 1
_TOTAL_GROUP: Final = "total"
# What each ``by`` of check_spend() and check_budget() adds up with summarize().
_SUMMARY_BY: Final[dict[str, GroupBy]] = {
    "total": "none",
    "model": "model",
    "provider": "provider",
    "workspace": "workspace",
}


class GroupCheckDict(TypedDict):
    """One entry of ``checks`` in :meth:`SpendCheck.to_dict`."""

    group: str
    cost: float
    baseline: float
    max_cost: float | None
    max_increase: float | None
    breaches: list[Breach]


class SpendCheckDict(TypedDict):
    """The document :meth:`SpendCheck.to_dict` returns."""

    day: str
    ok: bool
    by: CheckBy
    checks: list[GroupCheckDict]
    rows: int
    baseline_rows: int
    window_rows: int
    require_activity: bool


@attrs.frozen
class GroupCheck:
    """The limits applied to one group: a model slug, a provider name, or ``"total"``."""

    group: str
    cost: float
    """Cost in USD on the day checked."""
    baseline: float
    """Mean daily cost in USD over the baseline days before it (days without rows count 0)."""
    max_cost: float | None
    """The limit on ``cost`` (``None`` when not set)."""
    max_increase: float | None
    """The limit on ``cost / baseline`` (``None`` when not set)."""
    breaches: tuple[Breach, ...]
    """The limits exceeded, in the order of :data:`BREACHES`; empty when within all of them."""

    def to_dict(self) -> GroupCheckDict:
        """This check as plain JSON types."""
        return {
            "group": self.group,
            "cost": self.cost,
            "baseline": self.baseline,
            "max_cost": self.max_cost,
            "max_increase": self.max_increase,
            "breaches": list(self.breaches),
        }


@attrs.frozen
class SpendCheck:
    """The verdict on one day: ``ok`` when no group breached a limit (and, with
    ``require_activity``, the day had rows).

    ``checks`` holds every group checked, within limits or not: by cost on the day, largest
    first, then by baseline, largest first, then by name. With ``by="total"`` it is the one
    group ``"total"``; otherwise every group with activity on the day or in the baseline days.
    """

    day: str
    """The UTC day checked, ``YYYY-MM-DD``."""
    by: CheckBy
    checks: tuple[GroupCheck, ...]
    rows: int = attrs.field(kw_only=True)
    """How many rows of the report are dated on the day checked."""
    baseline_rows: int = attrs.field(kw_only=True)
    """How many rows of the report are dated in the baseline days before it."""
    window_rows: int = attrs.field(kw_only=True)
    """How many rows of the report are dated in the 30 completed days the API returns."""
    require_activity: bool = attrs.field(kw_only=True)
    """Whether a day without rows fails the check."""
    ok: bool = attrs.field(init=False)
    """False when a group breached a limit, when the report has no rows in the 30 days the API
    returns (``no_activity == "window"``: nothing was checked), and, with ``require_activity``,
    when the day checked has no rows (``no_activity == "day"``)."""

    @property
    def no_activity(self) -> NoActivity | None:
        """``"window"`` when the report has no rows in the 30 days the API returns (nothing was
        checked), ``"day"`` when it has some, but none on the day checked; ``None`` otherwise."""
        if self.window_rows == 0:
            return "window"
        return "day" if self.rows == 0 else None

    @ok.default
    def _judged_within_limits(self) -> bool:
        if self.no_activity == "window":
            return False  # nothing was checked: never a pass
        if self.require_activity and self.no_activity is not None:
            return False
        return not any(check.breaches for check in self.checks)

    def to_dict(self) -> SpendCheckDict:
        """The result as one JSON document (``json.dumps`` keeps every float exactly)::

        {"day": "YYYY-MM-DD", "ok": bool, "by": "total"|"model"|"provider",
         "checks": [{"group", "cost", "baseline", "max_cost", "max_increase", "breaches"}, ...],
         "rows": int, "baseline_rows": int, "window_rows": int, "require_activity": bool}
        """
        return {
            "day": self.day,
            "ok": self.ok,
            "by": self.by,
            "checks": [check.to_dict() for check in self.checks],
            "rows": self.rows,
            "baseline_rows": self.baseline_rows,
            "window_rows": self.window_rows,
            "require_activity": self.require_activity,
        }


def _number(name: str, value: object, *, example: str, positive: bool = False) -> float:
    """A finite int or float (not a bool), >= 0 or, when ``positive``, > 0, as a float."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isfinite(number) and (number > 0 if positive else number >= 0):
            return number
    bound = "> 0" if positive else ">= 0"
    raise InvalidParameterError(
        name, f"{name} must be a finite number {bound}, e.g. {example}, {describe(value)}"
    )


def _optional_number(name: str, value: object, *, example: str, positive: bool = False) -> float | None:
    return None if value is None else _number(name, value, example=example, positive=positive)


def _check_baseline_days(value: object, most: int = _MAX_BASELINE_DAYS, kept: str | None = None) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= most:
        return value
    kept = kept or f"the API keeps {KEPT_DAYS} completed days"
    example = min(7, most)
    raise InvalidParameterError(
        "baseline_days",
        f"baseline_days must be a whole number from 1 to {most} ({kept}), e.g. {example}, {describe(value)}",
    )


def _check_window(window: object) -> tuple[dt.date, dt.date]:
    if not isinstance(window, tuple | list) or len(window) != 2:
        raise InvalidParameterError(
            "window",
            f"window must be its first and last day, e.g. ('2026-01-01', '2026-03-31'), {describe(window)}",
        )
    first, last = (dt.date.fromisoformat(parse_day(value, "window")) for value in window)
    if first > last:
        raise InvalidParameterError("window", f"window starts on {first}, after its end {last}")
    return first, last


def kept_days(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last of the completed UTC days the API returns when ``today`` is today."""
    return today - dt.timedelta(days=KEPT_DAYS), today - dt.timedelta(days=1)


def _check_day(
    day: object,
    today: dt.date,
    window: tuple[dt.date, dt.date] | None = None,
    source: str = "the API returns",
) -> dt.date:
    """The day to check: given, or the window's last; one of the days of the window (by default
    the KEPT_DAYS completed days before ``today``)."""
    first, last = window or kept_days(today)
    if day is None:
        return last
    checked = dt.date.fromisoformat(parse_day(day, "day"))
    if window is not None and checked > last:
        raise InvalidParameterError(
            "day",
            f"day {checked.isoformat()} is after the last of the days {source}, {last.isoformat()}; "
            f"pass a day from {first.isoformat()!r} to {last.isoformat()!r}",
        )
    if checked > last:
        raise InvalidParameterError(
            "day",
            f"day {checked.isoformat()} is not a completed UTC day (today is {today.isoformat()}); "
            f"pass an earlier day, e.g. {last.isoformat()!r}",
        )
    if checked < first:
        raise InvalidParameterError(
            "day",
            f"day {checked.isoformat()} is older than the {KEPT_DAYS} completed days the API returns; "
            f"pass a day from {first.isoformat()!r} to {last.isoformat()!r}"
            if window is None
            else f"day {checked.isoformat()} is older than the days {source}; pass a day from "
            f"{first.isoformat()!r} to {last.isoformat()!r}",
        )
    return checked


def _check_baseline_reach(
    day: dt.date, baseline_days: int, today: dt.date, window: tuple[dt.date, dt.date] | None = None
) -> None:
    """Refuse a baseline reaching before the data the API keeps: those days would count as 0."""
    first, _ = window or kept_days(today)
    oldest = "the oldest day the API returns" if window is None else "the oldest day the history keeps"
    start = day - dt.timedelta(days=baseline_days)
    if start >= first:
        return
    fitting = (day - first).days
    later = (first + dt.timedelta(days=baseline_days)).isoformat()
    if fitting == 0:
        raise InvalidParameterError(
            "day",
            f"day {day.isoformat()} is {oldest}, so max_increase has no "
            f"baseline before it; pass a later day, e.g. {later!r}",
        )
    raise InvalidParameterError(
        "baseline_days",
        f"baseline_days={baseline_days}: the {baseline_days} days before {day.isoformat()} begin on "
        f"{start.isoformat()}, before {first.isoformat()}, {oldest}; pass "
        f"baseline_days={fitting} or fewer, or a day from {later!r} on",
    )


def _utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _costs_by_group(
    rows: ActivityResponse | Iterable[ActivityItem], by: str, first: dt.date, last: dt.date
) -> tuple[dict[str, float], int]:
    """Cost per group of the rows dated from ``first`` to ``last``, both included, and how many rows."""
    summary = summarize(rows, _SUMMARY_BY[by], since=first, until=last)
    if by == "total":
        return {_TOTAL_GROUP: summary.total.cost}, summary.total.activity_rows
    return {row.key: row.cost for row in summary.rows}, summary.total.activity_rows


def _finite(group: str, what: str, value: float) -> float:
    if not math.isfinite(value):
        raise InvalidParameterError(
            "report", f"the usage of {group!r} {what} adds up to {value!r}: rows must have finite costs"
        )
    return value


def check_spend(
    report: ActivityResponse | Iterable[ActivityItem],
    *,
    day: dt.date | str | None = None,
    max_cost: float | None = None,
    max_increase: float | None = None,
    baseline_days: int = 7,
    min_cost: float | None = None,
    by: CheckBy = "total",
    require_activity: bool = False,
    today: dt.date | str | None = None,
    window: tuple[dt.date | str, dt.date | str] | None = None,
) -> SpendCheck:
    """Check one day's cost in ``report`` against limits; nothing is sent anywhere.

    Args:
        report: an activity report, or its rows (as :func:`~openrouter_analytics.summarize`
            takes them); it should cover the day and the baseline days before it.
        day: the UTC day to check (``YYYY-MM-DD`` or :class:`datetime.date`); by default the
            last completed one, yesterday. It must be one of the 30 completed days the API
            returns: from ``today - 30`` to ``today - 1``.
        max_cost: breached when the day's cost is greater than this many USD.
        max_increase: breached when the day's cost is greater than this factor times the
            baseline, and at least ``min_cost``. So a group with a baseline of 0 that spent
            ``min_cost`` or more on the day, and more than nothing, is a breach (something new
            started spending).
        baseline_days: how many days before ``day`` the baseline averages, 1 to 29. With
            ``max_increase`` they must lie within the days the API returns.
        min_cost: the least cost in USD that ``max_increase`` can flag, so pennies page nobody
            (default :data:`DEFAULT_MIN_COST`, 1.0). It applies only to ``max_increase``: given
            without it, it is refused, since it would change nothing.
        by: ``"total"`` checks the day's sum; ``"model"`` (model slug) and ``"provider"``
            (provider name) apply the limits to each group on its own, every group with rows on
            the day or in the baseline days: one that stopped spending is within limits, a new
            one spending ``min_cost`` or more breaches ``max_increase``.
        require_activity: when true, a day without rows is not ``ok`` either (a quiet day in
            a report with rows on other days is ``ok`` without it). Whatever it is, a report
            without rows in the 30 days the API returns is never ``ok``: there was nothing to
            check (an empty report, or filters that match nothing).
        today: the current UTC day, which decides the default ``day`` and the days allowed;
            by default taken from the clock.
        window: the first and last day the report covers, when it is not the API's 30 days
            (a report read from the local history): ``day`` (by default the last) must lie in
            it, ``baseline_days`` may reach back to its first day, and ``window_rows`` counts
            its rows.

    At least one of ``max_cost`` and ``max_increase`` is required. The result counts the rows
    on the day, in the baseline days and in the 30 days (``rows``, ``baseline_rows``,
    ``window_rows``), so a caller can tell a quiet day from one within limits. Raises
    :class:`~openrouter_analytics.errors.InvalidParameterError` naming the argument refused.
    """
    if by not in CHECK_BY:
        raise InvalidParameterError(
            "by", f"by must be one of {', '.join(CHECK_BY)}, e.g. 'model', {describe(by)}"
        )
    cost_limit = _optional_number("max_cost", max_cost, example="50.0")
    increase_limit = _optional_number("max_increase", max_increase, example="3.0", positive=True)
    if cost_limit is None and increase_limit is None:
        raise InvalidParameterError(
            "max_cost", "give max_cost, max_increase or both, e.g. max_cost=50.0 or max_increase=3.0"
        )
    if min_cost is not None and increase_limit is None:
        raise InvalidParameterError(
            "min_cost",
            f"min_cost={min_cost!r} has no effect without max_increase: it is the least cost an "
            "increase is flagged from, while max_cost is breached by any cost over it; leave out "
            "min_cost, or add max_increase",
        )
    least_cost = _number("min_cost", DEFAULT_MIN_COST if min_cost is None else min_cost, example="1.0")
    if not isinstance(require_activity, bool):
        raise InvalidParameterError(
            "require_activity", f"require_activity must be True or False, {describe(require_activity)}"
        )
    now = _utc_today() if today is None else dt.date.fromisoformat(parse_day(today, "today"))
    kept: tuple[dt.date, dt.date] | None = None
    if window is not None:
        kept = _check_window(window)
        span = max((kept[1] - kept[0]).days, 1)
        held = (kept[1] - kept[0]).days + 1
        held_words = f"the history keeps {held} day{'s' if held != 1 else ''}"
        if increase_limit is None:  # the baseline judges nothing: shown over the days the window has
            most = max(span, _MAX_BASELINE_DAYS)
            days = min(_check_baseline_days(baseline_days, most, held_words if most == span else None), span)
        else:
            days = _check_baseline_days(baseline_days, span, held_words)
    else:
        days = _check_baseline_days(baseline_days)
    checked = _check_day(day, now, kept, "the history keeps")
    if increase_limit is not None:
        _check_baseline_reach(checked, days, now, kept)

    # Two passes over the rows: keep a one-shot iterator's rows for the second.
    rows = list(report) if isinstance(report, Iterator) else report
    costs, day_rows = _costs_by_group(rows, by, checked, checked)
    baseline_totals, baseline_rows = _costs_by_group(
        rows, by, checked - dt.timedelta(days=days), checked - dt.timedelta(days=1)
    )
    _, window_rows = _costs_by_group(rows, "total", *(kept or kept_days(now)))

    checks: list[GroupCheck] = []
    for group in costs.keys() | baseline_totals.keys():
        cost = _finite(group, f"on {checked.isoformat()}", costs.get(group, 0.0))
        baseline = _finite(group, "in the baseline days", baseline_totals.get(group, 0.0)) / days
        breaches: list[Breach] = []
        if cost_limit is not None and cost > cost_limit:
            breaches.append("max_cost")
        if increase_limit is not None and cost >= least_cost and cost > increase_limit * baseline:
            breaches.append("max_increase")
        checks.append(GroupCheck(group, cost, baseline, cost_limit, increase_limit, tuple(breaches)))
    checks.sort(key=lambda check: (-check.cost, -check.baseline, check.group))
    return SpendCheck(
        day=checked.isoformat(),
        by=by,
        checks=tuple(checks),
        rows=day_rows,
        baseline_rows=baseline_rows,
        window_rows=window_rows,
        require_activity=require_activity,
    )
