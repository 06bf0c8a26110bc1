"""``openrouter-activity budget``: this month's spend against a monthly budget, and who to tell.

The rule is :func:`openrouter_analytics.check_budget`'s, the sending
:func:`openrouter_analytics.notify.notify`'s; this module reads the options, fetches the
activity, prints the verdict and passes it on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from typing import TYPE_CHECKING, Any, Final

from openrouter_analytics.cli import notifying, options
from openrouter_analytics.cli.command import Command
from openrouter_analytics.cli.commands import report
from openrouter_analytics.cli.exits import EXIT_LIMIT_BREACHED, EXIT_OK, UsageError
from openrouter_analytics.cli.session import PROG, Session
from openrouter_analytics.cli.text import Style, money, plural, printable

if TYPE_CHECKING:
    from openrouter_analytics.budget import BudgetBy, BudgetCheck, GroupBudget
    from openrouter_analytics_client.models import ActivityResponse

# The defaults of check_budget(), written out so that --help can show them without importing it
# (tests compare them with its signature).
BY_CHOICES: Final = ("total", "model", "provider", "workspace")
DEFAULT_WARN_AT: Final = (80.0, 100.0)
API_WINDOW_DAYS: Final = 30
"""The completed days GET /activity returns, which a sync keeps."""

_DESCRIPTION: Final = """\
This month's spend against a monthly budget, for cron jobs and people: month
to date (the cost, GET /activity's usage, of the current UTC month's completed
days, through yesterday), the forecast for the month's end (month to date plus
the mean daily cost of the last 7 completed days, days without activity
counting 0, times the days left, today included), and the thresholds reached.

A threshold of --warn-at is reached when month to date is at or over that
share of --monthly; a forecast over the budget is a warning of its own. Exit 1
when there is any warning, 0 otherwise. On the first day of a month nothing is
complete yet: within budget, with a note. --by applies the budget to each
model, provider or workspace on its own.

--notify sends each warning once per month to each URL (Apprise URLs: Slack,
Teams, Discord, e-mail, ntfy, any webhook); what was sent is remembered in the
history file (--db). A URL that cannot be told is not remembered, so the next
run tries again, and the run exits 6.

--history reads the days from the local history ('sync' keeps it) instead of
the API: no key, no network. It must hold every day the budget reads (the
month's first, or 7 days back if earlier, to yesterday); a day missing, before
its first day or in a gap, stops the run (exit 2) rather than count as a day
without cost."""

_EXAMPLES: Final = f"""\
examples:
  {PROG} budget --monthly 500              this month against $500
  {PROG} budget --monthly 500 --warn-at 50,80,100
  {PROG} budget --monthly 100 --by workspace
        each workspace against $100 a month
  {PROG} budget --monthly 500 --notify "slack://T0/B0/XXXX/#ops"
        tell Slack once per threshold, and when the forecast goes over
  {PROG} budget --monthly 500 --notify json://hooks.example.com/budget \\
        --notify-on always         a digest every run, warning or not
  {PROG} budget --monthly 500 --format json | jq .groups[0].forecast
  {PROG} sync && {PROG} budget --history --monthly 500
        from the local history, kept by the same cron job

Text output is a line per group with a warning (with --by), then a summary
line. --format json is one document on one line: {{"period", "today",
"first_day", "through", "days_in_month", "days_completed", "days_left",
"monthly", "warn_at", "by", "ok", "groups": [{{"group", "month_to_date", "used",
"daily_mean", "forecast", "forecast_used", "reached", "forecast_over",
"warnings"}}, ...], "rows", "trend_rows"}}, and with --notify,
"notifications": {{"sent", "failed", "skipped", "unrecorded"}}."""


def _money_amount(text: str) -> float:
    """A number of the command line; check_budget() decides which budgets it takes."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount in USD, e.g. 500") from None


