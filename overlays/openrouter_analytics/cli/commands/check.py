"""``openrouter-activity check``: one day's spend against limits, answered by the exit code.

The rule is :func:`openrouter_analytics.check_spend`'s alone; this module reads the options,
fetches the activity, and prints the verdict.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from openrouter_analytics.cli import notifying, options
from openrouter_analytics.cli.command import Command
from openrouter_analytics.cli.commands import report
from openrouter_analytics.cli.exits import EXIT_LIMIT_BREACHED, EXIT_OK, UsageError
from openrouter_analytics.cli.session import PROG, Session
from openrouter_analytics.cli.text import Style, money, plural, printable

if TYPE_CHECKING:
    from openrouter_analytics.errors import InvalidParameterError
    from openrouter_analytics.spend import Breach, GroupCheck, SpendCheck
    from openrouter_analytics_client.models import ActivityItem, ActivityResponse

# The defaults of check_spend(), written out so that --help can show them without importing it
# (tests compare them with its signature and spend.DEFAULT_MIN_COST).
BY_CHOICES: Final = ("total", "model", "provider")
DEFAULT_BASELINE_DAYS: Final = 7
DEFAULT_MIN_COST: Final = 1.0

_DESCRIPTION: Final = """\
A yes or no on one UTC day's spend, for cron jobs, CI and monitoring: exit 1
when the day's cost (GET /activity, the report's cost column) is over
--max-cost, or over --max-increase times its baseline, the mean daily cost of
the --baseline-days days before it; exit 0 when it is within every limit.
--by model or --by provider applies the limits to each group on its own.

A day without activity costs nothing, but proves nothing either (an idle
account, or a filter that matches nothing), and a note on stderr says what was
missing and which filters were sent. A report without any rows in the 30 days
means nothing was checked: it fails (exit 1). A quiet day in a report with
rows on other days passes, unless --require-activity makes it fail too."""

_EXAMPLES: Final = f"""\
examples:
  {PROG} check --max-cost 50             yesterday (UTC) over $50?
  {PROG} check --max-increase 3 --by model
        a model spending over 3 times its daily mean of the week before
  {PROG} check --max-cost 20 --api-key-hash HASH \\
        --day "$(date -u -d '2 days ago' +%F)"
        one key on the day before yesterday (GNU date; --day takes one of
        the last 30 completed UTC days)
  {PROG} check --max-cost 50 --require-activity --user-id ID
        also fail when the member had no activity yesterday (to list the
        members with traffic: query --metrics request_count --dimensions user)
  {PROG} check --max-cost 50 --format json | jq .ok

