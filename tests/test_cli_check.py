"""``openrouter-activity check``: the installed tool against a local API whose rows are dated
relative to today (UTC), since the API's window is the last 30 completed days.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import json
import math
import random
import re
from collections.abc import Iterator
from typing import Any

import pytest
from cli_support import (
    SECRET,
    Received,
    Run,
    api_server,
    error_body,
    item,
    refused_url,
    run_tool,
    scripted_server,
)

from openrouter_analytics.cli.commands import check as check_command
from openrouter_analytics.spend import CHECK_BY, DEFAULT_MIN_COST, check_spend

TODAY = dt.datetime.now(dt.UTC).date()
ANSI = re.compile(r"\x1b\[[0-9;]*m")
KEY_HASH = "3f2a" + "9e" * 30
WORKSPACE = "550e8400-e29b-41d4-a716-446655440000"
GPT = ("openai/gpt-4.1", "OpenAI")
CLAUDE = ("anthropic/claude-sonnet-4", "Anthropic")
GEMINI = ("google/gemini-2.5-flash", "Google AI Studio")


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


YESTERDAY = ago(1)


def row(days_ago: int, usage: float, model: tuple[str, str] = GPT, **fields: Any) -> dict[str, Any]:
    slug, provider = model
    return item(
        date=ago(days_ago),
        usage=usage,
        model=slug,
        model_permaslug=f"{slug}-2025",
        provider_name=provider,
        requests=1,
        **fields,
    )


def steady(usage: float, days: range, model: tuple[str, str] = GPT) -> list[dict[str, Any]]:
    return [row(n, usage, model) for n in days]


@contextlib.contextmanager
def serving(rows: list[dict[str, Any]]) -> Iterator[tuple[str, list[Received]]]:
    with api_server({"GET /activity": (200, {"data": rows})}) as (url, received):
        yield url, received


def check(url: str, *args: str, key: str | None = SECRET, env: dict[str, str] | None = None) -> Run:
    """``openrouter-activity check ARGS`` against ``url``; the key must appear in no output."""
    run = run_tool("check", "--base-url", url, *args, key=key, env=env)
    assert SECRET not in run.stdout
    assert SECRET not in run.stderr
    return run


def lines(run: Run) -> list[str]:
    return run.stdout.splitlines()


def one_error(run: Run) -> str:
    (line,) = run.stderr.splitlines()
    assert line.startswith("openrouter-activity: error: ")
    return line


# what the defaults of the command are


def test_the_commands_defaults_are_the_librarys() -> None:
    defaults = inspect.signature(check_spend).parameters
    assert defaults["baseline_days"].default == check_command.DEFAULT_BASELINE_DAYS
    assert defaults["min_cost"].default is None  # not given: DEFAULT_MIN_COST, and allowed alone
    assert DEFAULT_MIN_COST == check_command.DEFAULT_MIN_COST
    assert defaults["by"].default == "total"
    assert check_command.BY_CHOICES == CHECK_BY


# --max-cost


@pytest.mark.slow
@pytest.mark.parametrize(("limit", "code"), [("10", 0), ("9.9999", 1)])
def test_a_day_at_max_cost_passes_and_a_day_over_it_fails(limit: str, code: int) -> None:
    rows = [row(1, 4.25), row(1, 5.75, CLAUDE), *steady(30.0, range(2, 9))]
    with serving(rows) as (url, received):
        run = check(url, "--max-cost", limit)

    assert run.code == code, run.stderr
    assert run.stderr == ""
    assert len(received) == 1
    if code == 0:
        assert lines(run) == [f"{YESTERDAY}: within limits, total $10.0000 (max cost $10.0000)"]
    else:
        assert lines(run) == [
            f"total on {YESTERDAY}: cost $10.0000 is over the max cost $9.9999",
            f"{YESTERDAY}: 1 limit breached, total $10.0000 (max cost $9.9999)",
        ]


# --max-increase


@pytest.mark.slow
@pytest.mark.parametrize(("cost", "code"), [(5.9999, 0), (6.0001, 1)])
def test_an_increase_just_under_the_factor_passes_and_just_over_it_fails(cost: float, code: int) -> None:
    # 2.00 a day in the 7 days before; the 100.00 eight days before lies outside the baseline.
    rows = [row(1, cost), *steady(2.0, range(2, 9)), row(9, 100.0)]
    with serving(rows) as (url, _):
        run = check(url, "--max-increase", "3")

    assert run.code == code, run.stderr
    summary = "1 limit breached" if code else "within limits"
    limits = "max increase 3 times the mean of the 7 days before, from $1.0000"
    assert lines(run)[-1] == f"{YESTERDAY}: {summary}, total ${cost:.4f} ({limits})"
    if code:
        assert lines(run)[0] == (
            f"total on {YESTERDAY}: cost $6.0001 is over 3 times its baseline $2.0000 a day, "
            "the mean of the 7 days before"
        )
    assert len(lines(run)) == 1 + code


@pytest.mark.slow
def test_baseline_days_decides_which_days_the_baseline_averages() -> None:
    rows = [row(1, 6.0001), *steady(2.0, range(2, 9)), row(9, 100.0)]
    with serving(rows) as (url, _):
        run = check(url, "--max-increase", "3", "--baseline-days", "8", "--format", "json")

    assert run.code == 0, run.stderr
    (group,) = json.loads(run.stdout)["checks"]
    assert abs(group["baseline"] - (7 * 2.0 + 100.0) / 8) <= 1e-9


@pytest.mark.slow
@pytest.mark.parametrize(("min_cost", "code"), [(None, 0), ("0.25", 1)])
def test_min_cost_keeps_a_small_jump_from_paging(min_cost: str | None, code: int) -> None:
    rows = [row(1, 0.5), *steady(0.01, range(2, 9))]  # 50 times the baseline, but 50 cents
    with serving(rows) as (url, _):
        run = check(url, "--max-increase", "3", *(["--min-cost", min_cost] if min_cost else []))

    assert run.code == code, run.stderr
    assert len(lines(run)) == 1 + code
    assert lines(run)[-1].endswith(f"from ${float(min_cost or 1):.4f})")


@pytest.mark.slow
def test_spending_after_a_zero_baseline_is_a_breach() -> None:
    with serving([row(1, 1.5), row(12, 40.0)]) as (url, _):
        run = check(url, "--max-increase", "3")

    assert run.code == 1, run.stderr
    assert lines(run)[0] == (
        f"total on {YESTERDAY}: cost $1.5000 is over 3 times its baseline $0.0000 a day, "
        "the mean of the 7 days before (new spending)"
    )


@pytest.mark.slow
def test_by_model_catches_one_model_while_the_total_is_within_limits() -> None:
    rows = [
        row(1, 5.0),
        *steady(5.0, range(2, 9)),
        row(1, 2.0, CLAUDE),  # four times its 0.50 a day
        *steady(0.5, range(2, 9), CLAUDE),
        row(3, 0.2, GEMINI),  # stopped two days ago: a group within limits
    ]
    with serving(rows) as (url, _):
        total = check(url, "--max-increase", "3")
        by_model = check(url, "--max-increase", "3", "--by", "model")
        by_provider = check(url, "--max-increase", "3", "--by", "provider")

    assert total.code == 0, total.stderr
    assert lines(total) == [
        f"{YESTERDAY}: within limits, total $7.0000 "
        "(max increase 3 times the mean of the 7 days before, from $1.0000)"
    ]
    assert by_model.code == 1, by_model.stderr
    assert lines(by_model)[0] == (
        f"anthropic/claude-sonnet-4 on {YESTERDAY}: cost $2.0000 is over 3 times its baseline $0.5000 "
        "a day, the mean of the 7 days before"
    )
    assert lines(by_model)[1].startswith(f"{YESTERDAY}: 1 limit breached by 1 of 3 models (")
    assert len(lines(by_model)) == 2
    assert by_provider.code == 1
    assert lines(by_provider)[0].startswith(f"Anthropic on {YESTERDAY}: cost $2.0000 is over 3 times")
    assert lines(by_provider)[1].startswith(f"{YESTERDAY}: 1 limit breached by 1 of 3 providers (")


@pytest.mark.slow
def test_both_limits_breached_give_a_line_each_dearest_group_first() -> None:
    rows = [row(1, 80.0), *steady(10.0, range(2, 9)), row(1, 60.0, CLAUDE), row(1, 0.9, GEMINI)]
    with serving(rows) as (url, _):
        run = check(url, "--max-cost", "50", "--max-increase", "3", "--by", "model")

    assert run.code == 1
    assert [line.split(" on ")[0] for line in lines(run)[:-1]] == [GPT[0], GPT[0], CLAUDE[0], CLAUDE[0]]
    assert "max cost $50.0000" in lines(run)[0]
    assert "3 times its baseline $10.0000" in lines(run)[1]
    assert "(new spending)" in lines(run)[3]
    assert lines(run)[-1].startswith(f"{YESTERDAY}: 4 limits breached by 2 of 3 models (max cost $50.0000; ")


# --format json


def month(seed: int) -> list[dict[str, Any]]:
    """Thirty days of rows of three models with awkward costs; some days have none."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    rows = []
    for days_ago in range(1, 31):
        for model in (GPT, CLAUDE, GEMINI):
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                rows.append(row(days_ago, rng.uniform(0, 40) * rng.choice([1e-3, 0.1, 1.0]), model))
    rows.append(row(4, 0.0, ("mistralai/free-model", "Mistral")))  # rows, but no cost
    rng.shuffle(rows)
    return rows


