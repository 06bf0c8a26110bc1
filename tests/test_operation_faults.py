"""get_analytics_meta and query_analytics against a real local server scripted to misbehave,
sync and async alike: retries, typed errors, the body that is sent, bad 200s, timeouts.

(``test_facade_faults.py`` covers the engine through get_user_activity.)
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from fault_server import (
    META_DATA,
    QUERY_RESULT,
    FaultServer,
    Reply,
    activity_json,
    envelope,
    meta_json,
    query_json,
)

from openrouter_analytics import Analytics, AsyncAnalytics, errors
from openrouter_analytics_client.models import (
    ActivityResponse,
    AnalyticsMetaResponse,
    AnalyticsQueryResponse,
    QueryTimeRange,
)

pytestmark = pytest.mark.anyio

KEY = "sk-or-v1-operationfaults0123456789"
Call = Callable[..., Awaitable[Any]]

# name -> (method, arguments, HTTP method, path, a valid 200 body, its model)
OPERATIONS: dict[str, tuple[str, dict[str, Any], str, str, bytes, type]] = {
    "activity": ("get_user_activity", {}, "GET", "/activity", activity_json(), ActivityResponse),
    "meta": ("get_analytics_meta", {}, "GET", "/analytics/meta", meta_json(), AnalyticsMetaResponse),
    "query": (
        "query_analytics",
        {"metrics": ["total_usage"]},
        "POST",
        "/analytics/query",
        query_json(),
        AnalyticsQueryResponse,
    ),
}


def ok(operation: str, **kwargs: Any) -> Reply:
    return Reply(200, OPERATIONS[operation][4], **kwargs)


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def call(kind: str, server: FaultServer) -> Call:
    """``await call(method, **kwargs)`` on a fresh client of the parametrized kind;
    ``client=`` holds constructor options.
    """

    async def run(method: str, *, client: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        options = {"api_key": KEY, "base_url": server.url, **(client or {})}
        if kind == "sync":
            with Analytics(**options) as analytics:
                return getattr(analytics, method)(**kwargs)
        async with AsyncAnalytics(**options) as async_analytics:
            return await getattr(async_analytics, method)(**kwargs)

    return run


async def run_operation(call: Call, operation: str, *, with_response: bool = False, **kwargs: Any) -> Any:
    method, arguments, *_ = OPERATIONS[operation]
    return await call(method + ("_with_response" if with_response else ""), **arguments, **kwargs)


# -- what is sent and what comes back ------------------------------------------------------


@pytest.mark.parametrize("operation", ["meta", "query"])
async def test_a_valid_200_is_parsed_and_the_request_is_the_documented_one(
    server: FaultServer, call: Call, operation: str
) -> None:
    _, _, http_method, path, body, model = OPERATIONS[operation]
    server.script(ok(operation))
    result = await run_operation(call, operation)
    assert isinstance(result, model)
    assert result.to_dict() == json.loads(body)
    received = server.received[0]
    assert (received.method, received.target) == (http_method, path)
    assert received.headers["authorization"] == f"Bearer {KEY}"
    if http_method == "POST":
        assert received.headers["content-type"] == "application/json"
        assert received.json() == {"metrics": ["total_usage"]}
    else:
        assert received.body == b""


async def test_every_argument_arrives_in_the_body_as_given(server: FaultServer, call: Call) -> None:
    server.script(ok("query"))
    classifier = uuid.UUID("6F1D2C3B-4A59-4876-9766-554433221100")
    await call(
        "query_analytics",
        metrics=["total_usage", "a_metric_newer_than_this_sdk"],
        dimensions=["model", "provider"],
        filters=[
            {"field": "provider", "operator": "in", "value": ["OpenAI", "Anthropic"], "include_unset": True},
            {"field": "prompt_tokens", "operator": "gte", "value": 1000},
            {"field": "latency", "operator": "lt", "value": 2.5},
            {"field": "model", "operator": "neq", "value": "openai/gpt-4.1"},
        ],
        granularity="hour",
        time_range={
            "start": dt.datetime(2025, 1, 1, 5, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
            "end": dt.date(2025, 1, 8),
        },
        order_by={"field": "total_usage", "direction": "desc"},
        limit=500,
        group_limit=20,
        classifier_dimensions={"classifier_id": classifier, "dimension_names": ["department"]},
        classifier_filters={
            "classifier_id": str(classifier).upper(),
            "filters": [{"field": "department", "operator": "in", "value": ["Engineering"]}],
        },
    )
    sent = server.received[0].json()
    start, end = sent["time_range"].pop("start"), sent["time_range"].pop("end")
    assert sent == {
        "metrics": ["total_usage", "a_metric_newer_than_this_sdk"],
        "dimensions": ["model", "provider"],
        "filters": [
            {"field": "provider", "operator": "in", "value": ["OpenAI", "Anthropic"], "include_unset": True},
            {"field": "prompt_tokens", "operator": "gte", "value": 1000},
            {"field": "latency", "operator": "lt", "value": 2.5},
            {"field": "model", "operator": "neq", "value": "openai/gpt-4.1"},
        ],
        "granularity": "hour",
        "time_range": {},
        "order_by": {"field": "total_usage", "direction": "desc"},
        "limit": 500,
        "group_limit": 20,
        "classifier_dimensions": {
            "classifier_id": "6f1d2c3b-4a59-4876-9766-554433221100",
            "dimension_names": ["department"],
        },
        "classifier_filters": {
            "classifier_id": "6f1d2c3b-4a59-4876-9766-554433221100",
            "filters": [{"field": "department", "operator": "in", "value": ["Engineering"]}],
        },
    }
    assert utc_instant(start) == dt.datetime(2025, 1, 1, 0, 0, tzinfo=dt.UTC)
    assert utc_instant(end) == dt.datetime(2025, 1, 8, 0, 0, tzinfo=dt.UTC)
    # An int stays an int on the wire, a float a float.
    assert b'"value":1000' in server.received[0].body.replace(b" ", b"")


def utc_instant(text: str) -> dt.datetime:
    """An instant as the spec asks for it, ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``, as a datetime."""
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z", text), text
    return dt.datetime.fromisoformat(text)


EAST, WEST = dt.timezone(dt.timedelta(hours=9)), dt.timezone(dt.timedelta(hours=-8))
# case -> start and end as given, then as they must arrive, character for character
UTC_CASES = {
    "aware datetimes east and west of UTC": (
        dt.datetime(2025, 3, 1, 9, 0, tzinfo=EAST),
        dt.datetime(2025, 3, 1, 16, 0, 0, 250000, tzinfo=WEST),
        "2025-03-01T00:00:00Z",
        "2025-03-02T00:00:00.250000Z",
    ),
    "dates, midnight UTC": (
        dt.date(2024, 2, 28),
        dt.date(2024, 3, 1),
        "2024-02-28T00:00:00Z",
        "2024-03-01T00:00:00Z",
    ),
    "one of each, across a year end": (
        dt.date(2025, 12, 31),
        dt.datetime(2026, 1, 1, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        "2025-12-31T00:00:00Z",
        "2026-01-01T00:00:00Z",
    ),
    "microseconds kept, seconds always": (
        dt.datetime(2025, 6, 1, 12, 34, 56, 123456, tzinfo=dt.UTC),
        dt.datetime(2025, 6, 1, 12, 35, tzinfo=dt.UTC),
        "2025-06-01T12:34:56.123456Z",
        "2025-06-01T12:35:00Z",
    ),
    "strings with an offset or a Z": (
        "2025-06-01T14:00:00+02:00",
        "2025-06-02T00:00:00.5Z",
        "2025-06-01T12:00:00Z",
        "2025-06-02T00:00:00.500000Z",
    ),
    "a QueryTimeRange model": (
        None,
        None,
        "2025-06-01T00:00:00Z",
        "2025-06-01T23:59:59.999999Z",
    ),
}


@pytest.mark.parametrize("case", list(UTC_CASES))
async def test_time_range_is_sent_in_utc_with_seconds_and_a_z(
    server: FaultServer, call: Call, case: str
) -> None:
    start, end, expected_start, expected_end = UTC_CASES[case]
    time_range: object = {"start": start, "end": end}
    if start is None:
        time_range = QueryTimeRange(
            start=dt.datetime(2025, 6, 1, 9, tzinfo=EAST),
            end=dt.datetime(2025, 6, 1, 15, 59, 59, 999999, tzinfo=WEST),
        )
    server.script(ok("query"))
    await call("query_analytics", metrics=["request_count"], time_range=time_range)
    raw = server.received[0].body
    sent = json.loads(raw)
    assert set(sent) == {"metrics", "time_range"}
    assert sent["time_range"] == {"start": expected_start, "end": expected_end}
    # The very characters on the wire, not only what they parse back to.
    for text in (expected_start, expected_end):
        assert raw.count(json.dumps(text).encode()) == 1, raw
        utc_instant(text)
    assert b"+00:00" not in raw


async def test_the_query_response_keeps_every_row_value(server: FaultServer, call: Call) -> None:
    result = {
        **QUERY_RESULT,
        "data": [
            {"date__day": "2025-01-01T00:00:00.000Z", "model": "a", "total_usage": 1, "p50": None},
            {"date__day": "2025-01-02T00:00:00.000Z", "model": "b", "total_usage": 2.5, "p50": 840.5},
        ],
        "cachedAt": 1735689600000,
        "warnings": ["api_key_id 'abc' could not be resolved"],
        "next_page": "opaque",
    }
    server.script(Reply(200, query_json(result)))
    response = await call("query_analytics", metrics=["total_usage"])
    assert [row.additional_properties for row in response.data.data] == result["data"]
    assert response.data.cached_at == 1735689600000
    assert response.data.warnings == result["warnings"]
    assert response.data.additional_properties == {"next_page": "opaque"}
    assert response.data.metadata.truncated is False


# -- retries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", list(OPERATIONS))
async def test_408_then_200_is_retried(
    server: FaultServer, call: Call, waits: list[float], operation: str
) -> None:
    server.script(Reply(408, envelope(408, "Operation timed out. Please try again later.")), ok(operation))
    response = await run_operation(call, operation, with_response=True)
    assert response.attempts == 2
    assert isinstance(response.parsed, OPERATIONS[operation][5])
    assert len(server.received) == 2
    assert len(waits) == 1
    assert server.received[0].body == server.received[1].body


@pytest.mark.parametrize("max_retries", [0, 1, 3])
async def test_408_every_time_raises_once_the_retries_are_spent(
    server: FaultServer, call: Call, waits: list[float], max_retries: int
) -> None:
    server.always(Reply(408, envelope(408, "Operation timed out"), headers={"X-Request-Id": "req-408"}))
    with pytest.raises(errors.RequestTimeoutResponseError) as caught:
        await call("query_analytics", metrics=["latency_p99"], client={"max_retries": max_retries})
    error = caught.value
    assert type(error) is errors.RequestTimeoutResponseError
    assert error.status_code == 408
    assert error.message == "Operation timed out"
    assert error.request_id == "req-408"
    assert str(error.request) == f"POST {server.url}/analytics/query"
    assert len(server.received) == max_retries + 1
    assert len(waits) == max_retries
    assert all(received.json() == {"metrics": ["latency_p99"]} for received in server.received)


@pytest.mark.parametrize("operation", ["meta", "query"])
async def test_400_is_raised_after_one_attempt(
    server: FaultServer, call: Call, waits: list[float], operation: str
) -> None:
    server.always(Reply(400, envelope(400, "Unknown metric: tokens_total")))
    with pytest.raises(errors.BadRequestResponseError) as caught:
        await run_operation(call, operation)
    assert caught.value.message == "Unknown metric: tokens_total"
    assert len(server.received) == 1
    assert waits == []


async def test_429_with_retry_after_on_the_post_waits_as_asked_and_resends_the_body(
    server: FaultServer, call: Call, waits: list[float]
) -> None:
    server.script(Reply(429, envelope(429, "slow down"), headers={"Retry-After": "2"}), ok("query"))
    response = await call("query_analytics_with_response", metrics=["request_count"], limit=10)
    assert response.attempts == 2
    assert waits == [2.0]
    assert [r.method for r in server.received] == ["POST", "POST"]
    assert (
        server.received[0].json() == server.received[1].json() == {"metrics": ["request_count"], "limit": 10}
    )


async def test_a_500_on_the_post_is_retried_like_a_get(
    server: FaultServer, call: Call, waits: list[float]
) -> None:
    server.always(Reply(500, envelope(500, "Internal Server Error")))
    with pytest.raises(errors.InternalServerResponseError):
        await call("query_analytics", metrics=["request_count"])
    assert len(server.received) == 3


async def test_a_connection_closed_mid_answer_on_the_post_is_retried(
    server: FaultServer, call: Call, waits: list[float]
) -> None:
    server.script(Reply(200, query_json(), cut_body_at=10), ok("query"))
    response = await call("query_analytics_with_response", metrics=["request_count"])
    assert response.attempts == 2


# -- bad 200s -----------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["meta", "query"])
async def test_a_non_json_200_is_a_validation_error(server: FaultServer, call: Call, operation: str) -> None:
    server.script(Reply(200, b'{"data": {"metrics": [', content_type="application/json"))
    with pytest.raises(errors.ResponseValidationError, match="not valid JSON") as caught:
        await run_operation(call, operation)
    assert caught.value.body == '{"data": {"metrics": ['
    assert caught.value.status_code == 200
    assert len(server.received) == 1


@pytest.mark.parametrize("operation", ["meta", "query"])
async def test_a_200_that_is_not_json_by_its_content_type_is_a_validation_error(
    server: FaultServer, call: Call, operation: str
) -> None:
    server.script(Reply(200, b"<html>maintenance</html>", content_type="text/html"))
    with pytest.raises(errors.ResponseValidationError, match="content type 'text/html'"):
        await run_operation(call, operation)


@pytest.mark.parametrize("operation", ["activity", "meta", "query"])
async def test_an_error_sent_with_200_shows_the_servers_words(
    server: FaultServer, call: Call, operation: str
) -> None:
    """A gateway that answers 200 with OpenRouter's error envelope: its message, not "data is missing"."""
    body = b'{ "error": {"code": 403, "message": "Only management keys can use this endpoint"} }'
    server.script(Reply(200, body, content_type="application/json"))
    with pytest.raises(errors.ResponseValidationError) as caught:
        await run_operation(call, operation)
    assert str(caught.value) == (
        "The 200 response does not match the API spec: the body is an error, not the documented "
        "answer: Only management keys can use this endpoint"
    )
    assert caught.value.location is None


