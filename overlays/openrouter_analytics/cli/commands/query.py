"""``openrouter-activity query``: any question ``POST /analytics/query`` answers, from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any, Final

from openrouter_analytics.cli import export, options
from openrouter_analytics.cli.command import Command
from openrouter_analytics.cli.exits import EXIT_OK, UsageError
from openrouter_analytics.cli.session import PROG, Session

if TYPE_CHECKING:
    from openrouter_analytics._client import Analytics
    from openrouter_analytics_client.models import AnalyticsMetaResponse, AnalyticsQueryResponse

LIST_OPERATORS: Final = frozenset({"in", "not_in"})
OPERATORS: Final = ("eq", "neq", "gt", "gte", "lt", "lte", "in", "not_in")
GRANULARITIES: Final = ("minute", "hour", "day", "week", "month")
DEFAULT_WINDOW_DAYS: Final = 7
"""The API's own window when no time range is sent; --until alone asks for as many days."""
DEFAULT_LIMIT: Final = 1000
"""The rows a query returns without --limit (the API's default)."""

_NUMBER: Final = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_INTEGER: Final = re.compile(r"[-+]?\d+")

_DESCRIPTION: Final = """\
Cost, volume, latency and cache figures over up to 365 days, grouped by up to
two dimensions and bucketed by time (POST /analytics/query). "meta" lists the
metrics, dimensions, operators and granularities this account can use."""

_EXAMPLES: Final = f"""\
examples:
  # cost and requests per model over the API's default window
  {PROG} query --metrics total_usage,request_count \\
      --dimensions model
  # cost per day since the first of the month, as a bar chart
  {PROG} query --metrics total_usage --granularity day \\
      --since 2026-09-01 --chart
  # two providers, busy groups only
  {PROG} query --metrics total_usage --dimensions provider \\
      --filter provider in OpenAI,Anthropic --filter request_count gt 100
  # the ten slowest models
  {PROG} query --metrics p50_latency,p99_latency \\
      --dimensions model --order-by p99_latency --limit 10
  # cache hit rate per API key, for a spreadsheet
  {PROG} query --metrics cache_hit_rate --dimensions api_key_id \\
      --format csv
  # the members of the organization with traffic, then one of them
  {PROG} query --metrics request_count --dimensions user
  {PROG} query --metrics request_count --filter user eq user_...

--filter FIELD OP VALUE is repeatable; OP is eq, neq, gt, gte, lt, lte, in or
not_in. For in and not_in VALUE is split on commas. A VALUE that reads as a
number is sent as a number.
--since and --until are whole UTC days, both included: the query covers
--since 00:00Z to the day after --until 00:00Z. --since alone runs to now;
--until alone covers the {DEFAULT_WINDOW_DAYS} days ending on it; neither: the API's own
window ({DEFAULT_WINDOW_DAYS} days).
--order-by FIELD is descending; FIELD:asc is ascending.
--dimensions user shows each member by name or email; --filter user and
--user-id take the member's user id (user_...), and an id of no member comes
back as a warning on stderr.
total_usage is spend with BYOK inference included (usage +
byok_usage_inference of GET /activity): the cost column of "report" plus its
BYOK column, so the two differ by that column; byok_usage is the BYOK part.
Tables and charts show each metric by its format from "meta" ($12.3456,
12.3%, 850 ms, 92.1 tok/s, 1,234); csv and json keep the values as they came.
A truncated result and the server's warnings go to stderr, so stdout holds
only the rows."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    what = parser.add_argument_group("what to ask")
    what.add_argument(
        "--metrics",
        type=options.names,
        required=True,
        metavar="M[,M...]",
        help="metrics to compute, e.g. total_usage,request_count (required)",
    )
    what.add_argument(
        "--dimensions",
        type=options.names,
        metavar="D[,D]",
        help="up to 2 dimensions to group by, e.g. model,provider (default: none, one row)",
    )
    what.add_argument(
        "--granularity",
        type=_granularity,
        metavar="G",
        help=f"time buckets: {', '.join(GRANULARITIES)} (default: none, one row per group)",
    )
    what.add_argument("--since", type=options.date, metavar="YYYY-MM-DD", help="from this UTC day, inclusive")
    what.add_argument("--until", type=options.date, metavar="YYYY-MM-DD", help="to this UTC day, inclusive")
    what.add_argument(
        "--filter",
        nargs=3,
        action="append",
        metavar=("FIELD", "OP", "VALUE"),
        dest="filters",
        help="keep rows whose FIELD compares with VALUE by OP; repeatable",
    )
    what.add_argument(
        "--order-by",
        type=options.text,
        metavar="FIELD[:asc|:desc]",
        help="order by a requested metric or dimension, request_count or date; descending unless :asc",
    )
    what.add_argument(
        "--limit",
        type=options.whole_number(1),
        metavar="N",
        help="at most N rows, up to 10,000 (default: 1,000)",
    )
    what.add_argument(
        "--group-limit",
        type=options.whole_number(1),
        metavar="N",
        help="at most N rows per group of dimension values",
    )

    view = parser.add_argument_group("output")
    view.add_argument(
        "--format",
        choices=["table", "csv", "json", "jsonl", "parquet"],
        default="table",
        help="table for people; csv, json (the API's whole answer), jsonl for programs; parquet, "
        "typed by each metric's format (--output FILE) (default: table)",
    )
    export.add_output_argument(view)
    view.add_argument(
        "--chart",
        action="store_true",
        help="a bar chart of the first metric (or the one of --order-by) per group, or per time "
        "bucket with --granularity",
    )


def _granularity(text: str) -> str:
    """A granularity: not empty (the server knows which names it takes; meta lists them)."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            f"the value is empty; use one of {', '.join(GRANULARITIES)}, or leave the option out "
            "for one row per group"
        )
    return text


