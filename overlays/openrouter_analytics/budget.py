"""A monthly budget: month to date, the forecast for the month's end, and the thresholds reached.

    from openrouter_analytics import Analytics, check_budget

    with Analytics() as analytics:
        report = analytics.get_user_activity()
    result = check_budget(report, monthly=500.0, warn_at=(50, 80, 100))
    (total,) = result.groups
    print(f"${total.month_to_date:.2f} so far ({total.used:.1f}%), forecast ${total.forecast:.2f}")
    raise SystemExit(0 if result.ok else 1)

The rule, in UTC days, with ``today`` the current day (by default from the clock):

- **Month to date** is the cost (the rows' ``usage``, added with :func:`math.fsum` as
  :func:`~openrouter_analytics.summarize` adds it) of the month's completed days: its first day
  through yesterday. The 30 completed days the API returns always hold them.
- **Forecast** for the month's end is month to date plus the mean daily cost of the last
  :data:`TREND_DAYS` completed days (days without rows count 0) times the days left in the
  month, today included.
- A **threshold** of ``warn_at`` (a percentage of ``monthly``) is reached when month to date is
  at or over that share: ``month_to_date >= monthly * percent / 100``. The forecast over the
  budget (``forecast > monthly``) is a warning of its own, ``"forecast"``.
- On the first day of a month no day of it is complete: nothing is judged, the result is ``ok``
  (the forecast is still computed, from the days before).

Both comparisons use the very numbers :meth:`BudgetCheck.to_dict` carries, so anyone can recheck
a verdict. Nothing here sends anything; :mod:`openrouter_analytics.notify` tells people.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Iterable, Iterator
from typing import Final, Literal, TypedDict, get_args

import attrs

from openrouter_analytics_client.models import ActivityItem, ActivityResponse

from ._validation import describe, parse_day
from .errors import InvalidParameterError
from .spend import _costs_by_group, _finite, _number, _utc_today

__all__ = [
    "BUDGET_BY",
    "DEFAULT_WARN_AT",
    "FORECAST",
    "TREND_DAYS",
    "BudgetBy",
    "BudgetCheck",
    "BudgetCheckDict",
    "GroupBudget",
    "GroupBudgetDict",
    "check_budget",
    "threshold_name",
]

BudgetBy = Literal["total", "model", "provider", "workspace"]
"""What the budget applies to: the account's total, or each model slug, provider name or
workspace id on its own (``"workspace"`` needs a report fetched with ``group_by="workspace"``)."""

BUDGET_BY: Final[tuple[BudgetBy, ...]] = get_args(BudgetBy)
DEFAULT_WARN_AT: Final = (80.0, 100.0)
TREND_DAYS: Final = 7
"""How many completed days before today the forecast's daily mean covers."""
FORECAST: Final = "forecast"
"""The name of the warning raised when the forecast is over the budget."""

_TOTAL_GROUP: Final = "total"


def threshold_name(percent: float) -> str:
    """A threshold as warnings name it: ``"80%"``, ``"92.5%"``."""
    return f"{percent:g}%"


class GroupBudgetDict(TypedDict):
    """One entry of ``groups`` in :meth:`BudgetCheck.to_dict`."""

    group: str
    month_to_date: float
    used: float
    daily_mean: float
    forecast: float
    forecast_used: float
    reached: list[float]
    forecast_over: bool
    warnings: list[str]


class BudgetCheckDict(TypedDict):
    """The document :meth:`BudgetCheck.to_dict` returns."""

    period: str
    today: str
    first_day: str
    through: str | None
    days_in_month: int
    days_completed: int
    days_left: int
    monthly: float
    warn_at: list[float]
    by: BudgetBy
    ok: bool
    groups: list[GroupBudgetDict]
    rows: int
    trend_rows: int


