"""Sending a verdict to Apprise URLs, once per warning and period when a store remembers."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final, Literal, TypedDict, get_args

import attrs

from openrouter_analytics._validation import describe
from openrouter_analytics.errors import InvalidParameterError

from ._message import Message, plain, verdict_of
from ._store import SentStore, SentStoreError, destination_id

if TYPE_CHECKING:
    from openrouter_analytics.budget import BudgetCheck
    from openrouter_analytics.spend import SpendCheck

__all__ = [
    "INSTALL_HINT",
    "NOTIFY_ON",
    "Delivery",
    "NotifyOn",
    "NotifyResult",
    "NotifyResultDict",
    "check_urls",
    "notify",
]

NotifyOn = Literal["breach", "always"]
"""When to send: ``"breach"``, a warning not sent before in its period; ``"always"``, every call."""

NOTIFY_ON: Final[tuple[NotifyOn, ...]] = get_args(NotifyOn)
INSTALL_HINT: Final = "pip install 'openrouter-analytics[notify]'"
SERVICES_DOCS: Final = "https://github.com/caronc/apprise/wiki"
_MAX_REASON_CHARS: Final = 300


def _apprise() -> Any:
    """The Apprise module, imported on first use; ImportError naming the extra when missing."""
    try:
        import apprise
    except ImportError as exc:
        raise ImportError(
            f"notifications are sent with Apprise, which is not installed: {INSTALL_HINT}", name="apprise"
        ) from exc
    return apprise


def _asset(apprise: Any) -> Any:
    # Apprise may keep caches on disk; nothing of ours should leave files behind.
    return apprise.AppriseAsset(storage_mode=apprise.PersistentStoreMode.MEMORY)


class _Target:
    """One destination: the URL as given, Apprise's service for it and its masked form."""

    def __init__(self, url: str, service: Any) -> None:
        self.url = url
        self.service = service
        # Apprise's form with tokens and passwords masked; its query (every default spelled
        # out) says nothing a person needs to tell destinations apart.
        self.shown: str = service.url(privacy=True).partition("?")[0]


def _scheme(url: str) -> str:
    scheme, separator, _ = url.partition("://")
    return f"{plain(scheme, 20)}://" if separator else "a URL without a scheme"


def _targets(urls: object) -> tuple[Any, list[_Target]]:
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, Iterable) or isinstance(urls, bytes):
        raise InvalidParameterError(
            "urls", f"urls must be Apprise URLs, e.g. ['slack://T1/B2/C3'], {describe(urls)}"
        )
    listed = list(urls)
    if not listed:
        raise InvalidParameterError(
            "urls", "urls must hold at least one Apprise URL, e.g. 'slack://T1/B2/C3'"
        )
    for index, url in enumerate(listed):
        if not isinstance(url, str) or not url.strip():
            # Never echo a URL: it may hold a token.
            got = "blank text" if isinstance(url, str) else type(url).__name__
            raise InvalidParameterError(
                "urls", f"urls[{index}] must be an Apprise URL such as 'slack://T1/B2/C3', got {got}"
            )
    apprise = _apprise()
    asset = _asset(apprise)
    targets = []
    # One destination however it was spelled (spaces around it, the scheme's case): told once.
    for index, url in enumerate(dict.fromkeys(map(_spelled_one_way, listed))):
        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s"):
            service = apprise.Apprise.instantiate(url, asset=asset)
        if service is None:
            raise InvalidParameterError(
                "urls",
                f"urls[{index}] ({_scheme(url)}) is not a URL Apprise can send to; its services "
                f"and their URLs are listed at {SERVICES_DOCS}",
            )
        targets.append(_Target(url, service))
    return apprise, targets


def _spelled_one_way(url: str) -> str:
    scheme, separator, rest = url.strip().partition("://")
    return f"{scheme.lower()}{separator}{rest}"


