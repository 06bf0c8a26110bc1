"""The API key never shows: not in repr/str of anything the package makes, not in logs, not in
any message of an exception chain, whatever goes wrong.
"""

from __future__ import annotations

import contextlib
import json
import logging
import pickle
import traceback
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fault_server import FaultServer, Reply, envelope, ok, refused_url

from openrouter_analytics import Analytics, AsyncAnalytics, errors
from openrouter_analytics import _client as client_module
from openrouter_analytics._settings import Secret

pytestmark = pytest.mark.anyio

KEY = "sk-or-v1-CANARY-5f0c1e2d3b4a59687766554433221100"


@pytest.fixture(autouse=True)
def no_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    async def no_async_sleep(seconds: float) -> None:
        return None

    monkeypatch.setattr(client_module, "_sleep", lambda seconds: None)
    monkeypatch.setattr(client_module, "_async_sleep", no_async_sleep)


def texts_of(value: object) -> Iterator[str]:
    """Every text an object shows, through its exception chain."""
    seen: set[int] = set()
    pending = [value]
    while pending:
        item = pending.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        yield repr(item)
        yield str(item)
        if isinstance(item, BaseException):
            yield from (repr(arg) for arg in item.args)
            yield "".join(traceback.format_exception(item))
            pending += [item.__cause__, item.__context__]
            pending += [getattr(item, name, None) for name in ("request", "headers", "body", "message")]
        if isinstance(item, str):
            # JSON text shows what it holds once decoded: a key written with \\u escapes too.
            with contextlib.suppress(ValueError):
                yield json.dumps(json.loads(item), ensure_ascii=False)


SECRET_PART = KEY.removeprefix("sk-or-v1-")


def escaped(text: str) -> str:
    """``text`` as JSON may write it: every letter of the key's secret part as a \\u escape."""
    return text.replace(SECRET_PART, "".join(f"\\u{ord(char):04x}" for char in SECRET_PART))


def assert_no_key(*values: object) -> None:
    for value in values:
        for text in texts_of(value):
            assert SECRET_PART.lower() not in text.lower(), text[:500]


def assert_no_key_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    assert caplog.records, "expected log records to search"
    for record in caplog.records:
        assert SECRET_PART.lower() not in record.getMessage().lower()
    assert SECRET_PART.lower() not in caplog.text.lower()


SCENARIOS: dict[str, list[Reply]] = {
    "ok": [ok()],
    "401 envelope": [Reply(401, envelope(401, "Missing Authentication header"))],
    "500 every time": [Reply(500, envelope(500, "Internal Server Error"))] * 3,
    "502 html": [Reply(502, b"<html>bad gateway</html>", content_type="text/html")] * 3,
    "429 too long": [Reply(429, envelope(429, "slow down"), headers={"Retry-After": "3600"})],
    "200 not json": [ok(b"<html></html>", content_type="text/html")],
    "200 missing field": [ok(b'{"data": [{"date": "2025-08-24"}]}')],
    "closed mid-body": [Reply(200, b'{"data": []}' * 10, cut_body_at=5)] * 3,
    "too slow": [Reply(200, b'{"data": []}', delay=1.0)] * 3,
    "server echoes the key": [Reply(400, envelope(400, f"bad token Bearer {KEY}"))],
    "server echoes the key as text": [
        Reply(418, f"Authorization: Bearer {KEY}".encode(), content_type="text/plain")
    ],
    "server echoes the key written with JSON escapes": [
        Reply(401, escaped(json.dumps({"error": {"code": 401, "message": f"bad key {KEY}"}})).encode())
    ],
    "an off-spec 200 echoes the key written with JSON escapes": [
        ok(escaped(json.dumps({"data": [{"date": KEY}]})).encode())
    ],
    "server echoes the key upper-cased, and its secret part alone": [
        Reply(401, envelope(401, f"key={KEY.upper()} is disabled; k={SECRET_PART}"))
    ],
}


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_the_key_never_shows_whatever_happens(
    server: FaultServer, caplog: pytest.LogCaptureFixture, kind: str, scenario: str
) -> None:
    server.script(*SCENARIOS[scenario])
    options: dict[str, Any] = {"api_key": KEY, "base_url": server.url, "timeout": 0.2}
    outcome: object = None
    with caplog.at_level(logging.DEBUG):
        if kind == "sync":
            with Analytics(**options) as client:
                try:
                    outcome = client.get_user_activity_with_response()
                except errors.OpenRouterError as error:
                    outcome = error
                shown: tuple[object, ...] = (client, client.settings, outcome)
        else:
            async with AsyncAnalytics(**options) as async_client:
                try:
                    outcome = await async_client.get_user_activity_with_response()
                except errors.OpenRouterError as error:
                    outcome = error
                shown = (async_client, async_client.settings, outcome)
    assert server.received[0].headers["authorization"] == f"Bearer {KEY}"
    assert_no_key(*shown)
    assert_no_key_in_logs(caplog)


