"""``cost_advice``: where the spend of a window could shrink, each finding resting on a number.

Three ``/analytics/query`` questions over the window, whose rows every finding quotes (and
names, in ``query``, so an agent or a person can ask them again):

- per model: ``total_usage``, ``request_count``, ``tokens_prompt``, ``tokens_completion``,
  ``cache_hit_rate``. A model with at least :data:`LARGE_SHARE` of the spend and a cache hit
  rate under :data:`LOW_CACHE_HIT_RATE` is a *low_cache_hit_rate* finding. A model with at least
  :data:`MATERIAL_SHARE` of the spend whose requests average under :data:`SHORT_REQUEST_TOKENS`
  tokens and whose price per million tokens is at least :data:`EXPENSIVE_FACTOR` times the
  account's is an *expensive_short_requests* finding.
- per API key: ``total_usage``, ``tokens_completion``, ``reasoning_tokens``. A key with at least
  :data:`MATERIAL_SHARE` of the spend whose completion tokens are at least
  :data:`HIGH_REASONING_SHARE` reasoning tokens is a *reasoning_share* finding.
- per workspace and day: ``total_usage``. A day costing more than :data:`JUMP_FACTOR` times the
  day before, by at least :data:`MIN_JUMP_USD`, is a *day_over_day_jump* finding (days without
  rows cost 0); the :data:`MAX_JUMPS` largest increases are kept.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from openrouter_analytics._validation import parse_day
from openrouter_analytics.errors import InvalidParameterError

from .schemas import AdviceReport, Finding, FindingQuery

if TYPE_CHECKING:
    from openrouter_analytics._client import AsyncAnalytics

__all__ = [
    "EXPENSIVE_FACTOR",
    "HIGH_REASONING_SHARE",
    "JUMP_FACTOR",
    "LARGE_SHARE",
    "LOW_CACHE_HIT_RATE",
    "MATERIAL_SHARE",
    "MAX_JUMPS",
    "MIN_JUMP_USD",
    "SHORT_REQUEST_TOKENS",
    "cost_advice",
]

LARGE_SHARE: Final = 0.10
"""A large spender: at least this share of the window's spend."""
MATERIAL_SHARE: Final = 0.02
"""Spend worth a finding at all: at least this share of the window's."""
LOW_CACHE_HIT_RATE: Final = 0.20
HIGH_REASONING_SHARE: Final = 0.25
"""Reasoning tokens over completion tokens (which include them)."""
SHORT_REQUEST_TOKENS: Final = 4_000
"""Prompt and completion tokens per request below which requests count as short."""
EXPENSIVE_FACTOR: Final = 1.5
"""Price per million tokens, against the account's, from which a model counts as expensive."""
JUMP_FACTOR: Final = 2.0
MIN_JUMP_USD: Final = 5.0
MAX_JUMPS: Final = 3
DEFAULT_DAYS: Final = 30
"""The window when neither ``since`` nor ``until`` is given: the last 30 completed UTC days."""
_ROW_LIMIT: Final = 10_000

_PER_MODEL: Final = ["total_usage", "request_count", "tokens_prompt", "tokens_completion", "cache_hit_rate"]
_PER_KEY: Final = ["total_usage", "tokens_completion", "reasoning_tokens"]
_PER_DAY: Final = ["total_usage"]


def _money(value: float) -> str:
    return f"${value:,.2f}"


def _percent(value: float) -> str:
    return f"{value:.1%}"


def _quoted(name: object) -> str:
    """A name from the server as a JSON string in the sentence: quoted, so that it reads as
    data whatever it says, with control and direction characters escaped."""
    return json.dumps(str(name))


