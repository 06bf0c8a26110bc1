"""``openrouter-activity report``: the activity of the last 30 days, added up per group."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any, Final

from openrouter_analytics.cli import export, options
from openrouter_analytics.cli.columns import SORT_CHOICES
from openrouter_analytics.cli.command import Command
from openrouter_analytics.cli.exits import EXIT_OK, UsageError
from openrouter_analytics.cli.session import PROG, Session

if TYPE_CHECKING:
    from collections.abc import Sequence

    from openrouter_analytics.history import Day
    from openrouter_analytics.summary import GroupBy, SortKey, Summary
    from openrouter_analytics_client.models import ActivityItem, ActivityResponse

GROUPINGS: Final = ("date", "model", "provider", "endpoint", "workspace", "none")

_DESCRIPTION: Final = f"""\
Where the money goes: OpenRouter activity (GET /activity) over the last 30
completed UTC days, with cost, requests and tokens added up per model, day,
provider, endpoint or workspace. The default command: "{PROG}"
alone runs it."""

_EXAMPLES: Final = f"""\
examples:
  {PROG} report                   cost per model, largest first
  {PROG} --group-by date --chart  cost per day, as a bar chart
  {PROG} --group-by date --top 3  the three dearest days, by date
  {PROG} --group-by provider --top 3 --sort requests
  {PROG} --since 2025-08-01 --model claude --format csv > out.csv
  {PROG} --group-by workspace     cost per workspace
  {PROG} --workspace-id 550e8400-e29b-41d4-a716-446655440000
  {PROG} --format parquet --output report.parquet
  {PROG} --format focus --output focus.csv  FOCUS 1.2 for FinOps

