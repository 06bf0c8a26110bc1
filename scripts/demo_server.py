"""A local stand-in for OpenRouter's analytics endpoints, serving a realistic month of traffic.

The month is generated from a fixed seed, so every run serves the same numbers: the 30
completed UTC days before ``ANCHOR`` (September 2026), 7 models through 9 providers, list
prices per token, busy weekdays and quiet weekends, three API keys of two org members in
three workspaces, and a few days of traffic paid through the user's own Amazon Bedrock key
(BYOK). Prompt caching, latency and throughput are seeded per endpoint and day as well.

Served under ``/`` and under ``/api/v1`` (as the real base URL has it):

- ``GET /activity``: per day and endpoint, honouring ``date``, ``api_key_hash``,
  ``user_id``, ``workspace_id`` (not a UUID: 400; a UUID of no workspace of the account:
  404) and ``group_by=workspace`` (rows split per workspace, each with its ``workspace_id``).
- ``GET /analytics/meta``: the catalogue of ``demo_analytics.py``: 21 metrics, the
  dimensions ``model``, ``provider``, ``api_key_id``, ``user`` and ``workspace``, every
  operator, and the granularities minute (windows of at most 3 hours), hour, day, week and
  month.
- ``POST /analytics/query``: computed from the same month by ``demo_analytics.py`` (its
  docstring has the rules: filters, order, limits, buckets, warnings). The server's "now"
  is ``ANCHOR`` at 00:00 UTC, so a query without ``time_range`` covers 2026-09-24 to
  2026-09-30. Its numbers agree with ``/activity``: ``total_usage`` is ``usage +
  byok_usage_inference``, ``byok_usage`` is ``byok_usage_inference``, ``credits_usage`` is
  ``usage``, ``request_count`` and the token counts are the same sums.

Workspaces: "Default" (the account's default), "Production" and "Research". The production
key works in Production and the notebooks key in Research; the staging key joined
Production on 2026-09-15, so its earlier traffic counts for Default.

Every route wants a bearer token (401 otherwise). Errors come in OpenRouter's JSON envelope,
``{"error": {"code": ..., "message": ...}}``, never as an HTML page: 400 for a bad parameter
or query, 404 for an unknown path, 405 with an ``Allow`` header for a method a path does not
serve, 500 if the server fails. HEAD works wherever GET does. Every answer carries an
``X-Demo-Origin`` header with the server's origin token, so that a proxy in front of it
(``scripts/prism.py``) can tell the server's answers from any it made up.

Not served: classifiers (the account has none: 400), the rate limit, 403 and 408.

``--days-ending yesterday`` (or ``--days-ending YYYY-MM-DD``) serves the same kind of month
moved to end on that day, as the real API's last 30 completed UTC days do, so that
``openrouter-activity check`` has a day to check; on its last day a model the account never
used before, ``openai/o3`` through the staging key, spends about $65 (a runaway job, or a
leaked key), which ``check --max-increase 3 --by model`` flags. The query's "now" is the day
after it. :func:`recent_activity` is that month, for :func:`serve`.

    python scripts/demo_server.py --port 8080                           # September 2026
    python scripts/demo_server.py --port 8080 --days-ending yesterday   # until Ctrl-C

Tests and the demo start it in a thread with :func:`serve`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import hashlib
import json
import math
import random
import re
import secrets
import threading
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import demo_analytics as analytics

ANCHOR = dt.date(2026, 10, 1)
"""The served month is the 30 days before this one: 2026-09-01 to 2026-09-30."""
DAYS = 30
SEED = 20260901
API_PREFIX = "/api/v1"
ORIGIN_HEADER = "X-Demo-Origin"
"""Set on every answer, with the server's origin token."""
MAX_BODY_BYTES = 1 << 20
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_BEARER = re.compile(r"Bearer\s+(\S+)")


