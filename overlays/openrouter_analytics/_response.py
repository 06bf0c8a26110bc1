"""What a successful call returns when the caller wants more than the parsed model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, Protocol, TypeVar

import attrs

from .errors import RequestInfo, request_id_of

__all__ = ["APIResponse", "RequestInfo"]

T = TypeVar("T")


class _Sent(Protocol):
    def request_info(self) -> RequestInfo: ...


@attrs.frozen(eq=False)
class APIResponse(Generic[T]):
    """A successful answer: the parsed model and the HTTP exchange it came from.

    Attributes:
        parsed: the operation's generated response model (``ActivityResponse``,
            ``AnalyticsMetaResponse``, ``AnalyticsQueryResponse``).
        status_code: the HTTP status (200).
        headers: the response headers.
        elapsed: seconds from the first attempt to the parsed answer, retries included.
        attempts: how many attempts the call made (1 when nothing was retried).
    """

    parsed: T
    status_code: int
    headers: Mapping[str, str]
    elapsed: float
    attempts: int
    _exchange: _Sent = attrs.field(alias="exchange", repr=False)

    @property
    def request_id(self) -> str | None:
        """From ``x-request-id`` (or ``request-id``, ``cf-ray``), when the server sent one."""
        return request_id_of(self.headers)

    @property
    def request(self) -> RequestInfo:
        """Method and URL of the request that succeeded."""
        return self._exchange.request_info()