--top N keeps the N largest groups (by --sort, or by cost when sorting by
key) and adds up the rest in one "(k others)" row, in csv and jsonl too, so
the rows always add up to the total."""


def add_api_filters(parser: argparse.ArgumentParser, *, date: bool = True) -> None:
    """The filters of GET /activity, for every command that fetches it (``--date`` for those
    that can use one day alone)."""
    api = parser.add_argument_group("filters sent to the API")
    if date:
        api.add_argument("--date", type=options.date, metavar="YYYY-MM-DD", help="one UTC day of the last 30")
    api.add_argument("--api-key-hash", metavar="HASH", help="one API key, by its SHA-256 hash")
    api.add_argument(
        "--user-id",
        metavar="ID",
        help="one member of an organization, by user id (user_...); 'query --metrics request_count "
        "--dimensions user' lists the members with traffic",
    )
    api.add_argument("--workspace-id", metavar="UUID", help="one workspace of the account")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_api_filters(parser)

    rows = parser.add_argument_group("filters on the returned rows")
    rows.add_argument("--since", type=options.date, metavar="YYYY-MM-DD", help="from this day, inclusive")
    rows.add_argument("--until", type=options.date, metavar="YYYY-MM-DD", help="to this day, inclusive")
    rows.add_argument(
        "--model", type=options.text, metavar="TEXT", help="models whose slug contains this, any case"
    )
    rows.add_argument(
        "--provider",
        type=options.text,
        metavar="TEXT",
        help="providers whose name contains this, any case, e.g. google",
    )

    view = parser.add_argument_group("grouping and output")
    view.add_argument(
        "--group-by",
        choices=GROUPINGS,
        metavar="BY",
        help=f"what each row adds up: {', '.join(GROUPINGS)}; workspace asks the API to split "
        "its rows per workspace (default: model)",
    )
    view.add_argument(
        "--sort",
        choices=list(SORT_CHOICES),
        metavar="COLUMN",
        help=f"{', '.join(SORT_CHOICES)}: numbers largest first, the group's key A to Z "
        "(default: key for --group-by date, cost otherwise)",
    )
    view.add_argument("--top", type=options.whole_number(1), metavar="N", help="show N rows, add up the rest")
    view.add_argument(
        "--format",
        choices=["table", "csv", "json", "jsonl", "parquet", "focus"],
        default="table",
        metavar="FORMAT",
        help="table for people; csv, json, jsonl with full precision for programs; parquet, typed "
        "(--output FILE); focus: every activity row as a FOCUS 1.2 charge (--output FILE.csv or "
        "FILE.parquet) (default: table)",
    )
    export.add_output_argument(view, binary="parquet and focus")
    view.add_argument(
        "--chart",
        action="store_true",
        help="a bar chart per group instead of a table: of cost, or of the --sort column",
    )
    add_history_arguments(parser)


def add_history_arguments(
    parser: argparse.ArgumentParser,
    *,
    db: bool = True,
    reach: str = "any range it holds, with --since/--until",
) -> None:
    """--history, --db and --account: read the local history instead of the API (``db=False``:
    the command has its own --db for the same file); ``reach`` says what of it the command reads."""
    from openrouter_analytics.cli.commands.sync import add_history_options

    group = add_history_options(parser, db=db)
    group.add_argument(
        "--history",
        action="store_true",
        help=f"read the local history ('{PROG} sync' keeps it) instead of the API: {reach}; no key, "
        "no network",
    )


def check_history(args: argparse.Namespace) -> None:
    """--db and --account only with --history; with it, --date is the range of one day."""
    if not args.history:
        # check's --notify keeps what it sent in the same file, named by the same --db.
        db = None if getattr(args, "notify", None) else args.db
        given = [flag for flag, value in (("--db", db), ("--account", args.account)) if value is not None]
        if given:
            verb = "names" if len(given) == 1 else "name"
            raise UsageError(f"{' and '.join(given)} {verb} the local history; add --history to read it")
        return
    if (
        args.date is not None
        and getattr(args, "since", None) is None
        and getattr(args, "until", None) is None
    ):
        args.since = args.until = args.date
    elif args.date is not None:
        raise UsageError(
            "with --history, --date is the range of one day: leave out --since/--until, or --date"
        )


def check(args: argparse.Namespace) -> None:
    today = dt.datetime.now(dt.UTC).date().isoformat()
    if args.date is not None and args.date >= today:  # no answer could hold it: nothing is sent
        raise UsageError(f"--date {args.date} is not a completed UTC day (today is {today})")
    check_history(args)
    if args.chart and args.format != "table":
        raise UsageError(f"--chart draws for the terminal and cannot be combined with --format {args.format}")
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    if args.format == "focus":
        if args.top is not None or args.sort is not None or args.group_by is not None:
            raise UsageError(
                "--format focus writes every activity row; --group-by, --top and --sort do not apply"
            )
        if args.output and not args.output.lower().endswith((".csv", ".parquet")):
            raise UsageError(f"--format focus writes FILE.csv or FILE.parquet, not --output {args.output}")
    args.group_by = args.group_by or "model"
    export.require_arrow(args)
    export.check_output(args)


def _fetch(args: argparse.Namespace, session: Session) -> ActivityResponse:
    # FOCUS charges carry their workspace as the sub account, so that export always asks for it.
    return fetch(args, session, per_workspace=args.group_by == "workspace" or args.format == "focus")


def fetch(args: argparse.Namespace, session: Session, *, per_workspace: bool = False) -> ActivityResponse:
    """GET /activity with the filters the tool's flags give (--date, --api-key-hash, --user-id,
    --workspace-id), split per workspace when ``per_workspace``; ``report`` and ``check`` ask alike."""
    with session.client("fetching activity…") as analytics:
        report = analytics.get_user_activity(
            date=args.date,
            api_key_hash=args.api_key_hash,
            user_id=args.user_id,
            workspace_id=args.workspace_id,
            group_by="workspace" if per_workspace else None,
        )
    if per_workspace:
        check_workspaces(report)
    return report


def check_workspaces(report: ActivityResponse) -> None:
    """Rows split per workspace carry its id; without one they cannot be grouped by it."""
    from openrouter_analytics.errors import ResponseValidationError

    if all(isinstance(item.workspace_id, str) for item in report.data):
        return
    raise ResponseValidationError(
        "group_by=workspace was sent, but rows came back without their workspace_id",
        location="ActivityItem.workspace_id",
        status_code=200,
        body="",
        headers={},
        request=None,
        request_id=None,
    )


def _summarize(args: argparse.Namespace, report: ActivityResponse) -> Summary:
    from openrouter_analytics.summary import summarize

    group_by: GroupBy = args.group_by
    sort: SortKey | None = args.sort
    return summarize(
        report,
        by=group_by,
        since=args.since,
        until=args.until,
        model=args.model,
        provider=args.provider,
        sort=sort,
        top=args.top,
    )


def _render(args: argparse.Namespace, summary: Summary, session: Session) -> str | bytes:
    if args.format == "parquet":
        with export.table_of_answer(args):
            return export.parquet_bytes(export.summary_records(summary))
    if args.format != "table":
        from openrouter_analytics.cli import files

        return {"csv": files.render_csv, "json": files.render_json, "jsonl": files.render_jsonl}[args.format](
            summary
        )
    if args.chart:
        from openrouter_analytics.cli.chart import render_chart

        # The bars are of the column sorted by, so their order and their lengths agree.
        metric = args.sort if args.sort not in (None, "key") else "cost"
        return render_chart(
            summary,
            style=session.style(),
            width=session.width(),
            note=session.note,
            metric=metric,
            missing=getattr(args, "missing_days", ()),
        )
    from openrouter_analytics.cli.table import render_table

    return render_table(summary, style=session.style(), width=session.width(), note=session.note)


def _note_empty(report: ActivityResponse, summary: Summary, session: Session) -> None:
    if summary.total.activity_rows or not report.data:
        return
    providers = sorted({item.provider_name for item in report.data})
    dates = sorted({item.date for item in report.data})
    session.note(
        f"none of the report's {len(report.data)} rows passes the filters; it has "
        f"{dates[0]} to {dates[-1]} and providers {', '.join(providers)}"
    )


# The filters of GET /activity that name one thing of the account: (flag, option, what it names).
_ID_FILTERS: Final = (
    ("--workspace-id", "workspace_id", "workspace"),
    ("--api-key-hash", "api_key_hash", "API key"),
    ("--user-id", "user_id", "member"),
)


def _not_found_hint(args: argparse.Namespace) -> str | None:
    """A 404 after naming a workspace, key or member is most likely about that one; about the URL
    only when one was given.
    """
    given = [(flag, noun) for flag, option, noun in _ID_FILTERS if getattr(args, option, None)]
    if not given:
        return None
    flags = " and ".join(flag for flag, _ in given)
    nouns = " or ".join(noun for _, noun in given)
    listing = (
        f"; '{PROG} --group-by workspace' lists the workspaces with activity" if args.workspace_id else ""
    )
    url = ", or --base-url" if args.base_url is not None else ""
    return f"check {flags}: this account may have no such {nouns}{listing}{url}"


def hint(exc: BaseException, args: argparse.Namespace) -> str | None:
    """A 400 names what the tool sent: --date when it was given, else the filters that were;
    a 404 names the workspace, key or member filter when one was given.
    """
    from openrouter_analytics.errors import (
        BadRequestResponseError,
        NotFoundResponseError,
        RequestTimeoutResponseError,
    )

    if isinstance(exc, NotFoundResponseError):
        return _not_found_hint(args)
    if isinstance(exc, RequestTimeoutResponseError):  # the general hint is a query's
        return "the server gave up before answering; try again later"
    if not isinstance(exc, BadRequestResponseError):
        return None
    # budget shares this hint, and has no --date
    date = getattr(args, "date", None)
    if date is not None:
        return f"--date {date} must be one of the last 30 completed UTC days"
    filters = (("--api-key-hash", "api_key_hash"), ("--user-id", "user_id"))
    sent = [flag for flag, name in filters if getattr(args, name, None)]
    if sent:
        return f"the API refused {' or '.join(sent)}"
    return None


def _focus(args: argparse.Namespace, session: Session, report: ActivityResponse) -> int:
    """Every activity row that passes the row filters as a FOCUS 1.2 charge, to --output."""
    from openrouter_analytics.tables.focus import focus_csv, focus_table

    rows = [item for item in report.data if _passes(args, item)]
    with export.table_of_answer(args):
        table = focus_table(type(report)(data=rows), api_key_hash=args.api_key_hash)
        data = export.parquet_bytes(table) if args.output.lower().endswith(".parquet") else focus_csv(table)
    export.deliver(args, session, data, table.num_rows)
    return EXIT_OK


def _passes(args: argparse.Namespace, item: ActivityItem) -> bool:
    """The row filters of summarize(): days within --since/--until, --model and --provider as substrings."""
    day = item.date[:10]
    if (args.since and day < args.since) or (args.until and day > args.until):
        return False
    model = args.model.casefold() if args.model else None
    if model and model not in item.model.casefold() and model not in item.model_permaslug.casefold():
        return False
    return not (args.provider and args.provider.casefold() not in item.provider_name.casefold())


def _from_history(args: argparse.Namespace, session: Session) -> Summary:
    """The summary added up by the history's SQL, with a note on the gaps in its range."""
    from openrouter_analytics.history import History

    group_by: GroupBy = args.group_by
    sort: SortKey | None = args.sort
    with History(args.db, account=args.account) as history:
        summary = history.summary(
            group_by,
            since=args.since,
            until=args.until,
            model=args.model,
            provider=args.provider,
            sort=sort,
            top=args.top,
            workspace_id=args.workspace_id,
            api_key_hash=args.api_key_hash,
            user_id=args.user_id,
        )
        _refuse_or_note_days_not_kept(history, args, session)
        note_gaps(history, args, session)
    return summary


