"""Benchmark the SDK against raw httpx (the floor) and the official OpenRouter SDK, in one run.

    python bench/run.py                  full run; writes bench/results/latest.{json,md}
    python bench/run.py --quick          tiny sizes, a few seconds; writes to a temporary directory
    python bench/run.py --out DIR        write the results to DIR instead

The contenders run in bench/.venv, an environment of their own built from
bench/requirements.txt (hash-pinned, holds the official SDK, which is not a dependency of
this project) plus this project installed from the working tree. It is rebuilt only when
the lock file or the interpreter changes. Every measurement runs in a fresh worker process
(bench/worker.py) against a local server (bench/server.py) on 127.0.0.1, and the contenders
take turns within each round so that drift in the machine's speed hits them all alike.

Measures, each as median with min-max and the ratio to raw httpx measured in the same run:
    import       wall time of `python -c "import X"` in a fresh process
    first_call   wall time of a fresh process that imports, makes a client and calls once
    latency      time per call on one reused client, 1-item response: the API's usual row, a
                 row with every field the spec declares, and one with a field more
    interleaved  the same per-call time with this SDK and raw httpx in one process, in turns of
                 blocks of calls (each contender above runs in a process of its own)
    large        time from call to result for 10,000 rows (compact) and 100,000 rows in each
                 body layout: compact, spaced, indented with keys shuffled (typed result, or
                 raw httpx + .json())
    rss          peak RSS (VmHWM, read by the process itself) of a fresh process that fetched
                 the 100,000-row response, in each layout
    query        time from call to result of an analytics query answered with 10,000 rows
    concurrent   100 simultaneous calls on one async client
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tables as tables_bench  # bench/tables.py, beside this file

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
ENV = BENCH / ".venv"
LOCK_FILE = BENCH / "requirements.txt"
STAMP = ENV / ".built-from"
RESULTS = BENCH / "results"
BENCH_PY = ENV / "bin" / "python"

LABELS = {
    "facade": "openrouter_analytics (this SDK)",
    "generated": "openrouter_analytics_client (generated layer)",
    "httpx": "raw httpx (floor)",
    "sdk": "openrouter (official SDK)",
}

IMPORTS = {
    # name: (statement, contender it belongs to)
    "python": ("pass", "python (interpreter start only)"),
    "httpx": ("import httpx", "import httpx (floor)"),
    "facade_package": ("import openrouter_analytics", "import openrouter_analytics"),
    "facade": ("from openrouter_analytics import Analytics", "from openrouter_analytics import Analytics"),
    "generated_package": ("import openrouter_analytics_client", "import openrouter_analytics_client"),
    "generated": (
        "from openrouter_analytics_client.api.analytics import get_user_activity",
        "from openrouter_analytics_client.api.analytics import get_user_activity",
    ),
    "sdk_package": ("import openrouter", "import openrouter"),
    "sdk": ("from openrouter import OpenRouter", "from openrouter import OpenRouter"),
}


MEASURE_NAMES = (
    "import",
    "first_call",
    "latency",
    "interleaved",
    "large",
    "rss",
    "query",
    "concurrent",
    "tables",
    "history",
)
LAYOUTS = ("compact", "spaced", "indented")
# The 1-row bodies of the per-call measures (bench/payload.py SHAPES); "live" is the API's usual.
SHAPE_NAMES = {
    "live": "",
    "declared": ", every declared field",
    "undeclared": ", every declared field and one undeclared",
}
LAYOUT_NAMES = {
    "compact": "compact body",
    "spaced": "json.dumps spacing",
    "indented": "indented, keys shuffled",
}


@dataclass(frozen=True)
class Plan:
    """How much to measure; the quick plan only proves that every measure still runs."""

    import_runs: int = 31
    first_call_runs: int = 11
    latency_rounds: int = 10
    latency_calls: int = 500
    latency_warmup: int = 100
    interleaved_processes: int = 3
    interleaved_blocks: int = 10  # per process, taking turns: 5 rounds of one block each
    interleaved_calls: int = 300
    large_sizes: tuple[int, ...] = (10_000, 100_000)  # the largest in every layout, the others compact
    large_rounds: int = 5
    large_reps: int = 3
    rss_rows: int = 100_000
    # A process's peak varies by up to 40 MiB with where glibc placed the body's chunks (every
    # contender, one process in three to ten): the median of 5 is the usual peak, not that.
    rss_rounds: int = 5
    query_rows: int = 10_000
    query_rounds: int = 5
    query_reps: int = 5
    concurrency: int = 100
    concurrent_rounds: int = 3
    concurrent_batches: int = 10


QUICK = Plan(
    import_runs=3,
    first_call_runs=2,
    latency_rounds=2,
    latency_calls=50,
    latency_warmup=10,
    interleaved_processes=1,
    interleaved_blocks=2,
    interleaved_calls=20,
    large_sizes=(200, 2_000),
    large_rounds=1,
    large_reps=2,
    rss_rows=2_000,
    rss_rounds=1,
    query_rows=500,
    query_rounds=1,
    query_reps=2,
    concurrent_rounds=1,
    concurrent_batches=2,
)


@dataclass
class Measure:
    """One table section: samples per contender, summarized against the floor."""

    key: str
    title: str
    unit: str
    scale: float  # multiply raw values (seconds or KiB) by this to get `unit`
    floor: str
    samples: dict[str, list[float]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    # Sample i of every contender was taken right beside sample i of the floor: the ratio is the
    # median of the ratios of those pairs, which the machine's drift between pairs leaves alone.
    paired: bool = False

    def add(self, contender: str, values: list[float]) -> None:
        self.samples.setdefault(contender, []).extend(v * self.scale for v in values)

    def summary(self) -> list[dict[str, Any]]:
        floor = statistics.median(self.samples[self.floor]) if self.floor in self.samples else None
        rows = []
        for contender, values in self.samples.items():
            median = statistics.median(values)
            ratio = median / floor if floor else None
            if self.paired and floor:
                pairs = zip(values, self.samples[self.floor], strict=True)
                ratio = statistics.median(value / beside for value, beside in pairs)
            rows.append(
                {
                    "contender": contender,
                    "label": self.labels.get(contender, LABELS.get(contender, contender)),
                    "median": median,
                    "min": min(values),
                    "max": max(values),
                    "ratio": ratio,
                    "samples": values,
                }
            )
        return rows


# --- the benchmark environment ---------------------------------------------------------------------


def uv_binary() -> str:
    beside = Path(sys.executable).parent / "uv"
    found = str(beside) if beside.exists() else shutil.which("uv")
    if not found:
        raise SystemExit("bench: uv not found; run `make setup` first")
    return found


def env_fingerprint() -> str:
    digest = hashlib.sha256(LOCK_FILE.read_bytes())
    digest.update(f"{sys.executable}\n{sys.version}".encode())
    return digest.hexdigest()


def ensure_env() -> None:
    """Build bench/.venv from the lock file unless it was built from this very lock file."""
    ENV.parent.mkdir(exist_ok=True)
    # Outside the repository, so that it needs no .gitignore entry.
    lock_path = Path(tempfile.gettempdir()) / f"bench-env-{hashlib.sha256(bytes(ROOT)).hexdigest()[:16]}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two runs at once build the environment once
        wanted = env_fingerprint()
        if not (STAMP.exists() and STAMP.read_text() == wanted and BENCH_PY.exists()):
            print("bench: building bench/.venv from bench/requirements.txt", file=sys.stderr)
            shutil.rmtree(ENV, ignore_errors=True)
            uv = uv_binary()
            quiet = ["--quiet"]
            env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
            subprocess.run([uv, "venv", *quiet, "--python", sys.executable, str(ENV)], check=True, env=env)
            # Installed packages get their bytecode now, as pip would do for a user.
            install = [uv, "pip", "install", *quiet, "--python", str(BENCH_PY), "--compile-bytecode"]
            subprocess.run([*install, "--require-hashes", "-r", str(LOCK_FILE)], check=True, env=env)
            subprocess.run([*install, "--no-deps", "-e", str(ROOT)], check=True, env=env)
            STAMP.write_text(wanted)
    # This project is installed from the working tree: give its current sources bytecode too,
    # so that imports are measured as a user would see them, not with a compile on every start.
    subprocess.run(
        [str(BENCH_PY), "-m", "compileall", "-q", str(ROOT / "overlays"), str(ROOT / "generated")],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def facade_available() -> bool:
    probe = subprocess.run(
        [str(BENCH_PY), "-c", "from openrouter_analytics import Analytics, AsyncAnalytics"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


# --- running workers --------------------------------------------------------------------------------


@contextmanager
def local_server(spec: dict[str, Any]) -> Iterator[str]:
    server = subprocess.Popen(
        [str(BENCH_PY), str(BENCH / "server.py"), json.dumps(spec)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        if not line.startswith("PORT "):
            raise SystemExit("bench: the local server did not start")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=10)


def worker(measure: str, contender: str, base_url: str, **options: Any) -> dict[str, Any]:
    command = [str(BENCH_PY), str(BENCH / "worker.py"), measure, contender, base_url, json.dumps(options)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"bench: worker failed: {measure} {contender} {options}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def rotations(names: list[str], rounds: int) -> Iterator[list[str]]:
    """Each round all contenders once, starting one further along each time."""
    for r in range(rounds):
        k = r % len(names)
        yield names[k:] + names[:k]


def measure_imports(plan: Plan, names: list[str]) -> Measure:
    result = Measure("import", "Cold import, fresh process", "ms", 1e3, floor="httpx")
    result.labels = {name: IMPORTS[name][1] for name in names}
    for order in rotations(names, plan.import_runs):
        for name in order:
            start = time.perf_counter()
            subprocess.run([str(BENCH_PY), "-c", IMPORTS[name][0]], check=True)
            result.add(name, [time.perf_counter() - start])
    return result


FIRST_CALLS = {
    "facade": "from openrouter_analytics import Analytics\n"
    "Analytics(api_key=KEY, base_url=URL).get_user_activity()",
    "generated": "from openrouter_analytics_client import AuthenticatedClient\n"
    "from openrouter_analytics_client.api.analytics import get_user_activity\n"
    "get_user_activity.sync_detailed(client=AuthenticatedClient(base_url=URL, token=KEY)).parsed",
    "httpx": "import httpx\n"
    "httpx.Client(base_url=URL, headers={'Authorization': f'Bearer {KEY}'}).get('/activity').json()",
    "sdk": "from openrouter import OpenRouter\n"
    "OpenRouter(api_key=KEY, server_url=URL).analytics.get_user_activity()",
}


def measure_first_call(plan: Plan, base_url: str, contenders: list[str]) -> Measure:
    title = "Start-up: fresh process, import, client, first 1-item call"
    result = Measure("first_call", title, "ms", 1e3, floor="httpx")
    url = f"{base_url}/compact/rows/1"
    for order in rotations(contenders, plan.first_call_runs):
        for name in order:
            script = f"KEY = 'sk-or-v1-bench'\nURL = {url!r}\n{FIRST_CALLS[name]}\n"
            start = time.perf_counter()
            subprocess.run([str(BENCH_PY), "-c", script], check=True)
            result.add(name, [time.perf_counter() - start])
    return result


def measure_latency(plan: Plan, base_url: str, contenders: list[str], shape: str) -> Measure:
    key = "latency" if shape == "live" else f"latency_{shape}"
    title = f"Per call, 1-item response{SHAPE_NAMES[shape]}, one reused client"
    result = Measure(key, title, "µs", 1e6, floor="httpx")
    for order in rotations(contenders, plan.latency_rounds):
        for name in order:
            got = worker(
                "latency",
                name,
                base_url,
                calls=plan.latency_calls,
                warmup=plan.latency_warmup,
                shape=shape,
            )
            result.add(name, [got["seconds_per_call"]])
    return result


def measure_interleaved(plan: Plan, base_url: str, shape: str) -> Measure:
    """This SDK and raw httpx in one process, in turns: no process of its own for either."""
    title = (
        f"Per call, 1-item response{SHAPE_NAMES[shape]}, this SDK and raw httpx in one process, "
        f"turns of {plan.interleaved_calls} calls"
    )
    result = Measure(f"interleaved_{shape}", title, "µs", 1e6, floor="httpx", paired=True)
    for process in range(plan.interleaved_processes):
        pair = ["facade", "httpx"] if process % 2 == 0 else ["httpx", "facade"]
        got = worker(
            "interleaved",
            "+".join(pair),
            base_url,
            blocks=plan.interleaved_blocks,
            calls=plan.interleaved_calls,
            warmup=plan.latency_warmup,
            shape=shape,
        )
        for name in ("facade", "httpx"):  # the same row order whoever went first
            result.add(name, got["seconds_per_call"][name])
    return result


def measure_large(plan: Plan, base_url: str, contenders: list[str], rows: int, layout: str) -> Measure:
    title = f"{rows:,} rows, {LAYOUT_NAMES[layout]}, call to result (typed, or raw httpx + .json())"
    result = Measure(f"large_{rows}_{layout}", title, "ms", 1e3, floor="httpx")
    for order in rotations(contenders, plan.large_rounds):
        for name in order:
            got = worker("large", name, base_url, rows=rows, reps=plan.large_reps, layout=layout)
            result.add(name, got["seconds"])
    return result


def measure_rss(plan: Plan, base_url: str, contenders: list[str], layout: str) -> Measure:
    title = f"Peak RSS (VmHWM) of a fresh process that fetched {plan.rss_rows:,} rows, {LAYOUT_NAMES[layout]}"
    result = Measure(f"rss_{layout}", title, "MiB", 1 / 1024, floor="httpx")
    for order in rotations(contenders, plan.rss_rounds):
        for name in order:
            got = worker("rss", name, base_url, rows=plan.rss_rows, layout=layout)
            result.add(name, [got["peak_kib"]])
    return result


def measure_query(plan: Plan, base_url: str, contenders: list[str]) -> Measure:
    title = f"Analytics query, {plan.query_rows:,} free-form rows, call to result"
    result = Measure(f"query_{plan.query_rows}", title, "ms", 1e3, floor="httpx")
    for order in rotations(contenders, plan.query_rounds):
        for name in order:
            got = worker("query", name, base_url, rows=plan.query_rows, reps=plan.query_reps)
            result.add(name, got["seconds"])
    return result


def measure_concurrent(plan: Plan, base_url: str, contenders: list[str]) -> Measure:
    title = f"{plan.concurrency} concurrent calls on one async client, 1-item response"
    result = Measure("concurrent", title, "ms", 1e3, floor="httpx")
    for order in rotations(contenders, plan.concurrent_rounds):
        for name in order:
            got = worker(
                "concurrent",
                name,
                base_url,
                concurrency=plan.concurrency,
                batches=plan.concurrent_batches,
            )
            result.add(name, got["seconds"])
    return result


# --- reporting --------------------------------------------------------------------------------------

GOALS = [
    # (description, measure key, at most this many times the floor); all for the facade
    ("{rows:,} activity rows, compact body", "large_{rows}_compact", 0.70),
    ("{rows:,} activity rows, json.dumps spacing", "large_{rows}_spaced", 0.70),
    ("{rows:,} activity rows, indented, keys shuffled", "large_{rows}_indented", 0.70),
    ("peak RSS, {rss_rows:,} rows, compact body", "rss_compact", 0.80),
    ("peak RSS, {rss_rows:,} rows, json.dumps spacing", "rss_spaced", 0.80),
    ("peak RSS, {rss_rows:,} rows, indented, keys shuffled", "rss_indented", 0.80),
    ("`query_analytics`, {query_rows:,} free-form rows", "query_{query_rows}", 1.00),
    ("per call, 1 item", "latency", 1.00),
    ("per call, 1 item, every declared field", "latency_declared", 1.00),
    ("per call, 1 item, every declared field and one undeclared", "latency_undeclared", 1.00),
    ("per call, 1 item, every declared field, in one process with raw httpx", "interleaved_declared", 1.00),
    (
        "per call, 1 item, every declared field and one undeclared, in one process with raw httpx",
        "interleaved_undeclared",
        1.00,
    ),
    ("{concurrency} concurrent calls, one async client", "concurrent", 1.05),
    ("cold import of the facade (`from openrouter_analytics import Analytics`)", "import", 1.25),
]
GOALS += tables_bench.GOALS  # typed tables: bench/tables.py


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = subprocess.run(
        [
            str(BENCH_PY),
            "-c",
            "import importlib.metadata as m, json, sys; print(json.dumps({'python': sys.version.split()[0],"
            " **{n: m.version(n) for n in ('httpx', 'openrouter', 'msgspec', 'attrs')}}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "implementation": platform.python_implementation(),
        **json.loads(versions.stdout),
    }


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "n/a"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:,.{digits}f}{unit}"


def goal_rows(plan: Plan, rows_by_measure: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    goals = []
    sizes = {
        "rows": max(plan.large_sizes),
        "rss_rows": plan.rss_rows,
        "query_rows": plan.query_rows,
        "concurrency": plan.concurrency,
    }
    for template, measure, limit in GOALS:
        key = measure.format(**sizes)
        description = template.format(**sizes)
        by_name = {row["contender"]: row for row in rows_by_measure.get(key, [])}
        ratio = by_name["facade"]["ratio"] if "facade" in by_name else None
        sdk = by_name["sdk"]["ratio"] if "sdk" in by_name else None
        goals.append(
            {
                "goal": description,
                "measure": key,
                "limit": limit,
                "ratio": ratio,
                "sdk_ratio": sdk,
                "status": "n/a" if ratio is None else "PASS" if ratio <= limit else "MISS",
                "miss_by": None if ratio is None or ratio <= limit else ratio / limit - 1,
            }
        )
    return goals


def render_markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"Measured {report['date']} on {m['cpu']} ({m['cpus']} CPUs, {m['system']}), "
        f"{m['implementation']} {m['python']}; httpx {m['httpx']}, openrouter {m['openrouter']}, "
        f"msgspec {m['msgspec']}, attrs {m['attrs']}. Mode: {report['mode']}.",
        "",
        "| measure | contender | median | min-max | x raw httpx |",
        "|---|---|---:|---:|---:|",
    ]
    for section in report["measures"]:
        unit = section["unit"]
        for row in section["rows"]:
            lines.append(
                f"| {section['title']} | {row['label']} | {fmt(row['median'], ' ' + unit)} | "
                f"{fmt(row['min'])}-{fmt(row['max'])} | {times(row['ratio'])} |"
            )
    lines += [
        "",
        "| goal | limit | this SDK | official SDK | |",
        "|---|---:|---:|---:|---|",
    ]
    for goal in report["goals"]:
        status = goal["status"]
        if goal["miss_by"] is not None:
            status += f" by {goal['miss_by']:.1%}"
        ratio = "n/a" if goal["ratio"] is None else f"{goal['ratio']:.3f}x"
        lines.append(
            f"| {goal['goal']} | <= {goal['limit']:.2f}x | {ratio} | {times(goal['sdk_ratio'])} | {status} |"
        )
    plan = report["plan"]
    lines += [
        "",
        f"Medians over fresh processes ({plan['import_runs']} per import, {plan['first_call_runs']} per "
        f"start-up), over {plan['latency_rounds']} rounds of {plan['latency_calls']} calls per body shape, "
        f"over {plan['interleaved_processes']} processes of {plan['interleaved_blocks']} turns of "
        f"{plan['interleaved_calls']} calls for this SDK and raw httpx in one process (ratio: the "
        "median of the ratios of blocks side by side), over "
        f"{plan['large_rounds']} rounds of {plan['large_reps']} fetches of each large response, "
        f"{plan['query_rounds']} rounds of {plan['query_reps']} queries, "
        f"{plan['rss_rounds']} processes per peak RSS (VmHWM read in the process itself) and "
        f"{plan['concurrent_rounds']} rounds of {plan['concurrent_batches']} concurrent batches; "
        "contenders take turns within each round. "
        "Every package has its bytecode compiled, as an installed wheel would. "
        "Server: bench/server.py on 127.0.0.1, one write per response, TCP_NODELAY; "
        "bodies from bench/payload.py (3,000 models, an endpoint id per row, 40 providers).",
    ]
    return "\n".join(lines) + "\n"


def times(ratio: float | None) -> str:
    return "n/a" if ratio is None else f"{fmt(ratio)}x"


def write_atomically(path: Path, text: str) -> None:
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_text(text)
    scratch.replace(path)


def served_measures(
    plan: Plan, served: dict[str, Any], wanted: set[str], contenders: list[str], has_facade: bool
) -> list[Measure]:
    """The measures that call a local server, each of those in ``wanted``."""
    biggest = max(plan.large_sizes)
    measures: list[Measure] = []
    with local_server(served) as base_url:
        if "first_call" in wanted:
            measures.append(measure_first_call(plan, base_url, contenders))
        if "latency" in wanted:
            measures += [measure_latency(plan, base_url, contenders, shape) for shape in SHAPE_NAMES]
        if "interleaved" in wanted and has_facade:
            measures += [
                measure_interleaved(plan, base_url, shape) for shape in SHAPE_NAMES if shape != "live"
            ]
        if "large" in wanted:
            measures += [
                measure_large(plan, base_url, contenders, rows, "compact")
                for rows in plan.large_sizes
                if rows != biggest
            ]
            measures += [measure_large(plan, base_url, contenders, biggest, layout) for layout in LAYOUTS]
        if "rss" in wanted:
            measures += [measure_rss(plan, base_url, contenders, layout) for layout in LAYOUTS]
        if "query" in wanted:
            measures.append(measure_query(plan, base_url, contenders))
        if "concurrent" in wanted:
            measures.append(measure_concurrent(plan, base_url, contenders))
        if "tables" in wanted and has_facade:
            measures += tables_bench.measure(plan, base_url, Measure)

    return measures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes: check that every measure runs")
    parser.add_argument("--out", type=Path, help="directory for latest.json and latest.md")
    parser.add_argument(
        "--only",
        help=f"comma-separated measures to run ({','.join(MEASURE_NAMES)}); for working on one",
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else Plan()
    out = args.out or (Path(tempfile.mkdtemp(prefix="bench-quick-")) if args.quick else RESULTS)

    ensure_env()
    has_facade = facade_available()
    contenders = ["facade", "generated", "httpx", "sdk"] if has_facade else ["generated", "httpx", "sdk"]
    if not has_facade:
        print("bench: openrouter_analytics.Analytics is not importable; skipped", file=sys.stderr)
    imports = [n for n in IMPORTS if has_facade or not n.startswith("facade")]
    biggest = max(plan.large_sizes)
    served = {
        "activity": {
            layout: sorted({biggest, plan.rss_rows, *([1, *plan.large_sizes] if layout == "compact" else [])})
            for layout in LAYOUTS
        },
        "shapes": {shape: [1] for shape in SHAPE_NAMES if shape != "live"},
        "query": [plan.query_rows],
    }

    wanted = set(args.only.split(",")) if args.only else {*MEASURE_NAMES}
    started = time.perf_counter()
    measures: list[Measure] = []
    if "import" in wanted:
        measures.append(measure_imports(plan, imports))
    measures += served_measures(plan, served, wanted, contenders, has_facade)
    rows_by_measure = {m.key: m.summary() for m in measures}
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": "quick" if args.quick else "full",
        "machine": machine(),
        "plan": plan.__dict__ | {"large_sizes": list(plan.large_sizes)},
        "seconds": round(time.perf_counter() - started, 1),
        "measures": [
            {"key": m.key, "title": m.title, "unit": m.unit, "floor": m.floor, "rows": rows_by_measure[m.key]}
            for m in measures
        ],
        "goals": goal_rows(plan, rows_by_measure),
    }
    if "history" in wanted:  # the local history's own goals (bench/history.py)
        import history as history_bench

        report["history"] = history_bench.run(quick=args.quick)
    markdown = render_markdown(report)
    if "history" in report:
        markdown += history_bench.render(report["history"])
    out.mkdir(parents=True, exist_ok=True)
    write_atomically(out / "latest.json", json.dumps(report, indent=1) + "\n")
    write_atomically(out / "latest.md", markdown)
    print(markdown)
    print(f"bench: results in {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
