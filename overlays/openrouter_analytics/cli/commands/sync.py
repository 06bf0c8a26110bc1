"""``openrouter-activity sync``: fetch the last 30 completed days and keep them in the history."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Final

from openrouter_analytics.cli.command import Command
from openrouter_analytics.cli.exits import EXIT_OK
from openrouter_analytics.cli.session import PROG, Session

if TYPE_CHECKING:
    from openrouter_analytics.history import SyncResult

_DESCRIPTION: Final = """\
Keep every day: fetch the last 30 completed UTC days of GET /activity (split
per workspace) and write them to the local history, a SQLite file. Each day
the API returned replaces the day kept, whole, in one transaction with the
others (late corrections land; a day is never half-written or doubled); older
days are never touched. Prints what changed. Days that fell out of the API's
window before any sync saw them are a gap: reported once, by date, and shown
as a gap by reports, never filled in.

The file: --db PATH, else $OPENROUTER_ANALYTICS_DB, else history.sqlite3 in
the platform's user data directory (~/.local/share/openrouter-analytics/ on
Linux). The key is never stored; a short fingerprint of it ties the days to
their account, and a key of another account is refused (--account NAME)."""

_EXAMPLES: Final = f"""\
examples:
  {PROG} sync                        keep the last 30 days
  {PROG} sync --db ~/finance/openrouter.sqlite3
  {PROG} sync --account acme         a new key of the account named acme
  {PROG} sync --format json | jq .added

crontab line (every day at 00:05 local time; the days are UTC):
  5 0 * * * {PROG} sync"""


_READ_ACCOUNT = "the account of the history to read (default: the file's only one)"
_SYNC_ACCOUNT = "the account in the history (default: the key's own, or a new one in a new file)"


def add_history_options(
    parser: argparse.ArgumentParser, *, db: bool = True, account: str = _READ_ACCOUNT
) -> argparse._ArgumentGroup:
    """--db and --account, for every command that opens the history (``db=False``: the command
    has --db already, for the same file: check's notifications keep what they sent in it)."""
    group = parser.add_argument_group("the local history")
    if db:
        group.add_argument(
            "--db",
            metavar="PATH",
            help="the history file (default: $OPENROUTER_ANALYTICS_DB, else history.sqlite3 in the user "
            "data directory)",
        )
    group.add_argument("--account", metavar="NAME", help=account)
    return group


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = add_history_options(parser, account=_SYNC_ACCOUNT)
    group.add_argument(
        "--api-key-hash", metavar="HASH", help="keep one API key's days, as a series of their own"
    )
    group.add_argument("--user-id", metavar="ID", help="keep one member's days, as a series of their own")
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text: one line of what changed; json: the whole result on one line (default: text)",
    )


def to_dict(result: SyncResult) -> dict[str, object]:
    """The result as plain JSON types."""
    return {
        "path": result.path,
        "account": result.account,
        "first_day": result.first_day,
        "last_day": result.last_day,
        "days": result.days,
        "added": list(result.added),
        "updated": list(result.updated),
        "unchanged": list(result.unchanged),
        "rows": result.rows,
        "new_gaps": [{"first": gap.first, "last": gap.last, "days": gap.days} for gap in result.new_gaps],
        "gaps": [{"first": gap.first, "last": gap.last, "days": gap.days} for gap in result.gaps],
        "history_first": result.history_first,
        "history_last": result.history_last,
        "fetched_at": result.fetched_at,
        "left_out": list(result.left_out),
        "emptied": list(result.emptied),
        "kept_newer": list(result.kept_newer),
    }


def _same_series(args: argparse.Namespace) -> list[str]:
    """The options of this sync that choose what it keeps: its account and filter."""
    from openrouter_analytics.history._location import shell_word

    chosen = [("--account", args.account), ("--api-key-hash", args.api_key_hash), ("--user-id", args.user_id)]
    return [f"{flag} {shell_word(value)}" for flag, value in chosen if value]


def run(args: argparse.Namespace, session: Session) -> int:
    from openrouter_analytics.history import History
    from openrouter_analytics.history._location import sync_command

    with session.client("fetching activity…") as analytics, History(args.db, account=args.account) as history:
        result = history.sync(analytics, api_key_hash=args.api_key_hash, user_id=args.user_id)
    for gap in result.new_gaps:
        session.warn(
            f"a gap in the history: no data for {gap} ({gap.days} day{'s' if gap.days > 1 else ''}), "
            "which fell out of the API's 30-day window before a sync saw them; a daily sync "
            f"(crontab: 5 0 * * * {sync_command(history.path, *_same_series(args))}) keeps every day"
        )
    if result.left_out:
        session.warn(
            f"the answer held rows of {', '.join(result.left_out)}, outside the window of "
            f"{result.first_day} to {result.last_day} (today is not a completed day; rows "
            "before the window are not a whole day); those rows were not kept"
        )
    if result.kept_newer:
        them = "it" if len(result.kept_newer) == 1 else "them"
        session.warn(
            f"{', '.join(result.kept_newer)} kept as another sync wrote {them}, from an answer asked for "
            "after this one's"
        )
    if result.emptied:
        days = result.emptied
        session.warn(
            f"{len(days)} day{'s' if len(days) > 1 else ''} that had activity "
            f"{'have' if len(days) > 1 else 'has'} none in this answer ({', '.join(days)}): kept so; if the "
            "API was down or late, sync again while they are in its 30-day window"
        )
    if args.format == "json":
        import json

        session.output(json.dumps(to_dict(result)) + "\n")
    else:
        session.output(result.summary_line() + "\n")
    return EXIT_OK


COMMAND: Final = Command(
    name="sync",
    summary="keep the last 30 days in the local history (a SQLite file), for reports over any range",
    description=_DESCRIPTION,
    examples=_EXAMPLES,
    add_arguments=add_arguments,
    run=run,
)
