"""The command line itself: options, subcommands and help, without any request."""

from __future__ import annotations

import subprocess
import sys

from cli_support import tool_env


def test_help_imports_neither_httpx_nor_the_client() -> None:
    probe = (
        "import sys\n"
        "from openrouter_analytics.cli import main\n"
        "code = main(['--help'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'httpx', 'openrouter_analytics_client'}"
        " or m in {'openrouter_analytics._client', 'openrouter_analytics.summary'})\n"
        "print(code, heavy, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=tool_env(), check=False, timeout=60
    )

    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "0 []"
    assert "openrouter-activity" in done.stdout