def _meta(change: Callable[[dict[str, Any]], object]) -> bytes:
    data = copy.deepcopy(META_DATA)
    change(data)
    return meta_json(data)


def _query(change: Callable[[dict[str, Any]], object]) -> bytes:
    result = copy.deepcopy(QUERY_RESULT)
    change(result)
    return query_json(result)


WRONG_SHAPES: dict[str, tuple[str, bytes, str, str]] = {
    "meta: a top-level array": ("meta", b"[]", "", "expected an object"),
    "meta: data missing": ("meta", b"{}", "data", "required field is missing"),
    "meta: granularities missing": (
        "meta",
        _meta(lambda d: d.pop("granularities")),
        "data.granularities",
        "required field is missing",
    ),
    "meta: metrics an object": (
        "meta",
        _meta(lambda d: d.update(metrics={})),
        "data.metrics",
        "expected an array",
    ),
    "meta: is_rate a string": (
        "meta",
        _meta(lambda d: d["metrics"][1].update(is_rate="yes")),
        "data.metrics[1].is_rate",
        "expected a boolean, got a string",
    ),
    "meta: dimension without a label": (
        "meta",
        _meta(lambda d: d["dimensions"][0].pop("display_label")),
        "data.dimensions[0].display_label",
        "required field is missing",
    ),
    "query: a top-level array": ("query", b"[]", "", "expected an object"),
    "query: metadata.truncated missing": (
        "query",
        _query(lambda r: r["metadata"].pop("truncated")),
        "data.metadata.truncated",
        "required field is missing",
    ),
    "query: rows an object": (
        "query",
        _query(lambda r: r.update(data={"model": "a"})),
        "data.data",
        "expected an array",
    ),
    "query: a row that is a number": (
        "query",
        _query(lambda r: r.update(data=[5])),
        "data.data[0]",
        "expected an object, got a number",
    ),
    "query: row_count a string": (
        "query",
        _query(lambda r: r["metadata"].update(row_count="1")),
        "data.metadata.row_count",
        "expected an integer, got a string",
    ),
    "query: warnings a string": (
        "query",
        _query(lambda r: r.update(warnings="check your filters")),
        "data.warnings",
        "expected an array",
    ),
    "query: cachedAt a string": (
        "query",
        _query(lambda r: r.update(cachedAt="yesterday")),
        "data.cachedAt",
        "expected a number",
    ),
}


