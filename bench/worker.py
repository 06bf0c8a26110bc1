"""One measurement in a fresh process of the benchmark environment (bench/.venv).

    python bench/worker.py <measure> <contender> <base_url> [options as JSON]

Prints one JSON object on stdout. Only the contender being measured is imported, and only
once the measurement starts, so no contender pays for another's imports or memory.

measures:
    latency      per-call seconds over `calls` calls on one reused client (after `warmup`)
    large        seconds per fetch of the `rows`-row response, `reps` times (after one warm-up)
    rss          peak resident set size of a process that fetched `rows` rows once
    concurrent   seconds per batch of `concurrency` simultaneous calls on one async client
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

API_KEY = "sk-or-v1-bench0000000000000000000000000000000000000000000000000000000000"

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
ASYNC = {
    "facade": facade_async,
    "generated": generated_async,
    "httpx": raw_httpx_async,
    "sdk": official_sdk_async,
}


def row_count(result: Any) -> int:
    """How many rows a contender's result holds: a typed model or the decoded dict."""
    data = result["data"] if isinstance(result, dict) else result.data
    return len(data)


def check(result: Any, expected: int) -> None:
    if row_count(result) != expected:
        raise SystemExit(f"expected {expected} rows, got {row_count(result)}")


# --- the measures ------------------------------------------------------------------------------


def latency(contender: str, base_url: str, *, calls: int, warmup: int, rows: int = 1) -> dict[str, Any]:
    call, close = SYNC[contender](f"{base_url}/rows/{rows}")
    check(call(), rows)
    for _ in range(warmup):
        call()
    clock = time.perf_counter
    start = clock()
    for _ in range(calls):
        call()
    elapsed = clock() - start
    close()
    return {"seconds_per_call": elapsed / calls}


def large(contender: str, base_url: str, *, rows: int, reps: int) -> dict[str, Any]:
    call, close = SYNC[contender](f"{base_url}/rows/{rows}")
    result = call()
    check(result, rows)
    del result
    times = []
    clock = time.perf_counter
    for _ in range(reps):
        start = clock()
        result = call()
        times.append(clock() - start)
        del result
    close()
    return {"seconds": times}


def rss(contender: str, base_url: str, *, rows: int) -> dict[str, Any]:
    call, close = SYNC[contender](f"{base_url}/rows/{rows}")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = call()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    check(result, rows)  # keeps the result alive until after the measurement
    close()
    return {"peak_kib": peak, "before_fetch_kib": before}


def concurrent(
    contender: str, base_url: str, *, concurrency: int, batches: int, rows: int = 1
) -> dict[str, Any]:
    async def run() -> list[float]:
        call, close = ASYNC[contender](f"{base_url}/rows/{rows}")
        warm = await asyncio.gather(*(call() for _ in range(concurrency)))  # opens the connections
        for result in warm:
            check(result, rows)
        times = []
        clock = time.perf_counter
        for _ in range(batches):
            start = clock()
            await asyncio.gather(*(call() for _ in range(concurrency)))
            times.append(clock() - start)
        await close()
        return times

    return {"seconds": asyncio.run(run())}


MEASURES = {"latency": latency, "large": large, "rss": rss, "concurrent": concurrent}


def main(argv: list[str]) -> None:
    measure, contender, base_url = argv[:3]
    options = json.loads(argv[3]) if len(argv) > 3 else {}
    print(json.dumps(MEASURES[measure](contender, base_url, **options)))


if __name__ == "__main__":
    main(sys.argv[1:])
