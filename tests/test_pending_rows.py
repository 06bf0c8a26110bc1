"""A decoded report keeps its rows as msgspec decoded them until ``data`` is first read.

Whatever is done with such a report (compare, print, pickle, copy, read from many threads, set
``data`` over it) behaves as it does for the report made the plain way, from a dict.
"""

from __future__ import annotations

import copy
import json
import pickle
import threading
from typing import Any

import pytest

from openrouter_analytics_client.models import ActivityItem, ActivityResponse


def _body(count: int = 300) -> bytes:
    rows = [
        {
            "date": f"2026-01-{index % 28 + 1:02d}",
            "model": ["openai/gpt-4.1", "anthropic/claude-sonnet"][index % 2],
            "model_permaslug": "p",
            "provider_name": "OpenAI",
            "endpoint_id": f"e{index % 7}",
            "usage": index / 8,
            "byok_usage_inference": 0.0,
            "requests": index,
            "prompt_tokens": 2 * index,
            "completion_tokens": 3,
            "reasoning_tokens": 0,
            "cached_tokens": index % 5,
            **({"api_key_name": f"key {index}"} if index % 3 == 0 else {}),
        }
        for index in range(count)
    ]
    return json.dumps({"data": rows, "cursor": "next"}).encode()


def _pending() -> ActivityResponse:
    report = ActivityResponse._from_json(_body())
    assert report._pending_rows is not None
    return report


@pytest.fixture
def plain() -> ActivityResponse:
    return ActivityResponse.from_dict(json.loads(_body()))


def test_the_rows_are_made_once_on_first_read(plain: ActivityResponse) -> None:
    report = _pending()
    rows = report.data
    assert report._pending_rows is None
    assert report.data is rows
    assert rows == plain.data
    assert all(type(row) is ActivityItem for row in rows)
    assert rows[3].additional_properties == {"api_key_name": "key 3"}
    assert report.additional_properties == {"cursor": "next"}


@pytest.mark.parametrize(
    "view",
    [
        pytest.param(lambda report: report, id="itself"),
        pytest.param(
            lambda report: pickle.loads(pickle.dumps(report)),  # noqa: S301 - our own bytes
            id="pickled",
        ),
        pytest.param(copy.copy, id="copy"),
        pytest.param(copy.deepcopy, id="deepcopy"),
    ],
)
def test_a_pending_report_equals_the_plain_one(view: Any, plain: ActivityResponse) -> None:
    seen = view(_pending())
    assert seen == plain
    assert plain == seen
    assert seen.to_dict() == plain.to_dict()


def test_repr_and_to_dict_show_the_rows(plain: ActivityResponse) -> None:
    assert repr(_pending()) == repr(plain)
    assert _pending().to_dict() == plain.to_dict()


def test_threads_reading_data_at_once_all_get_the_same_rows(plain: ActivityResponse) -> None:
    for _ in range(20):
        report = _pending()
        start = threading.Barrier(8)
        seen: list[Any] = []

        def read(
            as_rows: bool,
            report: ActivityResponse = report,
            start: threading.Barrier = start,
            seen: list[Any] = seen,
        ) -> None:
            start.wait()
            seen.append(report.data if as_rows else report.to_arrow().num_rows)

        threads = [threading.Thread(target=read, args=(index % 2 == 0,)) for index in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        lists = [value for value in seen if isinstance(value, list)]
        assert len(seen) == 8
        assert len(lists) == 4
        assert all(value is lists[0] for value in lists)
        assert lists[0] == plain.data
        assert all(value == 300 for value in seen if isinstance(value, int))


def test_data_set_over_the_pending_rows_wins() -> None:
    report = _pending()
    report.data = []
    assert report.data == []
    assert report.to_arrow().num_rows == 0
    assert report._pending_rows is None


def test_other_missing_attributes_are_still_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'rows'") as raised:
        _pending().rows  # noqa: B018
    assert raised.value.name == "rows"
