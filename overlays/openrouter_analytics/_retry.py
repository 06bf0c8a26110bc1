"""The retry policy: which failures are retried, and how long to wait before each retry.

Pure functions over status codes and headers, shared by the sync and async clients, which
differ only in how they sleep.

Every operation of the Analytics API only reads: ``GET /activity``, ``GET /analytics/meta`` and
also ``POST /analytics/query``, whose body is a question, not a change. So each is retried the
same way, after timeouts, dropped connections and the statuses in ``RETRYABLE_STATUSES``. An
operation that changes something (``read_only=False`` in its descriptor) is retried only when
the server cannot have acted on it: a refused connection, or a 429.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Mapping

from ._constants import INITIAL_RETRY_DELAY, MAX_RETRY_DELAY, RETRY_JITTER, RETRY_WINDOW, RETRYABLE_STATUSES

__all__ = ["requested_delay", "retry_delay", "should_retry_status"]


def should_retry_status(status_code: int, *, read_only: bool = True) -> bool:
    """Whether an answer with this status is worth another attempt."""
    if read_only:
        return status_code in RETRYABLE_STATUSES
    return status_code == 429


def _seconds(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def requested_delay(headers: Mapping[str, str] | None, *, now: float | None = None) -> float | None:
    """Seconds the server asked to wait, from ``retry-after-ms`` or ``Retry-After``.

    ``Retry-After`` may be seconds or an HTTP-date (a date in the past means "now"). ``None``
    when neither header is present or readable. ``now`` (a Unix time) is for tests.
    """
    if not headers:
        return None
    millis = headers.get("retry-after-ms")
    if millis is not None:
        value = _seconds(millis)
        if value is not None:
            return value / 1000.0
    retry_after = headers.get("retry-after")
    if retry_after is None:
        return None
    value = _seconds(retry_after)
    return value if value is not None else _until_http_date(retry_after, now)


def _until_http_date(text: str, now: float | None) -> float | None:
    """Seconds from ``now`` until an HTTP-date (0 for a date in the past); ``None`` if unreadable."""
    # Only a date gets here, so the import stays off the common path.
    from datetime import UTC
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text)
        if when.tzinfo is None:  # RFC 9110 dates are GMT; one without a zone is read as GMT
            when = when.replace(tzinfo=UTC)
        seconds = when.timestamp() - (time.time() if now is None else now)
    except (TypeError, ValueError, IndexError, OverflowError, OSError):
        return None
    return max(0.0, seconds)


def retry_delay(
    attempt: int,
    headers: Mapping[str, str] | None = None,
    *,
    elapsed: float = 0.0,
    jitter: float | None = None,
    now: float | None = None,
) -> float | None:
    """Seconds to wait after failed attempt number ``attempt`` (0 for the first), or ``None``
    for "do not retry, raise now".

    A wait the server asks for is honoured up to ``MAX_RETRY_DELAY``; if it asks for longer,
    the answer is ``None``. Otherwise (or where it asks for no wait) the wait is exponential backoff from
    ``INITIAL_RETRY_DELAY``, capped at ``MAX_RETRY_DELAY`` and shortened by up to
    ``RETRY_JITTER`` of itself at random (``jitter`` in [0, 1] fixes that share, for tests).
    It is also ``None`` when the wait would end more than ``RETRY_WINDOW`` seconds after the
    call began (``elapsed`` seconds ago), so slow failures cannot add up without bound.
    """
    asked = requested_delay(headers, now=now)
    if asked:  # "now" (0, or a date gone by) is no wait at all: retries would come back at once
        delay = asked
        if delay > MAX_RETRY_DELAY:
            return None
    else:
        backoff = min(INITIAL_RETRY_DELAY * 2.0 ** min(attempt, 32), MAX_RETRY_DELAY)
        share = random.random() if jitter is None else jitter  # noqa: S311 - spreads retries, not a secret
        delay = backoff * (1.0 - RETRY_JITTER * share)
    return delay if elapsed + delay <= RETRY_WINDOW else None
