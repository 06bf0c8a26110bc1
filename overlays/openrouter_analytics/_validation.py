"""Checks on everything a caller hands over, done before anything is sent.

Each check returns the value to use and raises InvalidParameterError naming the parameter
and showing a good value.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import re
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Final

from ._printable import printable
from .errors import InvalidParameterError

if TYPE_CHECKING:
    # Imported where used: reading the local history needs no HTTP client at all.
    import httpx

__all__ = [
    "check_api_key",
    "check_api_key_hash",
    "check_base_url",
    "check_date",
    "check_enum",
    "check_header_value",
    "check_headers",
    "check_max_retries",
    "check_timeout",
    "check_user_id",
    "check_uuid",
    "day_shaped",
    "describe",
    "key_flaw",
    "parse_day",
]

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Printable ASCII, inner spaces allowed: what every HTTP/1.1 and HTTP/2 stack accepts.
_HEADER_VALUE = re.compile(r"[!-~]+(?:[ \t]+[!-~]+)*")
_RESERVED_HEADERS = frozenset({"authorization", "host", "content-length", "transfer-encoding"})


def describe(value: object) -> str:
    """What the caller passed, for an error message: the value itself when short and plain."""
    if isinstance(value, str | int | float) and len(repr(value)) <= 80:
        return f"got {type(value).__name__} {value!r}"
    return f"got {type(value).__name__}"


def parse_day(value: object, name: str) -> str:
    """A day as the API writes it, ``YYYY-MM-DD``, from a ``datetime.date`` or such a string.

    The one definition of a valid day, for API filters, row filters and command-line options;
    raises InvalidParameterError naming ``name``.
    """
    if isinstance(value, dt.datetime):
        raise InvalidParameterError(
            name, f"{name} must be a day, not a moment: pass value.date() or a string like '2025-08-24'"
        )
    if isinstance(value, dt.date):
        return _within_reach(value, name).isoformat()
    # The pattern first: fromisoformat alone would also take "20250824" and "2025-W34-7".
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidParameterError(
                name, f"{name} {value!r} is not a calendar date; expected YYYY-MM-DD, e.g. '2025-08-24'"
            ) from None
        _within_reach(day, name)
        return value
    raise InvalidParameterError(
        name,
        f"{name} must be a datetime.date or a 'YYYY-MM-DD' string such as '2025-08-24', {describe(value)}",
    )


FIRST_DAY: Final = dt.date(1970, 1, 1)
LAST_DAY: Final = dt.date(9998, 12, 31)
"""The days a day argument may name: any the API could hold, with room for the windows, weeks
and months reckoned from it (a year before 0001 or after 9999 is no date at all)."""


def _within_reach(day: dt.date, name: str) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidParameterError(
            name,
            f"{name} {day.isoformat()} is not a day of activity: give one from {FIRST_DAY} to {LAST_DAY}",
        )
    return day


def day_shaped(text: str) -> bool:
    """Whether ``text`` is written as a day, ``YYYY-MM-DD`` (a calendar date or not)."""
    return _DATE.fullmatch(text) is not None


def check_date(value: object) -> str | None:
    """The API's ``date`` filter: None, or a day (see :func:`parse_day`)."""
    return None if value is None else parse_day(value, "date")


def check_api_key_hash(value: object) -> str | None:
    """A SHA-256 hex digest (64 hex characters), as the keys API returns it, in lower case."""
    if value is None:
        return None
    if isinstance(value, str) and _SHA256_HEX.fullmatch(value):
        return value.lower()
    raise InvalidParameterError(
        "api_key_hash",
        "api_key_hash must be the key's SHA-256 hash as 64 hex characters, as the keys API returns "
        f"it (e.g. '{'ab12' * 16}'), {describe(value)}",
    )


