"""The clients users import: :class:`Analytics` and its async twin :class:`AsyncAnalytics`.

One method per operation of the spec, named after its operationId, with a ``*_with_response``
twin. Each checks its arguments and hands the operation to the engine in ``_base.py``; the two
classes differ only in how they send and sleep.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Self, TypeVar

import httpx

from ._arguments import activity_arguments, query_body
from ._base import CAUGHT, AsyncExchange, BaseAnalytics, Call, SyncExchange
from ._constants import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES
from ._operations import GET_ANALYTICS_META, GET_USER_ACTIVITY, QUERY_ANALYTICS
from ._response import APIResponse
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes
from .errors import InvalidParameterError

if TYPE_CHECKING:
    import datetime as dt
    import uuid

    from openrouter_analytics_client.models import (
        ActivityGroupBy,
        ActivityResponse,
        AnalyticsMetaResponse,
        AnalyticsQueryResponse,
        ClassifierDimensions,
        ClassifierFilters,
        QueryFilter,
        QueryOrderBy,
        QueryTimeRange,
    )

    from .params import (
        ClassifierDimensionsParam,
        ClassifierFiltersParam,
        OrderByParam,
        QueryFilterParam,
        TimeRangeParam,
    )

__all__ = ["Analytics", "AsyncAnalytics"]

T = TypeVar("T")

_sleep = time.sleep


async def _async_sleep(seconds: float) -> None:
    # anyio (an httpx dependency) sleeps under asyncio and trio alike; only a retry needs it.
    import anyio

    await anyio.sleep(seconds)


class Analytics(BaseAnalytics):
    """Client for OpenRouter's Analytics API.

    ::

        from openrouter_analytics import Analytics

        with Analytics(api_key="sk-or-...") as analytics:   # or set OPENROUTER_API_KEY
            report = analytics.get_user_activity()            # the last 30 completed UTC days
        print(len(report.data), "rows")

    Args:
        api_key: a management key; defaults to the ``OPENROUTER_API_KEY`` environment variable.
        base_url: the API root; ``http://`` is refused except to loopback hosts, unless
            ``allow_insecure_http=True``.
        timeout: seconds, an ``httpx.Timeout``, or ``None`` for none; applies to each network
            operation of each attempt. Not given: 5 s to connect and 10 s for each read, except
            60 s for each read of ``query_analytics``.
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
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
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
        group_by: ActivityGroupBy | None = None,
        workspace_id: str | uuid.UUID | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ActivityResponse:
        """Activity grouped by endpoint for the last 30 completed UTC days (``GET /activity``).

        Args:
            date: one UTC day, as a ``datetime.date`` or ``"YYYY-MM-DD"``.
            api_key_hash: only this key's activity: its SHA-256 hash, 64 hex characters.
            user_id: only this org member's activity, e.g. ``"user_abc123"``.
            group_by: ``"workspace"`` splits each row per workspace and sets its ``workspace_id``.
            workspace_id: only this workspace's activity (a UUID).
            timeout, max_retries: override the client's for this call.
            extra_headers: more headers for this call.

        Raises:
            errors.InvalidParameterError: an argument was refused; nothing was sent.
            errors.APIError: a non-2xx answer (a subclass for each documented status).
            errors.APIConnectionError: no complete answer (errors.APITimeoutError: too slow).
            errors.ResponseValidationError: a 2xx answer that breaks the spec.
        """
        return self.get_user_activity_with_response(
            date=date,
            api_key_hash=api_key_hash,
            user_id=user_id,
            group_by=group_by,
            workspace_id=workspace_id,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        ).parsed

    def get_user_activity_with_response(
        self,
        *,
        date: dt.date | str | None = None,
        api_key_hash: str | None = None,
        user_id: str | None = None,
        group_by: ActivityGroupBy | None = None,
        workspace_id: str | uuid.UUID | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[ActivityResponse]:
        """Like :meth:`get_user_activity`, with the HTTP exchange: ``.parsed``, ``.status_code``,
        ``.headers``, ``.request_id``, ``.request``, ``.elapsed`` and ``.attempts``.
        """
        call = self._call(
            GET_USER_ACTIVITY,
            timeout,
            max_retries,
            extra_headers,
            lambda: activity_arguments(
                date=date,
                api_key_hash=api_key_hash,
                user_id=user_id,
                group_by=group_by,
                workspace_id=workspace_id,
            ),
        )
        return self._run(call)

    def get_analytics_meta(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AnalyticsMetaResponse:
        """The metrics, dimensions, filter operators and granularities this account can query
        (``GET /analytics/meta``); raises as :meth:`get_user_activity` does.
        """
        return self.get_analytics_meta_with_response(
            timeout=timeout, max_retries=max_retries, extra_headers=extra_headers
        ).parsed

    def get_analytics_meta_with_response(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[AnalyticsMetaResponse]:
        """Like :meth:`get_analytics_meta`, with the HTTP exchange."""
        return self._run(self._call(GET_ANALYTICS_META, timeout, max_retries, extra_headers))

    def query_analytics(
        self,
        *,
        metrics: Sequence[str],
        dimensions: Sequence[str] | None = None,
        filters: Sequence[QueryFilterParam | QueryFilter] | None = None,
        granularity: str | None = None,
        time_range: TimeRangeParam | QueryTimeRange | None = None,
        order_by: OrderByParam | QueryOrderBy | None = None,
        limit: int | None = None,
        group_limit: int | None = None,
        classifier_dimensions: ClassifierDimensionsParam | ClassifierDimensions | None = None,
        classifier_filters: ClassifierFiltersParam | ClassifierFilters | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AnalyticsQueryResponse:
        """Cost, volume, latency and cache figures, grouped and bucketed as asked
        (``POST /analytics/query``, read-only, so retried like a GET).

        Args:
            metrics: one or more metric names, e.g. ``["total_usage", "request_count"]``
                (:meth:`get_analytics_meta` lists them).
            dimensions: up to 2 dimension names to group by, e.g. ``["model"]``.
            filters: up to 20 ``{"field", "operator", "value"}`` mappings (``include_unset``
                optional); ``value`` is a string or number, a non-empty list for ``in``/``not_in``.
            granularity: time buckets, e.g. ``"day"``; none: one row per group.
            time_range: ``{"start", "end"}``, each an aware ``datetime`` or a ``date`` (midnight
                UTC), sent in UTC as ``2026-09-01T00:00:00Z`` (microseconds only when the
                datetime has some); none: the server's default window.
            order_by: ``{"field", "direction"}`` with direction ``"asc"`` or ``"desc"``.
            limit, group_limit: at most this many rows (per group), 1 to 10,000.
            classifier_dimensions, classifier_filters: group or filter by classifier tags.
            timeout, max_retries, extra_headers: as for :meth:`get_user_activity`. Unless the
                client was given a timeout, a query may read for 60 s.

        Rows are in ``.data.data``, each value under its metric or dimension name
        (``row["total_usage"]``); ``.data.metadata.truncated`` says whether rows were cut.
        """
        return self.query_analytics_with_response(
            metrics=metrics,
            dimensions=dimensions,
            filters=filters,
            granularity=granularity,
            time_range=time_range,
            order_by=order_by,
            limit=limit,
            group_limit=group_limit,
            classifier_dimensions=classifier_dimensions,
            classifier_filters=classifier_filters,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        ).parsed

    def query_analytics_with_response(
        self,
        *,
        metrics: Sequence[str],
        dimensions: Sequence[str] | None = None,
        filters: Sequence[QueryFilterParam | QueryFilter] | None = None,
        granularity: str | None = None,
        time_range: TimeRangeParam | QueryTimeRange | None = None,
        order_by: OrderByParam | QueryOrderBy | None = None,
        limit: int | None = None,
        group_limit: int | None = None,
        classifier_dimensions: ClassifierDimensionsParam | ClassifierDimensions | None = None,
        classifier_filters: ClassifierFiltersParam | ClassifierFilters | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[AnalyticsQueryResponse]:
        """Like :meth:`query_analytics`, with the HTTP exchange."""
        call = self._call(
            QUERY_ANALYTICS,
            timeout,
            max_retries,
            extra_headers,
            lambda: {
                "body": query_body(
                    metrics=metrics,
                    dimensions=dimensions,
                    filters=filters,
                    granularity=granularity,
                    time_range=time_range,
                    order_by=order_by,
                    limit=limit,
                    group_limit=group_limit,
                    classifier_dimensions=classifier_dimensions,
                    classifier_filters=classifier_filters,
                )
            },
        )
        return self._run(call)

    def _run(self, call: Call[T]) -> APIResponse[T]:
        send = call.operation.module.sync_detailed
        attempt = 0
        while True:
            exchange = SyncExchange(
                self._http, self._prefix, call.options, self._settings.api_key, self._urls
            )
            started = time.monotonic()
            try:
                response = send(client=exchange.client, **call.arguments)
            except CAUGHT as failure:
                step: APIResponse[T] | float = self._on_failure(call, attempt, exchange, started, failure)
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

        import asyncio

        from openrouter_analytics import AsyncAnalytics

        async def main() -> None:
            async with AsyncAnalytics() as analytics:
                report = await analytics.get_user_activity(user_id="user_abc123")
            print(len(report.data), "rows")

        asyncio.run(main())
    """

    _http: httpx.AsyncClient

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
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
        group_by: ActivityGroupBy | None = None,
        workspace_id: str | uuid.UUID | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ActivityResponse:
        """Activity grouped by endpoint for the last 30 completed UTC days; see
        :meth:`Analytics.get_user_activity`.
        """
        response = await self.get_user_activity_with_response(
            date=date,
            api_key_hash=api_key_hash,
            user_id=user_id,
            group_by=group_by,
            workspace_id=workspace_id,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )
        return response.parsed

    async def get_user_activity_with_response(
        self,
        *,
        date: dt.date | str | None = None,
        api_key_hash: str | None = None,
        user_id: str | None = None,
        group_by: ActivityGroupBy | None = None,
        workspace_id: str | uuid.UUID | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[ActivityResponse]:
        """Like :meth:`get_user_activity`, with the HTTP exchange; see
        :meth:`Analytics.get_user_activity_with_response`.
        """
        call = self._call(
            GET_USER_ACTIVITY,
            timeout,
            max_retries,
            extra_headers,
            lambda: activity_arguments(
                date=date,
                api_key_hash=api_key_hash,
                user_id=user_id,
                group_by=group_by,
                workspace_id=workspace_id,
            ),
        )
        return await self._run(call)

    async def get_analytics_meta(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AnalyticsMetaResponse:
        """What this account can query; see :meth:`Analytics.get_analytics_meta`."""
        response = await self.get_analytics_meta_with_response(
            timeout=timeout, max_retries=max_retries, extra_headers=extra_headers
        )
        return response.parsed

    async def get_analytics_meta_with_response(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[AnalyticsMetaResponse]:
        """Like :meth:`get_analytics_meta`, with the HTTP exchange."""
        return await self._run(self._call(GET_ANALYTICS_META, timeout, max_retries, extra_headers))

    async def query_analytics(
        self,
        *,
        metrics: Sequence[str],
        dimensions: Sequence[str] | None = None,
        filters: Sequence[QueryFilterParam | QueryFilter] | None = None,
        granularity: str | None = None,
        time_range: TimeRangeParam | QueryTimeRange | None = None,
        order_by: OrderByParam | QueryOrderBy | None = None,
        limit: int | None = None,
        group_limit: int | None = None,
        classifier_dimensions: ClassifierDimensionsParam | ClassifierDimensions | None = None,
        classifier_filters: ClassifierFiltersParam | ClassifierFilters | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AnalyticsQueryResponse:
        """Run an analytics query; see :meth:`Analytics.query_analytics`."""
        response = await self.query_analytics_with_response(
            metrics=metrics,
            dimensions=dimensions,
            filters=filters,
            granularity=granularity,
            time_range=time_range,
            order_by=order_by,
            limit=limit,
            group_limit=group_limit,
            classifier_dimensions=classifier_dimensions,
            classifier_filters=classifier_filters,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )
        return response.parsed

    async def query_analytics_with_response(
        self,
        *,
        metrics: Sequence[str],
        dimensions: Sequence[str] | None = None,
        filters: Sequence[QueryFilterParam | QueryFilter] | None = None,
        granularity: str | None = None,
        time_range: TimeRangeParam | QueryTimeRange | None = None,
        order_by: OrderByParam | QueryOrderBy | None = None,
        limit: int | None = None,
        group_limit: int | None = None,
        classifier_dimensions: ClassifierDimensionsParam | ClassifierDimensions | None = None,
        classifier_filters: ClassifierFiltersParam | ClassifierFilters | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[AnalyticsQueryResponse]:
        """Like :meth:`query_analytics`, with the HTTP exchange."""
        call = self._call(
            QUERY_ANALYTICS,
            timeout,
            max_retries,
            extra_headers,
            lambda: {
                "body": query_body(
                    metrics=metrics,
                    dimensions=dimensions,
                    filters=filters,
                    granularity=granularity,
                    time_range=time_range,
                    order_by=order_by,
                    limit=limit,
                    group_limit=group_limit,
                    classifier_dimensions=classifier_dimensions,
                    classifier_filters=classifier_filters,
                )
            },
        )
        return await self._run(call)

    async def _run(self, call: Call[T]) -> APIResponse[T]:
        send = call.operation.module.asyncio_detailed
        attempt = 0
        while True:
            exchange = AsyncExchange(
                self._http, self._prefix, call.options, self._settings.api_key, self._urls
            )
            started = time.monotonic()
            try:
                response = await send(client=exchange.client, **call.arguments)
            except CAUGHT as failure:
                step: APIResponse[T] | float = self._on_failure(call, attempt, exchange, started, failure)
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
