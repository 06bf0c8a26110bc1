"""The renderers behind the command line: table, CSV, JSON, JSON Lines, chart and spinner."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_support import item, table_parts
from demo_server import activity_rows, month_of_activity
from hypothesis import given
from hypothesis import strategies as st

from openrouter_analytics.cli.chart import FULL, PARTIALS, bar, render_chart
from openrouter_analytics.cli.columns import RECORD_FIELDS
from openrouter_analytics.cli.files import render_csv, render_json, render_jsonl
from openrouter_analytics.cli.spinner import Spinner
from openrouter_analytics.cli.table import render_table
from openrouter_analytics.cli.text import Style, compact_count, count, money, shorten
from openrouter_analytics.summary import Summary, summarize
from openrouter_analytics_client.models import ActivityItem

ANSI = re.compile(r"\x1b\[[0-9;]*m")
MONTH = [ActivityItem.from_dict(row) for row in activity_rows(month_of_activity())]
GROUPINGS = ["date", "model", "provider", "endpoint", "none"]


def summary_of(*rows: dict[str, object], **options: object) -> Summary:
    return summarize([ActivityItem.from_dict(item(**row)) for row in rows], **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "text"),
    [(12.3456, "$12.3456"), (0.00004, "$0.0000"), (1234567.891, "$1,234,567.8910"), (-2.5, "-$2.5000")],
)
def test_money_is_dollars_to_four_decimals_with_separators(value: float, text: str) -> None:
    assert money(value) == text


def test_counts_have_thousands_separators() -> None:
    assert count(1234567) == "1,234,567"


@pytest.mark.parametrize(
    ("value", "text"), [(999, "999"), (1_234, "1.2k"), (12_345_678, "12.3M"), (526_000_000, "526M")]
)
def test_compact_counts_keep_about_three_figures(value: int, text: str) -> None:
    assert compact_count(value) == text


def test_shorten_cuts_in_the_middle_keeping_both_ends() -> None:
    shortened = shorten("meta-llama/llama-3.3-70b-instruct", 20)

    assert len(shortened) == 20
    assert shortened.startswith("meta-llama")
    assert shortened.endswith("instruct")
    assert "…" in shortened


def test_shorten_leaves_short_text_alone() -> None:
    assert shorten("openai/gpt-4.1", 20) == "openai/gpt-4.1"


@pytest.mark.parametrize("by", GROUPINGS)
def test_table_of_the_demo_month_fits_80_columns(by: str) -> None:
    table = render_table(summarize(MONTH, by=by))  # type: ignore[arg-type]

    assert max(len(line) for line in table.splitlines()) <= 80


def test_table_of_huge_numbers_and_long_names_still_fits_80_columns() -> None:
    summary = summary_of(
        {
            "model": "vendor/an-extraordinarily-long-model-name-that-goes-on-and-on-2025-01-01",
            "usage": 98765432.123456,
            "byok_usage_inference": 1234567.5,
            "requests": 9_876_543_210,
            "prompt_tokens": 987_654_321_098,
            "completion_tokens": 87_654_321_098,
            "reasoning_tokens": 7_654_321_098,
        }
    )

    table = render_table(summary)

    assert max(len(line) for line in table.splitlines()) <= 80
    assert "$98,765,432.1235" in table


def test_a_model_name_too_long_for_a_row_is_never_shortened_the_rows_become_records() -> None:
    long_name = "vendor/" + "x" * 60 + "-instruct"
    notes: list[str] = []

    table = render_table(summary_of({"model": long_name, "usage": 1.0}), note=notes.append)

    assert long_name in table
    assert "…" not in table
    assert table.splitlines()[3:5] == ["model", "  " + long_name]  # too long to sit beside "completion"
    assert all(len(line) <= 80 for line in table.splitlines())
    table_width = len(long_name) + 1 + len("$1.0000")
    assert notes == [
        "80 columns are too narrow for the table, so each row is a record, one field per line; "
        f"{table_width} columns show the table"
    ]


def test_table_shows_money_counts_and_a_totals_row() -> None:
    table = render_table(
        summary_of(
            {"model": "a/one", "usage": 10.5, "requests": 1200, "prompt_tokens": 1_500_000},
            {"model": "b/two", "usage": 1.25, "requests": 34, "prompt_tokens": 2_000},
        )
    )
    lines = table.splitlines()

    # columns: label, cost, BYOK, requests, prompt, ...
    assert lines[-1].split()[:5] == ["total", "$11.7500", "$0.0000", "1,234", "1,502,000"]
    assert any(line.split()[:4] == ["a/one", "$10.5000", "$0.0000", "1,200"] for line in lines)


def test_table_leaves_out_all_zero_byok_and_reasoning_only_when_short_of_room() -> None:
    roomy = render_table(summary_of({"usage": 1.0}), width=100)
    cramped = render_table(summary_of({"model": "v/" + "m" * 40, "usage": 1.0, "prompt_tokens": 10**11}))

    assert "BYOK" in roomy
    assert "BYOK" not in cramped


def test_table_shows_cached_tokens_last_and_their_share_of_prompt_tokens_under_the_totals() -> None:
    summary = summary_of(
        {"model": "a/one", "usage": 2.0, "prompt_tokens": 1_500_000, "cached_tokens": 600_000},
        {"model": "b/two", "usage": 1.0, "prompt_tokens": 500_000, "cached_tokens": 17_000},
    )

    table = render_table(summary, width=120)

    groups, total, under = table_parts(table)
    assert table.splitlines()[2].split()[-1] == "cached"
    assert [line.split()[-1] for line in groups] == ["600,000", "17,000"]
    assert total.split()[-1] == "617,000"
    assert (
        under
        == [f"cache: {617_000 / 2_000_000 * 100:.1f}% of prompt tokens"]
        == ["cache: 30.9% of prompt tokens"]
    )


def test_a_tight_table_writes_cached_tokens_compactly() -> None:
    summary = summary_of(
        {"model": "a/" + "x" * 30, "usage": 1.0, "prompt_tokens": 10**9, "cached_tokens": 12_345_678}
    )

    table = render_table(summary, width=80)

    assert table_parts(table)[1].split()[-1] == "12.3M"


def test_without_cached_tokens_there_is_no_cache_note_and_a_tight_table_leaves_the_column_out() -> None:
    roomy = render_table(summary_of({"usage": 1.0, "prompt_tokens": 10}), width=120)
    cramped = render_table(summary_of({"model": "v/" + "m" * 40, "usage": 1.0, "prompt_tokens": 10**11}))

    assert "cached" in roomy
    assert table_parts(roomy)[2] == []
    assert "cached" not in cramped
    assert table_parts(cramped)[2] == []


def test_the_cache_note_shows_a_share_above_100_percent_as_it_is() -> None:
    table = render_table(summary_of({"usage": 1.0, "prompt_tokens": 10, "cached_tokens": 12}), width=120)

    assert table_parts(table)[2] == ["cache: 120.0% of prompt tokens"]


def test_table_counts_what_top_left_out() -> None:
    summary = summarize(MONTH, by="model", top=2)

    assert "(5 others)" in render_table(summary)


def test_plain_style_adds_no_escape_codes_and_colour_adds_them() -> None:
    summary = summarize(MONTH)

    assert not ANSI.search(render_table(summary))
    coloured = render_table(summary, style=Style(enabled=True))
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured) == render_table(summary)


def test_csv_parses_back_to_the_same_numbers() -> None:
    summary = summarize(MONTH, by="endpoint")

    records = list(csv.DictReader(io.StringIO(render_csv(summary))))

    assert [r["key"] for r in records] == [row.key for row in summary.rows]
    assert [float(r["cost"]) for r in records] == [row.cost for row in summary.rows]
    assert [float(r["byok_cost"]) for r in records] == [row.byok_cost for row in summary.rows]
    assert [int(r["prompt_tokens"]) for r in records] == [row.prompt_tokens for row in summary.rows]


def test_json_parses_back_to_the_same_numbers_with_totals() -> None:
    summary = summarize(MONTH, by="provider", top=3)

    document = json.loads(render_json(summary))

    assert [r["cost"] for r in document["rows"]] == [row.cost for row in summary.rows]
    assert document["total"]["cost"] == summary.total.cost
    assert document["total"]["completion_tokens"] == summary.total.completion_tokens
    assert document["other"]["requests"] == summary.other.requests  # type: ignore[union-attr]
    assert (document["group_by"], document["other_groups"]) == ("provider", summary.other_groups)


def test_jsonl_is_one_object_per_row() -> None:
    summary = summarize(MONTH, by="model")

    lines = render_jsonl(summary).splitlines()

    assert [json.loads(line)["key"] for line in lines] == [row.key for row in summary.rows]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (10.0, FULL * 10),
        (5.0, FULL * 5),
        (0.125, PARTIALS[1]),
        (4.5, FULL * 4 + PARTIALS[4]),
        (0.0001, PARTIALS[1]),  # above zero always shows
        (0.0, ""),
    ],
)
def test_bars_are_drawn_to_the_nearest_eighth(value: float, expected: str) -> None:
    assert bar(value, 10.0, 10) == expected


def test_chart_per_day_has_one_bar_per_day_including_days_without_activity() -> None:
    summary = summary_of(
        {"date": "2025-08-01", "usage": 4.0},
        {"date": "2025-08-03", "usage": 2.0},
        by="date",
    )

    bars = render_chart(summary).splitlines()[3:]

    assert [line.split()[:2] for line in bars] == [
        ["2025-08-01", "Fri"],
        ["2025-08-02", "Sat"],
        ["2025-08-03", "Sun"],
    ]
    assert bars[1].split()[2] == "$0.0000"
    assert eighths(bars[0]) == 2 * eighths(bars[2])


def eighths(line: str) -> int:
    """The length of the bar in ``line``, in eighths of a cell."""
    partial = next((PARTIALS.index(char) for char in line if char in PARTIALS[1:]), 0)
    return line.count(FULL) * 8 + partial


def test_chart_scales_the_largest_bar_to_the_full_width() -> None:
    chart = render_chart(summarize(MONTH, by="date"))
    bars = chart.splitlines()[3:]

    assert len(bars) == 30
    assert all(len(line) <= 80 for line in chart.splitlines())
    longest = max(bars, key=lambda line: line.count(FULL))
    assert longest.split()[-1] == money(max(row.cost for row in summarize(MONTH, by="date").rows))


def test_spinner_stays_silent_off_a_terminal() -> None:
    stream = io.StringIO()

    with Spinner("working", stream, delay=0.0, interval=0.01):
        time.sleep(0.05)

    assert stream.getvalue() == ""


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_spinner_spins_on_a_terminal_after_the_delay_and_clears_its_line() -> None:
    stream = FakeTerminal()

    with Spinner("working", stream, delay=0.01, interval=0.01):
        deadline = time.monotonic() + 10
        while "working" not in stream.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)

    output = stream.getvalue()
    assert "working" in output
    assert output.endswith("\r\x1b[2K")


def test_spinner_stays_silent_on_a_dumb_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    stream = FakeTerminal()

    with Spinner("working", stream, delay=0.0, interval=0.01):
        time.sleep(0.05)

    assert stream.getvalue() == ""


def test_spinner_shows_nothing_when_the_work_ends_before_the_delay() -> None:
    stream = FakeTerminal()

    with Spinner("working", stream, delay=5.0):
        pass

    assert stream.getvalue() == ""


def test_chart_shows_what_top_left_out_as_a_last_line_without_a_bar() -> None:
    summary = summarize(MONTH, by="model", top=6)

    last = render_chart(summary).splitlines()[-1]

    assert last.startswith("(1 other) ")
    assert last.split()[-1] == money(summary.other.cost)  # type: ignore[union-attr]
    assert eighths(last) == 0


def test_chart_of_the_dearest_days_is_scaled_to_them_not_to_the_rest() -> None:
    summary = summarize(MONTH, by="date", top=3)
    per_day = summarize(MONTH, by="date", sort="cost").rows

    lines = render_chart(summary).splitlines()
    bars = lines[3:-1]

    assert [line.split()[0] for line in bars] == sorted(row.key for row in per_day[:3])
    assert max(eighths(line) for line in bars) >= 8 * 40  # the dearest day fills the width
    assert lines[-1].startswith("(27 others) ")


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "model": st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-./", min_size=1, max_size=90),
                "usage": st.floats(0, 1e9, allow_nan=False),
                "provider_name": st.sampled_from(["OpenAI", "Google AI Studio", "x" * 70]),
                "byok_usage_inference": st.floats(0, 1e6, allow_nan=False),
                "requests": st.integers(0, 10**10),
                "prompt_tokens": st.integers(0, 10**13),
                "completion_tokens": st.integers(0, 10**12),
                "reasoning_tokens": st.integers(0, 10**12),
            }
        ),
        max_size=8,
    ),
    st.sampled_from(GROUPINGS),
    st.one_of(st.none(), st.integers(1, 5)),
    st.integers(4, 320),
)
def test_no_line_of_any_table_or_chart_is_wider_than_the_screen(
    rows: list[dict[str, object]], by: str, top: int | None, width: int
) -> None:
    summary = summary_of(*rows, by=by, top=top)

    assert all(len(line) <= 80 for line in render_table(summary).splitlines())
    assert all(len(line) <= 80 for line in render_chart(summary).splitlines())
    for text in (render_table(summary, width=width), render_chart(summary, width=width)):
        assert all(len(line) <= width for line in text.splitlines())


def test_a_wide_screen_shows_long_labels_whole() -> None:
    summary = summarize(MONTH, by="endpoint")
    flash = "google/gemini-2.5-flash via Google AI Studio"

    assert flash in render_table(summary)  # 80 columns: never shortened
    for text in (render_table(summary, width=200), render_chart(summary, width=200)):
        assert flash in text
        assert max(len(line) for line in text.splitlines()) > 80


def test_a_caption_longer_than_the_screen_is_wrapped_not_cut() -> None:
    table = render_table(summarize(MONTH, by="endpoint"), width=40)

    assert table.splitlines()[:2] == ["OpenRouter activity, 2026-09-01 to", "2026-09-30: 12 endpoints"]


def test_chart_per_day_takes_dates_it_cannot_read_as_they_are() -> None:
    summary = summary_of({"date": "2025-08-01", "usage": 1.0}, {"date": "someday", "usage": 2.0}, by="date")

    bars = render_chart(summary).splitlines()[3:]

    assert [line.split()[0] for line in bars] == ["2025-08-01", "someday"]


@pytest.mark.parametrize("by", GROUPINGS)
def test_every_grouping_writes_the_same_columns_in_csv_jsonl_and_json(by: str) -> None:
    summary = summarize(MONTH, by=by, top=2)  # type: ignore[arg-type]

    header = next(csv.reader(io.StringIO(render_csv(summary))))
    lines = [json.loads(line) for line in render_jsonl(summary).splitlines()]
    document = json.loads(render_json(summary))

    assert tuple(header) == RECORD_FIELDS
    # A column the spec adds goes last, so the columns scripts read by position do not move.
    assert ",".join(header) == (
        "group_by,kind,key,label,cost,byok_cost,requests,prompt_tokens,completion_tokens,reasoning_tokens,"
        "cached_tokens"
    )
    assert all(tuple(line) == RECORD_FIELDS for line in lines)
    assert all(tuple(record) == RECORD_FIELDS for record in [*document["rows"], document["total"]])
    assert {line["group_by"] for line in lines} == {by}


@pytest.mark.parametrize("render", [render_csv, render_jsonl])
def test_csv_and_jsonl_keep_what_top_left_out_so_the_costs_add_up_to_the_total(
    render: Callable[[Summary], str],
) -> None:
    summary = summarize(MONTH, by="model", top=2)
    text = render(summary)
    if render is render_csv:
        records: list[dict[str, Any]] = list(csv.DictReader(io.StringIO(text)))
    else:
        records = [json.loads(line) for line in text.splitlines()]

    assert [r["kind"] for r in records] == ["group", "group", "other"]
    assert records[-1]["label"] == "(5 others)"
    assert records[-1]["key"] == summary.other.key == "other"  # type: ignore[union-attr]
    assert int(records[-1]["requests"]) == summary.other.requests  # type: ignore[union-attr]
    costs = [float(r["cost"]) for r in records]
    assert round(math.fsum(costs), 2) == round(summary.total.cost, 2)
    assert math.isclose(math.fsum(costs), summary.total.cost, rel_tol=1e-12)
    assert sum(int(r["prompt_tokens"]) for r in records) == summary.total.prompt_tokens


def test_json_labels_what_top_left_out_and_the_total() -> None:
    document = json.loads(render_json(summarize(MONTH, by="provider", top=3)))

    assert (document["other"]["kind"], document["other"]["label"]) == ("other", "(6 others)")
    assert (document["total"]["kind"], document["total"]["key"]) == ("total", "total")


def test_json_total_has_the_key_summarize_gives_it() -> None:
    summary = summarize(MONTH, by="model", top=2)

    document = json.loads(render_json(summary))

    assert document["total"]["key"] == summary.total.key
    assert document["other"]["key"] == summary.other.key  # type: ignore[union-attr]
    assert [row["key"] for row in document["rows"]] == [row.key for row in summary.rows]


def test_chart_per_workspace_shows_whole_workspace_ids_in_80_columns() -> None:
    workspace = "d1f238ee-ab4d-5700-9c7d-a529c8b59353"
    summary = summary_of(
        {"usage": 2.0, "workspace_id": workspace}, {"usage": 1.0, "workspace_id": "w2"}, by="workspace"
    )

    chart = render_chart(summary)

    assert workspace in chart
    assert all(len(line) <= 80 for line in chart.splitlines())


WORKSPACES = [
    ("d1f238ee-ab4d-57f5-a17d-a529c8b59353", 700.0),
    ("f4e227e5-005e-59ad-856e-a95f255cdac1", 200.0),
    ("3893c277-2da7-53eb-a104-13e880fcdadb", 40.0),
]


def per_workspace(**options: object) -> Summary:
    rows = [
        {"workspace_id": workspace, "usage": cost, "requests": 10**6, "prompt_tokens": 10**9,
         "completion_tokens": 10**8, "reasoning_tokens": 10**7, "byok_usage_inference": 5.0}
        for workspace, cost in WORKSPACES
    ]  # fmt: skip
    return summary_of(*rows, by="workspace", **options)


def _headers(table: str) -> set[str]:
    """The words of a table's header line (the line above its first rule)."""
    lines = table.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("─"))
    return set(lines[rule - 1].split())


