"""Every error the facade raises.

The names of the status errors follow the error table of OpenRouter's API reference::

    OpenRouterError
    ├── InvalidParameterError (also ValueError)   an argument was refused before anything was sent
    ├── APIError                                  any non-2xx answer
    │   ├── BadRequestResponseError               400
    │   ├── UnauthorizedResponseError             401
    │   ├── ForbiddenResponseError                403
    │   ├── NotFoundResponseError                 404
    │   ├── RequestTimeoutResponseError           408 (raised once retries are spent)
    │   ├── TooManyRequestsResponseError          429 (raised once retries are spent)
    │   └── InternalServerResponseError           500
    ├── APIConnectionError                        refused, reset, closed mid-body, DNS, ...
    │   └── APITimeoutError
    └── ResponseValidationError                   a 2xx answer whose body breaks the spec

Each class is named after the response schema the spec documents for its status, plus
``Error``; any other non-2xx status (3xx, 418, 502, 529, ...) is a plain :class:`APIError`. The
one table from status to class is :data:`STATUS_ERRORS`. Errors raised for a failed exchange
keep the lower-level exception (from httpx, or the generated client) as ``__cause__``.

Every error survives ``pickle`` (process pools pass exceptions that way) with its attributes;
the cause and traceback stay behind, and the key is never part of an error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Literal, NamedTuple

from ._constants import BODY_EXCERPT_CHARS, REQUEST_ID_HEADERS
from ._printable import printable

__all__ = [
    "STATUS_ERRORS",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "BadRequestResponseError",
    "ForbiddenResponseError",
    "InternalServerResponseError",
    "InvalidParameterError",
    "NotFoundResponseError",
    "OpenRouterError",
    "RequestInfo",
    "RequestTimeoutResponseError",
    "ResponseValidationError",
    "TooManyRequestsResponseError",
    "UnauthorizedResponseError",
    "envelope_message",
    "make_api_error",
    "redacted_text",
    "request_id_of",
]


class RequestInfo(NamedTuple):
    """The request an error or response belongs to: method and URL, never the headers."""

    method: str
    url: str

    def __str__(self) -> str:
        return f"{self.method} {self.url}"


def request_id_of(headers: Mapping[str, str]) -> str | None:
    """The request id a server sent, from the first of ``REQUEST_ID_HEADERS`` present."""
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value
    return None


def _rebuild(
    cls: type[OpenRouterError], args: tuple[object, ...], state: dict[str, object]
) -> OpenRouterError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class OpenRouterError(Exception):
    """Base class of every error raised by this package."""

    def __reduce__(self) -> tuple[object, ...]:
        # The subclasses take keyword-only arguments, which Exception's own pickling cannot
        # pass back; rebuild from the message and the attributes instead.
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


class InvalidParameterError(OpenRouterError, ValueError):
    """An argument was refused before any request was sent; ``parameter`` names it."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


class APIError(OpenRouterError):
    """The server answered with a status outside 2xx.

    Attributes:
        status_code: the HTTP status.
        message: the server's ``error.message`` when the body is OpenRouter's JSON error
            envelope, else a short description of the answer.
        body: the decoded JSON body, or the raw text when it is not JSON (``None`` when empty).
        headers: the response headers.
        request_id: from ``x-request-id`` (or ``request-id``, ``cf-ray``), when present.
        request: method and URL of the request.
        retry_after: seconds the server asked to wait (``Retry-After`` / ``retry-after-ms``),
            when it asked.
    """

    status_code: int

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: object,
        headers: Mapping[str, str],
        request: RequestInfo | None,
        request_id: str | None = None,
        retry_after: float | None = None,
        summary: str | None = None,
    ) -> None:
        super().__init__(summary if summary is not None else message)
        self.message = message
        self.status_code = status_code
        self.body = body
        self.headers = headers
        self.request = request
        self.request_id = request_id
        self.retry_after = retry_after


class BadRequestResponseError(APIError):
    """400: the request's parameters were refused."""

    status_code: Literal[400]


class UnauthorizedResponseError(APIError):
    """401: the key is missing, malformed or revoked."""

    status_code: Literal[401]


class ForbiddenResponseError(APIError):
    """403: the key is valid but may not do this (activity needs a management key)."""

    status_code: Literal[403]


class NotFoundResponseError(APIError):
    """404: the resource does not exist."""

    status_code: Literal[404]


class RequestTimeoutResponseError(APIError):
    """408: the server gave up on a slow operation (a query over a long window, say), and the
    retries are spent. Narrowing the time range or dropping latency metrics helps.
    """

    status_code: Literal[408]


class TooManyRequestsResponseError(APIError):
    """429: rate limited, and the retries are spent (or the server asked for too long a wait).

    ``retry_after`` holds the wait the server asked for, when it named one.
    """

    status_code: Literal[429]


