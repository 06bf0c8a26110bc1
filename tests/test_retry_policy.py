"""The retry policy as a table: which statuses are retried, and how long each wait is."""

from __future__ import annotations

import email.utils

import pytest

from openrouter_analytics import _constants as constants
from openrouter_analytics._retry import requested_delay, retry_delay, should_retry_status

NOW = 1_750_000_000.0


@pytest.mark.parametrize(
    ("status", "retried"),
    [
        (408, True),
        (409, True),
        (429, True),
        (500, True),
        (502, True),
        (503, True),
        (504, True),
        (400, False),
        (401, False),
        (403, False),
        (404, False),
        (418, False),
        (501, False),
        (529, False),
        (302, False),
    ],
)
def test_should_retry_status(status: int, retried: bool) -> None:
    assert should_retry_status(status) is retried


@pytest.mark.parametrize(
    ("attempt", "jitter", "expected"),
    [
        (0, 0.0, 0.5),
        (1, 0.0, 1.0),
        (2, 0.0, 2.0),
        (3, 0.0, 4.0),
        (4, 0.0, 8.0),
        (5, 0.0, 8.0),
        (1000, 0.0, 8.0),
        (0, 1.0, 0.375),
        (4, 1.0, 6.0),
        (2, 0.5, 1.75),
    ],
)
def test_backoff_without_server_advice(attempt: int, jitter: float, expected: float) -> None:
    assert retry_delay(attempt, {}, jitter=jitter) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "1"}, 1.0),
        ({"retry-after": "2.5"}, 2.5),
        ({"retry-after": "8"}, 8.0),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "100", "retry-after": "5"}, 0.1),
        ({"retry-after": email.utils.formatdate(NOW + 3, usegmt=True)}, 3.0),
    ],
)
def test_server_advice_within_the_cap_is_honoured(headers: dict[str, str], expected: float) -> None:
    assert retry_delay(5, headers, jitter=0.0, now=NOW) == pytest.approx(expected)


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "3600"},
        {"retry-after": "8.01"},
        {"retry-after-ms": "60000"},
        {"retry-after": email.utils.formatdate(NOW + 3600, usegmt=True)},
    ],
)
def test_server_advice_beyond_the_cap_means_do_not_wait(headers: dict[str, str]) -> None:
    assert retry_delay(0, headers, now=NOW) is None


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "0"},
        {"retry-after-ms": "0"},
        {"retry-after": email.utils.formatdate(NOW - 60, usegmt=True)},
    ],
)
def test_server_advice_of_no_wait_falls_back_to_backoff(headers: dict[str, str]) -> None:
    """ "Now" would bring every retry back at once; the backoff spaces them as without advice."""
    assert requested_delay(headers, now=NOW) == 0.0
    assert retry_delay(0, headers, jitter=0.0, now=NOW) == 0.5
    assert retry_delay(1, headers, jitter=0.0, now=NOW) == 1.0


@pytest.mark.parametrize(
    "value",
    ["soon", "-1", "nan", "inf", "", "Mon, 99 Foo 2025 99:99:99 GMT", "1e999"],
)
def test_unreadable_retry_after_falls_back_to_backoff(value: str) -> None:
    assert requested_delay({"retry-after": value}, now=NOW) is None
    assert retry_delay(0, {"retry-after": value}, jitter=0.0, now=NOW) == 0.5


def test_unreadable_retry_after_ms_falls_back_to_retry_after() -> None:
    assert requested_delay({"retry-after-ms": "x", "retry-after": "2"}) == 2.0


def test_http_date_without_zone_is_read_as_gmt() -> None:
    assert requested_delay({"retry-after": "Wed, 21 Oct 2015 07:28:00"}, now=1445412470.0) == pytest.approx(
        10.0
    )


def test_no_headers_means_no_server_advice() -> None:
    assert requested_delay(None) is None
    assert requested_delay({}) is None


def test_jitter_only_shortens_the_wait() -> None:
    waits = {retry_delay(1) for _ in range(200)}
    assert all(0.75 <= w <= 1.0 for w in waits if w is not None)
    assert len(waits) > 1


@pytest.mark.parametrize(
    ("elapsed", "headers", "expected"),
    [
        (0.0, {}, 0.5),
        (24.5, {}, 0.5),
        (24.6, {}, None),
        (17.0, {"retry-after": "8"}, 8.0),
        (17.1, {"retry-after": "8"}, None),
        (24.5, {"retry-after": "0"}, 0.5),
        (24.6, {"retry-after": "0"}, None),
    ],
)
def test_no_wait_ends_beyond_the_retry_window(
    elapsed: float, headers: dict[str, str], expected: float | None
) -> None:
    assert retry_delay(0, headers, elapsed=elapsed, jitter=0.0) == expected


def test_defaults_bound_a_failing_call_well_under_a_minute() -> None:
    """The last retry starts within the retry window, and one attempt can take at most its
    connect and read timeouts (a GET writes next to nothing).
    """
    connect, read = constants.DEFAULT_CONNECT_TIMEOUT, constants.DEFAULT_READ_TIMEOUT
    assert constants.RETRY_WINDOW + connect + read <= 40


def test_defaults_give_a_stalled_server_every_attempt() -> None:
    read = constants.DEFAULT_READ_TIMEOUT
    elapsed = 0.0
    for attempt in range(constants.DEFAULT_MAX_RETRIES):
        elapsed += read
        delay = retry_delay(attempt, elapsed=elapsed, jitter=0.0)
        assert delay is not None
        elapsed += delay
    assert elapsed + read < 35
