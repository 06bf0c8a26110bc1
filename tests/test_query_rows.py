"""Query rows are read-only mappings of their columns; time_bucket() reads the bucket; summaries
and their rows give plain dicts."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from collections.abc import Mapping

import pytest

from openrouter_analytics import ActivityItem, AnalyticsQueryRow, summarize, time_bucket
from openrouter_analytics.errors import InvalidParameterError
from openrouter_analytics_client.models import AnalyticsQueryResponse

BODY = {
    "data": {
        "data": [
            {"date__week": "2026-08-31T00:00:00.000Z", "model": "openai/gpt-4.1", "total_usage": 1.25},
            {"date__week": "2026-09-07T00:00:00.000Z", "model": "openai/gpt-4.1", "total_usage": 2.5},
        ],
        "metadata": {"truncated": False, "query_time_ms": 3, "row_count": 2},
    }
}


def rows() -> list[AnalyticsQueryRow]:
    return AnalyticsQueryResponse._from_json(json.dumps(BODY).encode()).data.data


def test_a_row_is_a_mapping_of_its_columns_in_the_order_received() -> None:
    row, _ = rows()
    sent = BODY["data"]["data"][0]  # type: ignore[index]

    assert isinstance(row, Mapping)
    assert dict(row) == sent
    assert list(row) == ["date__week", "model", "total_usage"]
    assert len(row) == 3
    assert list(row.keys()) == list(sent)
    assert list(row.items()) == list(sent.items())
    assert row.get("model") == "openai/gpt-4.1"
    assert row.get("provider") is None
    assert row.get("provider", "-") == "-"
    assert "model" in row
    assert "provider" not in row
    assert 0 not in row


def test_a_row_is_read_only() -> None:
    row, _ = rows()

    with pytest.raises(TypeError):
        row["model"] = "x"  # type: ignore[index]
    with pytest.raises(TypeError):
        del row["model"]  # type: ignore[attr-defined]
    assert row["model"] == "openai/gpt-4.1"


def test_rows_compare_pickle_and_make_a_dataframe_with_a_column_per_key() -> None:
    pandas = pytest.importorskip("pandas")
    first, second = rows()

    assert pickle.loads(pickle.dumps(first)) == first  # noqa: S301 - our own bytes
    assert first != second
    frame = pandas.DataFrame(rows())
    assert list(frame.columns) == ["date__week", "model", "total_usage"]
    assert frame["total_usage"].tolist() == [1.25, 2.5]


def test_time_bucket_is_the_bucket_start_in_utc_and_the_raw_value_stays() -> None:
    first, second = rows()

    assert time_bucket(first) == dt.datetime(2026, 8, 31, tzinfo=dt.UTC)
    assert time_bucket(second) == dt.datetime(2026, 9, 7, tzinfo=dt.UTC)
    assert time_bucket(first).tzinfo is not None  # type: ignore[union-attr]
    assert first["date__week"] == "2026-08-31T00:00:00.000Z"
    assert time_bucket(AnalyticsQueryRow.from_dict({"model": "x"})) is None
    offset = AnalyticsQueryRow.from_dict({"date__hour": "2026-09-01T02:00:00+02:00"})
    assert time_bucket(offset) == dt.datetime(2026, 9, 1, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "value",
    ["yesterday", "2026-09-01T00:00:00", 5, None, "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"],
)
def test_time_bucket_refuses_a_value_that_names_no_instant(value: object) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        time_bucket(AnalyticsQueryRow.from_dict({"date__day": value}))

    assert caught.value.parameter == "row"
    assert "date__day" in str(caught.value)


def test_summary_and_its_rows_give_plain_json_documents() -> None:
    items = [
        ActivityItem.from_dict(
            {
                "date": f"2026-09-0{day}",
                "model": model,
                "model_permaslug": model,
                "endpoint_id": "e",
                "provider_name": "P",
                "usage": usage,
                "byok_usage_inference": 0.0,
                "requests": 2,
                "prompt_tokens": 10,
                "completion_tokens": 5,
                "reasoning_tokens": 0,
                "cached_tokens": 0,
            }
        )
        for day, model, usage in [(1, "a/x", 0.1), (2, "a/x", 0.2), (2, "b/y", 0.7), (3, "c/z", 0.05)]
    ]
    summary = summarize(items, by="model", top=1)

    document = summary.to_dict()

    assert json.loads(json.dumps(document)) == document
    assert list(document) == ["by", "rows", "total", "other", "other_groups", "first_date", "last_date"]
    assert document["by"] == "model"
    assert [row["key"] for row in document["rows"]] == ["b/y"]
    assert document["rows"][0] == summary.rows[0].to_dict()
    assert document["rows"][0]["cost"] == 0.7
    assert document["other"]["cost"] == summary.other.cost  # type: ignore[union-attr]
    assert document["other_groups"] == 2
    assert document["total"]["requests"] == 8
    assert document["total"]["activity_rows"] == 4
    assert (document["first_date"], document["last_date"]) == ("2026-09-01", "2026-09-03")
    assert summarize(items, by="model").to_dict()["other"] is None