def filter_value(operator: str, text: str, flag: str) -> Any:
    """VALUE of ``--filter``: split on commas for ``in``/``not_in``; numbers as numbers."""
    if operator not in LIST_OPERATORS:
        return _scalar(text, flag)
    items = [item.strip() for item in text.split(",")]
    if not all(items):
        raise UsageError(f"{flag}: {text!r} has an empty value; separate the values with single commas")
    return [_scalar(item, flag) for item in items]


def _scalar(text: str, flag: str) -> str | int | float:
    if _INTEGER.fullmatch(text):
        return int(text)
    if _NUMBER.fullmatch(text):
        number = float(text)
        if not math.isfinite(number):
            raise UsageError(
                f"{flag} {text}: the number {text} is out of range (a number can be at most about "
                "1.8e308 either side of 0)"
            )
        return number
    return text


def _order_by(text: str) -> dict[str, str]:
    field, colon, direction = text.rpartition(":")
    if not colon:
        return {"field": text, "direction": "desc"}
    if direction not in ("asc", "desc") or not field.strip():
        raise UsageError(f"--order-by {text!r}: use FIELD, FIELD:asc or FIELD:desc, e.g. total_usage:asc")
    return {"field": field, "direction": direction}


def _midnight(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), dt.UTC)


def time_range(
    since: str | None, until: str | None, *, today: dt.date | None = None
) -> dict[str, dt.datetime] | None:
    """The window of whole UTC days ``since`` to ``until``, both included, or None for the API's."""
    if since is None and until is None:
        return None
    one_day = dt.timedelta(days=1)
    if until is not None:
        end = _midnight(until) + one_day
    else:
        end = dt.datetime.combine((today or dt.datetime.now(dt.UTC).date()) + one_day, dt.time(), dt.UTC)
    start = _midnight(since) if since is not None else end - DEFAULT_WINDOW_DAYS * one_day
    return {"start": start, "end": end}