def expected_checks(
    rows: list[dict[str, Any]], day: str, baseline_days: int, key: str
) -> dict[str, tuple[float, float]]:
    """Cost on ``day`` and mean daily cost of the days before, per ``key``, computed here."""
    first = (dt.date.fromisoformat(day) - dt.timedelta(days=baseline_days)).isoformat()
    groups = {r[key] for r in rows if first <= r["date"] <= day}
    return {
        group: (
            math.fsum(r["usage"] for r in rows if r[key] == group and r["date"] == day),
            math.fsum(r["usage"] for r in rows if r[key] == group and first <= r["date"] < day)
            / baseline_days,
        )
        for group in groups
    }


@pytest.mark.slow
@pytest.mark.parametrize("seed", [7, 2024])
def test_the_json_document_matches_sums_computed_here(seed: int) -> None:
    rows = month(seed)
    day, baseline_days, max_increase, min_cost = ago(3), 5, 1.5, 0.5
    expected = expected_checks(rows, day, baseline_days, "model")
    max_cost = sorted(cost for cost, _ in expected.values())[-2] + 1e-6  # the dearest breaches it
    with serving(rows) as (url, _):
        run = check(
            url,
            *("--format", "json", "--by", "model", "--day", day, "--baseline-days", str(baseline_days)),
            *("--max-cost", repr(max_cost), "--max-increase", str(max_increase), "--min-cost", str(min_cost)),
        )
        total = check(url, "--format", "json", "--day", day, "--max-cost", "1e9")

    assert len(lines(run)) == 1
    document = json.loads(run.stdout)
    assert (document["day"], document["by"]) == (day, "model")
    checks = {c["group"]: c for c in document["checks"]}
    assert set(checks) == set(expected)
    assert "mistralai/free-model" in checks  # a group with rows but no cost is listed
    breached = []
    for group, (cost, baseline) in expected.items():
        got = checks[group]
        assert abs(got["cost"] - cost) <= 1e-9
        assert abs(got["baseline"] - baseline) <= 1e-9
        assert (got["max_cost"], got["max_increase"]) == (max_cost, max_increase)
        breaches = ["max_cost"] if cost > max_cost else []
        breaches += ["max_increase"] if cost >= min_cost and cost > max_increase * baseline else []
        assert got["breaches"] == breaches
        breached += breaches
    assert "max_cost" in breached
    assert document["ok"] is False
    assert run.code == 1
    assert [c["cost"] for c in document["checks"]] == sorted(
        (c["cost"] for c in document["checks"]), reverse=True
    )

    assert total.code == 0, total.stderr
    (whole,) = json.loads(total.stdout)["checks"]
    assert whole["group"] == "total"
    assert abs(whole["cost"] - math.fsum(r["usage"] for r in rows if r["date"] == day)) <= 1e-9


