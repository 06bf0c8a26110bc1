"""What each tool does, over an open :class:`~openrouter_analytics.AsyncAnalytics`.

Plain async functions of the library, free of the mcp SDK: the server (:mod:`.server`) gives
them names, descriptions and schemas, and turns their errors into tool errors. Each returns the
document the matching ``openrouter-activity ... --format json`` prints, where there is one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, cast

from openrouter_analytics._validation import day_shaped, parse_day
from openrouter_analytics.errors import InvalidParameterError

from .schemas import (
    BudgetRecord,
    HistoryGap,
    HistoryReport,
    MetaCatalogue,
    QueryFilter,
    QueryOrder,
    QueryResult,
    SpendCheckRecord,
    SpendReport,
    SummaryRecord,
)

if TYPE_CHECKING:
    from openrouter_analytics._client import AsyncAnalytics
    from openrouter_analytics.budget import BudgetBy
    from openrouter_analytics.history import Gap
    from openrouter_analytics.spend import CheckBy
    from openrouter_analytics.summary import GroupBy, SortKey, Summary, SummaryRow
    from openrouter_analytics_client.models import ActivityResponse

__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "analytics_schema",
    "check_budget",
    "check_spend",
    "history_report",
    "query_analytics",
    "query_window",
    "spend_report",
]

DEFAULT_WINDOW_DAYS: Final = 7
"""The API's own window when a query names none; ``until`` alone asks for as many days."""

_ONE_DAY: Final = dt.timedelta(days=1)


def _record(summary: Summary, row: SummaryRow, kind: str) -> SummaryRecord:
    """A row as ``report --format json`` writes it: the same keys, from the same table."""
    from openrouter_analytics.cli.columns import METRICS
    from openrouter_analytics.cli.text import others_label

    label = {"group": row.label, "other": others_label(summary.other_groups), "total": "total"}[kind]
    record = {"group_by": summary.by, "kind": kind, "key": row.key, "label": label}
    return cast(SummaryRecord, record | {field: getattr(row, field) for field, _, _ in METRICS})


async def spend_report(
    analytics: AsyncAnalytics,
    *,
    group_by: GroupBy = "model",
    since: str | None = None,
    until: str | None = None,
    model: str | None = None,
    provider: str | None = None,
    sort: SortKey | None = None,
    top: int | None = None,
    date: str | None = None,
    api_key_hash: str | None = None,
    user_id: str | None = None,
    workspace_id: str | None = None,
) -> SpendReport:
    """The last 30 completed UTC days of ``/activity``, added up per group (see ``summarize``)."""
    from openrouter_analytics.summary import summarize

    # The row filters are checked before the request, as the command line checks its flags.
    summarize((), by=group_by, since=since, until=until, model=model, provider=provider, sort=sort, top=top)
    report = await analytics.get_user_activity(
        date=date,
        api_key_hash=api_key_hash,
        user_id=user_id,
        workspace_id=workspace_id,
        group_by="workspace" if group_by == "workspace" else None,
    )
    _refuse_a_range_not_answered(report, since, until)
    summary = summarize(
        report, by=group_by, since=since, until=until, model=model, provider=provider, sort=sort, top=top
    )
    return _report(summary)


def _refuse_a_range_not_answered(report: ActivityResponse, since: str | None, until: str | None) -> None:
    """since/until wholly outside the days the answer holds: refused, not answered as $0 (the
    command line says so in a note; a tool's result has no place for one)."""
    if (since is None and until is None) or not report.data:
        return
    days = [item.date[:10] for item in report.data]
    first, last = min(days), max(days)
    beyond = [(name, day) for name, day in (("until", until), ("since", since)) if day is not None]
    for name, day in beyond:
        if (name == "until" and day < first) or (name == "since" and day > last):
            raise InvalidParameterError(
                name,
                f"{name} {day}: the API's answer holds {first} to {last} (its last 30 completed "
                "days); history_report reads the days the local history keeps",
            )


def _report(summary: Summary) -> SpendReport:
    """A summary as ``report --format json`` writes it."""
    return {
        "group_by": summary.by,
        "first_date": summary.first_date,
        "last_date": summary.last_date,
        "rows": [_record(summary, row, "group") for row in summary.rows],
        "other": None if summary.other is None else _record(summary, summary.other, "other"),
        "other_groups": summary.other_groups,
        "total": _record(summary, summary.total, "total"),
    }


