"""``make demo``: the activity report against a local mock of the API, no key and no network.

Starts the demo data server (a seeded, realistic month of activity), puts Prism in front of
it as a validating proxy, so every answer the tool gets has been checked against
openapi.yaml, and runs the installed ``openrouter-activity`` twice: cost per model as a
table, then cost per day as a chart. Both servers are stopped on the way out, whether the
runs pass, fail or are interrupted.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
TOOL = Path(sys.executable).parent / "openrouter-activity"
DEMO_KEY = "sk-or-v1-demo-0000000000000000000000000000000000000000000000000000000000000000"
VIEWS = (
    ["--group-by", "model"],
    ["--group-by", "date", "--chart"],
)

sys.path.insert(0, str(ROOT / "scripts"))

from demo_server import serve  # noqa: E402
from prism import run_prism  # noqa: E402


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Turn SIGTERM into an exception so the servers' cleanup runs as it does on Ctrl-C.
    raise KeyboardInterrupt


def run_views(base_url: str) -> int:
    """Run each view against ``base_url``; the first failing exit code, or 0."""
    env = {**os.environ, "OPENROUTER_API_KEY": DEMO_KEY}
    for view in VIEWS:
        print(f"$ openrouter-activity {shlex.join(view)}", flush=True)
        code = subprocess.run([str(TOOL), *view, "--base-url", base_url], env=env, check=False).returncode
        print(flush=True)
        if code != 0:
            print(f"demo: openrouter-activity {shlex.join(view)} exited with {code}", file=sys.stderr)
            return code
    return 0


def main() -> int:
    if not TOOL.exists():
        print(f"demo: {TOOL} not found: run `make setup` first", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        with serve(api_key=DEMO_KEY) as data_url, run_prism(SPEC, upstream=data_url) as prism_url:
            print(
                "A month of made-up activity, served on 127.0.0.1 and checked against openapi.yaml "
                "by Prism.\n",
                flush=True,
            )
            return run_views(prism_url)
    except KeyboardInterrupt:
        print("demo: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
