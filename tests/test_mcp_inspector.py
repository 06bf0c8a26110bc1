"""A client we did not write: the MCP Inspector's command-line mode (pinned in package-lock.json)
starts ``openrouter-activity mcp`` over stdio, lists its tools and calls ``spend_report`` against
the demo data server; its answers must be the command line's.

The Inspector runs offline: its home and catalogue are in a temporary directory, and the only
server it talks to is the one it starts, which talks to the demo on 127.0.0.1.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import SECRET, TOOL, run_tool, tool_env
from demo_server import serve

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
INSPECTOR = ROOT / "node_modules" / ".bin" / "mcp-inspector"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve(api_key=SECRET) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The key in a file, so that it is in no command line the Inspector shows or logs."""
    path = tmp_path_factory.mktemp("key") / "key"
    path.write_text(SECRET + "\n")
    path.chmod(0o600)
    return path


def inspector(home: Path, url: str, key_file: Path, *args: str) -> dict[str, Any]:
    """Run the Inspector's CLI against ``openrouter-activity mcp``; its JSON result."""
    env = tool_env(HOME=str(home), MCP_CATALOG_PATH=str(home / "mcp.json"), NO_UPDATE_NOTIFIER="1")
    done = subprocess.run(
        [
            str(INSPECTOR), "--cli", str(TOOL), "mcp", "--api-key-file", str(key_file), "--base-url", url,
            *args, "--format", "json",
        ],
        capture_output=True, text=True, env=env, timeout=120, check=False, cwd=home,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert SECRET not in done.stdout + done.stderr
    document: dict[str, Any] = json.loads(done.stdout)
    return document


def test_the_inspector_lists_the_tools_and_calls_spend_report(
    url: str, key_file: Path, tmp_path: Path
) -> None:
    listed = inspector(tmp_path, url, key_file, "--method", "tools/list", "--strict")
    called = inspector(
        tmp_path, url, key_file,
        "--method", "tools/call", "--tool-name", "spend_report",
        "--tool-arg", "group_by=provider", "top=3",
    )  # fmt: skip

    tools = {tool["name"]: tool for tool in listed["result"]["tools"]}
    assert set(tools) == {
        "spend_report",
        "analytics_schema",
        "query_analytics",
        "check_spend",
        "check_budget",
        "history_report",
        "cost_advice",
    }
    assert all(tool["annotations"]["readOnlyHint"] is True for tool in tools.values())
    assert "outputSchema" in tools["spend_report"]
    result = called["result"]
    assert result["isError"] is False
    report = run_tool("report", "--base-url", url, "--group-by", "provider", "--top", "3", "--format", "json")
    assert report.code == 0, report.stderr
    assert result["structuredContent"] == json.loads(report.stdout)
    assert len(result["structuredContent"]["rows"]) == 3
    # Nothing was written outside the temporary home.
    assert {path.name for path in tmp_path.iterdir()} <= {"mcp.json", ".mcp-inspector"}