# exit 2: refused before anything is sent


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([], ["give --max-cost, --max-increase or both", "e.g. --max-cost 50.0 or --max-increase 3.0"]),
        (["--max-cost", "5", "--day", "2025-13-01"], ["argument --day: '2025-13-01' is not a date"]),
        (["--max-cost", "5", "--day", ago(0)], [f"--day {ago(0)} is not a completed UTC day"]),
        (["--max-cost", "5", "--day", ago(-2)], [f"--day {ago(-2)} is not a completed UTC day"]),
        (["--max-cost", "5", "--day", ago(31)], [f"--day {ago(31)} is older than the 30 completed days"]),
        (["--max-cost", "-1"], ["--max-cost must be a finite number >= 0"]),
        (["--max-cost", "fifty"], ["argument --max-cost: 'fifty' is not a number"]),
        (["--max-increase", "0"], ["--max-increase must be a finite number > 0"]),
        (["--max-increase", "2", "--min-cost", "nan"], ["argument --min-cost: 'nan' is not a number"]),
        (
            ["--max-cost", "5", "--baseline-days", "30"],
            ["--baseline-days must be a whole number from 1 to 29"],
        ),
        (
            ["--max-increase", "2", "--day", ago(25), "--baseline-days", "10"],
            ["--baseline-days=10:", "pass --baseline-days 5 or fewer"],
        ),
        (
            ["--max-increase", "2", "--day", ago(25)],
            ["--baseline-days (by default 7): the 7 days before", "pass --baseline-days 5 or fewer"],
        ),
        (
            ["--max-increase", "2", "--day", ago(30)],
            [f"--day {ago(30)} is the oldest day", "--max-increase has"],
        ),
        (["--max-cost", "5", "--by", "day"], ["argument --by: invalid choice: 'day'"]),
        (
            ["--max-increase", "2", "--date", ago(2)],
            [f"--date {ago(2)} fetches that day alone, but --max-increase"],
        ),
        (["--max-cost", "2", "--date", ago(2), "--day", ago(3)], [f"so --day {ago(3)} cannot be checked"]),
        (["--max-cost", "2", "--date", ago(0)], [f"--date {ago(0)} is not a completed UTC day"]),
        (["--max-cost", "2", "--date", ago(31)], [f"--date {ago(31)} is older than the 30 completed days"]),
        (
            ["--max-cost", "1", "--min-cost", "5"],
            ["--min-cost 5 has no effect without --max-increase", "leave out --min-cost"],
        ),
        (["--min-cost", "5"], ["give --max-cost, --max-increase or both"]),
    ],
)
def test_bad_limits_and_days_exit_2_naming_the_flag_before_any_request(
    args: list[str], words: list[str]
) -> None:
    with serving([row(1, 1.0)]) as (url, received):
        run = check(url, *args, key=None)  # refused before the key is even looked for

    assert run.code == 2, run.stderr
    line = one_error(run)
    for word in words:
        assert word in line
    assert not re.search(r"\b(max_cost|max_increase|min_cost|baseline_days)\b", line)
    assert run.stdout == ""
    assert received == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "untyped"),
    [
        (["--max-cost", "2", "--date", ago(0)], "--day"),
        (["--max-cost", "2", "--date", ago(31)], "--day"),
        (["--max-increase", "2", "--day", ago(25)], "--baseline-days=7"),
    ],
)
def test_errors_name_only_what_was_typed(args: list[str], untyped: str) -> None:
    with serving([row(1, 1.0)]) as (url, received):
        run = check(url, *args, key=None)

    assert run.code == 2
    assert untyped not in one_error(run)
    assert received == []