Text output is a line per breach, then a summary line; when all is well, only
the summary. --format json is one document on one line: {{"day", "ok", "by",
"checks": [{{"group", "cost", "baseline", "max_cost", "max_increase",
"breaches"}}, ...], "rows", "baseline_rows", "window_rows",
"require_activity"}}: every group checked, floats in full precision, and how
many rows the report has on the day, in the baseline days and in the 30 days;
with --notify, "notifications": {{"sent", "failed", "skipped", "unrecorded"}}."""


class _Typed(float):
    """A number and the text it was typed as, so a refusal can show ``-1``, not ``-1.0``."""

    text: str

    def __new__(cls, text: str) -> _Typed:
        number = super().__new__(cls, text)
        number.text = text
        return number


def _number(text: str) -> float:
    """A number of the command line; check_spend() decides which numbers are limits."""
    try:
        number = _Typed(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number, e.g. 50 or 2.5") from None
    if math.isnan(number):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number, e.g. 50 or 2.5")
    if math.isinf(number):
        raise argparse.ArgumentTypeError(
            f"{text!r} is out of range (a number can be at most about 1.8e308), e.g. 50 or 2.5"
        )
    return number


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
        help="the UTC day checked, one of the last 30 completed UTC days (default: yesterday, or --date)",
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
    # --baseline-days and --min-cost default to None, so that messages can tell a value typed
    # from the default; check() fills in the defaults.
    limits.add_argument(
        "--baseline-days",
        type=_integer,
        metavar="N",
        help="the baseline is the mean daily cost of the N days before the day, days without "
        f"activity counting 0; 1 to 29, or with --history as many as it keeps before the day "
        f"(default: {DEFAULT_BASELINE_DAYS})",
    )
    limits.add_argument(
        "--min-cost",
        type=_number,
        metavar="USD",
        help="the least cost --max-increase flags, so pennies page nobody; only with --max-increase "
        f"(default: {DEFAULT_MIN_COST:.2f})",
    )
    limits.add_argument(
        "--by",
        choices=BY_CHOICES,
        default="total",
        help="the day's total, or each model or provider on its own (default: total)",
    )
    limits.add_argument(
        "--require-activity",
        action="store_true",
        help="exit 1 also when the day checked has no rows (with the filters sent); without it a "
        "quiet day passes, with a note on stderr (a report without rows in the 30 days fails "
        "either way: nothing was checked)",
    )
    report.add_api_filters(parser)
    notifying.add_arguments(parser)
    output = parser.add_argument_group("output")
    output.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text: a line per breach and a summary; json: one document on one line (default: text)",
    )
    report.add_history_arguments(  # --db: notifying's, the same file
        parser, db=False, reach="any day it holds (--day), with as many --baseline-days before it as it keeps"
    )
    parser.set_defaults(today=None)


def _verdict(
    args: argparse.Namespace,
    rows: ActivityResponse | Iterable[ActivityItem],
    window: tuple[str, str] | None = None,
) -> SpendCheck:
    from openrouter_analytics.spend import check_spend

    return check_spend(
        rows,
        day=args.day if args.day is not None else args.date,
        max_cost=_plain(args.max_cost),
        max_increase=_plain(args.max_increase),
        baseline_days=args.baseline_days,
        min_cost=_plain(args.min_cost),
        by=args.by,
        require_activity=args.require_activity,
        today=args.today,
        window=window,
    )


def _plain(number: float | None) -> float | None:
    return None if number is None else float(number)


def _as_typed(exc: InvalidParameterError, args: argparse.Namespace) -> InvalidParameterError:
    """``exc`` worded after what was typed: the day of --date is --date's, a default is one."""
    from openrouter_analytics.errors import InvalidParameterError

    message = str(exc)
    given = getattr(args, exc.parameter, None)
    if isinstance(given, _Typed) and message.endswith(shown := f"got float {float(given)!r}"):
        return InvalidParameterError(exc.parameter, message.removesuffix(shown) + f"got {given.text}")
    if exc.parameter == "day" and args.day is None and args.date is not None and message.startswith("day "):
        return InvalidParameterError("date", "date" + message.removeprefix("day"))
    if exc.parameter == "min_cost" and args.max_increase is None and args.max_cost is not None:
        return InvalidParameterError(
            "min_cost",
            f"--min-cost {args.min_cost:g} has no effect without --max-increase: it is the least cost "
            "an increase is flagged from, while --max-cost is breached by any cost over it; leave out "
            "--min-cost, or add --max-increase",
        )
    typed = f"baseline_days={args.baseline_days}:"
    if exc.parameter == "baseline_days" and not args.baseline_days_typed and message.startswith(typed):
        default = f"baseline_days (by default {args.baseline_days}):"
        return InvalidParameterError("baseline_days", default + message.removeprefix(typed))
    return exc


