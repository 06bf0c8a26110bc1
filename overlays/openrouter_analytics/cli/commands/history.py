"""``openrouter-activity history``: what the local history keeps; ``history export``: its rows
out, as CSV, JSON Lines or Parquet."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Final

from openrouter_analytics.cli import options
from openrouter_analytics.cli.command import Command
from openrouter_analytics.cli.commands.sync import add_history_options
from openrouter_analytics.cli.exits import EXIT_OK, UsageError
from openrouter_analytics.cli.session import PROG, Session
from openrouter_analytics.cli.text import printable

if TYPE_CHECKING:
    from openrouter_analytics.history import History

EXPORT_FORMATS: Final = ("csv", "jsonl", "parquet")
SHOW_FORMATS: Final = ("text", "json")

_DESCRIPTION: Final = f"""\
What the local history keeps (kept by "{PROG} sync"): per account, the
first and last day, how many days and rows, the gaps, when it was last
fetched, and the size of the file. Reads only the file: no key, no network.

"history export" writes the rows kept, every field of every row, to a file:
CSV (one header, the fields the spec does not declare as JSON in "extra")
or JSON Lines (each row as the API sent it); or, as Parquet, to a directory
partitioned by month (DIR/month=2026-09/part-0.parquet), which DuckDB,
Polars, Spark, Trino, BigQuery and Snowflake read as one table. It is
written beside DIR and renamed into place when whole; an earlier export in
DIR is replaced as a whole, any other non-empty DIR is refused."""

_EXAMPLES: Final = f"""\
examples:
  {PROG} history
  {PROG} history --format json | jq '.series[0].gaps'
  {PROG} history export --format csv --output year.csv --since 2026-01-01
  {PROG} history export --format jsonl --output - | head
  {PROG} history export --format parquet --output exports/openrouter"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        choices=["export"],
        metavar="export",
        help="write the rows kept to --output, as --format says",
    )
    add_history_options(parser)
    chosen = parser.add_argument_group("what and how")
    chosen.add_argument(
        "--format",
        choices=[*SHOW_FORMATS, *EXPORT_FORMATS],
        help=f"{' or '.join(SHOW_FORMATS)} for the overview (default: text); {', '.join(EXPORT_FORMATS)} "
        "for export (required)",
    )
    chosen.add_argument(
        "--output", metavar="FILE|DIR", help="export: the file to write ('-': stdout); parquet: a directory"
    )
    chosen.add_argument("--since", type=options.date, metavar="YYYY-MM-DD", help="export: from this day")
    chosen.add_argument("--until", type=options.date, metavar="YYYY-MM-DD", help="export: to this day")
    chosen.add_argument("--workspace-id", metavar="UUID", help="export: one workspace's rows")
    chosen.add_argument(
        "--api-key-hash", metavar="HASH", help="export: the series synced with --api-key-hash"
    )
    chosen.add_argument("--user-id", metavar="ID", help="export: the series synced with --user-id")


def check(args: argparse.Namespace) -> None:
    if args.action != "export":
        given = [
            flag
            for flag, value in (
                ("--output", args.output),
                ("--since", args.since),
                ("--until", args.until),
                ("--workspace-id", args.workspace_id),
                ("--api-key-hash", args.api_key_hash),
                ("--user-id", args.user_id),
            )
            if value is not None
        ]
        if given:
            raise UsageError(
                f"{', '.join(given)} go with 'history export'; '{PROG} history' shows what is kept, "
                "every series of every account"
            )
        if args.format not in (None, *SHOW_FORMATS):
            raise UsageError(
                f"--format {args.format} is a format of 'history export'; the overview is text or json"
            )
        return
    if args.format not in EXPORT_FORMATS:
        raise UsageError(f"history export needs --format {' or '.join(EXPORT_FORMATS)}")
    if args.output is None or not args.output.strip():
        raise UsageError("history export needs --output FILE ('-' writes to stdout)")
    if args.format == "parquet" and args.output == "-":
        raise UsageError("a Parquet export is a directory of months: pass --output DIR")
    if args.format == "parquet":
        from openrouter_analytics.cli.export import require_arrow

        require_arrow(args)
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")