def advice_window(since: str | None, until: str | None, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """The days advised on, both included: by default the last 30 completed UTC days."""
    last = dt.date.fromisoformat(parse_day(until, "until")) if until is not None else today - dt.timedelta(1)
    if last >= today:
        raise InvalidParameterError(
            "until", f"until {last} is not a completed UTC day (today is {today}): advice rests on whole days"
        )
    if since is not None:
        first = dt.date.fromisoformat(parse_day(since, "since"))
    else:
        first = last - dt.timedelta(DEFAULT_DAYS - 1)
    if first > last:
        raise InvalidParameterError("since", f"since ({first}) is after until ({last})")
    return first, last


class _Questions:
    """The window's three queries and their rows."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first = first
        self.last = last
        self.warnings: list[str] = []

    def query(
        self, metrics: list[str], dimensions: list[str], granularity: str | None = None
    ) -> FindingQuery:
        return {
            "metrics": metrics,
            "dimensions": dimensions,
            "granularity": granularity,
            "since": self.first.isoformat(),
            "until": self.last.isoformat(),
        }

    async def ask(self, analytics: AsyncAnalytics, question: FindingQuery) -> list[dict[str, Any]]:
        from openrouter_analytics_client.types import Unset

        response = await analytics.query_analytics(
            metrics=question["metrics"],
            dimensions=question["dimensions"],
            granularity=question["granularity"],
            time_range={"start": self.first, "end": self.last + dt.timedelta(1)},
            limit=_ROW_LIMIT,
        )
        result = response.data
        asked = ", ".join(
            question["dimensions"] + ([question["granularity"]] if question["granularity"] else [])
        )
        if result.metadata.truncated:
            self.warnings.append(
                f"the query per {asked} was truncated at {result.metadata.row_count:,} rows; "
                "findings from it may be missing: narrow since/until"
            )
        for warning in [] if isinstance(result.warnings, Unset) else result.warnings:
            self.warnings.append(f"the server says, of the query per {asked}: {warning}")
        return [row.to_dict() for row in result.data]


def _number(row: Mapping[str, Any], name: str) -> float:
    value = row.get(name)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _per_model(rows: Sequence[Mapping[str, Any]], total: float, question: FindingQuery) -> list[Finding]:
    findings: list[Finding] = []
    tokens_all = math.fsum(_number(r, "tokens_prompt") + _number(r, "tokens_completion") for r in rows)
    account_price = total / tokens_all * 1e6 if tokens_all else 0.0
    for row in rows:
        model = str(row.get("model") or "(none)")
        cost = _number(row, "total_usage")
        if total <= 0 or cost <= 0:
            continue
        share = cost / total
        cache = _number(row, "cache_hit_rate")
        if share >= LARGE_SHARE and cache < LOW_CACHE_HIT_RATE:
            findings.append(
                {
                    "kind": "low_cache_hit_rate",
                    "subject_type": "model",
                    "subject": model,
                    "metric": "cache_hit_rate",
                    "value": cache,
                    "cost": cost,
                    "day": None,
                    "message": (
                        f"{_quoted(model)} spent {_money(cost)} ({_percent(share)} of {_money(total)}) "
                        f"with a cache hit rate of {_percent(cache)}: stable prompt prefixes (system prompt, "
                        "tools, documents first) would let more of its prompt tokens be billed as cached"
                    ),
                    "query": question,
                }
            )
        requests = _number(row, "request_count")
        tokens = _number(row, "tokens_prompt") + _number(row, "tokens_completion")
        if share < MATERIAL_SHARE or not requests or not tokens or not account_price:
            continue
        per_request = tokens / requests
        price = cost / tokens * 1e6
        if per_request < SHORT_REQUEST_TOKENS and price >= EXPENSIVE_FACTOR * account_price:
            findings.append(
                {
                    "kind": "expensive_short_requests",
                    "subject_type": "model",
                    "subject": model,
                    "metric": "usd_per_million_tokens",
                    "value": price,
                    "cost": cost,
                    "day": None,
                    "message": (
                        f"{_quoted(model)} costs {_money(price)} per million tokens, "
                        f"{price / account_price:.1f} times the account's {_money(account_price)}, "
                        f"on requests of {per_request:,.0f} tokens on "
                        f"average ({_money(cost)} in all): short requests like these often do as well on a "
                        "cheaper model"
                    ),
                    "query": question,
                }
            )
    return findings


def _per_key(rows: Sequence[Mapping[str, Any]], total: float, question: FindingQuery) -> list[Finding]:
    findings: list[Finding] = []
    for row in rows:
        key = str(row.get("api_key_id") or "(none)")
        cost = _number(row, "total_usage")
        completion = _number(row, "tokens_completion")
        if total <= 0 or cost / total < MATERIAL_SHARE or not completion:
            continue
        reasoning = _number(row, "reasoning_tokens")
        share = reasoning / completion
        if share >= HIGH_REASONING_SHARE:
            findings.append(
                {
                    "kind": "reasoning_share",
                    "subject_type": "api_key",
                    "subject": key,
                    "metric": "reasoning_share",
                    "value": share,
                    "cost": cost,
                    "day": None,
                    "message": (
                        f"key {_quoted(key)}: {_percent(share)} of its completion tokens are reasoning "
                        f"tokens ({reasoning:,.0f} of {completion:,.0f}) on {_money(cost)} of spend: a lower "
                        "reasoning effort, or a model without reasoning for simple calls, would cut them"
                    ),
                    "query": question,
                }
            )
    return findings


def _jumps(
    rows: Sequence[Mapping[str, Any]], first: dt.date, last: dt.date, question: FindingQuery
) -> list[Finding]:
    costs: dict[str, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        bucket = str(row.get("date__day") or "")[:10]
        try:
            day = dt.date.fromisoformat(bucket)
        except ValueError:
            continue
        costs[str(row.get("workspace") or "(none)")][day] += _number(row, "total_usage")
    found: list[tuple[float, Finding]] = []
    for workspace, days in costs.items():
        day = first + dt.timedelta(1)
        while day <= last:
            before, cost = days.get(day - dt.timedelta(1), 0.0), days.get(day, 0.0)
            if cost - before >= MIN_JUMP_USD and cost > JUMP_FACTOR * before:
                factor = f"{cost / before:.1f} times" if before else "up from nothing on"
                found.append(
                    (
                        cost - before,
                        {
                            "kind": "day_over_day_jump",
                            "subject_type": "workspace",
                            "subject": workspace,
                            "metric": "total_usage",
                            "value": cost,
                            "cost": cost,
                            "day": day.isoformat(),
                            "message": (
                                f"workspace {_quoted(workspace)} spent {_money(cost)} on {day:%a %Y-%m-%d}, "
                                f"{factor} the {_money(before)} of {day - dt.timedelta(1):%a %Y-%m-%d}: "
                                "spend_report with date set to that day shows which models and keys did it"
                            ),
                            "query": question,
                        },
                    )
                )
            day += dt.timedelta(1)
    found.sort(key=lambda pair: -pair[0])
    return [finding for _, finding in found[:MAX_JUMPS]]


async def cost_advice(
    analytics: AsyncAnalytics,
    *,
    since: str | None = None,
    until: str | None = None,
    today: dt.date | None = None,
) -> AdviceReport:
    """Findings over the days ``since`` to ``until`` (both included), largest cost first."""
    first, last = advice_window(since, until, today=today or dt.datetime.now(dt.UTC).date())
    questions = _Questions(first, last)
    per_model = questions.query(_PER_MODEL, ["model"])
    per_key = questions.query(_PER_KEY, ["api_key_id"])
    per_day = questions.query(_PER_DAY, ["workspace"], "day")
    model_rows = await questions.ask(analytics, per_model)
    key_rows = await questions.ask(analytics, per_key)
    day_rows = await questions.ask(analytics, per_day)
    total = math.fsum(_number(row, "total_usage") for row in model_rows)
    findings = [
        *_per_model(model_rows, total, per_model),
        *_per_key(key_rows, total, per_key),
    ]
    findings.sort(key=lambda finding: (-finding["cost"], finding["kind"], finding["subject"]))
    findings.extend(_jumps(day_rows, first, last, per_day))
    return {
        "since": first.isoformat(),
        "until": last.isoformat(),
        "total_cost": total,
        "findings": findings,
        "warnings": questions.warnings,
    }
