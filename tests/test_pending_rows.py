"""A decoded report keeps its rows as msgspec decoded them until ``data`` is first read.

Whatever is done with such a report (compare, print, pickle, copy, read from many threads, set
``data`` over it) behaves as it does for the report made the plain way, from a dict.
"""

from __future__ import annotations

import copy
import json
import multiprocessing
import pickle
import subprocess
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

import attrs
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


def test_data_set_before_it_is_read_replaces_the_decoded_rows(plain: ActivityResponse) -> None:
    set_on_plain = ActivityResponse.from_dict(json.loads(_body()))
    set_on_plain.data = plain.data[:2]
    for report in (_pending(), ActivityResponse.from_dict(json.loads(_body()))):
        report.data = plain.data[:2]
        assert pickle.loads(pickle.dumps(report)) == report  # noqa: S301 - our own bytes
        assert attrs.asdict(report) == attrs.asdict(set_on_plain)
        del report.data
        with pytest.raises(AttributeError):
            report.data  # noqa: B018 - the rows decoded before are gone, as set over


def test_a_report_pickled_before_rows_were_pending_pickles_and_copies_again(plain: ActivityResponse) -> None:
    # What a report pickled by the release before carries: its fields, no _pending_rows.
    older = object.__new__(ActivityResponse)
    older.__setstate__({"data": plain.data, "additional_properties": {"cursor": "next"}})
    assert pickle.loads(pickle.dumps(older)) == plain  # noqa: S301 - our own bytes
    assert copy.copy(older) == plain
    assert attrs.asdict(older) == attrs.asdict(plain)


def _interrupted_while_making_rows(report: ActivityResponse) -> None:
    """Read ``report.data`` with a KeyboardInterrupt (Ctrl-C) landing part way through the rows."""
    lines = 0

    def in_maker(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal lines
        lines += 1
        if lines == 400:
            raise KeyboardInterrupt
        return in_maker

    def tracer(frame: FrameType, event: str, arg: object) -> Any:
        return in_maker if frame.f_code.co_name == "_rows_from_wires" else None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        with pytest.raises(KeyboardInterrupt):
            report.data  # noqa: B018
    finally:
        sys.settrace(previous)


def _rows_read_again(report: ActivityResponse, how: str) -> int | str:
    """How many rows reading the report again gives, or what the error says."""
    try:
        return len(report.data) if how == "data" else report.to_arrow().num_rows
    except RuntimeError as error:
        return str(error)


@pytest.mark.parametrize("how", ["data", "to_arrow"])
def test_rows_interrupted_while_made_never_read_as_fewer(plain: ActivityResponse, how: str) -> None:
    report = _pending()
    _interrupted_while_making_rows(report)
    outcome = _rows_read_again(report, how)
    assert outcome == len(plain.data) or "interrupted" in str(outcome), outcome


_FORKED_READER = """
import json, multiprocessing, sys, threading
sys.path.insert(0, {tests!r})
from test_pending_rows import _body
from openrouter_analytics_client.models import ActivityResponse

def child(report, answers):
    answers.put(len(report.data))

if __name__ == "__main__":
    busy, report = ActivityResponse._from_json(_body()), ActivityResponse._from_json(_body())
    reading, done = threading.Event(), threading.Event()
    # Another thread is building a table of its report when this one forks.
    table = threading.Thread(target=busy._read_pending_rows, args=(lambda *_: (reading.set(), done.wait()),))
    table.start()
    reading.wait()
    fork = multiprocessing.get_context("fork")
    answers = fork.Queue()
    process = fork.Process(target=child, args=(report, answers))
    process.start()
    done.set()
    table.join()
    process.join(10)
    if process.is_alive():
        process.kill()
        sys.exit("the forked process never read its report's rows")
    print(answers.get(timeout=5))
"""

_READ_WHILE_READING = """
import sys
sys.path.insert(0, {tests!r})
from test_pending_rows import _body
from openrouter_analytics_client.models import ActivityResponse

report, other = ActivityResponse._from_json(_body()), ActivityResponse._from_json(_body())

def read(structs, extra_key):
    # What a debugger stopped in a table's build does when it shows the reports in scope.
    return len(other.data), len(report.data), len(structs), structs[299].requests

print(report._read_pending_rows(read), len(report.data))
"""


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code.format(tests=str(Path(__file__).parent))],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_a_process_forked_while_another_thread_reads_rows_can_read_its_own() -> None:
    finished = _run(_FORKED_READER)
    assert (finished.returncode, finished.stdout.strip()) == (0, "300"), finished.stderr


def test_rows_read_in_the_thread_that_is_reading_the_structs() -> None:
    finished = _run(_READ_WHILE_READING)
    assert (finished.returncode, finished.stdout.strip()) == (0, "(300, 300, 300, 299) 300"), finished.stderr


def test_making_the_rows_starts_no_garbage_collection() -> None:
    # The models are made with the collector paused; the first allocation after that would start
    # a collection over every one of them, so none may happen before `.data` returns.
    import gc

    report = ActivityResponse._from_json(_body(5000))  # far more models than a collection's threshold
    collections: list[dict[str, Any]] = []

    def seen(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            collections.append(info)

    gc.collect()  # the counts start from nothing, far from a collection's threshold
    gc.callbacks.append(seen)
    try:
        rows = report.data
    finally:
        gc.callbacks.remove(seen)
    assert len(rows) == 5000
    assert collections == []