def _size(size: int) -> str:
    if size < 1000:
        return f"{size:,} bytes"
    scaled = float(size)
    for unit in ("kB", "MB", "GB"):
        scaled /= 1000
        if scaled < 1000 or unit == "GB":
            break
    return f"{scaled:.1f} {unit}"


def _series_name(entry: dict[str, Any]) -> str:
    name = f"account {entry['account']}"
    if entry["api_key_hash"]:
        name += f", --api-key-hash {entry['api_key_hash']}"
    if entry["user_id"]:
        name += f", --user-id {entry['user_id']}"
    return name


def _show(history: History, args: argparse.Namespace, session: Session) -> int:
    from openrouter_analytics.history import SCHEMA_VERSION

    overview = history.overview()
    size = history.file_size()
    if args.format == "json":
        import json

        document = {
            "path": str(history.path),
            "bytes": size,
            "schema": SCHEMA_VERSION,
            "series": [
                {**entry, "gaps": [{"first": g.first, "last": g.last, "days": g.days} for g in entry["gaps"]]}
                for entry in overview
            ],
        }
        session.output(json.dumps(document) + "\n")
        return EXIT_OK
    lines = [f"history {history.path} ({_size(size)})"]
    for entry in overview:
        gaps = entry["gaps"]
        gap_text = f"{len(gaps)} gap{'' if len(gaps) == 1 else 's'}"
        if gaps:
            gap_text += f" ({', '.join(str(gap) for gap in gaps)})"
        lines.append(
            f"{_series_name(entry)}: {entry['first_day']} to {entry['last_day']}, {entry['days']:,} days, "
            f"{entry['rows']:,} rows, {gap_text}; last fetched {entry['last_fetched_at']}"
        )
    if not overview:
        from openrouter_analytics.history._location import sync_command

        lines.append(f"no days kept yet; '{sync_command(history.path)}' fetches them")
    # Names come from the file (an account named by whoever synced it): shown, never acted on.
    session.output("".join(f"{printable(line)}\n" for line in lines))
    return EXIT_OK


def _refuse_a_range_not_kept(history: History, args: argparse.Namespace) -> None:
    """--since/--until holding no day kept: refused, as report --history refuses it, rather than
    written as a file of no rows that reads as a range without activity."""
    from openrouter_analytics.cli.commands.report import range_flags
    from openrouter_analytics.history._days import range_not_kept

    days = history.days(api_key_hash=args.api_key_hash, user_id=args.user_id)
    refused = range_not_kept(days, args.since, args.until, asked=range_flags(args), path=history.path)
    if refused is not None:
        raise refused


def _note_days_not_exported(history: Any, args: argparse.Namespace, session: Session) -> None:
    """As report --history notes them: the parts of --since/--until outside the days kept, and
    the gaps within (a finance export must not pass a missing week for a quiet one)."""
    from openrouter_analytics.cli.commands import report

    days = history.days(api_key_hash=args.api_key_hash, user_id=args.user_id)
    if days:
        report.note_days_not_kept(days, args, session, left="not exported")
    report.note_gaps(history, args, session, left="these days are not in the export")


def run(args: argparse.Namespace, session: Session) -> int:
    from openrouter_analytics.errors import OpenRouterError
    from openrouter_analytics.history import History

    with History(args.db, account=args.account) as history:
        if args.action != "export":
            return _show(history, args, session)
        output = None if args.output == "-" else args.output
        if args.since is not None or args.until is not None:
            _refuse_a_range_not_kept(history, args)
        try:
            count = history.export(
                output,
                args.format,
                since=args.since,
                until=args.until,
                workspace_id=args.workspace_id,
                api_key_hash=args.api_key_hash,
                user_id=args.user_id,
            )
        except OpenRouterError as exc:
            if output is None and isinstance(exc.__cause__, BrokenPipeError):
                session.reader_gone()
                return EXIT_OK
            raise
        _note_days_not_exported(history, args, session)
    if output is not None:
        session.note(f"{count:,} rows written to {output}")
    return EXIT_OK


COMMAND: Final = Command(
    name="history",
    summary="what the local history keeps; 'history export' writes its rows as CSV, JSON Lines or Parquet",
    description=_DESCRIPTION,
    examples=_EXAMPLES,
    add_arguments=add_arguments,
    run=run,
    check=check,
    needs_key=lambda args: False,
)