# exits 3 and 5, and what is sent


@pytest.mark.slow
def test_a_401_exits_3() -> None:
    with scripted_server(401, error_body(401, "User not found.")) as url:
        run = check(url, "--max-cost", "5")

    assert run.code == 3
    assert "401" in one_error(run)
    assert run.stdout == ""


@pytest.mark.slow
def test_a_refused_connection_exits_5() -> None:
    with refused_url() as url:
        run = check(url, "--max-cost", "5", "--max-retries", "0")

    assert run.code == 5, run.stderr
    assert "check the network or --base-url" in one_error(run)


@pytest.mark.slow
def test_a_name_that_cannot_resolve_exits_5() -> None:
    run = check("https://openrouter-activity-check.invalid/api/v1", "--max-cost", "5", "--max-retries", "0")

    assert run.code == 5, run.stderr
    assert run.stdout == ""


@pytest.mark.slow
def test_the_api_filters_arrive_as_query_parameters() -> None:
    with serving([row(2, 3.0)]) as (url, received):
        run = check(
            url,
            *("--max-cost", "2", "--date", ago(2), "--format", "json"),
            *("--api-key-hash", KEY_HASH, "--user-id", "user_42", "--workspace-id", WORKSPACE),
        )

    assert run.code == 1, run.stderr
    (request,) = received
    assert request.path == "/activity"
    assert request.query == {
        "date": ago(2),
        "api_key_hash": KEY_HASH,
        "user_id": "user_42",
        "workspace_id": WORKSPACE,
    }
    assert request.headers["authorization"] == f"Bearer {SECRET}"
    assert json.loads(run.stdout)["day"] == ago(2)  # without --day, the day of --date