async def analytics_schema(analytics: AsyncAnalytics) -> MetaCatalogue:
    """``/analytics/meta``: the metrics, dimensions, operators and granularities of the account."""
    meta = await analytics.get_analytics_meta()
    return cast(MetaCatalogue, meta.to_dict()["data"])


def _bound(name: str, value: str, *, end: bool) -> dt.date | dt.datetime:
    """A window bound: a ``YYYY-MM-DD`` day (``until``: the whole day, so up to the next
    midnight), or a timestamp with its offset."""
    if day_shaped(value):
        day = dt.date.fromisoformat(parse_day(value, name))
        return day + _ONE_DAY if end else day
    try:
        # Not 2026/11/01 or 20261101: a date that is not YYYY-MM-DD is neither.
        moment = dt.datetime.fromisoformat(value) if "T" in value or " " in value else None
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        problem = "has no offset" if moment is not None else "is neither"
        raise InvalidParameterError(
            name,
            f"{name} {value!r} {problem}: give a day, YYYY-MM-DD, or a timestamp with its offset, "
            "e.g. 2026-09-01 or 2026-09-01T12:00:00Z",
        )
    return moment


def query_window(
    since: str | None, until: str | None, *, today: dt.date | None = None
) -> dict[str, Any] | None:
    """The ``time_range`` of ``since`` and ``until``, as ``openrouter-activity query`` reads them:
    whole UTC days both included, or exact timestamps (``until`` excluded); ``since`` alone runs to
    the end of today, ``until`` alone covers the 7 days before it; neither: None, the API's window.
    """
    if since is None and until is None:
        return None
    if until is not None:
        end = _bound("until", until, end=True)
    else:
        end = (today or dt.datetime.now(dt.UTC).date()) + _ONE_DAY
    start = _bound("since", since, end=False) if since is not None else end - DEFAULT_WINDOW_DAYS * _ONE_DAY
    if since is not None and until is not None and type(start) is type(end) and start >= end:
        raise InvalidParameterError("since", f"since {since} is not before until {until}")
    return {"start": start, "end": end}


async def query_analytics(
    analytics: AsyncAnalytics,
    *,
    metrics: Sequence[str],
    dimensions: Sequence[str] | None = None,
    filters: Sequence[QueryFilter] | None = None,
    granularity: str | None = None,
    since: str | None = None,
    until: str | None = None,
    order_by: QueryOrder | None = None,
    limit: int | None = None,
    group_limit: int | None = None,
) -> QueryResult:
    """``/analytics/query``: the rows, with ``truncated`` and ``warnings`` as fields."""
    from openrouter_analytics_client.types import Unset

    window = query_window(since, until)
    response = await analytics.query_analytics(
        metrics=metrics,
        dimensions=dimensions,
        filters=[cast(Any, dict(item)) for item in filters] if filters is not None else None,
        granularity=granularity,
        time_range=cast(Any, window),
        order_by=cast(Any, order_by),
        limit=limit,
        group_limit=group_limit,
    )
    result = response.data
    start, end = _window_sent(window)
    return {
        "rows": [row.to_dict() for row in result.data],
        "row_count": result.metadata.row_count,
        "truncated": result.metadata.truncated,
        "warnings": [] if isinstance(result.warnings, Unset) else list(result.warnings),
        "start": start,
        "end": end,
    }


def _window_sent(window: dict[str, Any] | None) -> tuple[str | None, str | None]:
    """The window as the library sent it (RFC 3339, UTC)."""
    if window is None:
        return None, None
    from openrouter_analytics._arguments import _time_range

    sent = _time_range(window)
    return sent["start"], sent["end"]


async def check_spend(
    analytics: AsyncAnalytics,
    *,
    day: str | None = None,
    max_cost: float | None = None,
    max_increase: float | None = None,
    baseline_days: int = 7,
    min_cost: float | None = None,
    by: CheckBy = "total",
    require_activity: bool = False,
    api_key_hash: str | None = None,
    user_id: str | None = None,
    workspace_id: str | None = None,
) -> SpendCheckRecord:
    """One UTC day's cost against limits (see ``check_spend``), over ``/activity``."""
    from openrouter_analytics.spend import check_spend as check

    today = dt.datetime.now(dt.UTC).date()
    limits: dict[str, Any] = {
        "day": day,
        "max_cost": max_cost,
        "max_increase": max_increase,
        "baseline_days": baseline_days,
        "min_cost": min_cost,
        "by": by,
        "require_activity": require_activity,
        "today": today,
    }
    check((), **limits)  # refuses bad limits and days before the request
    report = await analytics.get_user_activity(
        api_key_hash=api_key_hash, user_id=user_id, workspace_id=workspace_id
    )
    return check(report, **limits).to_dict()