def test_table_per_workspace_shows_whole_ids_in_80_columns_naming_the_columns_left_out() -> None:
    notes: list[str] = []

    table = render_table(per_workspace(), note=notes.append)

    for workspace, _ in WORKSPACES:
        assert workspace in table
    assert all(len(line) <= 80 for line in table.splitlines())
    shown = _headers(table)
    assert "cost" in shown
    left_out = [name + (" (all zero)" if name == "cached" else "")  # the fixture has no cached tokens
                for name in ("BYOK", "requests", "prompt", "completion", "reasoning", "cached")
                if name not in shown and name[:5] + "." not in shown]  # fmt: skip
    assert left_out
    (note,) = notes
    needed = int(re.search(r"; (\d+) columns show", note).group(1))  # type: ignore[union-attr]
    assert note == (
        f"80 columns leave out {', '.join(left_out)}; {needed} columns show "
        f"{'it' if len(left_out) == 1 else 'them'}, as does --format csv, json or jsonl"
    )
    notes.clear()
    assert len(_headers(render_table(per_workspace(), width=needed, note=notes.append))) == 8
    assert notes == []
    render_table(per_workspace(), width=needed - 1, note=notes.append)
    assert len(notes) == 1


def test_table_too_narrow_for_whole_ids_shows_records_and_says_how_wide_a_table_needs() -> None:
    notes: list[str] = []

    table = render_table(per_workspace(), width=40, note=notes.append)

    assert all(len(line) <= 40 for line in table.splitlines())
    assert all(workspace in table for workspace, _ in WORKSPACES)
    needed = len(WORKSPACES[0][0]) + 1 + len("$700.0000")
    assert notes == [
        "40 columns are too narrow for the table, so each row is a record, one field per line; "
        f"{needed} columns show the table"
    ]
    notes.clear()
    wide = render_table(per_workspace(), width=needed, note=notes.append)
    assert all(workspace in wide for workspace, _ in WORKSPACES)
    assert "cost" in _headers(wide)
    assert not any("records" in note for note in notes)


