"""The facade against Prism serving openapi.yaml: requests must satisfy the spec, and every
documented answer must come back as the model or the error the facade promises.

Operations, statuses, examples and error messages are read from openapi.yaml, so a spec
change reaches these tests without editing them.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from openrouter_analytics import Analytics, APIResponse, AsyncAnalytics, errors
from openrouter_analytics_client.models import (
    ActivityItem,
    ActivityResponse,
    AnalyticsMetaResponse,
    AnalyticsQueryResponse,
)

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

KEY = "sk-or-v1-contracttests"
SPEC: dict[str, Any] = yaml.safe_load((Path(__file__).resolve().parent.parent / "openapi.yaml").read_text())
Call = Callable[..., Awaitable[Any]]


def _operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId -> (path, HTTP method, operation) for every operation of the spec."""
    return {
        operation["operationId"]: (path, method, operation)
        for path, item in SPEC["paths"].items()
        for method, operation in item.items()
    }


OPERATIONS = _operations()


def method_name(operation_id: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


def json_content(response: dict[str, Any]) -> dict[str, Any]:
    content: dict[str, Any] = response["content"]["application/json"]
    return content


def example_200(operation_id: str) -> Any:
    return json_content(OPERATIONS[operation_id][2]["responses"]["200"])["example"]


def request_example(operation_id: str) -> dict[str, Any]:
    """Keyword arguments for a request the spec accepts: its own request example, if any."""
    body = OPERATIONS[operation_id][2].get("requestBody")
    return dict(json_content(body)["example"]) if body else {}


DOCUMENTED_ERRORS = [
    pytest.param(operation_id, int(status), id=f"{method_name(operation_id)}-{status}")
    for operation_id, (_, _, operation) in OPERATIONS.items()
    for status in operation["responses"]
    if not status.startswith("2")
]


def error_class(operation_id: str, status: int) -> type[errors.APIError]:
    """The class named after the response schema of that status, plus ``Error``."""
    schema = json_content(OPERATIONS[operation_id][2]["responses"][str(status)])["schema"]
    cls: type[errors.APIError] = getattr(errors, schema["$ref"].rpartition("/")[2] + "Error")
    return cls


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def call(kind: str, prism_url: str) -> Call:
    async def run(method: str = "get_user_activity", **kwargs: Any) -> Any:
        options = {"api_key": KEY, "base_url": prism_url, "max_retries": 0}
        if kind == "sync":
            with Analytics(**options) as analytics:
                return getattr(analytics, method)(**kwargs)
        async with AsyncAnalytics(**options) as async_analytics:
            return await getattr(async_analytics, method)(**kwargs)

    return run


# -- documented 200s ---------------------------------------------------------------------------


async def test_the_documented_200_parses_into_the_report(
    call: Call, spec_example_items: list[ActivityItem]
) -> None:
    report = await call()
    assert isinstance(report, ActivityResponse)
    assert report.data == spec_example_items
    assert report.to_dict() == example_200("getUserActivity")


async def test_the_documented_200_of_the_meta_parses(call: Call) -> None:
    example = example_200("getAnalyticsMeta")
    meta = await call("get_analytics_meta")
    assert isinstance(meta, AnalyticsMetaResponse)
    assert meta.to_dict() == example
    assert [m.name for m in meta.data.metrics] == [m["name"] for m in example["data"]["metrics"]]
    assert [m.is_rate for m in meta.data.metrics] == [m["is_rate"] for m in example["data"]["metrics"]]
    assert [o.value_type for o in meta.data.operators] == [
        o["value_type"] for o in example["data"]["operators"]
    ]


async def test_the_documented_200_of_a_query_parses(call: Call) -> None:
    example = example_200("queryAnalytics")
    result = await call("query_analytics", **request_example("queryAnalytics"))
    assert isinstance(result, AnalyticsQueryResponse)
    assert result.to_dict() == example
    assert [row.additional_properties for row in result.data.data] == example["data"]["data"]
    assert result.data.metadata.row_count == example["data"]["metadata"]["row_count"]
    assert result.data.metadata.truncated is example["data"]["metadata"]["truncated"]


def test_every_operation_of_the_spec_is_covered_here() -> None:
    # The tests above name their operations; a new one in the spec needs a test of its 200.
    assert set(OPERATIONS) == {"getUserActivity", "getAnalyticsMeta", "queryAnalytics"}


@pytest.mark.parametrize(
    ("method", "kwargs", "target"),
    [
        ("get_user_activity_with_response", {"date": "2025-08-24"}, "GET /activity?date=2025-08-24"),
        ("get_analytics_meta_with_response", {}, "GET /analytics/meta"),
        ("query_analytics_with_response", {"metrics": ["request_count"]}, "POST /analytics/query"),
    ],
)
async def test_the_raw_response_of_a_documented_200(
    call: Call, prism_url: str, method: str, kwargs: dict[str, Any], target: str
) -> None:
    response = await call(method, **kwargs)
    assert isinstance(response, APIResponse)
    assert response.status_code == 200
    assert response.attempts == 1
    assert response.headers["content-type"].startswith("application/json")
    http_method, _, path = target.partition(" ")
    assert str(response.request) == f"{http_method} {prism_url}{path}"


# -- requests the spec accepts ------------------------------------------------------------------


async def test_every_filter_is_a_request_the_spec_accepts(call: Call) -> None:
    report = await call(date=dt.date(2025, 8, 24), api_key_hash="ab12" * 16, user_id="user_abc123")
    assert isinstance(report, ActivityResponse)


@pytest.mark.parametrize("workspace_id", ["550e8400-e29b-41d4-a716-446655440000", uuid.uuid4()])
async def test_the_workspace_arguments_are_a_request_the_spec_accepts(
    call: Call, workspace_id: object
) -> None:
    report = await call(group_by="workspace", workspace_id=workspace_id)
    assert isinstance(report, ActivityResponse)


OPERATORS: list[str] = SPEC["paths"]["/analytics/meta"]["get"]["responses"]["200"]["content"][
    "application/json"
]["schema"]["properties"]["data"]["properties"]["operators"]["items"]["properties"]["name"]["enum"]
LIST_OPERATORS = {"in", "not_in"}
CLASSIFIER_OPERATORS = {"eq", "neq", "in", "not_in"}


@pytest.mark.parametrize("operator", OPERATORS)
async def test_a_query_with_every_documented_argument_is_a_request_the_spec_accepts(
    call: Call, operator: str
) -> None:
    value: object = (
        ["OpenAI", 2.5] if operator in LIST_OPERATORS else ("OpenAI" if operator in {"eq", "neq"} else 7)
    )
    classifier_operator = operator if operator in CLASSIFIER_OPERATORS else "eq"
    classifier_value = ["Engineering"] if classifier_operator in LIST_OPERATORS else "Engineering"
    classifier = uuid.UUID("550e8400-e29b-41d4-a716-446655440000")
    result = await call(
        "query_analytics",
        metrics=["total_usage", "request_count"],
        dimensions=["model", "provider"],
        filters=[
            {"field": "provider", "operator": operator, "value": value},
            {"field": "model", "operator": operator, "value": value, "include_unset": True},
        ],
        granularity="day",
        time_range={
            "start": dt.datetime(2025, 1, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=9))),
            "end": dt.date(2025, 1, 8),
        },
        order_by={"field": "total_usage", "direction": "desc"},
        limit=10_000,
        group_limit=1,
        classifier_dimensions={"classifier_id": classifier, "dimension_names": ["department", "work_type"]},
        classifier_filters={
            "classifier_id": str(classifier),
            "filters": [{"field": "department", "operator": classifier_operator, "value": classifier_value}],
        },
    )
    assert isinstance(result, AnalyticsQueryResponse)


