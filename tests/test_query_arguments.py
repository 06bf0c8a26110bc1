"""The arguments of query_analytics and the workspace arguments of get_user_activity: every rule
is checked before anything is sent, with an error naming the parameter; what passes is sent as
the spec writes it; what the spec leaves open (metric, dimension, operator and granularity
names) is left to the server.

Sync and async alike, through an httpx transport that records what would have been sent.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from fault_server import activity_json, meta_json, query_json

from openrouter_analytics import Analytics, AsyncAnalytics, errors
from openrouter_analytics_client.models import (
    ClassifierDimensions,
    ClassifierFilter,
    ClassifierFilters,
    QueryFilter,
    QueryOrderBy,
    QueryTimeRange,
)

pytestmark = pytest.mark.anyio

KEY = "sk-or-v1-queryarguments0123456789"
BASE_URL = "https://analytics.invalid"  # never reached: the transport answers
UUID = "550e8400-e29b-41d4-a716-446655440000"
UTC = dt.UTC
BODIES = {"/activity": activity_json(), "/analytics/meta": meta_json(), "/analytics/query": query_json()}

Send = Callable[..., Awaitable[list[httpx.Request]]]


def _answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODIES[request.url.path], headers={"content-type": "application/json"})


@pytest.fixture(params=["sync", "async"])
def send(request: pytest.FixtureRequest) -> Send:
    """``await send(method, **kwargs)``: the requests that a call on a fresh client sent (the call
    is made; an error it raises propagates).
    """

    async def run(method: str, **kwargs: Any) -> list[httpx.Request]:
        seen: list[httpx.Request] = []

        def record(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return _answer(request)

        async def record_async(request: httpx.Request) -> httpx.Response:
            return record(request)

        try:
            if request.param == "sync":
                with (
                    httpx.Client(transport=httpx.MockTransport(record)) as http,
                    Analytics(api_key=KEY, base_url=BASE_URL, http_client=http, max_retries=0) as analytics,
                ):
                    getattr(analytics, method)(**kwargs)
            else:
                async with (
                    httpx.AsyncClient(transport=httpx.MockTransport(record_async)) as async_http,
                    AsyncAnalytics(
                        api_key=KEY, base_url=BASE_URL, http_client=async_http, max_retries=0
                    ) as async_analytics,
                ):
                    await getattr(async_analytics, method)(**kwargs)
        except errors.InvalidParameterError:
            assert seen == [], "a refused call sent a request"
            raise
        return seen

    return run


async def refused(send: Send, method: str, **kwargs: Any) -> errors.InvalidParameterError:
    """The error a call raises; ``send`` has checked that nothing was sent."""
    with pytest.raises(errors.InvalidParameterError) as caught:
        await send(method, **kwargs)
    return caught.value


async def sent_body(send: Send, **kwargs: Any) -> Any:
    """The JSON body query_analytics sent."""
    (request,) = await send("query_analytics", **kwargs)
    assert (request.method, request.url.path) == ("POST", "/analytics/query")
    return json.loads(request.content)


def query(**kwargs: Any) -> dict[str, Any]:
    return {"metrics": ["request_count"], **kwargs}


def a_filter(operator: str = "eq", value: object = "OpenAI", **more: object) -> dict[str, object]:
    return {"field": "provider", "operator": operator, "value": value, **more}


def classifier_filters(*filters: object) -> dict[str, object]:
    return {"classifier_id": UUID, "filters": list(filters)}


SCALAR_OPERATORS = ["eq", "neq", "gt", "gte", "lt", "lte"]
LIST_OPERATORS = ["in", "not_in"]

# (arguments of query_analytics, the parameter the error names, a text the message shows)
REFUSED_QUERIES: dict[str, tuple[dict[str, Any], str, str]] = {
    # metrics: a non-empty list of non-empty strings
    "metrics a bare string": ({"metrics": "request_count"}, "metrics", "['total_usage', 'request_count']"),
    "metrics empty": ({"metrics": []}, "metrics", "at least 1"),
    "metrics None": ({"metrics": None}, "metrics", "list"),
    "metrics a set": ({"metrics": {"request_count"}}, "metrics", "list"),
    "metrics bytes": ({"metrics": b"request_count"}, "metrics", "list"),
    "metric empty": ({"metrics": ["request_count", ""]}, "metrics[1]", "non-empty string"),
    "metric blank": ({"metrics": ["  "]}, "metrics[0]", "non-empty string"),
    "metric a number": ({"metrics": [7]}, "metrics[0]", "got int 7"),
    # dimensions: at most 2
    "three dimensions": (query(dimensions=["model", "provider", "app"]), "dimensions", "at most 2"),
    "dimensions a bare string": (query(dimensions="model"), "dimensions", "not one string"),
    "dimension empty": (query(dimensions=["model", ""]), "dimensions[1]", "non-empty string"),
    # filters: at most 20 mappings with the spec's keys
    "21 filters": (query(filters=[a_filter()] * 21), "filters", "at most 20"),
    "filters a mapping": (query(filters=a_filter()), "filters", "list"),
    "filter not a mapping": (query(filters=["provider=OpenAI"]), "filters[0]", "mapping"),
    "filter without field": (
        query(filters=[{"operator": "eq", "value": "OpenAI"}]),
        "filters[0].field",
        "'field'",
    ),
    "filter without operator": (
        query(filters=[{"field": "provider", "value": "OpenAI"}]),
        "filters[0].operator",
        "'operator'",
    ),
    "filter without value": (
        query(filters=[a_filter(), {"field": "provider", "operator": "eq"}]),
        "filters[1].value",
        "'value'",
    ),
    "filter with an unknown key": (query(filters=[a_filter(op="eq")]), "filters[0]", "'op'"),
    "filter field empty": (query(filters=[a_filter() | {"field": ""}]), "filters[0].field", "non-empty"),
    "filter operator not a string": (
        query(filters=[a_filter(operator=None)]),
        "filters[0].operator",
        "non-empty",
    ),
    "include_unset not a bool": (
        query(filters=[a_filter("in", ["OpenAI"], include_unset="yes")]),
        "filters[0].include_unset",
        "True or False",
    ),
    # filter values of the list operators: a non-empty list of strings and numbers
    **{
        f"{operator} with a scalar": (
            query(filters=[a_filter(operator, "OpenAI")]),
            "filters[0].value",
            "['OpenAI', 'Anthropic']",
        )
        for operator in LIST_OPERATORS
    },
    **{
        f"{operator} with an empty list": (
            query(filters=[a_filter(operator, [])]),
            "filters[0].value",
            "at least 1",
        )
        for operator in LIST_OPERATORS
    },
    "in with a boolean item": (
        query(filters=[a_filter("in", ["OpenAI", True])]),
        "filters[0].value[1]",
        "got bool",
    ),
    "in with a nested list": (
        query(filters=[a_filter("in", [["OpenAI"]])]),
        "filters[0].value[0]",
        "got list",
    ),
    "not_in with None": (query(filters=[a_filter("not_in", [None])]), "filters[0].value[0]", "got NoneType"),
    "in with a set": (query(filters=[a_filter("in", {"OpenAI"})]), "filters[0].value", "non-empty list"),
    # classifier_dimensions and classifier_filters
    "classifier_dimensions without classifier_id": (
        query(classifier_dimensions={"dimension_names": ["department"]}),
        "classifier_dimensions.classifier_id",
        "'classifier_id'",
    ),
    "classifier_dimensions classifier_id not a UUID": (
        query(classifier_dimensions={"classifier_id": "department"}),
        "classifier_dimensions.classifier_id",
        UUID,
    ),
    "classifier_dimensions classifier_id a number": (
        query(classifier_dimensions={"classifier_id": 42}),
        "classifier_dimensions.classifier_id",
        UUID,
    ),
    "three classifier dimension names": (
        query(classifier_dimensions={"classifier_id": UUID, "dimension_names": ["a", "b", "c"]}),
        "classifier_dimensions.dimension_names",
        "at most 2",
    ),
    "classifier dimension names a string": (
        query(classifier_dimensions={"classifier_id": UUID, "dimension_names": "department"}),
        "classifier_dimensions.dimension_names",
        "not one string",
    ),
    "include_nulls not a bool": (
        query(classifier_dimensions={"classifier_id": UUID, "include_nulls": 1}),
        "classifier_dimensions.include_nulls",
        "True or False",
    ),
    "classifier_dimensions with an unknown key": (
        query(classifier_dimensions={"classifier_id": UUID, "names": ["a"]}),
        "classifier_dimensions",
        "'names'",
    ),
    "classifier_filters classifier_id not a UUID": (
        query(classifier_filters={"classifier_id": "nope", "filters": [a_filter()]}),
        "classifier_filters.classifier_id",
        UUID,
    ),
    "no classifier filters": (
        query(classifier_filters=classifier_filters()),
        "classifier_filters.filters",
        "at least 1",
    ),
    "11 classifier filters": (
        query(classifier_filters=classifier_filters(*[a_filter()] * 11)),
        "classifier_filters.filters",
        "at most 10",
    ),
    "classifier filters without filters": (
        query(classifier_filters={"classifier_id": UUID}),
        "classifier_filters.filters",
        "'filters'",
    ),
    "classifier filter with include_unset": (
        query(classifier_filters=classifier_filters(a_filter("in", ["x"], include_unset=True))),
        "classifier_filters.filters[0]",
        "'include_unset'",
    ),
    "classifier filter with an ordered comparison": (
        query(classifier_filters=classifier_filters(a_filter("eq"), a_filter("gt", 3))),
        "classifier_filters.filters[1].operator",
        "eq, in, neq, not_in",
    ),
    "classifier filter with a boolean value": (
        query(classifier_filters=classifier_filters(a_filter("eq", False))),
        "classifier_filters.filters[0].value",
        "got bool",
    ),
    # order_by
    "order_by direction up": (
        query(order_by={"field": "date", "direction": "up"}),
        "order_by.direction",
        "'asc'",
    ),
    "order_by direction in capitals": (
        query(order_by={"field": "date", "direction": "DESC"}),
        "order_by.direction",
        "'desc'",
    ),
    "order_by without direction": (query(order_by={"field": "date"}), "order_by.direction", "'direction'"),
    "order_by without field": (query(order_by={"direction": "asc"}), "order_by.field", "'field'"),
    "order_by a string": (query(order_by="date desc"), "order_by", "field, direction"),
    "order_by with an unknown key": (
        query(order_by={"field": "date", "direction": "asc", "nulls": "last"}),
        "order_by",
        "'nulls'",
    ),
    # granularity: any name, but a name
    "granularity empty": (query(granularity=""), "granularity", "non-empty string"),
    "granularity a number": (query(granularity=1), "granularity", "got int 1"),
    # limit and group_limit: 1 to 10,000
    **{
        f"{name} {value!r}": (query(**{name: value}), name, "1 to 10,000")
        for name in ("limit", "group_limit")
        for value in (0, -1, 10_001, True, 1.0, "10", math.inf)
    },
    # time_range: both ends, aware, start before end, no other keys
    "time_range without end": (query(time_range={"start": dt.date(2025, 1, 1)}), "time_range.end", "'end'"),
    "time_range without start": (
        query(time_range={"end": dt.date(2025, 1, 1)}),
        "time_range.start",
        "'start'",
    ),
    "time_range start equal to end": (
        query(time_range={"start": dt.date(2025, 1, 1), "end": dt.datetime(2025, 1, 1, tzinfo=UTC)}),
        "time_range",
        "before",
    ),
    "time_range start after end": (
        query(time_range={"start": dt.date(2025, 1, 2), "end": dt.date(2025, 1, 1)}),
        "time_range",
        "before",
    ),
    "time_range start after end by a zone": (
        # 00:30 in UTC+1 is 23:30 UTC on the day before; 23:00 UTC is earlier still
        query(
            time_range={
                "start": dt.datetime(2025, 1, 2, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
                "end": dt.datetime(2025, 1, 1, 23, 0, tzinfo=UTC),
            }
        ),
        "time_range",
        "before",
    ),
    "time_range naive start": (
        query(time_range={"start": dt.datetime(2025, 1, 1), "end": dt.date(2025, 1, 2)}),
        "time_range.start",
        "tzinfo=UTC",
    ),
    "time_range naive end": (
        query(time_range={"start": dt.date(2025, 1, 1), "end": dt.datetime(2025, 1, 2, 12)}),
        "time_range.end",
        "tzinfo=UTC",
    ),
    "time_range naive string": (
        query(time_range={"start": "2025-01-01T00:00:00", "end": dt.date(2025, 1, 2)}),
        "time_range.start",
        "tzinfo=UTC",
    ),
    "time_range unreadable string": (
        query(time_range={"start": "last week", "end": dt.date(2025, 1, 2)}),
        "time_range.start",
        "aware datetime or a date",
    ),
    "time_range a week date": (
        query(time_range={"start": "2026-W01-1", "end": dt.date(2026, 1, 9)}),
        "time_range.start",
        "aware datetime or a date",
    ),
    "time_range a basic-format day": (
        query(time_range={"start": "20260901", "end": dt.date(2026, 9, 9)}),
        "time_range.start",
        "aware datetime or a date",
    ),
    "time_range in year 1, east of UTC": (
        query(
            time_range={
                "start": dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14))),
                "end": dt.date(2026, 1, 1),
            }
        ),
        "time_range.start",
        "from 1970-01-01 to 9998-12-31",
    ),
    "time_range before 1970": (
        query(time_range={"start": dt.date(1969, 12, 31), "end": dt.date(2026, 1, 1)}),
        "time_range.start",
        "from 1970-01-01",
    ),
    "time_range in year 9999": (
        query(time_range={"start": dt.date(2026, 1, 1), "end": "9999-12-31T23:59:59-14:00"}),
        "time_range.end",
        "to 9998-12-31",
    ),
    "filter value a whole number beyond 64 bits": (
        query(filters=[a_filter("gt", 10**400)]),
        "filters[0].value",
        "within 64 bits",
    ),
    "filter value 2**64": (query(filters=[a_filter("gt", 2**64)]), "filters[0].value", "within 64 bits"),
    "time_range a number": (
        query(time_range={"start": 1735689600, "end": dt.date(2025, 1, 2)}),
        "time_range.start",
        "aware datetime or a date",
    ),
    "time_range a tuple": (
        query(time_range=(dt.date(2025, 1, 1), dt.date(2025, 1, 2))),
        "time_range",
        "start, end",
    ),
    "time_range with an unknown key": (
        query(time_range={"start": dt.date(2025, 1, 1), "end": dt.date(2025, 1, 2), "tz": "UTC"}),
        "time_range",
        "'tz'",
    ),
    # generated models are checked like mappings
    "a naive QueryTimeRange": (
        query(
            time_range=QueryTimeRange(start=dt.datetime(2025, 1, 1, tzinfo=UTC), end=dt.datetime(2025, 1, 2))
        ),
        "time_range.end",
        "tzinfo=UTC",
    ),
    "a QueryOrderBy with direction up": (
        query(order_by=QueryOrderBy(field="date", direction="up")),
        "order_by.direction",
        "'asc'",
    ),
    "a QueryFilter with an empty list": (
        query(filters=[QueryFilter(field="provider", operator="in", value=[])]),
        "filters[0].value",
        "at least 1",
    ),
}

# Scalar operators with a value that is not a scalar.
for _operator in SCALAR_OPERATORS:
    for _label, _value, _shown in [
        ("a list", ["OpenAI"], "got list"),
        ("a boolean", True, "got bool True"),
        ("None", None, "got NoneType"),
        ("NaN", math.nan, "finite number"),
        ("a mapping", {"gt": 1}, "got dict"),
    ]:
        REFUSED_QUERIES[f"{_operator} with {_label}"] = (
            query(filters=[a_filter(), a_filter(_operator, _value)]),
            "filters[1].value",
            _shown,
        )


@pytest.mark.parametrize("case", list(REFUSED_QUERIES))
async def test_a_bad_query_argument_is_refused_before_sending(send: Send, case: str) -> None:
    kwargs, parameter, shown = REFUSED_QUERIES[case]
    error = await refused(send, "query_analytics", **kwargs)
    assert error.parameter == parameter
    assert parameter.partition("[")[0].partition(".")[0] in str(error)
    assert shown in str(error)


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"group_by": "team"}, "group_by"),
        ({"group_by": "Workspace"}, "group_by"),
        ({"group_by": ""}, "group_by"),
        ({"group_by": ["workspace"]}, "group_by"),
        ({"workspace_id": "nope"}, "workspace_id"),
        ({"workspace_id": ""}, "workspace_id"),
        ({"workspace_id": UUID[:-1]}, "workspace_id"),
        ({"workspace_id": UUID + "0"}, "workspace_id"),
        ({"workspace_id": 42}, "workspace_id"),
        ({"workspace_id": uuid.UUID(UUID).bytes}, "workspace_id"),
    ],
)
async def test_a_bad_workspace_argument_is_refused_before_sending(
    send: Send, kwargs: dict[str, Any], parameter: str
) -> None:
    error = await refused(send, "get_user_activity", **kwargs)
    assert error.parameter == parameter
    shown = "'workspace'" if parameter == "group_by" else UUID
    assert shown in str(error)


@pytest.mark.parametrize(
    "workspace_id", [UUID, UUID.upper(), uuid.UUID(UUID), UUID.replace("-", ""), "{" + UUID + "}"]
)
async def test_a_workspace_id_is_sent_in_canonical_form(send: Send, workspace_id: object) -> None:
    (request,) = await send("get_user_activity", group_by="workspace", workspace_id=workspace_id)
    assert request.url.path == "/activity"
    assert dict(request.url.params) == {"group_by": "workspace", "workspace_id": UUID}


# -- what passes is sent as given -------------------------------------------------------------


async def test_names_the_spec_leaves_open_are_sent_as_given(send: Send) -> None:
    body = await sent_body(
        send,
        metrics=["request_count", "a_metric_from_next_year"],
        dimensions=["a_new_dimension"],
        filters=[
            {"field": "a_new_dimension", "operator": "between", "value": [1, 5]},
            {"field": "model", "operator": "starts_with", "value": "openai/"},
        ],
        granularity="quarter",
        order_by={"field": "a_metric_from_next_year", "direction": "asc"},
    )
    assert body == {
        "metrics": ["request_count", "a_metric_from_next_year"],
        "dimensions": ["a_new_dimension"],
        "filters": [
            {"field": "a_new_dimension", "operator": "between", "value": [1, 5]},
            {"field": "model", "operator": "starts_with", "value": "openai/"},
        ],
        "granularity": "quarter",
        "order_by": {"field": "a_metric_from_next_year", "direction": "asc"},
    }


@pytest.mark.parametrize("operator", SCALAR_OPERATORS)
@pytest.mark.parametrize("value", ["OpenAI", 0, -3, 2.5, 1e300, ""])
async def test_a_scalar_operator_sends_its_string_or_number(send: Send, operator: str, value: object) -> None:
    body = await sent_body(send, **query(filters=[a_filter(operator, value)]))
    assert body["filters"] == [a_filter(operator, value)]
    assert type(body["filters"][0]["value"]) is type(value)


@pytest.mark.parametrize("operator", LIST_OPERATORS)
@pytest.mark.parametrize("value", [["OpenAI"], ["OpenAI", "Anthropic", 3, 4.5], ("OpenAI", "Anthropic")])
async def test_a_list_operator_sends_its_list(send: Send, operator: str, value: Any) -> None:
    body = await sent_body(send, **query(filters=[a_filter(operator, value, include_unset=False)]))
    assert body["filters"] == [a_filter(operator, list(value), include_unset=False)]


@pytest.mark.parametrize("count", [1, 20])
async def test_up_to_20_filters_are_sent(send: Send, count: int) -> None:
    filters = [a_filter(value=f"provider {n}") for n in range(count)]
    assert (await sent_body(send, **query(filters=filters)))["filters"] == filters


@pytest.mark.parametrize("name", ["limit", "group_limit"])
@pytest.mark.parametrize("value", [1, 10_000])
async def test_the_row_limits_are_inclusive(send: Send, name: str, value: int) -> None:
    assert (await sent_body(send, **query(**{name: value})))[name] == value


async def test_metrics_may_be_a_tuple_and_two_dimensions_are_sent(send: Send) -> None:
    body = await sent_body(send, metrics=("total_usage", "request_count"), dimensions=("model", "provider"))
    assert body == {"metrics": ["total_usage", "request_count"], "dimensions": ["model", "provider"]}


async def test_classifier_arguments_are_sent_with_canonical_ids(send: Send) -> None:
    body = await sent_body(
        send,
        **query(
            classifier_dimensions={
                "classifier_id": uuid.UUID(UUID),
                "dimension_names": ["department", "work_type"],
                "include_nulls": True,
            },
            classifier_filters={
                "classifier_id": UUID.upper(),
                "filters": [a_filter("not_in", ["Sales"])] + [a_filter("eq", f"x{n}") for n in range(9)],
            },
        ),
    )
    assert body["classifier_dimensions"] == {
        "classifier_id": UUID,
        "dimension_names": ["department", "work_type"],
        "include_nulls": True,
    }
    assert body["classifier_filters"]["classifier_id"] == UUID
    assert len(body["classifier_filters"]["filters"]) == 10


async def test_a_time_range_given_as_rfc_3339_strings_is_accepted(send: Send) -> None:
    body = await sent_body(send, **query(time_range={"start": "2025-01-01T00:00:00Z", "end": "2025-01-08"}))
    assert dt.datetime.fromisoformat(body["time_range"]["start"]) == dt.datetime(2025, 1, 1, tzinfo=UTC)
    assert dt.datetime.fromisoformat(body["time_range"]["end"]) == dt.datetime(2025, 1, 8, tzinfo=UTC)


async def test_generated_models_are_accepted_in_place_of_mappings(send: Send) -> None:
    start = dt.datetime(2025, 1, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    end = dt.datetime(2025, 1, 8, tzinfo=UTC)
    as_models = await sent_body(
        send,
        **query(
            filters=[
                QueryFilter(field="provider", operator="in", value=["OpenAI", 2.5], include_unset=True),
                QueryFilter(field="model", operator="eq", value="openai/gpt-4.1"),
            ],
            time_range=QueryTimeRange(start=start, end=end),
            order_by=QueryOrderBy(field="request_count", direction="desc"),
            classifier_dimensions=ClassifierDimensions(
                classifier_id=uuid.UUID(UUID), dimension_names=["department"]
            ),
            classifier_filters=ClassifierFilters(
                classifier_id=uuid.UUID(UUID),
                filters=[ClassifierFilter(field="department", operator="eq", value="Engineering")],
            ),
        ),
    )
    as_mappings = await sent_body(
        send,
        **query(
            filters=[
                {"field": "provider", "operator": "in", "value": ["OpenAI", 2.5], "include_unset": True},
                {"field": "model", "operator": "eq", "value": "openai/gpt-4.1"},
            ],
            time_range={"start": start, "end": end},
            order_by={"field": "request_count", "direction": "desc"},
            classifier_dimensions={"classifier_id": UUID, "dimension_names": ["department"]},
            classifier_filters=classifier_filters(
                {"field": "department", "operator": "eq", "value": "Engineering"}
            ),
        ),
    )
    assert as_models == as_mappings
    assert dt.datetime.fromisoformat(as_models["time_range"]["start"]) == dt.datetime(2025, 1, 1, tzinfo=UTC)


async def test_nothing_but_the_given_arguments_is_sent(send: Send) -> None:
    assert await sent_body(send, metrics=["request_count"]) == {"metrics": ["request_count"]}


async def test_the_meta_takes_no_arguments_and_sends_no_body(send: Send) -> None:
    (request,) = await send("get_analytics_meta")
    assert (request.method, request.url.path, request.url.query, request.content) == (
        "GET",
        "/analytics/meta",
        b"",
        b"",
    )
