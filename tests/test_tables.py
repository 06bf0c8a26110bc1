"""Results as typed tables (openrouter_analytics.tables): types, values, schemas, interchange."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import attrs
import duckdb
import httpx
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from demo_server import serve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openrouter_analytics import Analytics, SummaryRow, summarize
from openrouter_analytics.tables import schemas
from openrouter_analytics_client.models import (
    ActivityItem,
    ActivityResponse,
    AnalyticsMetaResponse,
    AnalyticsQueryResponse,
)
from openrouter_analytics_client.models.activity_item import _FIELDS as ACTIVITY_FIELDS

KEY = "sk-or-v1-tables-test"
MONEY = ("usage", "byok_usage_inference")
COUNTS = ("requests", "prompt_tokens", "completion_tokens", "reasoning_tokens", "cached_tokens")
NAMES = ("model", "model_permaslug", "provider_name", "endpoint_id")


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    with serve(api_key=KEY) as url:
        yield url


@pytest.fixture(scope="module")
def analytics(demo_url: str) -> Iterator[Analytics]:
    with Analytics(api_key=KEY, base_url=demo_url) as client:
        yield client


@pytest.fixture(scope="module")
def raw_rows(demo_url: str) -> list[dict[str, Any]]:
    """The demo month's rows as the server sent them, read without the SDK."""
    answer = httpx.get(f"{demo_url}/activity", headers={"Authorization": f"Bearer {KEY}"})
    rows: list[dict[str, Any]] = answer.json()["data"]
    assert len(rows) > 100
    return rows


def close(actual: float, expected: float) -> bool:
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)


# --- activity -----------------------------------------------------------------------------------


def test_activity_table_has_the_declared_types_and_the_servers_totals(
    analytics: Analytics, raw_rows: list[dict[str, Any]]
) -> None:
    table = analytics.get_user_activity().to_arrow()
    assert table.schema == schemas.ACTIVITY
    assert table.num_rows == len(raw_rows)
    assert table.schema.field("date").type == pa.date32()
    assert table.schema.field("usage").type == pa.float64()
    assert table.schema.field("cached_tokens").type == pa.int64()
    assert pa.types.is_dictionary(table.schema.field("model").type)
    for name in MONEY:
        assert close(table.column(name).to_numpy().sum(), math.fsum(row[name] for row in raw_rows))
    for name in COUNTS:
        assert sum(table.column(name).to_pylist()) == sum(row[name] for row in raw_rows)
    for name in NAMES:
        assert table.column(name).to_pylist() == [row[name] for row in raw_rows]
    assert table.column("date").to_pylist() == [dt.date.fromisoformat(row["date"]) for row in raw_rows]
    assert table.column("workspace_id").null_count == len(raw_rows)


def test_pandas_and_polars_are_typed_views_of_the_same_table(
    analytics: Analytics, raw_rows: list[dict[str, Any]]
) -> None:
    report = analytics.get_user_activity(group_by="workspace")
    rows = httpx.get(
        f"{analytics.base_url}/activity",
        params={"group_by": "workspace"},
        headers={"Authorization": f"Bearer {KEY}"},
    ).json()["data"]
    frame = report.to_pandas()
    assert isinstance(frame["date"].dtype, pd.ArrowDtype)
    assert frame["date"].iloc[0] == dt.date.fromisoformat(rows[0]["date"])
    assert frame["model"].dtype == "category"
    assert frame["workspace_id"].dtype == "category"
    assert frame["usage"].dtype == "float64"
    assert frame["requests"].dtype == "int64"
    assert close(frame["usage"].sum(), math.fsum(row["usage"] for row in rows))
    assert int(frame["prompt_tokens"].sum()) == sum(row["prompt_tokens"] for row in rows)
    assert list(frame["workspace_id"]) == [row["workspace_id"] for row in rows]

    polars_frame = report.to_polars()
    assert polars_frame.schema["date"] == pl.Date
    assert polars_frame.schema["model"] == pl.Categorical
    assert polars_frame.schema["usage"] == pl.Float64
    assert polars_frame.schema["cached_tokens"] == pl.Int64
    byok = math.fsum(row["byok_usage_inference"] for row in rows)
    assert close(polars_frame["byok_usage_inference"].sum(), byok)
    assert polars_frame["cached_tokens"].sum() == sum(row["cached_tokens"] for row in rows)
    assert polars_frame["date"].min() == min(dt.date.fromisoformat(row["date"]) for row in rows)
    assert len(raw_rows) < len(rows)  # split per workspace: more rows than the plain report


