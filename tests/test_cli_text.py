"""Text from a server on a terminal: escaped, measured by display width, and never cut where it
names something a user types back. In-process, over every table and chart renderer.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from typing import Any

import pytest
import wcwidth
from cli_support import item
from hypothesis import given, settings
from hypothesis import strategies as st

from openrouter_analytics.cli import results
from openrouter_analytics.cli.chart import render_chart
from openrouter_analytics.cli.grid import Column, render_grid
from openrouter_analytics.cli.table import render_table
from openrouter_analytics.cli.text import (
    ASCII,
    Style,
    clip,
    pad,
    printable,
    shorten,
    split_to_width,
    width_of,
)
from openrouter_analytics.summary import summarize
from openrouter_analytics_client.models import ActivityItem

SGR = re.compile(r"\x1b\[[0-9;]*m")
# What must never reach a terminal raw: controls, format characters (bidi overrides), surrogates,
# private-use and unassigned code points, line and paragraph separators.
UNDRAWABLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def undrawable(text: str) -> list[str]:
    return [char for char in text if unicodedata.category(char) in UNDRAWABLE]


def assert_drawable(output: str, width: int, *, styled: bool = False) -> None:
    """Every line is printable (our own colour codes aside) and at most ``width`` cells wide."""
    for line in output.split("\n"):
        plain = SGR.sub("", line) if styled else line
        assert undrawable(plain) == [], repr(line)
        assert 0 <= wcwidth.wcswidth(plain) <= width, repr(line)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;owned\x07", "\\x1b]0;owned\\x07"),
        ("\x1b[2J", "\\x1b[2J"),
        ("a\rb\nc\td", "a\\rb\\nc\\td"),
        ("nul\x00", "nul\\x00"),
        ("\x9b31m", "\\x9b31m"),  # C1 CSI: a whole escape sequence in one character
        ("del\x7f", "del\\x7f"),
        ("admin\u202egnp.exe", "admin\\u202egnp.exe"),  # right-to-left override
        ("gpt\u200b-4.1", "gpt\\u200b-4.1"),  # zero-width space: two names alike
        ("tag\U000e0041", "tag\\U000e0041"),
        ("\ud800", "\\ud800"),  # a lone surrogate JSON can carry
        ("\u3164", "\\u3164"),  # a Hangul filler, drawn as a blank
    ],
)
def test_printable_writes_what_a_terminal_would_act_on_as_its_escape(raw: str, shown: str) -> None:
    assert printable(raw) == shown


@pytest.mark.parametrize(
    "text", ["openai/gpt-4.1", "Müller & Söhne", "東京チーム", "e\u0301", "👩🏽", "❤️", ""]
)
def test_printable_leaves_text_a_terminal_draws_alone(text: str) -> None:
    assert printable(text) == text


@given(st.text())
def test_printable_is_drawable_and_changes_nothing_the_second_time(text: str) -> None:
    once = printable(text)

    assert undrawable(once) == []
    assert printable(once) == once
    assert wcwidth.wcswidth(once) == width_of(once) >= 0


@pytest.mark.parametrize(
    ("text", "cells"), [("abc", 3), ("東京", 4), ("e\u0301", 1), ("\x1b", 4), ("👩🏽", 2), ("❤️", 2)]
)
def test_width_is_the_display_width(text: str, cells: int) -> None:
    assert width_of(text) == cells


def test_shortening_and_padding_go_by_display_width_and_keep_graphemes_whole() -> None:
    assert shorten("東京東京東京", 7) == "東…東京"
    assert shorten("e\u0301" * 10, 8) == "e\u0301" * 4 + "…" + "e\u0301" * 3
    assert clip("東京東京", 4) == "東…"
    assert pad("東", 4) == "東  "
    assert pad("e\u0301", 3, "right") == "  e\u0301"
    assert split_to_width("東京x", 3) == ["東", "京x"]
    assert split_to_width("東", 1) == ["\\", "u", "6", "7", "7", "1"]  # too wide for the line: escaped


server_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40) | st.sampled_from(
    [
        "\x1b]0;owned\x07",
        "\x1b[2J",
        "a\rb",
        "\x00",
        "\x9b",
        "東京チーム",
        "e\u0301\u0301",
        "👩‍👩‍👧",
        "\u202eabc",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(server_text, server_text, st.floats(0, 1e6)), min_size=1, max_size=5),
    st.sampled_from(["model", "provider", "endpoint", "date"]),
    st.integers(1, 200),
    st.booleans(),
)
def test_a_report_of_any_server_text_at_any_width_draws_only_printable_lines_that_fit(
    names: list[tuple[str, str, float]], by: Any, width: int, colour: bool
) -> None:
    rows = [
        ActivityItem.from_dict(item(model=model, date=model, provider_name=provider, usage=cost))
        for model, provider, cost in names
    ]
    summary = summarize(rows, by=by, top=3)
    style = Style(enabled=colour, glyphs=ASCII if width % 2 else Style().glyphs)
    notes: list[str] = []

    for output in (
        render_table(summary, width=width, style=style, note=notes.append),
        render_chart(summary, width=width, style=style, note=notes.append),
    ):
        assert_drawable(output.rstrip("\n"), width, styled=colour)
        flat = "".join(SGR.sub("", output).split())
        for row in summary.rows if width > 1 else ():  # every label whole, if perhaps wrapped
            assert "".join(printable(row.label).split()) in flat


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(server_text, server_text, server_text, st.integers(0, 10**9)), min_size=1, max_size=5),
    st.integers(1, 200),
    st.booleans(),
)
def test_query_results_of_any_server_text_at_any_width_draw_only_printable_lines_that_fit(
    values: list[tuple[str, str, str, int]], width: int, colour: bool
) -> None:
    rows: list[dict[str, Any]] = [
        {"user": user, "workspace": workspace, "request_count": count, "extra": extra}
        for user, workspace, extra, count in values
    ]
    columns = results.columns_of(rows, metrics=["request_count"], dimensions=["user", "workspace"])
    style = Style(enabled=colour)
    common: dict[str, Any] = {"formats": {"request_count": "number"}, "granularity": None, "width": width}
    table = results.render_table(
        rows, columns, metrics=["request_count"], dimensions=["user", "workspace"], caption="c\x1b[2J",
        style=style, note=lambda _: None, **common,
    )  # fmt: skip
    chart = results.render_chart(
        rows, metric="request_count", label_columns=["user", "workspace"], caption="c", title="t\r",
        style=style, **common,
    )  # fmt: skip

    for output in (table, chart):
        assert_drawable(output.rstrip("\n"), width, styled=colour)
    flat = "".join(SGR.sub("", table).split())
    for row in rows if width > 1 else ():  # dimensions tell rows apart: never cut (one cell: escaped)
        for name in ("user", "workspace"):
            assert "".join(printable(row[name] or "(none)").split()) in flat


@settings(max_examples=100, deadline=None)
@given(
    st.lists(server_text, min_size=1, max_size=4),
    st.lists(st.lists(server_text, min_size=4, max_size=4), max_size=4),
    st.integers(1, 120),
)
def test_a_grid_of_any_text_draws_only_printable_lines_that_fit(
    headers: list[str], rows: list[list[str]], width: int
) -> None:
    columns = [Column(header, keep=index == 0, shrink=index == 1) for index, header in enumerate(headers)]

    grid = render_grid(columns, [row[: len(columns)] for row in rows], width=width)

    assert_drawable("\n".join(grid.lines), width)


def test_machine_formats_keep_server_text_exactly_as_received() -> None:
    rows: list[dict[str, Any]] = [{"user": "\x1b]0;owned\x07\r\x00", "request_count": 1}]

    csv_text = results.render_csv(rows, ["user", "request_count"])
    jsonl = results.render_jsonl(rows)

    assert list(csv.reader(io.StringIO(csv_text, newline="")))[1] == [rows[0]["user"], "1"]
    assert json.loads(results.render_json({"data": rows}))["data"] == rows
    assert json.loads(jsonl)["user"] == rows[0]["user"]


def test_an_error_line_takes_the_key_out_before_it_is_capped_so_no_part_of_it_is_left() -> None:
    from openrouter_analytics.cli.main import _one_line

    secret = "sk-or-v1-" + "f" * 40
    message = "x" * 280 + secret + "\x1b[2J"

    line = _one_line(message, secret)

    assert "sk-or" not in line
    assert "\x1b" not in line
    assert width_of(line) <= 300


@pytest.mark.parametrize(("n", "text"), [(1, "1 model"), (3, "3 models"), (100_000, "100,000 models")])
def test_a_count_of_things_has_its_thousands_separated(n: int, text: str) -> None:
    from openrouter_analytics.cli.text import plural

    assert plural(n, "model") == text