# A key a server echoes in a response header; httpcore's own DEBUG log prints response headers
# as received, so only this package's log is searched here.
HEADER_ECHOES: dict[str, list[Reply]] = {
    "401": [Reply(401, envelope(401, "Missing Authentication header"), headers={"X-Echo": f"Bearer {KEY}"})],
    "200": [ok(headers={"X-Debug-Auth": KEY, "X-Other": "kept"})],
    "200 not json": [ok(f"<html>{KEY}</html>".encode(), content_type="text/html", headers={"X-Echo": KEY})],
    "401 upper-cased": [Reply(401, envelope(401, "no"), headers={"X-Echo": f"Bearer {KEY.upper()}"})],
    "200 secret part": [ok(headers={"X-Debug-Auth": SECRET_PART, "X-Other": "kept"})],
}


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("scenario", list(HEADER_ECHOES))
async def test_a_key_echoed_in_a_response_header_is_scrubbed(
    server: FaultServer, caplog: pytest.LogCaptureFixture, kind: str, scenario: str
) -> None:
    server.script(*HEADER_ECHOES[scenario])
    options: dict[str, Any] = {"api_key": KEY, "base_url": server.url}
    outcome: Any = None
    with caplog.at_level(logging.DEBUG, logger="openrouter_analytics"):
        if kind == "sync":
            with Analytics(**options) as client:
                try:
                    outcome = client.get_user_activity_with_response()
                except errors.OpenRouterError as error:
                    outcome = error
        else:
            async with AsyncAnalytics(**options) as async_client:
                try:
                    outcome = await async_client.get_user_activity_with_response()
                except errors.OpenRouterError as error:
                    outcome = error
    # What the result or error itself shows and carries (the generated client's exception kept as
    # __cause__ holds the raw response, but is neither shown nor pickled).
    secret = SECRET_PART.lower()
    for text in (repr(outcome), str(outcome), repr(outcome.headers), str(dict(outcome.headers))):
        assert secret not in text.lower()
    if isinstance(outcome, errors.OpenRouterError):
        assert secret.encode() not in pickle.dumps(outcome).lower()
    assert [r for r in caplog.records if r.name == "openrouter_analytics"]
    assert all(
        secret not in r.getMessage().lower() for r in caplog.records if r.name == "openrouter_analytics"
    )
    # Scrubbed, not dropped: the header is still there, and the others are untouched.
    echoed = next(
        value
        for name, value in outcome.headers.items()
        if name.lower().startswith("x-") and "[redacted]" in value
    )
    assert echoed.replace("[redacted]", "") in ("", "Bearer ", "Bearer")
    if scenario in ("200", "200 secret part"):
        assert outcome.headers["x-other"] == "kept"


async def test_connection_refused_does_not_show_the_key(caplog: pytest.LogCaptureFixture) -> None:
    with (
        caplog.at_level(logging.DEBUG),
        Analytics(api_key=KEY, base_url=refused_url()) as client,
        pytest.raises(errors.APIConnectionError) as caught,
    ):
        client.get_user_activity()
    assert_no_key(caught.value, client)
    assert_no_key_in_logs(caplog)


async def test_the_default_header_mapping_masks_the_key(server: FaultServer) -> None:
    with Analytics(api_key=KEY, base_url=server.url) as client:
        headers = client._fixed_headers
        assert headers["authorization"] == f"Bearer {KEY}"
        assert KEY not in repr(headers)
        assert KEY not in repr(client._http)


