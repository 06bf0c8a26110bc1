from __future__ import annotations

import gc as _gc
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody
from ..types import json_loads

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
                "MetaDimension", f"expected an object, got {type(src_dict).__name__}"
            )
        try:
            _display_label = src_dict["display_label"]
        except KeyError:
            raise InvalidResponseBody(
                "MetaDimension.display_label", "required field is missing"
            ) from None
        display_label = _display_label
        if type(display_label) is not str:
            raise InvalidResponseBody(
                "MetaDimension.display_label",
                f"expected a string, got {type(display_label).__name__}",
            )

        try:
            _name = src_dict["name"]
        except KeyError:
            raise InvalidResponseBody(
                "MetaDimension.name", "required field is missing"
            ) from None
        name = _name
        if type(name) is not str:
            raise InvalidResponseBody(
                "MetaDimension.name", f"expected a string, got {type(name).__name__}"
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
                        v_display_label = src_dict["display_label"]
                        v_name = src_dict["name"]
                    except KeyError:
                        pass
                    else:
                        if not (
                            type(v_display_label) is not str or type(v_name) is not str
                        ):
                            item = new(cls)
                            item.display_label = v_display_label
                            item.name = v_name
                            # The declared fields present are known, so the key count tells whether there are others.
                            size = len(src_dict)
                            known = 2
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