def check_urls(urls: str | Iterable[str]) -> list[str]:
    """Refuse what Apprise cannot send to, before anything is fetched or sent; return each URL
    as shown in messages and results, with Apprise masking tokens and passwords.

    Raises InvalidParameterError naming ``urls`` (never echoing a URL, which may hold a
    secret), or ImportError naming the ``notify`` extra when Apprise is not installed.
    """
    _, targets = _targets(urls)
    return [target.shown for target in targets]


@attrs.frozen
class Delivery:
    """What happened for one destination."""

    url: str = attrs.field(repr=False)
    """The URL as given (it may hold a token: kept out of ``repr``)."""
    shown: str
    """The URL with Apprise masking its tokens and passwords, for messages and logs."""
    warnings: tuple[tuple[str, str], ...] = ()
    """``(group, warning)`` pairs: new in what was sent or failed; already sent when skipped."""
    reason: str | None = None
    """Why delivery failed (what Apprise said), for ``failed``; why it was not recorded, for
    ``unrecorded``."""


class NotifyResultDict(TypedDict):
    sent: list[dict[str, Any]]
    failed: list[dict[str, Any]]
    skipped: list[dict[str, Any]]
    unrecorded: list[dict[str, Any]]


@attrs.frozen
class NotifyResult:
    """Which destinations got the message, which failed and why, which were skipped because
    they had nothing new (every warning already sent this period, or none raised), and which
    of those sent could not be recorded as sent."""

    sent: tuple[Delivery, ...]
    failed: tuple[Delivery, ...]
    skipped: tuple[Delivery, ...]
    unrecorded: tuple[Delivery, ...] = ()
    """Destinations of ``sent`` whose delivery the store could not record (a full disk, say),
    with the store's error as ``reason``: the next run sends them the same warnings again."""

    @property
    def ok(self) -> bool:
        """True when no destination failed and every delivery was recorded."""
        return not self.failed and not self.unrecorded

    def to_dict(self) -> NotifyResultDict:
        """As plain JSON types, each URL masked: ``{"sent": [{"url", "warnings"}], "failed":
        [{"url", "warnings", "reason"}], "skipped": [{"url", "warnings"}], "unrecorded":
        [{"url", "warnings", "reason"}]}``."""

        def entry(delivery: Delivery, *, reason: bool = False) -> dict[str, Any]:
            document: dict[str, Any] = {
                "url": delivery.shown,
                "warnings": [{"group": group, "warning": warning} for group, warning in delivery.warnings],
            }
            if reason:
                document["reason"] = delivery.reason
            return document

        return {
            "sent": [entry(delivery) for delivery in self.sent],
            "failed": [entry(delivery, reason=True) for delivery in self.failed],
            "skipped": [entry(delivery) for delivery in self.skipped],
            "unrecorded": [entry(delivery, reason=True) for delivery in self.unrecorded],
        }


def _identity(result: BudgetCheck | SpendCheck, scope: str | None) -> str:
    """What tells one budget or set of limits from another in the store."""
    from openrouter_analytics.budget import BudgetCheck

    if isinstance(result, BudgetCheck):
        parts = [f"monthly={result.monthly!r}", f"by={result.by}"]
    else:
        limits = result.checks[0] if result.checks else None
        parts = [
            f"by={result.by}",
            f"max_cost={limits.max_cost if limits else None!r}",
            f"max_increase={limits.max_increase if limits else None!r}",
        ]
    if scope:
        parts.append(f"scope={scope}")
    return " ".join(parts)


def _send(apprise: Any, target: _Target, message: Message, *, warning: bool) -> str | None:
    """Deliver ``message`` to one destination; None when delivered, else why not."""
    client = apprise.Apprise(asset=_asset(apprise))
    client.add(target.service)
    notify_type = apprise.NotifyType.WARNING if warning else apprise.NotifyType.INFO
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as log:
        try:
            delivered = client.notify(
                body=message.body,
                title=message.title,
                notify_type=notify_type,
                body_format=apprise.NotifyFormat.TEXT,
            )
        except Exception as exc:  # a plugin's own bug must not stop the other destinations
            return plain(f"{type(exc).__name__}: {exc}", _MAX_REASON_CHARS)
        said = log.getvalue()
    if delivered:
        return None
    return (
        plain(" ".join(said.split()), _MAX_REASON_CHARS)
        if said.strip()
        else "not delivered (no reason given)"
    )


