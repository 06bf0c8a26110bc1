"""Defects of the stock generator output that templates/ fixes, pinned at the operation level."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from openrouter_analytics_client import AuthenticatedClient
from openrouter_analytics_client.api.analytics import get_user_activity
from openrouter_analytics_client.errors import InvalidResponseBody, UnparsableResponse
from openrouter_analytics_client.models import ActivityResponse, AnalyticsQueryResponse, QueryTimeRange


def client_answering(status: int, body: bytes, content_type: str = "application/json") -> AuthenticatedClient:
    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"content-type": content_type})

    client = AuthenticatedClient(base_url="http://127.0.0.1:9", token="sk-or-test")
    client.set_httpx_client(
        httpx.Client(base_url="http://127.0.0.1:9", transport=httpx.MockTransport(respond))
    )
    return client


@pytest.mark.parametrize("status", [529, 599, 299])
def test_non_standard_status_is_returned_not_crashed_on(status: int) -> None:
    with client_answering(status, b'{"error": {"code": 529, "message": "overloaded"}}') as client:
        response = get_user_activity.sync_detailed(client=client)
    assert response.status_code == status
    assert response.parsed is None


@pytest.mark.parametrize("status", [200, 500])
def test_body_that_is_not_json_raises_unparsable_response_with_the_response(status: int) -> None:
    body = b"<html><body>Bad gateway</body></html>"
    with client_answering(status, body, "text/html") as client, pytest.raises(UnparsableResponse) as caught:
        get_user_activity.sync_detailed(client=client)
    assert caught.value.status_code == status
    assert caught.value.content == body
    assert caught.value.headers["content-type"] == "text/html"
    assert isinstance(caught.value.__cause__, ValueError)


@pytest.mark.parametrize(
    ("body", "location", "problem"),
    [
        (b"[]", "", "expected an object, got an array"),
        (b'{"data": [1]}', "data[0]", "expected an object, got a number"),
        (b'{"data": [{"date": "2025-08-24"}]}', "data[0].byok_usage_inference", "required field is missing"),
        (b'{"error": {"code": "500"}}', "error.code", "expected an integer, got a string"),
    ],
)
def test_body_of_the_wrong_shape_says_where(body: bytes, location: str, problem: str) -> None:
    status = 500 if b"error" in body else 200
    with client_answering(status, body) as client, pytest.raises(UnparsableResponse) as caught:
        get_user_activity.sync_detailed(client=client)
    cause = caught.value.__cause__
    assert isinstance(cause, InvalidResponseBody)
    assert (cause.location, cause.problem) == (location, problem)
    assert str(cause) == (f"{location}: {problem}" if location else problem)
    assert str(cause) in str(caught.value)


@pytest.mark.parametrize("data", [b'""', b"{}", b"5", b"null", b'"[]"'])
def test_data_that_is_not_an_array_is_refused_not_read_as_empty(data: bytes) -> None:
    with (
        client_answering(200, b'{"data": ' + data + b"}") as client,
        pytest.raises(UnparsableResponse) as caught,
    ):
        get_user_activity.sync_detailed(client=client)
    cause = caught.value.__cause__
    assert isinstance(cause, InvalidResponseBody)
    assert cause.location == "data"
    assert cause.problem.startswith("expected an array, got ")


def test_authenticated_client_repr_never_shows_the_token() -> None:
    client = AuthenticatedClient(base_url="https://openrouter.ai/api/v1", token="sk-or-canary-7f3a")
    before = repr(client)
    with client:
        client.get_httpx_client()
        after = repr(client)
    assert "AuthenticatedClient(" in before
    assert "sk-or-canary-7f3a" not in before
    assert "sk-or-canary-7f3a" not in after


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (dt.datetime(2026, 9, 1, tzinfo=dt.UTC), "2026-09-01T00:00:00Z"),
        (dt.datetime(2026, 9, 1, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))), "2026-09-01T00:30:00Z"),
        (dt.datetime(2026, 8, 31, 23, 59, 59, 120000, tzinfo=dt.UTC), "2026-08-31T23:59:59.120000Z"),
        (
            dt.datetime(2026, 9, 1, 0, 0, 0, 1, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
            "2026-09-01T05:00:00.000001Z",
        ),
        # A naive datetime names no instant: written as it is, no offset guessed.
        (dt.datetime(2026, 9, 1, 8, 15), "2026-09-01T08:15:00"),
    ],
)
def test_a_datetime_field_is_sent_in_utc_with_seconds_and_a_z(moment: dt.datetime, text: str) -> None:
    sent = QueryTimeRange(start=moment, end=moment).to_dict()
    assert sent == {"start": text, "end": text}
    assert QueryTimeRange.from_dict(sent).start == moment


@pytest.mark.parametrize(
    "model",
    [
        ActivityResponse.from_dict({"data": []}),
        AnalyticsQueryResponse.from_dict(
            {"data": {"data": [], "metadata": {"query_time_ms": 1.0, "row_count": 0, "truncated": False}}}
        ),
    ],
)
def test_a_model_read_with_key_is_not_iterable(model: Any) -> None:
    # model["field"] reads an undeclared field; iterating must not call it with 0 (KeyError: 0).
    with pytest.raises(TypeError, match=f"'{type(model).__name__}' object is not iterable"):
        iter(model)
    with pytest.raises(TypeError):
        list(model)