def check(args: argparse.Namespace) -> None:
    if args.history and args.date is not None:
        raise UsageError(f"with --history, the day checked is --day; leave out --date {args.date}")
    report.check_history(args)
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
    from openrouter_analytics.errors import InvalidParameterError

    args.baseline_days_typed = args.baseline_days is not None
    if args.baseline_days is None:
        args.baseline_days = DEFAULT_BASELINE_DAYS
    # --min-cost stays None when not typed: check_spend() refuses one given without --max-increase.
    # One reading of the clock for the run: the day refused or allowed now is the day checked.
    args.today = dt.datetime.now(dt.UTC).date()
    # With --history, the days it keeps are known only once it is open: any day up to yesterday here.
    if args.history and args.day is not None and args.day >= args.today.isoformat():
        raise UsageError(f"--day {args.day} is not a completed UTC day (today is {args.today.isoformat()})")
    if args.history and args.baseline_days < 1:
        # Checked here, as the days the history keeps are not known yet: check_spend would word
        # its limit after the stand-in window below.
        raise UsageError(
            f"--baseline-days must be a whole number of 1 or more, e.g. 7, got {args.baseline_days}"
        )
    from openrouter_analytics._validation import FIRST_DAY

    anything = (
        (FIRST_DAY.isoformat(), (args.today - dt.timedelta(days=1)).isoformat()) if args.history else None
    )
    # How long a baseline the history allows is known once it is open (_from_history words it
    # after its days): until then, a baseline of any length.
    before_reading = argparse.Namespace(**{**vars(args), "baseline_days": 1}) if args.history else args
    try:
        _verdict(before_reading, (), anything)  # refuses bad limits and days before the key is read
    except InvalidParameterError as exc:
        raise _as_typed(exc, args) from None
    notifying.check(args)


def hint(exc: BaseException, args: argparse.Namespace) -> str | None:
    from openrouter_analytics.errors import InvalidParameterError

    if isinstance(exc, InvalidParameterError):
        return None
    return report.hint(exc, args)


def _factor(value: float) -> str:
    """``3``, ``2.5``, or every digit when fewer would round (``2.9999999``)."""
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


def _breach_line(check: GroupCheck, breach: Breach, day: str, baseline_days: int) -> str:
    head = f"{printable(check.group)} on {day}: cost {money(check.cost)}"
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
            f"{plural(args.baseline_days, 'day')} before, from "
            f"{money(DEFAULT_MIN_COST if args.min_cost is None else args.min_cost)}"
        )
    return "; ".join(limits)


def _summary_line(result: SpendCheck, args: argparse.Namespace) -> str:
    from openrouter_analytics.spend import kept_days

    refused = ", which --require-activity refuses" if result.require_activity else ""
    if result.no_activity == "window":
        if args.date is not None:
            return f"{result.day}: not checked, no activity on the day ({_limits(args)})"
        first, last = kept_days(args.today)
        return f"{result.day}: not checked, no activity from {first} to {last} ({_limits(args)})"
    if result.no_activity == "day" and result.require_activity:
        return f"{result.day}: no activity on the day{refused} ({_limits(args)})"
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
    """A line per breach, largest cost first, then the summary line; a model's or provider's name
    as the server sent it, but with what a terminal would act on escaped.
    """
    lines = [
        style.alert(printable(_breach_line(check, breach, result.day, args.baseline_days)))
        for check in result.checks
        for breach in check.breaches
    ]
    lines.append(printable(_summary_line(result, args)))
    return "".join(f"{line}\n" for line in lines)


def filters_sent(args: argparse.Namespace) -> str:
    """The filters a run sent, as the flags that set them (for budget too)."""
    sent = [
        f"{flag} {value}"
        for flag, value in (
            ("--date", getattr(args, "date", None)),
            ("--api-key-hash", args.api_key_hash),
            ("--user-id", args.user_id),
            ("--workspace-id", args.workspace_id),
        )
        if value is not None
    ]
    return f"filters sent: {', '.join(sent)}" if sent else "no filters sent"


def activity_note(result: SpendCheck, report: ActivityResponse, args: argparse.Namespace) -> str | None:
    """What the report lacked, for stderr, when the day checked has no rows; else None."""
    sent = filters_sent(args)
    if result.no_activity == "day":
        others = plural(result.window_rows, "row")
        verdict = (
            "--require-activity fails the check"
            if result.require_activity
            else "a quiet day passes; --require-activity would fail it"
        )
        return f"no activity on {result.day} ({sent}); the report has {others} on other days: {verdict}"
    if result.no_activity != "window":
        return None
    if not report.data:
        also = "; a mistyped filter matches nothing" if sent != "no filters sent" else ""
        if args.date is not None:
            also += "; without --date, the other days show whether the filters match anything"
        return f"the API returned no rows ({sent}), so there was nothing to check{also}: the check fails"
    from openrouter_analytics.spend import kept_days

    first, last = kept_days(args.today)
    dates = sorted(item.date[:10] for item in report.data)
    return (
        f"none of the report's {plural(len(report.data), 'row')}, dated {dates[0]} to {dates[-1]}, "
        f"falls in the 30 completed days the API returns, {first} to {last} ({sent}), so there was "
        "nothing to check: the check fails"
    )


