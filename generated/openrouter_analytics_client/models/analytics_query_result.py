from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..types import UNSET, Unset, json_loads, paused_gc

if TYPE_CHECKING:
    from ..models.analytics_query_metadata import AnalyticsQueryMetadata
    from ..models.analytics_query_row import AnalyticsQueryRow


T = TypeVar("T", bound="AnalyticsQueryResult")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "data",
        "metadata",
        "cachedAt",
        "warnings",
    }
)


@_attrs_define
class AnalyticsQueryResult:
    data: list[AnalyticsQueryRow]
    metadata: AnalyticsQueryMetadata
    cached_at: float | Unset = UNSET
    warnings: list[str] | Unset = UNSET
    """ Warnings about filter resolution issues (e.g. unresolvable api_key_id hashes). The query still runs
    normally; these inform the caller that some filter values could not be resolved. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        metadata = self.metadata.to_dict()

        cached_at = self.cached_at

        warnings: list[str] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = self.warnings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "metadata": metadata,
            }
        )
        if cached_at is not UNSET:
            field_dict["cachedAt"] = cached_at
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.analytics_query_metadata import AnalyticsQueryMetadata
        from ..models.analytics_query_row import AnalyticsQueryRow

        if not isinstance(src_dict, Mapping):
            raise InvalidResponseBody(
                "", f"expected an object, got {json_type(src_dict)}"
            )
        try:
            _data = src_dict["data"]
        except KeyError:
            raise InvalidResponseBody("data", "required field is missing") from None
        if type(_data) is not list:
            raise InvalidResponseBody(
                "data", f"expected an array, got {json_type(_data)}"
            )
        try:
            data = AnalyticsQueryRow._from_dict_list(_data)
        except InvalidResponseBody as nested_error:
            raise nested_error.within("data") from None

        try:
            _metadata = src_dict["metadata"]
        except KeyError:
            raise InvalidResponseBody("metadata", "required field is missing") from None
        try:
            metadata = AnalyticsQueryMetadata.from_dict(_metadata)

        except InvalidResponseBody as nested_error:
            raise nested_error.within("metadata") from None

        cached_at = src_dict.get("cachedAt", UNSET)
        if cached_at is not UNSET and (
            type(cached_at) is not float and type(cached_at) is not int
        ):
            raise InvalidResponseBody(
                "cachedAt", f"expected a number, got {json_type(cached_at)}"
            )

        _warnings: Any = src_dict.get("warnings", UNSET)
        if _warnings is not UNSET and type(_warnings) is not list:
            raise InvalidResponseBody(
                "warnings", f"expected an array, got {json_type(_warnings)}"
            )
        warnings = cast(list[str], _warnings)

        if isinstance(warnings, list):
            for index, item in enumerate(warnings):
                if type(item) is not str:
                    raise InvalidResponseBody(
                        f"warnings[{index}]",
                        f"expected a string, got {json_type(item)}",
                    )

        analytics_query_result = cls(
            data=data,
            metadata=metadata,
            cached_at=cached_at,
            warnings=warnings,
        )

        analytics_query_result.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return analytics_query_result

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

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
