from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..models.order_direction import OrderDirection, parse_order_direction
from ..types import json_loads, paused_gc

T = TypeVar("T", bound="QueryOrderBy")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "direction",
        "field",
    }
)


@_attrs_define
class QueryOrderBy:
    direction: OrderDirection | str
    field: str
    """ Field to order by: a metric included in `metrics` (or "request_count", which may be ordered by without being
    requested), a requested dimension, or "date". """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        direction: str = self.direction

        field = self.field

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "direction": direction,
                "field": field,
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
            _direction = src_dict["direction"]
        except KeyError:
            raise InvalidResponseBody(
                "direction", "required field is missing"
            ) from None
        try:
            direction = parse_order_direction(_direction)

        except InvalidResponseBody as nested_error:
            raise nested_error.within("direction") from None

        try:
            _field = src_dict["field"]
        except KeyError:
            raise InvalidResponseBody("field", "required field is missing") from None
        field = _field
        if type(field) is not str:
            raise InvalidResponseBody(
                "field", f"expected a string, got {json_type(field)}"
            )

        query_order_by = cls(
            direction=direction,
            field=field,
        )

        query_order_by.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return query_order_by

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