# -- documented errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(("operation_id", "status"), DOCUMENTED_ERRORS)
async def test_each_documented_error_raises_its_class_with_the_server_message(
    call: Call, operation_id: str, status: int
) -> None:
    example = json_content(OPERATIONS[operation_id][2]["responses"][str(status)])["example"]
    cls = error_class(operation_id, status)
    assert errors.STATUS_ERRORS[status] is cls
    with pytest.raises(cls) as caught:
        await call(
            method_name(operation_id),
            **request_example(operation_id),
            extra_headers={"Prefer": f"code={status}"},
        )
    assert type(caught.value) is cls
    assert caught.value.status_code == status
    assert caught.value.message == example["error"]["message"]
    assert caught.value.body == example


# -- requests the spec (or OpenRouter) refuses never leave ---------------------------------------

UUID = "550e8400-e29b-41d4-a716-446655440000"

# (method, arguments, the parameter named, the same request sent raw when the spec itself refuses
# it: (HTTP method, path, query, JSON body); None when only OpenRouter's documentation does)
REFUSED: dict[str, tuple[str, dict[str, Any], str, tuple[str, str, dict[str, str], Any] | None]] = {
    "metrics a string": (
        "query_analytics",
        {"metrics": "request_count"},
        "metrics",
        ("POST", "/analytics/query", {}, {"metrics": "request_count"}),
    ),
    "no metrics": (
        "query_analytics",
        {"metrics": []},
        "metrics",
        ("POST", "/analytics/query", {}, {"metrics": []}),
    ),
    "limit 0": ("query_analytics", {"metrics": ["request_count"], "limit": 0}, "limit", None),
    "group_limit 10001": (
        "query_analytics",
        {"metrics": ["request_count"], "group_limit": 10_001},
        "group_limit",
        None,
    ),
    "three dimensions": (
        "query_analytics",
        {"metrics": ["request_count"], "dimensions": ["model", "provider", "app"]},
        "dimensions",
        (
            "POST",
            "/analytics/query",
            {},
            {"metrics": ["request_count"], "dimensions": ["model", "provider", "app"]},
        ),
    ),
    "a filter without value": (
        "query_analytics",
        {"metrics": ["request_count"], "filters": [{"field": "model", "operator": "eq"}]},
        "filters[0].value",
        (
            "POST",
            "/analytics/query",
            {},
            {"metrics": ["request_count"], "filters": [{"field": "model", "operator": "eq"}]},
        ),
    ),
    "a boolean filter value": (
        "query_analytics",
        {"metrics": ["request_count"], "filters": [{"field": "is_byok", "operator": "eq", "value": True}]},
        "filters[0].value",
        (
            "POST",
            "/analytics/query",
            {},
            {
                "metrics": ["request_count"],
                "filters": [{"field": "is_byok", "operator": "eq", "value": True}],
            },
        ),
    ),
    "a naive datetime": (
        "query_analytics",
        {
            "metrics": ["request_count"],
            "time_range": {"start": dt.datetime(2025, 1, 1), "end": dt.date(2025, 1, 2)},
        },
        "time_range.start",
        (
            "POST",
            "/analytics/query",
            {},
            {
                "metrics": ["request_count"],
                "time_range": {"start": "2025-01-01T00:00:00", "end": "2025-01-02T00:00:00Z"},
            },
        ),
    ),
    "order_by direction up": (
        "query_analytics",
        {"metrics": ["request_count"], "order_by": {"field": "request_count", "direction": "up"}},
        "order_by.direction",
        (
            "POST",
            "/analytics/query",
            {},
            {"metrics": ["request_count"], "order_by": {"field": "request_count", "direction": "up"}},
        ),
    ),
    "classifier_id not a UUID": (
        "query_analytics",
        {"metrics": ["request_count"], "classifier_dimensions": {"classifier_id": "nope"}},
        "classifier_dimensions.classifier_id",
        (
            "POST",
            "/analytics/query",
            {},
            {"metrics": ["request_count"], "classifier_dimensions": {"classifier_id": "nope"}},
        ),
    ),
    "no classifier filters": (
        "query_analytics",
        {"metrics": ["request_count"], "classifier_filters": {"classifier_id": UUID, "filters": []}},
        "classifier_filters.filters",
        (
            "POST",
            "/analytics/query",
            {},
            {"metrics": ["request_count"], "classifier_filters": {"classifier_id": UUID, "filters": []}},
        ),
    ),
    "group_by team": (
        "get_user_activity",
        {"group_by": "team"},
        "group_by",
        ("GET", "/activity", {"group_by": "team"}, None),
    ),
    "workspace_id nope": ("get_user_activity", {"workspace_id": "nope"}, "workspace_id", None),
}