def test_the_schema_names_every_field_the_spec_declares() -> None:
    assert set(schemas.ACTIVITY.names) == set(ACTIVITY_FIELDS)


def test_each_activity_column_reads_its_own_attribute() -> None:
    from openrouter_analytics.tables import _build

    item = object.__new__(ActivityItem)
    for name in ACTIVITY_FIELDS:
        setattr(item, name, f"value of {name}")
    columns = _build._activity_values([item, item])
    assert columns == [[f"value of {name}"] * 2 for name in schemas.ACTIVITY.names]


def test_the_summary_schema_names_every_field_of_a_summary_row() -> None:
    assert schemas.SUMMARY.names[0] == "kind"
    assert set(schemas.SUMMARY.names[1:]) == {field.name for field in attrs.fields(SummaryRow)}


def test_an_empty_report_keeps_the_full_schema_in_every_view() -> None:
    empty = ActivityResponse.from_dict({"data": []})
    table = empty.to_arrow()
    assert table.num_rows == 0
    assert table.schema == schemas.ACTIVITY
    frame = empty.to_pandas()
    assert list(frame.columns) == schemas.ACTIVITY.names
    assert frame["usage"].dtype == "float64"
    assert empty.to_polars().schema["date"] == pl.Date


def test_fields_the_spec_does_not_declare_become_columns(raw_rows: list[dict[str, Any]]) -> None:
    rows = [dict(row) for row in raw_rows[:50]]
    rows[3]["api_key_name"] = "production"
    rows[7]["api_key_name"] = "notebooks"
    rows[7]["discount"] = 0.25
    rows[9]["labels"] = {"team": "search"}
    body = json.dumps({"data": rows}).encode()
    for report in (ActivityResponse._from_json(body), ActivityResponse.from_dict(json.loads(body))):
        table = report.to_arrow()
        assert table.column_names[: len(schemas.ACTIVITY)] == schemas.ACTIVITY.names
        assert table.column_names[len(schemas.ACTIVITY) :] == ["api_key_name", "discount", "labels"]
        names = table.column("api_key_name").to_pylist()
        assert (names[3], names[7]) == ("production", "notebooks")
        assert names.count(None) == 48
        assert table.column("discount").type == pa.float64()
        assert table.column("labels").to_pylist()[9] == {"team": "search"}


def test_undeclared_values_of_mixed_kinds_are_kept_as_json_text() -> None:
    rows = [_row(extra=value) for value in (1, "one", [1], None)]
    table = ActivityResponse.from_dict({"data": rows}).to_arrow()
    assert table.column("extra").to_pylist() == ["1", '"one"', "[1]", None]


def test_an_undeclared_text_field_has_one_type_however_often_its_values_repeat() -> None:
    one = ActivityResponse.from_dict({"data": [_row(tier="gold")]})
    many = ActivityResponse.from_dict({"data": [_row(tier=tier) for tier in ("gold", "silver") * 50]})
    assert one.to_arrow().schema == many.to_arrow().schema
    assert pa.concat_tables([one.to_arrow(), many.to_arrow()]).num_rows == 101
    assert pl.concat([one.to_polars(), many.to_polars()])["tier"].dtype == pl.Categorical


def test_a_date_that_is_not_one_is_a_clear_error() -> None:
    report = ActivityResponse.from_dict({"data": [_row(), _row(date="2026-02-30")]})
    with pytest.raises(ValueError, match=r"data\[1\]\.date: expected a YYYY-MM-DD date, got '2026-02-30'"):
        report.to_arrow()


@pytest.mark.parametrize(
    ("date", "shown"),
    [
        ("2026-09-01xyz", "a text of 13 characters"),
        ("20260901", "'20260901'"),
        ("2026-W36-1", "a text of 10 characters"),
        ("2026-09-01T", "'2026-09-01T'"),
        ("sk-or-v1-" + "ab12" * 16, "a text of 73 characters"),
    ],
)
def test_a_date_must_be_a_day_and_server_text_that_is_not_date_like_is_not_shown(
    date: str, shown: str
) -> None:
    report = ActivityResponse.from_dict({"data": [_row(), _row(date=date)]})
    with pytest.raises(ValueError, match=r"data\[1\]\.date: expected a YYYY-MM-DD date, got ") as refused:
        report.to_arrow()
    assert str(refused.value).endswith(f"got {shown}")


def test_the_day_of_a_timestamp_is_its_date_as_summarize_reads_it() -> None:
    rows = [_row(date="2026-09-01T23:30:00Z"), _row(date="2026-09-02 00:00:00+02:00")]
    table = ActivityResponse.from_dict({"data": rows}).to_arrow()
    assert table.column("date").to_pylist() == [dt.date(2026, 9, 1), dt.date(2026, 9, 2)]


