from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody
from ..types import decode_array_in_pieces, json_loads

if TYPE_CHECKING:
    from ..models.activity_item import ActivityItem


T = TypeVar("T", bound="ActivityResponse")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "data",
    }
)


@_attrs_define
class ActivityResponse:
    """
    Example:
        {'data': [{'byok_usage_inference': 0.012, 'completion_tokens': 125, 'date': '2025-08-24', 'endpoint_id':
            '550e8400-e29b-41d4-a716-446655440000', 'model': 'openai/gpt-4.1', 'model_permaslug':
            'openai/gpt-4.1-2025-04-14', 'prompt_tokens': 50, 'provider_name': 'OpenAI', 'reasoning_tokens': 25, 'requests':
            5, 'usage': 0.015}]}

    """

    data: list[ActivityItem]
    """ List of activity items """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

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
        from ..models.activity_item import ActivityItem

        if not isinstance(src_dict, Mapping):
            raise InvalidResponseBody(
                "ActivityResponse", f"expected an object, got {type(src_dict).__name__}"
            )
        try:
            _data = src_dict["data"]
        except KeyError:
            raise InvalidResponseBody(
                "ActivityResponse.data", "required field is missing"
            ) from None
        if type(_data) is not list:
            raise InvalidResponseBody(
                "ActivityResponse.data",
                f"expected an array, got {type(_data).__name__}",
            )
        data = ActivityItem._from_dict_list(_data)

        activity_response = cls(
            data=data,
        )

        activity_response.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return activity_response

    @classmethod
    def _from_dict_list(cls, src_list: Any) -> list[Self]:
        """from_dict for each element of a decoded JSON array: the same results, the same errors."""
        return [cls.from_dict(src_dict) for src_dict in src_list]

    @classmethod
    def _from_json(cls, content: bytes) -> Self:
        """from_dict of the decoded JSON content; a large array is decoded piece by piece."""
        from ..models.activity_item import ActivityItem

        data = decode_array_in_pieces(content, "data", ActivityItem._from_dict_list)
        if data is not None:
            return cls(data=data)
        return cls.from_dict(json_loads(content))

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
