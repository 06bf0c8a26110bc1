"""``make demo``: the activity report against a local mock of the API, no key and no network.

Starts the demo data server (a seeded, realistic month of activity), puts Prism in front of
it as a validating proxy, so every answer the tool gets has been checked against
openapi.yaml, and runs the installed ``openrouter-activity`` three times: cost per model as a
table, cost per day as a chart, and an analytics query (cost, requests, latency and cache hits
per provider). Then ``check`` guards yesterday's spend on a second data server, whose month
ends yesterday with a runaway model (``--days-ending yesterday``): it shows the breach and its
exit code 1, which is the check doing its job, so the demo still exits 0. The tool talks to
Prism through ``upstream_only`` (scripts/prism.py), which lets through only answers marked
by this run's data server: an example Prism made up itself (as it does when the upstream
answers 501) reaches the tool as an error, never as data. Every server is stopped on the way
out, whether the runs pass, fail or are interrupted.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import shlex
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
TOOL = Path(sys.executable).parent / "openrouter-activity"
DEMO_KEY = "sk-or-v1-demo-0000000000000000000000000000000000000000000000000000000000000000"
VIEWS = (
    ["--group-by", "provider"],
    ["--group-by", "date", "--chart"],
    [
        "query",
        "--metrics",
        "total_usage,request_count,p90_latency,cache_hit_rate",
        "--dimensions",
        "model",
        "--since",
        "2026-09-01",
        "--until",
        "2026-09-30",
    ],
)
CHECK_VIEW = ["check", "--max-increase", "3", "--by", "model"]
"""Against the month ending yesterday: exit 1, the runaway model breaches --max-increase."""

sys.path.insert(0, str(ROOT / "scripts"))

from demo_server import ORIGIN_HEADER, last_completed_day, recent_activity, serve  # noqa: E402
from prism import run_checked_proxy  # noqa: E402


class _Interrupts:
    """SIGINT and SIGTERM raise KeyboardInterrupt, but wait while the servers are being started.

    Starting Prism is not atomic (between its launch and the cleanup taking hold there is a
    moment where an interrupt would leave it running), so a signal that arrives then is kept
    and raised as soon as the servers are up and their cleanup is armed.
    """

    def __init__(self) -> None:
        self._holding = False
        self._pending = False

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if self._holding:
            self._pending = True
            return
        raise KeyboardInterrupt

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
        if self._pending:
            raise KeyboardInterrupt


@contextlib.contextmanager
def checked_api(data_server: Callable[..., contextlib.AbstractContextManager[str]] = serve) -> Iterator[str]:
    """Start ``data_server`` behind Prism behind ``upstream_only``; yield the URL the tool is given.

    ``data_server(api_key=..., origin=...)`` must mark its answers with ``ORIGIN_HEADER: origin``.
    """
    origin = secrets.token_hex(16)
    with (
        data_server(api_key=DEMO_KEY, origin=origin) as data_url,
        run_checked_proxy(SPEC, data_url, header=ORIGIN_HEADER, value=origin) as url,
    ):
        yield url


def run_views(base_url: str) -> int:
    """Run each view against ``base_url``; the first failing exit code, or 0."""
    for view in VIEWS:
        code = _run(view, base_url)
        print(flush=True)
        if code != 0:
            print(f"demo: openrouter-activity {shlex.join(view)} exited with {code}", file=sys.stderr)
            return code
    return 0


def run_check(base_url: str) -> int:
    """Run CHECK_VIEW against ``base_url`` and show its exit code; 0 when it is the breach's 1."""
    code = _run(CHECK_VIEW, base_url)
    print(f"$ echo $?\n{code}\n", flush=True)
    if code != 1:
        print(
            f"demo: openrouter-activity {shlex.join(CHECK_VIEW)} exited with {code}, not 1", file=sys.stderr
        )
        return code or 1
    return 0


def _run(view: list[str], base_url: str) -> int:
    env = {**os.environ, "OPENROUTER_API_KEY": DEMO_KEY}
    print(f"$ openrouter-activity {shlex.join(view)}", flush=True)
    return subprocess.run([str(TOOL), *view, "--base-url", base_url], env=env, check=False).returncode


def main() -> int:
    if not TOOL.exists():
        print(f"demo: {TOOL} not found: run `make setup` first", file=sys.stderr)
        return 1
    interrupts = _Interrupts()
    signal.signal(signal.SIGINT, interrupts.handle)
    signal.signal(signal.SIGTERM, interrupts.handle)
    try:
        with contextlib.ExitStack() as servers:
            recent = functools.partial(serve, recent_activity(last_completed_day("yesterday")))
            with interrupts.held():
                api_url = servers.enter_context(checked_api())
                recent_url = servers.enter_context(checked_api(recent))
            print(
                "A made-up month on 127.0.0.1; Prism checks every answer against openapi.yaml.\n", flush=True
            )
            code = run_views(api_url) or run_check(recent_url)
        if code == 0:
            print("With a management key in OPENROUTER_API_KEY, the same commands show your account.")
        return code
    except KeyboardInterrupt:
        print("demo: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
