from typing import Literal

from ..errors import InvalidResponseBody, json_type

OperatorValueType = Literal["array", "scalar"]

OPERATOR_VALUE_TYPE_VALUES: set[OperatorValueType] = {
    "array",
    "scalar",
}


def check_operator_value_type(value: str) -> OperatorValueType:
    """A value to send: one the spec lists, else TypeError."""
    if value in OPERATOR_VALUE_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {OPERATOR_VALUE_TYPE_VALUES!r}"
    )


def parse_operator_value_type(value: object) -> OperatorValueType | str:
    """A value received: any str, so that a value newer than the spec does not fail the call."""
    if isinstance(value, str) and not isinstance(value, bool):
        return value
    # The model holding the value adds the place (InvalidResponseBody.within).
    raise InvalidResponseBody("", f"expected a string, got {json_type(value)}")
