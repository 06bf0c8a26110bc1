"""What a notification says: a title and a short body of numbers, built from a verdict.

Text from the server (model slugs, provider names, workspace ids) and from the caller (the
scope) passes through :func:`plain` before it is put in a message: control and invisible
characters go, and the characters chat and mail services read as markup or mentions (``@``,
``<``, ``*``, ``[`` ...) become their full-width look-alikes, which no service interprets. The
message is then handed to Apprise as plain text, which escapes it once more for each service
(HTML for mail, CommonMark for Markdown services, ``&lt;`` for Slack).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Collection
from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from openrouter_analytics.budget import BudgetCheck
    from openrouter_analytics.spend import SpendCheck

__all__ = ["Message", "Verdict", "plain", "verdict_of"]

MAX_NAME_CHARS: Final = 80
MAX_GROUPS_LISTED: Final = 10
NO_ACTIVITY_GROUP: Final = "total"
NO_ACTIVITY: Final = "no_activity"
"""The warning of a check that failed for want of rows (``SpendCheck.no_activity``), kept as
a breach is: sent once for its day."""

_DROPPED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_BREAKING_CATEGORIES: Final = frozenset({"Zl", "Zp", "Zs"})
# Markup, mentions and entities in Markdown, Slack mrkdwn, Discord, Teams, HTML and e-mail.
_MARKUP: Final = '@<>&*_~`[]#|\\!{}"'
_LOOK_ALIKES: Final = str.maketrans({char: chr(ord(char) + 0xFEE0) for char in _MARKUP})


def plain(text: str, limit: int = MAX_NAME_CHARS) -> str:
    """``text`` safe to put in a message: one line, no control or invisible characters, no
    markup, at most ``limit`` characters (cut with ``…``); ``(none)`` when nothing is left."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\t\n\r" or category in _BREAKING_CATEGORIES:
            kept.append(" ")
        elif category not in _DROPPED_CATEGORIES:
            kept.append(char)
    cleaned = " ".join("".join(kept).split()).translate(_LOOK_ALIKES)
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1] + "…"
    return cleaned or "(none)"


def _money(value: float) -> str:
    """``$1,234.57``: to the cent, as people read money in a message."""
    sign = "-" if value < 0 and round(value, 2) != 0 else ""
    return f"{sign}${abs(value):,.2f}"


def _percent(value: float) -> str:
    """A share in whole percent, rounded down, so 79.99% never reads as a threshold of 80% reached."""
    return f"{math.floor(value):,}%" if math.isfinite(value) else "n/a"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class Message(NamedTuple):
    """A notification: ``title`` and ``body``, plain text without server text left raw."""

    title: str
    body: str


class Verdict(NamedTuple):
    """What any verdict gives notifications: its kind (``budget`` or ``check``), the period a
    warning is sent once in, and every ``(group, warning)`` it raises."""

    kind: str
    period: str
    warnings: tuple[tuple[str, str], ...]
    result: BudgetCheck | SpendCheck

    def message(self, new: Collection[tuple[str, str]], scope: str | None) -> Message:
        """The message for this verdict; the warnings in ``new`` are marked ``(new)``."""
        from openrouter_analytics.budget import BudgetCheck

        if isinstance(self.result, BudgetCheck):
            return _budget_message(self.result, new, scope)
        return _check_message(self.result, new, scope)


def verdict_of(result: object) -> Verdict | None:
    """The :class:`Verdict` of a :class:`BudgetCheck` or a :class:`SpendCheck`; None for anything else."""
    from openrouter_analytics.budget import BudgetCheck
    from openrouter_analytics.spend import SpendCheck

    if isinstance(result, BudgetCheck):
        return Verdict("budget", result.period, result.warnings, result)
    if isinstance(result, SpendCheck):
        warnings: tuple[tuple[str, str], ...] = tuple(
            (check.group, breach) for check in result.checks for breach in check.breaches
        )
        if _failed_for_want_of_rows(result):  # as much a warning as a breach
            warnings = ((NO_ACTIVITY_GROUP, NO_ACTIVITY),)
        return Verdict("check", result.day, warnings, result)
    return None


def _listed(lines: list[str], more: int) -> None:
    if more > 0:
        lines.append(f"… and {more} more")


def _scope_line(scope: str | None) -> list[str]:
    return [f"Scope: {plain(scope, 200)}"] if scope else []