@pytest.mark.parametrize("case", list(WRONG_SHAPES))
async def test_a_wrong_shaped_200_names_the_field_at_fault(
    server: FaultServer, call: Call, case: str
) -> None:
    operation, body, location, problem = WRONG_SHAPES[case]
    server.script(Reply(200, body))
    with pytest.raises(errors.ResponseValidationError) as caught:
        await run_operation(call, operation)
    assert caught.value.location == location
    assert caught.value.problem.startswith(problem)
    assert location in str(caught.value)
    assert len(server.received) == 1


# A response enum field of the wrong type, and an array of strings holding a number: both break
# the spec, and the error names the place (enum values are open, but they are still strings).
WRONG_TYPED_ENUM_OR_ITEM: dict[str, tuple[str, bytes, str]] = {
    "meta: display_format a number": (
        "meta",
        _meta(lambda d: d["metrics"][0].update(display_format=5)),
        "data.metrics[0].display_format",
    ),
    "meta: granularity name null": (
        "meta",
        _meta(lambda d: d["granularities"][0].update(name=None)),
        "data.granularities[0].name",
    ),
    "query: a warning that is a number": (
        "query",
        _query(lambda r: r.update(warnings=[404])),
        "data.warnings[0]",
    ),
}


@pytest.mark.parametrize("case", list(WRONG_TYPED_ENUM_OR_ITEM))
async def test_a_wrong_typed_enum_or_string_item_names_the_field(
    server: FaultServer, call: Call, case: str
) -> None:
    operation, body, location = WRONG_TYPED_ENUM_OR_ITEM[case]
    server.script(Reply(200, body))
    with pytest.raises(errors.ResponseValidationError) as caught:
        await run_operation(call, operation)
    assert caught.value.location == location