async def test_an_own_http_client_does_not_show_the_key(server: FaultServer) -> None:
    server.script(Reply(404, envelope(404, "Resource not found")))
    with httpx.Client() as http, Analytics(api_key=KEY, base_url=server.url, http_client=http) as client:
        with pytest.raises(errors.NotFoundResponseError) as caught:
            client.get_user_activity()
        assert_no_key(caught.value, client, http)


async def test_invalid_arguments_do_not_show_the_key() -> None:
    with Analytics(api_key=KEY) as client, pytest.raises(errors.InvalidParameterError) as caught:
        client.get_user_activity(date="not a date", user_id="u")
    assert_no_key(caught.value)


def test_a_secret_shows_a_mask_and_refuses_to_pickle() -> None:
    secret = Secret(KEY)
    assert KEY not in repr(secret)
    assert KEY not in str(secret)
    assert KEY not in f"{secret}"
    assert secret.reveal() == KEY
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_a_key_with_a_typo_is_not_echoed_in_the_error() -> None:
    with pytest.raises(errors.InvalidParameterError) as caught:
        Analytics(api_key=KEY + " ")
    assert_no_key(caught.value)
    assert str(caught.value).startswith("api_key must be a key of printable ASCII without spaces")
    assert str(caught.value).endswith(f"(it has a space at character {len(KEY) + 1} of {len(KEY) + 1})")


@pytest.mark.parametrize(
    ("value", "problem"),
    [(KEY + "\n", "a line break at character 49 of 49"), ("   ", "a space at character 1 of 3")],
)
@pytest.mark.parametrize("client", [Analytics, AsyncAnalytics])
def test_a_bad_key_in_the_environment_is_named_by_the_variable(
    monkeypatch: pytest.MonkeyPatch, client: type[Analytics] | type[AsyncAnalytics], value: str, problem: str
) -> None:
    """The user passed no api_key=: the error names where the key came from, and what is wrong."""
    monkeypatch.setenv("OPENROUTER_API_KEY", value)
    with pytest.raises(errors.InvalidParameterError) as caught:
        client()
    assert caught.value.parameter == "api_key"
    assert str(caught.value).startswith("the OPENROUTER_API_KEY environment variable must be a key of")
    assert str(caught.value).endswith(f"(it has {problem})")
    assert_no_key(caught.value)


# Each scenario that fails, with the key echoed back wherever a server could put it.
ECHOED_FAILURES: dict[str, list[Reply]] = {
    "400 envelope and header": [
        Reply(
            400,
            envelope(400, f"bad token Bearer {KEY}"),
            headers={"WWW-Authenticate": f'Bearer realm="{KEY}"'},
        )
    ],
    "408 every time": [Reply(408, envelope(408, f"timed out for {KEY}"), headers={"X-Echo": KEY})] * 3,
    "418 text": [Reply(418, f"Authorization: Bearer {KEY}".encode(), content_type="text/plain")],
    "200 not json": [ok(f"<html>{KEY}</html>".encode(), content_type="text/html", headers={"X-Echo": KEY})],
    "200 wrong shape": [ok(f'{{"data": {{"metrics": "{KEY}"}}}}'.encode(), headers={"X-Echo": KEY})],
    "too slow": [Reply(200, b"{}", delay=1.0)] * 3,
}


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("method", ["get_analytics_meta", "query_analytics"])
@pytest.mark.parametrize("scenario", list(ECHOED_FAILURES))
async def test_a_pickled_error_does_not_carry_the_key(
    server: FaultServer, kind: str, method: str, scenario: str
) -> None:
    server.script(*ECHOED_FAILURES[scenario])
    options: dict[str, Any] = {"api_key": KEY, "base_url": server.url, "timeout": 0.2}
    arguments = {"metrics": ["total_usage"]} if method == "query_analytics" else {}

    async def fail() -> None:
        if kind == "sync":
            with Analytics(**options) as client:
                getattr(client, method)(**arguments)
        else:
            async with AsyncAnalytics(**options) as async_client:
                await getattr(async_client, method)(**arguments)

    with pytest.raises(errors.OpenRouterError) as caught:
        await fail()
    assert server.received[0].headers["authorization"] == f"Bearer {KEY}"
    pickled = pickle.dumps(caught.value)
    assert KEY.encode() not in pickled
    assert KEY.encode("utf-16-le") not in pickled
    copy = pickle.loads(pickled)  # noqa: S301 - our own bytes
    assert type(copy) is type(caught.value)
    assert str(copy) == str(caught.value)
    assert_no_key(copy)