@dataclass(frozen=True)
class Endpoint:
    """A model served by one provider, with its list prices and a typical weekday's traffic."""

    model: str
    permaslug: str
    provider: str
    prompt_price: float
    """USD per million prompt tokens."""
    completion_price: float
    """USD per million completion tokens (reasoning tokens included)."""
    weekday_requests: float
    prompt_tokens: int
    """Per request, on average."""
    completion_tokens: int
    reasoning_share: float = 0.0
    """The part of the completion tokens spent on reasoning."""
    byok_days: tuple[int, ...] = ()
    """Days of the month (1-based) whose traffic went through the user's own provider key."""
    latency_ms: float = 800
    """Median time to the first token."""
    tokens_per_second: float = 60
    """Median generation speed."""
    cache_share: float = 0.0
    """The part of the prompt tokens read from the provider's cache, on average."""

    @property
    def endpoint_id(self) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"openrouter:{self.permaslug}@{self.provider}"))


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "anthropic/claude-sonnet-4",
        "anthropic/claude-4-sonnet-20250522",
        "Anthropic",
        3,
        15,
        620,
        5200,
        480,
        latency_ms=1400,
        tokens_per_second=62,
        cache_share=0.45,
    ),
    Endpoint(
        "anthropic/claude-sonnet-4",
        "anthropic/claude-4-sonnet-20250522",
        "Google Vertex",
        3,
        15,
        140,
        5200,
        480,
        latency_ms=1650,
        tokens_per_second=55,
        cache_share=0.35,
    ),
    Endpoint(
        "anthropic/claude-sonnet-4",
        "anthropic/claude-4-sonnet-20250522",
        "Amazon Bedrock",
        3,
        15,
        90,
        5200,
        480,
        byok_days=(8, 9, 10, 11, 12),
        latency_ms=1900,
        tokens_per_second=48,
        cache_share=0.2,
    ),
    Endpoint(
        "openai/gpt-4.1",
        "openai/gpt-4.1-2025-04-14",
        "OpenAI",
        2,
        8,
        380,
        3100,
        350,
        latency_ms=720,
        tokens_per_second=78,
        cache_share=0.3,
    ),
    Endpoint(
        "openai/gpt-4.1-mini",
        "openai/gpt-4.1-mini-2025-04-14",
        "OpenAI",
        0.4,
        1.6,
        2400,
        1400,
        220,
        latency_ms=460,
        tokens_per_second=96,
        cache_share=0.25,
    ),
    Endpoint(
        "google/gemini-2.5-pro",
        "google/gemini-2.5-pro",
        "Google Vertex",
        1.25,
        10,
        160,
        9000,
        2600,
        0.7,
        latency_ms=2600,
        tokens_per_second=88,
        cache_share=0.15,
    ),
    Endpoint(
        "google/gemini-2.5-flash",
        "google/gemini-2.5-flash",
        "Google AI Studio",
        0.3,
        2.5,
        3100,
        2200,
        600,
        0.35,
        latency_ms=610,
        tokens_per_second=185,
        cache_share=0.1,
    ),
    Endpoint(
        "meta-llama/llama-3.3-70b-instruct",
        "meta-llama/llama-3.3-70b-instruct",
        "DeepInfra",
        0.23,
        0.4,
        900,
        1800,
        300,
        latency_ms=520,
        tokens_per_second=42,
    ),
    Endpoint(
        "meta-llama/llama-3.3-70b-instruct",
        "meta-llama/llama-3.3-70b-instruct",
        "Groq",
        0.59,
        0.79,
        350,
        1800,
        300,
        latency_ms=230,
        tokens_per_second=275,
    ),
    Endpoint(
        "meta-llama/llama-3.3-70b-instruct",
        "meta-llama/llama-3.3-70b-instruct",
        "Together",
        0.88,
        0.88,
        120,
        1800,
        300,
        latency_ms=440,
        tokens_per_second=105,
    ),
    Endpoint(
        "deepseek/deepseek-r1",
        "deepseek/deepseek-r1",
        "DeepSeek",
        0.55,
        2.19,
        110,
        2500,
        3200,
        0.8,
        latency_ms=4200,
        tokens_per_second=27,
        cache_share=0.3,
    ),
    Endpoint(
        "deepseek/deepseek-r1",
        "deepseek/deepseek-r1",
        "DeepInfra",
        0.7,
        2.4,
        60,
        2500,
        3200,
        0.8,
        latency_ms=3100,
        tokens_per_second=38,
    ),
)