@attrs.frozen
class GroupBudget:
    """The budget applied to one group: a model slug, a provider name, a workspace id, or
    ``"total"``."""

    group: str
    month_to_date: float
    """Cost in USD of the month's completed days."""
    used: float
    """``month_to_date`` as a percentage of the budget."""
    daily_mean: float
    """Mean daily cost in USD of the last :data:`TREND_DAYS` completed days (days without rows count 0)."""
    forecast: float
    """``month_to_date + daily_mean * days_left``: the cost expected at the month's end."""
    forecast_used: float
    """``forecast`` as a percentage of the budget."""
    reached: tuple[float, ...]
    """The thresholds of ``warn_at`` reached, in ascending order."""
    forecast_over: bool
    """Whether the forecast is over the budget (never on the first day of a month)."""

    @property
    def warnings(self) -> tuple[str, ...]:
        """What this group warns of: each threshold reached (``"80%"``), then ``"forecast"``."""
        names = tuple(threshold_name(percent) for percent in self.reached)
        return (*names, FORECAST) if self.forecast_over else names

    def to_dict(self) -> GroupBudgetDict:
        """This group as plain JSON types."""
        return {
            "group": self.group,
            "month_to_date": self.month_to_date,
            "used": self.used,
            "daily_mean": self.daily_mean,
            "forecast": self.forecast,
            "forecast_used": self.forecast_used,
            "reached": list(self.reached),
            "forecast_over": self.forecast_over,
            "warnings": list(self.warnings),
        }


@attrs.frozen
class BudgetCheck:
    """The verdict on a month's budget: ``ok`` when no group reached a threshold and no
    forecast is over the budget.

    ``groups`` holds every group, within budget or not, by month to date, largest first, then
    by forecast, largest first, then by name. With ``by="total"`` it is the one group
    ``"total"``; otherwise every group with rows in the month's completed days or in the trend
    days.
    """

    today: str
    """The UTC day the check was made for, ``YYYY-MM-DD``; it is not part of month to date."""
    monthly: float
    """The budget in USD for the month (for each group, with ``by`` other than ``"total"``)."""
    warn_at: tuple[float, ...]
    """The thresholds, percentages of ``monthly``, in ascending order."""
    by: BudgetBy
    groups: tuple[GroupBudget, ...]
    rows: int = attrs.field(kw_only=True)
    """How many rows of the report are dated in the month's completed days."""
    trend_rows: int = attrs.field(kw_only=True)
    """How many rows of the report are dated in the :data:`TREND_DAYS` days the forecast reads."""
    ok: bool = attrs.field(init=False)

    @ok.default
    def _judged_within_budget(self) -> bool:
        return not any(group.warnings for group in self.groups)

    @property
    def _day(self) -> dt.date:
        return dt.date.fromisoformat(self.today)

    @property
    def period(self) -> str:
        """The month, ``YYYY-MM``: thresholds are reached once per period."""
        return self.today[:7]

    @property
    def first_day(self) -> str:
        """The month's first day, ``YYYY-MM-01``."""
        return f"{self.period}-01"

    @property
    def through(self) -> str | None:
        """The last day month to date covers (yesterday); ``None`` on the first day of a month."""
        if self.days_completed == 0:
            return None
        return (self._day - dt.timedelta(days=1)).isoformat()

    @property
    def days_in_month(self) -> int:
        day = self._day
        return calendar.monthrange(day.year, day.month)[1]

    @property
    def days_completed(self) -> int:
        """The month's completed days, in month to date: 0 on its first day."""
        return self._day.day - 1

    @property
    def days_left(self) -> int:
        """The month's days the forecast adds, today included."""
        return self.days_in_month - self.days_completed

    @property
    def first_day_of_month(self) -> bool:
        """Whether no day of the month is complete yet, so nothing was judged."""
        return self.days_completed == 0

    @property
    def warnings(self) -> tuple[tuple[str, str], ...]:
        """Every ``(group, warning)`` of the result, in the order of ``groups``."""
        return tuple((group.group, warning) for group in self.groups for warning in group.warnings)

    def to_dict(self) -> BudgetCheckDict:
        """The result as one JSON document (``json.dumps`` keeps every float exactly)::

        {"period": "YYYY-MM", "today", "first_day", "through": "YYYY-MM-DD"|null,
         "days_in_month", "days_completed", "days_left", "monthly", "warn_at": [...],
         "by", "ok", "groups": [{"group", "month_to_date", "used", "daily_mean", "forecast",
         "forecast_used", "reached": [...], "forecast_over", "warnings": [...]}, ...],
         "rows", "trend_rows"}
        """
        return {
            "period": self.period,
            "today": self.today,
            "first_day": self.first_day,
            "through": self.through,
            "days_in_month": self.days_in_month,
            "days_completed": self.days_completed,
            "days_left": self.days_left,
            "monthly": self.monthly,
            "warn_at": list(self.warn_at),
            "by": self.by,
            "ok": self.ok,
            "groups": [group.to_dict() for group in self.groups],
            "rows": self.rows,
            "trend_rows": self.trend_rows,
        }


