"""``--notify URL``, ``--notify-on`` and ``--db``: telling people a verdict, for ``budget`` and ``check``.

The rule of when to send and the message are :func:`openrouter_analytics.notify.notify`'s; this
module reads the options, calls it after the verdict is printed, and says on stderr what was
sent, and what could not be (exit 6).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Final

from openrouter_analytics.cli.exits import EXIT_NOTIFY, UsageError

if TYPE_CHECKING:
    from openrouter_analytics.budget import BudgetCheck
    from openrouter_analytics.notify import NotifyResult
    from openrouter_analytics.spend import SpendCheck

    from .session import Session

__all__ = ["FILTER_NAMES", "add_arguments", "check", "scope", "send"]

FILTER_NAMES: Final = (
    ("api_key_hash", "API key"),
    ("user_id", "member"),
    ("workspace_id", "workspace"),
)
"""The filters of GET /activity a message names, as people read them."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that send the verdict somewhere."""
    group = parser.add_argument_group(
        "notifications (Apprise URLs; pip install 'openrouter-analytics[notify]')"
    )
    group.add_argument(
        "--notify",
        action="append",
        metavar="URL",
        help="tell this Apprise URL: slack://..., msteams://..., discord://..., mailto://..., "
        "ntfys://..., json://host/path for any webhook; repeatable",
    )
    group.add_argument(
        "--notify-on",
        choices=["breach", "always"],
        help="breach: each warning once per period, remembered in the history file (default); "
        "always: every run, warning or not (a daily digest)",
    )
    group.add_argument(
        "--db",
        metavar="PATH",
        help="the history file: what --history reads, and whose notifications_sent table remembers "
        "what was sent (default: "
        "$OPENROUTER_ANALYTICS_DB, else history.sqlite3 in the user data directory, "
        "~/.local/share/openrouter-analytics/ on Linux)",
    )


def check(args: argparse.Namespace) -> None:
    """Refuse --notify-on or --db without --notify, and URLs Apprise cannot send to, before the
    key is read."""
    if not args.notify:
        # With --history (check's), --db is the history read.
        db = None if getattr(args, "history", False) else args.db
        for flag, value in (("--notify-on", args.notify_on), ("--db", db)):
            if value is not None:
                raise UsageError(f"{flag} has no effect without --notify URL; add one, or leave out {flag}")
        return
    from openrouter_analytics.notify import check_urls

    if args.db is not None and not args.db.strip():
        raise UsageError(f"--db must be the path of a file, got {args.db!r}")
    try:
        check_urls(args.notify)
    except ImportError as exc:
        raise UsageError(str(exc)) from None


def scope(args: argparse.Namespace) -> str | None:
    """The filters sent to the API, named for a message: ``workspace 550e8400-...``."""
    parts = [f"{name} {getattr(args, dest)}" for dest, name in FILTER_NAMES if getattr(args, dest, None)]
    return ", ".join(parts) or None


def send(
    args: argparse.Namespace, session: Session, result: BudgetCheck | SpendCheck
) -> tuple[NotifyResult | None, BaseException | None]:
    """Notify ``--notify``'s URLs of ``result``; the outcome, or the error that stopped it."""
    if not args.notify:
        return None, None
    from openrouter_analytics.notify import SentStore, SentStoreError, notify

    try:
        outcome = notify(
            args.notify,
            result,
            store=SentStore(args.db),
            on=args.notify_on or "breach",
            scope=scope(args),
        )
    except SentStoreError as exc:
        return None, exc
    for delivery in outcome.sent:
        what = ", ".join(f"{group} {warning}" for group, warning in delivery.warnings)
        session.note(f"notified {delivery.shown}" + (f": {_terminal(what)}" if what else ""))
    if args.verbose:
        for delivery in outcome.skipped:
            session.note(f"nothing new for {delivery.shown} (each warning is sent once per period)")
    return outcome, None


def report_failures(outcome: NotifyResult | None, session: Session) -> int | None:
    """An error line per destination that failed or whose delivery was not recorded;
    EXIT_NOTIFY when any was, else None."""
    if outcome is None or outcome.ok:
        return None
    for delivery in outcome.failed:
        session.error(
            f"could not notify {delivery.shown}: {_terminal(delivery.reason or '')} "
            "(not recorded as sent: the next run tries again)"
        )
    for delivery in outcome.unrecorded:
        session.error(
            f"notified {delivery.shown}, but could not record it as sent, so the next run tells it "
            f"again: {_terminal(delivery.reason or '')}"
        )
    return EXIT_NOTIFY


def document(outcome: NotifyResult | None) -> dict[str, Any] | None:
    return None if outcome is None else dict(outcome.to_dict())


def _terminal(text: str) -> str:
    from .text import printable

    return printable(text)
