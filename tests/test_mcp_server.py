"""``openrouter-activity mcp`` driven by the mcp SDK's own client, over stdio and HTTP, against the
demo data server: every tool's numbers are compared with what ``openrouter-activity ... --format
json`` says for the same question, and every failure must be a tool error without the key.

One server process serves the module's tool calls (a client on its own event loop in a
thread); the fault tests start one each, against a server made to fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import math
import re
import subprocess
import threading
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from cli_support import SECRET, TOOL, api_server, error_body, refused_url, run_tool, tool_env
from demo_server import month_of_activity, serve
from jsonschema import Draft202012Validator
from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client

pytestmark = pytest.mark.slow

T = TypeVar("T")

TODAY = dt.datetime.now(dt.UTC).date()
FIRST = (TODAY - dt.timedelta(days=30)).isoformat()
LAST = (TODAY - dt.timedelta(days=1)).isoformat()
MID_WINDOW = (TODAY - dt.timedelta(days=9)).isoformat()
FIRST_OF_A_MONTH = TODAY.replace(day=1).isoformat()
# A budget judged on a day reads its month's days and the 7 before it: inside the API's window.
YESTERDAY_OR_TODAY = LAST if TODAY.day > 1 else TODAY.isoformat()
TOOLS = {
    "spend_report",
    "analytics_schema",
    "query_analytics",
    "check_spend",
    "check_budget",
    "history_report",
    "cost_advice",
}
# The history: a sync of a demo ending OLDER_SYNC ago, then one of the module's demo. The days
# between the two windows are a gap.
OLDER_SYNC = dt.timedelta(days=40)
HELD_FIRST = (TODAY - OLDER_SYNC - dt.timedelta(days=30)).isoformat()
GAP = ((TODAY - OLDER_SYNC).isoformat(), (TODAY - dt.timedelta(days=31)).isoformat())


class Connection:
    """A client of one ``openrouter-activity mcp`` process, on an event loop of its own."""

    def __init__(self, args: list[str], errlog: Path, env: dict[str, str] | None = None) -> None:
        self.errlog = errlog
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._stop: asyncio.Future[None] | None = None
        self._client: Client | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._errors = errlog.open("w")
        environment = {"OPENROUTER_API_KEY": SECRET, **tool_env(), **(env or {})}
        self._parameters = StdioServerParameters(command=str(TOOL), args=["mcp", *args], env=environment)
        self._main = asyncio.run_coroutine_threadsafe(self._serve(), self._loop)
        self._ready.wait(30)
        if self._failure is not None:
            raise self._failure

    async def _serve(self) -> None:
        try:
            self._stop = self._loop.create_future()
            async with Client(stdio_client(self._parameters, errlog=self._errors)) as client:
                self._client = client
                self._ready.set()
                await self._stop
        except BaseException as exc:
            self._failure = exc
            self._ready.set()
            raise

    def run(self, make: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(make, self._loop).result(60)

    @property
    def client(self) -> Client:
        assert self._client is not None
        return self._client

    def call(self, name: str, arguments: dict[str, Any] | None = None) -> Any:
        return self.run(self.client.call_tool(name, arguments or {}))

    def close(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set_result, None)
        with contextlib.suppress(Exception):
            self._main.result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
        self._errors.close()


@contextlib.contextmanager
def connection(args: list[str], errlog: Path, env: dict[str, str] | None = None) -> Iterator[Connection]:
    opened = Connection(args, errlog, env)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    """The demo month, moved to end yesterday, so that check_spend has days to check."""
    with serve(month_of_activity(TODAY), api_key=SECRET) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def history_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the module's server reads the history; the ``history`` fixture fills it."""
    return tmp_path_factory.mktemp("history") / "history.sqlite3"


def sync(url: str, db: Path) -> None:
    run = run_tool("sync", "--base-url", url, "--db", str(db))
    assert run.code == 0, run.stderr


@pytest.fixture(scope="module")
def history(url: str, history_db: Path) -> Path:
    """Seventy days kept by real syncs: one of a demo that ended 40 days ago, one of today's."""
    from openrouter_analytics import Analytics
    from openrouter_analytics.history import History

    with (
        serve(month_of_activity(TODAY - OLDER_SYNC), api_key=SECRET) as older,
        Analytics(api_key=SECRET, base_url=older) as analytics,
        History(history_db) as history,
    ):
        history.sync(analytics, today=TODAY - OLDER_SYNC)  # as the daily sync did then
    sync(url, history_db)
    return history_db