def notify(
    urls: str | Iterable[str],
    result: BudgetCheck | SpendCheck,
    *,
    store: SentStore | str | os.PathLike[str] | None = None,
    on: NotifyOn = "breach",
    scope: str | None = None,
) -> NotifyResult:
    """Tell people about a verdict of :func:`~openrouter_analytics.check_budget` or
    :func:`~openrouter_analytics.check_spend`, at each Apprise URL of ``urls``.

    Args:
        urls: one Apprise URL or several (``slack://``, ``msteams://``, ``discord://``,
            ``mailto://``, ``ntfys://``, ``json://host/path`` for any webhook, ...).
        result: the verdict to send.
        store: where what was sent is remembered (a :class:`SentStore`, or the path of the
            history file). With one, each warning (a threshold of a group, the forecast, a
            breached limit) is sent once per period (the month of a budget, the day of a
            check) to each destination; without one, every call with a warning sends.
        on: ``"breach"`` sends when there is a warning not yet sent; ``"always"`` sends every
            call, warning or not (a daily digest).
        scope: a short text naming what was checked (e.g. the filters of the report), shown in
            the message and part of what tells one budget's record from another's.

    A destination is recorded only once delivery succeeded, so a failed one is tried again
    next time; one failing destination does not stop the others, nor does a delivery the store
    cannot record (:attr:`NotifyResult.unrecorded`: sent again next time). Messages carry
    numbers, the period and group names made safe for every service (see ``_message.plain``),
    never the API key. Raises InvalidParameterError naming the argument refused, ImportError naming the
    extra when Apprise is missing, and :class:`SentStoreError` when the store cannot be used.
    """
    verdict = verdict_of(result)
    if verdict is None:
        raise InvalidParameterError(
            "result",
            "result must be the BudgetCheck of check_budget() or the SpendCheck of check_spend(), "
            f"{describe(result)}",
        )
    if on not in NOTIFY_ON:
        raise InvalidParameterError("on", f"on must be one of {', '.join(NOTIFY_ON)}, {describe(on)}")
    if scope is not None and not isinstance(scope, str):
        raise InvalidParameterError("scope", f"scope must be text or None, {describe(scope)}")
    if store is not None and not isinstance(store, SentStore):
        if not isinstance(store, str | os.PathLike):
            raise InvalidParameterError(
                "store", f"store must be a SentStore or the path of the history file, {describe(store)}"
            )
        store = SentStore(store)
    apprise, targets = _targets(urls)

    identity = _identity(result, scope)
    active = verdict.warnings
    sent: list[Delivery] = []
    failed: list[Delivery] = []
    skipped: list[Delivery] = []
    unrecorded: list[Delivery] = []
    for target in targets:
        destination = destination_id(target.url)
        delivered: Delivery | None = None
        try:
            # Held from the look to the record: another run on the same file waits for it.
            with store.held() if store is not None else contextlib.nullcontext() as held:
                done = held.sent(destination, verdict.kind, identity, verdict.period) if held else frozenset()
                new = tuple(warning for warning in active if warning not in done)
                if on == "breach" and not new:
                    skipped.append(Delivery(target.url, target.shown, tuple(w for w in active if w in done)))
                    continue
                reason = _send(apprise, target, verdict.message(set(new), scope), warning=bool(active))
                if reason is not None:
                    failed.append(Delivery(target.url, target.shown, new, reason))
                    continue
                delivered = Delivery(target.url, target.shown, new)
                sent.append(delivered)
                if held is not None:
                    held.record(destination, verdict.kind, identity, verdict.period, active)
        except SentStoreError as exc:
            if delivered is None:  # nothing sent to this destination: the store is unusable
                raise
            # Sent, and not remembered (a full disk): the other destinations are told all the same.
            unrecorded.append(attrs.evolve(delivered, reason=str(exc)))
    return NotifyResult(tuple(sent), tuple(failed), tuple(skipped), tuple(unrecorded))
