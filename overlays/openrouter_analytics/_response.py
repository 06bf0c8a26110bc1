"""What a successful call returns when the caller wants more than the parsed model."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from openrouter_analytics_client.models import ActivityResponse

from .errors import RequestInfo

__all__ = ["APIResponse", "RequestInfo"]


@attrs.frozen(eq=False)
class APIResponse:
    """A successful answer: the parsed report and the HTTP exchange it came from.

    Attributes:
        parsed: the report, as the generated ``ActivityResponse`` model.
        status_code: the HTTP status (200).
        headers: the response headers.
        request_id: from ``x-request-id`` (or ``request-id``, ``cf-ray``), when present.
        request: method and URL of the request that succeeded.
        elapsed: seconds from the first attempt to the parsed answer, retries included.
        attempts: how many attempts the call made (1 when nothing was retried).
    """

    parsed: ActivityResponse
    status_code: int
    headers: Mapping[str, str]
    request_id: str | None
    request: RequestInfo
    elapsed: float
    attempts: int
