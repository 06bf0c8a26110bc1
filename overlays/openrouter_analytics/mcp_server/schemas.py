"""The shapes the tools take and return, from which the server publishes their JSON Schemas.

The names and values are the library's own (:data:`~openrouter_analytics.summary.GroupBy`,
:data:`~openrouter_analytics.summary.SortKey`, :data:`~openrouter_analytics.spend.CheckBy`, the
records of ``openrouter-activity report --format json``), so a number an agent reads here is the
number the command line and the library give for the same question.

``typing_extensions.TypedDict``, not ``typing``'s: pydantic, which the mcp SDK builds the
schemas with, needs it on Python 3.11.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired

from pydantic import ConfigDict, StrictFloat, StrictInt, StrictStr, with_config
from typing_extensions import TypedDict

from openrouter_analytics.budget import BudgetBy
from openrouter_analytics.spend import Breach, CheckBy
from openrouter_analytics.summary import GroupBy

__all__ = [
    "AdviceReport",
    "BudgetRecord",
    "Finding",
    "FindingKind",
    "FindingQuery",
    "GroupBudgetRecord",
    "GroupCheckRecord",
    "HistoryGap",
    "HistoryReport",
    "MetaCatalogue",
    "MetaDimensionRecord",
    "MetaGranularityRecord",
    "MetaMetricRecord",
    "MetaOperatorRecord",
    "QueryFilter",
    "QueryOrder",
    "QueryResult",
    "SpendCheckRecord",
    "SpendReport",
    "SummaryRecord",
]

FilterScalar = StrictStr | StrictInt | StrictFloat
"""Strict: JSON's true is not the number 1, and a whole number is sent as it came (3, not 3.0)."""


class SummaryRecord(TypedDict):
    """A row of a report: a group, what ``top`` left out (``other``), or the total."""

    group_by: GroupBy
    kind: Literal["group", "other", "total"]
    key: str
    label: str
    cost: float
    """USD, the sum of the rows' ``usage`` (OpenRouter credits)."""
    byok_cost: float
    """USD of inference paid with your own provider keys (``byok_usage_inference``)."""
    requests: int
    prompt_tokens: int
    completion_tokens: int
    reasoning_tokens: int
    cached_tokens: int
    """Prompt tokens read from the provider's prompt cache."""


class SpendReport(TypedDict):
    """``spend_report``: the document of ``openrouter-activity report --format json``."""

    group_by: GroupBy
    first_date: str | None
    last_date: str | None
    rows: list[SummaryRecord]
    other: SummaryRecord | None
    other_groups: int
    total: SummaryRecord


class HistoryGap(TypedDict):
    """Days the history lacks, ``first`` to ``last`` included: no sync saw them."""

    first: str
    last: str
    days: int


class HistoryReport(SpendReport):
    """``history_report``: the document of ``openrouter-activity report --history --format json``,
    and what the history holds."""

    held_first_day: str | None
    """The first day the history keeps (of the series read); None when it keeps none."""
    held_last_day: str | None
    held_days: int
    """How many days it keeps, gaps left out."""
    gaps: list[HistoryGap]
    """The history's gaps within since/until: days not counted, not days without cost."""
    not_kept: list[HistoryGap]
    """The parts of since/until before held_first_day or after held_last_day: days not
    counted, not days without cost."""


class MetaMetricRecord(TypedDict):
    name: str
    display_label: str
    is_rate: bool
    """A rate (averaged over the rows it covers) rather than a sum."""
    display_format: str
    """currency, percent, latency, throughput or number."""


class MetaDimensionRecord(TypedDict):
    name: str
    display_label: str


class MetaOperatorRecord(TypedDict):
    name: str
    value_type: str
    """scalar: one value; array: a list of values."""


class MetaGranularityRecord(TypedDict):
    name: str
    display_label: str


class MetaCatalogue(TypedDict):
    """``analytics_schema``: what ``query_analytics`` can ask on this account."""

    metrics: list[MetaMetricRecord]
    dimensions: list[MetaDimensionRecord]
    operators: list[MetaOperatorRecord]
    granularities: list[MetaGranularityRecord]


# A key an argument's object does not take is refused and named, as a tool's argument is: a
# misspelt "operater" would otherwise be dropped and the filter mean another thing.
@with_config(ConfigDict(extra="forbid"))
class QueryFilter(TypedDict):
    """Keep rows whose ``field`` compares with ``value`` by ``operator``."""

    field: str
    operator: Literal["eq", "neq", "gt", "gte", "lt", "lte", "in", "not_in"]
    value: FilterScalar | list[FilterScalar]
    """One string or number; a non-empty list of them for ``in`` and ``not_in``."""
    include_unset: NotRequired[bool]


