"""The facade against a real local server scripted to misbehave, sync and async alike.

Every test runs twice, through Analytics and AsyncAnalytics, via the ``call`` fixture.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import anyio
import httpx
import pytest
from fault_server import (
    ACTIVITY_ITEM,
    FaultServer,
    Reply,
    activity_json,
    envelope,
    ok,
    refused_url,
    running_server,
)

from openrouter_analytics import Analytics, APIResponse, AsyncAnalytics, errors
from openrouter_analytics_client.models import ActivityResponse

pytestmark = pytest.mark.anyio

KEY = "sk-or-v1-faulttests0123456789"
Call = Callable[..., Awaitable[Any]]


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest, server: FaultServer) -> Call:
    """``await call(**kwargs)`` runs get_user_activity on a fresh client of the parametrized kind.

    ``client=`` holds constructor options; ``method=`` picks another method.
    """

    async def run(
        *, client: dict[str, Any] | None = None, method: str = "get_user_activity", **kwargs: Any
    ) -> Any:
        options = {"api_key": KEY, "base_url": server.url, **(client or {})}
        if request.param == "sync":
            with Analytics(**options) as analytics:
                return getattr(analytics, method)(**kwargs)
        async with AsyncAnalytics(**options) as async_analytics:
            return await getattr(async_analytics, method)(**kwargs)

    return run


# -- 2xx ----------------------------------------------------------------------------------


async def test_valid_200_returns_the_parsed_report(server: FaultServer, call: Call) -> None:
    server.script(ok())
    report = await call(date="2025-08-24")
    assert isinstance(report, ActivityResponse)
    assert report.data[0].model == "openai/gpt-4.1"
    assert report.data[0].usage == 0.015


@pytest.mark.parametrize("field", sorted(ACTIVITY_ITEM))
@pytest.mark.usefixtures("way")  # decoded with msgspec, then with the standard library
async def test_200_missing_a_required_field_names_the_field(
    server: FaultServer, call: Call, field: str
) -> None:
    item = {name: value for name, value in ACTIVITY_ITEM.items() if name != field}
    server.script(ok(activity_json(ACTIVITY_ITEM, ACTIVITY_ITEM, item)))
    with pytest.raises(errors.ResponseValidationError) as caught:
        await call()
    assert caught.value.location == f"data[2].{field}"
    assert caught.value.problem == "required field is missing"
    assert f"data[2].{field}" in str(caught.value)


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("requests", "five", "a string"),
        ("cached_tokens", "10", "a string"),
        ("cached_tokens", 10.5, "a number"),
        ("cached_tokens", None, "null"),
        ("cached_tokens", True, "a boolean"),
    ],
)
@pytest.mark.usefixtures("way")
async def test_200_with_a_field_of_the_wrong_type_names_the_field(
    server: FaultServer, call: Call, field: str, value: object, kind: str
) -> None:
    server.script(ok(activity_json(ACTIVITY_ITEM, {**ACTIVITY_ITEM, field: value})))
    with pytest.raises(errors.ResponseValidationError) as caught:
        await call()
    assert caught.value.location == f"data[1].{field}"
    assert caught.value.problem == f"expected an integer, got {kind}"


async def test_200_with_an_unknown_extra_field_keeps_it(server: FaultServer, call: Call) -> None:
    item = {**json.loads(activity_json())["data"][0], "cache_tokens": 7}
    server.script(ok(activity_json(item)))
    report = await call()
    assert report.data[0].additional_properties == {"cache_tokens": 7}


async def test_200_with_a_non_json_body_is_a_validation_error(server: FaultServer, call: Call) -> None:
    server.script(ok(b"not json at all"))
    with pytest.raises(errors.ResponseValidationError, match="not valid JSON") as caught:
        await call()
    assert caught.value.body == "not json at all"
    assert len(server.received) == 1


async def test_200_with_an_html_content_type_is_a_validation_error(server: FaultServer, call: Call) -> None:
    server.script(ok(activity_json(), content_type="text/html; charset=utf-8"))
    with pytest.raises(errors.ResponseValidationError, match="text/html"):
        await call()


async def test_200_with_html_body_and_type_says_the_content_type(server: FaultServer, call: Call) -> None:
    server.script(ok(b"<html><body>Welcome</body></html>", content_type="text/html"))
    with pytest.raises(errors.ResponseValidationError, match="content type 'text/html'"):
        await call()


async def test_200_with_a_json_suffix_content_type_is_accepted(server: FaultServer, call: Call) -> None:
    server.script(ok(content_type="application/vnd.api+json; charset=utf-8"))
    assert isinstance(await call(), ActivityResponse)


async def test_undocumented_2xx_status_is_a_validation_error(server: FaultServer, call: Call) -> None:
    server.script(Reply(204, content_type=None))
    with pytest.raises(errors.ResponseValidationError, match="not 204"):
        await call()


# -- documented and other error statuses ---------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, errors.BadRequestResponseError),
        (401, errors.UnauthorizedResponseError),
        (403, errors.ForbiddenResponseError),
        (404, errors.NotFoundResponseError),
        (500, errors.InternalServerResponseError),
    ],
)
async def test_documented_status_raises_its_own_error(
    server: FaultServer, call: Call, waits: list[float], status: int, error_class: type[errors.APIError]
) -> None:
    server.always(Reply(status, envelope(status, f"server says {status}"), headers={"X-Request-Id": "req-1"}))
    with pytest.raises(error_class) as caught:
        await call()
    error = caught.value
    assert type(error) is error_class
    assert error.status_code == status
    assert error.message == f"server says {status}"
    assert error.body == {"error": {"code": status, "message": f"server says {status}"}}
    assert error.request_id == "req-1"
    assert error.request is not None
    assert error.request.method == "GET"
    assert error.request.url == f"{server.url}/activity"
    assert len(server.received) == (3 if status == 500 else 1)


async def test_418_is_a_plain_api_error_and_not_retried(server: FaultServer, call: Call) -> None:
    server.always(Reply(418, b"short and stout", content_type="text/plain"))
    with pytest.raises(errors.APIError) as caught:
        await call()
    assert type(caught.value) is errors.APIError
    assert caught.value.status_code == 418
    assert caught.value.body == "short and stout"
    assert "short and stout" in str(caught.value)
    assert len(server.received) == 1


async def test_429_with_retry_after_1_retries_once_after_about_a_second(
    server: FaultServer, call: Call
) -> None:
    server.script(Reply(429, envelope(429, "slow down"), headers={"Retry-After": "1"}), ok())
    started = time.monotonic()
    report = await call()
    elapsed = time.monotonic() - started
    assert isinstance(report, ActivityResponse)
    assert len(server.received) == 2
    assert 0.9 <= elapsed < 3.0


async def test_429_with_retry_after_3600_raises_at_once_with_retry_after(
    server: FaultServer, call: Call
) -> None:
    server.always(Reply(429, envelope(429, "slow down"), headers={"Retry-After": "3600"}))
    started = time.monotonic()
    with pytest.raises(errors.TooManyRequestsResponseError) as caught:
        await call()
    assert time.monotonic() - started < 1.0
    assert caught.value.retry_after == 3600
    assert caught.value.message == "slow down"
    assert len(server.received) == 1


async def test_429_raises_once_retries_are_spent(server: FaultServer, call: Call, waits: list[float]) -> None:
    server.always(Reply(429, envelope(429, "slow down"), headers={"Retry-After": "2"}))
    with pytest.raises(errors.TooManyRequestsResponseError) as caught:
        await call()
    assert caught.value.retry_after == 2
    assert waits == [2.0, 2.0]
    assert len(server.received) == 3


async def test_retry_after_ms_is_honoured(server: FaultServer, call: Call, waits: list[float]) -> None:
    server.script(Reply(503, headers={"retry-after-ms": "250"}), ok())
    await call()
    assert waits == [0.25]


async def test_502_with_an_html_body_is_a_plain_api_error_with_the_text(
    server: FaultServer, call: Call, waits: list[float]
) -> None:
    html = b"<html><head><title>502 Bad Gateway</title></head><body>" + b"x" * 2000 + b"</body></html>"
    server.always(Reply(502, html, content_type="text/html"))
    with pytest.raises(errors.APIError) as caught:
        await call()
    error = caught.value
    assert type(error) is errors.APIError
    assert error.status_code == 502
    assert error.body == html.decode()
    assert error.message.startswith("HTTP 502 Bad Gateway")
    assert len(str(error)) < 600
    assert len(server.received) == 3


async def test_500_with_an_html_body_is_still_an_internal_server_error(
    server: FaultServer, call: Call, waits: list[float]
) -> None:
    server.always(Reply(500, b"<html>oops</html>", content_type="text/html"))
    with pytest.raises(errors.InternalServerResponseError) as caught:
        await call()
    assert caught.value.body == "<html>oops</html>"
    assert caught.value.__cause__ is not None


async def test_503_then_200_succeeds_on_the_retry(
    server: FaultServer, call: Call, waits: list[float]
) -> None:
    server.script(Reply(503, b"busy", content_type="text/plain"), ok())
    response = await call(method="get_user_activity_with_response")
    assert response.attempts == 2
    assert len(waits) == 1
    assert 0 < waits[0] <= 0.5


async def test_529_is_a_plain_api_error_and_not_retried(server: FaultServer, call: Call) -> None:
    server.always(Reply(529, envelope(529, "overloaded")))
    with pytest.raises(errors.APIError) as caught:
        await call()
    assert type(caught.value) is errors.APIError
    assert caught.value.status_code == 529
    assert caught.value.message == "overloaded"
    assert len(server.received) == 1


async def test_redirect_is_an_api_error_and_not_followed(server: FaultServer, call: Call) -> None:
    with running_server() as elsewhere:
        server.always(Reply(302, headers={"Location": f"{elsewhere.url}/activity"}, content_type=None))
        with pytest.raises(errors.APIError) as caught:
            await call()
        assert caught.value.status_code == 302
        assert elsewhere.received == []


@pytest.mark.parametrize("max_retries", [0, 1, 3])
async def test_500_every_time_gives_up_after_max_retries_plus_one_attempts(
    server: FaultServer, call: Call, waits: list[float], max_retries: int
) -> None:
    server.always(Reply(500, envelope(500, "Internal Server Error")))
    with pytest.raises(errors.InternalServerResponseError):
        await call(client={"max_retries": max_retries})
    assert len(server.received) == max_retries + 1
    assert len(waits) == max_retries


async def test_per_call_max_retries_overrides_the_client(
    server: FaultServer, call: Call, waits: list[float]
) -> None:
    server.always(Reply(500, envelope(500, "Internal Server Error")))
    with pytest.raises(errors.InternalServerResponseError):
        await call(client={"max_retries": 5}, max_retries=1)
    assert len(server.received) == 2


async def test_backoff_waits_grow_between_retries(
    server: FaultServer, call: Call, waits: list[float]
) -> None:
    server.always(Reply(503))
    with pytest.raises(errors.APIError):
        await call(max_retries=3)
    assert len(waits) == 3
    assert 0.375 <= waits[0] <= 0.5
    assert 0.75 <= waits[1] <= 1.0
    assert 1.5 <= waits[2] <= 2.0


async def test_no_retry_starts_after_the_retry_window(
    server: FaultServer, call: Call, waits: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("openrouter_analytics._retry.RETRY_WINDOW", 0.5)
    server.always(Reply(503, delay=0.3))
    with pytest.raises(errors.APIError):
        await call()
    assert len(server.received) == 1
    assert waits == []


# -- network faults -------------------------------------------------------------------------


async def test_a_server_slower_than_the_timeout_raises_a_timeout_error(
    server: FaultServer, call: Call, waits: list[float]
) -> None:
    server.always(Reply(200, activity_json(), delay=2.0))
    started = time.monotonic()
    with pytest.raises(errors.APITimeoutError) as caught:
        await call(client={"timeout": 0.2, "max_retries": 1})
    assert time.monotonic() - started < 1.5
    assert isinstance(caught.value.__cause__, httpx.TimeoutException)
    assert len(server.received) == 2


async def test_per_call_timeout_overrides_the_client(
    server: FaultServer, call: Call, waits: list[float]
) -> None:
    server.always(Reply(200, activity_json(), delay=2.0))
    with pytest.raises(errors.APITimeoutError):
        await call(client={"timeout": 30.0}, timeout=0.2, max_retries=0)


async def test_connection_refused_raises_a_connection_error(call: Call, waits: list[float]) -> None:
    with pytest.raises(errors.APIConnectionError) as caught:
        await call(client={"base_url": refused_url()})
    assert type(caught.value) is errors.APIConnectionError
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert len(waits) == 2


@pytest.mark.parametrize(("max_retries", "attempts"), [(0, "after 1 attempt:"), (2, "after 3 attempts:")])
async def test_a_connection_error_counts_its_attempts_in_words(
    call: Call, waits: list[float], max_retries: int, attempts: str
) -> None:
    with pytest.raises(errors.APIConnectionError) as caught:
        await call(client={"base_url": refused_url(), "max_retries": max_retries})
    assert attempts in str(caught.value)
    assert "(s)" not in str(caught.value)


async def test_a_timeout_counts_its_one_attempt_in_words(
    server: FaultServer, call: Call, waits: list[float]
) -> None:
    server.always(Reply(200, activity_json(), delay=2.0))
    with pytest.raises(errors.APITimeoutError) as caught:
        await call(client={"timeout": 0.2, "max_retries": 0})
    assert "timed out (ReadTimeout) after 1 attempt:" in str(caught.value)


async def test_connection_closed_mid_body_raises_a_connection_error(
    server: FaultServer, call: Call, waits: list[float]
) -> None:
    server.always(Reply(200, activity_json(), cut_body_at=10))
    with pytest.raises(errors.APIConnectionError) as caught:
        await call()
    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)
    assert len(server.received) == 3


async def test_connection_closed_mid_body_then_200_succeeds(
    server: FaultServer, call: Call, waits: list[float]
) -> None:
    server.script(Reply(200, activity_json(), cut_body_at=10), ok())
    assert isinstance(await call(), ActivityResponse)


# -- what is sent ----------------------------------------------------------------------------


async def test_query_parameters_are_sent_checked_and_normalized(server: FaultServer, call: Call) -> None:
    server.script(ok())
    await call(date=dt.date(2025, 8, 24), api_key_hash="AB12" * 16, user_id="user abc/123")
    assert server.received[0].path == "/activity"
    assert server.received[0].query == {
        "date": ["2025-08-24"],
        "api_key_hash": ["ab12" * 16],
        "user_id": ["user abc/123"],
    }


async def test_no_query_parameters_when_none_are_given(server: FaultServer, call: Call) -> None:
    server.script(ok())
    await call()
    assert server.received[0].target == "/activity"


async def test_headers_are_sent(server: FaultServer, call: Call) -> None:
    server.script(ok())
    await call(
        client={
            "http_referer": "https://example.com",
            "app_title": "Spend Report",
            "default_headers": {"X-A": "1"},
        },
        extra_headers={"X-B": "2"},
    )
    headers = server.received[0].headers
    assert headers["authorization"] == f"Bearer {KEY}"
    assert headers["http-referer"] == "https://example.com"
    assert headers["x-title"] == "Spend Report"
    assert headers["x-a"] == "1"
    assert headers["x-b"] == "2"
    assert headers["user-agent"].startswith("openrouter-analytics/")


async def test_extra_headers_are_for_one_call_only(server: FaultServer) -> None:
    server.script(ok(), ok())
    with Analytics(api_key=KEY, base_url=server.url) as analytics:
        analytics.get_user_activity(extra_headers={"X-Once": "1"})
        analytics.get_user_activity()
    assert server.received[0].headers["x-once"] == "1"
    assert "x-once" not in server.received[1].headers


async def test_concurrent_async_calls_keep_their_own_options(server: FaultServer) -> None:
    server.always(ok(delay=0.05))
    async with (
        AsyncAnalytics(api_key=KEY, base_url=server.url) as analytics,
        anyio.create_task_group() as tasks,
    ):
        for n in range(8):
            tasks.start_soon(
                functools.partial(
                    analytics.get_user_activity, user_id=f"user_{n}", extra_headers={"X-N": str(n)}
                )
            )
    assert len(server.received) == 8
    for received in server.received:
        assert received.query["user_id"] == [f"user_{received.headers['x-n']}"]


async def test_raw_response_carries_status_headers_and_request_id(server: FaultServer, call: Call) -> None:
    server.script(ok(headers={"X-Request-Id": "req-42"}))
    response = await call(method="get_user_activity_with_response", date="2025-08-24")
    assert isinstance(response, APIResponse)
    assert isinstance(response.parsed, ActivityResponse)
    assert response.status_code == 200
    assert response.request_id == "req-42"
    assert response.headers["x-request-id"] == "req-42"
    assert str(response.request) == f"GET {server.url}/activity?date=2025-08-24"
    assert response.attempts == 1
    assert 0 <= response.elapsed < 5


async def test_cf_ray_is_the_request_id_when_nothing_better_is_sent(server: FaultServer, call: Call) -> None:
    server.script(Reply(404, envelope(404, "Resource not found"), headers={"CF-Ray": "8f1d-AMS"}))
    with pytest.raises(errors.NotFoundResponseError) as caught:
        await call()
    assert caught.value.request_id == "8f1d-AMS"
    assert "8f1d-AMS" in str(caught.value)


async def test_each_attempt_is_logged_at_debug(
    server: FaultServer, call: Call, waits: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    server.script(Reply(503), ok())
    with caplog.at_level(logging.DEBUG, logger="openrouter_analytics"):
        await call()
    messages = [r.getMessage() for r in caplog.records if r.name == "openrouter_analytics"]
    assert any("-> 503" in m and "attempt 1 of 3" in m for m in messages)
    assert any(m.startswith("Retrying in") for m in messages)
    assert any("-> 200" in m and "attempt 2 of 3" in m for m in messages)


# -- bring your own http client --------------------------------------------------------------


@pytest.fixture
def sync_http() -> Iterator[httpx.Client]:
    with httpx.Client(headers={"X-Own": "yes"}) as http:
        yield http


@pytest.fixture
async def async_http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(headers={"X-Own": "yes"}) as http:
        yield http


async def test_own_sync_http_client_gets_our_headers_and_stays_open(
    server: FaultServer, sync_http: httpx.Client
) -> None:
    server.script(ok())
    with Analytics(api_key=KEY, base_url=server.url, http_client=sync_http) as analytics:
        analytics.get_user_activity()
    assert not sync_http.is_closed
    assert server.received[0].headers["authorization"] == f"Bearer {KEY}"
    assert server.received[0].headers["x-own"] == "yes"


async def test_own_async_http_client_gets_our_headers_and_stays_open(
    server: FaultServer, async_http: httpx.AsyncClient
) -> None:
    server.script(ok())
    async with AsyncAnalytics(api_key=KEY, base_url=server.url, http_client=async_http) as analytics:
        await analytics.get_user_activity()
    assert not async_http.is_closed
    assert server.received[0].headers["authorization"] == f"Bearer {KEY}"
    assert server.received[0].headers["x-own"] == "yes"


async def test_own_client_following_redirects_drops_the_key_for_another_origin(server: FaultServer) -> None:
    with running_server() as elsewhere, httpx.Client(follow_redirects=True) as http:
        server.script(Reply(307, headers={"Location": f"{elsewhere.url}/activity"}, content_type=None))
        elsewhere.script(ok())
        with Analytics(api_key=KEY, base_url=server.url, http_client=http) as analytics:
            analytics.get_user_activity()
        assert server.received[0].headers["authorization"] == f"Bearer {KEY}"
        assert len(elsewhere.received) == 1
        assert "authorization" not in elsewhere.received[0].headers


async def test_a_closed_own_http_client_is_an_openrouter_error(server: FaultServer) -> None:
    http = httpx.Client()
    http.close()
    analytics = Analytics(api_key=KEY, base_url=server.url, http_client=http)
    with pytest.raises(errors.OpenRouterError, match="http_client"):
        analytics.get_user_activity()
    assert server.received == []


async def test_a_closed_own_async_http_client_is_an_openrouter_error(server: FaultServer) -> None:
    http = httpx.AsyncClient()
    await http.aclose()
    analytics = AsyncAnalytics(api_key=KEY, base_url=server.url, http_client=http)
    with pytest.raises(errors.OpenRouterError, match="http_client"):
        await analytics.get_user_activity()
    assert server.received == []


# -- after close -----------------------------------------------------------------------------


async def test_sync_client_is_unusable_after_its_with_block(server: FaultServer) -> None:
    with Analytics(api_key=KEY, base_url=server.url) as analytics:
        pass
    with pytest.raises(errors.OpenRouterError, match=r"closed.*inside its `with` block"):
        analytics.get_user_activity()
    assert server.received == []


async def test_async_client_is_unusable_after_close(server: FaultServer) -> None:
    analytics = AsyncAnalytics(api_key=KEY, base_url=server.url)
    await analytics.close()
    await analytics.close()
    with pytest.raises(errors.OpenRouterError, match=r"closed.*inside its `async with` block"):
        await analytics.get_user_activity()
    assert server.received == []


async def test_an_own_client_whose_hook_raises_for_the_status_gets_the_status_error(
    server: FaultServer,
) -> None:
    """A hook calling raise_for_status() (a common setting for a client of one's own): the 404
    is the SDK's NotFoundResponseError, as without the hook, not a connection error."""

    async def raise_async(response: httpx.Response) -> None:
        response.raise_for_status()

    server.script(Reply(404, envelope(404, "no such thing")), Reply(404, envelope(404, "no such thing")))
    own = httpx.Client(event_hooks={"response": [lambda response: response.raise_for_status()]})
    own_async = httpx.AsyncClient(event_hooks={"response": [raise_async]})
    with (
        Analytics(api_key="sk-or-v1-own", base_url=server.url, http_client=own) as client,
        pytest.raises(errors.NotFoundResponseError) as sync_error,
    ):
        client.get_user_activity()
    async with AsyncAnalytics(api_key="sk-or-v1-own", base_url=server.url, http_client=own_async) as aclient:
        with pytest.raises(errors.NotFoundResponseError) as async_error:
            await aclient.get_user_activity()
    own.close()
    await own_async.aclose()
    assert sync_error.value.status_code == async_error.value.status_code == 404
    assert len(server.received) == 2
