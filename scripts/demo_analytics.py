"""What the demo data server answers on ``GET /analytics/meta`` and ``POST /analytics/query``.

A small query engine over *facts*: the traffic of one API key on one endpoint in one hour or
one day, with the value each dimension shows and the ids a filter on it matches. The seeded
world (which keys, models, workspaces) is built by ``demo_server.py``; this module only knows
the catalogue and the rules of a query.

The rules, where the API's documentation leaves a choice:

- Filters on a dimension (``eq``/``neq``/``in``/``not_in``) apply to the rows before they
  are added up and use the dimension's id: ``api_key_id`` the numeric id or the 64-hex key
  hash, ``user`` the user id, ``workspace`` the UUID, ``model`` the permaslug. A value of
  one of those three enriched dimensions that the account does not have comes back in
  ``warnings`` and matches no row (so ``eq`` keeps nothing and ``neq`` keeps everything).
  Rows show those three by name: the key's name, the member's name or email, the
  workspace's name. ``include_unset`` (with ``in``/``not_in``) also keeps rows that have no
  value for the dimension, such as traffic of a key no member owns.
- ``gt``/``gte``/``lt``/``lte`` compare numbers, so they apply to metrics only; filters on a
  metric (any operator, numeric values) apply to the added-up rows, like SQL's HAVING, and
  compare with the value as the row shows it. The metric need not be requested.
- No ``time_range``: the 7 days before the server's "now" (``Dataset.now``). Data is kept per
  hour; an hour counts when it starts inside ``[start, end)``.
- Granularities ``minute`` (for windows of at most 3 hours, as the API allows; each hour's
  traffic is spread over its minutes, adding up to the hour's exactly), ``hour``, ``day``,
  ``week`` (weeks start on Monday) and ``month``; a bucket is named by its start,
  ``"date__day": "2026-09-01T00:00:00.000Z"``, and only buckets with traffic appear.
- Order: ``order_by`` if given; then, or else, time buckets first to last, the first metric
  largest first, dimension values A to Z. Empty values (a rate over no tokens) go last.
- ``group_limit`` keeps the first rows of each combination of dimension values (ignored
  without dimensions); ``limit`` (default 1,000) the first rows of all; ``metadata.truncated``
  says whether either cut a row.
- Latencies and throughputs come from a log-normal distribution per endpoint and day; a
  group's percentile is the percentile of the mixture of its endpoints' distributions,
  weighted by requests.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import eq, ge, gt, le, lt, ne
from statistics import NormalDist
from typing import Any, Final

UTC = dt.UTC
DEFAULT_WINDOW = dt.timedelta(days=7)
MAX_DIMENSIONS = 2
MAX_FILTERS = 20
MAX_LIMIT = 10_000
DEFAULT_LIMIT = 1000
MONEY_UNITS = 100_000_000
"""Money is kept in integer units of 1e-8 USD, so that sums split by hour add up exactly."""


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    display_format: str
    """number, currency, percent, latency or throughput."""
    max_days: int = 365

    @property
    def is_rate(self) -> bool:
        return self.display_format in {"percent", "latency", "throughput"}


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    noun: str = ""
    """What a filter value names, for a dimension whose values are resolved from ids (else empty)."""
    max_days: int = 365


METRICS: Final = (
    Metric("request_count", "Requests", "number"),
    Metric("byok_request_count", "BYOK Requests", "number"),
    Metric("tokens_total", "Total Tokens", "number"),
    Metric("tokens_prompt", "Prompt Tokens", "number"),
    Metric("tokens_completion", "Completion Tokens", "number"),
    Metric("reasoning_tokens", "Reasoning Tokens", "number"),
    Metric("cached_tokens", "Cached Tokens", "number"),
    Metric("total_usage", "Total Spend", "currency"),
    Metric("byok_usage", "BYOK Spend", "currency"),
    Metric("credits_usage", "Credits Spend", "currency"),
    Metric("openrouter_usage", "OpenRouter Spend", "currency", 31),
    Metric("byok_fees", "BYOK Fees", "currency", 31),
    Metric("avg_latency", "Avg Latency", "latency", 31),
    Metric("p50_latency", "P50 Latency", "latency", 31),
    Metric("p90_latency", "P90 Latency", "latency", 31),
    Metric("p99_latency", "P99 Latency", "latency", 31),
    Metric("avg_throughput", "Avg Throughput", "throughput", 31),
    Metric("p50_throughput", "P50 Throughput", "throughput", 31),
    Metric("p90_throughput", "P90 Throughput", "throughput", 31),
    Metric("p99_throughput", "P99 Throughput", "throughput", 31),
    Metric("cache_hit_rate", "Cache Hit Rate", "percent"),
)
DIMENSIONS: Final = (
    Dimension("model", "Model"),
    Dimension("provider", "Provider", max_days=31),
    Dimension("api_key_id", "API Key", noun="API key with id or hash"),
    Dimension("user", "User", noun="member with user id"),
    Dimension("workspace", "Workspace", noun="workspace with id"),
)
SCALAR_OPERATORS: Final = ("eq", "neq", "gt", "gte", "lt", "lte")
LIST_OPERATORS: Final = ("in", "not_in")
ORDERED_OPERATORS: Final = frozenset({"gt", "gte", "lt", "lte"})
GRANULARITIES: Final = {"minute": "Minute", "hour": "Hour", "day": "Day", "week": "Week", "month": "Month"}
MINUTE_WINDOW: Final = dt.timedelta(hours=3)
"""The longest window the ``minute`` granularity takes."""

METRIC_BY_NAME: Final = {metric.name: metric for metric in METRICS}
DIMENSION_INDEX: Final = {dimension.name: i for i, dimension in enumerate(DIMENSIONS)}

# The measures every fact carries, in this order.
REQUESTS, BYOK_REQUESTS, PROMPT, COMPLETION, REASONING, CACHED, USAGE, BYOK_USAGE, BYOK_FEES = range(9)
COUNTS: Final = (
    "requests",
    "byok_requests",
    "prompt_tokens",
    "completion_tokens",
    "reasoning_tokens",
    "cached_tokens",
    "usage",  # money billed to credits, BYOK fees included
    "byok_usage",  # BYOK inference, paid to the provider
    "byok_fees",  # the part of usage that is BYOK fees
)
"""The measures of a fact, in this order; money in MONEY_UNITS."""
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


class QueryError(ValueError):
    """The query cannot be run; the message names the field (a 400 answer)."""


@dataclass(frozen=True)
class Spread:
    """A log-normal distribution: ``exp(mu)`` is its median."""

    mu: float
    sigma: float


@dataclass(frozen=True, slots=True)
class Fact:
    """One key's traffic on one endpoint in one hour or day."""

    start: dt.datetime
    labels: tuple[str, ...]
    """The value each dimension shows, in the order of DIMENSIONS ("" when unset)."""
    ids: tuple[frozenset[str], ...]
    """What a filter on each dimension matches (empty when unset)."""
    counts: tuple[int, ...]
    """The measures named in COUNTS."""
    spread: int
    """Index of its endpoint-day's latency and throughput in Dataset.latency/throughput."""


