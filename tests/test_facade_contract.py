"""The facade against Prism serving openapi.yaml: requests must satisfy the spec, and every
documented answer must come back as the model or the error the facade promises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from openrouter_analytics import Analytics, APIResponse, AsyncAnalytics, errors
from openrouter_analytics_client.models import ActivityItem, ActivityResponse

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

KEY = "sk-or-v1-contracttests"
Call = Callable[..., Awaitable[Any]]


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest, prism_url: str) -> Call:
    async def run(*, method: str = "get_user_activity", **kwargs: Any) -> Any:
        options = {"api_key": KEY, "base_url": prism_url, "max_retries": 0}
        if request.param == "sync":
            with Analytics(**options) as analytics:
                return getattr(analytics, method)(**kwargs)
        async with AsyncAnalytics(**options) as async_analytics:
            return await getattr(async_analytics, method)(**kwargs)

    return run


async def test_the_documented_200_parses_into_the_report(
    call: Call, spec_example_items: list[ActivityItem]
) -> None:
    report = await call()
    assert isinstance(report, ActivityResponse)
    assert report.data == spec_example_items


async def test_every_filter_is_a_request_the_spec_accepts(call: Call) -> None:
    report = await call(date=dt.date(2025, 8, 24), api_key_hash="ab12" * 16, user_id="user_abc123")
    assert isinstance(report, ActivityResponse)


async def test_the_raw_response_of_a_documented_200(call: Call) -> None:
    response = await call(method="get_user_activity_with_response", date="2025-08-24")
    assert isinstance(response, APIResponse)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.request.url.endswith("/activity?date=2025-08-24")


@pytest.mark.parametrize(
    ("status", "error_class", "message"),
    [
        (400, errors.BadRequestResponseError, "Invalid request parameters"),
        (401, errors.UnauthorizedResponseError, "Missing Authentication header"),
        (403, errors.ForbiddenResponseError, "Only management keys can perform this operation"),
        (404, errors.NotFoundResponseError, "Resource not found"),
        (500, errors.InternalServerResponseError, "Internal Server Error"),
    ],
)
async def test_each_documented_error_raises_its_class_with_the_server_message(
    call: Call, status: int, error_class: type[errors.APIError], message: str
) -> None:
    with pytest.raises(error_class) as caught:
        await call(extra_headers={"Prefer": f"code={status}"})
    assert caught.value.status_code == status
    assert caught.value.message == message
    assert caught.value.body == {"error": {"code": status, "message": message}}
