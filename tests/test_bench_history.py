"""bench/history.py still runs: every measure, on tiny sizes; the numbers mean nothing here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_the_quick_history_benchmark_reports_every_goal(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "history.py"), "--quick", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=280,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads((tmp_path / "history.json").read_text())
    assert [goal["measure"] for goal in result["goals"]] == ["report", "sync", "report_rss"]
    for goal in result["goals"]:
        assert goal["value"] > 0
        assert goal["status"] == ("PASS" if goal["value"] <= goal["limit"] else "MISS")
    medians = result["medians"]
    assert result["goals"][0]["value"] == medians["report"] / medians["bare_sql"]
    assert result["goals"][1]["value"] == medians["sync"] / medians["fetch"]
    assert result["sync_unread_ratio"] == medians["sync"] / medians["fetch_unread"]
    assert "## The local history (quick" in done.stdout
