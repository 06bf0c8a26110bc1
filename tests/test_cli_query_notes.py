"""What ``query`` and ``meta`` say around the rows: a truncation note only when the server cut
what was not asked for, the dates of a query without dates, partial week and month buckets,
an empty --granularity, and ``meta --format json`` as received. Against the demo's data server."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import httpx
import pytest
from demo_server import serve

from openrouter_analytics.cli.main import main

KEY = "sk-or-v1-notes-00000000000000000000000000000000000000000000000000000000000000"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve() as base:
        yield base


def run(
    url: str, args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    monkeypatch.setenv("COLUMNS", "100")
    code = main([*args, "--base-url", url])
    out, err = capsys.readouterr()
    return code, out, err


MONTH = ["--since", "2026-09-01", "--until", "2026-09-30"]


def test_a_top_n_asked_with_limit_prints_no_truncation_note(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["query", "--metrics", "total_usage", "--dimensions", "model", *MONTH, "--order-by", "total_usage"]
    code, out, err = run(url, [*args, "--limit", "3", "--format", "json"], capsys, monkeypatch)

    assert code == 0
    answer = json.loads(out)
    assert answer["data"]["metadata"]["truncated"] is True  # the server did cut: to the 3 asked for
    assert len(answer["data"]["data"]) == 3
    assert "truncated" not in err
    code, _, err = run(url, [*args, "--limit", "3"], capsys, monkeypatch)
    assert (code, err) == (0, "")


def test_a_group_limit_asked_for_prints_no_truncation_note(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = [
        "query",
        "--metrics",
        "total_usage",
        "--dimensions",
        "provider,model",
        *MONTH,
        "--group-limit",
        "1",
    ]
    code, _, err = run(url, args, capsys, monkeypatch)

    assert code == 0
    assert "truncated" not in err


def test_a_cut_the_user_did_not_ask_for_is_still_noted(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 30 days of hours per model: more than the API's default of 1,000 rows.
    args = ["query", "--metrics", "request_count", "--dimensions", "model", "--granularity", "hour", *MONTH]
    code, _, err = run(url, [*args, "--format", "csv"], capsys, monkeypatch)

    assert code == 0
    assert "the result is truncated to 1,000 rows" in err
    code, _, err = run(url, [*args, "--format", "csv", "--limit", "2000"], capsys, monkeypatch)
    assert "the result is truncated to 2,000 rows" not in err  # the user's own --limit cut it


def test_a_query_without_dates_is_titled_with_its_dates(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(url, ["query", "--metrics", "request_count"], capsys, monkeypatch)

    now = dt.datetime.now(dt.UTC)
    first, today = (now - dt.timedelta(days=7)).date(), now.date()
    assert code == 0
    assert out.splitlines()[0].startswith(f"OpenRouter analytics, {first} to {today} (the last 7 days): ")


PARTIAL = [
    ("week", "2026-09-01", "2026-09-30", ["2026-08-31 (from 09-01)", "2026-09-07", "2026-09-28 (to 09-30)"]),
    ("week", "2026-09-07", "2026-09-20", ["2026-09-07", "2026-09-14"]),
    ("month", "2026-09-03", "2026-09-20", ["2026-09-01 (09-03 to 09-20)"]),
    ("month", "2026-09-01", "2026-09-30", ["2026-09-01"]),
]


@pytest.mark.parametrize("case", PARTIAL, ids=[f"{g} {a} {b}" for g, a, b, _ in PARTIAL])
def test_partial_buckets_are_labelled_with_the_days_they_cover(
    case: tuple[str, str, str, list[str]],
    url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    granularity, since, until, labels = case
    args = ["query", "--metrics", "total_usage", "--granularity", granularity]
    args += ["--since", since, "--until", until]
    code, out, _ = run(url, args, capsys, monkeypatch)
    _, chart, _ = run(url, [*args, "--chart"], capsys, monkeypatch)
    _, csv, _ = run(url, [*args, "--format", "csv"], capsys, monkeypatch)

    assert code == 0
    shown = [line.split("  ")[0] for line in out.splitlines() if line[:4] == "2026"]
    assert set(labels) <= set(shown)
    assert (shown[0], shown[-1]) == (labels[0], labels[-1])
    assert all("(" not in label for label in shown[1:-1])
    assert all(label in chart for label in labels)
    assert "(from" not in csv  # machine formats keep the raw bucket
    assert "(to" not in csv
    assert labels[0][:10] in csv


def test_an_empty_granularity_says_so_and_lists_the_choices(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(url, ["query", "--metrics", "request_count", "--granularity", ""], capsys, monkeypatch)

    assert code == 2
    assert "argument --granularity: the value is empty; use one of minute, hour, day, week, month" in err
    assert "leave the option out to keep everything" not in err


def test_meta_json_is_the_body_as_received(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = httpx.get(f"{url}/analytics/meta", headers={"Authorization": f"Bearer {KEY}"}).text
    code, out, _ = run(url, ["meta", "--format", "json"], capsys, monkeypatch)

    assert code == 0
    assert out == body + "\n"


def test_how_to_find_user_ids_is_in_the_help_and_the_readme(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    monkeypatch.setenv("COLUMNS", "80")
    helps = {}
    for command in ("report", "query", "check"):
        assert main([command, "--help"]) == 0
        helps[command] = " ".join(capsys.readouterr().out.split())
    readme = " ".join((Path(__file__).resolve().parent.parent / "README.md").read_text().split())

    listing = "query --metrics request_count --dimensions user"
    assert all(listing in text for text in helps.values())
    assert "--filter user eq user_..." in helps["query"]
    assert "--user-id take the member's user id (user_...)" in helps["query"]
    assert f"**Finding user ids.** `openrouter-activity {listing}`" in readme
