"""One measurement in a fresh process of the benchmark environment (bench/.venv).

    python bench/worker.py <measure> <contender> <base_url> [options as JSON]

Prints one JSON object on stdout. Only the contender being measured is imported, and only
once the measurement starts, so no contender pays for another's imports or memory; except
`interleaved`, whose contenders ("facade+httpx") share the process on purpose.

measures:
    latency      per-call seconds over `calls` calls on one reused client (after `warmup`), on
                 the 1-row body of `shape` (see payload.SHAPES)
    interleaved  both contenders' clients in this one process, taking turns in `blocks` blocks
                 of `calls` calls each (after `warmup` calls on each): per-call seconds per block
    large        seconds per fetch of the `rows`-row activity body in `layout`, `reps` times
                 (after one warm-up)
    rss          peak resident set size of a process that fetched `rows` rows in `layout` once,
                 read from this process's own VmHWM
    query        seconds per analytics query of `rows` free-form rows, `reps` times (after one)
    concurrent   seconds per batch of `concurrency` simultaneous calls on one async client
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

API_KEY = "sk-or-v1-bench0000000000000000000000000000000000000000000000000000000000"
QUERY: dict[str, Any] = {
    "metrics": ["request_count", "total_cost", "total_tokens"],
    "dimensions": ["model"],
    "granularity": "day",
}

Call = Callable[[], Any]
Close = Callable[[], None]
AsyncCall = Callable[[], Awaitable[Any]]


# --- the contenders, sync: each returns a no-argument call and how to close its client -----------


def facade(base_url: str) -> tuple[Call, Close]:
    from openrouter_analytics import Analytics

    client = Analytics(api_key=API_KEY, base_url=base_url)
    return client.get_user_activity, client.close


def generated(base_url: str) -> tuple[Call, Close]:
    from openrouter_analytics_client import AuthenticatedClient
    from openrouter_analytics_client.api.analytics import get_user_activity

    client = AuthenticatedClient(base_url=base_url, token=API_KEY)

    def call() -> Any:
        return get_user_activity.sync_detailed(client=client).parsed

    return call, client.get_httpx_client().close


def raw_httpx(base_url: str) -> tuple[Call, Close]:
    import httpx

    client = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {API_KEY}"})

    def call() -> Any:
        return client.get("/activity").json()

    return call, client.close


def official_sdk(base_url: str) -> tuple[Call, Close]:
    from openrouter import OpenRouter

    sdk = OpenRouter(api_key=API_KEY, server_url=base_url)
    analytics = sdk.analytics

    def call() -> Any:
        return analytics.get_user_activity()

    def close() -> None:
        sdk.__exit__(None, None, None)

    return call, close


# --- the contenders' analytics query: the same query, sync ------------------------------------


def facade_query(base_url: str) -> tuple[Call, Close]:
    from openrouter_analytics import Analytics

    client = Analytics(api_key=API_KEY, base_url=base_url)

    def call() -> Any:
        return client.query_analytics(**QUERY)

    return call, client.close


def generated_query(base_url: str) -> tuple[Call, Close]:
    from openrouter_analytics_client import AuthenticatedClient
    from openrouter_analytics_client.api.analytics import query_analytics
    from openrouter_analytics_client.models import AnalyticsQuery

    client = AuthenticatedClient(base_url=base_url, token=API_KEY)

    def call() -> Any:
        return query_analytics.sync_detailed(client=client, body=AnalyticsQuery.from_dict(QUERY)).parsed

    return call, client.get_httpx_client().close


def raw_httpx_query(base_url: str) -> tuple[Call, Close]:
    import httpx

    client = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {API_KEY}"})

    def call() -> Any:
        return client.post("/analytics/query", json=QUERY).json()

    return call, client.close


def official_sdk_query(base_url: str) -> tuple[Call, Close]:
    from openrouter import OpenRouter

    sdk = OpenRouter(api_key=API_KEY, server_url=base_url)
    analytics = sdk.analytics

    def call() -> Any:
        return analytics.query_analytics(**QUERY)

    def close() -> None:
        sdk.__exit__(None, None, None)

    return call, close


# --- the contenders, async: each returns a coroutine function and how to close its client --------


def facade_async(base_url: str) -> tuple[AsyncCall, Callable[[], Awaitable[None]]]:
    from openrouter_analytics import AsyncAnalytics

    client = AsyncAnalytics(api_key=API_KEY, base_url=base_url)
    return client.get_user_activity, client.close


def generated_async(base_url: str) -> tuple[AsyncCall, Callable[[], Awaitable[None]]]:
    from openrouter_analytics_client import AuthenticatedClient
    from openrouter_analytics_client.api.analytics import get_user_activity

    client = AuthenticatedClient(base_url=base_url, token=API_KEY)

    async def call() -> Any:
        return (await get_user_activity.asyncio_detailed(client=client)).parsed

    return call, client.get_async_httpx_client().aclose


def raw_httpx_async(base_url: str) -> tuple[AsyncCall, Callable[[], Awaitable[None]]]:
    import httpx

    client = httpx.AsyncClient(base_url=base_url, headers={"Authorization": f"Bearer {API_KEY}"})

    async def call() -> Any:
        return (await client.get("/activity")).json()

    return call, client.aclose


def official_sdk_async(base_url: str) -> tuple[AsyncCall, Callable[[], Awaitable[None]]]:
    from openrouter import OpenRouter

    sdk = OpenRouter(api_key=API_KEY, server_url=base_url)
    analytics = sdk.analytics

    async def call() -> Any:
        return await analytics.get_user_activity_async()

    async def close() -> None:
        await sdk.__aexit__(None, None, None)

    return call, close


SYNC = {"facade": facade, "generated": generated, "httpx": raw_httpx, "sdk": official_sdk}
QUERIES = {
    "facade": facade_query,
    "generated": generated_query,
    "httpx": raw_httpx_query,
    "sdk": official_sdk_query,
}
ASYNC = {
    "facade": facade_async,
    "generated": generated_async,
    "httpx": raw_httpx_async,
    "sdk": official_sdk_async,
}


def row_count(result: Any) -> int:
    """How many rows a contender's result holds: a typed model or the decoded dict."""
    data = result["data"] if isinstance(result, dict) else result.data
    if isinstance(data, dict):  # an analytics query: {"data": {"data": [...], "metadata": ...}}
        data = data["data"]
    elif not isinstance(data, list):
        data = data.data
    return len(data)


