"""``scripts/demo.py`` (what ``make demo`` runs), end to end: both views, and nothing left running."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_support import tool_env

pytestmark = pytest.mark.slow

DEMO = Path(__file__).resolve().parent.parent / "scripts" / "demo.py"


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


def test_demo_prints_the_model_table_and_the_daily_chart_and_leaves_nothing_running() -> None:
    before = set(prism_processes())

    done = subprocess.run(
        [sys.executable, str(DEMO)], capture_output=True, text=True, env=tool_env(), timeout=120, check=False
    )

    assert done.returncode == 0, done.stderr
    table, chart = done.stdout.split("$ openrouter-activity --group-by date --chart")
    assert "$ openrouter-activity --group-by model" in table
    assert re.search(r"^model +cost", table, re.MULTILINE)
    assert re.search(r"^total +\$[\d,]+\.\d{4}", table, re.MULTILINE)
    assert "Cost per day" in chart
    assert len(re.findall(r"^\d{4}-\d{2}-\d{2} \w{3} +█", chart, re.MULTILINE)) == 30
    assert set(prism_processes()) <= before


def test_an_interrupted_demo_stops_prism_too() -> None:
    before = set(prism_processes())
    demo = subprocess.Popen(
        [sys.executable, str(DEMO)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=tool_env()
    )
    deadline = time.monotonic() + 60
    while not any(parent == demo.pid for parent in prism_processes().values()):
        assert time.monotonic() < deadline, "the demo never started Prism"
        assert demo.poll() is None, "the demo ended before Prism started"
        time.sleep(0.01)

    os.kill(demo.pid, signal.SIGTERM)
    _, stderr = demo.communicate(timeout=30)

    assert demo.returncode == 130
    assert "interrupted" in stderr.decode()
    assert set(prism_processes()) <= before