def _report(rows: list[dict[str, Any]], way: str) -> ActivityResponse:
    """A report of ``rows``: decoded from its body (a table is made from the decoded rows, their
    numbers through the array module), or made of models (the plain way)."""
    if way == "decoded":
        report = ActivityResponse._from_json(json.dumps({"data": rows}).encode())
        assert report._pending_rows is not None
        return report
    return ActivityResponse.from_dict({"data": rows})


WAYS = pytest.mark.parametrize("way", ["decoded", "models"])


@WAYS
def test_money_beyond_a_double_s_range_is_a_clear_error(way: str) -> None:
    report = _report([_row(), _row(usage=10**400)], way)
    with pytest.raises(
        ValueError, match=r"data\[1\]\.usage: a whole number of 401 digits, beyond a double's range"
    ):
        report.to_arrow()


@WAYS
def test_money_sent_as_a_whole_number_beyond_a_double_s_exact_range_is_still_money(way: str) -> None:
    # JSON does not tell 4611686018427387904 from 4611686018427387904.0, and the spec's money is a double.
    report = _report([_row(usage=2**62), _row(byok_usage_inference=2**64)], way)
    table = report.to_arrow()
    assert table.schema == schemas.ACTIVITY
    assert table.column("usage").to_pylist() == [float(2**62), 0.5]
    assert table.column("byok_usage_inference").to_pylist() == [0.0, float(2**64)]


def test_counts_with_nulls_stay_exact_counts_in_pandas() -> None:
    big = 2**60 + 1
    meta = AnalyticsMetaResponse.from_dict(
        {
            "data": {
                "metrics": [
                    {
                        "name": "request_count",
                        "display_label": "Requests",
                        "is_rate": False,
                        "display_format": "number",
                    }
                ],
                "dimensions": [{"name": "model", "display_label": "Model"}],
                "operators": [],
                "granularities": [],
            }
        }
    )
    rows = [{"request_count": big, "model": "a"}, {"model": "b"}, {"request_count": None, "model": "c"}]
    query = AnalyticsQueryResponse.from_dict(
        {"data": {"data": rows, "metadata": {"query_time_ms": 1.0, "row_count": 3, "truncated": False}}}
    )
    frame = query.to_pandas(meta=meta)
    assert str(frame["request_count"].dtype) == "Int64"
    assert frame["request_count"].tolist()[0] == big
    assert frame["request_count"].isna().tolist() == [False, True, True]

    report = ActivityResponse.from_dict({"data": [_row(n=big), _row()]})
    extras = report.to_pandas()
    assert str(extras["n"].dtype) == "Int64"
    assert extras["n"].tolist()[0] == big
    assert str(extras["requests"].dtype) == "int64"  # a count without nulls stays numpy's


@pytest.mark.parametrize(("first", "second"), [(1, 1.5), (None, "x"), (1, "absent"), (None, 2.5)])
def test_tables_whose_undeclared_column_differs_concatenate_as_the_readme_says(
    first: Any, second: Any
) -> None:
    def table(value: Any) -> pa.Table:
        row = _row() if value == "absent" else _row(n=value)
        return ActivityResponse.from_dict({"data": [row]}).to_arrow()

    a, b = table(first), table(second)
    combined = pa.concat_tables([a, b], promote_options="permissive")
    frame = pl.concat([pl.from_arrow(a), pl.from_arrow(b)], how="diagonal_relaxed")
    assert combined.num_rows == frame.height == 2
    expected = [first, None if second == "absent" else second]
    assert combined.column("n").to_pylist() == frame["n"].to_list() == expected


@WAYS
@pytest.mark.parametrize("count", [2**63, 2**64, 10**30])
def test_a_count_beyond_int64_is_a_clear_error(way: str, count: int) -> None:
    report = _report([_row(), _row(requests=count)], way)
    with pytest.raises(ValueError, match=rf"data\[1\]\.requests: {count} does not fit int64"):
        report.to_arrow()


def test_polars_and_duckdb_read_the_report_through_the_arrow_pycapsule(
    analytics: Analytics, raw_rows: list[dict[str, Any]]
) -> None:
    report = analytics.get_user_activity()
    frame = pl.DataFrame(report)
    assert frame.schema["date"] == pl.Date
    assert frame.height == len(raw_rows)
    totals = duckdb.sql(
        "select sum(usage), sum(cached_tokens), count(distinct model), min(date) from report"
    ).fetchall()[0]
    assert close(totals[0], math.fsum(row["usage"] for row in raw_rows))
    assert totals[1] == sum(row["cached_tokens"] for row in raw_rows)
    assert totals[2] == len({row["model"] for row in raw_rows})
    assert totals[3] == min(dt.date.fromisoformat(row["date"]) for row in raw_rows)