@with_config(ConfigDict(extra="forbid"))
class QueryOrder(TypedDict):
    """The order of the rows: a requested metric or dimension, ``request_count`` or ``date``."""

    field: str
    direction: Literal["asc", "desc"]


class QueryResult(TypedDict):
    """``query_analytics``: the rows, and whether they are all of them."""

    rows: list[dict[str, Any]]
    """Values by metric or dimension name; a time bucket as ``date__<granularity>``."""
    row_count: int
    truncated: bool
    """True when the server cut the rows at ``limit``: narrow the query or raise ``limit``."""
    warnings: list[str]
    """What the server could not resolve (an unknown filter value matches no rows, say)."""
    start: str | None
    """The window sent, start included (RFC 3339, UTC); None: the API's default (7 days)."""
    end: str | None
    """The window's end, excluded."""


class GroupCheckRecord(TypedDict):
    group: str
    cost: float
    baseline: float
    max_cost: float | None
    max_increase: float | None
    breaches: list[Breach]


class SpendCheckRecord(TypedDict):
    """``check_spend``: the document of ``openrouter-activity check --format json``."""

    day: str
    ok: bool
    by: CheckBy
    checks: list[GroupCheckRecord]
    rows: int
    baseline_rows: int
    window_rows: int
    require_activity: bool


class GroupBudgetRecord(TypedDict):
    """The budget applied to one group (a model, provider, workspace id, or ``total``)."""

    group: str
    month_to_date: float
    """USD spent in the month's completed days, through yesterday."""
    used: float
    """``month_to_date`` as a percentage of ``monthly``."""
    daily_mean: float
    """Mean daily USD of the last 7 completed days (days without activity count 0)."""
    forecast: float
    """``month_to_date + daily_mean * days_left``: USD expected at the month's end."""
    forecast_used: float
    """``forecast`` as a percentage of ``monthly``."""
    reached: list[float]
    """The thresholds of ``warn_at`` month to date is at or over."""
    forecast_over: bool
    warnings: list[str]
    """Each threshold reached (``80%``), then ``forecast`` when the forecast is over the budget."""


class BudgetRecord(TypedDict):
    """``check_budget``: the document of ``openrouter-activity budget --format json``."""

    period: str
    today: str
    first_day: str
    through: str | None
    """The last day of month to date; None on the first day of the month (nothing judged)."""
    days_in_month: int
    days_completed: int
    days_left: int
    """Days the forecast adds, today included."""
    monthly: float
    warn_at: list[float]
    by: BudgetBy
    ok: bool
    """No group reached a threshold and no forecast is over the budget."""
    groups: list[GroupBudgetRecord]
    """Every group, largest month to date first."""
    rows: int
    """Rows of the report in the month's completed days."""
    trend_rows: int
    """Rows of the report in the 7 days the forecast reads."""


FindingKind = Literal[
    "low_cache_hit_rate", "reasoning_share", "expensive_short_requests", "day_over_day_jump"
]


class FindingQuery(TypedDict):
    """The ``query_analytics`` question a finding rests on, to ask again or narrow down."""

    metrics: list[str]
    dimensions: list[str]
    granularity: str | None
    since: str
    until: str


class Finding(TypedDict):
    """One piece of advice and the numbers it rests on."""

    kind: FindingKind
    subject_type: Literal["model", "api_key", "workspace"]
    subject: str
    """The model permaslug, key name or workspace name, as the query's rows show it."""
    metric: str
    """What ``value`` is: a metric of the query (``cache_hit_rate``) or one computed from its
    columns (``reasoning_share`` = reasoning_tokens / tokens_completion, ...)."""
    value: float
    cost: float
    """USD (``total_usage``) the subject spent in the window, or on the day of a jump."""
    day: str | None
    """The day of a jump; None for findings over the whole window."""
    message: str
    query: FindingQuery


class AdviceReport(TypedDict):
    """``cost_advice``: findings over ``since`` to ``until``, largest cost first."""

    since: str
    until: str
    total_cost: float
    """USD (``total_usage``) spent in the window, over every model."""
    findings: list[Finding]
    warnings: list[str]
    """What may make the findings incomplete: a truncated query, a warning of the server."""