def test_a_narrow_table_keeps_money_to_four_decimals_and_never_cuts_others_or_total() -> None:
    notes: list[str] = []
    summary = summarize(MONTH, by="model", top=3)

    lines = render_table(summary, width=20, note=notes.append).splitlines()

    assert all(len(line) <= 20 for line in lines)
    assert "  (4 others)" in lines
    assert "model       total" in lines  # fits beside the names
    assert "  " + money(summary.total.cost) in lines
    assert money(summary.total.cost) == "$1,029.7621"
    assert len(notes) == 1


def test_chart_per_workspace_keeps_whole_ids_before_bars() -> None:
    chart = render_chart(per_workspace(), width=50)

    assert all(workspace in chart for workspace, _ in WORKSPACES)
    assert all(len(line) <= 50 for line in chart.splitlines())
    assert FULL in chart


def test_a_chart_too_narrow_for_bars_lists_labels_and_amounts_and_says_so() -> None:
    notes: list[str] = []

    lines = render_chart(summarize(MONTH, by="model", top=3), width=10, note=notes.append).splitlines()

    assert all(len(line) <= 10 for line in lines)
    assert lines[-2:] == ["(4 others)", "$225.2274"]
    assert not any(FULL in line for line in lines)
    assert notes == ["10 columns are too narrow for bars: the chart needs 19"]


