"""Benchmarks of the local history, against the floors the issue names.

    python bench/history.py              full: a 1,000,000-row year, a 100,000-row window
    python bench/history.py --quick      tiny sizes: proves that every measure runs

Measures, each in fresh processes taking turns, median of the rounds:
    report     `openrouter-activity report --history --group-by model` over the whole year,
               against the bare SQL aggregate (`SELECT model, sum(usage), ... FROM activity
               GROUP BY model`, in a `python -c` process) on the same file; and the report's
               peak RSS (from wait4)
    sync       `History.sync()` of a 30-day window into a new file, and closing it (where SQLite
               may move its log into the file), against the fetch alone
               (`get_user_activity(group_by="workspace")` and its rows read, as bench/worker.py
               counts a call: a typed report makes its rows when they are first read), both
               from a local server; on rows as a large organization has them (endpoints and
               workspaces repeat from day to day) and, for information, on bench/payload.py's
               rows (an endpoint per row). Also, for information, the call with its rows left
               unread ("fetch_unread")

The year's file is built once (bench/.cache/, rebuilt when the schema or this generator
changes) by the same code a sync writes with. bench/run.py runs this as its "history" measure.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache"
GENERATOR = 1  # bump when the year's rows change
LAST_DAY = dt.date(2026, 11, 30)

sys.path.insert(0, str(BENCH))
from payload import PROVIDERS, models  # noqa: E402
from payload import body as payload_body  # noqa: E402

GOALS = [
    # (description, measure, at most this ratio or this many MiB)
    ("`report --history --group-by model` over a {year_rows:,}-row year / bare SQL aggregate", "report", 2.0),
    ("sync of a {window_rows:,}-row window / the fetch alone", "sync", 1.5),
    ("peak RSS of the year report (MiB)", "report_rss", 200.0),
]


@dataclass(frozen=True)
class Plan:
    year_rows: int = 1_000_000
    window_rows: int = 100_000
    rounds: int = 5  # as bench/run.py's large bodies: a sync's time in one process varies by a third here


QUICK = Plan(year_rows=20_000, window_rows=3_000, rounds=1)


def organization_rows(count: int, days: list[dt.date], seed: int = 17) -> list[dict[str, Any]]:
    """``count`` rows over ``days``: the same endpoints (model x provider) in 3 workspaces each
    day, so a day is about ``count / len(days)`` rows, as a large account's are."""
    rng = random.Random(seed)
    catalogue = models(rng, 600)
    per_day = max(1, count // len(days))
    endpoints: list[tuple[str, str, str, str]] = []
    while len(endpoints) * 3 < per_day:
        slug, permaslug = catalogue[int(rng.paretovariate(1.1)) % len(catalogue)]
        endpoints.append(
            (str(uuid.UUID(int=rng.getrandbits(128), version=4)), slug, permaslug, rng.choice(PROVIDERS))
        )
    workspaces = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(3)]
    rows = []
    for day in days:
        for index in range(per_day):
            endpoint_id, slug, permaslug, provider = endpoints[index // 3]
            prompt = int(rng.lognormvariate(9, 2.5))
            completion = int(prompt * rng.uniform(0.02, 0.6))
            rows.append(
                {
                    "date": day.isoformat(),
                    "model": slug,
                    "model_permaslug": permaslug,
                    "endpoint_id": endpoint_id,
                    "provider_name": provider,
                    "workspace_id": workspaces[index % 3],
                    "usage": round(
                        prompt * rng.uniform(1e-7, 3e-6) + completion * rng.uniform(4e-7, 1.5e-5), 12
                    ),
                    "byok_usage_inference": 0.0 if rng.random() < 0.9 else rng.uniform(0.0001, 3.0),
                    "requests": 1 + int(rng.lognormvariate(2, 2)),
                    "prompt_tokens": prompt,
                    "completion_tokens": completion,
                    "reasoning_tokens": 0 if rng.random() < 0.7 else int(completion * rng.uniform(0.1, 0.9)),
                    "cached_tokens": 0 if rng.random() < 0.5 else int(prompt * rng.uniform(0.05, 0.9)),
                }
            )
    return rows


def days_before(last: dt.date, count: int) -> list[dt.date]:
    return [last - dt.timedelta(days=offset) for offset in range(count - 1, -1, -1)]


def build_year(rows: int) -> Path:
    """A history of ``rows`` rows over the 365 days to LAST_DAY, written as syncs write it."""
    from openrouter_analytics.history import SCHEMA_VERSION
    from openrouter_analytics.history._accounts import fingerprint, resolve_for_sync
    from openrouter_analytics.history._connect import connect, transaction
    from openrouter_analytics.history._writing import write_window

    path = CACHE / f"year-{rows}-schema{SCHEMA_VERSION}-gen{GENERATOR}.sqlite3"
    if path.exists():
        return path
    CACHE.mkdir(exist_ok=True)
    scratch = path.with_suffix(".building")
    for leftover in CACHE.glob(f"{scratch.name}*"):
        leftover.unlink()
    days = days_before(LAST_DAY, 365)
    connection = connect(scratch)
    with transaction(connection, scratch):
        account = resolve_for_sync(connection, scratch, fingerprint("bench"), "bench", record=True)
        connection.execute("INSERT INTO series (account_id) VALUES (?)", (account[0],))
        for start in range(0, len(days), 30):
            chunk = days[start : start + 30]
            by_day: dict[str, list[Any]] = {}
            for row in organization_rows(rows * len(chunk) // len(days), chunk, seed=start):
                by_day.setdefault(row["date"], []).append(SimpleNamespace(**row, additional_properties={}))
            write_window(
                connection,
                scratch,
                1,
                account="bench",
                days=[day.isoformat() for day in chunk],
                rows=by_day,
                fetched_at="2026-12-01T00:05:00+00:00",
            )
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    scratch.rename(path)
    return path


def timed_process(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS in MiB of ``command`` run to its end."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"bench: {command[:4]} failed: {error[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


BARE_SQL = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
connection.execute(
    "SELECT model, sum(usage), sum(byok_usage_inference), sum(requests), sum(prompt_tokens), "
    "sum(completion_tokens), sum(reasoning_tokens) FROM activity GROUP BY model"
).fetchall()
"""


def measure_report(plan: Plan) -> dict[str, Any]:
    path = build_year(plan.year_rows)
    first = (LAST_DAY - dt.timedelta(days=364)).isoformat()
    report = [
        sys.executable, "-m", "openrouter_analytics", "report", "--history", "--db", str(path),
        "--group-by", "model", "--since", first, "--until", LAST_DAY.isoformat(), "--format", "csv",
    ]  # fmt: skip
    bare = [sys.executable, "-c", BARE_SQL, str(path)]
    timed_process(bare)  # the file into the page cache, for both
    samples: dict[str, list[float]] = {"report": [], "bare_sql": [], "report_rss": []}
    for _ in range(plan.rounds):
        seconds, rss = timed_process(report)
        samples["report"].append(seconds)
        samples["report_rss"].append(rss)
        samples["bare_sql"].append(timed_process(bare)[0])
    return samples


@contextlib.contextmanager
def serving(body: bytes) -> Iterator[str]:
    """``body`` as the answer to every request, on 127.0.0.1, from a thread."""
    response = (
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def answer(connection: socket.socket) -> None:
        with connection, contextlib.suppress(OSError):
            data = b""
            while True:
                while b"\r\n\r\n" not in data:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                data = data[data.index(b"\r\n\r\n") + 4 :]
                connection.sendall(response)

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                connection, _ = listener.accept()
                threading.Thread(target=answer, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        listener.close()


SYNC_WORKER = """
import json, os, sys, tempfile, time
from openrouter_analytics import Analytics
from openrouter_analytics.history import History
what, url, today = sys.argv[1:4]
with Analytics(api_key="sk-or-v1-bench", base_url=url, timeout=120) as analytics:
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        if what == "fetch":
            len(analytics.get_user_activity(group_by="workspace").data)
        elif what == "fetch_unread":
            analytics.get_user_activity(group_by="workspace")
        else:
            # Closed, as the command closes it: SQLite may move the log into the file then.
            with History(os.path.join(directory, "h.sqlite3")) as history:
                history.sync(analytics, today=today)
        print(json.dumps(time.perf_counter() - started))
"""


def measure_sync(plan: Plan, body: bytes, today: str) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {"fetch": [], "sync": [], "fetch_unread": []}
    with serving(body) as url:
        for _ in range(plan.rounds):
            for what, times in samples.items():
                done = subprocess.run(
                    [sys.executable, "-c", SYNC_WORKER, what, url, today],
                    capture_output=True, text=True, check=False, timeout=600,
                )  # fmt: skip
                if done.returncode != 0:
                    raise SystemExit(f"bench: {what} failed: {done.stderr[-2000:]}")
                times.append(json.loads(done.stdout))
    return samples


def run(*, quick: bool = False) -> dict[str, Any]:
    plan = QUICK if quick else Plan()
    started = time.perf_counter()
    report = measure_report(plan)
    window = days_before(LAST_DAY, 30)
    today = (LAST_DAY + dt.timedelta(days=1)).isoformat()
    organization = json.dumps({"data": organization_rows(plan.window_rows, window)}).encode()
    sync = measure_sync(plan, organization, today)
    # payload.py's rows are dated 2026-07-26 to 2026-08-24.
    spread = measure_sync(plan, payload_body(plan.window_rows), "2026-08-25")
    median = {name: statistics.median(values) for name, values in {**report, **sync}.items()}
    spread_median = {name: statistics.median(values) for name, values in spread.items()}
    measured = {
        "report": median["report"] / median["bare_sql"],
        "sync": median["sync"] / median["fetch"],
        "report_rss": median["report_rss"],
    }
    sizes = {"year_rows": plan.year_rows, "window_rows": plan.window_rows}
    return {
        "mode": "quick" if quick else "full",
        "plan": plan.__dict__,
        "seconds": round(time.perf_counter() - started, 1),
        "samples": {**report, **sync, **{f"{name}_endpoint_per_row": v for name, v in spread.items()}},
        "medians": {
            **median,
            "fetch_endpoint_per_row": spread_median["fetch"],
            "sync_endpoint_per_row": spread_median["sync"],
        },
        "sync_endpoint_per_row_ratio": spread_median["sync"] / spread_median["fetch"],
        "sync_unread_ratio": median["sync"] / median["fetch_unread"],
        "goals": [
            {
                "goal": template.format(**sizes),
                "measure": key,
                "limit": limit,
                "value": measured[key],
                "status": "PASS" if measured[key] <= limit else "MISS",
            }
            for template, key, limit in GOALS
        ],
    }


def render(result: dict[str, Any]) -> str:
    medians = result["medians"]
    lines = [
        "",
        f"## The local history ({result['mode']}, {result['seconds']} s)",
        "",
        "| goal | limit | measured | |",
        "|---|---|---|---|",
    ]
    for goal in result["goals"]:
        unit = " MiB" if goal["measure"] == "report_rss" else "x"
        lines.append(
            f"| {goal['goal']} | <= {goal['limit']:g}{unit} | {goal['value']:.2f}{unit} | {goal['status']} |"
        )
    lines += [
        "",
        f"Year report {medians['report']:.2f} s, bare SQL {medians['bare_sql']:.2f} s; "
        f"sync {medians['sync']:.2f} s, fetch {medians['fetch']:.2f} s "
        f"(rows unread: {medians['fetch_unread']:.2f} s, sync / that {result['sync_unread_ratio']:.2f}x); "
        f"with an endpoint per row (bench/payload.py): sync {medians['sync_endpoint_per_row']:.2f} s, "
        f"fetch {medians['fetch_endpoint_per_row']:.2f} s ({result['sync_endpoint_per_row_ratio']:.2f}x).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes: check that every measure runs")
    parser.add_argument("--out", type=Path, help="also write history.json here")
    args = parser.parse_args(argv)
    result = run(quick=args.quick)
    print(render(result))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "history.json").write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
