"""`make bench` still runs: every measure and contender, on tiny sizes, into a temporary directory.

The numbers mean nothing at these sizes; only that the harness works is checked. The benchmark
environment (bench/.venv) is built on the first run and reused while bench/requirements.txt
is unchanged.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CONTENDERS = {"facade", "generated", "httpx", "sdk"}
MEASURES = {
    "import",
    "first_call",
    "latency",
    "latency_declared",
    "latency_undeclared",
    "interleaved_declared",
    "interleaved_undeclared",
    "large_200_compact",
    *(f"large_2000_{layout}" for layout in ("compact", "spaced", "indented")),
    *(f"rss_{layout}" for layout in ("compact", "spaced", "indented")),
    "query_500",
    "concurrent",
}
GOALS = 14 + 5  # each row of the issues' tables
# Measured with this SDK and raw httpx sharing one process; the other contenders have their own.
IN_ONE_PROCESS = {"facade", "httpx"}
TABLES = {  # bench/tables.py: typed tables against raw httpx + pyarrow/pandas
    "tables_arrow_2000_compact",
    "tables_arrow_2000_indented",
    "tables_pandas_2000_compact",
    "tables_rss_arrow",
    "tables_rss_pandas",
}
IMPORTS = {
    "python",
    "httpx",
    "facade_package",
    "facade",
    "generated_package",
    "generated",
    "sdk_package",
    "sdk",
}


def snapshot(directory: Path) -> dict[str, bytes]:
    if not directory.exists():
        return {}
    return {path.name: path.read_bytes() for path in directory.iterdir() if path.is_file()}


@pytest.mark.slow
@pytest.mark.timeout(600)  # the first run also builds bench/.venv
def test_the_quick_benchmark_reports_every_measure_and_contender(tmp_path: Path) -> None:
    committed = snapshot(RESULTS)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=540,
    )
    assert done.returncode == 0, done.stderr[-4000:]

    report = json.loads((tmp_path / "latest.json").read_text())
    assert report["mode"] == "quick"
    assert report["machine"]["cpu"]
    assert report["machine"]["python"]
    sections = {section["key"]: section for section in report["measures"]}
    assert set(sections) == MEASURES | TABLES
    for key, section in sections.items():
        names = {row["contender"] for row in section["rows"]}
        wanted = (
            IMPORTS
            if key == "import"
            else IN_ONE_PROCESS
            if key.startswith("interleaved") or key in TABLES
            else CONTENDERS
        )
        assert names == wanted, key
        for row in section["rows"]:
            assert row["median"] > 0
            assert row["min"] <= row["median"] <= row["max"]
            assert row["ratio"] > 0
    assert len(report["goals"]) == GOALS
    assert {goal["measure"] for goal in report["goals"]} <= set(sections)
    assert all(goal["ratio"] is not None for goal in report["goals"])

    table = (tmp_path / "latest.md").read_text()
    assert table in done.stdout
    for label in ("raw httpx (floor)", "openrouter (official SDK)", "openrouter_analytics (this SDK)"):
        assert label in table
    assert snapshot(RESULTS) == committed, "the quick run must not touch bench/results"
