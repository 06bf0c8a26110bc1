from typing import Literal

from ..errors import InvalidResponseBody, json_type

OperatorName = Literal["eq", "gt", "gte", "in", "lt", "lte", "neq", "not_in"]

OPERATOR_NAME_VALUES: set[OperatorName] = {
    "eq",
    "gt",
    "gte",
    "in",
    "lt",
    "lte",
    "neq",
    "not_in",
}


def check_operator_name(value: str) -> OperatorName:
    """A value to send: one the spec lists, else TypeError."""
    if value in OPERATOR_NAME_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {OPERATOR_NAME_VALUES!r}"
    )


def parse_operator_name(value: object) -> OperatorName | str:
    """A value received: any str, so that a value newer than the spec does not fail the call."""
    if isinstance(value, str) and not isinstance(value, bool):
        return value
    # The model holding the value adds the place (InvalidResponseBody.within).
    raise InvalidResponseBody("", f"expected a string, got {json_type(value)}")