def test_parquet_read_back_equals_to_arrow(analytics: Analytics, tmp_path: Any) -> None:
    table = analytics.get_user_activity().to_arrow()
    pq.write_table(table, tmp_path / "month.parquet")
    assert pq.read_table(tmp_path / "month.parquet").equals(table, check_metadata=True)


# --- the column-wise build against the plain one -------------------------------------------------

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_row_strategy = st.fixed_dictionaries(
    {
        "date": st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)).map(dt.date.isoformat),
        "model": st.sampled_from(["openai/gpt-4.1", "anthropic/claude", "é/ü ☃"]) | _text,
        "model_permaslug": _text,
        "provider_name": st.sampled_from(["OpenAI", "Anthropic"]) | _text,
        "endpoint_id": st.uuids().map(str),
        "usage": st.floats(-1e6, 1e6) | st.integers(0, 10**6) | st.integers(2**53, 2**70),
        "byok_usage_inference": st.floats(0, 1e6),
        "requests": st.integers(0, 2**62),
        "prompt_tokens": st.integers(0, 2**40),
        "completion_tokens": st.integers(0, 2**40),
        "reasoning_tokens": st.integers(0, 2**40),
        "cached_tokens": st.integers(0, 2**40),
    },
    optional={
        "workspace_id": st.uuids().map(str),
        "note": _text,
    },
)