async def check_budget(
    analytics: AsyncAnalytics,
    *,
    monthly: float,
    warn_at: Sequence[float] | None = None,
    by: BudgetBy = "total",
    today: str | None = None,
    api_key_hash: str | None = None,
    user_id: str | None = None,
    workspace_id: str | None = None,
) -> BudgetRecord:
    """This month's cost against a monthly budget (see ``check_budget``), over ``/activity``
    asked for as ``openrouter-activity budget`` asks for it."""
    from openrouter_analytics.budget import DEFAULT_WARN_AT
    from openrouter_analytics.budget import check_budget as check
    from openrouter_analytics.cli.commands.budget import (
        activity_request,
        before_the_window,
        checked_activity,
        future_day,
    )

    now = dt.datetime.now(dt.UTC).date()
    if today is not None and (problem := future_day(today, now)) is not None:
        raise InvalidParameterError("today", f"today {problem}")
    budget: dict[str, Any] = {
        "monthly": monthly,
        "warn_at": DEFAULT_WARN_AT if warn_at is None else warn_at,
        "by": by,
        "today": today if today is not None else now,
    }
    check((), **budget)  # refuses a bad budget, threshold or day before the request
    request = activity_request(by, api_key_hash=api_key_hash, user_id=user_id, workspace_id=workspace_id)
    activity = checked_activity(await analytics.get_user_activity(**request), by)
    if today is not None and (problem := before_the_window(activity, today, now)) is not None:
        raise InvalidParameterError("today", f"today {problem}: history_report reads older days")
    return check(activity, **budget).to_dict()


def history_report(
    db: str | None,
    account: str | None,
    *,
    group_by: GroupBy = "model",
    since: str | None = None,
    until: str | None = None,
    model: str | None = None,
    provider: str | None = None,
    sort: SortKey | None = None,
    top: int | None = None,
    workspace_id: str | None = None,
    api_key_hash: str | None = None,
    user_id: str | None = None,
) -> HistoryReport:
    """Any range of the local history at ``db`` (see ``database_path``), added up per group by
    its SQL, as ``openrouter-activity report --history`` adds it; blocking (SQLite)."""
    from openrouter_analytics.history import History, NotInHistoryError, database_path
    from openrouter_analytics.history._days import outside_kept, range_not_kept
    from openrouter_analytics.history._location import sync_command

    path = database_path(db)
    with History(path, account=account) as history:
        try:
            summary = history.summary(
                group_by,
                since=since,
                until=until,
                model=model,
                provider=provider,
                sort=sort,
                top=top,
                workspace_id=workspace_id,
                api_key_hash=api_key_hash,
                user_id=user_id,
            )
        except NotInHistoryError:
            if path.exists():
                raise
            raise NotInHistoryError(
                f"there is no history at {path} yet, so only the last 30 days can be answered (with "
                f"spend_report); '{sync_command(path)}' starts one, and run daily it "
                "keeps every day from then on",
                path=path,
            ) from None
        days = history.days(api_key_hash=api_key_hash, user_id=user_id)
        asked = " ".join(f"{name} {value}" for name, value in (("since", since), ("until", until)) if value)
        refused = range_not_kept(days, since, until, asked=asked, path=path)
        if refused is not None:
            raise refused
        gaps = history.gaps(api_key_hash=api_key_hash, user_id=user_id)
    return {
        **_report(summary),
        "held_first_day": days[0].date if days else None,
        "held_last_day": days[-1].date if days else None,
        "held_days": len(days),
        "gaps": [
            _days_of(gap)
            for gap in gaps
            if (since is None or gap.last >= since) and (until is None or gap.first <= until)
        ],
        "not_kept": [_days_of(part) for part in outside_kept(days, since, until)],
    }


def _days_of(gap: Gap) -> HistoryGap:
    return {"first": gap.first, "last": gap.last, "days": gap.days}
