from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..types import UNSET, Unset, json_loads, paused_gc

T = TypeVar("T", bound="ClassifierDimensions")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "classifier_id",
        "dimension_names",
        "include_nulls",
    }
)


@_attrs_define
class ClassifierDimensions:
    """Group results by custom classifier tags, breaking down metrics by the specified dimension values. Requires an active
    classifier on the workspace.

    """

    classifier_id: UUID
    """ UUID of the classifier whose tags to group by. """
    dimension_names: list[str] | Unset = UNSET
    include_nulls: bool | Unset = UNSET
    """ When true, also include generations that have no tag from this classifier. Defaults to false, which returns
    only classified generations. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        classifier_id = str(self.classifier_id)

        dimension_names: list[str] | Unset = UNSET
        if not isinstance(self.dimension_names, Unset):
            dimension_names = self.dimension_names

        include_nulls = self.include_nulls

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "classifier_id": classifier_id,
            }
        )
        if dimension_names is not UNSET:
            field_dict["dimension_names"] = dimension_names
        if include_nulls is not UNSET:
            field_dict["include_nulls"] = include_nulls

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
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

        _dimension_names: Any = src_dict.get("dimension_names", UNSET)
        if _dimension_names is not UNSET and type(_dimension_names) is not list:
            raise InvalidResponseBody(
                "dimension_names",
                f"expected an array, got {json_type(_dimension_names)}",
            )
        dimension_names = cast(list[str], _dimension_names)

        if isinstance(dimension_names, list):
            for index, item in enumerate(dimension_names):
                if type(item) is not str:
                    raise InvalidResponseBody(
                        f"dimension_names[{index}]",
                        f"expected a string, got {json_type(item)}",
                    )

        include_nulls = src_dict.get("include_nulls", UNSET)
        if include_nulls is not UNSET and type(include_nulls) is not bool:
            raise InvalidResponseBody(
                "include_nulls", f"expected a boolean, got {json_type(include_nulls)}"
            )

        classifier_dimensions = cls(
            classifier_id=classifier_id,
            dimension_names=dimension_names,
            include_nulls=include_nulls,
        )

        classifier_dimensions.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return classifier_dimensions

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