class Dataset:
    """The facts a query runs on, per day and (built on first use) per hour."""

    def __init__(
        self,
        daily: Sequence[Fact],
        split: Callable[[Fact], Sequence[Fact]],
        *,
        latency: Sequence[Spread],
        throughput: Sequence[Spread],
        known_ids: Mapping[str, frozenset[str]],
        now: dt.datetime,
    ) -> None:
        self.daily = sorted(daily, key=lambda fact: fact.start)
        self._split = split
        self.latency = latency
        self.throughput = throughput
        self.known_ids = known_ids
        """Every id the account has, per dimension whose values are resolved from ids."""
        self.now = now

    @functools.cached_property
    def hourly(self) -> list[Fact]:
        hours = [hour for fact in self.daily for hour in self._split(fact)]
        hours.sort(key=lambda fact: fact.start)
        return hours


def meta() -> dict[str, Any]:
    """The ``GET /analytics/meta`` document."""
    return {
        "data": {
            "metrics": [
                {
                    "name": m.name,
                    "display_label": m.label,
                    "is_rate": m.is_rate,
                    "display_format": m.display_format,
                }
                for m in METRICS
            ],
            "dimensions": [{"name": d.name, "display_label": d.label} for d in DIMENSIONS],
            "operators": [{"name": name, "value_type": "scalar"} for name in SCALAR_OPERATORS]
            + [{"name": name, "value_type": "array"} for name in LIST_OPERATORS],
            "granularities": [
                {"name": name, "display_label": label} for name, label in GRANULARITIES.items()
            ],
        }
    }