@pytest.fixture
def recorded(kind: str, prism_url: str) -> Iterator[tuple[Call, list[httpx.Request]]]:
    """A way to call a client whose http client records every request it sends to Prism."""
    seen: list[httpx.Request] = []

    async def record_async(request: httpx.Request) -> None:
        seen.append(request)

    hooks: dict[str, Any] = {"request": [seen.append if kind == "sync" else record_async]}
    options = {"api_key": KEY, "base_url": prism_url, "max_retries": 0}

    if kind == "sync":
        with httpx.Client(event_hooks=hooks) as http:

            async def run_sync(method: str, **kwargs: Any) -> Any:
                with Analytics(**options, http_client=http) as analytics:
                    return getattr(analytics, method)(**kwargs)

            yield run_sync, seen
        return

    async def run_async(method: str, **kwargs: Any) -> Any:
        async with (
            httpx.AsyncClient(event_hooks=hooks) as async_http,
            AsyncAnalytics(**options, http_client=async_http) as analytics,
        ):
            return await getattr(analytics, method)(**kwargs)

    yield run_async, seen


@pytest.mark.parametrize("case", list(REFUSED))
async def test_a_request_that_would_be_refused_never_leaves_the_sdk(
    recorded: tuple[Call, list[httpx.Request]], prism_url: str, case: str
) -> None:
    method, kwargs, parameter, raw = REFUSED[case]
    run, seen = recorded
    with pytest.raises(errors.InvalidParameterError) as caught:
        await run(method, **kwargs)
    assert caught.value.parameter == parameter
    assert seen == []
    # The recording works: a good request through the same client is seen.
    await run("get_analytics_meta")
    assert [str(request.url) for request in seen] == [f"{prism_url}/analytics/meta"]
    if raw is not None:
        # The spec itself refuses what was refused: Prism answers the raw request with a 400.
        http_method, path, params, body = raw
        answer = httpx.request(
            http_method,
            prism_url + path,
            params=params,
            json=body,
            headers={"Authorization": f"Bearer {KEY}"},
        )
        assert answer.status_code == 400, answer.text
