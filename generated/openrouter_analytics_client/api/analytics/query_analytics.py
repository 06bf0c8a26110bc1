from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from ... import errors
from ...models.analytics_query_response import AnalyticsQueryResponse
from ...types import Response, status_code_of

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
    from ...models.analytics_query import AnalyticsQuery
    from ...models.bad_request_response import BadRequestResponse
    from ...models.forbidden_response import ForbiddenResponse
    from ...models.internal_server_response import InternalServerResponse
    from ...models.request_timeout_response import RequestTimeoutResponse
    from ...models.unauthorized_response import UnauthorizedResponse


def _get_kwargs(
    *,
    body: AnalyticsQuery,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/analytics/query",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    AnalyticsQueryResponse
    | BadRequestResponse
    | ForbiddenResponse
    | InternalServerResponse
    | RequestTimeoutResponse
    | UnauthorizedResponse
    | None
):
    if response.status_code == 200:
        response_200 = AnalyticsQueryResponse._from_json(response.content)

        return response_200

    if response.status_code == 400:
        from ...models.bad_request_response import BadRequestResponse

        response_400 = BadRequestResponse._from_json(response.content)

        return response_400

    if response.status_code == 401:
        from ...models.unauthorized_response import UnauthorizedResponse

        response_401 = UnauthorizedResponse._from_json(response.content)

        return response_401

    if response.status_code == 403:
        from ...models.forbidden_response import ForbiddenResponse

        response_403 = ForbiddenResponse._from_json(response.content)

        return response_403

    if response.status_code == 408:
        from ...models.request_timeout_response import RequestTimeoutResponse

        response_408 = RequestTimeoutResponse._from_json(response.content)

        return response_408

    if response.status_code == 500:
        from ...models.internal_server_response import InternalServerResponse

        response_500 = InternalServerResponse._from_json(response.content)

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    AnalyticsQueryResponse
    | BadRequestResponse
    | ForbiddenResponse
    | InternalServerResponse
    | RequestTimeoutResponse
    | UnauthorizedResponse
]:
    try:
        parsed = _parse_response(client=client, response=response)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # A body that is not JSON, or JSON of another shape: report it with the
        # response it came from instead of a bare decoding error.
        raise errors.UnparsableResponse(
            response.status_code, response.content, response.headers, str(exc)
        ) from exc
    return Response(
        status_code=status_code_of(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AnalyticsQuery,
) -> Response[
    AnalyticsQueryResponse
    | BadRequestResponse
    | ForbiddenResponse
    | InternalServerResponse
    | RequestTimeoutResponse
    | UnauthorizedResponse
]:
    """Query analytics data

     Execute an analytics query with specified metrics, dimensions, filters, and time range. [Management
    key](/docs/guides/overview/auth/management-api-keys) required.

    Args:
        body (AnalyticsQuery):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsQueryResponse | BadRequestResponse | ForbiddenResponse | InternalServerResponse | RequestTimeoutResponse | UnauthorizedResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: AnalyticsQuery,
) -> (
    AnalyticsQueryResponse
    | BadRequestResponse
    | ForbiddenResponse
    | InternalServerResponse
    | RequestTimeoutResponse
    | UnauthorizedResponse
    | None
):
    """Query analytics data

     Execute an analytics query with specified metrics, dimensions, filters, and time range. [Management
    key](/docs/guides/overview/auth/management-api-keys) required.

    Args:
        body (AnalyticsQuery):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsQueryResponse | BadRequestResponse | ForbiddenResponse | InternalServerResponse | RequestTimeoutResponse | UnauthorizedResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AnalyticsQuery,
) -> Response[
    AnalyticsQueryResponse
    | BadRequestResponse
    | ForbiddenResponse
    | InternalServerResponse
    | RequestTimeoutResponse
    | UnauthorizedResponse
]:
    """Query analytics data

     Execute an analytics query with specified metrics, dimensions, filters, and time range. [Management
    key](/docs/guides/overview/auth/management-api-keys) required.

    Args:
        body (AnalyticsQuery):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsQueryResponse | BadRequestResponse | ForbiddenResponse | InternalServerResponse | RequestTimeoutResponse | UnauthorizedResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: AnalyticsQuery,
) -> (
    AnalyticsQueryResponse
    | BadRequestResponse
    | ForbiddenResponse
    | InternalServerResponse
    | RequestTimeoutResponse
    | UnauthorizedResponse
    | None
):
    """Query analytics data

     Execute an analytics query with specified metrics, dimensions, filters, and time range. [Management
    key](/docs/guides/overview/auth/management-api-keys) required.

    Args:
        body (AnalyticsQuery):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsQueryResponse | BadRequestResponse | ForbiddenResponse | InternalServerResponse | RequestTimeoutResponse | UnauthorizedResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
