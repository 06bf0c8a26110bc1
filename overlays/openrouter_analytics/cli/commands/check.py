"""``openrouter-activity check``: one day's spend against limits, answered by the exit code.

The rule is :func:`openrouter_analytics.check_spend`'s alone; this module reads the options,
fetches the activity, and prints the verdict.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from openrouter_analytics.cli import options
from openrouter_analytics.cli.command import Command
from openrouter_analytics.cli.commands import report
from openrouter_analytics.cli.exits import EXIT_LIMIT_BREACHED, EXIT_OK, UsageError
from openrouter_analytics.cli.session import PROG, Session
from openrouter_analytics.cli.text import Style, money, plural

if TYPE_CHECKING:
    from openrouter_analytics.spend import Breach, GroupCheck, SpendCheck
    from openrouter_analytics_client.models import ActivityItem, ActivityResponse

# The defaults of check_spend(), written out so that --help can show them without importing it
# (tests compare them with its signature).
BY_CHOICES: Final = ("total", "model", "provider")
DEFAULT_BASELINE_DAYS: Final = 7
DEFAULT_MIN_COST: Final = 1.0

_DESCRIPTION: Final = """\
A yes or no on one UTC day's spend, for cron jobs, CI and monitoring: exit 1
when the day's cost (GET /activity, the report's cost column) is over
--max-cost, or over --max-increase times its baseline, the mean daily cost of
the --baseline-days days before it; exit 0 when it is within every limit.
--by model or --by provider applies the limits to each group on its own."""

_EXAMPLES: Final = f"""\
examples:
  {PROG} check --max-cost 50             yesterday (UTC) over $50?
  {PROG} check --max-increase 3 --by model
        a model spending over 3 times its daily mean of the week before
  {PROG} check --day 2025-08-24 --max-cost 20 --api-key-hash HASH
  {PROG} check --max-cost 50 --format json | jq .ok

Text output is a line per breach, then a summary line; when all is well, only
the summary. --format json is one document on one line: {{"day", "ok", "by",
"checks": [{{"group", "cost", "baseline", "max_cost", "max_increase",
"breaches"}}, ...]}}, every group checked, floats in full precision."""


def _number(text: str) -> float:
    """A number of the command line; check_spend() decides which numbers are limits."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number, e.g. 50 or 2.5") from None


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number, e.g. 7") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    limits = parser.add_argument_group("the day and its limits")
    limits.add_argument(
        "--day",
        type=options.date,
        metavar="YYYY-MM-DD",
        help="the UTC day checked, one of the last 30 completed (default: yesterday, or --date)",
    )
    limits.add_argument(
        "--max-cost", type=_number, metavar="USD", help="breached when the day costs more than USD"
    )
    limits.add_argument(
        "--max-increase",
        type=_number,
        metavar="FACTOR",
        help="breached when the day costs more than FACTOR times the baseline and at least --min-cost",
    )
    limits.add_argument(
        "--baseline-days",
        type=_integer,
        default=DEFAULT_BASELINE_DAYS,
        metavar="N",
        help="the baseline is the mean daily cost of the N days before the day, days without "
        f"activity counting 0; 1 to 29 (default: {DEFAULT_BASELINE_DAYS})",
    )
    limits.add_argument(
        "--min-cost",
        type=_number,
        default=DEFAULT_MIN_COST,
        metavar="USD",
        help=f"the least cost --max-increase flags, so pennies page nobody (default: {DEFAULT_MIN_COST:.2f})",
    )
    limits.add_argument(
        "--by",
        choices=BY_CHOICES,
        default="total",
        help="the day's total, or each model or provider on its own (default: total)",
    )
    report.add_api_filters(parser)
    output = parser.add_argument_group("output")
    output.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text: a line per breach and a summary; json: one document on one line (default: text)",
    )
    parser.set_defaults(today=None)


def _verdict(args: argparse.Namespace, rows: ActivityResponse | Iterable[ActivityItem]) -> SpendCheck:
    from openrouter_analytics.spend import check_spend

    return check_spend(
        rows,
        day=args.day if args.day is not None else args.date,
        max_cost=args.max_cost,
        max_increase=args.max_increase,
        baseline_days=args.baseline_days,
        min_cost=args.min_cost,
        by=args.by,
        today=args.today,
    )