def _budget_message(result: BudgetCheck, new: Collection[tuple[str, str]], scope: str | None) -> Message:
    from openrouter_analytics.budget import FORECAST

    budget = _money(result.monthly)
    warned = [group for group in result.groups if group.warnings]
    if result.by == "total":
        (total,) = result.groups
        title = (
            f"OpenRouter budget: {_percent(total.used)} of {budget} used, forecast {_money(total.forecast)}"
        )
    elif warned:
        # A group may be warned of its forecast alone: it is "warned", not "over a threshold".
        title = (
            f"OpenRouter budget per {result.by}: {len(warned)} of {_plural(len(result.groups), result.by)} "
            f"warned (a threshold of {budget} each reached, or the forecast over it)"
        )
    else:
        groups = _plural(len(result.groups), result.by)
        title = f"OpenRouter budget per {result.by}: {groups} within {budget} each"

    month = f"{_month_name(result.period)}"
    if result.through is None:
        period = (
            f"{month}: its first day, nothing completed yet, so nothing is judged; "
            f"{_plural(result.days_left, 'day')} left"
        )
    else:
        period = (
            f"{month}, month to date through {result.through} "
            f"({result.days_completed} of {result.days_in_month} days, {result.days_left} left with today)"
        )
    thresholds = ", ".join(f"{percent:g}%" for percent in result.warn_at)
    each = f" per {result.by}" if result.by != "total" else ""
    lines = [period, f"Budget {budget} a month{each}; warnings at {thresholds}"]
    lines += _scope_line(scope)

    shown = warned or list(result.groups)
    for group in shown[:MAX_GROUPS_LISTED]:
        notes = []
        for warning in group.warnings:
            text = "forecast over budget" if warning == FORECAST else f"{warning} reached"
            notes.append(text + (" (new)" if (group.group, warning) in new else ""))
        numbers = (
            f"{_money(group.month_to_date)} ({_percent(group.used)}), forecast "
            f"{_money(group.forecast)} ({_percent(group.forecast_used)}) at {_money(group.daily_mean)} a day"
        )
        lines.append(f"- {plain(group.group)}: {numbers}" + (f"; {', '.join(notes)}" if notes else ""))
    _listed(lines, len(shown) - MAX_GROUPS_LISTED)
    if not warned:
        lines.append("Within budget.")
    return Message(title, "\n".join(lines))


def _check_message(result: SpendCheck, new: Collection[tuple[str, str]], scope: str | None) -> Message:
    if _failed_for_want_of_rows(result):
        return _no_activity_message(result, new, scope)
    breaches = [(check, breach) for check in result.checks for breach in check.breaches]
    if breaches:
        over = len({check.group for check, _ in breaches})
        who = "" if result.by == "total" else f" by {over} of {_plural(len(result.checks), result.by)}"
        title = f"OpenRouter spend on {result.day}: {_plural(len(breaches), 'limit')} breached{who}"
    else:
        title = f"OpenRouter spend on {result.day}: within limits"
    lines = [f"The UTC day {result.day}"]
    lines += _scope_line(scope)
    for check, breach in breaches[:MAX_GROUPS_LISTED]:
        if breach == "max_cost":
            limit = f"over the max cost {_money(check.max_cost or 0.0)}"
        else:
            limit = (
                f"over {check.max_increase:g} times its daily mean of {_money(check.baseline)} "
                "in the days before"
            )
        mark = " (new)" if (check.group, breach) in new else ""
        lines.append(f"- {plain(check.group)}: {_money(check.cost)}, {limit}{mark}")
    _listed(lines, len(breaches) - MAX_GROUPS_LISTED)
    if not breaches:
        total = math.fsum(check.cost for check in result.checks)
        lines.append(f"Within limits: {_money(total)} in all.")
    return Message(title, "\n".join(lines))


def _failed_for_want_of_rows(result: SpendCheck) -> bool:
    """Whether the check failed with no limit breached: no rows on the day (``require_activity``)
    or none in the report (``SpendCheck.no_activity``)."""
    return not result.ok and not any(check.breaches for check in result.checks)


def _no_activity_message(result: SpendCheck, new: Collection[tuple[str, str]], scope: str | None) -> Message:
    """A check that failed for want of rows: none on the day (``require_activity``), or none in
    the whole report, so that nothing was checked."""
    mark = " (new)" if (NO_ACTIVITY_GROUP, NO_ACTIVITY) in new else ""
    if result.no_activity == "window":
        title = f"OpenRouter spend on {result.day}: not checked, no activity"
        said = "No rows at all in the report checked: nothing was checked (is it the right key and filters?)"
    else:
        title = f"OpenRouter spend on {result.day}: no activity"
        said = f"No rows on {result.day}, and a day without activity fails this check"
    lines = [f"The UTC day {result.day}", *_scope_line(scope), f"{said}{mark}."]
    return Message(title, "\n".join(lines))


def _month_name(period: str) -> str:
    import calendar

    year, month = period.split("-")
    return f"{calendar.month_name[int(month)]} {year}"