@pytest.fixture(scope="module")
def mcp(url: str, history_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connection]:
    errlog = tmp_path_factory.mktemp("mcp") / "stderr.txt"
    with connection(["--base-url", url, "--verbose", "--db", str(history_db)], errlog) as opened:
        yield opened
    # Whatever the server logged (--verbose), the key is not in it.
    assert SECRET not in errlog.read_text()


def cli_json(*args: str) -> Any:
    run = run_tool(*args)
    assert run.code in (0, 1), run.stderr
    return json.loads(run.stdout)


def structured(result: Any) -> Any:
    assert not result.is_error, result.content[0].text
    return result.structured_content


def output_schema(mcp: Connection, name: str) -> dict[str, Any]:
    listed = mcp.run(mcp.client.list_tools())
    (tool,) = [tool for tool in listed.tools if tool.name == name]
    schema: dict[str, Any] = tool.output_schema
    return schema


# ---------------------------------------------------------------------------------------------
# The catalogue


def test_every_tool_is_read_only_with_valid_json_schemas(mcp: Connection) -> None:
    listed = mcp.run(mcp.client.list_tools())

    assert {tool.name for tool in listed.tools} == TOOLS
    for tool in listed.tools:
        Draft202012Validator.check_schema(tool.input_schema)
        assert tool.output_schema is not None, tool.name
        Draft202012Validator.check_schema(tool.output_schema)
        assert tool.input_schema["type"] == tool.output_schema["type"] == "object"
        assert tool.input_schema["additionalProperties"] is False, tool.name
        assert tool.annotations is not None
        assert tool.annotations.read_only_hint is True
        assert tool.annotations.destructive_hint is False
        assert tool.description
        assert "\n    " not in tool.description
    report = next(tool for tool in listed.tools if tool.name == "spend_report")
    group_by = report.input_schema["properties"]["group_by"]
    assert group_by["enum"] == ["date", "model", "provider", "endpoint", "workspace", "none"]


# ---------------------------------------------------------------------------------------------
# Each tool against the command line


@pytest.mark.parametrize(
    ("arguments", "flags"),
    [
        ({}, []),
        ({"group_by": "date"}, ["--group-by", "date"]),
        (
            {"group_by": "provider", "top": 3, "sort": "requests"},
            ["--group-by", "provider", "--top", "3", "--sort", "requests"],
        ),
        ({"group_by": "workspace"}, ["--group-by", "workspace"]),
        (
            {"group_by": "none", "model": "gemini", "since": LAST},
            ["--group-by", "none", "--model", "gemini", "--since", LAST],
        ),
    ],
)
def test_spend_report_gives_the_numbers_of_report(
    mcp: Connection, url: str, arguments: dict[str, Any], flags: list[str]
) -> None:
    got = structured(mcp.call("spend_report", arguments))
    expected = cli_json("report", "--base-url", url, "--format", "json", *flags)

    assert got == expected
    assert got["rows"], "the report has rows to compare"
    Draft202012Validator(output_schema(mcp, "spend_report")).validate(got)
    # The rows and what top left out add up to the total.
    parts = [*got["rows"], *([got["other"]] if got["other"] else [])]
    assert math.isclose(math.fsum(row["cost"] for row in parts), got["total"]["cost"], rel_tol=1e-12)
    assert sum(row["requests"] for row in parts) == got["total"]["requests"]


def test_analytics_schema_is_the_meta_document(mcp: Connection, url: str) -> None:
    got = structured(mcp.call("analytics_schema"))

    assert got == cli_json("meta", "--base-url", url, "--format", "json")["data"]
    assert {"total_usage", "cache_hit_rate", "reasoning_tokens"} <= {m["name"] for m in got["metrics"]}
    Draft202012Validator(output_schema(mcp, "analytics_schema")).validate(got)


def test_query_analytics_gives_the_rows_of_query(mcp: Connection, url: str) -> None:
    got = structured(
        mcp.call(
            "query_analytics",
            {
                "metrics": ["total_usage", "request_count", "cache_hit_rate"],
                "dimensions": ["provider"],
                "filters": [
                    {"field": "provider", "operator": "in", "value": ["OpenAI", "Anthropic", "Groq"]}
                ],
                "since": FIRST,
                "until": LAST,
                "order_by": {"field": "request_count", "direction": "asc"},
            },
        )
    )
    expected = cli_json(
        "query", "--base-url", url, "--format", "json",
        "--metrics", "total_usage,request_count,cache_hit_rate", "--dimensions", "provider",
        "--filter", "provider", "in", "OpenAI,Anthropic,Groq", "--since", FIRST, "--until", LAST,
        "--order-by", "request_count:asc",
    )  # fmt: skip

    assert got["rows"] == expected["data"]["data"]
    assert [row["provider"] for row in got["rows"]] == ["Groq", "Anthropic", "OpenAI"]
    assert got["truncated"] is expected["data"]["metadata"]["truncated"] is False
    assert got["row_count"] == 3
    assert got["warnings"] == expected["data"].get("warnings", [])
    assert got["start"] == f"{FIRST}T00:00:00Z"
    assert got["end"] == f"{TODAY.isoformat()}T00:00:00Z"
    Draft202012Validator(output_schema(mcp, "query_analytics")).validate(got)


