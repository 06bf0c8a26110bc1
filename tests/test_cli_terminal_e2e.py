"""What the installed tool draws on a terminal, end to end: a hostile local server's names and
messages arrive escaped on stdout and stderr, never raw, while CSV and JSON keep them exactly;
and against the demo's data at 40, 80 and 200 columns no identifier is cut, money keeps its four
decimals, and every column left out is named.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import re
import subprocess
import unicodedata
from collections.abc import Iterator

import pytest
import wcwidth
from cli_support import SECRET, TOOL, api_server, error_body, item, run_tool, scripted_server, tool_env
from demo_server import serve
from test_cli_query_e2e import META, answer

from openrouter_analytics.cli.text import money

pytestmark = pytest.mark.slow

TITLE = "\x1b]0;owned\x07"  # sets the terminal's title
CLEAR = "\x1b[2J"  # clears the screen
RAW = [TITLE, CLEAR, "\r", "\x00"]
YESTERDAY = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat()

HOSTILE_MODEL = f"evil/{TITLE}model\r"
HOSTILE_PROVIDER = f"{CLEAR}Prov\x00ider"
HOSTILE_WORKSPACE = f"ws-{CLEAR}\r\x9b31m"
HOSTILE_USER = f"{TITLE}mallory\u202egnp.exe"
HOSTILE_NAME = f"Prod{CLEAR}\rEvil\x00"
HOSTILE_WARNING = f"user {TITLE} not found\r{CLEAR}"
HOSTILE_ERROR = f"unknown field {TITLE}\r{CLEAR}\x00"

ACTIVITY = [
    item(date=YESTERDAY, model=HOSTILE_MODEL, model_permaslug=HOSTILE_MODEL, provider_name=HOSTILE_PROVIDER,
         usage=3.25, requests=7, workspace_id=HOSTILE_WORKSPACE),
    item(date=YESTERDAY, usage=1.5, requests=2, workspace_id=HOSTILE_WORKSPACE),
]  # fmt: skip
ROWS = [
    {"user": HOSTILE_USER, "workspace": HOSTILE_NAME, "total_usage": 3.25, "request_count": 7},
    {"user": "ops@acme.example", "workspace": "Default", "total_usage": 1.5, "request_count": 2},
]
HOSTILE_META = copy.deepcopy(META)
HOSTILE_META["data"]["dimensions"] += [
    {"name": "user", "display_label": f"User{CLEAR}"},
    {"name": "workspace", "display_label": "Workspace"},
]
HOSTILE_META["data"]["metrics"][0]["display_label"] = f"Spend{TITLE}"


def drawn_raw(text: str) -> list[str]:
    """Characters a terminal would act on or draw misleadingly, besides line ends."""
    return [c for c in text if c != "\n" and unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}]


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    routes = {
        "GET /activity": (200, {"data": ACTIVITY}),
        "GET /analytics/meta": (200, HOSTILE_META),
        "POST /analytics/query": (200, answer(ROWS, warnings=[HOSTILE_WARNING])),
    }
    with api_server(routes) as (url, _):
        yield url


QUERY = ["query", "--metrics", "total_usage,request_count", "--dimensions", "user,workspace"]
VIEWS = {
    "query": QUERY,
    "query-chart": [*QUERY, "--chart"],
    "report": ["report"],
    "report-provider": ["report", "--group-by", "provider"],
    "report-workspace": ["report", "--group-by", "workspace"],
    "report-chart": ["report", "--chart"],
    "report-endpoint-chart": ["report", "--group-by", "endpoint", "--chart"],
    "check": ["check", "--max-cost", "1", "--by", "model"],
    "meta": ["meta"],
}


SHOWN = [(name, view, "40") for name, view in VIEWS.items()] + [
    ("query", QUERY, "200"), ("report", ["report"], "200")
]  # fmt: skip


@pytest.mark.parametrize(
    ("view", "width"), [(v, w) for _, v, w in SHOWN], ids=[f"{n}-{w}" for n, _, w in SHOWN]
)
def test_names_from_a_hostile_server_are_drawn_escaped_never_raw(
    hostile: str, view: list[str], width: str
) -> None:
    run = run_tool(*view, "--base-url", hostile, env={"COLUMNS": width})

    assert run.code in (0, 1), run.stderr  # check exits 1: the hostile model breached $1
    assert drawn_raw(run.stdout) == []
    assert drawn_raw(run.stderr) == []
    if view[0] != "check":  # check writes sentences, which a terminal wraps
        assert all(wcwidth.wcswidth(line) <= int(width) for line in run.stdout.splitlines())
    flat = "".join(run.stdout.split())  # a long name may wrap, never lose a character
    if view[0] == "query":
        assert "\\x1b]0;owned\\x07mallory\\u202egnp.exe" in flat
        assert "the server says: user \\x1b]0;owned\\x07 not found\\r\\x1b[2J" in run.stderr
    elif view[0] == "meta":
        assert "User\\x1b[2J" in flat
    else:
        assert "\\x1b" in flat


def test_a_hostile_error_message_and_a_note_quoting_the_server_are_escaped_on_stderr(hostile: str) -> None:
    with scripted_server(400, error_body(400, HOSTILE_ERROR)) as url:
        refused = run_tool(*QUERY, "--base-url", url)
    with scripted_server(500, error_body(500, HOSTILE_ERROR)) as url:
        failed = run_tool("report", "--base-url", url, "--max-retries", "0")
    empty = run_tool("report", "--base-url", hostile, "--provider", "nothing-matches")

    assert (refused.code, failed.code, empty.code) == (2, 4, 0)
    for run in (refused, failed):
        assert drawn_raw(run.stderr) == []
        assert "unknown field \\x1b]0;owned\\x07\\r\\x1b[2J\\x00" in run.stderr  # str() escapes: one line
    assert drawn_raw(empty.stderr) == []
    assert "\\x1b[2JProv\\x00ider" in empty.stderr  # the note lists the providers the report has


@pytest.mark.parametrize("view", [["report", "--group-by", "model"], QUERY], ids=["report", "query"])
def test_csv_and_json_keep_hostile_names_exactly_as_received(hostile: str, view: list[str]) -> None:
    environment = tool_env(OPENROUTER_API_KEY=SECRET)
    # bytes, not text: text mode would read the "\r" inside a quoted value as a line end
    as_csv = subprocess.run([str(TOOL), *view, "--base-url", hostile, "--format", "csv"], capture_output=True,
                            env=environment, check=True, timeout=60)  # fmt: skip
    as_json = run_tool(*view, "--base-url", hostile, "--format", "json")

    records = list(csv.DictReader(io.StringIO(as_csv.stdout.decode(), newline="")))
    document = json.loads(as_json.stdout)
    if view[0] == "report":
        assert HOSTILE_MODEL in [record["key"] for record in records]
        assert HOSTILE_MODEL in [row["key"] for row in document["rows"]]
    else:
        assert [record["user"] for record in records] == [row["user"] for row in ROWS]
        assert [row["workspace"] for row in document["data"]["data"]] == [row["workspace"] for row in ROWS]


@pytest.fixture(scope="module")
def demo() -> Iterator[str]:
    with serve() as url:
        yield url


SEPTEMBER = ["--since", "2026-09-01", "--until", "2026-09-30"]
REPORTS = {"model": "model", "workspace": "workspace"}
QUERIES = {"permaslugs": "model", "members": "user,workspace"}
TABLE_HEADERS = ("cost", "BYOK", "requests", "prompt", "completion", "reasoning", "cached")
TIGHT = {"completion": "compl.", "reasoning": "reas."}


def left_out(stderr: str) -> list[str]:
    """The columns a note says a table left out."""
    found = re.search(r"columns leave out (.+?); \d+ columns show (?:it|them), as does ", stderr)
    return found.group(1).split(", ") if found else []


@pytest.mark.parametrize("width", [40, 80, 200])
@pytest.mark.parametrize("by", REPORTS.values(), ids=REPORTS.keys())
def test_a_report_at_any_width_cuts_no_label_or_money_and_names_what_it_leaves_out(
    demo: str, by: str, width: int
) -> None:
    document = json.loads(run_tool("--base-url", demo, "--group-by", by, "--format", "json").stdout)
    run = run_tool("--base-url", demo, "--group-by", by, env={"COLUMNS": str(width)})

    assert run.code == 0, run.stderr
    assert all(wcwidth.wcswidth(line) <= width for line in run.stdout.splitlines())
    unwrapped = run.stdout.replace("\n", "")
    assert "…" not in run.stdout
    for row in [*document["rows"], document["total"]]:
        assert row["label"] in unwrapped
        assert money(row["cost"]) in run.stdout
    records = "each row is a record" in run.stderr
    if not records:
        header = next(line for line in run.stdout.splitlines() if line.startswith(by))
        shown = set(header.split())
        missing = [name for name in TABLE_HEADERS if name not in shown and TIGHT.get(name) not in shown]
        assert missing == left_out(run.stderr)
    assert records == (width == 40)


@pytest.mark.parametrize("width", [40, 80, 200])
@pytest.mark.parametrize("dimensions", QUERIES.values(), ids=QUERIES.keys())
def test_a_query_at_any_width_cuts_no_dimension_value_or_money(
    demo: str, dimensions: str, width: int
) -> None:
    asked = ["query", "--base-url", demo, "--metrics", "total_usage,request_count,p50_latency",
             "--dimensions", dimensions, *SEPTEMBER]  # fmt: skip
    document = json.loads(run_tool(*asked, "--format", "json").stdout)
    run = run_tool(*asked, env={"COLUMNS": str(width)})

    assert run.code == 0, run.stderr
    assert all(wcwidth.wcswidth(line) <= width for line in run.stdout.splitlines())
    assert "…" not in run.stdout
    unwrapped = run.stdout.replace("\n", "")
    for row in document["data"]["data"]:
        for name in dimensions.split(","):
            assert (row[name] or "(none)") in unwrapped
        assert money(row["total_usage"]) in run.stdout
    for metric in ("request_count", "p50_latency"):
        in_table = metric.split("_")[0] in run.stdout
        assert in_table or metric in left_out(run.stderr)


@pytest.mark.parametrize("width", [40, 80, 200])
def test_meta_at_any_width_shows_every_name_whole(demo: str, width: int) -> None:
    document = json.loads(run_tool("meta", "--base-url", demo, "--format", "json").stdout)
    run = run_tool("meta", "--base-url", demo, env={"COLUMNS": str(width)})

    assert run.code == 0, run.stderr
    assert all(wcwidth.wcswidth(line) <= width for line in run.stdout.splitlines())
    first_words = {line.split()[0] for line in run.stdout.splitlines() if line.strip()}
    data = document["data"]
    for section in ("metrics", "dimensions", "operators", "granularities"):
        assert {entry["name"] for entry in data[section]} <= first_words
    assert ("format" in run.stdout) or "Metrics (21): 40 columns leave out format" in run.stderr


def test_a_report_names_the_columns_it_leaves_out_and_shows_them_at_the_width_it_names(demo: str) -> None:
    narrow = run_tool("--base-url", demo, "--group-by", "workspace", env={"COLUMNS": "80"})
    needed = int(re.search(r"(\d+) columns show them", narrow.stderr).group(1))  # type: ignore[union-attr]
    wide = run_tool("--base-url", demo, "--group-by", "workspace", env={"COLUMNS": str(needed)})
    short = run_tool("--base-url", demo, "--group-by", "workspace", env={"COLUMNS": str(needed - 1)})

    assert left_out(narrow.stderr) == ["reasoning", "cached"]  # 37.8M tokens were left out without a word
    assert narrow.stderr.endswith("columns show them, as does --format csv, json or jsonl\n")
    assert wide.stderr == ""
    assert {"reasoning", "reas."} & set(wide.stdout.splitlines()[2].split())
    assert "cached" in wide.stdout.splitlines()[2].split()
    assert left_out(short.stderr) != []


def test_chart_sorted_by_requests_draws_requests(demo: str) -> None:
    document = json.loads(run_tool("--base-url", demo, "--sort", "requests", "--format", "json").stdout)
    run = run_tool("--base-url", demo, "--chart", "--sort", "requests", env={"COLUMNS": "100"})

    lines = run.stdout.splitlines()
    assert lines[1] == f"Requests per model, total {document['total']['requests']:,}"
    bars = lines[3:]
    assert [line.split()[0] for line in bars] == [row["label"] for row in document["rows"]]
    assert [line.split()[-1] for line in bars] == [f"{row['requests']:,}" for row in document["rows"]]
    lengths = [len(line.split()[1]) if len(line.split()) == 3 else 0 for line in bars]
    assert lengths == sorted(lengths, reverse=True)  # bars in the order of what they draw


def test_query_chart_ordered_by_a_metric_draws_that_metric(demo: str) -> None:
    run = run_tool("query", "--base-url", demo, "--metrics", "total_usage,request_count", "--dimensions",
                   "provider", "--order-by", "request_count", "--chart", *SEPTEMBER)  # fmt: skip

    lines = run.stdout.splitlines()
    assert lines[1] == "request_count per provider"
    counts = [int(line.split()[-1].replace(",", "")) for line in lines[3:]]
    assert counts == sorted(counts, reverse=True)
    assert not any(line.split()[-1].startswith("$") for line in lines[3:])


def test_the_verbose_log_escapes_what_the_server_said() -> None:
    with scripted_server(500, error_body(500, HOSTILE_ERROR)) as url:
        run = run_tool("report", "--verbose", "--base-url", url, "--max-retries", "1")

    assert run.code == 4
    assert drawn_raw(run.stderr) == []
    retry = next(line for line in run.stderr.splitlines() if "Retrying" in line)
    assert retry.endswith("unknown field \\x1b]0;owned\\x07\\r\\x1b[2J\\x00")