def test_a_chart_too_narrow_for_labels_beside_bars_puts_each_label_on_its_own_line() -> None:
    summary = summarize(MONTH, by="model")

    chart = render_chart(summary, width=40).splitlines()
    lines = chart[chart.index("") + 1 :]

    assert all(len(line) <= 40 for line in lines)
    assert lines[0::2] == [row.label for row in summary.rows]
    bars = zip(lines[1::2], summary.rows, strict=True)
    assert all(FULL in line and line.endswith(money(row.cost)) for line, row in bars)


@given(
    st.lists(
        st.tuples(st.sampled_from([w for w, _ in WORKSPACES] + ["x" * 50]), st.floats(0, 1e7)), min_size=1
    ),
    st.one_of(st.none(), st.integers(1, 3)),
    st.integers(4, 200),
)
def test_a_workspace_id_or_others_is_whole_or_the_table_says_so(
    rows: list[tuple[str, float]], top: int | None, width: int
) -> None:
    summary = summary_of(*({"workspace_id": w, "usage": cost} for w, cost in rows), by="workspace", top=top)
    notes: list[str] = []

    table = render_table(summary, width=width, note=notes.append)

    whole = [row.key for row in summary.rows if row.key != "x" * 50]
    if summary.other is not None:
        whole.append(f"({summary.other_groups} other")
    assert all(len(line) <= width for line in table.splitlines())
    assert all("".join(text.split()) in "".join(table.split()) for text in whole)