def test_query_analytics_says_when_rows_were_cut_and_what_the_server_warned(
    mcp: Connection, url: str
) -> None:
    got = structured(
        mcp.call(
            "query_analytics",
            {
                "metrics": ["total_usage"],
                "dimensions": ["model"],
                "filters": [{"field": "api_key_id", "operator": "eq", "value": "f" * 64}],
                "since": FIRST,
                "until": LAST,
            },
        )
    )
    cut = structured(
        mcp.call(
            "query_analytics", {"metrics": ["total_usage"], "granularity": "day", "since": FIRST, "limit": 2}
        )
    )
    expected = cli_json(
        "query", "--base-url", url, "--format", "json", "--metrics", "total_usage", "--granularity", "day",
        "--since", FIRST, "--limit", "2",
    )  # fmt: skip

    assert got["rows"] == []
    assert got["warnings"], "an unknown key hash is a warning of the server"
    assert any("f" * 64 in warning for warning in got["warnings"])
    assert cut["truncated"] is expected["data"]["metadata"]["truncated"] is True
    assert cut["rows"] == expected["data"]["data"]
    assert len(cut["rows"]) == 2


def test_check_spend_gives_the_verdict_of_check(mcp: Connection, url: str) -> None:
    got = structured(mcp.call("check_spend", {"max_cost": 20, "max_increase": 1.4, "by": "model"}))
    run = run_tool(
        "check", "--base-url", url, "--format", "json", "--max-cost", "20", "--max-increase", "1.4",
        "--by", "model",
    )  # fmt: skip

    assert got == json.loads(run.stdout)
    assert got["day"] == LAST
    assert got["rows"] > 0
    assert run.code == (0 if got["ok"] else 1)
    Draft202012Validator(output_schema(mcp, "check_spend")).validate(got)


@pytest.mark.parametrize(
    ("arguments", "flags"),
    [
        ({"monthly": 500}, ["--monthly", "500"]),
        (
            {"monthly": 40, "warn_at": [50, 80, 100], "by": "model"},
            ["--monthly", "40", "--warn-at", "50,80,100", "--by", "model"],
        ),
        ({"monthly": 100, "by": "workspace"}, ["--monthly", "100", "--by", "workspace"]),
        (
            {"monthly": 75.5, "by": "provider", "today": YESTERDAY_OR_TODAY},
            ["--monthly", "75.5", "--by", "provider", "--today", YESTERDAY_OR_TODAY],
        ),
        pytest.param(
            {"monthly": 300, "today": FIRST_OF_A_MONTH},
            ["--monthly", "300", "--today", FIRST_OF_A_MONTH],
            marks=pytest.mark.skipif(
                TODAY.day > 24, reason="the 7 days before the 1st left the API's window"
            ),
        ),
    ],
)
def test_check_budget_gives_the_verdict_of_budget(
    mcp: Connection, url: str, arguments: dict[str, Any], flags: list[str]
) -> None:
    got = structured(mcp.call("check_budget", arguments))
    run = run_tool("budget", "--base-url", url, "--format", "json", *flags)

    assert got == json.loads(run.stdout)
    assert run.code == (0 if got["ok"] else 1)
    if got["days_completed"] == 0:
        assert got["through"] is None
        assert got["ok"] is True, "nothing is judged on the first day of a month"
    else:
        assert got["rows"] > 0, "month to date reads days of the demo"
    Draft202012Validator(output_schema(mcp, "check_budget")).validate(got)
    # Each group's numbers are the budget's rule over them, recomputed here.
    monthly = arguments["monthly"]
    for group in got["groups"]:
        assert math.isclose(group["used"], group["month_to_date"] / monthly * 100, rel_tol=1e-12)
        forecast = group["month_to_date"] + group["daily_mean"] * got["days_left"]
        assert math.isclose(group["forecast"], forecast, rel_tol=1e-12)
        thresholds = arguments.get("warn_at", [80, 100])
        assert group["reached"] == [p for p in thresholds if group["month_to_date"] >= monthly * p / 100]
    if arguments.get("by", "total") == "total":
        (total,) = got["groups"]
        day = dt.date.fromisoformat(got["today"])
        assert total["month_to_date"] == pytest.approx(month_cost(url, day), rel=1e-12)
    if arguments.get("by") == "workspace":
        assert all(re.fullmatch(r"[0-9a-f-]{36}", group["group"]) for group in got["groups"])