# ---------------------------------------------------------------------------------------------
# Reading a query


Value = str | float


@dataclass(frozen=True)
class Filter:
    position: int
    field: str
    operator: str
    values: tuple[Value, ...]
    """Ids (str) for a dimension, numbers for a metric."""
    include_unset: bool = False

    @property
    def is_metric(self) -> bool:
        return self.field in METRIC_BY_NAME

    @property
    def negated(self) -> bool:
        return self.operator in {"neq", "not_in"}


@dataclass(frozen=True)
class Query:
    metrics: tuple[str, ...]
    dimensions: tuple[int, ...]
    filters: tuple[Filter, ...]
    granularity: str | None
    start: dt.datetime
    end: dt.datetime
    order_field: str | None
    descending: bool
    limit: int
    group_limit: int | None


def parse_query(body: object, now: dt.datetime) -> Query:
    """Check ``body`` against the catalogue and the documented limits; raise QueryError if it fails."""
    if not isinstance(body, dict):
        raise QueryError("the body must be a JSON object")
    for name in ("classifier_dimensions", "classifier_filters"):
        if name in body:
            part = body[name]
            classifier = part.get("classifier_id") if isinstance(part, dict) else None
            raise QueryError(f"{name}: classifier {classifier!r} not found; this account has no classifier")
    metrics = _names(body, "metrics", METRIC_BY_NAME, required=True)
    dimension_names = _names(body, "dimensions", DIMENSION_INDEX, required=False)
    if len(dimension_names) > MAX_DIMENSIONS:
        raise QueryError(f"dimensions: at most {MAX_DIMENSIONS}, got {len(dimension_names)}")
    filters = _filters(body.get("filters", []))
    granularity = body.get("granularity")
    if "granularity" in body and (not isinstance(granularity, str) or granularity not in GRANULARITIES):
        raise QueryError(f"granularity: {granularity!r} is not one of {', '.join(GRANULARITIES)}")
    start, end = _time_range(body, now)
    if granularity == "minute" and end - start > MINUTE_WINDOW:
        raise QueryError("granularity: minute covers at most 3 hours; narrow time_range")
    days = (end - start) / dt.timedelta(days=1)
    for name in (*metrics, *dimension_names, *(f.field for f in filters)):
        item = METRIC_BY_NAME.get(name) or DIMENSIONS[DIMENSION_INDEX[name]]
        if days > item.max_days:
            raise QueryError(f"time_range: {name} covers at most {item.max_days} days; narrow the window")
    order_field, descending = (
        _order(body["order_by"], metrics, dimension_names, granularity)
        if "order_by" in body
        else (None, False)
    )
    return Query(
        metrics=metrics,
        dimensions=tuple(DIMENSION_INDEX[name] for name in dimension_names),
        filters=filters,
        granularity=granularity,
        start=start,
        end=end,
        order_field=order_field,
        descending=descending,
        limit=_count(body, "limit", None) or DEFAULT_LIMIT,
        group_limit=_count(body, "group_limit", None),
    )