def check(result: Any, expected: int) -> None:
    if row_count(result) != expected:
        raise SystemExit(f"expected {expected} rows, got {row_count(result)}")


def peak_rss_kib() -> int:
    """This process's peak resident set size (VmHWM), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise SystemExit("bench: no VmHWM in /proc/self/status")


# --- the measures ------------------------------------------------------------------------------


def one_row_url(base_url: str, shape: str) -> str:
    """Where the server answers the 1-row body of `shape` (the live one in the compact layout)."""
    return f"{base_url}/{'compact' if shape == 'live' else shape}/rows/1"


def latency(contender: str, base_url: str, *, calls: int, warmup: int, shape: str = "live") -> dict[str, Any]:
    call, close = SYNC[contender](one_row_url(base_url, shape))
    check(call(), 1)
    for _ in range(warmup):
        call()
    clock = time.perf_counter
    start = clock()
    for _ in range(calls):
        row_count(call())  # the rows read, as a caller reads them
    elapsed = clock() - start
    close()
    return {"seconds_per_call": elapsed / calls}


def interleaved(
    contenders: str, base_url: str, *, blocks: int, calls: int, warmup: int, shape: str
) -> dict[str, Any]:
    """Per-call seconds of each block of `calls` calls, per contender, the contenders in turn.

    Each round's first contender is the previous round's last, so neither always runs first
    after the other (whose garbage, caches and branch history it inherits)."""
    names = contenders.split("+")
    clients = {name: SYNC[name](one_row_url(base_url, shape)) for name in names}
    for call, _ in clients.values():
        check(call(), 1)
        for _ in range(warmup):
            call()
    seconds: dict[str, list[float]] = {name: [] for name in names}
    clock = time.perf_counter
    for block in range(blocks):
        order = names if block % 2 == 0 else names[::-1]
        for name in order:
            call = clients[name][0]
            start = clock()
            for _ in range(calls):
                row_count(call())  # the rows read, as a caller reads them
            seconds[name].append((clock() - start) / calls)
    for _, close in clients.values():
        close()
    return {"seconds_per_call": seconds}


def repeated(call: Call, close: Close, rows: int, reps: int) -> dict[str, Any]:
    result = call()
    check(result, rows)
    del result
    times = []
    clock = time.perf_counter
    for _ in range(reps):
        start = clock()
        result = call()
        # Until here, or until the end of the call: a typed report makes its rows when they are
        # first read, and they are part of the typed result.
        row_count(result)
        times.append(clock() - start)
        del result
    close()
    return {"seconds": times}


def large(contender: str, base_url: str, *, rows: int, reps: int, layout: str) -> dict[str, Any]:
    return repeated(*SYNC[contender](f"{base_url}/{layout}/rows/{rows}"), rows, reps)


def query(contender: str, base_url: str, *, rows: int, reps: int) -> dict[str, Any]:
    return repeated(*QUERIES[contender](f"{base_url}/query/{rows}"), rows, reps)


def rss(contender: str, base_url: str, *, rows: int, layout: str) -> dict[str, Any]:
    call, close = SYNC[contender](f"{base_url}/{layout}/rows/{rows}")
    before = peak_rss_kib()
    result = call()
    counted = row_count(result)  # with its rows made, if they are made when first read
    peak = peak_rss_kib()
    if counted != rows:
        raise SystemExit(f"expected {rows} rows, got {counted}")
    close()
    return {"peak_kib": peak, "before_fetch_kib": before}


def concurrent(contender: str, base_url: str, *, concurrency: int, batches: int) -> dict[str, Any]:
    async def run() -> list[float]:
        call, close = ASYNC[contender](f"{base_url}/compact/rows/1")
        warm = await asyncio.gather(*(call() for _ in range(concurrency)))  # opens the connections
        for result in warm:
            check(result, 1)
        times = []
        clock = time.perf_counter
        for _ in range(batches):
            start = clock()
            for result in await asyncio.gather(*(call() for _ in range(concurrency))):
                row_count(result)  # the rows read, as a caller reads them
            times.append(clock() - start)
        await close()
        return times

    return {"seconds": asyncio.run(run())}


MEASURES: dict[str, Callable[..., dict[str, Any]]] = {
    "latency": latency,
    "interleaved": interleaved,
    "large": large,
    "rss": rss,
    "query": query,
    "concurrent": concurrent,
}


def main(argv: list[str]) -> None:
    measure, contender, base_url = argv[:3]
    options = json.loads(argv[3]) if len(argv) > 3 else {}
    print(json.dumps(MEASURES[measure](contender, base_url, **options)))


if __name__ == "__main__":
    main(sys.argv[1:])