def render_json(result: SpendCheck, notifications: dict[str, object] | None = None) -> str:
    """One line, so ``jq``, ``grep`` and log collectors take it whole; floats as repr() keeps them.
    With --notify, what was sent is its ``notifications``."""
    import json

    document: dict[str, object] = dict(result.to_dict())
    if notifications is not None:
        document["notifications"] = notifications
    return json.dumps(document) + "\n"


def _from_the_api(args: argparse.Namespace, session: Session) -> SpendCheck:
    activity = report.fetch(args, session)
    result = _verdict(args, activity)
    note = activity_note(result, activity, args)
    if note is not None:
        session.note(note)
    return result


def _from_history(args: argparse.Namespace, session: Session) -> SpendCheck:
    """The verdict on the days the history keeps: any day of them, a baseline as long as they allow."""
    from openrouter_analytics.history import History

    with History(args.db, account=args.account) as history:
        kept = history.days(api_key_hash=args.api_key_hash, user_id=args.user_id)
        window = (kept[0].date, kept[-1].date)
        day = args.day or (args.today - dt.timedelta(days=1)).isoformat()
        if not window[0] <= day <= window[1] and args.day is None:
            raise UsageError(
                f"the day checked is yesterday, {day}, which the history does not keep (it keeps "
                f"{window[0]} to {window[1]}): run '{PROG} sync' first, pass --day, or leave out --history"
            )
        if not window[0] <= day <= window[1]:
            raise UsageError(f"--day {day} is not in the history, which keeps {window[0]} to {window[1]}")
        args.day = day
        _verdict(args, (), window)  # the limits and --baseline-days refused in the history's terms
        first = (dt.date.fromisoformat(day) - dt.timedelta(days=args.baseline_days)).isoformat()
        for gap in history.gaps(api_key_hash=args.api_key_hash, user_id=args.user_id):
            if gap.first <= day <= gap.last:
                raise UsageError(
                    f"--day {day} falls in a gap of the history: no data for {gap}, which left the "
                    "API's window before a sync saw it; nothing is known of that day"
                )
            # Only --max-increase judges by the baseline days: --max-cost alone needs the day.
            if args.max_increase is not None and gap.first <= day and gap.last >= first:
                raise UsageError(
                    f"the history has no data for {gap} (a gap), which falls in the days checked, "
                    f"{first} to {day}: they would count as days without cost; pass a --day after "
                    f"{gap.last}, or fewer --baseline-days"
                )
        activity = history.activity(
            since=max(first, window[0]),
            until=day,
            workspace_id=args.workspace_id,
            api_key_hash=args.api_key_hash,
            user_id=args.user_id,
        )
        args.since, args.until = first, day
        report.note_gaps(history, args, session)
    result = _verdict(args, activity, window)
    filters = filters_sent(args).replace("sent", "read")
    if result.no_activity == "window":
        session.note(
            f"the history has no rows from {max(first, window[0])} to {day} ({filters}), so there "
            "was nothing to check: the check fails"
        )
    elif result.no_activity == "day":
        verdict = (
            "--require-activity fails the check"
            if result.require_activity
            else "a quiet day passes; --require-activity would fail it"
        )
        session.note(f"no activity on {day} in the history ({filters}): {verdict}")
    return result


def run(args: argparse.Namespace, session: Session) -> int:
    result = _from_history(args, session) if args.history else _from_the_api(args, session)
    outcome, stopped = notifying.send(args, session, result)
    if args.format == "json":
        session.output(render_json(result, notifying.document(outcome)))
    else:
        session.output(render_text(result, args, session.style()))
    if stopped is not None:
        raise stopped
    failed = notifying.report_failures(outcome, session)
    if failed is not None:
        return failed
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
    needs_key=lambda args: not args.history,
)