def check_user_id(value: object) -> str | None:
    """A non-blank org member id without control characters (nor line separators, direction
    overrides or other characters a terminal would not draw as they are)."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip() and printable(value) == value:
        return value
    raise InvalidParameterError(
        "user_id",
        "user_id must be a non-blank string without control characters, e.g. 'user_abc123', "
        f"{describe(value)}",
    )


def check_enum(name: str, value: object, allowed: Collection[str]) -> str:
    """One of the values the spec lists for a request parameter (request enums stay closed)."""
    if isinstance(value, str) and value in allowed:
        return value
    choices = ", ".join(repr(choice) for choice in sorted(allowed))
    raise InvalidParameterError(name, f"{name} must be one of {choices}, {describe(value)}")


def check_uuid(name: str, value: object) -> str:
    """A UUID, from a ``uuid.UUID`` or its string form, sent in the canonical lower-case form."""
    import uuid  # on first use: it imports platform, which a plain import of the client does not need

    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str):
        try:
            return str(uuid.UUID(value))
        except ValueError:
            pass
    raise InvalidParameterError(
        name, f"{name} must be a UUID such as '550e8400-e29b-41d4-a716-446655440000', {describe(value)}"
    )


def check_api_key(value: object, *, env_var: str, from_env: bool = False) -> str:
    """The key: required, one token of printable ASCII (it goes into a header). ``from_env``:
    it was read from ``env_var``, which the error then names."""
    if value is None or value == "":
        raise InvalidParameterError(
            "api_key",
            f"No API key: pass api_key= to the client or set the {env_var} environment variable "
            "(a management key, 'sk-or-v1-...')",
        )
    if isinstance(value, str):
        flaw = key_flaw(value)
        if flaw is None:
            return value
        problem = f"it has {flaw}"
    else:
        problem = f"got a {type(value).__name__}"
    # Never echo the value: it may be a real key with a stray character.
    where = f"the {env_var} environment variable" if from_env else "api_key"
    raise InvalidParameterError(
        "api_key",
        f"{where} must be a key of printable ASCII without spaces, such as 'sk-or-v1-...' ({problem})",
    )


def key_flaw(key: str) -> str | None:
    """What in ``key`` no key holds, and where, without showing it ("a space at character 7
    of 23"); None when every character may be in a key."""
    for position, character in enumerate(key, start=1):
        if character.isspace():
            kind = {" ": "a space", "\t": "a tab"}.get(character, "a line break")
        elif not character.isascii():
            kind = "a non-ASCII character"
        elif not character.isprintable():
            kind = "a control character"
        else:
            continue
        return f"{kind} at character {position} of {len(key)}"
    return None


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(value: object, *, allow_insecure_http: bool) -> str:
    """An absolute https:// URL (http:// only to loopback or with ``allow_insecure_http``),
    without credentials, returned without a trailing slash.
    """
    import httpx

    example = "e.g. 'https://openrouter.ai/api/v1'"
    if not isinstance(value, str | httpx.URL):
        raise InvalidParameterError(
            "base_url", f"base_url must be a URL string, {example}, {describe(value)}"
        )
    try:
        url = httpx.URL(str(value))
    except (httpx.InvalidURL, ValueError, TypeError):
        raise InvalidParameterError(
            "base_url", f"base_url {str(value)!r} is not a valid URL, {example}"
        ) from None
    if url.scheme not in ("https", "http") or not url.host:
        raise InvalidParameterError(
            "base_url", f"base_url must be an absolute http(s) URL, {example}; got {str(value)!r}"
        )
    if url.userinfo:
        raise InvalidParameterError(
            "base_url", "base_url must not carry credentials; pass the key as api_key= instead"
        )
    if url.query or url.fragment:
        raise InvalidParameterError("base_url", f"base_url must not have a query or fragment, {example}")
    if url.scheme == "http" and not allow_insecure_http and not _is_loopback(url.host):
        raise InvalidParameterError(
            "base_url",
            f"base_url {str(url)!r} is plain http:// to a non-loopback host, which would send the API key "
            "in clear text; use https:// or pass allow_insecure_http=True",
        )
    return str(url).rstrip("/")


def check_timeout(value: object, *, parameter: str = "timeout") -> httpx.Timeout | None:
    """Seconds (a positive number), an ``httpx.Timeout``, or ``None`` for no timeout."""
    import httpx

    if value is None:
        return None
    if isinstance(value, httpx.Timeout):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0:
        return httpx.Timeout(float(value))
    raise InvalidParameterError(
        parameter,
        f"{parameter} must be seconds as a positive number (e.g. 30.0), an httpx.Timeout, "
        f"or None for no timeout, {describe(value)}",
    )


def check_max_retries(value: object, *, parameter: str = "max_retries") -> int:
    """A whole number of retries, 0 or more (0: exactly one attempt)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise InvalidParameterError(
        parameter, f"{parameter} must be a whole number >= 0 (e.g. 2; 0 for no retries), {describe(value)}"
    )


def check_header_value(parameter: str, value: object) -> str:
    """A header value: printable ASCII, spaces only inside."""
    if isinstance(value, str) and _HEADER_VALUE.fullmatch(value):
        return value
    raise InvalidParameterError(
        parameter,
        f"{parameter} must be printable ASCII text without leading or trailing spaces "
        f"(it is sent as an HTTP header), e.g. 'My App', {describe(value)}",
    )


def check_headers(parameter: str, value: object) -> dict[str, str]:
    """Extra headers: a mapping of header names to values, not touching the key or framing."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidParameterError(
            parameter, f"{parameter} must be a mapping such as {{'X-Trace': 'abc'}}, {describe(value)}"
        )
    headers: dict[str, str] = {}
    for name, header_value in value.items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            raise InvalidParameterError(
                parameter, f"{parameter} has an invalid header name {name!r}; use e.g. 'X-Trace'"
            )
        if name.lower() in _RESERVED_HEADERS:
            hint = " (pass the key as api_key=)" if name.lower() == "authorization" else ""
            raise InvalidParameterError(parameter, f"{parameter} may not set {name!r}{hint}")
        headers[name] = check_header_value(f"{parameter}[{name!r}]", header_value)
    return headers
