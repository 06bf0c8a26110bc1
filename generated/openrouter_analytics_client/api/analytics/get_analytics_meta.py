from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from ... import errors
from ...models.analytics_meta_response import AnalyticsMetaResponse
from ...types import Response, status_code_of

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
    from ...models.forbidden_response import ForbiddenResponse
    from ...models.internal_server_response import InternalServerResponse
    from ...models.unauthorized_response import UnauthorizedResponse


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/analytics/meta",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    AnalyticsMetaResponse
    | ForbiddenResponse
    | InternalServerResponse
    | UnauthorizedResponse
    | None
):
    if response.status_code == 200:
        response_200 = AnalyticsMetaResponse._from_json(response.content)

        return response_200

    if response.status_code == 401:
        from ...models.unauthorized_response import UnauthorizedResponse

        response_401 = UnauthorizedResponse._from_json(response.content)

        return response_401

    if response.status_code == 403:
        from ...models.forbidden_response import ForbiddenResponse

        response_403 = ForbiddenResponse._from_json(response.content)

        return response_403

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
    AnalyticsMetaResponse
    | ForbiddenResponse
    | InternalServerResponse
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
) -> Response[
    AnalyticsMetaResponse
    | ForbiddenResponse
    | InternalServerResponse
    | UnauthorizedResponse
]:
    """Get available analytics metrics and dimensions

     Returns the available metrics, dimensions, filter operators, and granularities for the analytics
    query endpoint. [Management key](/docs/guides/overview/auth/management-api-keys) required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsMetaResponse | ForbiddenResponse | InternalServerResponse | UnauthorizedResponse]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> (
    AnalyticsMetaResponse
    | ForbiddenResponse
    | InternalServerResponse
    | UnauthorizedResponse
    | None
):
    """Get available analytics metrics and dimensions

     Returns the available metrics, dimensions, filter operators, and granularities for the analytics
    query endpoint. [Management key](/docs/guides/overview/auth/management-api-keys) required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsMetaResponse | ForbiddenResponse | InternalServerResponse | UnauthorizedResponse
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[
    AnalyticsMetaResponse
    | ForbiddenResponse
    | InternalServerResponse
    | UnauthorizedResponse
]:
    """Get available analytics metrics and dimensions

     Returns the available metrics, dimensions, filter operators, and granularities for the analytics
    query endpoint. [Management key](/docs/guides/overview/auth/management-api-keys) required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsMetaResponse | ForbiddenResponse | InternalServerResponse | UnauthorizedResponse]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> (
    AnalyticsMetaResponse
    | ForbiddenResponse
    | InternalServerResponse
    | UnauthorizedResponse
    | None
):
    """Get available analytics metrics and dimensions

     Returns the available metrics, dimensions, filter operators, and granularities for the analytics
    query endpoint. [Management key](/docs/guides/overview/auth/management-api-keys) required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsMetaResponse | ForbiddenResponse | InternalServerResponse | UnauthorizedResponse
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
