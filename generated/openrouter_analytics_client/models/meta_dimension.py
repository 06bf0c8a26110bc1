from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..types import json_loads, paused_gc

T = TypeVar("T", bound="MetaDimension")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "display_label",
        "name",
    }
)


@_attrs_define
class MetaDimension:
    display_label: str
    """ Human-readable label """
    name: str
    """ Dimension identifier used in query requests """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        display_label = self.display_label

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "display_label": display_label,
                "name": name,
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
            _display_label = src_dict["display_label"]
        except KeyError:
            raise InvalidResponseBody(
                "display_label", "required field is missing"
            ) from None
        display_label = _display_label
        if type(display_label) is not str:
            raise InvalidResponseBody(
                "display_label", f"expected a string, got {json_type(display_label)}"
            )

        try:
            _name = src_dict["name"]
        except KeyError:
            raise InvalidResponseBody("name", "required field is missing") from None
        name = _name
        if type(name) is not str:
            raise InvalidResponseBody(
                "name", f"expected a string, got {json_type(name)}"
            )

        meta_dimension = cls(
            display_label=display_label,
            name=name,
        )

        meta_dimension.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return meta_dimension

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