def test_check_budget_refuses_a_day_whose_month_began_before_the_apis_window(
    mcp: Connection, url: str
) -> None:
    """The demo keeps the API's 30 days, as the API does: days before them would count as $0."""
    judged = (TODAY - dt.timedelta(days=29)).isoformat()  # reads from 7 days before it, at the latest
    result = mcp.call("check_budget", {"monthly": 100, "today": judged})
    run = run_tool("budget", "--base-url", url, "--monthly", "100", "--today", judged)

    assert result.is_error
    text = result.content[0].text
    assert f"today {judged} reads " in text
    assert f"but the API keeps only its last 30 completed days, {FIRST} to {LAST}" in text
    assert run.code == 2
    assert f"--today {judged} reads " in run.stderr
    assert "add --history to read them from the local history" in run.stderr
    assert run.stdout == ""


def month_cost(url: str, today: dt.date) -> float:
    """The month's completed days' cost, added up here from the demo's own rows."""
    first = today.replace(day=1).isoformat()
    rows = httpx.get(f"{url}/activity", headers={"Authorization": f"Bearer {SECRET}"}).json()["data"]
    return math.fsum(row["usage"] for row in rows if first <= row["date"][:10] < today.isoformat())


HISTORY_EXTRA = {"held_first_day", "held_last_day", "held_days", "gaps", "not_kept"}


@pytest.mark.parametrize(
    ("arguments", "flags"),
    [
        ({}, []),
        (
            {"group_by": "date", "until": GAP[0]},
            ["--group-by", "date", "--until", GAP[0]],
        ),
        (
            {"group_by": "provider", "top": 3, "sort": "requests", "since": HELD_FIRST, "until": LAST},
            [
                "--group-by",
                "provider",
                "--top",
                "3",
                "--sort",
                "requests",
                "--since",
                HELD_FIRST,
                "--until",
                LAST,
            ],
        ),
        ({"group_by": "workspace", "model": "claude"}, ["--group-by", "workspace", "--model", "claude"]),
    ],
)
def test_history_report_gives_the_numbers_of_report_history(
    mcp: Connection, history: Path, arguments: dict[str, Any], flags: list[str]
) -> None:
    got = structured(mcp.call("history_report", arguments))
    run = run_tool("report", "--history", "--db", str(history), "--format", "json", *flags)

    assert run.code == 0, run.stderr
    assert {key: value for key, value in got.items() if key not in HISTORY_EXTRA} == json.loads(run.stdout)
    Draft202012Validator(output_schema(mcp, "history_report")).validate(got)
    assert (got["held_first_day"], got["held_last_day"]) == (HELD_FIRST, LAST)
    assert got["held_days"] == 70 - len(range(31, 41))
    since, until = arguments.get("since", HELD_FIRST), arguments.get("until", LAST)
    in_range = since <= GAP[1] and until >= GAP[0]
    assert got["gaps"] == ([{"first": GAP[0], "last": GAP[1], "days": 10}] if in_range else [])
    assert ("gap" in run.stderr) is in_range
    assert got["not_kept"] == []


def test_history_report_names_the_parts_of_the_range_it_does_not_keep(mcp: Connection, history: Path) -> None:
    """As report --history notes them: a range from before the first day kept counts from it."""
    since = (dt.date.fromisoformat(HELD_FIRST) - dt.timedelta(days=5)).isoformat()
    before = (dt.date.fromisoformat(HELD_FIRST) - dt.timedelta(days=1)).isoformat()
    got = structured(mcp.call("history_report", {"group_by": "none", "since": since, "until": LAST}))
    run = run_tool(
        "report",
        "--history",
        "--db",
        str(history),
        "--format",
        "json",
        "--group-by",
        "none",
        "--since",
        since,
    )

    assert got["not_kept"] == [{"first": since, "last": before, "days": 5}]
    assert f"the history keeps {HELD_FIRST} to {LAST}: {since} to {before} are not kept and not counted" in (
        run.stderr
    )
    assert got["first_date"] == HELD_FIRST
    assert got["total"] == json.loads(run.stdout)["total"]