def check(args: argparse.Namespace) -> None:
    if args.date is not None and args.day is not None and args.day != args.date:
        raise UsageError(
            f"--date {args.date} fetches that day alone, so --day {args.day} cannot be checked; "
            "leave out --date"
        )
    if args.date is not None and args.max_increase is not None:
        raise UsageError(
            f"--date {args.date} fetches that day alone, but --max-increase compares it with the "
            "days before; leave out --date"
        )
    # One reading of the clock for the run: the day refused or allowed now is the day checked.
    args.today = dt.datetime.now(dt.UTC).date()
    _verdict(args, ())  # refuses bad limits and days before the key is read


def hint(exc: BaseException, args: argparse.Namespace) -> str | None:
    from openrouter_analytics.errors import InvalidParameterError

    if isinstance(exc, InvalidParameterError):
        if exc.parameter == "day" and args.day is None and args.date is not None:
            return "without --day, the day checked is --date"
        return None
    return report.hint(exc, args)


def _factor(value: float) -> str:
    """``3``, ``2.5``, or every digit when fewer would round (``2.9999999``)."""
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


def _breach_line(check: GroupCheck, breach: Breach, day: str, baseline_days: int) -> str:
    head = f"{check.group} on {day}: cost {money(check.cost)}"
    if breach == "max_cost":
        assert check.max_cost is not None
        return f"{head} is over the max cost {money(check.max_cost)}"
    assert check.max_increase is not None
    new = " (new spending)" if check.baseline == 0 else ""
    return (
        f"{head} is over {_factor(check.max_increase)} times its baseline {money(check.baseline)} "
        f"a day, the mean of the {plural(baseline_days, 'day')} before{new}"
    )


def _limits(args: argparse.Namespace) -> str:
    limits = []
    if args.max_cost is not None:
        limits.append(f"max cost {money(args.max_cost)}")
    if args.max_increase is not None:
        limits.append(
            f"max increase {_factor(args.max_increase)} times the mean of the "
            f"{plural(args.baseline_days, 'day')} before, from {money(args.min_cost)}"
        )
    return "; ".join(limits)


def _summary_line(result: SpendCheck, args: argparse.Namespace) -> str:
    breaches = sum(len(check.breaches) for check in result.checks)
    if result.by == "total":
        (total,) = result.checks
        verdict = "within limits" if result.ok else f"{plural(breaches, 'limit')} breached"
        return f"{result.day}: {verdict}, total {money(total.cost)} ({_limits(args)})"
    groups = plural(len(result.checks), result.by)
    if result.ok:
        return f"{result.day}: within limits, {groups} checked ({_limits(args)})"
    over = sum(1 for check in result.checks if check.breaches)
    return f"{result.day}: {plural(breaches, 'limit')} breached by {over} of {groups} ({_limits(args)})"


def render_text(result: SpendCheck, args: argparse.Namespace, style: Style) -> str:
    """A line per breach, largest cost first, then the summary line."""
    lines = [
        style.alert(_breach_line(check, breach, result.day, args.baseline_days))
        for check in result.checks
        for breach in check.breaches
    ]
    lines.append(_summary_line(result, args))
    return "".join(f"{line}\n" for line in lines)


def render_json(result: SpendCheck) -> str:
    """One line, so ``jq``, ``grep`` and log collectors take it whole; floats as repr() keeps them."""
    import json

    return json.dumps(result.to_dict()) + "\n"


def run(args: argparse.Namespace, session: Session) -> int:
    with session.client("fetching activity…") as analytics:
        activity = analytics.get_user_activity(
            date=args.date,
            api_key_hash=args.api_key_hash,
            user_id=args.user_id,
            workspace_id=args.workspace_id,
        )
    result = _verdict(args, activity)
    if args.format == "json":
        session.output(render_json(result))
    else:
        session.output(render_text(result, args, session.style()))
    return EXIT_OK if result.ok else EXIT_LIMIT_BREACHED


COMMAND: Final = Command(
    name="check",
    summary="exit 1 when a day's cost is over a limit: a spend guard for cron and CI",
    description=_DESCRIPTION,
    examples=_EXAMPLES,
    add_arguments=add_arguments,
    run=run,
    check=check,
    hint=hint,
)