def range_flags(args: argparse.Namespace) -> str:
    """--since and --until as they were typed, for a message about the range."""
    return " ".join(
        f"--{name} {value}" for name, value in (("since", args.since), ("until", args.until)) if value
    )


def _refuse_or_note_days_not_kept(history: Any, args: argparse.Namespace, session: Session) -> None:
    """--since/--until wholly outside the days the history keeps: refused (nothing there is
    known, not even that it cost nothing); partly outside: a note on the days left out."""
    from openrouter_analytics.history._days import range_not_kept

    days = history.days(api_key_hash=args.api_key_hash, user_id=args.user_id)
    asked = f"--date {args.date}" if args.date is not None else range_flags(args)
    refused = range_not_kept(days, args.since, args.until, asked=asked, path=history.path)
    if refused is not None:
        raise refused
    note_days_not_kept(days, args, session)


def note_days_not_kept(
    days: Sequence[Day], args: argparse.Namespace, session: Session, *, left: str = "not counted"
) -> None:
    """A note on each part of --since/--until before or after the ``days`` kept (not none):
    those days are ``left`` (not counted, not exported)."""
    from openrouter_analytics.history._days import outside_kept

    kept = f"the history keeps {days[0].date} to {days[-1].date}"
    for part in outside_kept(days, args.since, args.until):
        session.note(f"{kept}: {part.first} to {part.last} are not kept and {left}")


