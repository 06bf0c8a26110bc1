from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..types import json_loads, paused_gc

if TYPE_CHECKING:
    from ..models.classifier_filter import ClassifierFilter


T = TypeVar("T", bound="ClassifierFilters")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "classifier_id",
        "filters",
    }
)


@_attrs_define
class ClassifierFilters:
    """Filter results to generations with specific classifier tag values. Can be combined with classifier_dimensions (must
    use the same classifier_id) or used independently with standard dimensions.

    """

    classifier_id: UUID
    """ UUID of the classifier whose tags to filter by. Must match classifier_dimensions.classifier_id when both are
    specified. """
    filters: list[ClassifierFilter]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        classifier_id = str(self.classifier_id)

        filters = []
        for filters_item_data in self.filters:
            filters_item = filters_item_data.to_dict()
            filters.append(filters_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "classifier_id": classifier_id,
                "filters": filters,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.classifier_filter import ClassifierFilter

        if not isinstance(src_dict, Mapping):
            raise InvalidResponseBody(
                "", f"expected an object, got {json_type(src_dict)}"
            )
        try:
            _classifier_id = src_dict["classifier_id"]
        except KeyError:
            raise InvalidResponseBody(
                "classifier_id", "required field is missing"
            ) from None
        classifier_id = UUID(_classifier_id)

        try:
            _filters = src_dict["filters"]
        except KeyError:
            raise InvalidResponseBody("filters", "required field is missing") from None
        if type(_filters) is not list:
            raise InvalidResponseBody(
                "filters", f"expected an array, got {json_type(_filters)}"
            )
        try:
            filters = ClassifierFilter._from_dict_list(_filters)
        except InvalidResponseBody as nested_error:
            raise nested_error.within("filters") from None

        classifier_filters = cls(
            classifier_id=classifier_id,
            filters=filters,
        )

        classifier_filters.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return classifier_filters

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