def _percentages(text: str) -> list[float]:
    words = [word.strip().removesuffix("%") for word in text.split(",")]
    try:
        return [float(word) for word in words]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a list of percentages; separate them with commas, e.g. 50,80,100"
        ) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    budget = parser.add_argument_group("the budget")
    budget.add_argument(
        "--monthly",
        type=_money_amount,
        metavar="USD",
        required=True,
        help="the budget for the month in USD (for each group with --by)",
    )
    budget.add_argument(
        "--warn-at",
        type=_percentages,
        metavar="PERCENTS",
        help="thresholds, percentages of --monthly separated by commas, each reached when month to "
        "date is at or over it (default: 80,100)",
    )
    budget.add_argument(
        "--by",
        choices=BY_CHOICES,
        default="total",
        help="the account's total, or each model, provider or workspace on its own; workspace asks "
        "the API to split its rows per workspace (default: total)",
    )
    budget.add_argument(
        "--today",
        type=options.date,
        metavar="YYYY-MM-DD",
        help="the day to judge as if it were today (UTC), for tests and backfills; month to date "
        "runs to the day before (default: today)",
    )
    report.add_api_filters(parser, date=False)
    notifying.add_arguments(parser)
    from openrouter_analytics.cli.commands.sync import add_history_options

    history = add_history_options(parser, db=False)  # --db: notifying's, the same file
    history.add_argument(
        "--history",
        action="store_true",
        help=f"read month to date and the last 7 days from the local history ('{PROG} sync' keeps "
        "it, in --db) instead of the API: no key, no network; it must hold every day the budget "
        "reads, else the run stops (exit 2) rather than count missing days as days without cost",
    )
    output = parser.add_argument_group("output")
    output.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text: a line per group with a warning and a summary; json: one document on one line "
        "(default: text)",
    )


def _verdict(args: argparse.Namespace, report: ActivityResponse | tuple[()]) -> BudgetCheck:
    from openrouter_analytics.budget import check_budget

    return check_budget(
        report,
        monthly=args.monthly,
        warn_at=args.warn_at if args.warn_at is not None else DEFAULT_WARN_AT,
        by=args.by,
        today=args.today,
    )


def future_day(today: str, now: dt.date) -> str | None:
    """What is wrong with judging ``today`` (``YYYY-MM-DD``) when the clock says ``now``, if
    anything: the API has no activity for days to come."""
    if today <= now.isoformat():
        return None
    return f"{today} is after today ({now.isoformat()} UTC): the API has no activity for days to come"


def days_read(today: str) -> tuple[str, str]:
    """The first and last day a budget judged on ``today`` reads: the month's completed days and
    the forecast's trend days before ``today``."""
    from openrouter_analytics.budget import TREND_DAYS

    day = dt.date.fromisoformat(today)
    first = min(day.replace(day=1), day - dt.timedelta(days=TREND_DAYS))
    return first.isoformat(), (day - dt.timedelta(days=1)).isoformat()


def _api_window(now: dt.date) -> tuple[str, str]:
    return (now - dt.timedelta(days=API_WINDOW_DAYS)).isoformat(), (now - dt.timedelta(days=1)).isoformat()


def before_the_window(activity: ActivityResponse, today: str, now: dt.date) -> str | None:
    """What is wrong with judging ``today`` on ``activity`` fetched when the clock says ``now``,
    if anything: the API keeps its last 30 completed days, and days the budget reads before them
    would count as days without cost. A server whose answer holds older rows keeps more."""
    first, last = days_read(today)
    window_first, window_last = _api_window(now)
    if first >= window_first or any(item.date[:10] < window_first for item in activity.data):
        return None
    return (
        f"{today} reads {first} to {last}, but the API keeps only its last {API_WINDOW_DAYS} "
        f"completed days, {window_first} to {window_last}: the days before would count as days "
        "without cost"
    )


def activity_request(
    by: BudgetBy, *, api_key_hash: str | None, user_id: str | None, workspace_id: str | None
) -> dict[str, Any]:
    """The arguments of ``get_user_activity`` a budget ``by`` that grouping reads: the filters,
    and rows split per workspace (``group_by=workspace``) when each workspace has a budget."""
    return {
        "api_key_hash": api_key_hash,
        "user_id": user_id,
        "workspace_id": workspace_id,
        "group_by": "workspace" if by == "workspace" else None,
    }