@pytest.mark.slow
def test_no_filter_is_sent_unless_given() -> None:
    with serving([row(1, 1.0)]) as (url, received):
        run = check(url, "--max-cost", "2", "--by", "model")

    assert run.code == 0
    assert lines(run) == [f"{YESTERDAY}: within limits, 1 model checked (max cost $2.0000)"]
    assert received[0].query == {}


# A day without rows: a quiet day, or nothing to check


def note(run: Run) -> str:
    (line,) = run.stderr.splitlines()
    assert line.startswith("openrouter-activity: note: ")
    return line.removeprefix("openrouter-activity: note: ")


@pytest.mark.slow
def test_a_quiet_day_passes_with_a_note_naming_the_filters() -> None:
    with serving(steady(2.0, range(2, 8))) as (url, received):
        run = check(url, "--max-cost", "5", "--user-id", "user_42")

    assert run.code == 0, run.stderr
    assert lines(run) == [f"{YESTERDAY}: within limits, total $0.0000 (max cost $5.0000)"]
    assert note(run) == (
        f"no activity on {YESTERDAY} (filters sent: --user-id user_42); the report has 6 rows on "
        "other days: a quiet day passes; --require-activity would fail it"
    )
    assert received[0].query == {"user_id": "user_42"}


@pytest.mark.slow
def test_require_activity_fails_a_quiet_day_and_only_that() -> None:
    with serving(steady(2.0, range(2, 8))) as (url, _):
        quiet = check(url, "--max-cost", "5", "--require-activity")
        quiet_json = check(url, "--max-cost", "5", "--require-activity", "--format", "json")
    with serving([row(1, 0.0), *steady(2.0, range(2, 8))]) as (url, _):
        busy = check(url, "--max-cost", "5", "--require-activity")

    assert quiet.code == 1
    assert lines(quiet) == [
        f"{YESTERDAY}: no activity on the day, which --require-activity refuses (max cost $5.0000)"
    ]
    assert note(quiet).endswith("the report has 6 rows on other days: --require-activity fails the check")
    document = json.loads(quiet_json.stdout)
    assert quiet_json.code == 1
    assert (document["ok"], document["require_activity"], document["rows"], document["window_rows"]) == (
        False,
        True,
        0,
        6,
    )
    assert busy.code == 0, busy.stderr
    assert busy.stderr == ""
    assert lines(busy) == [f"{YESTERDAY}: within limits, total $0.0000 (max cost $5.0000)"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "sent"),
    [
        (["--api-key-hash", KEY_HASH], f"filters sent: --api-key-hash {KEY_HASH}"),
        (["--user-id", "nobody", "--by", "model"], "filters sent: --user-id nobody"),
        (["--workspace-id", WORKSPACE, "--max-increase", "2"], f"filters sent: --workspace-id {WORKSPACE}"),
    ],
)
def test_filters_that_match_nothing_fail_with_a_note_naming_them(args: list[str], sent: str) -> None:
    with serving([]) as (url, _):
        run = check(url, "--max-cost", "100", *args)

    assert run.code == 1, run.stderr
    (line,) = lines(run)
    assert line.startswith(f"{YESTERDAY}: not checked, no activity from {ago(30)} to {YESTERDAY} (")
    assert note(run) == (
        f"the API returned no rows ({sent}), so there was nothing to check; a mistyped filter matches "
        "nothing: the check fails"
    )


@pytest.mark.slow
def test_an_empty_answer_fails_with_or_without_require_activity() -> None:
    with serving([]) as (url, _):
        run = check(url, "--max-cost", "1", "--max-increase", "2", "--by", "model", "--format", "json")

    assert run.code == 1, run.stderr
    document = json.loads(run.stdout)
    assert {key: document[key] for key in ("ok", "by", "checks")} == {
        "ok": False,
        "by": "model",
        "checks": [],
    }
    assert (document["rows"], document["baseline_rows"], document["window_rows"]) == (0, 0, 0)
    assert note(run) == (
        "the API returned no rows (no filters sent), so there was nothing to check: the check fails"
    )
    with serving([]) as (url, _):
        required = check(url, "--max-cost", "1", "--require-activity", "--format", "json")
    assert required.code == 1
    assert json.loads(required.stdout)["ok"] is False
    assert note(required).endswith("nothing to check: the check fails")


