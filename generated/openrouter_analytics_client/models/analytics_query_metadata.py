from __future__ import annotations

import gc as _gc
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody
from ..types import json_loads

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
                "AnalyticsQueryMetadata",
                f"expected an object, got {type(src_dict).__name__}",
            )
        try:
            _query_time_ms = src_dict["query_time_ms"]
        except KeyError:
            raise InvalidResponseBody(
                "AnalyticsQueryMetadata.query_time_ms", "required field is missing"
            ) from None
        query_time_ms = _query_time_ms
        if type(query_time_ms) is not float and type(query_time_ms) is not int:
            raise InvalidResponseBody(
                "AnalyticsQueryMetadata.query_time_ms",
                f"expected a number, got {type(query_time_ms).__name__}",
            )

        try:
            _row_count = src_dict["row_count"]
        except KeyError:
            raise InvalidResponseBody(
                "AnalyticsQueryMetadata.row_count", "required field is missing"
            ) from None
        row_count = _row_count
        if type(row_count) is not int:
            raise InvalidResponseBody(
                "AnalyticsQueryMetadata.row_count",
                f"expected an integer, got {type(row_count).__name__}",
            )

        try:
            _truncated = src_dict["truncated"]
        except KeyError:
            raise InvalidResponseBody(
                "AnalyticsQueryMetadata.truncated", "required field is missing"
            ) from None
        truncated = _truncated
        if type(truncated) is not bool:
            raise InvalidResponseBody(
                "AnalyticsQueryMetadata.truncated",
                f"expected a boolean, got {type(truncated).__name__}",
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
    def _from_dict_list(cls, src_list: Any) -> list[Self]:
        """from_dict for each element of a decoded JSON array: the same results, the same errors."""
        result: list[Self] = []
        append = result.append
        new = object.__new__
        # Rows of one response usually share their extra key (a field newer than this client):
        # remember it, so that one lookup replaces a scan of every key.
        last_extra: Any = None
        # The objects made here hold only JSON scalars and cannot form cycles, so the cyclic
        # garbage collector has nothing to find in them; running it again and again as
        # thousands of them appear would cost more than making them. It resumes afterwards.
        collecting = _gc.isenabled()
        if collecting:
            _gc.disable()
        try:
            for src_dict in src_list:
                if type(src_dict) is dict:
                    try:
                        v_query_time_ms = src_dict["query_time_ms"]
                        v_row_count = src_dict["row_count"]
                        v_truncated = src_dict["truncated"]
                    except KeyError:
                        pass
                    else:
                        if not (
                            (
                                type(v_query_time_ms) is not float
                                and type(v_query_time_ms) is not int
                            )
                            or type(v_row_count) is not int
                            or type(v_truncated) is not bool
                        ):
                            item = new(cls)
                            item.query_time_ms = v_query_time_ms
                            item.row_count = v_row_count
                            item.truncated = v_truncated
                            # The declared fields present are known, so the key count tells whether there are others.
                            size = len(src_dict)
                            known = 3
                            if size == known:
                                item.additional_properties = {}
                            elif size == known + 1 and last_extra in src_dict:
                                item.additional_properties = {
                                    last_extra: src_dict[last_extra]
                                }
                            else:
                                extras = {
                                    key: value
                                    for key, value in src_dict.items()
                                    if key not in _FIELDS
                                }
                                if len(extras) == 1:
                                    (last_extra,) = extras
                                item.additional_properties = extras
                            append(item)
                            continue
                append(cls.from_dict(src_dict))
        finally:
            if collecting:
                _gc.enable()
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

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
