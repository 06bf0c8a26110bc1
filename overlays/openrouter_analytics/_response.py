"""What a successful call returns when the caller wants more than the parsed model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from openrouter_analytics_client.models import ActivityResponse

from .errors import RequestInfo

if TYPE_CHECKING:
    from ._base import _Exchange

__all__ = ["APIResponse", "RequestInfo"]


@attrs.frozen(eq=False)
class APIResponse:
    """A successful answer: the parsed report and the HTTP exchange it came from.

    Attributes:
        parsed: the report, as the generated ``ActivityResponse`` model.
        status_code: the HTTP status (200).
        headers: the response headers.
        elapsed: seconds from the first attempt to the parsed answer, retries included.
        attempts: how many attempts the call made (1 when nothing was retried).
    """

    parsed: ActivityResponse
    status_code: int
    headers: Mapping[str, str]
    elapsed: float
    attempts: int
    _exchange: _Exchange = attrs.field(alias="exchange", repr=False)

    @property
    def request_id(self) -> str | None:
        """From ``x-request-id`` (or ``request-id``, ``cf-ray``), when the server sent one."""
        from ._base import request_id_of

        return request_id_of(self.headers)

    @property
    def request(self) -> RequestInfo:
        """Method and URL of the request that succeeded."""
        return self._exchange.request_info()