async def test_response_enum_values_newer_than_the_spec_are_kept_as_strings(
    server: FaultServer, call: Call
) -> None:
    data = copy.deepcopy(META_DATA)
    data["metrics"][0]["display_format"] = "quarterly"
    data["granularities"].append({"name": "quarter", "display_label": "Quarter"})
    data["operators"].append({"name": "between", "value_type": "range"})
    server.script(Reply(200, meta_json(data)))
    meta = await call("get_analytics_meta")
    assert meta.data.metrics[0].display_format == "quarterly"
    assert type(meta.data.metrics[0].display_format) is str
    assert [g.name for g in meta.data.granularities] == ["day", "quarter"]
    assert (meta.data.operators[-1].name, meta.data.operators[-1].value_type) == ("between", "range")
    assert meta.to_dict() == {"data": data}


# -- timeouts ------------------------------------------------------------------------------------


def _timeouts_seen(kind: str, seen: list[dict[str, float | None]]) -> dict[str, Any]:
    """Event hooks that record the timeout of each request, for a client of ``kind``."""

    def record(request: httpx.Request) -> None:
        seen.append(request.extensions["timeout"])

    async def record_async(request: httpx.Request) -> None:
        record(request)

    return {"request": [record if kind == "sync" else record_async], "response": []}