@dataclass(frozen=True)
class Workspace:
    name: str

    @property
    def id(self) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"openrouter-demo:workspace:{self.name}"))


WORKSPACES: tuple[Workspace, ...] = (Workspace("Default"), Workspace("Production"), Workspace("Research"))
DEFAULT_WORKSPACE = WORKSPACES[0]
"""The account's default workspace: activity from before a key joined a workspace counts here."""
MEMBERS = {"user_2demoOps": "ops@acme.example", "user_2demoMaria": "Maria Keller"}
"""User id -> how the analytics query shows the member."""


@dataclass(frozen=True)
class APIKey:
    """An API key of the account: its share of the traffic, its owner and its workspace."""

    name: str
    share: float
    user_id: str
    number: int
    """The key's numeric id, which analytics filters accept besides its hash."""
    workspace: Workspace
    hours: tuple[float, ...]
    """How its traffic of a day spreads over the 24 UTC hours (relative weights)."""
    joined: dt.date | None = None
    """The day it joined ``workspace``; before that its traffic counts for the default one."""

    @property
    def hash(self) -> str:
        return hashlib.sha256(f"demo-key:{self.name}".encode()).hexdigest()

    def workspace_on(self, day: dt.date) -> Workspace:
        return DEFAULT_WORKSPACE if self.joined is not None and day < self.joined else self.workspace


API_KEYS: tuple[APIKey, ...] = (
    APIKey(
        "production",
        0.7,
        "user_2demoOps",
        184_201,
        WORKSPACES[1],
        # a product used in Europe and the Americas
        (3, 2, 2, 2, 2, 3, 4, 6, 8, 9, 10, 10, 11, 12, 13, 14, 14, 13, 11, 9, 7, 6, 5, 4),
    ),
    APIKey(
        "staging",
        0.1,
        "user_2demoOps",
        184_202,
        WORKSPACES[1],
        # test runs on every push, in office hours on both sides of the Atlantic
        (1, 1, 1, 1, 1, 1, 2, 4, 6, 7, 7, 6, 6, 7, 8, 8, 7, 6, 4, 3, 2, 1, 1, 1),
        joined=dt.date(2026, 9, 15),
    ),
    APIKey(
        "notebooks",
        0.2,
        "user_2demoMaria",
        184_977,
        WORKSPACES[2],
        # one analyst in Berlin
        (0, 0, 0, 0, 0, 1, 3, 7, 9, 9, 8, 6, 8, 9, 9, 8, 6, 4, 2, 1, 1, 0, 0, 0),
    ),
)


@dataclass(frozen=True)
class Record:
    """One row of activity as the API shows it (``item``), and what only the analytics query shows."""

    item: dict[str, Any]
    api_key_hash: str = ""
    user_id: str = ""
    workspace_id: str = DEFAULT_WORKSPACE.id


def _usage_row(
    day: dt.date, endpoint: Endpoint, requests: int, rng: random.Random, byok: bool
) -> dict[str, Any]:
    prompt = round(requests * endpoint.prompt_tokens * rng.lognormvariate(0, 0.12))
    completion = round(requests * endpoint.completion_tokens * rng.lognormvariate(0, 0.15))
    cost = (prompt * endpoint.prompt_price + completion * endpoint.completion_price) / 1e6
    return {
        "date": day.isoformat(),
        "model": endpoint.model,
        "model_permaslug": endpoint.permaslug,
        "endpoint_id": endpoint.endpoint_id,
        "provider_name": endpoint.provider,
        # With BYOK the provider bills the user; OpenRouter charges a 5% fee on top.
        "usage": round(cost * 0.05 if byok else cost, 8),
        "byok_usage_inference": round(cost, 8) if byok else 0.0,
        "requests": requests,
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "reasoning_tokens": round(completion * endpoint.reasoning_share),
    }


def _cached_tokens(row: dict[str, Any], endpoint: Endpoint, key: APIKey, seed: int) -> int:
    # A generator of its own per row, so that the month's other numbers do not depend on it.
    rng = random.Random(f"{seed}:cache:{row['date']}:{endpoint.endpoint_id}:{key.name}")  # noqa: S311
    share = endpoint.cache_share * rng.lognormvariate(0, 0.2)
    prompt: int = row["prompt_tokens"]
    return min(prompt, round(prompt * share))