# -- the key passed by mistake where something else belongs -----------------------------------

KEY_AS_ARGUMENT: dict[str, dict[str, Any]] = {
    "api_key_hash": {"method": "get_user_activity", "api_key_hash": KEY},
    "workspace_id": {"method": "get_user_activity", "workspace_id": KEY},
    "a filter value of the wrong type": {
        "method": "query_analytics",
        "metrics": ["total_usage"],
        "filters": [{"field": "api_key_id", "operator": "in", "value": KEY}],
    },
    "a classifier id": {
        "method": "query_analytics",
        "metrics": ["total_usage"],
        "classifier_dimensions": {"classifier_id": KEY},
    },
    "an extra header with a stray space": {
        "method": "get_user_activity",
        "extra_headers": {"X-Key": KEY + " "},
    },
}


async def call(kind: str, options: dict[str, Any], method: str, **arguments: Any) -> Any:
    if kind == "sync":
        with Analytics(**options) as client:
            return getattr(client, method)(**arguments)
    async with AsyncAnalytics(**options) as async_client:
        return await getattr(async_client, method)(**arguments)


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("case", list(KEY_AS_ARGUMENT))
async def test_a_refused_argument_that_is_the_key_is_masked(
    server: FaultServer, kind: str, case: str
) -> None:
    with pytest.raises(errors.InvalidParameterError) as caught:
        await call(kind, {"api_key": KEY, "base_url": server.url}, **KEY_AS_ARGUMENT[case])
    assert "[redacted]" in str(caught.value)
    assert caught.value.parameter
    assert_no_key(caught.value)
    assert server.received == []


@pytest.mark.parametrize("option", ["http_referer", "app_title"])
def test_a_refused_constructor_option_that_is_the_key_is_masked(option: str) -> None:
    with pytest.raises(errors.InvalidParameterError) as caught:
        Analytics(api_key=KEY, **{option: f" {KEY}"})
    assert caught.value.parameter == option
    assert_no_key(caught.value)


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_the_key_sent_as_a_filter_stays_out_of_urls_and_logs(
    server: FaultServer, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    server.script(ok(), Reply(500, envelope(500, "Internal Server Error")))
    caplog.set_level(logging.DEBUG, logger="openrouter_analytics")
    options: dict[str, Any] = {"api_key": KEY, "base_url": server.url, "max_retries": 0}
    response = await call(kind, options, "get_user_activity_with_response", user_id=KEY)
    with pytest.raises(errors.InternalServerResponseError) as caught:
        await call(kind, options, "get_user_activity", user_id=KEY)
    assert server.received[0].query == {"user_id": [KEY]}  # sent as asked: only what is shown is masked
    assert response.request.url.endswith("/activity?user_id=[redacted]")
    assert_no_key(response, response.request, caught.value)
    assert_no_key_in_logs(caplog)


@pytest.mark.parametrize("status", [200, 401])
async def test_a_key_echoed_as_a_response_header_name_is_scrubbed(server: FaultServer, status: int) -> None:
    name = f"X-Seen-{SECRET_PART}"
    body = b'{"data": []}' if status == 200 else envelope(401, "no")
    server.script(Reply(status, body, headers={name: "1", "X-Other": "kept"}))
    with Analytics(api_key=KEY, base_url=server.url) as client:
        try:
            outcome: Any = client.get_user_activity_with_response()
        except errors.OpenRouterError as error:
            outcome = error
    assert_no_key(outcome, outcome.headers, dict(outcome.headers))
    assert SECRET_PART.lower().encode() not in pickle.dumps(dict(outcome.headers)).lower()
    assert outcome.headers["x-seen-[redacted]"] == "1"
    assert outcome.headers["x-other"] == "kept"
