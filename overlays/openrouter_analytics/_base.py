"""The engine every operation runs on, sync and async: configuration, per-call options, and
turning what a generated operation returned (or raised) into a result, a retry, or an error.

Nothing here knows one operation from another: each is an :class:`~._operations.Operation`
descriptor. The twin classes in ``_client.py`` only validate arguments, send and sleep.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Generic, NamedTuple, TypeVar, cast
from urllib.parse import quote

import httpx

from openrouter_analytics_client.errors import InvalidResponseBody, UnparsableResponse

from . import __version__
from ._constants import API_KEY_ENV_VAR, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, LOGGER_NAME
from ._operations import Operation
from ._redact import REDACTED, core, redact
from ._response import APIResponse
from ._retry import requested_delay, retry_delay, should_retry_status
from ._settings import CallOptions, Secret, Settings
from ._types import NotGiven, TimeoutTypes
from ._validation import (
    check_api_key,
    check_base_url,
    check_header_value,
    check_headers,
    check_max_retries,
    check_timeout,
)
from .errors import (
    APIConnectionError,
    APITimeoutError,
    InvalidParameterError,
    OpenRouterError,
    RequestInfo,
    ResponseValidationError,
    envelope_message,
    excerpt,
    make_api_error,
    redacted_text,
    request_id_of,
)

if TYPE_CHECKING:
    from openrouter_analytics_client.client import Client
    from openrouter_analytics_client.types import Response

__all__ = ["CAUGHT", "DEFAULT_TIMEOUT", "AsyncExchange", "BaseAnalytics", "Call", "SyncExchange"]

T = TypeVar("T")

logger: Final = logging.getLogger(LOGGER_NAME)
_DEBUG: Final = logging.DEBUG

USER_AGENT: Final = f"openrouter-analytics/{__version__} (python; httpx {httpx.__version__})"
DEFAULT_TIMEOUT: Final = httpx.Timeout(DEFAULT_READ_TIMEOUT, connect=DEFAULT_CONNECT_TIMEOUT)

CAUGHT: Final = (
    UnparsableResponse,
    httpx.HTTPError,
    httpx.InvalidURL,
    httpx.StreamError,
    # httpx reports misuse (e.g. a closed http_client) with these; they still must not escape.
    RuntimeError,
    ValueError,
    TypeError,
    KeyError,
)
"""What a send may raise; each becomes one of the package's errors."""