def query_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``query_analytics`` the command line asks for."""
    arguments: dict[str, Any] = {"metrics": args.metrics}
    if args.dimensions is not None:
        arguments["dimensions"] = args.dimensions
    if args.granularity is not None:
        arguments["granularity"] = args.granularity
    window = time_range(args.since, args.until)
    if window is not None:
        arguments["time_range"] = window
    if args.filters:
        arguments["filters"] = [
            {
                "field": field,
                "operator": operator,
                "value": filter_value(operator, value, f"--filter {field} {operator}"),
            }
            for field, operator, value in args.filters
        ]
    if args.order_by is not None:
        arguments["order_by"] = _order_by(args.order_by)
    if args.limit is not None:
        arguments["limit"] = args.limit
    if args.group_limit is not None:
        arguments["group_limit"] = args.group_limit
    return arguments


def check(args: argparse.Namespace) -> None:
    if args.chart and args.format != "table":
        raise UsageError(f"--chart draws for the terminal and cannot be combined with --format {args.format}")
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    today = dt.datetime.now(dt.UTC).date()
    if args.since and not args.until and dt.date.fromisoformat(args.since) > today:
        raise UsageError(
            f"--since {args.since} is after today ({today}, UTC), so the days from it to now are none; "
            "give a day up to today, or add --until"
        )
    for field, operator, value in args.filters or []:
        flag = f"--filter {field} {operator} {value}"
        if not field.strip():
            raise UsageError(f"{flag!r} names no field; e.g. --filter provider in OpenAI,Anthropic")
        if operator not in OPERATORS:
            raise UsageError(f"{flag!r}: {operator!r} is not an operator; use {', '.join(OPERATORS)}")
    query_arguments(args)  # every value the options make must be sendable
    export.require_arrow(args)
    export.check_output(args)


# A 400 about the query's window rather than its names (time_range: ... at most 31 days).
_ABOUT_THE_WINDOW: Final = re.compile(r"time[_ ]range|window", re.IGNORECASE)


def hint(exc: BaseException, args: argparse.Namespace) -> str | None:
    """A 400 about the window points at --since/--until; any other at the catalogue."""
    from openrouter_analytics.errors import BadRequestResponseError

    if not isinstance(exc, BadRequestResponseError):
        return None
    if _ABOUT_THE_WINDOW.search(exc.message):
        return _window_hint(args)
    return f"'{PROG} meta' lists the metrics, dimensions, operators and granularities this account can use"


def _formats(analytics: Analytics, session: Session) -> dict[str, str]:
    """Metric name -> display format from /analytics/meta; empty (raw values) if it cannot be read."""
    from openrouter_analytics.errors import OpenRouterError

    try:
        meta = analytics.get_analytics_meta()
    except OpenRouterError as exc:
        session.note(f"values are shown as they came: the metric formats could not be read ({exc})")
        return {}
    return {metric.name: str(metric.display_format) for metric in meta.data.metrics}


def _report_on_stderr(response: AnalyticsQueryResponse, session: Session, args: argparse.Namespace) -> None:
    from openrouter_analytics_client.types import Unset

    result = response.data
    for warning in [] if isinstance(result.warnings, Unset) else result.warnings:
        session.warn(f"the server says: {warning}")
    if result.metadata.truncated and not _cut_as_asked(len(result.data), args):
        limit = (
            f"raise --limit (now {args.limit:,}; at most 10,000)"
            if args.limit
            else "raise --limit (at most 10,000)"
        )
        session.note(
            f"the result is truncated to {result.metadata.row_count:,} rows; narrow it with --filter, "
            f"--since/--until or fewer --dimensions, or {limit}"
        )


def _cut_as_asked(rows: int, args: argparse.Namespace) -> bool:
    """Whether the limits typed are what cut the rows: --limit N with N rows back (a top N), or
    --group-limit with fewer rows than the limit allows. Then the cut is the answer asked for."""
    if args.limit is not None and rows >= args.limit:
        return True
    return args.group_limit is not None and rows < (args.limit or DEFAULT_LIMIT)


def _days(args: argparse.Namespace) -> tuple[dt.date, dt.date] | None:
    """The first and last UTC day the query covers, or None for the API's default window."""
    window = time_range(args.since, args.until)
    if window is None:
        return None
    return window["start"].date(), (window["end"] - dt.timedelta(days=1)).date()


