from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..models.operator_name import OperatorName, parse_operator_name
from ..models.operator_value_type import OperatorValueType, parse_operator_value_type
from ..types import json_loads, paused_gc

T = TypeVar("T", bound="MetaOperator")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "name",
        "value_type",
    }
)


@_attrs_define
class MetaOperator:
    name: OperatorName | str
    """ Operator identifier used in filter definitions """
    value_type: OperatorValueType | str
    """ Whether the operator expects a single value or an array """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name: str = self.name

        value_type: str = self.value_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "value_type": value_type,
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
            _name = src_dict["name"]
        except KeyError:
            raise InvalidResponseBody("name", "required field is missing") from None
        try:
            name = parse_operator_name(_name)

        except InvalidResponseBody as nested_error:
            raise nested_error.within("name") from None

        try:
            _value_type = src_dict["value_type"]
        except KeyError:
            raise InvalidResponseBody(
                "value_type", "required field is missing"
            ) from None
        try:
            value_type = parse_operator_value_type(_value_type)

        except InvalidResponseBody as nested_error:
            raise nested_error.within("value_type") from None

        meta_operator = cls(
            name=name,
            value_type=value_type,
        )

        meta_operator.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return meta_operator

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