def _names(body: dict[str, Any], key: str, known: Mapping[str, object], *, required: bool) -> tuple[str, ...]:
    names = body.get(key)
    if names is None and not required and key not in body:
        return ()
    if not isinstance(names, list) or (required and not names):
        raise QueryError(f"{key}: a list of names{' (at least one)' if required else ''}")
    for i, name in enumerate(names):
        if not isinstance(name, str) or name not in known:
            raise QueryError(f"{key}[{i}]: unknown name {name!r}; GET /analytics/meta lists them")
        if names.index(name) != i:
            raise QueryError(f"{key}[{i}]: {name!r} is listed twice")
    return tuple(names)


def _filters(raw: object) -> tuple[Filter, ...]:
    if not isinstance(raw, list):
        raise QueryError("filters: a list of {field, operator, value}")
    if len(raw) > MAX_FILTERS:
        raise QueryError(f"filters: at most {MAX_FILTERS}, got {len(raw)}")
    return tuple(_filter(i, item) for i, item in enumerate(raw))


def _filter(i: int, raw: object) -> Filter:
    where = f"filters[{i}]"
    if not isinstance(raw, dict):
        raise QueryError(f"{where}: an object with field, operator and value")
    field, operator, value = raw.get("field"), raw.get("operator"), raw.get("value")
    if not isinstance(field, str) or (field not in METRIC_BY_NAME and field not in DIMENSION_INDEX):
        raise QueryError(
            f"{where}.field: unknown field {field!r}; use a dimension or metric from /analytics/meta"
        )
    if operator not in SCALAR_OPERATORS and operator not in LIST_OPERATORS:
        every = ", ".join((*SCALAR_OPERATORS, *LIST_OPERATORS))
        raise QueryError(f"{where}.operator: unknown operator {operator!r}; one of {every}")
    include_unset = raw.get("include_unset", False)
    if not isinstance(include_unset, bool):
        raise QueryError(f"{where}.include_unset: true or false")
    if operator in LIST_OPERATORS:
        if not isinstance(value, list):
            raise QueryError(f"{where}.value: {operator} takes a list of values")
        values = value
    elif isinstance(value, list):
        raise QueryError(f"{where}.value: {operator} takes one value, not a list")
    else:
        values = [value]
    if any(isinstance(v, bool) or not isinstance(v, str | int | float) for v in values):
        raise QueryError(f"{where}.value: strings or numbers only")
    if field in METRIC_BY_NAME:
        if any(isinstance(v, str) for v in values):
            raise QueryError(f"{where}.value: {field} is a metric and compares with numbers")
        return Filter(i, field, operator, tuple(float(v) for v in values), include_unset)
    if operator in ORDERED_OPERATORS:
        raise QueryError(
            f"{where}.operator: {operator} compares numbers, so it applies to metrics; "
            f"{field} is a dimension (use eq, neq, in or not_in)"
        )
    return Filter(i, field, operator, tuple(_identity(v) for v in values), include_unset)


