from typing import Literal

from ..errors import InvalidResponseBody, json_type

DisplayFormat = Literal["currency", "latency", "number", "percent", "throughput"]

DISPLAY_FORMAT_VALUES: set[DisplayFormat] = {
    "currency",
    "latency",
    "number",
    "percent",
    "throughput",
}


def check_display_format(value: str) -> DisplayFormat:
    """A value to send: one the spec lists, else TypeError."""
    if value in DISPLAY_FORMAT_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {DISPLAY_FORMAT_VALUES!r}"
    )


def parse_display_format(value: object) -> DisplayFormat | str:
    """A value received: any str, so that a value newer than the spec does not fail the call."""
    if isinstance(value, str) and not isinstance(value, bool):
        return value
    # The model holding the value adds the place (InvalidResponseBody.within).
    raise InvalidResponseBody("", f"expected a string, got {json_type(value)}")
