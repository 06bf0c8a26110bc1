from typing import Literal

from ..errors import InvalidResponseBody, json_type

OrderDirection = Literal["asc", "desc"]

ORDER_DIRECTION_VALUES: set[OrderDirection] = {
    "asc",
    "desc",
}


def check_order_direction(value: str) -> OrderDirection:
    """A value to send: one the spec lists, else TypeError."""
    if value in ORDER_DIRECTION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ORDER_DIRECTION_VALUES!r}"
    )


def parse_order_direction(value: object) -> OrderDirection | str:
    """A value received: any str, so that a value newer than the spec does not fail the call."""
    if isinstance(value, str) and not isinstance(value, bool):
        return value
    # The model holding the value adds the place (InvalidResponseBody.within).
    raise InvalidResponseBody("", f"expected a string, got {json_type(value)}")