def month_of_activity(anchor: dt.date = ANCHOR, *, days: int = DAYS, seed: int = SEED) -> list[Record]:
    """The activity of the ``days`` completed days before ``anchor``, per day, endpoint and key."""
    rng = random.Random(seed)  # noqa: S311 - seeded demo data, not a secret
    records = []
    for offset in range(days, 0, -1):
        day = anchor - dt.timedelta(days=offset)
        weekday_factor = 0.22 if day.weekday() >= 5 else 1.0
        growth = 1 + 0.2 * (days - offset) / days  # usage grows a little over the month
        for endpoint in ENDPOINTS:
            byok = (days - offset + 1) in endpoint.byok_days
            if endpoint.byok_days and not byok:
                continue  # that key was only set up for a trial
            for key in API_KEYS:
                expected = endpoint.weekday_requests * key.share * weekday_factor * growth
                requests = round(expected * rng.lognormvariate(0, 0.25))
                if requests == 0:
                    continue
                row = _usage_row(day, endpoint, requests, rng, byok)
                row["cached_tokens"] = _cached_tokens(row, endpoint, key, seed)
                records.append(Record(row, key.hash, key.user_id, key.workspace_on(day).id))
    return records


RUNAWAY = Endpoint(
    "openai/o3",
    "openai/o3-2025-04-16",
    "OpenAI",
    2,
    8,
    0,
    8000,
    2400,
    0.6,
    latency_ms=5200,
    tokens_per_second=70,
)
"""A model the account never used, until the last day of :func:`recent_activity`."""
RUNAWAY_REQUESTS = 1850


def runaway_day(day: dt.date) -> list[Record]:
    """One day of :data:`RUNAWAY` traffic through the staging key: the same numbers on any day."""
    endpoint, key = RUNAWAY, API_KEYS[1]
    prompt = RUNAWAY_REQUESTS * endpoint.prompt_tokens
    completion = RUNAWAY_REQUESTS * endpoint.completion_tokens
    row = {
        "date": day.isoformat(),
        "model": endpoint.model,
        "model_permaslug": endpoint.permaslug,
        "endpoint_id": endpoint.endpoint_id,
        "provider_name": endpoint.provider,
        "usage": round((prompt * endpoint.prompt_price + completion * endpoint.completion_price) / 1e6, 8),
        "byok_usage_inference": 0.0,
        "requests": RUNAWAY_REQUESTS,
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "reasoning_tokens": round(completion * endpoint.reasoning_share),
        "cached_tokens": 0,
    }
    return [Record(row, key.hash, key.user_id, key.workspace_on(day).id)]


def recent_activity(last_day: dt.date, *, days: int = DAYS, seed: int = SEED) -> list[Record]:
    """The demo month moved to end on ``last_day``, with :func:`runaway_day` on that day."""
    month = month_of_activity(last_day + dt.timedelta(days=1), days=days, seed=seed)
    return sorted([*month, *runaway_day(last_day)], key=lambda record: record.item["date"])


def last_completed_day(text: str, today: dt.date | None = None) -> dt.date:
    """``yesterday`` (the last completed UTC day) or a ``YYYY-MM-DD`` day, for ``--days-ending``."""
    if text == "yesterday":
        return (today or dt.datetime.now(dt.UTC).date()) - dt.timedelta(days=1)
    try:
        if _DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"{text!r} is not 'yesterday' or a day as YYYY-MM-DD, e.g. 2026-09-30")