def _stage(table: str) -> str:
    """What a report table has given up, as the README names it, from nothing to everything."""
    if "── 1 of" in table:
        return "records"
    headers = _headers(table)
    if not {"prompt", "compl.", "reas."} <= headers and not {"prompt", "completion", "reasoning"} <= headers:
        return "columns left out from the right"
    if "123M" in table:
        return "token counts as 12.3M"
    return "all-zero columns left out" if "BYOK" not in headers else "everything"


def test_a_narrowing_report_gives_things_up_in_the_order_the_readme_says() -> None:
    summary = summary_of(
        {"model": "vendor/model-a", "usage": 1.5, "requests": 1234, "prompt_tokens": 123_456_789,
         "completion_tokens": 12_345_678, "reasoning_tokens": 1_234_567}
    )  # fmt: skip

    stages = [_stage(render_table(summary, width=width)) for width in range(150, 9, -1)]

    assert list(dict.fromkeys(stages)) == [
        "everything",
        "all-zero columns left out",
        "token counts as 12.3M",
        "columns left out from the right",
        "records",
    ]
    readme = " ".join((Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8").split())
    assert (
        "in this order: columns holding only zeros (cached, reasoning, BYOK) go first, then token counts "
        "become `12.3M` under short headers, the gaps narrow to one space, and columns are left out from the "
        "right, down to the cost" in readme
    )