def _plain(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What each row should read as: declared fields typed one by one, the rest as sent."""
    extras = [key for key in dict.fromkeys(k for row in rows for k in row) if key not in ACTIVITY_FIELDS]
    plain = []
    for row in rows:
        typed: dict[str, Any] = {name: row.get(name) for name in schemas.ACTIVITY.names}
        typed["date"] = dt.date.fromisoformat(row["date"])
        for name in MONEY:
            typed[name] = float(row[name])
        typed.update({key: row.get(key) for key in extras})
        plain.append(typed)
    return plain


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_row_strategy, max_size=25), indent=st.sampled_from([None, 2]), shuffle=st.randoms())
def test_the_table_reads_every_row_as_the_plain_path_does(
    rows: list[dict[str, Any]], indent: int | None, shuffle: Any
) -> None:
    shuffled = []
    for row in rows:
        keys = list(row)
        shuffle.shuffle(keys)
        shuffled.append({key: row[key] for key in keys})
    body = json.dumps({"data": shuffled}, indent=indent, ensure_ascii=shuffle.random() < 0.5).encode()
    decoded = ActivityResponse._from_json(body)
    assert decoded._pending_rows is not None  # msgspec took the body
    fast = decoded.to_arrow()  # straight from the decoded structs, no models made
    assert decoded._pending_rows is not None
    assert len(decoded.data) == len(rows)  # the models made from those structs
    made = decoded.to_arrow()
    slow = ActivityResponse.from_dict(json.loads(body)).to_arrow()  # the dict-per-row way
    assert fast.equals(slow)
    assert made.equals(slow)
    assert fast.to_pylist() == _plain(rows)


# --- analytics queries --------------------------------------------------------------------------


def test_query_columns_are_typed_from_the_meta(analytics: Analytics, demo_url: str) -> None:
    meta = analytics.get_analytics_meta()
    ask = {"metrics": ["total_usage", "request_count", "p50_latency"], "dimensions": ["model"]}
    result = analytics.query_analytics(**ask, granularity="day")
    raw = httpx.post(
        f"{demo_url}/analytics/query",
        json={**ask, "granularity": "day"},
        headers={"Authorization": f"Bearer {KEY}"},
    ).json()["data"]["data"]
    table = result.to_arrow(meta=meta)
    assert table.schema.field("date__day").type == pa.timestamp("ms", tz="UTC")
    assert table.schema.field("total_usage").type == pa.float64()
    assert table.schema.field("request_count").type == pa.int64()
    assert table.schema.field("p50_latency").type == pa.float64()
    assert pa.types.is_dictionary(table.schema.field("model").type)
    assert table.num_rows == len(raw)
    assert close(table.column("total_usage").to_numpy().sum(), math.fsum(row["total_usage"] for row in raw))
    assert sum(table.column("request_count").to_pylist()) == sum(row["request_count"] for row in raw)
    buckets = [dt.datetime.fromisoformat(row["date__day"].replace("Z", "+00:00")) for row in raw]
    assert table.column("date__day").to_pylist() == buckets
    frame = result.to_pandas(meta=meta)
    assert str(frame["date__day"].dtype) == "datetime64[ms, UTC]"
    assert result.to_polars(meta=meta).schema["date__day"] == pl.Datetime("ms", "UTC")


def test_an_empty_query_result_keeps_the_columns_asked_for(analytics: Analytics) -> None:
    meta = analytics.get_analytics_meta()
    empty = AnalyticsQueryResponse.from_dict(
        {"data": {"data": [], "metadata": {"query_time_ms": 1.0, "row_count": 0, "truncated": False}}}
    )
    table = empty.to_arrow(meta=meta, columns=["date__day", "model", "total_usage", "request_count"])
    assert table.num_rows == 0
    assert [(f.name, f.type) for f in table.schema] == [
        ("date__day", pa.timestamp("ms", tz="UTC")),
        ("model", schemas.NAME),
        ("total_usage", pa.float64()),
        ("request_count", pa.int64()),
    ]


def test_query_rows_without_meta_are_typed_by_their_values() -> None:
    rows = [{"model": "a", "n": 1, "cost": 0.5}, {"model": "b", "n": 2, "cost": 1}, {"model": "a"}]
    result = AnalyticsQueryResponse.from_dict(
        {"data": {"data": rows, "metadata": {"query_time_ms": 1.0, "row_count": 3, "truncated": False}}}
    )
    table = result.to_arrow()
    assert table.schema.field("n").type == pa.int64()
    assert table.schema.field("cost").type == pa.float64()
    assert table.column("n").to_pylist() == [1, 2, None]
    assert table.column("cost").to_pylist() == [0.5, 1.0, None]


@pytest.mark.parametrize("with_meta", [True, False])
def test_a_query_count_beyond_int64_is_kept_as_sent(with_meta: bool) -> None:
    metric = {"name": "request_count", "display_label": "Requests", "is_rate": False}
    meta_data = {
        "metrics": [{**metric, "display_format": "number"}],
        "dimensions": [{"name": "model", "display_label": "Model"}],
        "operators": [],
        "granularities": [],
    }
    meta = AnalyticsMetaResponse.from_dict({"data": meta_data}) if with_meta else None
    rows = [{"model": "a", "request_count": 2**63}, {"model": "b", "request_count": 1}]
    result = AnalyticsQueryResponse.from_dict(
        {"data": {"data": rows, "metadata": {"query_time_ms": 1.0, "row_count": 2, "truncated": False}}}
    )
    column = result.to_arrow(meta=meta).column("request_count")
    assert [json.loads(value) for value in column.to_pylist()] == [2**63, 1]


@pytest.mark.parametrize(
    ("sent", "kept", "arrow_type"),
    [([3.0, 1], [3, 1], pa.int64()), ([3.5, 1], [3.5, 1.0], pa.float64())],
)
def test_a_number_metric_keeps_a_fraction_the_server_sent(
    sent: list[Any], kept: list[Any], arrow_type: Any
) -> None:
    meta = AnalyticsMetaResponse.from_dict(
        {
            "data": {
                "metrics": [
                    {
                        "name": "avg_tokens",
                        "display_label": "Tokens",
                        "is_rate": False,
                        "display_format": "number",
                    }
                ],
                "dimensions": [{"name": "model", "display_label": "Model"}],
                "operators": [],
                "granularities": [],
            }
        }
    )
    rows = [{"model": "a", "avg_tokens": sent[0]}, {"model": "b", "avg_tokens": sent[1]}]
    result = AnalyticsQueryResponse.from_dict(
        {"data": {"data": rows, "metadata": {"query_time_ms": 1.0, "row_count": 2, "truncated": False}}}
    )
    column = result.to_arrow(meta=meta).column("avg_tokens")
    assert column.type == arrow_type
    assert column.to_pylist() == kept


# --- summaries ----------------------------------------------------------------------------------


def test_a_summary_table_has_its_rows_then_other(analytics: Analytics) -> None:
    summary = summarize(analytics.get_user_activity(), by="model", top=3)
    assert summary.other is not None
    table = summary.to_arrow()
    assert table.schema == schemas.SUMMARY
    assert table.column("key").to_pylist() == [*(row.key for row in summary.rows), "other"]
    assert table.column("kind").to_pylist() == ["group"] * 3 + ["other"]
    assert close(table.column("cost").to_numpy().sum(), summary.total.cost)
    assert sum(table.column("requests").to_pylist()) == summary.total.requests
    assert sum(table.column("cached_tokens").to_pylist()) == summary.total.cached_tokens
    assert pl.DataFrame(summary).height == 4
    assert summary.to_pandas()["activity_rows"].sum() == summary.total.activity_rows


# --- optional dependencies ----------------------------------------------------------------------


def test_a_group_named_other_is_told_from_the_other_row_by_its_kind() -> None:
    report = ActivityResponse.from_dict(
        {"data": [_row(model="other", usage=3.0), _row(model="a/b", usage=2.0), _row(model="c/d", usage=1.0)]}
    )
    summary = summarize(report, by="model", top=1)
    table = summary.to_arrow()
    assert table.column("key").to_pylist() == ["other", "other"]
    assert table.column("kind").to_pylist() == ["group", "other"]
    assert table.column("cost").to_pylist() == [3.0, 3.0]
    frame = summary.to_pandas()
    assert frame.loc[frame["kind"] == "group", "cost"].sum() == 3.0
    assert str(frame["kind"].dtype) == "category"


def test_a_summary_count_beyond_int64_is_a_clear_error() -> None:
    report = ActivityResponse.from_dict({"data": [_row(requests=2**62), _row(requests=2**62)]})
    summary = summarize(report, by="model")
    with pytest.raises(
        ValueError, match=r"requests of '.+' adds up to 9223372036854775808, which does not fit int64"
    ):
        summary.to_arrow()


def test_focus_keeps_byok_spend_of_either_sign_as_a_charge_of_its_own() -> None:
    from openrouter_analytics.tables.focus import focus_table

    rows = [_row(byok_usage_inference=2.5), _row(), _row(byok_usage_inference=-0.75)]
    charges = focus_table(ActivityResponse.from_dict({"data": rows})).to_pylist()
    assert len(charges) == 5
    byok = [charge for charge in charges if charge["x_Byok"]]
    assert sorted(charge["BilledCost"] for charge in byok) == [-0.75, 2.5]
    assert math.fsum(charge["BilledCost"] for charge in charges) == math.fsum(
        row["usage"] + row["byok_usage_inference"] for row in rows
    )


@pytest.mark.parametrize(
    ("prompt", "completion"),
    [(2**63 - 1, 2**63 - 1), (2**62, 2**62), (2**53 + 1, 0), (123, 456)],
)
def test_focus_quantities_are_the_tokens_to_the_nearest_double_however_large(
    prompt: int, completion: int
) -> None:
    from openrouter_analytics.tables.focus import focus_table

    rows = [_row(prompt_tokens=prompt, completion_tokens=completion)]
    charge = focus_table(ActivityResponse.from_dict({"data": rows})).to_pylist()[0]
    assert charge["ConsumedQuantity"] == charge["PricingQuantity"] == float(prompt + completion)


def _run(code: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_importing_the_package_imports_no_table_library() -> None:
    done = _run(
        "import sys\n"
        "import openrouter_analytics\n"
        "from openrouter_analytics import Analytics, ActivityResponse, AnalyticsQueryResponse, summarize\n"
        "ActivityResponse.from_dict({'data': []})\n"
        "print(sorted(m for m in ('pyarrow', 'pandas', 'polars', 'numpy') if m in sys.modules))\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("blocked", "call", "extra"),
    [
        ("pyarrow", "to_arrow()", "arrow"),
        ("pandas", "to_pandas()", "pandas"),
        ("polars", "to_polars()", "polars"),
        ("pyarrow", "to_pandas()", "arrow"),
    ],
)
def test_a_missing_extra_is_an_import_error_naming_it(blocked: str, call: str, extra: str) -> None:
    done = _run(
        "import sys\n"
        f"sys.modules[{blocked!r}] = None  # as if not installed\n"
        "from openrouter_analytics import ActivityResponse\n"
        "report = ActivityResponse.from_dict({'data': []})\n"
        "try:\n"
        f"    report.{call}\n"
        "except ImportError as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    assert done.returncode == 0, done.stderr
    assert f"pip install 'openrouter-analytics[{extra}]'" in done.stdout
    assert done.stdout.startswith("ImportError")


@pytest.mark.parametrize("module", ["schemas", "focus"])
def test_a_tables_module_imported_without_pyarrow_names_the_extra(module: str) -> None:
    done = _run(
        "import sys\n"
        "sys.modules['pyarrow'] = None  # as if not installed\n"
        "try:\n"
        f"    import openrouter_analytics.tables.{module}\n"
        "except ImportError as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ImportError")
    assert "pip install 'openrouter-analytics[arrow]'" in done.stdout


def _row(**fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "date": "2026-09-01",
        "model": "openai/gpt-4.1",
        "model_permaslug": "openai/gpt-4.1-2025-04-14",
        "provider_name": "OpenAI",
        "endpoint_id": "550e8400-e29b-41d4-a716-446655440000",
        "usage": 0.5,
        "byok_usage_inference": 0.0,
        "requests": 1,
        "prompt_tokens": 10,
        "completion_tokens": 5,
        "reasoning_tokens": 0,
        "cached_tokens": 0,
    }
    row.update(fields)
    return row


def test_activity_item_rows_can_be_handed_over_as_a_list() -> None:
    items = [ActivityItem.from_dict(_row(usage=1.25)), ActivityItem.from_dict(_row(usage=2.5))]
    from openrouter_analytics import tables

    assert tables.to_arrow(items).column("usage").to_pylist() == [1.25, 2.5]


def test_the_table_is_allocated_by_the_system_allocator(raw_rows: list[dict[str, Any]]) -> None:
    # Its buffers reuse the memory the response's body was read into (see tables._build._POOL):
    # the system pool's, or for numbers the array module's (Python's allocator, malloc for them).
    report = ActivityResponse._from_json(json.dumps({"data": raw_rows}).encode())
    system, default = pa.system_memory_pool(), pa.default_memory_pool()
    if default.backend_name == system.backend_name:
        pytest.skip("Arrow's default pool is the system allocator here (ARROW_DEFAULT_MEMORY_POOL)")
    before = system.bytes_allocated(), default.bytes_allocated()
    table = report.to_arrow()
    numbers = sum(
        table.column(field.name).nbytes
        for field in schemas.ACTIVITY
        if field.type in (schemas.MONEY, schemas.COUNT)
    )
    assert system.bytes_allocated() - before[0] >= (table.nbytes - numbers) // 2
    assert default.bytes_allocated() - before[1] < table.nbytes // 10


# --- FOCUS's numbers in CSV ---------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False))
def test_a_focus_csv_number_is_a_decimal_without_an_exponent_that_reads_back_the_same(value: float) -> None:
    from openrouter_analytics.tables.focus import _decimal

    text = _decimal("BilledCost", value)
    assert "e" not in text.lower()
    assert "+" not in text
    assert "." in text
    assert float(text) == value


def test_small_costs_and_large_quantities_are_written_out_in_a_focus_csv() -> None:
    import csv
    import io

    from openrouter_analytics.tables.focus import focus_csv, focus_table

    rows = [_row(usage=5e-05, prompt_tokens=2**62, completion_tokens=0), _row(usage=1.234e-05)]
    text = focus_csv(focus_table(ActivityResponse.from_dict({"data": rows})))
    charges = list(csv.DictReader(io.StringIO(text)))
    assert [charge["BilledCost"] for charge in charges] == ["0.00005", "0.00001234"]
    assert charges[0]["ConsumedQuantity"] == "4611686018427388000.0"
    assert "e-0" not in text
    assert "e+" not in text


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_cost_that_is_not_a_number_is_refused_in_a_focus_csv(value: float) -> None:
    from openrouter_analytics.tables import UnrepresentableValueError
    from openrouter_analytics.tables.focus import focus_csv, focus_table

    table = focus_table(ActivityResponse.from_dict({"data": [_row(usage=value)]}))
    with pytest.raises(
        UnrepresentableValueError, match=r"^BilledCost: .+ is not a number a FOCUS file can hold"
    ):
        focus_csv(table)


@WAYS
@pytest.mark.parametrize(
    ("value", "kept_as"),
    [
        ({}, "{}"),
        ({"a": {}}, '{"a": {}}'),
        ([{}], "[{}]"),
        ({"a": [{}, {"b": {}}]}, '{"a": [{}, {"b": {}}]}'),
    ],
)
def test_an_undeclared_field_holding_an_empty_object_is_kept_as_json_and_parquet_writes_it(
    way: str, value: Any, kept_as: str, tmp_path: Any
) -> None:
    table = _report([_row(meta=value), _row()], way).to_arrow()
    assert table.schema.field("meta").type == pa.string()
    assert table.column("meta").to_pylist() == [kept_as, None]
    pq.write_table(table, tmp_path / "report.parquet")
    assert pq.read_table(tmp_path / "report.parquet").equals(table)


def test_an_undeclared_field_holding_objects_with_fields_stays_a_struct() -> None:
    table = _report([_row(meta={"m": {"x": 1}}), _row(meta={"m": {"x": 2}})], "decoded").to_arrow()
    assert table.schema.field("meta").type == pa.struct([("m", pa.struct([("x", pa.int64())]))])


def test_a_query_column_of_empty_objects_is_kept_as_json_and_parquet_writes_it(tmp_path: Any) -> None:
    rows = [{"model": "a", "extra_col": {}}, {"model": "b", "extra_col": {"k": {}}}]
    result = AnalyticsQueryResponse.from_dict(
        {"data": {"data": rows, "metadata": {"query_time_ms": 1.0, "row_count": 2, "truncated": False}}}
    )
    table = result.to_arrow()
    assert table.column("extra_col").to_pylist() == ["{}", '{"k": {}}']
    pq.write_table(table, tmp_path / "query.parquet")


def test_a_focus_file_s_own_counts_add_up_to_the_report_s_with_byok_charges_among_them() -> None:
    from openrouter_analytics.tables.focus import focus_table

    rows = [_row(byok_usage_inference=2.5, requests=7, prompt_tokens=100), _row(requests=3, cached_tokens=4)]
    charges = focus_table(ActivityResponse.from_dict({"data": rows})).to_pylist()
    assert len(charges) == 3
    for name, field in [("x_Requests", "requests"), ("x_PromptTokens", "prompt_tokens"),
                        ("x_CompletionTokens", "completion_tokens"), ("x_CachedTokens", "cached_tokens"),
                        ("x_ReasoningTokens", "reasoning_tokens")]:  # fmt: skip
        assert sum(charge[name] or 0 for charge in charges) == sum(row[field] for row in rows)
    (byok,) = [charge for charge in charges if charge["x_Byok"]]
    assert byok["x_Requests"] is None
    assert byok["ConsumedQuantity"] == byok["PricingQuantity"] == 105.0  # each charge's quantity


def test_a_focus_file_names_the_key_hash_as_the_api_takes_it() -> None:
    from openrouter_analytics.tables.focus import focus_table

    typed = "4ADF7CC5" + "ab12" * 14
    table = focus_table(ActivityResponse.from_dict({"data": [_row()]}), api_key_hash=typed)
    assert table.column("x_ApiKeyHash").to_pylist() == [typed.lower()]


@pytest.mark.parametrize("columns", ["model", [1], ["model", ""], {"model": 1}])
def test_columns_that_are_not_a_list_of_names_are_refused(columns: Any) -> None:
    from openrouter_analytics.errors import InvalidParameterError

    result = AnalyticsQueryResponse.from_dict(
        {
            "data": {
                "data": [{"model": "a"}],
                "metadata": {"query_time_ms": 1.0, "row_count": 1, "truncated": False},
            }
        }
    )
    with pytest.raises(InvalidParameterError, match=r"^columns must be a list of column names") as refused:
        result.to_arrow(columns=columns)
    assert refused.value.parameter == "columns"


def _currency_meta() -> AnalyticsMetaResponse:
    metric = {"name": "total_usage", "display_label": "Cost", "is_rate": False, "display_format": "currency"}
    return AnalyticsMetaResponse.from_dict(
        {
            "data": {
                "metrics": [metric],
                "dimensions": [{"name": "model", "display_label": "Model"}],
                "operators": [],
                "granularities": [],
            }
        }
    )


def _query(rows: list[dict[str, Any]]) -> AnalyticsQueryResponse:
    metadata = {"query_time_ms": 1.0, "row_count": len(rows), "truncated": False}
    return AnalyticsQueryResponse.from_dict({"data": {"data": rows, "metadata": metadata}})


@pytest.mark.parametrize("with_meta", [True, False])
@pytest.mark.parametrize("whole", [2**53 + 1, 10**30])
def test_query_money_written_as_a_whole_number_beyond_a_double_s_exact_range_is_still_money(
    with_meta: bool, whole: int
) -> None:
    result = _query([{"model": "a", "total_usage": whole}, {"model": "b", "total_usage": 0.5}])
    table = result.to_arrow(meta=_currency_meta() if with_meta else None)
    assert table.schema.field("total_usage").type == pa.float64()
    assert table.column("total_usage").to_pylist() == [float(whole), 0.5]


@pytest.mark.parametrize("with_meta", [True, False])
def test_a_boolean_in_a_query_metric_is_kept_as_sent_not_read_as_a_number(with_meta: bool) -> None:
    result = _query([{"model": "a", "total_usage": True}, {"model": "b", "total_usage": 0.5}])
    column = result.to_arrow(meta=_currency_meta() if with_meta else None).column("total_usage")
    assert column.type == pa.string()
    assert column.to_pylist() == ["true", "0.5"]
