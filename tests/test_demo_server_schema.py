"""The demo data server against openapi.yaml, property-based: for any request the spec allows, an
answer with a documented status, content type and a body that conforms to the spec.

Schemathesis generates the requests from the spec itself (its examples, boundary values, then
random ones), and also a fixed set the spec does not allow (other methods, broken values),
which must be refused in the JSON envelope. A third test builds queries from the server's own
catalogue, since random metric names almost never reach the 200 path of ``/analytics/query``.
All are seeded and derandomized, so every run sends the same requests (about 420 cases).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from demo_analytics import DIMENSIONS, GRANULARITIES, LIST_OPERATORS, METRICS, SCALAR_OPERATORS
from demo_server import API_KEYS, MEMBERS, WORKSPACES, serve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow

SPEC = Path(__file__).resolve().parent.parent / "openapi.yaml"
KEY = "sk-or-v1-schema-test-0000"
SEED = 20260901

_CHECKS = {
    "not_a_server_error": {"enabled": True},
    "status_code_conformance": {"enabled": True},
    "content_type_conformance": {"enabled": True},
    "response_schema_conformance": {"enabled": True},
    "response_headers_conformance": {"enabled": True},
    "ignored_auth": {"enabled": True},
    # A request the spec allows may still be refused by the catalogue (an unknown metric is a
    # string like any other): 400 is its documented answer, not a failure.
    "positive_data_acceptance": {"enabled": False},
}
schema = schemathesis.openapi.from_path(
    SPEC,
    config=schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"mode": "positive", "deterministic": True, "database": "none", "max-examples": 60},
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},
            },
            "auth": {"openapi": {"apiKey": {"bearer": KEY}}},
            "checks": _CHECKS,
        }
    ),
)
# Requests the spec does not allow, from the coverage phase only (a fixed set): methods an
# operation does not have (405 with Allow) and values that break the schema (refused with a 4xx).
outside = schemathesis.openapi.from_path(
    SPEC,
    config=schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"mode": "negative", "deterministic": True, "database": "none"},
            "phases": {
                "examples": {"enabled": False},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": False},
                "stateful": {"enabled": False},
            },
            "auth": {"openapi": {"apiKey": {"bearer": KEY}}},
            "checks": {
                **_CHECKS,
                "negative_data_rejection": {"enabled": True},
                "unsupported_method": {"enabled": True},
            },
        }
    ),
)
QUERY = schema["/analytics/query"]["POST"]
QUERY_STATUSES = {200, 400, 401, 403, 408, 500}


@pytest.fixture(scope="module")
def data_url() -> Iterator[str]:
    with serve(api_key=KEY) as url:
        yield url


@pytest.fixture(scope="module")
def client(data_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=data_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=30) as client:
        yield client


@schema.parametrize()
def test_any_request_the_spec_allows_gets_a_documented_answer(case: schemathesis.Case, data_url: str) -> None:
    case.call_and_validate(base_url=data_url)


@outside.parametrize()
def test_a_request_outside_the_spec_is_refused_in_json(case: schemathesis.Case, data_url: str) -> None:
    response = case.call_and_validate(base_url=data_url)

    assert response.headers["content-type"] == ["application/json"]  # a list per header name
    if response.status_code >= 400:
        assert response.json()["error"]["code"] == response.status_code


# Queries from the catalogue: known metrics, dimensions, operators and granularities, with ids
# the account has (and some it has not), over windows inside and around the served month.

_ids: dict[str, list[Any]] = {
    "model": ["openai/gpt-4.1-2025-04-14", "google/gemini-2.5-flash", "deepseek/deepseek-r1", "x/unknown"],
    "provider": ["OpenAI", "DeepInfra", "Groq", "Nobody"],
    "api_key_id": [k.hash for k in API_KEYS] + [k.number for k in API_KEYS] + ["0" * 64, 7],
    "user": [*MEMBERS, "user_nobody"],
    "workspace": [w.id for w in WORKSPACES] + ["00000000-0000-4000-8000-000000000000"],
}
_instants = st.sampled_from(
    [
        "2026-08-30T00:00:00Z",
        "2026-09-01T00:00:00Z",
        "2026-09-07T00:00:00Z",
        "2026-09-10T09:30:00+02:00",
        "2026-09-15T00:00:00.000Z",
        "2026-09-21T13:00:00Z",
        "2026-09-29T00:00:00Z",
        "2026-10-01T00:00:00Z",
        "2026-10-05T00:00:00Z",
    ]
)


@st.composite
def _filters(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        field = draw(st.sampled_from([d.name for d in DIMENSIONS]))
        operator = draw(st.sampled_from(["eq", "neq", *LIST_OPERATORS]))
        values = st.sampled_from(_ids[field])
    else:
        field = draw(st.sampled_from(["request_count", "total_usage", "cache_hit_rate", "p50_latency"]))
        operator = draw(st.sampled_from([*SCALAR_OPERATORS, *LIST_OPERATORS]))
        values = st.sampled_from([0, 0.25, 3, 100, 1500.5, 10_000])
    value = draw(st.lists(values, max_size=3)) if operator in LIST_OPERATORS else draw(values)
    return {"field": field, "operator": operator, "value": value}


@st.composite
def _queries(draw: st.DrawFn) -> dict[str, Any]:
    metrics = draw(st.lists(st.sampled_from([m.name for m in METRICS]), min_size=1, max_size=4, unique=True))
    body: dict[str, Any] = {"metrics": metrics}
    dimensions = draw(st.lists(st.sampled_from([d.name for d in DIMENSIONS]), max_size=2, unique=True))
    if dimensions:
        body["dimensions"] = dimensions
    if draw(st.booleans()):
        body["filters"] = draw(st.lists(_filters(), max_size=3))
    granularity = draw(st.none() | st.sampled_from(list(GRANULARITIES)))
    if granularity:
        body["granularity"] = granularity
    if draw(st.booleans()):
        start, end = sorted(draw(st.lists(_instants, min_size=2, max_size=2, unique=True)))
        body["time_range"] = {"start": start, "end": end}
    if draw(st.booleans()):
        fields = [*metrics, *dimensions, "request_count"] + (["date"] if granularity else [])
        body["order_by"] = {
            "field": draw(st.sampled_from(fields)),
            "direction": draw(st.sampled_from(["asc", "desc"])),
        }
    for name in ("limit", "group_limit"):
        if draw(st.booleans()):
            body[name] = draw(st.integers(1, 50))
    return body


@settings(
    max_examples=120,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(body=_queries())
def test_every_query_from_the_catalogue_gets_an_answer_that_conforms(
    client: httpx.Client, body: dict[str, Any]
) -> None:
    response = client.post("/analytics/query", json=body)

    assert response.status_code in QUERY_STATUSES, response.text
    assert response.headers["content-type"] == "application/json"
    QUERY.validate_response(response)
    document = response.json()
    if response.status_code != 200:
        assert response.status_code == 400, document  # e.g. a 31-day metric over a longer window
        return
    result = document["data"]
    rows = result["data"]
    assert result["metadata"]["row_count"] == len(rows) <= body.get("limit", 1000)
    expected_keys = {
        *body["metrics"],
        *body.get("dimensions", []),
        *([f"date__{body['granularity']}"] if "granularity" in body else []),
    }
    assert all(set(row) == expected_keys for row in rows), json.dumps(rows[:2])