async def _one_of_each(
    kind: str, server: FaultServer, own_http: bool, options: dict[str, Any], **query_options: Any
) -> list[dict[str, float | None]]:
    """The timeouts of a get_user_activity and a query_analytics on one client, built with
    ``options`` around its own httpx client or around the caller's (``own_http``).
    """
    server.script(ok("activity"), ok("query"))
    seen: list[dict[str, float | None]] = []
    hooks = _timeouts_seen(kind, seen)
    options = {"api_key": KEY, "base_url": server.url, **options}
    if kind == "sync":
        http = httpx.Client(event_hooks=hooks) if own_http else None
        with Analytics(**options, http_client=http) as analytics:
            if http is None:
                analytics._http.event_hooks = hooks
            analytics.get_user_activity()
            analytics.query_analytics(metrics=["total_usage"], **query_options)
        if http is not None:
            http.close()
    else:
        async_http = httpx.AsyncClient(event_hooks=hooks) if own_http else None
        async with AsyncAnalytics(**options, http_client=async_http) as async_analytics:
            if async_http is None:
                async_analytics._http.event_hooks = hooks
            await async_analytics.get_user_activity()
            await async_analytics.query_analytics(metrics=["total_usage"], **query_options)
        if async_http is not None:
            await async_http.aclose()
    assert len(seen) == 2
    return seen


