"""The generated low-level client against Prism serving openapi.yaml (requests validated by Prism)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

import pytest

from openrouter_analytics_client import AuthenticatedClient, Client
from openrouter_analytics_client.api.analytics import get_user_activity
from openrouter_analytics_client.models import (
    ActivityItem,
    ActivityResponse,
    BadRequestResponse,
    ForbiddenResponse,
    InternalServerResponse,
    NotFoundResponse,
    UnauthorizedResponse,
)

ERROR_MODELS = {
    400: BadRequestResponse,
    401: UnauthorizedResponse,
    403: ForbiddenResponse,
    404: NotFoundResponse,
    500: InternalServerResponse,
}

Call = Callable[..., Awaitable[Any]]


def as_async(function: Callable[..., Any]) -> Call:
    async def call(**kwargs: Any) -> Any:
        return function(**kwargs)

    return call


# The four generated entry points, with a uniform async signature; the `detailed`
# flag says whether the call returns a Response wrapper or the parsed model.
ENTRY_POINTS = {
    "sync": (as_async(get_user_activity.sync), False),
    "sync_detailed": (as_async(get_user_activity.sync_detailed), True),
    "asyncio": (get_user_activity.asyncio, False),
    "asyncio_detailed": (get_user_activity.asyncio_detailed, True),
}


@pytest.fixture(params=list(ENTRY_POINTS))
def entry_point(request: pytest.FixtureRequest) -> tuple[Call, bool]:
    return ENTRY_POINTS[request.param]


def client_for(prism_url: str, **headers: str) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=prism_url, token="sk-or-contract-test", headers=headers)


@pytest.mark.anyio
async def test_success_parses_the_spec_example(
    prism_url: str, entry_point: tuple[Call, bool], spec_example_items: list[ActivityItem]
) -> None:
    call, detailed = entry_point
    with client_for(prism_url) as client:
        async with client:
            result = await call(
                client=client, date="2025-08-24", api_key_hash="a" * 64, user_id="user_abc123"
            )
    report = result.parsed if detailed else result
    if detailed:
        assert result.status_code == HTTPStatus.OK
    assert isinstance(report, ActivityResponse)
    assert report.data == spec_example_items


@pytest.mark.anyio
@pytest.mark.parametrize("status", sorted(ERROR_MODELS))
async def test_documented_error_parses_into_its_model(
    prism_url: str, entry_point: tuple[Call, bool], status: int
) -> None:
    call, detailed = entry_point
    with client_for(prism_url, Prefer=f"code={status}") as client:
        async with client:
            result = await call(client=client)
    parsed = result.parsed if detailed else result
    if detailed:
        assert result.status_code == status
    assert isinstance(parsed, ERROR_MODELS[status])
    assert parsed.error.code == status
    assert parsed.error.message


@pytest.mark.anyio
async def test_call_without_bearer_token_is_refused(prism_url: str, entry_point: tuple[Call, bool]) -> None:
    call, detailed = entry_point
    with Client(base_url=prism_url) as client:
        async with client:
            result = await call(client=client)
    parsed = result.parsed if detailed else result
    assert isinstance(parsed, UnauthorizedResponse)
    assert parsed.error.code == 401
