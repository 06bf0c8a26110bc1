"""The error tree and the factory that builds an error from an answer."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import httpx
import pytest

from openrouter_analytics import errors
from openrouter_analytics.errors import RequestInfo, make_api_error
from openrouter_analytics.notify import SentStoreError

REQUEST = RequestInfo("GET", "https://openrouter.ai/api/v1/activity")


def build(
    status: int, content: bytes, content_type: str = "application/json", **kwargs: object
) -> errors.APIError:
    options: dict[str, object] = {"request_id": None, "retry_after": None, **kwargs}
    return make_api_error(
        status_code=status,
        content=content,
        headers={"content-type": content_type},
        request=REQUEST,
        **options,  # type: ignore[arg-type]
    )


def test_the_tree_matches_the_module_docstring() -> None:
    assert issubclass(errors.InvalidParameterError, errors.OpenRouterError)
    assert issubclass(errors.InvalidParameterError, ValueError)
    assert issubclass(errors.APIError, errors.OpenRouterError)
    assert issubclass(errors.APIConnectionError, errors.OpenRouterError)
    assert issubclass(errors.APITimeoutError, errors.APIConnectionError)
    assert issubclass(errors.ResponseValidationError, errors.OpenRouterError)
    assert not issubclass(errors.ResponseValidationError, errors.APIError)
    doc = errors.__doc__ or ""
    for name in errors.__all__:
        if name.endswith("Error"):
            assert name in doc


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, errors.BadRequestResponseError),
        (401, errors.UnauthorizedResponseError),
        (403, errors.ForbiddenResponseError),
        (404, errors.NotFoundResponseError),
        (408, errors.RequestTimeoutResponseError),
        (429, errors.TooManyRequestsResponseError),
        (500, errors.InternalServerResponseError),
    ],
)
def test_each_documented_status_has_its_own_class(status: int, error_class: type[errors.APIError]) -> None:
    assert errors.STATUS_ERRORS[status] is error_class
    assert type(build(status, b"")) is error_class
    assert issubclass(error_class, errors.APIError)


@pytest.mark.parametrize("status", [300, 302, 405, 418, 422, 501, 502, 503, 504, 529, 599])
def test_any_other_status_is_a_plain_api_error(status: int) -> None:
    assert type(build(status, b"")) is errors.APIError


def test_the_message_comes_from_the_json_envelope() -> None:
    error = build(403, json.dumps({"error": {"code": 403, "message": "Only management keys"}}).encode())
    assert error.message == "Only management keys"
    assert error.body == {"error": {"code": 403, "message": "Only management keys"}}
    assert str(error) == "Error code 403 Forbidden: Only management keys"


def test_a_non_envelope_json_body_is_kept_and_described() -> None:
    error = build(418, b'{"teapot": true}')
    assert error.body == {"teapot": True}
    assert error.message == "HTTP 418 I'm a Teapot with a 16-byte application/json body"
    assert '{"teapot": true}' in str(error)


def test_a_text_body_is_kept_as_text() -> None:
    error = build(502, b"<html>Bad gateway</html>", "text/html")
    assert error.body == "<html>Bad gateway</html>"
    assert error.message == "HTTP 502 Bad Gateway with a 24-byte text/html body"


def test_a_huge_body_is_capped_in_str_but_kept_whole() -> None:
    body = b"x" * 100_000
    error = build(503, body, "text/plain")
    assert error.body == body.decode()
    assert len(str(error)) < 500
    assert "more characters" in str(error)


def test_an_empty_body_is_none() -> None:
    error = build(504, b"")
    assert error.body is None
    assert str(error) == "Error code 504 Gateway Timeout: HTTP 504 Gateway Timeout"


def test_a_status_unknown_to_the_standard_library_still_reads_well() -> None:
    assert str(build(529, b"")).startswith("Error code 529: HTTP 529")


def test_request_id_and_retry_after_are_carried() -> None:
    error = build(429, b"", request_id="req-7", retry_after=12.0)
    assert isinstance(error, errors.TooManyRequestsResponseError)
    assert error.request_id == "req-7"
    assert error.retry_after == 12.0
    assert "req-7" in str(error)
    assert error.request == REQUEST
    assert str(error.request) == "GET https://openrouter.ai/api/v1/activity"


def test_redact_scrubs_secrets_from_the_text_shown() -> None:
    error = build(
        401,
        json.dumps({"error": {"code": 401, "message": "bad key sk-or-secret"}}).encode(),
        redact=lambda text: text.replace("sk-or-secret", "[redacted]"),
    )
    assert "sk-or-secret" not in str(error)
    assert "sk-or-secret" not in repr(error)
    assert error.message == "bad key [redacted]"


def test_invalid_body_envelopes_fall_back_to_a_description() -> None:
    for content in (b'{"error": "flat string"}', b'{"error": {"message": 5}}', b"[1, 2]", b"null"):
        error = build(400, content)
        assert error.message.startswith("HTTP 400 Bad Request")


def test_response_validation_error_says_where_and_what() -> None:
    error = errors.ResponseValidationError(
        "required field is missing",
        location="data[41].usage",
        status_code=200,
        body="{}",
        headers={},
        request=REQUEST,
        request_id="req-9",
    )
    assert str(error) == (
        "The 200 response does not match the API spec at data[41].usage: required field is missing "
        "(request id req-9)"
    )


def test_invalid_parameter_error_names_the_parameter() -> None:
    error = errors.InvalidParameterError("date", "date must be ...")
    assert error.parameter == "date"
    assert str(error) == "date must be ..."


# -- pickling ------------------------------------------------------------------------------------

HEADERS = httpx.Headers(
    [
        ("content-type", "application/json"),
        ("x-request-id", "req-p"),
        ("set-cookie", "a=1"),
        ("set-cookie", "b=2"),
    ]
)


def _every_error() -> dict[str, errors.OpenRouterError]:
    """One instance of every OpenRouterError class, each with all its attributes set."""
    made: dict[str, errors.OpenRouterError] = {
        "OpenRouterError": errors.OpenRouterError("This Analytics client is closed"),
        "InvalidParameterError": errors.InvalidParameterError(
            "filters[1].value", "filters[1].value must be a string or a finite number, got bool True"
        ),
        "APIConnectionError": errors.APIConnectionError("GET ... failed (ConnectError)", request=REQUEST),
        "APITimeoutError": errors.APITimeoutError("GET ... timed out (ReadTimeout)", request=REQUEST),
        "ResponseValidationError": errors.ResponseValidationError(
            "required field is missing",
            location="data.metadata.truncated",
            status_code=200,
            body='{"data": {}}',
            headers=HEADERS,
            request=RequestInfo("POST", "https://openrouter.ai/api/v1/analytics/query"),
            request_id="req-v",
        ),
        "APIError": make_api_error(
            status_code=502,
            content=b"<html>bad gateway</html>",
            headers=HEADERS,
            request=REQUEST,
            request_id="req-p",
            retry_after=None,
        ),
    }
    # The capabilities' errors, imported here so the set of subclasses does not depend on the
    # tests that ran before.
    made["SentStoreError"] = SentStoreError(Path("/var/lib/history.sqlite3"), "file is not a database")
    for status, cls in errors.STATUS_ERRORS.items():
        made[cls.__name__] = make_api_error(
            status_code=status,
            content=json.dumps({"error": {"code": status, "message": f"server says {status}"}}).encode(),
            headers=HEADERS,
            request=REQUEST,
            request_id="req-p",
            retry_after=1.5,
        )
    # The local history's errors (openrouter_analytics.history), each naming its file.
    from openrouter_analytics import history

    for cls in (
        history.HistoryError,
        history.HistoryFileError,
        history.AccountMismatchError,
        history.NotInHistoryError,
    ):
        made[cls.__name__] = cls(f"the history history.sqlite3: {cls.__name__}", path="history.sqlite3")
    return made


EVERY_ERROR = _every_error()
ATTRIBUTES = (
    "status_code",
    "message",
    "request_id",
    "request",
    "retry_after",
    "body",
    "headers",
    "parameter",
)
ATTRIBUTES += ("location", "problem", "path")


def roundtrip(error: errors.OpenRouterError, protocol: int = pickle.DEFAULT_PROTOCOL) -> Any:
    """The error after a trip through pickle, as a process pool sends it back."""
    return pickle.loads(pickle.dumps(error, protocol=protocol))  # noqa: S301 - our own bytes


def _subclasses(cls: type[errors.OpenRouterError]) -> set[type[errors.OpenRouterError]]:
    found = {cls}
    for sub in cls.__subclasses__():
        found |= _subclasses(sub)
    return found


def test_every_error_class_is_among_those_pickled() -> None:
    assert {cls.__name__ for cls in _subclasses(errors.OpenRouterError)} == set(EVERY_ERROR)
    assert {type(error) for error in EVERY_ERROR.values()} == _subclasses(errors.OpenRouterError)


@pytest.mark.parametrize("name", list(EVERY_ERROR))
def test_every_error_survives_pickle_with_its_attributes(name: str) -> None:
    error = EVERY_ERROR[name]
    copy = roundtrip(error)
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.args == error.args
    present = [attribute for attribute in ATTRIBUTES if hasattr(error, attribute)]
    for attribute in present:
        assert getattr(copy, attribute) == getattr(error, attribute), attribute
    assert vars(copy) == vars(error)
    if isinstance(error, errors.APIError):
        assert {"status_code", "message", "request_id", "request", "retry_after", "body", "headers"} <= set(
            present
        )
        assert copy.headers.get_list("set-cookie") == ["a=1", "b=2"]  # type: ignore[attr-defined]
    # It can still be raised and caught as what it was.
    with pytest.raises(type(error)):
        raise copy


def test_a_pickled_invalid_parameter_error_is_still_a_value_error_naming_the_parameter() -> None:
    copy = roundtrip(EVERY_ERROR["InvalidParameterError"])
    assert isinstance(copy, ValueError)
    assert copy.parameter == "filters[1].value"


def test_a_pickled_error_leaves_its_cause_and_traceback_behind() -> None:
    try:
        try:
            raise ConnectionResetError("peer reset")
        except ConnectionResetError as low:
            raise errors.APIConnectionError("GET ... failed", request=REQUEST) from low
    except errors.APIConnectionError as error:
        copy = roundtrip(error)
    assert copy.__cause__ is None
    assert copy.__traceback__ is None
    assert copy.request == REQUEST


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_every_pickle_protocol_works(protocol: int) -> None:
    for error in EVERY_ERROR.values():
        assert str(roundtrip(error, protocol)) == str(error)


def test_every_status_class_is_drawn_under_api_error_with_its_status() -> None:
    # 408 among them: RequestTimeoutResponseError came with the 2026-08-22 spec.
    assert errors.STATUS_ERRORS[408] is errors.RequestTimeoutResponseError
    tree = (errors.__doc__ or "").partition("OpenRouterError\n")[2].partition("\n\n")[0].splitlines()
    for status, cls in errors.STATUS_ERRORS.items():
        assert issubclass(cls, errors.APIError)
        line = next(line for line in tree if f" {cls.__name__} " in line)
        assert line.lstrip().startswith(("│   ├── ", "│   └── ")), line  # one level below APIError
        assert str(status) in line.split(), line


LONG = "m" * 5000 + "\x1b[2J\r\nFAKE: all is well"
SHORT = "\x1b]0;owned\x07 bad \u202egnp.exe"


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (json.dumps({"error": {"code": 400, "message": LONG}}).encode(), "application/json"),
        (LONG.encode(), "text/plain"),
        (json.dumps({"error": {"code": 400, "message": SHORT}}).encode(), "application/json"),
        (SHORT.encode(), "text/plain"),
    ],
    ids=["long envelope", "long text", "short envelope", "short text"],
)
def test_str_shows_at_most_300_characters_of_the_servers_text_and_no_control_characters(
    content: bytes, content_type: str
) -> None:
    """What a traceback or a log prints of an error: the server's text cut, its escape
    sequences, line breaks and direction overrides written as escapes; ``body`` keeps it all."""
    error = build(400, content, content_type)
    shown = str(error)
    assert len(shown) < 450
    assert not any(char in shown for char in "\x1b\r\n\x07\u202e")
    if SHORT.encode() in content:
        assert "\\x1b]0;owned\\x07 bad \\u202egnp.exe" in shown
    text = error.body if isinstance(error.body, str) else error.body["error"]["message"]
    assert text in (LONG, SHORT)