def activity_rows(
    records: Iterable[Record],
    *,
    date: str | None = None,
    api_key_hash: str | None = None,
    user_id: str | None = None,
    workspace_id: str | None = None,
    by_workspace: bool = False,
) -> list[dict[str, Any]]:
    """What ``GET /activity`` answers: the matching records added up per day and endpoint
    (and per workspace, with ``workspace_id`` on each row, if ``by_workspace``)."""
    merged: dict[tuple[str, ...], dict[str, Any]] = {}
    for record in records:
        item = record.item
        if (
            (date is not None and item["date"] != date)
            or (api_key_hash is not None and record.api_key_hash != api_key_hash)
            or (user_id is not None and record.user_id != user_id)
            or (workspace_id is not None and record.workspace_id != workspace_id.lower())
        ):
            continue
        key = (item["date"], item["endpoint_id"], record.workspace_id if by_workspace else "")
        if key not in merged:
            merged[key] = {**item, "workspace_id": record.workspace_id} if by_workspace else dict(item)
            continue
        row = merged[key]
        for name in ("requests", "prompt_tokens", "completion_tokens", "reasoning_tokens", "cached_tokens"):
            row[name] += item[name]
        for name in ("usage", "byok_usage_inference"):
            row[name] = round(math.fsum((row[name], item[name])), 8)
    return sorted(
        merged.values(),
        key=lambda row: (row["date"], row["model"], row["provider_name"], row.get("workspace_id", "")),
    )


# ---------------------------------------------------------------------------------------------
# The same records as facts for the analytics query


def _money(dollars: float) -> int:
    return round(dollars * analytics.MONEY_UNITS)


def analytics_dataset(records: Sequence[Record], *, now: dt.datetime | None = None) -> analytics.Dataset:
    """The records as the analytics query sees them: per day, and split by hour on demand."""
    keys = {key.hash: key for key in API_KEYS}
    workspaces = {workspace.id: workspace for workspace in WORKSPACES}
    endpoints = {endpoint.endpoint_id: endpoint for endpoint in (*ENDPOINTS, RUNAWAY)}
    spreads: dict[tuple[str, str], int] = {}
    latency: list[analytics.Spread] = []
    throughput: list[analytics.Spread] = []
    daily, hours = [], {}
    for record in records:
        item = record.item
        key = keys.get(record.api_key_hash)
        workspace = workspaces.get(record.workspace_id)
        members = {
            "model": (item["model_permaslug"], frozenset({item["model_permaslug"]})),
            "provider": (item["provider_name"], frozenset({item["provider_name"]})),
            "api_key_id": (key.name, frozenset({str(key.number), key.hash})) if key else ("", frozenset()),
            "user": (MEMBERS.get(record.user_id, record.user_id), frozenset({record.user_id} - {""})),
            "workspace": (
                workspace.name if workspace else record.workspace_id,
                frozenset({record.workspace_id}),
            ),
        }
        spread_key = (item["endpoint_id"], item["date"])
        if spread_key not in spreads:
            spreads[spread_key] = len(latency)
            speed = _speed(endpoints.get(item["endpoint_id"]), item["date"])
            latency.append(speed[0])
            throughput.append(speed[1])
        byok = item["byok_usage_inference"] > 0
        fact = analytics.Fact(
            start=dt.datetime.fromisoformat(item["date"]).replace(tzinfo=dt.UTC),
            labels=tuple(members[d.name][0] for d in analytics.DIMENSIONS),
            ids=tuple(members[d.name][1] for d in analytics.DIMENSIONS),
            counts=(
                item["requests"],
                item["requests"] if byok else 0,
                item["prompt_tokens"],
                item["completion_tokens"],
                item["reasoning_tokens"],
                item["cached_tokens"],
                _money(item["usage"]),
                _money(item["byok_usage_inference"]),
                _money(item["usage"]) if byok else 0,
            ),
            spread=spreads[spread_key],
        )
        daily.append(fact)
        hours[id(fact)] = key.hours if key else (1,) * 24
    known_ids = {
        "api_key_id": frozenset(i for key in API_KEYS for i in (str(key.number), key.hash)),
        "user": frozenset(MEMBERS),
        "workspace": frozenset(workspaces),
    }
    return analytics.Dataset(
        daily,
        lambda fact: _split_by_hour(fact, hours[id(fact)]),
        latency=latency,
        throughput=throughput,
        known_ids=known_ids,
        now=now or dt.datetime.combine(ANCHOR, dt.time(0), tzinfo=dt.UTC),
    )


