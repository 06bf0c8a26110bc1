"""``scripts/demo.py`` (what ``make demo`` runs), end to end: both views, nothing left running,
and never an answer the data server did not give."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from cli_support import item, run_tool, tool_env
from demo import DEMO_KEY, checked_api
from demo_server import ORIGIN_HEADER, Record, activity_rows, month_of_activity, serve
from prism import run_prism

from openrouter_analytics.cli.text import compact_count

pytestmark = pytest.mark.slow

DEMO = Path(__file__).resolve().parent.parent / "scripts" / "demo.py"
README = Path(__file__).resolve().parent.parent / "README.md"


def prism_processes() -> dict[int, int]:
    """pid -> parent pid of every running Prism process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        if b"prism" in command and b"node" in command:
            found[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return found


def children_until_exit(process: subprocess.Popen[str], timeout: float = 120) -> set[int]:
    """Wait for ``process`` to end, noting every Prism process it started along the way."""
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    while process.poll() is None:
        assert time.monotonic() < deadline, "the demo did not finish"
        seen.update(pid for pid, parent in prism_processes().items() if parent == process.pid)
        time.sleep(0.01)
    return seen


def test_demo_prints_the_provider_table_the_daily_chart_and_a_query_and_leaves_nothing_running() -> None:
    demo = subprocess.Popen(
        [sys.executable, str(DEMO)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=tool_env(),
    )
    with demo:
        # The demo's few kilobytes of output fit in the pipe's buffer until it ends.
        started = children_until_exit(demo)
        stdout, stderr = demo.communicate()

    assert demo.returncode == 0, stderr
    table, rest = stdout.split("$ openrouter-activity --group-by date --chart")
    chart, query = rest.split("$ openrouter-activity query ")
    assert "$ openrouter-activity --group-by provider" in table
    assert re.search(r"^total +\$[\d,]+\.\d{4}", table, re.MULTILINE)
    # at 80 columns every column of the provider table fits, the cached tokens last
    assert re.search(
        r"^provider +cost +BYOK +requests +prompt +compl\. +reas\. +cached$", table, re.MULTILINE
    )
    assert "leave out" not in stderr
    cached = sum(row["cached_tokens"] for row in activity_rows(month_of_activity()))
    assert re.search(rf"^total .* {compact_count(cached)}$", table, re.MULTILINE)
    month = activity_rows(month_of_activity())
    share = sum(row["cached_tokens"] for row in month) / sum(row["prompt_tokens"] for row in month)
    assert f"\ncache: {share * 100:.1f}% of prompt tokens\n" in table
    assert "Cost per day" in chart
    assert len(re.findall(r"^\d{4}-\d{2}-\d{2} \w{3} +█", chart, re.MULTILINE)) == 30
    assert re.search(r"^model +usage +count +latency +hit_rate$", query, re.MULTILINE)
    models = re.findall(
        r"^([a-z][\w./-]+) +\$[\d,]+\.\d{4} +[\d,]+ +[\d,]+ ms +[\d.]+%$", query, re.MULTILINE
    )
    assert len(models) == 7, query
    assert started  # Prism checked the answers
    assert not started & set(prism_processes())
    screen = readme_first_screen(yesterday=dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1))
    # The README shows the terminal: stderr's notes among stdout's lines.
    lines = screen.splitlines(keepends=True)
    notes = [line for line in lines if line.startswith("openrouter-activity: note: ")]
    assert stdout == "".join(line for line in lines if line not in notes)
    assert all(note in stderr for note in notes)


def readme_first_screen(*, yesterday: dt.date) -> str:
    """What README.md shows ``make demo`` printing, its check's days moved to ``yesterday`` and
    the 30 days before (the check guards the last completed UTC day of the day it runs)."""
    text = README.read_text(encoding="utf-8")
    screen = text.split("```text\n$ make demo\n", 1)[1].split("```", 1)[0]
    table, check = screen.split("$ openrouter-activity check ", 1)
    written = dt.date.fromisoformat(re.findall(r"^(\d{4}-\d{2}-\d{2}): ", check, re.MULTILINE)[0])
    shift = yesterday - written
    check = re.sub(
        r"\d{4}-\d{2}-\d{2}",
        lambda day: (dt.date.fromisoformat(day.group(0)) + shift).isoformat(),
        check,
    )
    return f"{table}$ openrouter-activity check {check}"


def test_the_check_of_the_demo_breaches_a_limit_and_shows_exit_1() -> None:
    screen = readme_first_screen(yesterday=dt.date(2026, 12, 31))
    check = screen.split("$ openrouter-activity check ", 1)[1]

    assert "2026-12-31: 1 limit breached" in check
    assert "$ echo $?\n1\n" in check


def test_an_interrupted_demo_stops_prism_too() -> None:
    demo = subprocess.Popen(
        [sys.executable, str(DEMO)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=tool_env(),
    )
    with demo:
        deadline = time.monotonic() + 60
        started: set[int] = set()
        while not started:
            assert time.monotonic() < deadline, "the demo never started Prism"
            assert demo.poll() is None, "the demo ended before Prism started"
            started = {pid for pid, parent in prism_processes().items() if parent == demo.pid}
            time.sleep(0.01)

        os.kill(demo.pid, signal.SIGTERM)
        _, stderr = demo.communicate(timeout=30)

    assert demo.returncode == 130
    assert "interrupted" in stderr
    assert not started & set(prism_processes())


# The demo never shows an answer its data server did not give. Prism, proxying, answers a
# request itself when the upstream says 501 Not Implemented: it serves the spec's example
# with a 200 ("remocking", prism-core's factory.js; no option turns it off).

SPEC = Path(__file__).resolve().parent.parent / "openapi.yaml"
QUERY_EXAMPLE = yaml.safe_load(SPEC.read_text())["paths"]["/analytics/query"]["post"]["responses"]["200"][
    "content"
]["application/json"]["example"]
QUERY_BODY = {"metrics": ["request_count"], "dimensions": ["model"], "granularity": "day"}
AUTH = {"Authorization": f"Bearer {DEMO_KEY}"}
MONTH = {"start": "2026-09-01T00:00:00Z", "end": "2026-10-01T00:00:00Z"}


@contextlib.contextmanager
def server_with_no_routes(*, api_key: str | None = None, origin: str | None = None) -> Iterator[str]:
    """A data server that serves nothing: http.server answers every request with a 501 HTML page,
    as the demo's server did for ``POST /analytics/query`` before it served that route."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_prism_alone_answers_a_missing_route_with_the_specs_example() -> None:
    """Why the demo needs its guard: without it, a route the data server lacks shows made-up data."""
    with server_with_no_routes() as upstream, run_prism(SPEC, upstream=upstream) as url:
        answer = httpx.post(f"{url}/analytics/query", json=QUERY_BODY, headers=AUTH)
        run = run_tool("--base-url", url, "--max-retries", "0")

    assert (answer.status_code, answer.json()) == (200, QUERY_EXAMPLE)
    assert run.code == 0
    assert "openai/gpt-4.1" in run.stdout  # the model of the spec's /activity example


def test_on_the_demo_path_a_missing_route_is_an_error_not_the_example() -> None:
    with checked_api(server_with_no_routes) as url:
        answer = httpx.post(f"{url}/analytics/query", json=QUERY_BODY, headers=AUTH)
        run = run_tool("--base-url", url, "--max-retries", "0")

    assert answer.status_code == 502
    assert answer.headers["content-type"] == "application/json"
    message = answer.json()["error"]["message"]
    assert "Prism answered POST /analytics/query with 200 itself" in message
    assert "date__day" not in answer.text
    assert run.code == 4  # an API error, and no report
    assert "openai/gpt-4.1" not in run.stdout
    assert "Prism answered GET /activity with 200 itself" in run.stderr


def test_on_the_demo_path_the_data_servers_answers_pass_unchanged() -> None:
    with serve(api_key=DEMO_KEY) as direct, checked_api() as url, httpx.Client(headers=AUTH) as client:
        for method, path, body in [
            ("GET", "/activity?group_by=workspace", None),
            ("GET", "/analytics/meta", None),
            ("POST", "/analytics/query", {**QUERY_BODY, "time_range": MONTH}),
            ("POST", "/analytics/query", {"metrics": ["spend"]}),
        ]:
            checked = client.request(method, f"{url}{path}", json=body)
            expected = client.request(method, f"{direct}{path}", json=body)
            assert checked.status_code == expected.status_code
            assert _without_timing(checked.json()) == _without_timing(expected.json())
            assert ORIGIN_HEADER in checked.headers


def test_on_the_demo_path_prisms_violation_reports_become_errors_too() -> None:
    broken = functools.partial(serve, [Record(item(requests="12"))])
    with checked_api(broken) as url:
        answer = httpx.get(f"{url}/activity", headers=AUTH)

    assert answer.status_code == 502
    assert "with 500 itself" in answer.json()["error"]["message"]
    assert "requests must be integer" in answer.json()["error"]["message"]
    assert "requests" in answer.headers["sl-violations"]


def _without_timing(document: Any) -> Any:
    """A query answer without ``query_time_ms``, which differs from run to run."""
    if isinstance(document, dict) and isinstance(document.get("data"), dict):
        metadata = document["data"].get("metadata")
        if isinstance(metadata, dict):
            metadata.pop("query_time_ms", None)
    return document
