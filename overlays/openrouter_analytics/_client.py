"""The clients users import: :class:`Analytics` and its async twin :class:`AsyncAnalytics`.

The two differ only in how they send and sleep; every decision is made in ``_base.py``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Self

import httpx

from openrouter_analytics_client.api.analytics import get_user_activity as _operation
from openrouter_analytics_client.models import ActivityResponse

from ._base import CAUGHT, AsyncExchange, BaseAnalytics, Call, SyncExchange
from ._constants import DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_READ_TIMEOUT
from ._response import APIResponse
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes
from .errors import InvalidParameterError

__all__ = ["Analytics", "AsyncAnalytics"]

DEFAULT_TIMEOUT = httpx.Timeout(DEFAULT_READ_TIMEOUT, connect=DEFAULT_CONNECT_TIMEOUT)

_sleep = time.sleep


async def _async_sleep(seconds: float) -> None:
    # anyio (an httpx dependency) sleeps under asyncio and trio alike; only a retry needs it.
    import anyio

    await anyio.sleep(seconds)


class Analytics(BaseAnalytics):
    """Client for OpenRouter's Analytics API.

    ::

        with Analytics(api_key="sk-or-...") as analytics:   # or set OPENROUTER_API_KEY
            report = analytics.get_user_activity(date="2025-08-24")

    Args:
        api_key: a management key; defaults to the ``OPENROUTER_API_KEY`` environment variable.
        base_url: the API root; ``http://`` is refused except to loopback hosts, unless
            ``allow_insecure_http=True``.
        timeout: seconds, an ``httpx.Timeout``, or ``None`` for none; applies to each network
            operation of each attempt.
        max_retries: retries after the first attempt (0: exactly one attempt).
        http_referer, app_title: OpenRouter's attribution headers ``HTTP-Referer`` and ``X-Title``.
        default_headers: more headers for every request (not ``Authorization``).
        http_client: your own ``httpx.Client`` (proxies, TLS, limits); it is used as given and
            left open on :meth:`close`. The key, headers and timeout are sent with each request.
        allow_insecure_http: allow sending the key over plain ``http://`` to any host.
    """

    _http: httpx.Client

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_referer: str | None = None,
        app_title: str | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise InvalidParameterError(
                "http_client",
                f"http_client must be an httpx.Client (AsyncAnalytics takes an httpx.AsyncClient), "
                f"got {type(http_client).__name__}",
            )
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            http_referer=http_referer,
            app_title=app_title,
            default_headers=default_headers,
            own_http_client=http_client is None,
            allow_insecure_http=allow_insecure_http,
        )
        if http_client is None:
            http_client = httpx.Client(
                headers=self._fixed_headers, timeout=self._settings.timeout, follow_redirects=False
            )
        self._http = http_client

    def get_user_activity(
        self,
        *,
        date: dt.date | str | None = None,
        api_key_hash: str | None = None,
        user_id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ActivityResponse:
        """Activity grouped by endpoint for the last 30 completed UTC days.

        Args:
            date: one UTC day, as a ``datetime.date`` or ``"YYYY-MM-DD"``.
            api_key_hash: only this key's activity: its SHA-256 hash, 64 hex characters.
            user_id: only this org member's activity, e.g. ``"user_abc123"``.
            timeout, max_retries: override the client's for this call.
            extra_headers: more headers for this call.

        Raises:
            errors.InvalidParameterError: an argument was refused; nothing was sent.
            errors.APIError: a non-2xx answer (a subclass for each documented status).
            errors.APIConnectionError: no complete answer (errors.APITimeoutError: too slow).
            errors.ResponseValidationError: a 2xx answer that breaks the spec.
        """
        return self._run(
            self._prepare(
                date=date,
                api_key_hash=api_key_hash,
                user_id=user_id,
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
            )
        ).parsed

    def get_user_activity_with_response(
        self,
        *,
        date: dt.date | str | None = None,
        api_key_hash: str | None = None,
        user_id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse:
        """Like :meth:`get_user_activity`, with the HTTP exchange: ``.parsed``, ``.status_code``,
        ``.headers``, ``.request_id``, ``.request``, ``.elapsed`` and ``.attempts``.
        """
        return self._run(
            self._prepare(
                date=date,
                api_key_hash=api_key_hash,
                user_id=user_id,
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
            )
        )

    def _run(self, call: Call) -> APIResponse:
        attempt = 0
        while True:
            exchange = SyncExchange(self._http, self._prefix, call.options)
            started = time.monotonic()
            try:
                response = _operation.sync_detailed(
                    client=exchange.client,
                    date=call.date,
                    api_key_hash=call.api_key_hash,
                    user_id=call.user_id,
                )
            except CAUGHT as failure:
                step: APIResponse | float = self._on_failure(call, attempt, exchange, started, failure)
            else:
                step = self._on_answer(call, attempt, exchange, started, response)
            if isinstance(step, APIResponse):
                return step
            _sleep(step)
            attempt += 1

    def close(self) -> None:
        """Release the connections (a caller's own http_client is left open). Idempotent."""
        self._closed = True
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        self._check_open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncAnalytics(BaseAnalytics):
    """Async twin of :class:`Analytics`, with the same options (``http_client`` is an
    ``httpx.AsyncClient``).

    ::

        async with AsyncAnalytics() as analytics:
            report = await analytics.get_user_activity(user_id="user_abc123")
    """

    _http: httpx.AsyncClient

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_referer: str | None = None,
        app_title: str | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise InvalidParameterError(
                "http_client",
                f"http_client must be an httpx.AsyncClient (Analytics takes an httpx.Client), "
                f"got {type(http_client).__name__}",
            )
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            http_referer=http_referer,
            app_title=app_title,
            default_headers=default_headers,
            own_http_client=http_client is None,
            allow_insecure_http=allow_insecure_http,
        )
        if http_client is None:
            http_client = httpx.AsyncClient(
                headers=self._fixed_headers, timeout=self._settings.timeout, follow_redirects=False
            )
        self._http = http_client

    async def get_user_activity(
        self,
        *,
        date: dt.date | str | None = None,
        api_key_hash: str | None = None,
        user_id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ActivityResponse:
        """Activity grouped by endpoint for the last 30 completed UTC days; see
        :meth:`Analytics.get_user_activity`.
        """
        call = self._prepare(
            date=date,
            api_key_hash=api_key_hash,
            user_id=user_id,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )
        return (await self._run(call)).parsed

    async def get_user_activity_with_response(
        self,
        *,
        date: dt.date | str | None = None,
        api_key_hash: str | None = None,
        user_id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse:
        """Like :meth:`get_user_activity`, with the HTTP exchange; see
        :meth:`Analytics.get_user_activity_with_response`.
        """
        return await self._run(
            self._prepare(
                date=date,
                api_key_hash=api_key_hash,
                user_id=user_id,
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
            )
        )

    async def _run(self, call: Call) -> APIResponse:
        attempt = 0
        while True:
            exchange = AsyncExchange(self._http, self._prefix, call.options)
            started = time.monotonic()
            try:
                response = await _operation.asyncio_detailed(
                    client=exchange.client,
                    date=call.date,
                    api_key_hash=call.api_key_hash,
                    user_id=call.user_id,
                )
            except CAUGHT as failure:
                step: APIResponse | float = self._on_failure(call, attempt, exchange, started, failure)
            else:
                step = self._on_answer(call, attempt, exchange, started, response)
            if isinstance(step, APIResponse):
                return step
            await _async_sleep(step)
            attempt += 1

    async def close(self) -> None:
        """Release the connections (a caller's own http_client is left open). Idempotent."""
        self._closed = True
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        self._check_open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