def checked_activity(activity: ActivityResponse, by: BudgetBy) -> ActivityResponse:
    """``activity`` as :func:`activity_request` asked for it: split per workspace rows must carry
    the workspace's id (a typed error otherwise)."""
    if by == "workspace":
        report.check_workspaces(activity)
    return activity


def check(args: argparse.Namespace) -> None:
    if args.account is not None and not args.history:
        raise UsageError("--account names an account of the local history; add --history to read it")
    # One reading of the clock for the run.
    now = dt.datetime.now(dt.UTC).date()
    if args.today is None:
        args.today = now.isoformat()
    elif (problem := future_day(args.today, now)) is not None:
        raise UsageError(f"--today {problem}")
    from openrouter_analytics.errors import InvalidParameterError

    try:
        _verdict(args, ())  # refuses a bad budget or threshold before the key is read
    except InvalidParameterError as exc:
        if exc.parameter != "warn_at":
            raise
        typed = ",".join(f"{percent:g}" for percent in args.warn_at)
        raise UsageError(
            f"--warn-at {typed}: each threshold must be a percentage above 0, e.g. 50,80,100"
        ) from None
    notifying.check(args)


def _percent(value: float) -> str:
    """One decimal, rounded down, so 79.99% never reads as a threshold of 80% reached."""
    return f"{math.floor(value * 10) / 10:,.1f}%" if math.isfinite(value) else "n/a"


def _warning_words(group: GroupBudget) -> str:
    from openrouter_analytics.budget import threshold_name

    words = []
    if group.reached:
        words.append(f"{', '.join(threshold_name(percent) for percent in group.reached)} reached")
    if group.forecast_over:
        words.append("forecast over budget")
    return ", ".join(words)


def _numbers(group: GroupBudget) -> str:
    return (
        f"month to date {money(group.month_to_date)} ({_percent(group.used)}), "
        f"forecast {money(group.forecast)} ({_percent(group.forecast_used)}) at "
        f"{money(group.daily_mean)} a day"
    )


def _period(result: BudgetCheck) -> str:
    if result.through is None:
        return f"{result.period}, its first day"
    return f"{result.first_day} to {result.through}"


def _budget_words(result: BudgetCheck) -> str:
    from openrouter_analytics.budget import threshold_name

    each = " each" if result.by != "total" else ""
    warn_at = ", ".join(threshold_name(percent) for percent in result.warn_at)
    days = f"{plural(result.days_left, 'day')} left with today"
    return f"budget {money(result.monthly)} a month{each}, warn at {warn_at}; {days}"


def _summary_line(result: BudgetCheck) -> str:
    head = _period(result)
    if result.by == "total":
        (total,) = result.groups
        verdict = _warning_words(total) or "within budget"
        return f"{head}: {_numbers(total)}; {verdict} ({_budget_words(result)})"
    groups = plural(len(result.groups), result.by)
    warned = sum(1 for group in result.groups if group.warnings)
    verdict = f"{warned} of {groups} with a warning" if warned else f"within budget, {groups}"
    return f"{head}: {verdict} ({_budget_words(result)})"


def render_text(result: BudgetCheck, style: Style) -> str:
    """A line per group with a warning (with --by), largest month to date first, then the summary."""
    lines = []
    if result.by != "total":
        lines = [
            style.alert(f"{printable(group.group)}: {_numbers(group)}; {_warning_words(group)}")
            for group in result.groups
            if group.warnings
        ]
    summary = _summary_line(result)
    lines.append(style.alert(summary) if result.by == "total" and not result.ok else summary)
    return "".join(f"{line}\n" for line in lines)


def render_json(result: BudgetCheck, notifications: dict[str, object] | None = None) -> str:
    """One line, so ``jq``, ``grep`` and log collectors take it whole; with --notify, what was
    sent is its ``notifications``."""
    import json

    document: dict[str, object] = dict(result.to_dict())
    if notifications is not None:
        document["notifications"] = notifications
    return json.dumps(document) + "\n"