# What a filter on a dimension takes where a table shows something else: (the value, where to find it).
_FILTER_TAKES: Final = {
    "model": "a permaslug such as anthropic/claude-4-sonnet-20250522, not the slug the report shows "
    "('--dimensions model' lists them)",
    "user": "a user id (user_...), not the name or email shown",
    "workspace": f"a workspace UUID, not the name shown ('{PROG} --group-by workspace' lists them)",
    "api_key_id": "a key's 64-hex hash or numeric id, not the name shown",
    "app": "a numeric app id, not the title shown",
}


def _note_no_match(args: argparse.Namespace, session: Session) -> None:
    """No row, with filters: say what those filters take, which is often not what a table shows."""
    fields = list(dict.fromkeys(field for field, _, _ in args.filters))
    advice = [f"--filter {field} takes {_FILTER_TAKES[field]}" for field in fields if field in _FILTER_TAKES]
    if any(field not in _FILTER_TAKES for field in fields):
        advice.append("'--dimensions FIELD' lists the values a dimension takes")
    session.note(f"no row matches the filters in {_span(args)}; {'; '.join(advice)}")


def _span(args: argparse.Namespace) -> str:
    days = _days(args)
    if days is None:
        # No time range sent: the API takes the DEFAULT_WINDOW_DAYS days up to now.
        now = dt.datetime.now(dt.UTC)
        first = (now - dt.timedelta(days=DEFAULT_WINDOW_DAYS)).date()
        return f"{first} to {now.date()} (the last {DEFAULT_WINDOW_DAYS} days)"
    first, last = days
    return str(first) if first == last else f"{first} to {last}"


def _window_hint(args: argparse.Namespace) -> str:
    days = _days(args)
    if days is None:
        return (
            f"the query covers the API's default window of {DEFAULT_WINDOW_DAYS} days; "
            "set another with --since/--until"
        )
    first, last = days
    count = (last - first).days + 1
    return f"the query covers {count} days, {first} to {last}; narrow it with --since/--until"


