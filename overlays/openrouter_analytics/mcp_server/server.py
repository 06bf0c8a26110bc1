"""The MCP server: the tools, the prompt and the resource, on the official ``mcp`` SDK.

Each tool is a thin wrapper of :mod:`.tools` (or :mod:`.advice`): it opens a client, calls the
library, and returns its typed document; the SDK publishes the input schema from the
arguments' types and the output schema from the return type. Every tool only reads, and is
annotated so. An error of the library becomes a tool error (``isError``) in plain words
(:mod:`.errors`); arguments that do not fit the schema are named one by one.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Final, TypeVar

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS, ToolAnnotations
from pydantic import BeforeValidator, Field, ValidationError
from pydantic_core import PydanticCustomError

from openrouter_analytics._validation import parse_day
from openrouter_analytics.budget import BudgetBy
from openrouter_analytics.errors import InvalidParameterError
from openrouter_analytics.spend import CheckBy
from openrouter_analytics.summary import GroupBy, SortKey

from . import advice, tools
from .errors import explain, explain_arguments
from .schemas import (
    AdviceReport,
    BudgetRecord,
    HistoryReport,
    MetaCatalogue,
    QueryFilter,
    QueryOrder,
    QueryResult,
    SpendCheckRecord,
    SpendReport,
)

if TYPE_CHECKING:
    from mcp.server.mcpserver.context import Context
    from mcp_types import CallToolResult, InputRequiredResult
    from mcp_types import Tool as MCPTool

    from openrouter_analytics._client import AsyncAnalytics
    from openrouter_analytics.errors import OpenRouterError

__all__ = ["META_URI", "NAME", "PROMPT", "build_server"]

NAME: Final = "openrouter-analytics"
META_URI: Final = "openrouter-analytics://analytics/meta"
"""The resource holding the ``/analytics/meta`` document."""
PROMPT: Final = "where-did-the-money-go"

_READ_ONLY: Final = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=True
)

_INSTRUCTIONS: Final = """\
Answers questions about OpenRouter spend from its Analytics API, for the account of the
management key the server runs with. Money is in USD, at full precision.
- spend_report: the last 30 completed UTC days, added up per model, day, provider, endpoint or
  workspace (cost is OpenRouter credits; byok_cost what went through your own provider keys).
- query_analytics: up to 365 days of any metric by up to two dimensions, bucketed by time;
  call analytics_schema first for the metric and dimension names. total_usage includes BYOK.
- check_spend: is a day over a cost limit, or over a multiple of its usual cost?
- check_budget: this month to date against a monthly budget, with a forecast for its end.
- history_report: spend_report over any range the local history keeps (past the 30 days).
- cost_advice: findings with the numbers behind them (cache hits, reasoning tokens, expensive
  models on short requests, day-over-day jumps).
Each analytics request counts against OpenRouter's 64 requests a minute."""

_Function = TypeVar("_Function", bound=Callable[..., Any])

Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="a UTC day, YYYY-MM-DD")]


def _description(text: str) -> Any:
    return Field(description=text)


def _not_true_or_false(value: Any) -> Any:
    if isinstance(value, bool):  # pydantic would read true as 1
        raise PydanticCustomError("number_type", "Input should be a number")
    return value


_NUMBER: Final = BeforeValidator(_not_true_or_false)
"""On a number argument: JSON's true and false are refused, not read as 1 and 0."""


def _refuse_unless_days(**days: str | None) -> None:
    """The prompt's days are written into its text: anything else is refused in words the client
    shows (the SDK answers any other error in a prompt with "Internal server error")."""
    for name, value in days.items():
        if value is None:
            continue
        try:
            parse_day(value, name)
        except InvalidParameterError:
            raise MCPError(
                INVALID_PARAMS, f"invalid argument: {name} must be a UTC day, YYYY-MM-DD (got {value[:60]!r})"
            ) from None


