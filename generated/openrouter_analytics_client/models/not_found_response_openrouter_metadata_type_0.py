from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..types import json_loads, paused_gc

T = TypeVar("T", bound="NotFoundResponseOpenrouterMetadataType0")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset({})


@_attrs_define
class NotFoundResponseOpenrouterMetadataType0(Mapping[str, Any]):
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        if not isinstance(src_dict, Mapping):
            raise InvalidResponseBody(
                "", f"expected an object, got {json_type(src_dict)}"
            )
        not_found_response_openrouter_metadata_type_0 = cls()

        not_found_response_openrouter_metadata_type_0.additional_properties = dict(
            src_dict
        )
        return not_found_response_openrouter_metadata_type_0

    @classmethod
    def _from_dict_list(cls, src_list: list[Any]) -> list[Self]:
        """from_dict for each element of a decoded JSON array; an error names the element's index."""
        result: list[Self] = []
        try:
            with paused_gc():
                # No declared fields: a row is a copy of its object, made without from_dict's checks.
                new = object.__new__
                for src_dict in src_list:
                    if type(src_dict) is dict:
                        item = new(cls)
                        item.additional_properties = dict(src_dict)
                        result.append(item)
                    else:
                        result.append(
                            cls.from_dict(src_dict)
                        )  # another mapping, or the error
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

    def __iter__(self) -> Iterator[str]:
        return iter(self.additional_properties)

    def __len__(self) -> int:
        return len(self.additional_properties)

    def __contains__(self, key: object) -> bool:
        return key in self.additional_properties
