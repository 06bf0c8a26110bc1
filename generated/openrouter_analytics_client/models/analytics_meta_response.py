from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..types import json_loads, paused_gc

if TYPE_CHECKING:
    from ..models.analytics_meta import AnalyticsMeta


T = TypeVar("T", bound="AnalyticsMetaResponse")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "data",
    }
)


@_attrs_define
class AnalyticsMetaResponse:
    data: AnalyticsMeta
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.analytics_meta import AnalyticsMeta

        if not isinstance(src_dict, Mapping):
            raise InvalidResponseBody(
                "", f"expected an object, got {json_type(src_dict)}"
            )
        try:
            _data = src_dict["data"]
        except KeyError:
            raise InvalidResponseBody("data", "required field is missing") from None
        try:
            data = AnalyticsMeta.from_dict(_data)

        except InvalidResponseBody as nested_error:
            raise nested_error.within("data") from None

        analytics_meta_response = cls(
            data=data,
        )

        analytics_meta_response.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return analytics_meta_response

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
