"""A local stand-in for OpenRouter's ``GET /activity``, serving a realistic month of activity.

The month is generated from a fixed seed, so every run serves the same numbers: the 30
completed UTC days before ``ANCHOR`` (September 2026), 7 models through 9 providers, list
prices per token, busy weekdays and quiet weekends, three API keys of two org members, and
a few days of traffic paid through the user's own Amazon Bedrock key (BYOK).

Like the real API it wants a bearer token (401 otherwise) and honours ``date``,
``api_key_hash`` and ``user_id``; errors come in OpenRouter's JSON envelope.

    python scripts/demo_server.py --port 8080      # serve until Ctrl-C

Tests and the demo start it in a thread with :func:`serve`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import math
import random
import re
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ANCHOR = dt.date(2026, 10, 1)
"""The served month is the 30 days before this one: 2026-09-01 to 2026-09-30."""
DAYS = 30
SEED = 20260901
ACTIVITY_PATHS = frozenset({"/activity", "/api/v1/activity"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
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

    @property
    def endpoint_id(self) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"openrouter:{self.permaslug}@{self.provider}"))


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "anthropic/claude-sonnet-4", "anthropic/claude-4-sonnet-20250522", "Anthropic", 3, 15, 620, 5200, 480
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
    ),
    Endpoint("openai/gpt-4.1", "openai/gpt-4.1-2025-04-14", "OpenAI", 2, 8, 380, 3100, 350),
    Endpoint("openai/gpt-4.1-mini", "openai/gpt-4.1-mini-2025-04-14", "OpenAI", 0.4, 1.6, 2400, 1400, 220),
    Endpoint(
        "google/gemini-2.5-pro", "google/gemini-2.5-pro", "Google Vertex", 1.25, 10, 160, 9000, 2600, 0.7
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
    ),
    Endpoint("deepseek/deepseek-r1", "deepseek/deepseek-r1", "DeepSeek", 0.55, 2.19, 110, 2500, 3200, 0.8),
    Endpoint("deepseek/deepseek-r1", "deepseek/deepseek-r1", "DeepInfra", 0.7, 2.4, 60, 2500, 3200, 0.8),
)


@dataclass(frozen=True)
class APIKey:
    """An API key of the account: its share of the traffic and the org member who owns it."""

    name: str
    share: float
    user_id: str

    @property
    def hash(self) -> str:
        return hashlib.sha256(f"demo-key:{self.name}".encode()).hexdigest()


API_KEYS: tuple[APIKey, ...] = (
    APIKey("production", 0.7, "user_2demoOps"),
    APIKey("staging", 0.1, "user_2demoOps"),
    APIKey("notebooks", 0.2, "user_2demoMaria"),
)


@dataclass(frozen=True)
class Record:
    """One row of activity as the API shows it (``item``), and the key and member behind it."""

    item: dict[str, Any]
    api_key_hash: str = ""
    user_id: str = ""


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
                records.append(Record(_usage_row(day, endpoint, requests, rng, byok), key.hash, key.user_id))
    return records


def activity_rows(
    records: Iterable[Record],
    *,
    date: str | None = None,
    api_key_hash: str | None = None,
    user_id: str | None = None,
) -> list[dict[str, Any]]:
    """What ``GET /activity`` answers: the matching records added up per day and endpoint."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        item = record.item
        if (
            (date is not None and item["date"] != date)
            or (api_key_hash is not None and record.api_key_hash != api_key_hash)
            or (user_id is not None and record.user_id != user_id)
        ):
            continue
        key = (item["date"], item["endpoint_id"])
        if key not in merged:
            merged[key] = dict(item)
            continue
        row = merged[key]
        for name in ("requests", "prompt_tokens", "completion_tokens", "reasoning_tokens"):
            row[name] += item[name]
        for name in ("usage", "byok_usage_inference"):
            row[name] = round(math.fsum((row[name], item[name])), 8)
    return sorted(merged.values(), key=lambda row: (row["date"], row["model"], row["provider_name"]))


class ActivityServer(ThreadingHTTPServer):
    """Serves ``GET /activity`` from ``records``; with ``api_key`` set, only that bearer token passes."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        records: Sequence[Record],
        *,
        api_key: str | None = None,
        dates: Sequence[str] | None = None,
    ) -> None:
        super().__init__(address, _Handler)
        self.records = records
        self.api_key = api_key
        self.dates = frozenset(dates if dates is not None else (r.item["date"] for r in records))

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


def _error(code: int, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


class _Handler(BaseHTTPRequestHandler):
    server: ActivityServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # TCP_NODELAY: answers go out at once, not after 40 ms
    server_version = "openrouter-activity-demo"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, document: dict[str, Any]) -> None:
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path not in ACTIVITY_PATHS:
            self._send(404, _error(404, f"No route for GET {url.path}"))
            return
        token = _BEARER.fullmatch(self.headers.get("Authorization", "").strip())
        if token is None:
            self._send(401, _error(401, "Missing Authentication header"))
            return
        if self.server.api_key is not None and token.group(1) != self.server.api_key:
            self._send(401, _error(401, "User not found."))
            return
        query = {name: values[-1] for name, values in parse_qs(url.query).items()}
        date = query.get("date")
        if date is not None and not _DATE.fullmatch(date):
            self._send(400, _error(400, "Invalid date format: use YYYY-MM-DD"))
            return
        if date is not None and date not in self.server.dates:
            self._send(400, _error(400, "Date must be within the last 30 completed UTC days"))
            return
        rows = activity_rows(
            self.server.records,
            date=date,
            api_key_hash=query.get("api_key_hash"),
            user_id=query.get("user_id"),
        )
        self._send(200, {"data": rows})


@contextlib.contextmanager
def serve(
    records: Sequence[Record] | None = None, *, api_key: str | None = None, port: int = 0
) -> Iterator[str]:
    """Serve ``records`` (default: the demo month) on 127.0.0.1 in a thread; yield the base URL."""
    server = ActivityServer(
        ("127.0.0.1", port), month_of_activity() if records is None else records, api_key=api_key
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="activity-server", daemon=True
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
    args = parser.parse_args()
    with serve(port=args.port) as url:
        print(f"Serving a month of demo activity at {url}/activity (Ctrl-C stops)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