def _speed(endpoint: Endpoint | None, date: str) -> tuple[analytics.Spread, analytics.Spread]:
    """Latency (ms) and throughput (tokens/s) of an endpoint on one day: its typical ones, a little off."""
    endpoint = endpoint or Endpoint("", "", "", 0, 0, 0, 0, 0)
    rng = random.Random(f"{SEED}:speed:{endpoint.endpoint_id}:{date}")  # noqa: S311
    return (
        analytics.Spread(math.log(endpoint.latency_ms) + rng.gauss(0, 0.08), 0.55),
        analytics.Spread(math.log(endpoint.tokens_per_second) + rng.gauss(0, 0.06), 0.3),
    )


def _split_by_hour(fact: analytics.Fact, weights: Sequence[float]) -> list[analytics.Fact]:
    """A day's fact as 24 hourly ones whose counts add up to the day's exactly."""
    requests = _apportion(fact.counts[analytics.REQUESTS], weights)
    shares = [_apportion(total, requests) for total in fact.counts]
    return [
        replace(fact, start=fact.start + dt.timedelta(hours=hour), counts=tuple(s[hour] for s in shares))
        for hour in range(24)
        if requests[hour]
    ]


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` into whole numbers (largest remainders first)."""
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    exact = [total * weight / whole for weight in weights]
    parts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(parts)), key=lambda i: parts[i] - exact[i])
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


# ---------------------------------------------------------------------------------------------
# HTTP


class DataServer(ThreadingHTTPServer):
    """Serves ``records``; with ``api_key`` set, only that bearer token passes."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        records: Sequence[Record],
        *,
        api_key: str | None = None,
        dates: Sequence[str] | None = None,
        origin: str | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        super().__init__(address, _Handler)
        self.records = records
        self.now = now
        self.api_key = api_key
        self.dates = frozenset(dates if dates is not None else (r.item["date"] for r in records))
        self.origin = origin or secrets.token_hex(16)

    @functools.cached_property
    def dataset(self) -> analytics.Dataset:
        # Built on the first query, so that a test serving deliberately broken rows to
        # /activity never trips over them here.
        return analytics_dataset(self.records, now=self.now)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


Answer = tuple[int, dict[str, Any]]


def _error(code: int, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def _activity(server: DataServer, query: str, body: bytes) -> Answer:
    params = {name: values[-1] for name, values in parse_qs(query, keep_blank_values=True).items()}
    date = params.get("date")
    if date is not None and not _DATE.fullmatch(date):
        return 400, _error(400, "Invalid date format: use YYYY-MM-DD")
    if date is not None and date not in server.dates:
        return 400, _error(400, "Date must be within the last 30 completed UTC days")
    group_by = params.get("group_by")
    if group_by is not None and group_by != "workspace":
        return 400, _error(400, f"group_by: only 'workspace' is supported, got {group_by!r}")
    workspace_id = params.get("workspace_id")
    if workspace_id is not None and not _UUID.fullmatch(workspace_id):
        return 400, _error(400, "workspace_id must be a workspace UUID")
    if workspace_id is not None and workspace_id.lower() not in {w.id for w in WORKSPACES}:
        return 404, _error(404, f"Workspace {workspace_id} not found on this account")
    rows = activity_rows(
        server.records,
        date=date,
        api_key_hash=params.get("api_key_hash"),
        user_id=params.get("user_id"),
        workspace_id=workspace_id,
        by_workspace=group_by == "workspace",
    )
    return 200, {"data": rows}


def _meta(server: DataServer, query: str, body: bytes) -> Answer:
    return 200, analytics.meta()


def _query(server: DataServer, query: str, body: bytes) -> Answer:
    try:
        document = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        return 400, _error(400, f"The body is not JSON: {exc}")
    try:
        return 200, analytics.answer(document, server.dataset)
    except analytics.QueryError as exc:
        return 400, _error(400, str(exc))


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


ROUTES: dict[str, dict[str, Callable[[DataServer, str, bytes], Answer]]] = {
    "/activity": {"GET": _activity},
    "/analytics/meta": {"GET": _meta},
    "/analytics/query": {"POST": _query},
}


class _BadBody(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    server: DataServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # TCP_NODELAY: answers go out at once, not after 40 ms
    server_version = "openrouter-activity-demo"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def __getattr__(self, name: str) -> Callable[[], None]:
        # http.server answers a method without a do_<METHOD> with a 501 HTML page (and Prism,
        # proxying, would then serve the spec's example instead). Every method comes here.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # http.server's own refusals (a malformed request line, an overlong header) in JSON too.
        self.close_connection = True
        self._send(int(code), _error(int(code), message or HTTPStatus(code).phrase))

    def _send(self, status: int, document: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        body = json.dumps(document, allow_nan=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header(ORIGIN_HEADER, self.server.origin)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise _BadBody("Send the body with a Content-Length, not chunked")
        length = self.headers.get("Content-Length", "0").strip()
        if not length.isdigit() or int(length) > MAX_BODY_BYTES:
            raise _BadBody(f"Content-Length must be a number of bytes up to {MAX_BODY_BYTES}")
        return self.rfile.read(int(length))

    def _dispatch(self) -> None:
        try:
            body = self._read_body()
        except _BadBody as exc:
            self.close_connection = True  # what follows on the connection cannot be found
            self._send(400, _error(400, str(exc)))
            return
        url = urlsplit(self.path)
        path = url.path.removeprefix(API_PREFIX) if url.path.startswith(API_PREFIX + "/") else url.path
        route = ROUTES.get(path)
        if route is None:
            self._send(404, _error(404, f"No route for {self.command} {url.path}"))
            return
        serve = route.get("GET" if self.command == "HEAD" else self.command)
        if serve is None:
            allow = ", ".join(sorted({*route, *(["HEAD"] if "GET" in route else [])}))
            message = f"{self.command} is not allowed on {url.path}; use {allow}"
            self._send(405, _error(405, message), {"Allow": allow})
            return
        token = _BEARER.fullmatch(self.headers.get("Authorization", "").strip())
        if token is None:
            self._send(401, _error(401, "Missing Authentication header"))
            return
        if self.server.api_key is not None and token.group(1) != self.server.api_key:
            self._send(401, _error(401, "User not found."))
            return
        try:
            status, document = serve(self.server, url.query, body)
        except Exception:  # a bug here must still answer in JSON, and say where it is
            traceback.print_exc()
            status, document = 500, _error(500, "Internal Server Error")
        self._send(status, document)


def _day_of(record: Record) -> dt.date | None:
    """The day of a record, or None for a row deliberately broken (tests serve such rows)."""
    date = record.item.get("date")
    try:
        return dt.date.fromisoformat(date[:10]) if isinstance(date, str) else None
    except ValueError:
        return None


@contextlib.contextmanager
def serve(
    records: Sequence[Record] | None = None,
    *,
    api_key: str | None = None,
    port: int = 0,
    origin: str | None = None,
    now: dt.datetime | None = None,
) -> Iterator[str]:
    """Serve ``records`` (default: the demo month) on 127.0.0.1 in a thread; yield the base URL.

    ``origin`` is the value of the ``X-Demo-Origin`` header on every answer (default: random).
    ``now`` is the query's "now", which a query without ``time_range`` ends at (default:
    :data:`ANCHOR`, or for ``records`` the midnight after their last day).
    """
    records = month_of_activity() if records is None else records
    days = [_day_of(record) for record in records]
    if now is None and any(days):
        last = max(day for day in days if day is not None)
        now = dt.datetime.combine(max(last + dt.timedelta(days=1), ANCHOR), dt.time(0), tzinfo=dt.UTC)
    server = DataServer(("127.0.0.1", port), records, api_key=api_key, origin=origin, now=now)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="demo-data-server", daemon=True
    )
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free one)")
    parser.add_argument(
        "--days-ending",
        type=last_completed_day,
        metavar="yesterday|YYYY-MM-DD",
        help="serve the 30 days ending on this day, the last with a runaway model (default: September 2026)",
    )
    args = parser.parse_args()
    records = None if args.days_ending is None else recent_activity(args.days_ending)
    with serve(records, port=args.port) as url:
        dates = sorted({record.item["date"] for record in records or month_of_activity()})
        first, last = dates[0], dates[-1]
        print(f"Serving {first} to {last} at {url}: GET /activity, GET /analytics/meta,", flush=True)
        print("POST /analytics/query (any bearer token; Ctrl-C stops)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