def test_history_report_reaches_past_the_apis_window(mcp: Connection, history: Path) -> None:
    older = (TODAY - OLDER_SYNC - dt.timedelta(days=1)).isoformat()
    got = structured(mcp.call("history_report", {"group_by": "none", "until": older}))

    # Added up here from the older demo's own rows, which the API no longer returns.
    expected = math.fsum(
        record.item["usage"]
        for record in month_of_activity(TODAY - OLDER_SYNC)
        if record.item["date"][:10] <= older
    )
    assert got["total"]["cost"] == pytest.approx(expected, rel=1e-12)
    assert got["first_date"] == HELD_FIRST
    assert got["last_date"] == older


@pytest.mark.parametrize(
    "arguments", [{"since": "2999-01-01"}, {"until": "1999-12-31"}, {"since": GAP[0], "until": GAP[1]}]
)
def test_history_report_refuses_a_range_it_keeps_no_day_of(
    mcp: Connection, history: Path, arguments: dict[str, str]
) -> None:
    """As report --history refuses it: nothing is known there, not even that it cost nothing."""
    result = mcp.call("history_report", {"group_by": "none", **arguments})
    run = run_tool(
        "report",
        "--history",
        "--db",
        str(history),
        "--group-by",
        "none",
        "--format",
        "json",
        *(f"--{name}={value}" for name, value in arguments.items()),
    )

    assert run.code == 2
    assert result.is_error
    text = result.content[0].text
    asked = " ".join(f"{name} {value}" for name, value in arguments.items())
    assert f"{asked} asks for days the history {history} does not keep" in text
    assert f"it keeps {HELD_FIRST} to {LAST}" in text
    assert f"--{asked.replace(' until ', ' --until ')} asks for days" in run.stderr


def test_history_report_without_a_history_says_how_to_start_one(url: str, tmp_path: Path) -> None:
    db = tmp_path / "later" / "history.sqlite3"
    with connection(["--base-url", url, "--db", str(db)], tmp_path / "stderr.txt") as server:
        tools = {tool.name for tool in server.run(server.client.list_tools()).tools}
        before = server.call("history_report", {"group_by": "none"})
        # The file appears while the server runs, as after a first sync from cron.
        sync(url, db)
        after = structured(server.call("history_report", {"group_by": "none"}))

    assert "history_report" in tools
    assert before.is_error
    text = before.content[0].text
    assert f"there is no history at {db}" in text
    assert f"openrouter-activity sync --db {db}" in text
    assert "spend_report" in text
    assert "invalid input" not in text  # no argument was wrong: the file is not there yet
    assert SECRET not in text
    expected = cli_json("report", "--base-url", url, "--group-by", "none", "--format", "json")
    assert after["total"] == expected["total"]


def test_cost_advice_rests_every_finding_on_a_number_the_query_gives(mcp: Connection, url: str) -> None:
    from openrouter_analytics.mcp_server import advice

    got = structured(mcp.call("cost_advice", {"since": FIRST, "until": LAST}))
    Draft202012Validator(output_schema(mcp, "cost_advice")).validate(got)

    kinds = {finding["kind"] for finding in got["findings"]}
    assert {"low_cache_hit_rate", "reasoning_share", "expensive_short_requests", "day_over_day_jump"} <= kinds
    asked: dict[str, Any] = {}
    for finding in got["findings"]:
        question = finding["query"]
        flags = ["--metrics", ",".join(question["metrics"]), "--dimensions", ",".join(question["dimensions"])]
        flags += ["--granularity", question["granularity"]] if question["granularity"] else []
        flags += ["--since", question["since"], "--until", question["until"], "--limit", "10000"]
        key = " ".join(flags)
        if key not in asked:
            asked[key] = cli_json("query", "--base-url", url, "--format", "json", *flags)["data"]["data"]
        rows = asked[key]
        dimension = question["dimensions"][0]
        if finding["kind"] == "day_over_day_jump":
            day = finding["day"]
            on = [r for r in rows if r[dimension] == finding["subject"] and r["date__day"][:10] == day]
            before_day = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
            before = [
                r for r in rows if r[dimension] == finding["subject"] and r["date__day"][:10] == before_day
            ]
            cost = math.fsum(r["total_usage"] for r in on)
            previous = math.fsum(r["total_usage"] for r in before)
            assert finding["value"] == finding["cost"] == pytest.approx(cost, rel=1e-12)
            assert cost > advice.JUMP_FACTOR * previous
            assert cost - previous >= advice.MIN_JUMP_USD
            continue
        (row,) = [r for r in rows if r[dimension] == finding["subject"]]
        assert finding["cost"] == row["total_usage"]
        share = row["total_usage"] / got["total_cost"]
        if finding["kind"] == "low_cache_hit_rate":
            assert finding["value"] == row["cache_hit_rate"] < advice.LOW_CACHE_HIT_RATE
            assert share >= advice.LARGE_SHARE
        elif finding["kind"] == "reasoning_share":
            assert finding["value"] == row["reasoning_tokens"] / row["tokens_completion"]
            assert finding["value"] >= advice.HIGH_REASONING_SHARE
        else:
            tokens = row["tokens_prompt"] + row["tokens_completion"]
            assert finding["value"] == pytest.approx(row["total_usage"] / tokens * 1e6, rel=1e-12)
            assert tokens / row["request_count"] < advice.SHORT_REQUEST_TOKENS
        assert (
            f"{finding['value']:.1%}" in finding["message"]
            or f"${finding['value']:,.2f}" in finding["message"]
        )
    # The total is the month's, and the findings name what the rule picks and nothing else.
    per_model = next(rows for key, rows in asked.items() if "cache_hit_rate" in key)
    assert got["total_cost"] == pytest.approx(math.fsum(r["total_usage"] for r in per_model), rel=1e-12)
    low_cache = {
        r["model"]
        for r in per_model
        if r["total_usage"] / got["total_cost"] >= advice.LARGE_SHARE
        and r["cache_hit_rate"] < advice.LOW_CACHE_HIT_RATE
    }
    assert {f["subject"] for f in got["findings"] if f["kind"] == "low_cache_hit_rate"} == low_cache
    assert "anthropic/claude-4-sonnet-20250522" not in low_cache  # a large spender that caches well


