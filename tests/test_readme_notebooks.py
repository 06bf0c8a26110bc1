"""The README's "Notebooks and data" examples run, against the demo's data server, and print
what the README shows."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import tool_env
from demo_server import serve

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parent.parent / "README.md"
SECTION = "## Notebooks and data"

# Analytics() as the examples call it, pointed at the local server instead of openrouter.ai.
PRELUDE = """\
import os
import openrouter_analytics
from openrouter_analytics import _client


class Analytics(_client.Analytics):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("base_url", os.environ["DEMO_URL"])
        super().__init__(*args, **kwargs)


openrouter_analytics.Analytics = Analytics
"""


def _section() -> str:
    text = README.read_text()
    start = text.index(SECTION)
    end = text.index("\n## ", start + len(SECTION))
    return text[start:end]


def _blocks() -> list[tuple[str, str | None]]:
    """Each python block of the section, with the text block right after it (its output) if any."""
    found = re.findall(r"```python\n(.*?)```\n(?:\n```text\n(.*?)```\n)?", _section(), re.DOTALL)
    return [(code, output or None) for code, output in found]


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    with serve() as url:
        yield url


def test_the_section_has_examples() -> None:
    assert len(_blocks()) >= 3


@pytest.mark.parametrize("index", range(len(_blocks())))
def test_each_example_runs_and_prints_what_the_readme_shows(index: int, demo_url: str) -> None:
    code, output = _blocks()[index]
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + code],
        capture_output=True,
        text=True,
        env=tool_env(OPENROUTER_API_KEY="sk-or-v1-readme", DEMO_URL=demo_url),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    if output is not None:
        assert done.stdout.startswith(output), done.stdout
