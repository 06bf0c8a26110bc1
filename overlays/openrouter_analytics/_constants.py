"""Every default and limit the facade uses, in one place."""

from __future__ import annotations

import httpx

DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
"""The production server of the spec."""

API_KEY_ENV_VAR = "OPENROUTER_API_KEY"

# Timeouts follow httpx: each applies to one network operation of one attempt.
# With two retries, a stalled server costs 3 x 10 s of reads plus under 2 s of backoff,
# so a failing call is back with its caller in well under a minute.
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2

INITIAL_RETRY_DELAY = 0.5
"""Seconds before the first retry; doubled for each one after it."""
MAX_RETRY_DELAY = 8.0
"""The longest single wait, whether from backoff or asked for by the server."""
RETRY_JITTER = 0.25
"""Backoff waits are shortened by a random share of up to this fraction."""

RETRYABLE_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})

REQUEST_ID_HEADERS = ("x-request-id", "request-id", "cf-ray")
"""Response headers that identify a request, most specific first."""

BODY_EXCERPT_CHARS = 300
"""How much of a response body an error message shows."""

LOGGER_NAME = "openrouter_analytics"