def _notes(result: BudgetCheck, args: argparse.Namespace, session: Session) -> None:
    if result.first_day_of_month:
        session.note(
            f"{result.today} is the first day of the month: none of its days is complete yet, so no "
            "threshold can be reached and the forecast (from the last 7 days) is not judged"
        )
    if result.rows == 0 and result.trend_rows == 0:
        first = min(
            result.first_day, (dt.date.fromisoformat(result.today) - dt.timedelta(days=7)).isoformat()
        )
        from openrouter_analytics.cli.commands.check import filters_sent

        last = (dt.date.fromisoformat(result.today) - dt.timedelta(days=1)).isoformat()
        session.note(
            f"the report has no rows in the days the budget reads, {first} to {last} "
            f"({filters_sent(args)}): nothing was spent, or a filter matches nothing"
        )


def _fetch(args: argparse.Namespace, session: Session) -> ActivityResponse:
    request = activity_request(
        args.by, api_key_hash=args.api_key_hash, user_id=args.user_id, workspace_id=args.workspace_id
    )
    with session.client("fetching activity…") as analytics:
        activity = analytics.get_user_activity(**request)
    problem = before_the_window(activity, args.today, dt.datetime.now(dt.UTC).date())
    if problem is not None:
        raise UsageError(
            f"--today {problem}; add --history to read them from the local history (which "
            f"'{PROG} sync' keeps)"
        )
    return checked_activity(activity, args.by)


def _from_history(args: argparse.Namespace) -> ActivityResponse:
    """The rows the budget reads, from the history. Every day of them must be kept: a day
    missing (before the history's first day, after its last, or in a gap) would count as a day
    without cost, and a budget that undercounts says "within budget" wrongly."""
    from openrouter_analytics.history import History

    first, last = days_read(args.today)
    in_the_api = first >= _api_window(dt.datetime.now(dt.UTC).date())[0]
    with History(args.db, account=args.account) as history:
        kept = history.days(api_key_hash=args.api_key_hash, user_id=args.user_id)
        if not kept or kept[0].date > first or kept[-1].date < last:
            holds = f"keeps {kept[0].date} to {kept[-1].date}" if kept else "keeps no day"
            todo = (
                f"run '{PROG} sync' first, or leave out --history"
                if in_the_api
                else f"the API's last {API_WINDOW_DAYS} days no longer hold them either"
            )
            raise UsageError(
                f"the budget reads {first} to {last}, but the history {history.path} {holds}: days "
                f"missing would count as days without cost; {todo}"
            )
        for gap in history.gaps(api_key_hash=args.api_key_hash, user_id=args.user_id):
            if gap.first <= last and gap.last >= first:
                raise UsageError(
                    f"the history has no data for {gap} (a gap), within the days the budget reads, "
                    f"{first} to {last}; they would count as days without cost"
                    + (
                        ": leave out --history to read the API"
                        if in_the_api
                        else f", and the API's last {API_WINDOW_DAYS} days no longer hold them either"
                    )
                )
        activity = history.activity(
            since=first,
            until=last,
            workspace_id=args.workspace_id,
            api_key_hash=args.api_key_hash,
            user_id=args.user_id,
        )
    if args.by == "workspace":
        report.check_workspaces(activity)
    return activity


def run(args: argparse.Namespace, session: Session) -> int:
    result = _verdict(args, _from_history(args) if args.history else _fetch(args, session))
    _notes(result, args, session)
    outcome, stopped = notifying.send(args, session, result)
    if args.format == "json":
        session.output(render_json(result, notifying.document(outcome)))
    else:
        session.output(render_text(result, session.style()))
    if stopped is not None:
        raise stopped
    failed = notifying.report_failures(outcome, session)
    if failed is not None:
        return failed
    return EXIT_OK if result.ok else EXIT_LIMIT_BREACHED


def hint(exc: BaseException, args: argparse.Namespace) -> str | None:
    from openrouter_analytics.errors import InvalidParameterError

    if isinstance(exc, InvalidParameterError):
        return None
    return report.hint(exc, args)


COMMAND: Final = Command(
    name="budget",
    summary="this month's spend against a monthly budget, with a forecast; tells Slack, Teams, e-mail",
    description=_DESCRIPTION,
    examples=_EXAMPLES,
    add_arguments=add_arguments,
    run=run,
    check=check,
    hint=hint,
    needs_key=lambda args: not args.history,
)