class InternalServerResponseError(APIError):
    """500: the server failed, and the retries are spent."""

    status_code: Literal[500]


STATUS_ERRORS: Mapping[int, type[APIError]] = {
    400: BadRequestResponseError,
    401: UnauthorizedResponseError,
    403: ForbiddenResponseError,
    404: NotFoundResponseError,
    408: RequestTimeoutResponseError,
    429: TooManyRequestsResponseError,
    500: InternalServerResponseError,
}
"""Status code -> error class; every other non-2xx status raises a plain APIError."""


class APIConnectionError(OpenRouterError):
    """No complete answer arrived: the connection was refused, reset or closed mid-body,
    the name did not resolve, or the response could not be read.
    """

    def __init__(self, message: str, *, request: RequestInfo | None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APITimeoutError(APIConnectionError):
    """An attempt took longer than its timeout, and the retries are spent."""


class ResponseValidationError(OpenRouterError):
    """A 2xx answer whose body is not what the spec promises.

    Not JSON, not ``application/json``, a status the spec does not document, or a required
    field missing or of the wrong type. ``location`` says where in the body (e.g.
    ``data[41].usage``; empty for the body itself) when a value is at fault, and ``problem``
    says what is wrong with it.
    """

    def __init__(
        self,
        problem: str,
        *,
        location: str | None,
        status_code: int,
        body: str,
        headers: Mapping[str, str],
        request: RequestInfo | None,
        request_id: str | None,
    ) -> None:
        where = f" at {location}" if location else ""
        rid = f" (request id {request_id})" if request_id else ""
        super().__init__(
            f"The {status_code} response does not match the API spec{where}: {printable(problem)}{rid}"
        )
        self.problem = problem
        self.location = location
        self.status_code = status_code
        self.body = body
        self.headers = headers
        self.request = request
        self.request_id = request_id


def _decode_body(text: str) -> object:
    """The JSON value of a body, else its text; ``None`` for an empty body."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return text


def redacted_text(text: str, redact: Callable[[str], str]) -> str:
    """A body's text with ``redact`` applied, and where the text is JSON that holds the key only
    once decoded (written with ``\\u`` escapes), that JSON written again without it."""
    text = redact(text)
    if "\\u" not in text:
        return text
    try:
        decoded = json.loads(text)
    except (ValueError, RecursionError):
        return text
    scrubbed = _redacted(decoded, redact)
    return text if scrubbed == decoded else json.dumps(scrubbed, ensure_ascii=False)


def _redacted(body: object, redact: Callable[[str], str]) -> object:
    """A decoded body with ``redact`` applied to its text once decoded too: JSON may write the key
    with escapes (``\\u0073k-or-...``) that only decoding turns back into the key."""
    if isinstance(body, str):
        return redact(body)
    if not isinstance(body, dict | list):
        return body
    try:
        text = json.dumps(body, ensure_ascii=False)
    except (ValueError, RecursionError):
        return redact(repr(body))
    scrubbed = redact(text)
    return body if scrubbed == text else json.loads(scrubbed)


def envelope_message(body: object) -> str | None:
    """``error.message`` of OpenRouter's error envelope, when the body is one."""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            message = error.get("message")
            if isinstance(message, str) and message:
                return message
    return None


def excerpt(text: str, limit: int = BODY_EXCERPT_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def _describe_status(status_code: int) -> str:
    try:
        return f"{status_code} {HTTPStatus(status_code).phrase}"
    except ValueError:
        return str(status_code)


def make_api_error(
    *,
    status_code: int,
    content: bytes,
    headers: Mapping[str, str],
    request: RequestInfo | None,
    request_id: str | None,
    retry_after: float | None,
    redact: Callable[[str], str] = str,
) -> APIError:
    """Build the error for a non-2xx answer: the class from :data:`STATUS_ERRORS`, the message
    from the JSON envelope when there is one. ``redact`` scrubs secrets from the body (in case
    a server echoes them) before anything is decoded or shown.
    """
    body = _redacted(_decode_body(redact(content.decode("utf-8", errors="replace"))), redact)
    message = envelope_message(body)
    status = _describe_status(status_code)
    if message is not None:
        summary = f"Error code {status}: {printable(excerpt(message))}"
    else:
        content_type = headers.get("content-type")
        kind = f"{content_type} body" if content_type else "body"
        message = f"HTTP {status}" + (f" with a {len(content)}-byte {kind}" if content else "")
        shown = body if isinstance(body, str) else json.dumps(body) if body is not None else ""
        summary = f"Error code {status}: {message}" + (f": {printable(excerpt(shown))}" if shown else "")
    if request_id:
        summary += f" (request id {request_id})"
    cls = STATUS_ERRORS.get(status_code, APIError)
    return cls(
        message,
        status_code=status_code,
        body=body,
        headers=headers,
        request=request,
        request_id=request_id,
        retry_after=retry_after,
        summary=summary,
    )
