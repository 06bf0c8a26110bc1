from typing import Literal

from ..errors import InvalidResponseBody, json_type

GranularityName = Literal["day", "hour", "minute", "month", "week"]

GRANULARITY_NAME_VALUES: set[GranularityName] = {
    "day",
    "hour",
    "minute",
    "month",
    "week",
}


def check_granularity_name(value: str) -> GranularityName:
    """A value to send: one the spec lists, else TypeError."""
    if value in GRANULARITY_NAME_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {GRANULARITY_NAME_VALUES!r}"
    )


def parse_granularity_name(value: object) -> GranularityName | str:
    """A value received: any str, so that a value newer than the spec does not fail the call."""
    if isinstance(value, str) and not isinstance(value, bool):
        return value
    # The model holding the value adds the place (InvalidResponseBody.within).
    raise InvalidResponseBody("", f"expected a string, got {json_type(value)}")