@pytest.mark.slow
def test_a_report_whose_rows_all_lie_outside_the_30_days_says_so() -> None:
    stale = [row(days_ago, 10.0) for days_ago in range(35, 70)]
    with serving(stale) as (url, _):
        run = check(url, "--max-cost", "100", "--by", "model")

    assert run.code == 1, run.stderr
    assert lines(run) == [
        f"{YESTERDAY}: not checked, no activity from {ago(30)} to {YESTERDAY} (max cost $100.0000)"
    ]
    assert note(run) == (
        f"none of the report's 35 rows, dated {ago(69)} to {ago(35)}, falls in the 30 completed days "
        f"the API returns, {ago(30)} to {YESTERDAY} (no filters sent), so there was nothing to check: "
        "the check fails"
    )


@pytest.mark.slow
def test_a_date_without_rows_fails_and_points_at_the_other_days() -> None:
    with serving([]) as (url, _):
        run = check(url, "--max-cost", "5", "--date", ago(4), "--api-key-hash", KEY_HASH)

    assert run.code == 1, run.stderr
    assert lines(run) == [f"{ago(4)}: not checked, no activity on the day (max cost $5.0000)"]
    assert note(run) == (
        f"the API returned no rows (filters sent: --date {ago(4)}, --api-key-hash {KEY_HASH}), so there "
        "was nothing to check; a mistyped filter matches nothing; without --date, the other days show "
        "whether the filters match anything: the check fails"
    )


@pytest.mark.slow
def test_the_json_document_counts_the_rows_it_judged() -> None:
    rows = [row(1, 1.0), row(1, 2.0, CLAUDE), *steady(1.0, range(2, 5)), row(20, 1.0), row(45, 1.0)]
    with serving(rows) as (url, _):
        run = check(url, "--max-cost", "5", "--baseline-days", "3", "--format", "json")

    assert run.code == 0, run.stderr
    assert run.stderr == ""
    document = json.loads(run.stdout)
    assert {"day", "ok", "by", "checks"} <= set(document)
    assert (document["rows"], document["baseline_rows"], document["window_rows"]) == (2, 3, 6)
    assert document["require_activity"] is False


@pytest.mark.slow
def test_the_key_stays_out_of_a_verbose_run_with_breaches() -> None:
    with serving([row(1, 9.0)]) as (url, _):
        run = check(url, "--max-cost", "5", "--verbose")

    assert run.code == 1
    assert "GET http://127.0.0.1" in run.stderr  # check() asserts the key is in neither stream


# colour


@pytest.mark.slow
def test_breach_lines_are_red_and_bold_only_when_colour_is_on() -> None:
    with serving([row(1, 9.0)]) as (url, _):
        always = check(url, "--max-cost", "5", "--color", "always")
        never = check(url, "--max-cost", "5", "--color", "never")
        no_color = check(url, "--max-cost", "5", "--color", "always", env={"NO_COLOR": "1"})
        piped = check(url, "--max-cost", "5")

    breach, summary = lines(always)
    assert breach.startswith("\x1b[1;31mtotal on ")
    assert breach.endswith("\x1b[0m")
    assert not ANSI.search(summary)
    for plain in (never, no_color, piped):
        assert plain.stdout == ANSI.sub("", always.stdout)
        assert plain.code == 1


@pytest.mark.slow
def test_help_lists_the_options_and_exit_1() -> None:
    run = run_tool("check", "--help", key=None, env={"COLUMNS": "80"})

    assert run.code == 0
    text = " ".join(run.stdout.split())
    for flag in ("--day", "--max-cost", "--max-increase", "--baseline-days", "--min-cost", "--by", "--date"):
        assert f"{flag} " in text
    assert "(default: 7)" in text
    assert "(default: 1.00)" in text
    assert "1 check: a limit was breached, or no activity to check" in text
    assert "--require-activity " in text
    assert "one of the last 30 completed UTC days" in text
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", run.stdout)  # an example day would soon fall out
    assert max(len(line) for line in run.stdout.splitlines()) <= 80