def _check_warn_at(value: object) -> tuple[float, ...]:
    """Percentages above 0, at least one; returned sorted, each once."""
    example = "e.g. (80, 100) or (50, 80, 100)"
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidParameterError(
            "warn_at", f"warn_at must be a sequence of percentages, {example}, {describe(value)}"
        )
    percents = []
    for index, item in enumerate(value):
        if not (isinstance(item, int | float) and not isinstance(item, bool)) or not (
            math.isfinite(item) and item > 0
        ):
            raise InvalidParameterError(
                "warn_at",
                f"warn_at[{index}] must be a percentage, a finite number > 0, {example}, {describe(item)}",
            )
        percents.append(float(item))
    if not percents:
        raise InvalidParameterError("warn_at", f"warn_at must hold at least one percentage, {example}")
    return tuple(sorted(set(percents)))


def check_budget(
    report: ActivityResponse | Iterable[ActivityItem],
    *,
    monthly: float,
    warn_at: Iterable[float] = DEFAULT_WARN_AT,
    by: BudgetBy = "total",
    today: dt.date | str | None = None,
) -> BudgetCheck:
    """Check this month's cost in ``report`` against a monthly budget; nothing is sent anywhere.

    Args:
        report: an activity report, or its rows (as :func:`~openrouter_analytics.summarize`
            takes them); it should cover the month's completed days and the
            :data:`TREND_DAYS` days before today, as ``get_user_activity()`` always does.
        monthly: the budget in USD for the month, a finite number > 0 (for each group on its
            own with ``by`` other than ``"total"``).
        warn_at: the thresholds, percentages of ``monthly`` above 0 (over 100 allowed), e.g.
            ``(50, 80, 100)``; each is reached when month to date is at or over its share.
        by: ``"total"`` budgets the account's sum; ``"model"``, ``"provider"`` and
            ``"workspace"`` apply the budget to each group on its own (``"workspace"`` needs
            rows of ``get_user_activity(group_by="workspace")``).
        today: the current UTC day (``YYYY-MM-DD`` or :class:`datetime.date`); by default
            taken from the clock. Month to date runs to the day before it.

    Raises :class:`~openrouter_analytics.errors.InvalidParameterError` naming the argument
    refused, or ``report`` when its rows add up to a cost that is not finite.
    """
    if by not in BUDGET_BY:
        raise InvalidParameterError(
            "by", f"by must be one of {', '.join(BUDGET_BY)}, e.g. 'workspace', {describe(by)}"
        )
    budget = _number("monthly", monthly, example="500.0", positive=True)
    thresholds = _check_warn_at(warn_at)
    day = _utc_today() if today is None else dt.date.fromisoformat(parse_day(today, "today"))

    # Two passes over the rows: keep a one-shot iterator's rows for the second.
    rows = list(report) if isinstance(report, Iterator) else report
    yesterday = day - dt.timedelta(days=1)
    first = day.replace(day=1)
    month_costs: dict[str, float] = {}
    month_rows = 0
    if day.day > 1:
        month_costs, month_rows = _costs_by_group(rows, by, first, yesterday)
    trend_costs, trend_rows = _costs_by_group(rows, by, day - dt.timedelta(days=TREND_DAYS), yesterday)
    if by == "total":
        # One group, whatever the rows: an empty month is $0 spent, not no verdict.
        month_costs.setdefault(_TOTAL_GROUP, 0.0)

    days_left = calendar.monthrange(day.year, day.month)[1] - (day.day - 1)
    groups = []
    for group in month_costs.keys() | trend_costs.keys():
        spent = _finite(group, "this month", month_costs.get(group, 0.0))
        daily_mean = _finite(group, "in the trend days", trend_costs.get(group, 0.0)) / TREND_DAYS
        forecast = spent + daily_mean * days_left
        groups.append(
            GroupBudget(
                group=group,
                month_to_date=spent,
                used=spent / budget * 100,
                daily_mean=daily_mean,
                forecast=forecast,
                forecast_used=forecast / budget * 100,
                reached=tuple(percent for percent in thresholds if spent >= budget * percent / 100),
                forecast_over=day.day > 1 and forecast > budget,
            )
        )
    groups.sort(key=lambda group: (-group.month_to_date, -group.forecast, group.group))
    return BudgetCheck(
        today=day.isoformat(),
        monthly=budget,
        warn_at=thresholds,
        by=by,
        groups=tuple(groups),
        rows=month_rows,
        trend_rows=trend_rows,
    )
