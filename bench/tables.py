"""Typed tables against the raw path: `get_user_activity().to_arrow()` / `.to_pandas()` versus raw
httpx + `pyarrow.Table.from_pylist(response.json()["data"])` / `pandas.DataFrame(...)`.

    python bench/tables.py              alone, against its own bench/server.py (a few minutes)
    python bench/tables.py --quick      tiny sizes, a few seconds

bench/run.py runs the same measures (`--only tables`) and adds GOALS to its table. Unlike the
other measures, these run in this project's own environment (the one running this script, where
the extras are installed), since the benchmark environment holds no pyarrow or pandas. Each
measurement is a fresh process (this file, `worker` mode); the contenders take turns.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
API_KEY = "sk-or-v1-bench0000000000000000000000000000000000000000000000000000000000"

LABELS = {
    "facade_arrow": "get_user_activity().to_arrow()",
    "httpx_arrow": "raw httpx + pyarrow.Table.from_pylist(.json()['data'])",
    "facade_pandas": "get_user_activity().to_pandas()",
    "httpx_pandas": "raw httpx + pandas.DataFrame(.json()['data'])",
}

GOALS = [
    # (description, measure key, at most this many times the floor), as bench/run.py lists them
    ("`to_arrow()` of {rows:,} activity rows, compact body", "tables_arrow_{rows}_compact", 0.50),
    ("`to_arrow()` of {rows:,} activity rows, indented, keys shuffled", "tables_arrow_{rows}_indented", 0.50),
    ("`to_pandas()` of {rows:,} activity rows, compact body", "tables_pandas_{rows}_compact", 0.60),
    ("peak RSS, `to_arrow()` of {rss_rows:,} rows", "tables_rss_arrow", 0.80),
    ("peak RSS, `to_pandas()` of {rss_rows:,} rows", "tables_rss_pandas", 0.80),
]


# --- the worker: one fresh process, one contender ---------------------------------------------------


def _contender(name: str, url: str) -> tuple[Callable[[], Any], Callable[[], None]]:
    if name.startswith("facade"):
        from openrouter_analytics import Analytics

        client = Analytics(api_key=API_KEY, base_url=url)
        convert = "to_arrow" if name.endswith("arrow") else "to_pandas"

        def call() -> Any:
            return getattr(client.get_user_activity(), convert)()

        return call, client.close
    import httpx

    raw = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {API_KEY}"})
    if name.endswith("arrow"):
        import pyarrow

        def call() -> Any:
            return pyarrow.Table.from_pylist(raw.get("/activity").json()["data"])
    else:
        import pandas

        def call() -> Any:
            return pandas.DataFrame(raw.get("/activity").json()["data"])

    return call, raw.close


def _peak_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise SystemExit("bench: no VmHWM in /proc/self/status")


def work(measure: str, name: str, url: str, rows: int, reps: int) -> dict[str, Any]:
    call, close = _contender(name, url)
    if measure == "rss":
        result = call()
        peak = _peak_rss_kib()
        if len(result) != rows:
            raise SystemExit(f"expected {rows} rows, got {len(result)}")
        close()
        return {"peak_kib": peak}
    result = call()
    if len(result) != rows:
        raise SystemExit(f"expected {rows} rows, got {len(result)}")
    del result
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
        del result
    close()
    return {"seconds": times}


# --- the measures ----------------------------------------------------------------------------------


def _worker(measure: str, name: str, url: str, rows: int, reps: int = 0) -> dict[str, Any]:
    command = [sys.executable, __file__, "worker", measure, name, url, str(rows), str(reps)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"bench: tables worker failed: {measure} {name} {url}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _turns(names: list[str], rounds: int) -> Iterator[list[str]]:
    for r in range(rounds):
        k = r % len(names)
        yield names[k:] + names[:k]


def measure(plan: Any, base_url: str, new_measure: Callable[..., Any]) -> list[Any]:
    """The measures of GOALS, as `new_measure` (bench/run.py's Measure) objects, floor "httpx"."""
    rows = max(plan.large_sizes)
    found = []
    for kind, layout in (("arrow", "compact"), ("arrow", "indented"), ("pandas", "compact")):
        title = f"{rows:,} rows, {layout} body, call to {kind} table (typed, or raw httpx + {kind})"
        result = new_measure(f"tables_{kind}_{rows}_{layout}", title, "ms", 1e3, floor="httpx")
        result.labels = {"facade": LABELS[f"facade_{kind}"], "httpx": LABELS[f"httpx_{kind}"]}
        url = f"{base_url}/{layout}/rows/{rows}"
        for order in _turns(["facade", "httpx"], plan.large_rounds):
            for name in order:
                result.add(name, _worker("time", f"{name}_{kind}", url, rows, plan.large_reps)["seconds"])
        found.append(result)
    for kind in ("arrow", "pandas"):
        title = f"Peak RSS (VmHWM) of a fresh process that made a {kind} table of {plan.rss_rows:,} rows"
        result = new_measure(f"tables_rss_{kind}", title, "MiB", 1 / 1024, floor="httpx")
        result.labels = {"facade": LABELS[f"facade_{kind}"], "httpx": LABELS[f"httpx_{kind}"]}
        url = f"{base_url}/compact/rows/{plan.rss_rows}"
        for order in _turns(["facade", "httpx"], plan.rss_rounds):
            for name in order:
                result.add(name, [_worker("rss", f"{name}_{kind}", url, plan.rss_rows)["peak_kib"]])
        found.append(result)
    return found


def main(argv: list[str]) -> int:
    if argv[:1] == ["worker"]:
        measure_name, name, url, row_text, reps = argv[1:6]
        print(json.dumps(work(measure_name, name, url, int(row_text), int(reps))))
        return 0
    sys.path.insert(0, str(BENCH))
    import run

    plan = run.QUICK if "--quick" in argv else run.Plan()
    rows: int = max(plan.large_sizes)
    spec = {"activity": {"compact": sorted({rows, plan.rss_rows}), "indented": [rows]}}
    server = subprocess.Popen(
        [sys.executable, str(BENCH / "server.py"), json.dumps(spec)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        base_url = f"http://127.0.0.1:{int(line.split()[1])}"
        measures = measure(plan, base_url, run.Measure)
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=10)
    for found in measures:
        for row in found.summary():
            print(f"{found.title} | {row['label']} | {row['median']:.1f} {found.unit} | {row['ratio']:.3f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