def test_the_prompt_and_the_meta_resource(mcp: Connection, url: str) -> None:
    prompt = mcp.run(mcp.client.get_prompt("where-did-the-money-go", {"since": FIRST, "until": LAST}))
    resources = mcp.run(mcp.client.list_resources())
    (resource,) = resources.resources
    read = mcp.run(mcp.client.read_resource(str(resource.uri)))

    text = prompt.messages[0].content.text
    assert FIRST in text
    assert LAST in text
    for name in ("spend_report", "cost_advice", "query_analytics", "analytics_schema"):
        assert name in text
    assert resource.mime_type == "application/json"
    assert json.loads(read.contents[0].text) == cli_json("meta", "--base-url", url, "--format", "json")


def test_verbose_logs_each_request_once_without_the_key(mcp: Connection) -> None:
    structured(mcp.call("spend_report", {"group_by": "none", "user_id": "user_2demoOps"}))
    deadline = time.monotonic() + 10
    while "user_id=user_2demoOps" not in mcp.errlog.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)

    log = mcp.errlog.read_text()
    lines = [line for line in log.splitlines() if "user_id=user_2demoOps" in line]
    assert len(lines) == 1, log
    assert re.match(r"\d{4}-\d{2}-\d{2}T[\d:.]+Z openrouter_analytics DEBUG GET http://127", lines[0])
    assert SECRET not in log