def note_gaps(
    history: Any, args: argparse.Namespace, session: Session, *, left: str = "these days are not counted"
) -> None:
    """A note on stderr for each gap of the history within --since/--until: days without data,
    which no report counts as days without cost (``left``: what became of them)."""
    args.missing_days = set()
    for gap in history.gaps(api_key_hash=args.api_key_hash, user_id=args.user_id):
        first = dt.date.fromisoformat(gap.first)
        args.missing_days |= {(first + dt.timedelta(days=n)).isoformat() for n in range(gap.days)}
        if (args.since is None or gap.last >= args.since) and (args.until is None or gap.first <= args.until):
            session.note(
                f"the history has a gap: no data for {gap} ({gap.days} day{'s' if gap.days > 1 else ''}, "
                f"fetched by no sync before they left the API's window); {left}"
            )


def run(args: argparse.Namespace, session: Session) -> int:
    if args.history and args.format == "focus":
        return _focus(args, session, _history_activity(args))
    if args.history:
        summary = _from_history(args, session)
        output = _render(args, summary, session)
        if not summary.total.activity_rows:
            session.note("the history holds no rows that pass the filters in this range")
    else:
        report = _fetch(args, session)
        if args.format == "focus":
            return _focus(args, session, report)
        summary = _summarize(args, report)
        output = _render(args, summary, session)
        _note_empty(report, summary, session)
    rows = len(summary.rows) + (summary.other is not None)
    export.deliver(args, session, output, rows)
    return EXIT_OK


def _history_activity(args: argparse.Namespace) -> ActivityResponse:
    """The kept rows within --since/--until and the API filters, for an export of every row."""
    from openrouter_analytics.history import History

    with History(args.db, account=args.account) as history:
        return history.activity(
            args.since,
            args.until,
            workspace_id=args.workspace_id,
            api_key_hash=args.api_key_hash,
            user_id=args.user_id,
        )


COMMAND: Final = Command(
    name="report",
    summary="cost, requests and tokens per model, day, provider, endpoint or workspace (the default)",
    description=_DESCRIPTION,
    examples=_EXAMPLES,
    add_arguments=add_arguments,
    run=run,
    check=check,
    hint=hint,
    needs_key=lambda args: not args.history,
)
