"""What README.md shows the tool printing is what it prints: every ``$ openrouter-activity ...``
example in a ```text block is run against the demo's data server and compared line for line.

Examples of ``check`` (under "Guard your spend", and the last of ``make demo``) run against
the demo month moved to end the day before the day they were written (``python
scripts/demo_server.py --days-ending DAY``: ``check`` reads the last 30 completed days, which
September 2026 left long ago), with the tool's clock set to that day, so they read the same on
any later day. The day is the one the section's first summary line names. Everything else runs
against the demo month as ``python scripts/demo_server.py`` serves it.

The README's Python blocks run too, in order, each in a fresh namespace, against the same
servers: ``Analytics`` and ``AsyncAnalytics`` default to the server's URL.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_support import tool_env
from demo import DEMO_KEY
from demo_server import recent_activity, serve

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parent.parent / "README.md"
TOOL_DIR = Path(sys.executable).parent
GUARD_SECTION = "Guard your spend"
_BASE_URL = re.compile(r"http://127\.0\.0\.1:\d+")
# What differs from run to run in a --verbose line: the time, the port, the duration.
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
_DURATION = re.compile(r"in [\d.]+ ms")
_LAST_WORDS_OF_MAKE_DEMO = "With a management key in OPENROUTER_API_KEY"

# Runs the tool with its clock at CLOCK_DAY (noon UTC): `check` reads the clock for "today".
_CLOCKED = """\
import datetime as dt, os, sys, types
from openrouter_analytics.cli.commands import check

class Clock(dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return dt.datetime.fromisoformat(os.environ["CLOCK_DAY"] + "T12:00:00+00:00").astimezone(tz)

check.dt = types.SimpleNamespace(datetime=Clock, UTC=dt.UTC)
from openrouter_analytics.cli.commands import budget
budget.dt = types.SimpleNamespace(datetime=Clock, UTC=dt.UTC, date=dt.date, timedelta=dt.timedelta)
from openrouter_analytics.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@dataclass
class Example:
    section: str
    command: str
    output: str
    exit_code: int | None = None


def examples(text: str) -> list[Example]:
    """Each ``$ openrouter-activity`` command of a ```text block, with the lines it printed and
    the exit code a following ``$ echo $?`` shows."""
    found: list[Example] = []
    section = ""
    lines = iter(text.splitlines())
    for line in lines:
        if line.startswith(("# ", "## ")):
            section = line.lstrip("# ")
        if line.startswith("```") and line != "```text":  # another kind of block: skip it whole
            next(body for body in lines if body == "```")
            continue
        if line != "```text":
            continue
        current: Example | None = None
        last: Example | None = None
        for body in lines:
            if body == "```":
                break
            if body.startswith("$ "):
                command = body.removeprefix("$ ")
                while command.endswith("\\"):
                    command = command.removesuffix("\\") + next(lines).strip()
                if command == "echo $?" and last is not None:
                    current = None
                    last.exit_code = int(next(lines))
                    continue
                current = None
                if command.startswith("openrouter-activity "):
                    current = last = Example(section, command, "")
                    found.append(current)
            elif current is not None and not body.startswith(_LAST_WORDS_OF_MAKE_DEMO):
                current.output += body + "\n"
    return found


EXAMPLES = examples(README.read_text(encoding="utf-8"))


def written_on() -> dt.date:
    """The day the examples of "Guard your spend" were written: the day after the day they check."""
    for example in EXAMPLES:
        if example.section == GUARD_SECTION:
            for line in example.output.splitlines():
                if match := re.match(r"(\d{4}-\d{2}-\d{2}): ", line):
                    return dt.date.fromisoformat(match.group(1)) + dt.timedelta(days=1)
    raise AssertionError(f"no summary line in the examples of {GUARD_SECTION!r}")


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, str]]:
    """The base URL for each kind of example: the demo month, and the month ending yesterday."""
    with contextlib.ExitStack() as stack:
        yield {
            "month": stack.enter_context(serve(api_key=DEMO_KEY)),
            "recent": stack.enter_context(
                serve(recent_activity(written_on() - dt.timedelta(days=1)), api_key=DEMO_KEY)
            ),
        }


def normalized(output: str) -> str:
    output = _MOMENT.sub("<moment>", _BASE_URL.sub("<server>", output))
    return _DURATION.sub("in <n> ms", output).rstrip("\n")


def run(example: Example, base_url: str) -> subprocess.CompletedProcess[str]:
    command = example.command
    if "--base-url" in command:
        command = _BASE_URL.sub(base_url, command)
    else:
        command = command.replace("openrouter-activity ", f"openrouter-activity --base-url {base_url} ", 1)
    # The tool through a shell function, so that pipes and redirections work as typed.
    script = f'openrouter-activity() {{ "$TOOL_PYTHON" -c "$CLOCKED" "$@"; }}\n{{ {command}\n}} 2>&1\n'
    env = tool_env(
        OPENROUTER_API_KEY=DEMO_KEY,
        TOOL_PYTHON=sys.executable,
        CLOCKED=_CLOCKED,
        CLOCK_DAY=written_on().isoformat(),
        PATH=f"{TOOL_DIR}:{tool_env().get('PATH', '')}",
        COLUMNS="80",
    )
    return subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def is_a_check(example: Example) -> bool:
    return example.section == GUARD_SECTION or example.command.startswith("openrouter-activity check ")


def test_the_readme_has_examples_in_every_section_that_shows_output() -> None:
    sections = {example.section for example in EXAMPLES}
    assert {"openrouter-analytics", "The command-line tool", GUARD_SECTION} <= sections
    assert all(example.output for example in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.command[:70] for example in EXAMPLES])
def test_each_example_prints_what_the_readme_shows(example: Example, servers: dict[str, str]) -> None:
    if "| jq " in example.command and shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    done = run(example, servers["recent" if is_a_check(example) else "month"])

    assert normalized(done.stdout) == normalized(example.output), done.stderr
    if example.exit_code is not None:
        assert done.returncode == example.exit_code


def test_query_help_and_the_readme_say_total_usage_includes_the_byok_cost() -> None:
    done = subprocess.run(
        [str(TOOL_DIR / "openrouter-activity"), "query", "--help"],
        capture_output=True,
        text=True,
        env=tool_env(COLUMNS="80"),
        timeout=60,
        check=False,
    )
    readme = " ".join(README.read_text(encoding="utf-8").split())

    assert done.returncode == 0
    assert (
        "total_usage is spend with BYOK inference included (usage + byok_usage_inference of GET /activity)"
        in (" ".join(done.stdout.split()))
    )
    assert "`total_usage` is not `report`'s cost." in readme
    assert "`usage + byok_usage_inference` of `/activity`" in readme
