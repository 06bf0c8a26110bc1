from typing import Literal

from ..errors import InvalidResponseBody, json_type

ActivityGroupBy = Literal["workspace"]

ACTIVITY_GROUP_BY_VALUES: set[ActivityGroupBy] = {
    "workspace",
}


def check_activity_group_by(value: str) -> ActivityGroupBy:
    """A value to send: one the spec lists, else TypeError."""
    if value in ACTIVITY_GROUP_BY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ACTIVITY_GROUP_BY_VALUES!r}"
    )


def parse_activity_group_by(value: object) -> ActivityGroupBy | str:
    """A value received: any str, so that a value newer than the spec does not fail the call."""
    if isinstance(value, str) and not isinstance(value, bool):
        return value
    # The model holding the value adds the place (InvalidResponseBody.within).
    raise InvalidResponseBody("", f"expected a string, got {json_type(value)}")
