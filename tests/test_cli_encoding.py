"""Output on a stream that cannot write Unicode (``PYTHONIOENCODING=ascii``, a Windows code page
redirected to a file): tables and charts are drawn in ASCII, and nothing crashes."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import pytest
from cli_support import item, run_tool
from demo_server import Record, activity_rows, month_of_activity, serve

from openrouter_analytics.cli.chart import bar, render_chart
from openrouter_analytics.cli.grid import Column, render_grid
from openrouter_analytics.cli.spinner import Spinner
from openrouter_analytics.cli.table import render_table
from openrouter_analytics.cli.text import ASCII, UNICODE, Style, glyphs_for, shorten
from openrouter_analytics.summary import summarize
from openrouter_analytics_client.models import ActivityItem

MONTH = [ActivityItem.from_dict(row) for row in activity_rows(month_of_activity())]
DRAWN = {UNICODE.rule: ASCII.rule, UNICODE.full: ASCII.full}
QUERY = ["query", "--since", "2026-09-01", "--until", "2026-09-30"]

VIEWS = {
    "table": ["--group-by", "model"],
    "table-shortened": ["--group-by", "endpoint", "--top", "4"],
    "chart": ["--group-by", "model", "--top", "3", "--chart"],
    "chart-days": ["--group-by", "date", "--chart"],
    "csv": ["--format", "csv"],
    "json": ["--format", "json"],
    "jsonl": ["--format", "jsonl"],
    "query-table": [*QUERY, "--metrics", "total_usage,request_count", "--dimensions", "model,provider"],
    "query-chart": [
        *QUERY,
        "--metrics",
        "total_usage",
        "--dimensions",
        "provider",
        "--granularity",
        "week",
        "--chart",
    ],
    "query-csv": [*QUERY, "--metrics", "total_usage", "--dimensions", "model", "--format", "csv"],
    "query-json": [*QUERY, "--metrics", "total_usage", "--dimensions", "model", "--format", "json"],
    "query-jsonl": [*QUERY, "--metrics", "total_usage", "--dimensions", "model", "--format", "jsonl"],
    "meta": ["meta"],
    "meta-json": ["meta", "--format", "json"],
    "check": ["check", "--max-cost", "1"],
}


@pytest.fixture(scope="module")
def month_url() -> Iterator[str]:
    with serve() as url:
        yield url


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
@pytest.mark.parametrize("view", VIEWS.values(), ids=VIEWS.keys())
def test_every_format_and_chart_draws_in_ascii_when_stdout_cannot_write_unicode(
    month_url: str, view: list[str], encoding: str
) -> None:
    run = run_tool("--base-url", month_url, *view, env={"PYTHONIOENCODING": encoding})

    # check finds nothing to check in September: exit 1, with its summary line all the same
    assert run.code == (1 if view[0] == "check" else 0), run.stderr
    assert "cannot write" not in run.stderr
    assert run.stdout.strip()
    assert run.stdout.isascii()
    if "--format" not in view and view[0] != "check":  # a table or a chart
        assert max(len(line) for line in run.stdout.splitlines()) <= 80


@pytest.mark.slow
def test_an_ascii_table_and_chart_use_dashes_hashes_and_three_dots(month_url: str) -> None:
    env = {"PYTHONIOENCODING": "ascii"}
    table = run_tool("--base-url", month_url, "--group-by", "endpoint", env=env).stdout
    chart = run_tool("--base-url", month_url, "--chart", env=env).stdout
    catalogue = run_tool("--base-url", month_url, "meta", env={**env, "COLUMNS": "30"}).stdout

    assert "----------  ---" in table
    assert "google/gemini-2.5-flash via Google AI Studio" in table  # names are never shortened
    completion = next(line for line in catalogue.splitlines() if line.startswith("tokens_completion "))
    assert completion.split()[1].startswith("Comp")  # the label is shortened, with three dots
    assert "..." in completion.split()[1]
    assert "########" in chart


@pytest.mark.slow
@pytest.mark.parametrize("view", [[], ["--chart"], ["--format", "csv"]], ids=["table", "chart", "csv"])
def test_characters_stdout_cannot_write_become_question_marks_with_a_note(view: list[str]) -> None:
    rows = [item(model="vendor/modèle-über", usage=2.0), item(model="openai/gpt-4.1", usage=1.0)]
    with serve([Record(row) for row in rows]) as url:
        run = run_tool("--base-url", url, *view, env={"PYTHONIOENCODING": "ascii"})

    assert run.code == 0, run.stderr
    assert "vendor/mod?le-?ber" in run.stdout
    *width_notes, encoding_note = run.stderr.splitlines()
    assert encoding_note == (
        "openrouter-activity: note: stdout's encoding, ascii, cannot write some characters of the "
        "output, written as '?'; set PYTHONIOENCODING=utf-8 to keep them"
    )
    # the table leaves out its all-zero columns, and says so
    assert width_notes == (
        ["openrouter-activity: note: 80 columns leave out BYOK (all zero), reasoning (all zero), cached (all "
         "zero); 85 columns show them, as does --format csv, json or jsonl"] if view == [] else []
    )  # fmt: skip


class Stream(io.StringIO):
    def __init__(self, encoding: str | None, *, terminal: bool = False) -> None:
        super().__init__()
        self._encoding = encoding
        self._terminal = terminal

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding  # type: ignore[return-value]

    def isatty(self) -> bool:
        return self._terminal


@pytest.mark.parametrize(
    ("encoding", "glyphs"),
    [
        ("utf-8", UNICODE),
        ("UTF-16", UNICODE),
        ("ascii", ASCII),
        ("cp1252", ASCII),
        ("latin-1", ASCII),
        (None, UNICODE),
    ],
)
def test_the_glyphs_are_unicode_only_where_the_encoding_writes_them(
    encoding: str | None, glyphs: object
) -> None:
    assert glyphs_for(Stream(encoding)) is glyphs


def test_an_ascii_table_is_the_unicode_table_with_dashes_when_nothing_is_shortened() -> None:
    summary = summarize(MONTH, by="provider", top=4)

    unicode = render_table(summary)
    ascii = render_table(summary, style=Style(glyphs=ASCII))

    assert ascii == unicode.replace(UNICODE.rule, ASCII.rule)
    assert ascii.isascii()


@pytest.mark.parametrize("width", [80, 44, 30, 12])
@pytest.mark.parametrize("by", ["endpoint", "date", "model"])
def test_ascii_tables_and_charts_fit_the_width_and_shorten_with_three_dots(width: int, by: str) -> None:
    summary = summarize(MONTH, by=by, top=5)  # type: ignore[arg-type]
    style = Style(glyphs=ASCII)

    for text in (
        render_table(summary, style=style, width=width),
        render_chart(summary, style=style, width=width),
    ):
        assert text.isascii()
        assert all(len(line) <= width for line in text.splitlines())


def test_an_ascii_bar_is_whole_cells_and_any_cost_above_zero_shows() -> None:
    assert bar(4.6, 10.0, 10, ASCII) == "#####"
    assert bar(10.0, 10.0, 10, ASCII) == "#" * 10
    assert bar(0.0001, 10.0, 10, ASCII) == "#"
    assert bar(0.0, 10.0, 10, ASCII) == ""


def test_shortening_with_three_dots_keeps_the_width_and_both_ends() -> None:
    shortened = shorten("meta-llama/llama-3.3-70b-instruct", 20, ASCII.ellipsis)

    assert shortened == "meta-llam...instruct"


def test_an_ascii_grid_has_a_dashed_rule() -> None:
    grid = render_grid([Column("model"), Column("cost", align="right")], [["a/b", "$1.0000"]], width=40,
                       style=Style(glyphs=ASCII))  # fmt: skip

    assert grid.lines[1] == "-----  -------"


def test_the_spinner_spins_in_ascii_on_a_terminal_that_cannot_write_braille() -> None:
    stream = Stream("ascii", terminal=True)

    with Spinner("fetching activity…", stream, delay=0.01, interval=0.01):
        deadline = time.monotonic() + 10
        while "fetching" not in stream.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)

    shown = stream.getvalue()
    assert "fetching activity..." in shown
    assert shown.isascii()
