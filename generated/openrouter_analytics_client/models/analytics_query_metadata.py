from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..types import json_loads, paused_gc

T = TypeVar("T", bound="AnalyticsQueryMetadata")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "query_time_ms",
        "row_count",
        "truncated",
    }
)


@_attrs_define
class AnalyticsQueryMetadata:
    query_time_ms: float
    row_count: int
    truncated: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        query_time_ms = self.query_time_ms

        row_count = self.row_count

        truncated = self.truncated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "query_time_ms": query_time_ms,
                "row_count": row_count,
                "truncated": truncated,
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
            _query_time_ms = src_dict["query_time_ms"]
        except KeyError:
            raise InvalidResponseBody(
                "query_time_ms", "required field is missing"
            ) from None
        query_time_ms = _query_time_ms
        if type(query_time_ms) is not float and type(query_time_ms) is not int:
            raise InvalidResponseBody(
                "query_time_ms", f"expected a number, got {json_type(query_time_ms)}"
            )

        try:
            _row_count = src_dict["row_count"]
        except KeyError:
            raise InvalidResponseBody(
                "row_count", "required field is missing"
            ) from None
        row_count = _row_count
        if type(row_count) is not int:
            raise InvalidResponseBody(
                "row_count", f"expected an integer, got {json_type(row_count)}"
            )

        try:
            _truncated = src_dict["truncated"]
        except KeyError:
            raise InvalidResponseBody(
                "truncated", "required field is missing"
            ) from None
        truncated = _truncated
        if type(truncated) is not bool:
            raise InvalidResponseBody(
                "truncated", f"expected a boolean, got {json_type(truncated)}"
            )

        analytics_query_metadata = cls(
            query_time_ms=query_time_ms,
            row_count=row_count,
            truncated=truncated,
        )

        analytics_query_metadata.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return analytics_query_metadata

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