class _Server(MCPServer[Any]):
    """Arguments that do not fit a tool's schema come back named, in plain words; so does an
    argument a tool does not take (a misspelt ``sinse`` would otherwise be dropped, and the
    answer cover another range than the one asked for), and the published input schemas say so."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.arguments: dict[str, tuple[str, ...]] = {}
        """Each tool's arguments, by the tool's name, as :func:`build_server` adds them."""

    async def list_tools(self) -> list[MCPTool]:
        listed = await super().list_tools()
        for tool in listed:
            if tool.name in self.arguments:
                tool.input_schema["additionalProperties"] = False
        return listed

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        taken = self.arguments.get(name)
        unknown = [argument for argument in arguments if taken is not None and argument not in taken]
        if unknown:
            words = ", ".join(repr(argument)[:60] for argument in unknown)
            raise ToolError(
                f"Error executing tool {name}: invalid argument: {name} takes no argument {words} "
                f"(it takes {', '.join(taken or ())})"
            )
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            if isinstance(exc.__cause__, ValidationError):
                raise ToolError(f"Error executing tool {name}: {explain_arguments(exc.__cause__)}") from None
            raise


def build_server(
    connect: Callable[[], AsyncAnalytics], key: str, *, db: str | None = None, account: str | None = None
) -> MCPServer[Any]:
    """The server; ``connect`` makes a client for each call, ``key`` is what never leaves it;
    ``db`` and ``account`` name the local history ``history_report`` reads."""
    from openrouter_analytics import __version__
    from openrouter_analytics.errors import OpenRouterError

    server = _Server(NAME, version=__version__, instructions=_INSTRUCTIONS, log_level="WARNING")

    def failed(exc: OpenRouterError, names: dict[str, str] | None = None) -> ToolError:
        return ToolError(explain(exc, key=key, names=names))

    def tool(function: _Function) -> _Function:
        server.add_tool(
            function,
            description=inspect.cleandoc(function.__doc__ or ""),
            annotations=_READ_ONLY,
            structured_output=True,
        )
        server.arguments[function.__name__] = tuple(inspect.signature(function).parameters)
        return function

    @tool
    async def spend_report(
        *,
        group_by: Annotated[
            GroupBy,
            _description(
                "what each row adds up; workspace asks the API to split its rows per workspace; "
                "none: one row, the total"
            ),
        ] = "model",
        since: Annotated[Day | None, _description("keep rows from this UTC day, included")] = None,
        until: Annotated[Day | None, _description("keep rows up to this UTC day, included")] = None,
        model: Annotated[
            str | None, _description("keep models whose slug contains this, any case, e.g. claude")
        ] = None,
        provider: Annotated[
            str | None, _description("keep providers whose name contains this, any case, e.g. google")
        ] = None,
        sort: Annotated[
            SortKey | None,
            _description("numbers largest first, key A to Z (default: key for date, cost otherwise)"),
        ] = None,
        top: Annotated[
            int | None,
            _NUMBER,
            Field(ge=1, description="keep the N largest groups, add up the rest in other"),
        ] = None,
        date: Annotated[Day | None, _description("ask the API for this one day of the last 30")] = None,
        api_key_hash: Annotated[str | None, _description("one API key, by its SHA-256 hash")] = None,
        user_id: Annotated[str | None, _description("one member of the organization")] = None,
        workspace_id: Annotated[str | None, _description("one workspace, by its UUID")] = None,
    ) -> SpendReport:
        """Where the money went in the last 30 completed UTC days (GET /activity): cost, BYOK cost,
        requests and tokens added up per model, day, provider, endpoint or workspace, largest cost
        first, with the total. The same numbers as `openrouter-activity report --format json`."""
        try:
            async with connect() as analytics:
                return await tools.spend_report(
                    analytics,
                    group_by=group_by,
                    since=since,
                    until=until,
                    model=model,
                    provider=provider,
                    sort=sort,
                    top=top,
                    date=date,
                    api_key_hash=api_key_hash,
                    user_id=user_id,
                    workspace_id=workspace_id,
                )
        except OpenRouterError as exc:
            raise failed(exc, {"by": "group_by"}) from None

    @tool
    async def analytics_schema() -> MetaCatalogue:
        """What query_analytics can ask on this account (GET /analytics/meta): metrics with their
        label, whether they are a rate (averaged) or a sum, and display format; dimensions; filter
        operators; time granularities. Call it before building a query."""
        try:
            async with connect() as analytics:
                return await tools.analytics_schema(analytics)
        except OpenRouterError as exc:
            raise failed(exc) from None

    @tool
    async def query_analytics(
        *,
        metrics: Annotated[
            list[str],
            Field(min_length=1, description="metric names from analytics_schema, e.g. total_usage"),
        ],
        dimensions: Annotated[
            list[str] | None,
            Field(max_length=2, description="up to 2 dimensions to group by, e.g. model, api_key_id"),
        ] = None,
        filters: Annotated[
            list[QueryFilter] | None, Field(max_length=20, description="keep only the rows that match all")
        ] = None,
        granularity: Annotated[
            str | None,
            _description("time buckets: minute, hour, day, week or month; none: one row per group"),
        ] = None,
        since: Annotated[
            str | None,
            _description("from this UTC day (YYYY-MM-DD) or timestamp with offset (2026-09-01T12:00:00Z)"),
        ] = None,
        until: Annotated[
            str | None,
            _description("to this UTC day, included, or up to this timestamp, excluded"),
        ] = None,
        order_by: Annotated[QueryOrder | None, _description("the order of the rows")] = None,
        limit: Annotated[
            int | None, _NUMBER, Field(ge=1, le=10_000, description="at most N rows (default 1,000)")
        ] = None,
        group_limit: Annotated[
            int | None,
            _NUMBER,
            Field(ge=1, le=10_000, description="at most N rows per group of dimension values"),
        ] = None,
    ) -> QueryResult:
        """Any question POST /analytics/query answers, over up to 365 days: metrics grouped by up
        to two dimensions and bucketed by time. No since/until: the API's last 7 days. Check
        truncated (rows were cut at limit) and warnings (filter values the server could not
        resolve match nothing). total_usage is spend with BYOK included. Rows are those of
        `openrouter-activity query --format json`."""
        names = {"time_range.start": "since", "time_range.end": "until", "time_range": "since/until"}
        try:
            async with connect() as analytics:
                return await tools.query_analytics(
                    analytics,
                    metrics=metrics,
                    dimensions=dimensions,
                    filters=filters,
                    granularity=granularity,
                    since=since,
                    until=until,
                    order_by=order_by,
                    limit=limit,
                    group_limit=group_limit,
                )
        except OpenRouterError as exc:
            raise failed(exc, names) from None

    @tool
    async def check_spend(
        *,
        max_cost: Annotated[
            float | None, _NUMBER, _description("breached when the day costs more than this, USD")
        ] = None,
        max_increase: Annotated[
            float | None,
            _NUMBER,
            _description(
                "breached when the day costs more than this times its baseline (and at least min_cost)"
            ),
        ] = None,
        day: Annotated[
            Day | None, _description("the UTC day checked, one of the last 30 completed (default: yesterday)")
        ] = None,
        baseline_days: Annotated[
            int,
            _NUMBER,
            Field(ge=1, le=29, description="the baseline is the mean daily cost of the N days before"),
        ] = 7,
        min_cost: Annotated[
            float | None,
            _NUMBER,
            _description("the least cost max_increase flags, USD (default 1.00); only with it"),
        ] = None,
        by: Annotated[
            CheckBy, _description("the day's total, or each model or provider on its own")
        ] = "total",
        require_activity: Annotated[bool, _description("a day without rows fails the check too")] = False,
        api_key_hash: Annotated[str | None, _description("one API key, by its SHA-256 hash")] = None,
        user_id: Annotated[str | None, _description("one member of the organization")] = None,
        workspace_id: Annotated[str | None, _description("one workspace, by its UUID")] = None,
    ) -> SpendCheckRecord:
        """Is one UTC day's spend within limits? The verdict (ok) and every group's cost and
        baseline, as `openrouter-activity check --format json` prints them. Give max_cost,
        max_increase or both. window_rows 0 means the API returned nothing to check."""
        try:
            async with connect() as analytics:
                return await tools.check_spend(
                    analytics,
                    day=day,
                    max_cost=max_cost,
                    max_increase=max_increase,
                    baseline_days=baseline_days,
                    min_cost=min_cost,
                    by=by,
                    require_activity=require_activity,
                    api_key_hash=api_key_hash,
                    user_id=user_id,
                    workspace_id=workspace_id,
                )
        except OpenRouterError as exc:
            raise failed(exc) from None

    _add_check_budget(tool, connect, failed)
    _add_history_report(tool, failed, db, account)

    @tool
    async def cost_advice(
        *,
        since: Annotated[
            Day | None, _description("the first UTC day, included (default: 30 days before until)")
        ] = None,
        until: Annotated[Day | None, _description("the last UTC day, included (default: yesterday)")] = None,
    ) -> AdviceReport:
        """Where spend could shrink, each finding naming the model, key or workspace and the number
        it rests on: large spenders with a low cache_hit_rate, keys with a high share of reasoning
        tokens, expensive models on short requests, day-over-day jumps per workspace. Each finding
        carries the query behind it, to ask again with query_analytics."""
        try:
            async with connect() as analytics:
                return await advice.cost_advice(analytics, since=since, until=until)
        except OpenRouterError as exc:
            raise failed(exc) from None

    @server.resource(
        META_URI,
        name="analytics-meta",
        description="The /analytics/meta document: the metrics, dimensions, operators and granularities",
        mime_type="application/json",
    )
    async def analytics_meta() -> str:
        try:
            async with connect() as analytics:
                meta = await analytics.get_analytics_meta()
        except OpenRouterError as exc:
            raise ResourceError(explain(exc, key=key)) from None
        return json.dumps(meta.to_dict(), indent=2, allow_nan=False)

    @server.prompt(name=PROMPT, description="Find out where the OpenRouter spend went, and what to change")
    def where_did_the_money_go(
        since: Annotated[str | None, _description("the first UTC day, YYYY-MM-DD")] = None,
        until: Annotated[str | None, _description("the last UTC day, YYYY-MM-DD")] = None,
    ) -> str:
        _refuse_unless_days(since=since, until=until)
        window = (
            f"from {since or 'the start of the last 30 days'} to {until or 'yesterday'}"
            if since or until
            else "over the last 30 completed UTC days"
        )
        return (
            f"Find out where our OpenRouter money went {window}, and what we could change.\n"
            "1. Call spend_report with group_by date, then with group_by model, to see the trend and "
            "the biggest models (use since/until for the window).\n"
            "2. Call cost_advice for the same days; quote each finding with its number.\n"
            "3. Where a day or a key stands out, narrow it down with query_analytics (call "
            "analytics_schema first for the metric and dimension names).\n"
            "Answer with a short table of the largest costs, then the findings, each with the figure "
            "it rests on. Money is in USD; say which tool each number came from."
        )

    return server


def _add_check_budget(
    tool: Callable[[Callable[..., Any]], object],
    connect: Callable[[], AsyncAnalytics],
    failed: Callable[[OpenRouterError], ToolError],
) -> None:
    """Registers ``check_budget`` with ``tool``."""
    from openrouter_analytics.errors import OpenRouterError

    @tool
    async def check_budget(
        *,
        monthly: Annotated[
            float, _NUMBER, _description("the budget for the month in USD, > 0 (for each group with by)")
        ],
        warn_at: Annotated[
            list[Annotated[float, _NUMBER]] | None,
            _description(
                "thresholds, percentages of monthly above 0, each reached when month to date is at "
                "or over it, e.g. [50, 80, 100] (default: [80, 100])"
            ),
        ] = None,
        by: Annotated[
            BudgetBy,
            _description(
                "the account's total, or each model, provider or workspace on its own; workspace "
                "asks the API to split its rows per workspace"
            ),
        ] = "total",
        today: Annotated[
            Day | None,
            _description(
                "the UTC day to judge as if it were today, not after today; month to date runs to "
                "the day before (default: today)"
            ),
        ] = None,
        api_key_hash: Annotated[str | None, _description("one API key, by its SHA-256 hash")] = None,
        user_id: Annotated[str | None, _description("one member of the organization")] = None,
        workspace_id: Annotated[str | None, _description("one workspace, by its UUID")] = None,
    ) -> BudgetRecord:
        """Is this month within a monthly budget? Month to date (the current UTC month's completed
        days, through yesterday), the forecast for the month's end (month to date plus the mean
        daily cost of the last 7 completed days times the days left), the thresholds of warn_at
        reached, and the verdict (ok: no threshold reached, no forecast over the budget), per
        group with by. The document of `openrouter-activity budget --format json`; nothing is
        sent to anyone."""
        try:
            async with connect() as analytics:
                return await tools.check_budget(
                    analytics,
                    monthly=monthly,
                    warn_at=warn_at,
                    by=by,
                    today=today,
                    api_key_hash=api_key_hash,
                    user_id=user_id,
                    workspace_id=workspace_id,
                )
        except OpenRouterError as exc:
            raise failed(exc) from None


def _add_history_report(
    tool: Callable[[Callable[..., Any]], object],
    failed: Callable[[OpenRouterError, dict[str, str]], ToolError],
    db: str | None,
    account: str | None,
) -> None:
    """Registers ``history_report`` with ``tool``, reading the history at ``db``.

    It is registered whether the file exists or not: a client lists the tools once, when it
    starts the server, and the file may appear later (the first ``sync`` from cron); until then
    a call says where the history would be and how to start it.
    """
    import anyio.to_thread

    from openrouter_analytics.errors import OpenRouterError

    @tool
    async def history_report(
        *,
        group_by: Annotated[
            GroupBy,
            _description("what each row adds up; none: one row, the total"),
        ] = "model",
        since: Annotated[
            Day | None, _description("from this UTC day, included (default: the first day kept)")
        ] = None,
        until: Annotated[
            Day | None, _description("up to this UTC day, included (default: the last day kept)")
        ] = None,
        model: Annotated[
            str | None, _description("keep models whose slug contains this, any case, e.g. claude")
        ] = None,
        provider: Annotated[
            str | None, _description("keep providers whose name contains this, any case, e.g. google")
        ] = None,
        sort: Annotated[
            SortKey | None,
            _description("numbers largest first, key A to Z (default: key for date, cost otherwise)"),
        ] = None,
        top: Annotated[
            int | None,
            _NUMBER,
            Field(ge=1, description="keep the N largest groups, add up the rest in other"),
        ] = None,
        workspace_id: Annotated[str | None, _description("one workspace, by its UUID")] = None,
        api_key_hash: Annotated[
            str | None, _description("the days synced with this key filter (sync --api-key-hash)")
        ] = None,
        user_id: Annotated[
            str | None, _description("the days synced with this member filter (sync --user-id)")
        ] = None,
    ) -> HistoryReport:
        """Where the money went over any range the local history keeps, past the API's 30 days
        (every day `openrouter-activity sync` fetched): the rows of spend_report, the same
        grouping and filters, added up from the history file. held_first_day to held_last_day is
        what it keeps; gaps are days in the range no sync saw, not_kept the parts of the range
        before or after what it keeps (neither counted, not $0). The same numbers as
        `openrouter-activity report --history --format json`; no request to the API."""
        try:
            return await anyio.to_thread.run_sync(
                functools.partial(
                    tools.history_report,
                    db,
                    account,
                    group_by=group_by,
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
            )
        except OpenRouterError as exc:
            raise failed(exc, {"by": "group_by"}) from None