# ---------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    ("tool", "arguments", "named"),
    [
        ("spend_report", {"group_by": "modle"}, "group_by"),
        ("spend_report", {"top": 0}, "top"),
        ("spend_report", {"since": "2026-13-01"}, "since"),
        ("spend_report", {"model": " "}, "model"),
        ("spend_report", {"api_key_hash": "not-a-hash"}, "api_key_hash"),
        ("query_analytics", {}, "metrics"),
        ("query_analytics", {"metrics": ["total_usage"], "since": "last week"}, "since"),
        (
            "query_analytics",
            {"metrics": ["total_usage"], "since": "2026-09-10", "until": "2026-09-01"},
            "since",
        ),
        ("query_analytics", {"metrics": ["total_usage"], "dimensions": ["a", "b", "c"]}, "dimensions"),
        (
            "query_analytics",
            {
                "metrics": ["total_usage"],
                "filters": [{"field": "provider", "operator": "like", "value": "x"}],
            },
            "filters.0.operator",
        ),
        (
            "query_analytics",
            {"metrics": ["total_usage"], "filters": [{"field": "provider", "operator": "in", "value": []}]},
            "filters[0].value",
        ),
        ("query_analytics", {"metrics": ["total_usage"], "limit": 10_001}, "limit"),
        ("check_spend", {}, "max_cost"),
        ("check_spend", {"max_cost": -1}, "max_cost"),
        ("check_spend", {"max_cost": 5, "day": TODAY.isoformat()}, "day"),
        ("check_spend", {"max_cost": 5, "min_cost": 2}, "min_cost"),
        ("cost_advice", {"since": LAST, "until": FIRST}, "since"),
        ("history_report", {"top": 0}, "top"),
        ("history_report", {"since": LAST, "until": FIRST}, "since"),
        ("history_report", {"group_by": "week"}, "group_by"),
        ("check_budget", {}, "monthly"),
        ("check_budget", {"monthly": 0}, "monthly"),
        ("check_budget", {"monthly": 500, "warn_at": [0]}, "warn_at"),
        ("check_budget", {"monthly": 500, "warn_at": []}, "warn_at"),
        ("check_budget", {"monthly": 500, "by": "day"}, "by"),
        ("check_budget", {"monthly": 500, "today": (TODAY + dt.timedelta(days=1)).isoformat()}, "today"),
        ("query_analytics", {"metrics": ["total_usage"], "until": "0001-01-01"}, "until"),
        ("query_analytics", {"metrics": ["total_usage"], "until": "9999-12-31"}, "until"),
        ("cost_advice", {"until": "0001-01-01"}, "until"),
        ("cost_advice", {"until": TODAY.isoformat()}, "until"),
        ("check_budget", {"monthly": 5, "today": "0001-01-01"}, "today"),
        (
            "query_analytics",
            {
                "metrics": ["total_usage"],
                "order_by": {"field": "total_usage", "direction": "asc", "dirction": "x"},
            },
            "order_by.dirction",
        ),
        (
            "query_analytics",
            {
                "metrics": ["total_usage"],
                "filters": [{"field": "model", "operator": "eq", "value": "a", "operater": "neq"}],
            },
            "filters.0.operater",
        ),
        # A range the API's answer does not hold is refused, not answered as $0.
        ("spend_report", {"since": "2020-01-01", "until": "2020-01-31"}, "until"),
        ("spend_report", {"since": "2998-01-01"}, "since"),
        # An argument the tool does not take is refused, not dropped: the answer would be of another range.
        ("history_report", {"start": FIRST}, "start"),
        ("spend_report", {"group_by": "provider", "groupby": "model"}, "groupby"),
        ("check_budget", {"monthly": 500, "warn_at": [0.5], "budget": 10}, "budget"),
        # JSON's true and false are not the numbers 1 and 0.
        ("spend_report", {"top": True}, "top"),
        ("history_report", {"top": False}, "top"),
        ("query_analytics", {"metrics": ["total_usage"], "limit": True}, "limit"),
        ("check_spend", {"max_cost": True}, "max_cost"),
        ("check_spend", {"max_increase": 2, "baseline_days": True}, "baseline_days"),
        ("check_budget", {"monthly": True}, "monthly"),
        ("check_budget", {"monthly": 500, "warn_at": [50, True]}, "warn_at.1"),
        (
            "query_analytics",
            {
                "metrics": ["total_usage"],
                "filters": [{"field": "total_usage", "operator": "gt", "value": True}],
            },
            "filters.0.value",
        ),
    ],
)
def test_bad_arguments_are_tool_errors_naming_them(
    mcp: Connection, tool: str, arguments: dict[str, Any], named: str
) -> None:
    result = mcp.call(tool, arguments)

    assert result.is_error
    text = result.content[0].text
    assert "invalid argument" in text
    assert re.search(rf"(?<![\w.\[]){re.escape(named)}(?![\w])", text), text
    assert "Traceback" not in text
    assert SECRET not in text


def test_a_misspelt_key_inside_a_filter_is_named_not_dropped(mcp: Connection) -> None:
    filters = [{"field": "model", "operator": "eq", "value": "a", "operater": "neq"}]
    result = mcp.call("query_analytics", {"metrics": ["total_usage"], "filters": filters})

    assert result.is_error
    assert result.content[0].text == (
        "Error executing tool query_analytics: invalid argument: filters.0.operater: no such key here, "
        "so it would be dropped (got 'neq')"
    )


def test_an_unknown_metric_is_the_apis_400_in_plain_words(mcp: Connection) -> None:
    result = mcp.call("query_analytics", {"metrics": ["spend"], "since": FIRST})

    assert result.is_error
    assert "400" in result.content[0].text
    assert "spend" in result.content[0].text
    assert "invalid input" in result.content[0].text


def test_a_401_and_a_429_are_tool_errors_in_plain_words_without_the_key(tmp_path: Path) -> None:
    routes = {
        "GET /activity": (401, error_body(401, "User not found.")),
        "POST /analytics/query": (429, error_body(429, "Rate limit exceeded"), {"Retry-After": "30"}),
    }
    errlog = tmp_path / "stderr.txt"
    with (
        api_server(routes) as (base_url, received),
        connection(["--base-url", base_url, "--verbose"], errlog) as failing,
    ):
        unauthorized = failing.call("spend_report", {})
        limited = failing.call("query_analytics", {"metrics": ["total_usage"]})

    assert unauthorized.is_error
    assert limited.is_error
    text_401, text_429 = unauthorized.content[0].text, limited.content[0].text
    assert "401" in text_401
    assert "User not found." in text_401
    assert "authentication" in text_401
    assert "OPENROUTER_API_KEY" in text_401
    assert "429" in text_429
    assert "64 analytics requests a minute" in text_429
    assert "wait 30 s" in text_429
    # The key went to the API, and nowhere else: not in a result, not in the server's log.
    assert {request.headers["authorization"] for request in received} == {f"Bearer {SECRET}"}
    for text in (text_401, text_429, errlog.read_text()):
        assert SECRET not in text
        assert "Traceback" not in text


