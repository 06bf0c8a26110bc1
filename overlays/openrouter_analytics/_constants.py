"""Every default and limit the facade uses, in one place.

Plain values only, so the command-line tool can read them without importing httpx.
"""

from __future__ import annotations

DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
"""The production server of the spec."""

API_KEY_ENV_VAR = "OPENROUTER_API_KEY"

# Timeouts follow httpx: each applies to one network operation of one attempt.
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 10.0
"""Also the write and pool timeouts."""
QUERY_READ_TIMEOUT = 60.0
"""The read timeout of ``query_analytics`` when the client was given none: a query over a long
window or with latency percentiles legitimately takes tens of seconds, and the server ends the
slow ones itself with a 408."""
DEFAULT_MAX_RETRIES = 2

INITIAL_RETRY_DELAY = 0.5
"""Seconds before the first retry; doubled for each one after it."""
MAX_RETRY_DELAY = 8.0
"""The longest single wait, whether from backoff or asked for by the server."""
RETRY_WINDOW = 25.0
"""No retry starts later than this many seconds after the call began. With the default
timeouts a call to a stalled or unreachable server is therefore back with its caller within
40 s: the last attempt starts by 25 s and waits at most 5 s to connect plus 10 s for a read.
(A stalled server gets all three attempts: 3 x 10 s of reads plus 1.5 s of backoff.) A server
that keeps sending, a byte within each 10 s, is not stalled: timeouts bound each wait.
"""
RETRY_JITTER = 0.25
"""Backoff waits are shortened by a random share of up to this fraction."""

RETRYABLE_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})

# Limits of POST /analytics/query that the spec or OpenRouter's documentation states.
MAX_QUERY_DIMENSIONS = 2
MAX_QUERY_FILTERS = 20
MAX_CLASSIFIER_FILTERS = 10
MAX_CLASSIFIER_DIMENSION_NAMES = 2
MAX_QUERY_ROWS = 10_000
"""The largest ``limit`` and ``group_limit``."""

REQUEST_ID_HEADERS = ("x-request-id", "request-id", "cf-ray")
"""Response headers that identify a request, most specific first."""

BODY_EXCERPT_CHARS = 300
"""How much of a response body an error message shows."""

LOGGER_NAME = "openrouter_analytics"