@pytest.mark.parametrize("own_http", [False, True], ids=["built-in http client", "caller's http client"])
async def test_a_query_reads_for_60_s_when_the_client_was_given_no_timeout(
    server: FaultServer, kind: str, own_http: bool
) -> None:
    activity, query = await _one_of_each(kind, server, own_http, {})
    assert activity == {"connect": 5.0, "read": 10.0, "write": 10.0, "pool": 10.0}
    assert query["read"] == 60.0
    assert query["connect"] == 5.0


@pytest.mark.parametrize("own_http", [False, True], ids=["built-in http client", "caller's http client"])
@pytest.mark.parametrize("timeout", [3, None])
async def test_a_client_timeout_applies_to_queries_too(
    server: FaultServer, kind: str, own_http: bool, timeout: float | None
) -> None:
    activity, query = await _one_of_each(kind, server, own_http, {"timeout": timeout})
    expected = dict.fromkeys(("connect", "read", "write", "pool"), timeout)
    assert activity == expected
    assert query == expected


@pytest.mark.parametrize("own_http", [False, True], ids=["built-in http client", "caller's http client"])
async def test_a_per_call_timeout_overrides_the_query_default(
    server: FaultServer, kind: str, own_http: bool
) -> None:
    _, query = await _one_of_each(kind, server, own_http, {}, timeout=7)
    assert query == dict.fromkeys(("connect", "read", "write", "pool"), 7)


async def test_a_slow_query_within_its_timeout_is_answered(server: FaultServer, call: Call) -> None:
    # The client's short timeout would fail a GET this slow; a per-call one lets the query finish.
    server.script(Reply(200, query_json(), delay=0.4))
    result = await call("query_analytics", client={"timeout": 0.1}, metrics=["latency_p99"], timeout=5)
    assert isinstance(result, AnalyticsQueryResponse)
