"""Every example the docs give runs: the README's Python blocks and the code blocks of the
package's docstrings (``help(openrouter_analytics)`` and the rest), against the demo's data
server on 127.0.0.1, with ``Analytics`` and ``AsyncAnalytics`` pointed at it."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import inspect
import pkgutil
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from demo_server import recent_activity, serve

import openrouter_analytics
from openrouter_analytics import _client

README = Path(__file__).resolve().parent.parent / "README.md"
KEY = "sk-or-v1-docs-0000000000000000000000000000000000000000000000000000000000000000"


def readme_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), re.DOTALL | re.MULTILINE)


def _docstrings() -> Iterator[tuple[str, str]]:
    package = openrouter_analytics
    names = [package.__name__] + [
        f"{package.__name__}.{info.name}"
        for info in pkgutil.iter_modules(package.__path__)
        if info.name not in {"cli", "__main__"}
    ]
    for name in names:
        module = importlib.import_module(name)
        yield name, module.__doc__ or ""
        for attribute, value in vars(module).items():
            if (inspect.isclass(value) or inspect.isfunction(value)) and value.__module__ == name:
                yield f"{name}.{attribute}", value.__doc__ or ""


def docstring_examples() -> list[tuple[str, str]]:
    """(where, code) for each indented block of a docstring that uses the client."""
    found = []
    for where, doc in _docstrings():
        text = inspect.cleandoc(doc)
        for block in re.findall(r"(?:^|\n)\n((?:(?: {4,}.*)?\n)+)", text + "\n"):
            code = textwrap.dedent(block).strip("\n")
            if "Analytics(" in code:
                found.append((where, code))
    return found


@pytest.fixture(scope="module")
def recent_url() -> Iterator[str]:
    """The demo month ending yesterday, as the real API's 30 days would be."""
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    with serve(recent_activity(yesterday)) as url:
        yield url


@pytest.fixture(scope="module")
def history_dir(recent_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding ``history.sqlite3`` synced from the demo, where the examples run: the
    README's ``sqlite3.connect("history.sqlite3")`` opens it, and ``History()`` finds it through
    OPENROUTER_ANALYTICS_DB; nothing reaches the checkout or the user's own data directory."""
    from openrouter_analytics.history import History

    folder = tmp_path_factory.mktemp("history")
    with (
        _client.Analytics(base_url=recent_url, api_key=KEY) as analytics,
        History(folder / "history.sqlite3") as history,
    ):
        history.sync(analytics)
    return folder


@pytest.fixture(autouse=True)
def _in_history_dir(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if "recent_url" in request.fixturenames:
        folder: Path = request.getfixturevalue("history_dir")
    else:
        folder = request.getfixturevalue("tmp_path")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("OPENROUTER_ANALYTICS_DB", str(folder / "history.sqlite3"))


@contextlib.contextmanager
def clients_at(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    class Analytics(_client.Analytics):
        def __init__(self, **options: Any) -> None:
            super().__init__(**{"base_url": url, **options})

    class AsyncAnalytics(_client.AsyncAnalytics):
        def __init__(self, **options: Any) -> None:
            super().__init__(**{"base_url": url, **options})

    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    monkeypatch.setattr(openrouter_analytics, "Analytics", Analytics, raising=False)
    monkeypatch.setattr(openrouter_analytics, "AsyncAnalytics", AsyncAnalytics, raising=False)
    yield


def run_example(code: str) -> int | None:
    """Run ``code`` as a script; the code of its SystemExit, or None when it ends normally."""
    try:
        exec(compile(code, "<example>", "exec"), {"__name__": "__main__"})  # noqa: S102
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 1
    return None


def test_the_docs_have_examples_to_run() -> None:
    assert len(readme_blocks()) >= 6
    where = {place for place, _ in docstring_examples()}
    assert {
        "openrouter_analytics",
        "openrouter_analytics._client.Analytics",
        "openrouter_analytics._client.AsyncAnalytics",
        "openrouter_analytics.spend",
        "openrouter_analytics.summary",
        "openrouter_analytics.query_rows",
    } <= where


@pytest.mark.parametrize("code", readme_blocks(), ids=lambda code: code.splitlines()[0][:50])
def test_each_python_block_of_the_readme_runs(
    code: str, recent_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with clients_at(recent_url, monkeypatch):
        code_or_none = run_example(code)

    out = capsys.readouterr().out
    assert out.strip()  # every block shows something
    if "SystemExit" in code:
        assert code_or_none == 1  # the guard's example: the runaway model breaches max_cost 50
        assert "openai/o3" in out
    else:
        assert code_or_none is None


@pytest.mark.parametrize(
    ("where", "code"), docstring_examples(), ids=[where for where, _ in docstring_examples()]
)
def test_each_docstring_example_runs(
    where: str,
    code: str,
    recent_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with clients_at(recent_url, monkeypatch):
        code_or_none = run_example(code)

    out = capsys.readouterr().out
    assert out.strip(), where
    assert code_or_none in (None, 1), where


def check_example() -> str:
    (code,) = [block for block in readme_blocks() if "check_spend" in block and "SystemExit" in block]
    return code


def test_the_readmes_check_example_fails_on_a_report_without_rows(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the README promises for a mistyped filter: told, not passed (exit 1)."""
    with serve([]) as empty, clients_at(empty, monkeypatch):
        code = run_example(check_example())

    assert code == 1
    assert "nothing to check" in capsys.readouterr().out


def test_the_readmes_check_example_passes_a_month_within_its_limits(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    calm = [record for record in recent_activity(yesterday) if record.item["model"] != "openai/o3"]
    with serve(calm) as url, clients_at(url, monkeypatch):
        code = run_example(check_example())

    assert code == 0
    assert capsys.readouterr().out == ""