_RETRYABLE_FAILURES: Final = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
_UNSENT_FAILURES: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Failures before the request left, the only ones an operation that changes something retries."""

_MAX_PARSED_URLS: Final = 64
"""At most this many parsed request URLs per client: one per operation path, and a bound should
paths ever carry values."""


class Call(NamedTuple, Generic[T]):
    """One validated call: the operation, its checked arguments, its options, and when it started."""

    operation: Operation[T]
    arguments: dict[str, Any]
    options: CallOptions
    started: float


class _Exchange:
    """One attempt, standing in for the generated client and the httpx client it sends through.

    The generated operations take no per-request options, so this adds the call's headers and
    timeout, sends to the absolute URL (a user's own httpx client may have another base URL),
    and keeps the ``httpx.Response`` for its request line and headers. The generated functions
    read only ``get_httpx_client()`` / ``get_async_httpx_client()`` and
    ``raise_on_unexpected_status`` from their client, so the exchange is passed as that client
    itself: no generated client is built per attempt.
    """

    __slots__ = ("_headers", "_prefix", "_secret", "_timeout", "_urls", "method", "response", "url")

    raise_on_unexpected_status: Final = False
    """An undocumented status comes back unparsed; the engine turns it into an error."""

    def __init__(self, prefix: str, options: CallOptions, secret: Secret, urls: dict[str, httpx.URL]) -> None:
        self._prefix = prefix
        self._secret = secret
        self._urls = urls
        self._headers = options.headers
        self._timeout = options.timeout
        self.response: httpx.Response | None = None
        self.method = ""
        self.url = prefix

    def _target(self, url: str) -> httpx.URL:
        """The absolute URL of an operation's path, parsed once per client and path."""
        target = self._urls.get(url)
        if target is None:
            target = httpx.URL(self._prefix + url)
            if len(self._urls) < _MAX_PARSED_URLS:
                self._urls[url] = target
        return target

    def _arguments(self, method: str, url: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        self.method = method.upper()
        self.url = self._prefix + url
        # `or None`: httpx parses the URL a second time to merge even an empty dict.
        kwargs["params"] = kwargs.get("params") or None
        headers = kwargs.get("headers")
        if self._headers is not None:
            if headers:
                merged = httpx.Headers(self._headers)
                merged.update(headers)
                headers = merged
            else:
                headers = self._headers
        kwargs["headers"] = headers
        kwargs["timeout"] = self._timeout
        return kwargs

    def request_info(self, failure: BaseException | None = None) -> RequestInfo:
        """The request as sent (or as it would have been): method and URL, no headers."""
        request: httpx.Request | None = self.response.request if self.response is not None else None
        if request is None and isinstance(failure, httpx.RequestError):
            try:
                request = failure.request
            except RuntimeError:  # httpx raises this when the request was never attached
                request = None
        method, url = (request.method, str(request.url)) if request is not None else (self.method, self.url)
        # A caller may pass the key where a filter belongs (user_id=key): keep it out of the URL
        # that errors, results and log lines show.
        key = self._secret.reveal()
        if core(key) in url.lower() or quote(key, safe="") in url:
            url = redact(url.replace(quote(key, safe=""), REDACTED), key)
        return RequestInfo(method, url)


class SyncExchange(_Exchange):
    """An attempt through an ``httpx.Client``; ``client`` is what to pass as the generated client."""

    __slots__ = ("_http",)

    def __init__(
        self,
        http: httpx.Client,
        prefix: str,
        options: CallOptions,
        secret: Secret,
        urls: dict[str, httpx.URL],
    ) -> None:
        super().__init__(prefix, options, secret, urls)
        self._http = http

    @property
    def client(self) -> Client:
        return cast("Client", self)

    def get_httpx_client(self) -> httpx.Client:
        return cast(httpx.Client, self)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        arguments = self._arguments(method, url, kwargs)
        self.response = self._http.request(method, self._target(url), **arguments)
        return self.response


class AsyncExchange(_Exchange):
    """An attempt through an ``httpx.AsyncClient``; ``client`` is what to pass as the generated client."""

    __slots__ = ("_http",)

    def __init__(
        self,
        http: httpx.AsyncClient,
        prefix: str,
        options: CallOptions,
        secret: Secret,
        urls: dict[str, httpx.URL],
    ) -> None:
        super().__init__(prefix, options, secret, urls)
        self._http = http

    @property
    def client(self) -> Client:
        return cast("Client", self)

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        return cast(httpx.AsyncClient, self)

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        arguments = self._arguments(method, url, kwargs)
        self.response = await self._http.request(method, self._target(url), **arguments)
        return self.response


R = TypeVar("R")


def _read_already(response: httpx.Response) -> bytes:
    """The body of a response whose hook raised: read if the hook read it, else none."""
    try:
        return response.content
    except httpx.ResponseNotRead:
        return b""


def _error_envelope_message(content: bytes) -> str | None:
    """``error.message`` of a body that is OpenRouter's error envelope and nothing else."""
    try:
        body = json.loads(content)
    except (ValueError, RecursionError):
        return None
    if not isinstance(body, dict) or set(body) - {"error", "user_id"}:
        return None
    return envelope_message(body)


def _masking_key(key: str, build: Callable[[], R]) -> R:
    """``build()``; a refusal shows the value it refused, which may be the key, passed by mistake
    as a filter or a header: such a refusal is raised again with the key masked, and without the
    original attached.
    """
    try:
        return build()
    except InvalidParameterError as refusal:
        message = str(refusal)
        scrubbed = redact(message, key)
        if scrubbed == message:
            raise
        masked = InvalidParameterError(refusal.parameter, scrubbed)
    raise masked


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    mime = content_type.partition(";")[0].strip().lower()
    return mime == "application/json" or (mime.startswith("application/") and mime.endswith("+json"))


class BaseAnalytics:
    """Configuration and the decisions shared by :class:`Analytics` and :class:`AsyncAnalytics`."""

    _http: httpx.Client | httpx.AsyncClient

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int,
        http_referer: str | None,
        app_title: str | None,
        default_headers: Mapping[str, str] | None,
        own_http_client: bool,
        allow_insecure_http: bool,
    ) -> None:
        from_env = api_key is None
        key = check_api_key(
            os.environ.get(API_KEY_ENV_VAR) if from_env else api_key,
            env_var=API_KEY_ENV_VAR,
            from_env=from_env,
        )
        self._settings = _masking_key(
            key,
            lambda: Settings(
                api_key=Secret(key),
                base_url=check_base_url(base_url, allow_insecure_http=allow_insecure_http),
                timeout=DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else check_timeout(timeout),
                max_retries=check_max_retries(max_retries),
                http_referer=None
                if http_referer is None
                else check_header_value("http_referer", http_referer),
                app_title=None if app_title is None else check_header_value("app_title", app_title),
                default_headers=tuple(check_headers("default_headers", default_headers).items()),
                allow_insecure_http=allow_insecure_http,
            ),
        )
        self._prefix = self._settings.base_url
        self._key_bytes = core(key).encode()
        headers = httpx.Headers(
            {"Authorization": f"Bearer {key}", "User-Agent": USER_AGENT, "Accept": "application/json"}
        )
        if self._settings.http_referer is not None:
            headers["HTTP-Referer"] = self._settings.http_referer
        if self._settings.app_title is not None:
            headers["X-Title"] = self._settings.app_title
        headers.update(self._settings.default_headers)
        self._fixed_headers = headers
        self._owns_http = own_http_client
        # A client built here carries the headers and timeout itself; a caller's own client gets
        # them with each request, leaving its configuration untouched.
        self._options = CallOptions(
            timeout=httpx.USE_CLIENT_DEFAULT if own_http_client else self._settings.timeout,
            max_retries=self._settings.max_retries,
            headers=None if own_http_client else headers,
        )
        # Operations with a read timeout of their own use it unless the caller chose one.
        self._timeout_chosen = not isinstance(timeout, NotGiven)
        self._operation_options: dict[str, CallOptions] = {}
        # httpx parses a URL given as text on every request; given parsed, it reuses it.
        self._urls: dict[str, httpx.URL] = {}
        self._closed = False

    def __repr__(self) -> str:
        s = self._settings
        name = type(self).__name__
        return f"{name}(base_url={s.base_url!r}, timeout={s.timeout!r}, max_retries={s.max_retries})"

    @property
    def base_url(self) -> str:
        """The API root requests go to."""
        return self._settings.base_url

    @property
    def settings(self) -> Settings:
        """The validated configuration (the key in it shows as a mask)."""
        return self._settings

    # -- before sending -------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            block = "async with" if isinstance(self._http, httpx.AsyncClient) else "with"
            raise OpenRouterError(
                f"This {type(self).__name__} client is closed; create a new one (or make calls inside "
                f"its `{block}` block)"
            )
        if self._http.is_closed:
            raise OpenRouterError(
                f"The http_client given to this {type(self).__name__} is closed; keep it open while the "
                "client is in use"
            )

    def _call(
        self,
        operation: Operation[T],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        extra_headers: Mapping[str, str] | None,
        arguments: Callable[[], dict[str, Any]] = dict,
    ) -> Call[T]:
        """Check that the client is open, check the arguments (``arguments()`` builds them) and
        settle the call's options; nothing is sent.
        """
        self._check_open()
        key = self._settings.api_key.reveal()
        checked = _masking_key(key, arguments)
        options = _masking_key(key, lambda: self._options_for(operation, timeout, max_retries, extra_headers))
        return Call(operation=operation, arguments=checked, options=options, started=time.monotonic())

    def _options_for(
        self,
        operation: Operation[Any],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        extra_headers: Mapping[str, str] | None,
    ) -> CallOptions:
        options = self._operation_options.get(operation.name)
        if options is None:
            options = self._options
            if operation.read_timeout is not None and not self._timeout_chosen:
                options = options._replace(
                    timeout=httpx.Timeout(operation.read_timeout, connect=DEFAULT_CONNECT_TIMEOUT)
                )
            self._operation_options[operation.name] = options
        if not (isinstance(timeout, NotGiven) and isinstance(max_retries, NotGiven) and not extra_headers):
            options = self._call_options(options, timeout, max_retries, extra_headers)
        return options

    def _call_options(
        self,
        options: CallOptions,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        extra_headers: Mapping[str, str] | None,
    ) -> CallOptions:
        changes: dict[str, Any] = {}
        if not isinstance(timeout, NotGiven):
            changes["timeout"] = check_timeout(timeout)
        if not isinstance(max_retries, NotGiven):
            changes["max_retries"] = check_max_retries(max_retries)
        if extra_headers:
            headers = httpx.Headers(options.headers)
            headers.update(check_headers("extra_headers", extra_headers))
            changes["headers"] = headers
        return options._replace(**changes)

    # -- after an attempt -----------------------------------------------------------------

    def _redact(self, text: str) -> str:
        return redact(text, self._settings.api_key.reveal())

    def _redact_headers(self, headers: Mapping[str, str]) -> Mapping[str, str]:
        """The response headers, scrubbed of the key should a server echo it in one; they are
        kept on results and errors, which get printed, logged and pickled.
        """
        key = self._settings.api_key.reveal()
        if isinstance(headers, httpx.Headers):
            # The raw bytes are at hand; decoding every value of every answer would cost more.
            key_bytes = self._key_bytes
            raw = headers.raw
            if not any(key_bytes in name.lower() or key_bytes in value.lower() for name, value in raw):
                return headers
            items = headers.multi_items()
        else:
            items = list(headers.items())
            if not any(core(key) in value.lower() or core(key) in name.lower() for name, value in items):
                return headers
        return httpx.Headers([(redact(name, key), redact(value, key)) for name, value in items])

    def _log_attempt(
        self, call: Call[Any], attempt: int, exchange: _Exchange, started: float, outcome: str
    ) -> None:
        request = exchange.request_info()
        logger.debug(
            "%s %s -> %s in %.1f ms (attempt %d of %d)",
            request.method,
            request.url,
            outcome,
            (time.monotonic() - started) * 1000.0,
            attempt + 1,
            call.options.max_retries + 1,
        )

    def _retry_or_raise(
        self,
        call: Call[Any],
        attempt: int,
        error: OpenRouterError,
        headers: Mapping[str, str] | None,
        cause: BaseException | None,
    ) -> float:
        """The wait before the next attempt, or raise ``error`` when there is none."""
        if attempt < call.options.max_retries:
            delay = retry_delay(attempt, headers, elapsed=time.monotonic() - call.started)
            if delay is not None:
                if logger.isEnabledFor(_DEBUG):
                    logger.debug("Retrying in %.2f s after: %s", delay, error)
                return delay
        raise error from cause

    def _on_answer(
        self, call: Call[T], attempt: int, exchange: _Exchange, started: float, response: Response[Any]
    ) -> APIResponse[T] | float:
        """A response the generated operation parsed: the result, a retry wait, or an error."""
        status = int(response.status_code)
        if logger.isEnabledFor(_DEBUG):
            self._log_attempt(call, attempt, exchange, started, str(status))
        headers = self._redact_headers(response.headers)
        if 200 <= status < 300:
            parsed = response.parsed
            if (
                status == 200
                and type(parsed) is call.operation.success_type
                and _is_json(headers.get("content-type"))
            ):
                return APIResponse(
                    parsed=parsed,
                    status_code=status,
                    headers=headers,
                    exchange=exchange,
                    elapsed=time.monotonic() - call.started,
                    attempts=attempt + 1,
                    content=response.content,
                )
            raise self._invalid_body(exchange, status, response.content, headers, failure=None)
        return self._on_error_status(
            call=call,
            attempt=attempt,
            exchange=exchange,
            status=status,
            content=response.content,
            headers=headers,
            cause=None,
        )

    def _on_error_status(
        self,
        *,
        call: Call[Any],
        attempt: int,
        exchange: _Exchange,
        status: int,
        content: bytes,
        headers: Mapping[str, str],
        cause: BaseException | None,
    ) -> float:
        error = make_api_error(
            status_code=status,
            content=content,
            headers=headers,
            request=exchange.request_info(),
            request_id=request_id_of(headers),
            retry_after=requested_delay(headers),
            redact=self._redact,
        )
        if not should_retry_status(status, read_only=call.operation.read_only):
            raise error from cause
        return self._retry_or_raise(call, attempt, error, headers, cause)

    def _invalid_body(
        self,
        exchange: _Exchange,
        status: int,
        content: bytes,
        headers: Mapping[str, str],
        failure: UnparsableResponse | None,
    ) -> ResponseValidationError:
        content_type = headers.get("content-type")
        location: str | None = None
        cause = failure.__cause__ if failure is not None else None
        if status != 200:
            problem = f"the spec documents 200 for a successful call, not {status}"
        elif not _is_json(content_type):
            problem = f"expected an application/json body, got content type {content_type!r}"
        elif (said := _error_envelope_message(content)) is not None:
            # An error sent with 200 (a proxy, a gateway): its words, not "data is missing".
            problem = f"the body is an error, not the documented answer: {said}"
        elif isinstance(cause, InvalidResponseBody):
            location, problem = cause.location, cause.problem
        elif isinstance(cause, json.JSONDecodeError | UnicodeDecodeError):
            problem = "the body is not valid JSON"
        elif failure is not None:
            problem = f"the body does not have the documented shape ({failure.reason})"
        else:
            problem = "the body does not have the documented shape"
        return ResponseValidationError(
            self._redact(excerpt(problem)),
            location=location,
            status_code=status,
            body=redacted_text(content.decode("utf-8", errors="replace"), self._redact),
            headers=headers,
            request=exchange.request_info(),
            request_id=request_id_of(headers),
        )

    def _on_failure(
        self, call: Call[Any], attempt: int, exchange: _Exchange, started: float, failure: Exception
    ) -> float:
        """What the generated operation raised: a retry wait, or the error to raise."""
        if isinstance(failure, UnparsableResponse):
            status = failure.status_code
            if logger.isEnabledFor(_DEBUG):
                self._log_attempt(call, attempt, exchange, started, f"{status} (unparsable body)")
            headers = self._redact_headers(failure.headers)
            if 200 <= status < 300:
                raise self._invalid_body(exchange, status, failure.content, headers, failure) from failure
            return self._on_error_status(
                call=call,
                attempt=attempt,
                exchange=exchange,
                status=status,
                content=failure.content,
                headers=headers,
                cause=failure,
            )
        if isinstance(failure, httpx.HTTPStatusError):
            # A client of the caller's own whose hook raises for an error status: the status it is.
            response = failure.response
            if logger.isEnabledFor(_DEBUG):
                self._log_attempt(call, attempt, exchange, started, str(response.status_code))
            return self._on_error_status(
                call=call,
                attempt=attempt,
                exchange=exchange,
                status=response.status_code,
                content=_read_already(response),
                headers=self._redact_headers(response.headers),
                cause=failure,
            )
        if logger.isEnabledFor(_DEBUG):
            self._log_attempt(call, attempt, exchange, started, type(failure).__name__)
        request = exchange.request_info(failure)
        detail = self._redact(str(failure)) or type(failure).__name__
        attempts = f"{attempt + 1} attempt{'s' if attempt else ''}"
        error: APIConnectionError
        if isinstance(failure, httpx.TimeoutException):
            error = APITimeoutError(
                f"{request} timed out ({type(failure).__name__}) after {attempts}: {detail}",
                request=request,
            )
        else:
            error = APIConnectionError(
                f"{request} failed ({type(failure).__name__}) after {attempts}: {detail}",
                request=request,
            )
        if isinstance(failure, _RETRYABLE_FAILURES if call.operation.read_only else _UNSENT_FAILURES):
            return self._retry_or_raise(call, attempt, error, None, failure)
        raise error from failure