def _bucket_end(start: dt.datetime, granularity: str) -> dt.datetime | None:
    if granularity == "week":
        return start + dt.timedelta(days=7)
    if granularity == "month":
        return (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return None  # minutes, hours and days lie whole inside a window of whole days


def _partial_buckets_labelled(rows: list[dict[str, Any]], args: argparse.Namespace) -> list[dict[str, Any]]:
    """For a person: a week or month bucket that the days asked for cut is labelled with the days
    it covers, ``2026-08-31 (from 09-01)``, since its start alone would claim days not counted."""
    window = time_range(args.since, args.until)
    if window is None or args.granularity not in {"week", "month"}:
        return rows
    column = f"date__{args.granularity}"
    first, last = window["start"], window["end"] - dt.timedelta(days=1)
    labelled = []
    for row in rows:
        try:
            start = dt.datetime.fromisoformat(str(row.get(column))).astimezone(dt.UTC)
        except ValueError:
            labelled.append(row)
            continue
        end = _bucket_end(start, args.granularity)
        cut_before, cut_after = start < first, end is not None and end > window["end"]
        if not (cut_before or cut_after):
            labelled.append(row)
            continue
        covered = (
            f"{first:%m-%d} to {last:%m-%d}"
            if cut_before and cut_after
            else f"from {first:%m-%d}"
            if cut_before
            else f"to {last:%m-%d}"
        )
        labelled.append({**row, column: f"{start:%Y-%m-%d} ({covered})"})
    return labelled


def _render(
    args: argparse.Namespace, response: AnalyticsQueryResponse, formats: dict[str, str], session: Session
) -> str:
    from openrouter_analytics.cli import results

    rows = [row.additional_properties for row in response.data.data]
    dimensions = args.dimensions or []
    columns = results.columns_of(
        rows, metrics=args.metrics, dimensions=dimensions, granularity=args.granularity
    )
    if args.format == "csv":
        return results.render_csv(rows, columns)
    if args.format == "jsonl":
        return results.render_jsonl(rows)
    if args.format == "json":
        document = response.to_dict()
        data = document.get("data")
        if isinstance(data, dict) and isinstance(data.get("warnings"), list):
            # The server's words about the query, not its data: an echoed key is taken out of them.
            data["warnings"] = [
                session.redacted(said) if isinstance(said, str) else said for said in data["warnings"]
            ]
        return results.render_json(document)
    caption = f"OpenRouter analytics, {_span(args)}: {len(rows):,} row{'s' if len(rows) != 1 else ''}"
    rows = _partial_buckets_labelled(rows, args)
    if args.chart:
        groups = " and ".join([*([args.granularity] if args.granularity else []), *dimensions]) or "all"
        label_columns = [
            name for name in columns if name.startswith(results.BUCKET_PREFIX) or name in dimensions
        ]
        # The bars are of the metric ordered by, when it is one asked for, so their order and their
        # lengths agree; else of the first, which the title names.
        ordered_by = _order_by(args.order_by)["field"] if args.order_by is not None else None
        metric: str = ordered_by if ordered_by is not None and ordered_by in args.metrics else args.metrics[0]
        if args.granularity and args.order_by is None:
            rows = sorted(rows, key=lambda row: tuple(str(row.get(name, "")) for name in label_columns))
        return results.render_chart(
            rows,
            metric=metric,
            label_columns=label_columns,
            formats=formats,
            granularity=args.granularity,
            caption=caption,
            title=f"{metric} per {groups}",
            width=session.width(),
            style=session.style(),
            note=session.note,
        )
    return results.render_table(
        rows,
        columns,
        metrics=args.metrics,
        dimensions=dimensions,
        formats=formats,
        granularity=args.granularity,
        caption=caption,
        width=session.width(),
        style=session.style(),
        note=session.note,
    )


def _parquet(
    args: argparse.Namespace, response: AnalyticsQueryResponse, meta: AnalyticsMetaResponse | None
) -> bytes:
    """The rows typed by each metric's display format; the columns asked for even with no rows."""
    from openrouter_analytics.cli import results

    rows = [row.additional_properties for row in response.data.data]
    columns = results.columns_of(
        rows, metrics=args.metrics, dimensions=args.dimensions or [], granularity=args.granularity
    )
    with export.table_of_answer(args):
        return export.parquet_bytes(response.to_arrow(meta=meta, columns=columns))


def _meta(analytics: Analytics, session: Session) -> AnalyticsMetaResponse | None:
    from openrouter_analytics.errors import OpenRouterError

    try:
        return analytics.get_analytics_meta()
    except OpenRouterError as exc:
        session.note(f"metrics are typed by their values: the metric formats could not be read ({exc})")
        return None


def run(args: argparse.Namespace, session: Session) -> int:
    arguments = query_arguments(args)
    meta = None
    with session.client("running the query…") as analytics:
        response = analytics.query_analytics(**arguments)
        formats = _formats(analytics, session) if args.format == "table" else {}
        if args.format == "parquet":
            meta = _meta(analytics, session)
    output = (
        _parquet(args, response, meta)
        if args.format == "parquet"
        else _render(args, response, formats, session)
    )
    _report_on_stderr(response, session, args)
    if args.filters and not response.data.data:
        _note_no_match(args, session)
    export.deliver(args, session, output, len(response.data.data))
    return EXIT_OK


COMMAND: Final = Command(
    name="query",
    summary="cost, volume, latency and cache figures, grouped and bucketed as asked",
    description=_DESCRIPTION,
    examples=_EXAMPLES,
    add_arguments=add_arguments,
    run=run,
    check=check,
    hint=hint,
)
