"""What a successful call returns when the caller wants more than the parsed model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, NoReturn, Protocol, TypeVar

from .errors import RequestInfo, request_id_of

__all__ = ["APIResponse", "RequestInfo"]

T = TypeVar("T")


class _Sent(Protocol):
    def request_info(self) -> RequestInfo: ...


class APIResponse(Generic[T]):
    """A successful answer: the parsed model and the HTTP exchange it came from.

    Attributes:
        parsed: the operation's generated response model (``ActivityResponse``,
            ``AnalyticsMetaResponse``, ``AnalyticsQueryResponse``).
        status_code: the HTTP status (200).
        headers: the response headers.
        elapsed: seconds from the first attempt to the parsed answer, retries included.
        attempts: how many attempts the call made (1 when nothing was retried).
        content: the body as received, byte for byte (what ``parsed`` was made from).
    """

    __slots__ = ("_exchange", "attempts", "content", "elapsed", "headers", "parsed", "status_code")

    parsed: T
    status_code: int
    headers: Mapping[str, str]
    elapsed: float
    attempts: int
    content: bytes
    _exchange: _Sent

    def __init__(
        self,
        *,
        parsed: T,
        status_code: int,
        headers: Mapping[str, str],
        elapsed: float,
        attempts: int,
        exchange: _Sent,
        content: bytes = b"",
    ) -> None:
        setattr_ = object.__setattr__  # read-only afterwards: see __setattr__
        setattr_(self, "parsed", parsed)
        setattr_(self, "status_code", status_code)
        setattr_(self, "headers", headers)
        setattr_(self, "elapsed", elapsed)
        setattr_(self, "attempts", attempts)
        setattr_(self, "content", content)
        setattr_(self, "_exchange", exchange)

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"APIResponse is read-only; cannot set {name!r}")

    def __repr__(self) -> str:
        return (
            f"APIResponse(parsed={self.parsed!r}, status_code={self.status_code!r}, "
            f"headers={self.headers!r}, elapsed={self.elapsed!r}, attempts={self.attempts!r})"
        )

    @property
    def request_id(self) -> str | None:
        """From ``x-request-id`` (or ``request-id``, ``cf-ray``), when the server sent one."""
        return request_id_of(self.headers)

    @property
    def request(self) -> RequestInfo:
        """Method and URL of the request that succeeded."""
        return self._exchange.request_info()