def test_a_refused_connection_is_a_network_tool_error(tmp_path: Path) -> None:
    errlog = tmp_path / "stderr.txt"
    with (
        refused_url() as base_url,
        connection(["--base-url", base_url, "--max-retries", "0"], errlog) as failing,
    ):
        result = failing.call("analytics_schema")

    assert result.is_error
    text = result.content[0].text
    assert "network error" in text
    assert SECRET not in text
    assert SECRET not in errlog.read_text()


def test_without_a_key_the_server_does_not_start() -> None:
    run = run_tool("mcp", key=None)

    assert run.code == 2
    assert "OPENROUTER_API_KEY" in run.stderr


# ---------------------------------------------------------------------------------------------
# Streamable HTTP


@contextlib.contextmanager
def http_server(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(
        [str(TOOL), "mcp", "--http", "--port", "0", *args],
        env={"OPENROUTER_API_KEY": SECRET, **tool_env()},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        found = re.search(r"http://\S+/mcp", line)
        assert found, line
        yield process, found.group(0)
    finally:
        process.terminate()
        process.wait(10)
        assert process.stderr is not None
        rest = process.stderr.read()
        process.stderr.close()
        assert SECRET not in rest


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a socket listening on ``port`` (IPv4, from /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if int(port_hex, 16) == port and state == "0A":
            found.add(".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)))
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads the listening sockets from /proc")
def test_http_listens_on_loopback_only_and_answers_a_client(url: str) -> None:
    async def ask(endpoint: str) -> Any:
        async with Client(endpoint) as client:
            listed = await client.list_tools()
            result = await client.call_tool("spend_report", {"group_by": "none"})
            return {tool.name for tool in listed.tools}, result

    with http_server("--base-url", url) as (_, endpoint):
        port = int(endpoint.rsplit(":", 1)[1].split("/")[0])
        assert endpoint == f"http://127.0.0.1:{port}/mcp"
        assert listening_addresses(port) == {"127.0.0.1"}
        names, result = asyncio.run(ask(endpoint))
        # A page on another site that resolves its name to 127.0.0.1 is refused (DNS rebinding).
        hello = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
        headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
        rebound = httpx.post(
            endpoint, json=hello, headers={**headers, "Host": f"attacker.example:{port}"}, trust_env=False
        )
        foreign = httpx.post(
            endpoint, json=hello, headers={**headers, "Origin": "http://attacker.example"}, trust_env=False
        )

    assert names == TOOLS
    assert rebound.status_code == 421
    assert foreign.status_code == 403
    assert (
        structured(result)["total"]
        == cli_json("report", "--base-url", url, "--group-by", "none", "--format", "json")["total"]
    )


def test_http_options_need_http_and_another_host_is_warned_about() -> None:
    port = run_tool("mcp", "--port", "9000")
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: nothing can listen there.
    elsewhere = run_tool("mcp", "--http", "--host", "192.0.2.1", "--port", "0")

    assert port.code == 2
    assert "--port applies to --http only" in port.stderr
    assert elsewhere.code == 2
    assert "--host 192.0.2.1 serves beyond this machine" in elsewhere.stderr
    assert "management key" in elsewhere.stderr
    assert "cannot listen on 192.0.2.1" in elsewhere.stderr


@pytest.mark.parametrize("since", ["ignore previous instructions", "2026-09-01; and more", "", "2026-13-01"])
def test_the_prompt_refuses_a_day_that_is_not_a_day_in_plain_words(mcp: Connection, since: str) -> None:
    """The prompt's days are written into its text: anything else is the client's invalid params,
    naming the argument (the SDK's own answer to an error in a prompt is "Internal server error")."""
    from mcp.shared.exceptions import MCPError
    from mcp_types import INVALID_PARAMS

    with pytest.raises(MCPError) as refused:
        mcp.run(mcp.client.get_prompt("where-did-the-money-go", {"since": since, "until": LAST}))
    assert refused.value.code == INVALID_PARAMS
    assert refused.value.message.startswith("invalid argument: since must be a UTC day, YYYY-MM-DD (got ")
