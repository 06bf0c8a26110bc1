"""Arguments are checked before anything is sent, with errors that name the parameter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from openrouter_analytics import Analytics, AsyncAnalytics, errors

KEY = "sk-or-v1-validation0123456789"


def _refuse(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"nothing should be sent, but {request.method} {request.url} was")


@pytest.fixture
def analytics() -> Iterator[Analytics]:
    """A client whose transport fails the test if anything is sent."""
    with (
        httpx.Client(transport=httpx.MockTransport(_refuse)) as http,
        Analytics(api_key=KEY, http_client=http) as client,
    ):
        yield client


# -- call arguments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "parameter", "shown"),
    [
        ({"date": "2025-02-30"}, "date", "2025-08-24"),
        ({"date": "2025-13-01"}, "date", "2025-08-24"),
        ({"date": "24/08/2025"}, "date", "2025-08-24"),
        ({"date": "20250824"}, "date", "2025-08-24"),
        ({"date": "2025-8-24"}, "date", "2025-08-24"),
        ({"date": "\uff12\uff10\uff12\uff15-08-24"}, "date", "2025-08-24"),
        ({"date": "2025-08-24 "}, "date", "2025-08-24"),
        ({"date": ""}, "date", "2025-08-24"),
        ({"date": 20250824}, "date", "2025-08-24"),
        ({"date": dt.datetime(2025, 8, 24, 12, 0)}, "date", "2025-08-24"),
        ({"api_key_hash": "abc123"}, "api_key_hash", "ab12ab12"),
        ({"api_key_hash": "g" * 64}, "api_key_hash", "ab12ab12"),
        ({"api_key_hash": "a" * 65}, "api_key_hash", "ab12ab12"),
        ({"api_key_hash": "a" * 63 + "\n"}, "api_key_hash", "ab12ab12"),
        ({"api_key_hash": b"a" * 64}, "api_key_hash", "ab12ab12"),
        ({"user_id": ""}, "user_id", "user_abc123"),
        ({"user_id": "user\n123"}, "user_id", "user_abc123"),
        ({"user_id": "user\x00"}, "user_id", "user_abc123"),
        ({"user_id": "user\x85"}, "user_id", "user_abc123"),
        ({"user_id": "   "}, "user_id", "non-blank"),
        ({"user_id": "user\u2028x"}, "user_id", "user_abc123"),
        ({"user_id": "user\u202ex"}, "user_id", "user_abc123"),
        ({"user_id": 123}, "user_id", "user_abc123"),
        ({"timeout": -1}, "timeout", "30.0"),
        ({"timeout": 0}, "timeout", "30.0"),
        ({"timeout": float("nan")}, "timeout", "30.0"),
        ({"timeout": True}, "timeout", "30.0"),
        ({"timeout": "5"}, "timeout", "30.0"),
        ({"max_retries": -1}, "max_retries", "e.g. 2"),
        ({"max_retries": 1.5}, "max_retries", "e.g. 2"),
        ({"max_retries": True}, "max_retries", "e.g. 2"),
        ({"extra_headers": {"Authorization": "Bearer other"}}, "extra_headers", "api_key="),
        ({"extra_headers": {"Bad Name": "x"}}, "extra_headers", "X-Trace"),
        ({"extra_headers": {"X-Ok": "line\r\nInjected: 1"}}, "extra_headers['X-Ok']", "My App"),
        ({"extra_headers": {"X-Ok": "café"}}, "extra_headers['X-Ok']", "My App"),
        ({"extra_headers": {"X-Ok": 1}}, "extra_headers['X-Ok']", "My App"),
        ({"extra_headers": ["X-Ok"]}, "extra_headers", "X-Trace"),
    ],
)
def test_a_bad_call_argument_is_refused_before_sending(
    analytics: Analytics, kwargs: dict[str, Any], parameter: str, shown: str
) -> None:
    with pytest.raises(errors.InvalidParameterError) as caught:
        analytics.get_user_activity(**kwargs)
    assert caught.value.parameter == parameter
    assert parameter.partition("[")[0] in str(caught.value)
    assert shown in str(caught.value)


def test_invalid_parameter_error_is_also_a_value_error(analytics: Analytics) -> None:
    with pytest.raises(ValueError, match="date"):
        analytics.get_user_activity(date="yesterday")
    assert issubclass(errors.InvalidParameterError, errors.OpenRouterError)


@pytest.mark.anyio
async def test_async_client_checks_arguments_the_same_way() -> None:
    async with (
        httpx.AsyncClient(transport=httpx.MockTransport(_refuse)) as http,
        AsyncAnalytics(api_key=KEY, http_client=http) as analytics,
    ):
        with pytest.raises(errors.InvalidParameterError) as caught:
            await analytics.get_user_activity(api_key_hash="xyz")
    assert caught.value.parameter == "api_key_hash"


@pytest.mark.parametrize(
    ("kwargs", "query"),
    [
        ({"date": "2024-02-29"}, "date=2024-02-29"),
        ({"date": dt.date(2025, 1, 2)}, "date=2025-01-02"),
        ({"api_key_hash": "0123456789ABCDEF" * 4}, "api_key_hash=" + "0123456789abcdef" * 4),
        ({"user_id": "user_abc123"}, "user_id=user_abc123"),
        ({"user_id": "ünïcode user"}, "user_id=%C3%BCn%C3%AFcode+user"),
        ({"date": None, "api_key_hash": None, "user_id": None}, ""),
    ],
)
def test_good_call_arguments_are_sent(kwargs: dict[str, Any], query: str) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": []})

    with (
        httpx.Client(transport=httpx.MockTransport(answer)) as http,
        Analytics(api_key=KEY, http_client=http) as analytics,
    ):
        analytics.get_user_activity(**kwargs)
    assert seen[0].url.query.decode() == query


# -- constructor options -----------------------------------------------------------------------


def test_no_key_anywhere_names_both_ways_to_give_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    with pytest.raises(errors.InvalidParameterError) as caught:
        Analytics()
    assert caught.value.parameter == "api_key"
    assert "api_key=" in str(caught.value)
    assert "OPENROUTER_API_KEY" in str(caught.value)


def test_the_key_falls_back_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-v1-fromenv")
    with Analytics() as analytics:
        assert analytics.settings.api_key.reveal() == "sk-or-v1-fromenv"


def test_an_explicit_key_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-v1-fromenv")
    with Analytics(api_key="sk-or-v1-explicit") as analytics:
        assert analytics.settings.api_key.reveal() == "sk-or-v1-explicit"


@pytest.mark.parametrize("bad_key", ["sk-or v1", "sk-or-v1\n", "sk-or-ключ", 12345])
def test_a_key_that_cannot_go_in_a_header_is_refused_without_echoing_it(bad_key: object) -> None:
    with pytest.raises(errors.InvalidParameterError) as caught:
        Analytics(api_key=bad_key)  # type: ignore[arg-type]
    assert caught.value.parameter == "api_key"
    assert str(bad_key) not in str(caught.value)


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:8080/api/v1",
        "http://127.1.2.3",
        "http://localhost:4010",
        "http://[::1]:4010",
        "https://openrouter.ai/api/v1/",
        "https://proxy.internal.example/openrouter",
    ],
)
def test_https_and_loopback_http_base_urls_are_accepted(base_url: str) -> None:
    with Analytics(api_key=KEY, base_url=base_url) as analytics:
        assert analytics.base_url == base_url.rstrip("/")


@pytest.mark.parametrize(
    "base_url",
    ["http://openrouter.ai/api/v1", "http://10.0.0.5:8080", "http://example.com", "http://128.0.0.1"],
)
def test_plain_http_to_another_host_is_refused(base_url: str) -> None:
    with pytest.raises(errors.InvalidParameterError, match="allow_insecure_http") as caught:
        Analytics(api_key=KEY, base_url=base_url)
    assert caught.value.parameter == "base_url"


def test_plain_http_to_another_host_is_allowed_with_the_opt_in() -> None:
    with Analytics(api_key=KEY, base_url="http://example.com/api", allow_insecure_http=True) as analytics:
        assert analytics.base_url == "http://example.com/api"


@pytest.mark.parametrize(
    "base_url",
    [
        "openrouter.ai/api/v1",
        "ftp://openrouter.ai",
        "https://user:pw@openrouter.ai",
        "https://x/?q=1",
        "",
        42,
    ],
)
def test_a_malformed_base_url_is_refused(base_url: object) -> None:
    with pytest.raises(errors.InvalidParameterError) as caught:
        Analytics(api_key=KEY, base_url=base_url)  # type: ignore[arg-type]
    assert caught.value.parameter == "base_url"
    assert "https://openrouter.ai/api/v1" in str(caught.value) or "api_key=" in str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"timeout": -5}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"app_title": "Café"}, "app_title"),
        ({"app_title": " padded "}, "app_title"),
        ({"http_referer": "https://x\r\n"}, "http_referer"),
        ({"default_headers": {"Authorization": "Bearer x"}}, "default_headers"),
        ({"default_headers": {"Host": "evil"}}, "default_headers"),
    ],
)
def test_a_bad_constructor_option_is_refused(kwargs: dict[str, Any], parameter: str) -> None:
    with pytest.raises(errors.InvalidParameterError) as caught:
        Analytics(api_key=KEY, **kwargs)
    assert caught.value.parameter == parameter


@pytest.mark.anyio
async def test_sync_client_refuses_an_async_http_client() -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(errors.InvalidParameterError) as caught:
            Analytics(api_key=KEY, http_client=http)  # type: ignore[arg-type]
    assert caught.value.parameter == "http_client"


def test_async_client_refuses_a_sync_http_client() -> None:
    with httpx.Client() as http, pytest.raises(errors.InvalidParameterError) as caught:
        AsyncAnalytics(api_key=KEY, http_client=http)  # type: ignore[arg-type]
    assert caught.value.parameter == "http_client"


@pytest.mark.parametrize("timeout", [None, 3, 2.5, httpx.Timeout(7.0, connect=1.0)])
def test_timeout_accepts_seconds_a_timeout_object_or_none(timeout: Any) -> None:
    with Analytics(api_key=KEY, timeout=timeout) as analytics:
        settings_timeout = analytics.settings.timeout
    if timeout is None:
        assert settings_timeout is None
    else:
        assert isinstance(settings_timeout, httpx.Timeout)
