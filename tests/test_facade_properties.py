"""Property-based tests: whatever a server answers, and whatever a caller passes, only a valid
result or one of the documented errors comes out.

Answers are served through httpx.MockTransport, so the generated operation, the facade and
httpx all run for real, without sockets.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import math
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest
from fault_server import ACTIVITY_ITEM
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from openrouter_analytics import Analytics, AsyncAnalytics, errors
from openrouter_analytics import _client as client_module
from openrouter_analytics._constants import MAX_RETRY_DELAY
from openrouter_analytics._retry import requested_delay, retry_delay
from openrouter_analytics._validation import check_api_key_hash, check_date, check_user_id
from openrouter_analytics_client.models import ActivityResponse

KEY = "sk-or-v1-properties"
MAX_RETRIES = 2
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
DOCUMENTED = (errors.APIError, errors.APIConnectionError, errors.ResponseValidationError)

# -- strategies --------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def activity_items(draw: st.DrawFn) -> dict[str, Any]:
    """A valid item, or one with a field dropped, retyped or added."""
    item = dict(ACTIVITY_ITEM)
    change = draw(st.sampled_from(["none", "drop", "retype", "add"]))
    name = draw(st.sampled_from(sorted(item)))
    if change == "drop":
        del item[name]
    elif change == "retype":
        item[name] = draw(json_values)
    elif change == "add":
        item[draw(st.text(min_size=1, max_size=10))] = draw(json_values)
    return item


bodies = st.one_of(
    st.builds(lambda items: json.dumps({"data": items}).encode(), st.lists(activity_items(), max_size=3)),
    st.builds(lambda value: json.dumps({"data": value}).encode(), json_values),
    st.builds(lambda value: json.dumps(value).encode(), json_values),
    st.builds(
        lambda code, message: json.dumps({"error": {"code": code, "message": message}}).encode(),
        json_values,
        json_values,
    ),
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
)

header_values = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40).map(str.strip)
headers = st.dictionaries(
    st.sampled_from(
        [
            "content-type",
            "retry-after",
            "retry-after-ms",
            "x-request-id",
            "cf-ray",
            "content-encoding",
            "x-anything",
        ]
    ),
    st.one_of(
        header_values,
        st.sampled_from(
            [
                "application/json",
                "application/json; charset=utf-8",
                "application/problem+json",
                "text/html",
                "gzip",
                "br",
                "identity",
                "0",
                "1",
                "0.001",
                "3600",
                "-5",
                "nan",
                email.utils.formatdate(usegmt=True),
                "Fri, 31 Dec 9999 23:59:59 GMT",
            ]
        ),
    ),
    max_size=4,
)
statuses = st.one_of(
    st.sampled_from(
        [200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 408, 409, 418, 429, 500, 502, 503, 529]
    ),
    st.integers(min_value=100, max_value=599),
)
answers = st.lists(st.tuples(statuses, headers, bodies), min_size=1, max_size=MAX_RETRIES + 1)


@pytest.fixture(autouse=True)
def no_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    async def no_async_sleep(seconds: float) -> None:
        return None

    monkeypatch.setattr(client_module, "_sleep", lambda seconds: None)
    monkeypatch.setattr(client_module, "_async_sleep", no_async_sleep)


def test_the_items_drawn_carry_every_field_the_spec_requires() -> None:
    """So a field the spec adds (cached_tokens in 2026-10) is dropped and retyped by the draws too."""
    from openrouter_analytics_client.models.activity_response import _ROW_FIELDS

    assert set(ACTIVITY_ITEM) == {name for name, _, _, required in _ROW_FIELDS if required}


class Script:
    """Serves the drawn answers in order, repeating the last one."""

    def __init__(self, drawn: list[tuple[int, dict[str, str], bytes]]) -> None:
        self.drawn = drawn
        self.requests = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        status, answer_headers, body = self.drawn[min(self.requests, len(self.drawn) - 1)]
        self.requests += 1
        return httpx.Response(
            status, headers={"content-type": "application/json", **answer_headers}, content=body
        )


def check_outcome(outcome: object, script: Script) -> None:
    event(type(outcome).__name__)  # the spread of outcomes, in --hypothesis-show-statistics
    assert script.requests <= MAX_RETRIES + 1
    last_status = script.drawn[min(script.requests, len(script.drawn)) - 1][0]
    if isinstance(outcome, ActivityResponse):
        assert last_status == 200
    elif isinstance(outcome, errors.APIError):
        assert outcome.status_code == last_status
        assert not 200 <= outcome.status_code < 300
        assert outcome.__traceback__ is not None
        assert len(str(outcome)) < 2000
    elif isinstance(outcome, errors.ResponseValidationError):
        assert 200 <= outcome.status_code < 300
    else:
        assert isinstance(outcome, errors.APIConnectionError), repr(outcome)


@PROPERTY_SETTINGS
@given(drawn=answers)
def test_sync_client_answers_with_a_report_or_a_documented_error(drawn: list[Any]) -> None:
    script = Script(drawn)
    outcome: object
    with (
        httpx.Client(transport=httpx.MockTransport(script)) as http,
        Analytics(api_key=KEY, http_client=http, max_retries=MAX_RETRIES) as analytics,
    ):
        try:
            outcome = analytics.get_user_activity()
        except DOCUMENTED as error:
            outcome = error
    check_outcome(outcome, script)


@PROPERTY_SETTINGS
@given(drawn=answers)
def test_async_client_answers_with_a_report_or_a_documented_error(drawn: list[Any]) -> None:
    script = Script(drawn)

    async def run() -> object:
        async with (
            httpx.AsyncClient(transport=httpx.MockTransport(script)) as http,
            AsyncAnalytics(api_key=KEY, http_client=http, max_retries=MAX_RETRIES) as analytics,
        ):
            try:
                return await analytics.get_user_activity()
            except DOCUMENTED as error:
                return error

    check_outcome(anyio.run(run), script)


@PROPERTY_SETTINGS
@given(
    failure=st.sampled_from(
        [
            httpx.ConnectError("refused"),
            httpx.ReadError("reset"),
            httpx.RemoteProtocolError("closed mid-body"),
            httpx.ReadTimeout("slow"),
            httpx.ConnectTimeout("slow"),
            httpx.PoolTimeout("busy"),
            httpx.LocalProtocolError("bad"),
            httpx.UnsupportedProtocol("nope"),
            httpx.ProxyError("proxy"),
            httpx.DecodingError("gzip"),
        ]
    ),
    then_ok=st.booleans(),
)
def test_transport_failures_become_connection_errors(failure: Exception, then_ok: bool) -> None:
    calls = 0

    def fail(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if then_ok and calls > 1:
            return httpx.Response(200, json={"data": []})
        raise failure

    outcome: object
    with (
        httpx.Client(transport=httpx.MockTransport(fail)) as http,
        Analytics(api_key=KEY, http_client=http) as analytics,
    ):
        try:
            outcome = analytics.get_user_activity()
        except errors.APIConnectionError as error:
            outcome = error
    assert isinstance(outcome, ActivityResponse | errors.APIConnectionError)
    if isinstance(outcome, errors.APIConnectionError):
        assert outcome.__cause__ is failure
    assert isinstance(outcome, errors.APITimeoutError) == (
        isinstance(failure, httpx.TimeoutException) and isinstance(outcome, errors.APIConnectionError)
    )


# -- the retry policy and the input checks, for any input --------------------------------------


@settings(max_examples=200, deadline=None)
@given(attempt=st.integers(min_value=0, max_value=10_000), advice=headers, elapsed=st.floats(0, 100))
def test_retry_delay_is_a_bounded_wait_or_none(attempt: int, advice: dict[str, str], elapsed: float) -> None:
    delay = retry_delay(attempt, advice, elapsed=elapsed)
    assert delay is None or (0.0 <= delay <= MAX_RETRY_DELAY and math.isfinite(delay))


@settings(max_examples=200, deadline=None)
@given(value=st.text(max_size=60))
def test_any_retry_after_text_is_read_or_ignored(value: str) -> None:
    delay = requested_delay({"retry-after": value, "retry-after-ms": value})
    assert delay is None or (delay >= 0 and math.isfinite(delay))


anything = st.one_of(
    st.none(),
    st.text(max_size=80),
    st.integers(),
    st.floats(),
    st.binary(max_size=10),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=2),
)


def refused_or(
    check: Callable[[object], str | None], value: object
) -> str | errors.InvalidParameterError | None:
    try:
        return check(value)
    except errors.InvalidParameterError as error:
        return error


@settings(max_examples=200, deadline=None)
@given(value=anything)
def test_date_check_returns_a_real_date_or_refuses(value: object) -> None:
    checked = refused_or(check_date, value)
    if isinstance(checked, errors.InvalidParameterError):
        assert checked.parameter == "date"
        return
    assert checked is None or dt.date.fromisoformat(checked).isoformat() == checked


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(anything, st.text("0123456789abcdefABCDEF", min_size=64, max_size=64)))
def test_api_key_hash_check_returns_64_lower_hex_or_refuses(value: object) -> None:
    checked = refused_or(check_api_key_hash, value)
    if isinstance(checked, errors.InvalidParameterError):
        assert checked.parameter == "api_key_hash"
        return
    assert checked is None or (len(checked) == 64 and set(checked) <= set("0123456789abcdef"))


@settings(max_examples=200, deadline=None)
@given(value=anything)
def test_user_id_check_returns_printable_text_or_refuses(value: object) -> None:
    checked = refused_or(check_user_id, value)
    if isinstance(checked, errors.InvalidParameterError):
        assert checked.parameter == "user_id"
        return
    assert checked is None or (
        checked and all(ord(c) >= 0x20 and not 0x7F <= ord(c) <= 0x9F for c in checked)
    )


# -- the parsed URL a client keeps per operation --------------------------------------------------

path_segments = st.text(
    st.characters(codec="ascii", exclude_characters="/?#", exclude_categories=("Cc",)), min_size=1, max_size=8
)
base_urls = st.builds(
    lambda host, port, segments: f"https://{host}{port}" + "".join(f"/{s}" for s in segments),
    st.sampled_from(["openrouter.ai", "proxy.example", "127.0.0.1", "[::1]", "xn--bcher-kva.example"]),
    st.sampled_from(["", ":8443"]),
    st.lists(path_segments, max_size=3),
)
activity_filters = st.fixed_dictionaries(
    {},
    optional={
        "date": st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 31)),
        "user_id": st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=12),
        "workspace_id": st.uuids(),
    },
)


def expected_url(base_url: str, path: str, params: dict[str, Any]) -> httpx.URL:
    """What httpx makes of the URL as text, parsed afresh for each request."""
    # In the order the spec lists the query parameters, which the generated operation keeps.
    order = ("date", "api_key_hash", "user_id", "group_by", "workspace_id")
    texts = {name: str(params[name]) for name in order if name in params}
    # httpx.Client.build_request parses the URL it is given, then adds the params, as this does.
    return httpx.Request("GET", base_url.rstrip("/") + path, params=texts or None).url


@settings(max_examples=40, deadline=None)
@given(base_url=base_urls, calls=st.lists(activity_filters, min_size=2, max_size=4))
def test_every_call_goes_to_the_url_httpx_would_parse_from_the_text(
    base_url: str, calls: list[dict[str, Any]]
) -> None:
    # The first call of a client parses its operation's URL and later calls reuse it: each call,
    # the first or not, with filters or without, sync or async, is sent where the text points.
    seen: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, json={"data": [ACTIVITY_ITEM]})

    with (
        httpx.Client(transport=httpx.MockTransport(answer)) as http,
        Analytics(api_key=KEY, base_url=base_url, http_client=http) as analytics,
    ):
        for filters in calls:
            assert analytics.get_user_activity(**filters).data[0].model == ACTIVITY_ITEM["model"]

    async def run() -> None:
        async with (
            httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http,
            AsyncAnalytics(api_key=KEY, base_url=base_url, http_client=http) as analytics,
        ):
            for filters in calls:
                await analytics.get_user_activity(**filters)

    anyio.run(run)
    wanted = [expected_url(base_url, "/activity", filters) for filters in calls]
    assert seen == wanted + wanted
    assert [str(url) for url in seen] == [str(url) for url in wanted + wanted]
