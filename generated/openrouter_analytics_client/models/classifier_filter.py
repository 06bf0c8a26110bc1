from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..types import json_loads, paused_gc

T = TypeVar("T", bound="ClassifierFilter")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "field",
        "operator",
        "value",
    }
)


@_attrs_define
class ClassifierFilter:
    field: str
    """ Classifier dimension name to filter on (snake_case identifier, e.g. "department", "work_type"). """
    operator: str
    """ Filter operator. Only equality/set operators are supported (eq, neq, in, not_in) — ordered comparisons are
    not available because classification values are strings. """
    value: float | list[float | str] | str
    """ Filter value. Use a scalar (string or number) for eq/neq, or an array for in/not_in. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        operator = self.operator

        value: float | list[float | str] | str
        if isinstance(self.value, list):
            value = []
            for value_type_2_item_data in self.value:
                value_type_2_item: float | str
                value_type_2_item = value_type_2_item_data
                value.append(value_type_2_item)

        else:
            value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "field": field,
                "operator": operator,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        if not isinstance(src_dict, Mapping):
            raise InvalidResponseBody(
                "", f"expected an object, got {json_type(src_dict)}"
            )
        try:
            _field = src_dict["field"]
        except KeyError:
            raise InvalidResponseBody("field", "required field is missing") from None
        field = _field
        if type(field) is not str:
            raise InvalidResponseBody(
                "field", f"expected a string, got {json_type(field)}"
            )

        try:
            _operator = src_dict["operator"]
        except KeyError:
            raise InvalidResponseBody("operator", "required field is missing") from None
        operator = _operator
        if type(operator) is not str:
            raise InvalidResponseBody(
                "operator", f"expected a string, got {json_type(operator)}"
            )

        try:
            _value = src_dict["value"]
        except KeyError:
            raise InvalidResponseBody("value", "required field is missing") from None

        def _parse_value(data: object) -> float | list[float | str] | str:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                value_type_2 = []
                _value_type_2 = data
                for value_type_2_item_data in _value_type_2:

                    def _parse_value_type_2_item(data: object) -> float | str:
                        return cast(float | str, data)

                    value_type_2_item = _parse_value_type_2_item(value_type_2_item_data)

                    value_type_2.append(value_type_2_item)

                return value_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[float | str] | str, data)

        value = _parse_value(_value)

        classifier_filter = cls(
            field=field,
            operator=operator,
            value=value,
        )

        classifier_filter.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return classifier_filter

    @classmethod
    def _from_dict_list(cls, src_list: list[Any]) -> list[Self]:
        """from_dict for each element of a decoded JSON array; an error names the element's index."""
        result: list[Self] = []
        try:
            with paused_gc():
                for src_dict in src_list:
                    result.append(cls.from_dict(src_dict))
        except InvalidResponseBody as error:
            raise error.within(len(result)) from None
        return result

    @classmethod
    def _from_json(cls, content: bytes) -> Self:
        """from_dict of the decoded JSON content."""
        return cls.from_dict(json_loads(content))

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    # [key] reads an undeclared field; without this, iterating the model would call it with 0, 1,
    # ... and fail with KeyError: 0, where Python says the object is not iterable.
    __iter__ = None

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
