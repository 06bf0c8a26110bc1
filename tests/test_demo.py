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


def children_until_exit(process: subprocess.Popen[str], timeout: float = 120) -> set[int]:
    """Wait for ``process`` to end, noting every Prism process it started along the way."""
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    while process.poll() is None:
        assert time.monotonic() < deadline, "the demo did not finish"
        seen.update(pid for pid, parent in prism_processes().items() if parent == process.pid)
        time.sleep(0.01)
    return seen


def test_demo_prints_the_model_table_and_the_daily_chart_and_leaves_nothing_running() -> None:
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
    table, chart = stdout.split("$ openrouter-activity --group-by date --chart")
    assert "$ openrouter-activity --group-by model" in table
    assert re.search(r"^model +cost", table, re.MULTILINE)
    assert re.search(r"^total +\$[\d,]+\.\d{4}", table, re.MULTILINE)
    assert "Cost per day" in chart
    assert len(re.findall(r"^\d{4}-\d{2}-\d{2} \w{3} +█", chart, re.MULTILINE)) == 30
    assert started  # Prism checked the answers
    assert not started & set(prism_processes())


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