def _identity(value: str | float) -> str:
    """A filter value as the ids of a fact spell it: hashes in lower case, 12.0 as "12"."""
    if isinstance(value, str):
        return value.lower() if _HEX64.fullmatch(value) else value
    if math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _time_range(body: dict[str, Any], now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    if "time_range" not in body:
        return now - DEFAULT_WINDOW, now
    raw = body["time_range"]
    if not isinstance(raw, dict):
        raise QueryError("time_range: an object with start and end")
    start, end = _instant(raw.get("start"), "time_range.start"), _instant(raw.get("end"), "time_range.end")
    if start >= end:
        raise QueryError("time_range: start must be before end")
    if end - start > dt.timedelta(days=365):
        raise QueryError("time_range: at most 365 days")
    return start, end


def _instant(text: object, where: str) -> dt.datetime:
    if not isinstance(text, str) or not _RFC3339.fullmatch(text):
        raise QueryError(f"{where}: an RFC 3339 date-time such as 2026-09-01T00:00:00Z, got {text!r}")
    try:
        return dt.datetime.fromisoformat(text.upper()).astimezone(UTC)
    except (ValueError, OverflowError):
        raise QueryError(f"{where}: no such date-time: {text!r}") from None


def _order(
    raw: object, metrics: tuple[str, ...], dimensions: tuple[str, ...], granularity: str | None
) -> tuple[str | None, bool]:
    if not isinstance(raw, dict) or raw.get("direction") not in ("asc", "desc"):
        raise QueryError("order_by: an object with field and direction (asc or desc)")
    field = raw.get("field")
    if field == "date":
        if granularity is None:
            raise QueryError("order_by.field: date needs a granularity")
    elif field not in metrics and field != "request_count" and field not in dimensions:
        raise QueryError(
            f"order_by.field: {field!r} is none of the requested metrics or dimensions, request_count or date"
        )
    return field, raw["direction"] == "desc"


def _count(body: dict[str, Any], key: str, default: int | None) -> int | None:
    if key not in body:
        return default
    value = body[key]
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LIMIT:
        raise QueryError(f"{key}: a whole number from 1 to {MAX_LIMIT}, got {value!r}")
    return value


# ---------------------------------------------------------------------------------------------
# Running it


def answer(body: object, dataset: Dataset) -> dict[str, Any]:
    """The ``POST /analytics/query`` document for ``body``; QueryError for a query that cannot run."""
    began = time.perf_counter()
    query = parse_query(body, dataset.now)
    warnings = _unresolved(query.filters, dataset.known_ids)
    rows, truncated = _rows(query, dataset)
    result: dict[str, Any] = {
        "data": rows,
        "metadata": {
            "query_time_ms": round((time.perf_counter() - began) * 1000, 1),
            "row_count": len(rows),
            "truncated": truncated,
        },
    }
    if warnings:
        result["warnings"] = warnings
    return {"data": result}


def _unresolved(filters: Sequence[Filter], known_ids: Mapping[str, frozenset[str]]) -> list[str]:
    warnings: list[str] = []
    for flt in filters:
        dimension = None if flt.is_metric else DIMENSIONS[DIMENSION_INDEX[flt.field]]
        if dimension is None or not dimension.noun:
            continue
        known = known_ids.get(flt.field, frozenset())
        warnings.extend(
            f"filters[{flt.position}]: no {dimension.noun} {value!r} on this account; it matches no rows"
            for value in flt.values
            if value not in known
        )
    return warnings


class _Group:
    """The facts of one row, added up."""

    __slots__ = ("counts", "weights")

    def __init__(self, facts: Sequence[Fact]) -> None:
        self.counts = [sum(column) for column in zip(*(fact.counts for fact in facts), strict=True)]
        self.weights: dict[int, int] = {}
        """Requests per latency/throughput spread."""
        for fact in facts:
            self.weights[fact.spread] = self.weights.get(fact.spread, 0) + fact.counts[REQUESTS]


def _rows(query: Query, dataset: Dataset) -> tuple[list[dict[str, Any]], bool]:
    whole_days = all(t.time() == dt.time(0) for t in (query.start, query.end))
    facts = dataset.daily if whole_days and query.granularity not in {"hour", "minute"} else dataset.hourly
    if query.granularity == "minute":
        hour = query.start.replace(minute=0, second=0, microsecond=0)
        facts = _minutes(
            facts[
                bisect.bisect_left(facts, hour, key=lambda fact: fact.start) : bisect.bisect_left(
                    facts, query.end, key=lambda fact: fact.start
                )
            ]
        )
    first = bisect.bisect_left(facts, query.start, key=lambda fact: fact.start)
    last = bisect.bisect_left(facts, query.end, key=lambda fact: fact.start)
    where = [_dimension_test(flt) for flt in query.filters if not flt.is_metric]
    bucket = _bucketer(query.granularity)

    members: dict[tuple[str, ...], list[Fact]] = {}
    for fact in facts[first:last]:
        if all(test(fact) for test in where):
            key = (bucket(fact.start), *[fact.labels[i] for i in query.dimensions])
            members.setdefault(key, []).append(fact)

    wanted = {*query.metrics, *(f.field for f in query.filters if f.is_metric)}
    if query.order_field in METRIC_BY_NAME:
        wanted.add(query.order_field)
    having = [flt for flt in query.filters if flt.is_metric]
    table = []
    for key, facts_of_row in members.items():
        group = _Group(facts_of_row)
        values = {name: _metric(name, group, dataset) for name in wanted}
        if all(_metric_test(flt, values[flt.field]) for flt in having):
            table.append((key, values))

    _sort(table, query)
    kept, truncated = _cut(table, query)
    return [_row(key, values, query) for key, values in kept], truncated


def _minutes(hourly: Sequence[Fact]) -> list[Fact]:
    """Each hour's facts spread over its 60 minutes (unevenly, the same way every time); the
    minutes of an hour add up to it exactly."""
    minutes = []
    for fact in hourly:
        weights = [1 + (minute * 37 + fact.counts[REQUESTS]) % 11 for minute in range(60)]
        shares = [_whole_shares(total, weights) for total in fact.counts]
        for minute in range(60):
            counts = tuple(share[minute] for share in shares)
            if any(counts):
                minutes.append(replace(fact, start=fact.start + dt.timedelta(minutes=minute), counts=counts))
    minutes.sort(key=lambda fact: fact.start)
    return minutes


def _whole_shares(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` into whole numbers (largest remainders first)."""
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    parts = [math.floor(x) for x in exact]
    for i in sorted(range(len(parts)), key=lambda i: parts[i] - exact[i])[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _dimension_test(flt: Filter) -> Callable[[Fact], bool]:
    index, values = DIMENSION_INDEX[flt.field], frozenset(flt.values)
    unset_matches = flt.include_unset and flt.operator in LIST_OPERATORS

    def test(fact: Fact) -> bool:
        ids = fact.ids[index]
        if not ids:
            return unset_matches
        return ids.isdisjoint(values) == flt.negated

    return test


_COMPARE: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "eq": eq,
    "neq": ne,
    "gt": gt,
    "gte": ge,
    "lt": lt,
    "lte": le,
}


def _metric_test(flt: Filter, value: float | None) -> bool:
    if value is None:  # a rate over nothing matches no comparison, as NULL in SQL
        return False
    if flt.operator in LIST_OPERATORS:
        return (value in flt.values) != flt.negated
    return _COMPARE[flt.operator](value, flt.values[0])


def _bucketer(granularity: str | None) -> Callable[[dt.datetime], str]:
    if granularity is None:
        return lambda start: ""
    floor: Callable[[dt.datetime], dt.datetime] = {
        "minute": lambda t: t.replace(second=0, microsecond=0),
        "hour": lambda t: t.replace(minute=0, second=0, microsecond=0),
        "day": lambda t: t.replace(hour=0, minute=0, second=0, microsecond=0),
        "week": lambda t: t.replace(hour=0, minute=0, second=0, microsecond=0) - dt.timedelta(t.weekday()),
        "month": lambda t: t.replace(day=1, hour=0, minute=0, second=0, microsecond=0),
    }[granularity]
    names: dict[dt.datetime, str] = {}

    def bucket(start: dt.datetime) -> str:
        name = names.get(start)
        if name is None:
            name = names[start] = floor(start).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return name

    return bucket


_Z: Final = {q: NormalDist().inv_cdf(q) for q in (0.5, 0.9, 0.99)}
_SUMS: Final[dict[str, Callable[[list[int]], int | float]]] = {
    "request_count": lambda c: c[REQUESTS],
    "byok_request_count": lambda c: c[BYOK_REQUESTS],
    "tokens_total": lambda c: c[PROMPT] + c[COMPLETION],
    "tokens_prompt": lambda c: c[PROMPT],
    "tokens_completion": lambda c: c[COMPLETION],
    "reasoning_tokens": lambda c: c[REASONING],
    "cached_tokens": lambda c: c[CACHED],
    "total_usage": lambda c: (c[USAGE] + c[BYOK_USAGE]) / MONEY_UNITS,
    "byok_usage": lambda c: c[BYOK_USAGE] / MONEY_UNITS,
    "credits_usage": lambda c: c[USAGE] / MONEY_UNITS,
    "openrouter_usage": lambda c: (c[USAGE] - c[BYOK_FEES]) / MONEY_UNITS,
    "byok_fees": lambda c: c[BYOK_FEES] / MONEY_UNITS,
}


def _metric(name: str, group: _Group, dataset: Dataset) -> int | float | None:
    total = _SUMS.get(name)
    if total is not None:
        return total(group.counts)
    if name == "cache_hit_rate":
        prompt = group.counts[PROMPT]
        return round(group.counts[CACHED] / prompt, 6) if prompt else None
    statistic, _, kind = name.partition("_")
    spreads = dataset.latency if kind == "latency" else dataset.throughput
    parts = [(weight, spreads[i]) for i, weight in group.weights.items() if weight > 0]
    if not parts:
        return None
    if statistic == "avg":
        mean = sum(w * math.exp(s.mu + s.sigma**2 / 2) for w, s in parts) / sum(w for w, _ in parts)
        return round(mean, 1)
    return round(_mixture_quantile(parts, int(statistic[1:]) / 100), 1)


def _mixture_quantile(parts: Sequence[tuple[int, Spread]], q: float) -> float:
    """The ``q`` quantile of a mixture of log-normal distributions with these weights."""
    z = _Z[q]
    if len(parts) == 1:
        return math.exp(parts[0][1].mu + parts[0][1].sigma * z)
    low = min(s.mu + s.sigma * z for _, s in parts)
    high = max(s.mu + s.sigma * z for _, s in parts)
    total = sum(w for w, _ in parts)
    for _ in range(40):  # bisection on the log scale, between the parts' own quantiles
        middle = (low + high) / 2
        below = sum(w * _normal_cdf((middle - s.mu) / s.sigma) for w, s in parts) / total
        low, high = (middle, high) if below < q else (low, middle)
    return math.exp((low + high) / 2)


def _normal_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def _sort(table: list[tuple[tuple[str, ...], dict[str, Any]]], query: Query) -> None:
    """The default order, then ``order_by`` on top of it (each sort is stable)."""
    table.sort(key=lambda entry: entry[0][1:])
    _sort_by(table, lambda entry: entry[1][query.metrics[0]], descending=True)
    table.sort(key=lambda entry: entry[0][0])
    field = query.order_field
    if field is None:
        return
    if field == "date":
        table.sort(key=lambda entry: entry[0][0], reverse=query.descending)
    elif field in METRIC_BY_NAME:
        _sort_by(table, lambda entry: entry[1][field], descending=query.descending)
    else:
        position = 1 + query.dimensions.index(DIMENSION_INDEX[field])
        table.sort(key=lambda entry: entry[0][position], reverse=query.descending)


def _sort_by(table: list[Any], value: Callable[[Any], float | None], *, descending: bool) -> None:
    present = [(number, entry) for entry in table if (number := value(entry)) is not None]
    present.sort(key=lambda pair: pair[0], reverse=descending)
    table[:] = [entry for _, entry in present] + [entry for entry in table if value(entry) is None]


def _cut(
    table: list[tuple[tuple[str, ...], dict[str, Any]]], query: Query
) -> tuple[list[tuple[tuple[str, ...], dict[str, Any]]], bool]:
    kept = table
    if query.group_limit is not None and query.dimensions:
        seen: dict[tuple[str, ...], int] = {}
        kept = []
        for entry in table:
            combination = entry[0][1:]
            seen[combination] = seen.get(combination, 0) + 1
            if seen[combination] <= query.group_limit:
                kept.append(entry)
    return kept[: query.limit], len(kept[: query.limit]) < len(table)


def _row(key: tuple[str, ...], values: dict[str, Any], query: Query) -> dict[str, Any]:
    row: dict[str, Any] = {}
    if query.granularity is not None:
        row[f"date__{query.granularity}"] = key[0]
    for position, index in enumerate(query.dimensions, start=1):
        row[DIMENSIONS[index].name] = key[position]
    for name in query.metrics:
        row[name] = values[name]
    return row
