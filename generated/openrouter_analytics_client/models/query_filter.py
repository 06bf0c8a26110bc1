from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..types import UNSET, Unset, json_loads, paused_gc

T = TypeVar("T", bound="QueryFilter")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "field",
        "operator",
        "value",
        "include_unset",
    }
)


@_attrs_define
class QueryFilter:
    field: str
    """ Dimension to filter on. Use the /meta endpoint for available dimensions. """
    operator: str
    """ Filter operator """
    value: float | list[float | str] | str
    """ Filter value (scalar or array depending on operator). Several dimensions are enriched in responses (returned
    as human-readable labels), but filters must use the underlying ID: `api_key_id` — numeric ID (from generation
    metadata) or key hash (64-char hex from GET /api/v1/keys, resolved server-side); `user` — Clerk user ID (e.g.
    "user_abc123"), not the display name; `workspace` — workspace UUID, not the workspace name (filtering or
    grouping by the account default workspace also covers activity recorded before workspace resolution existed,
    which is attributed to that default workspace); `app` — numeric app ID, not the app title; `model` — permaslug
    (e.g. "openai/gpt-4o"), not the display name. Other dimensions (provider, origin, country, etc.) are not
    enriched and accept the value as returned. """
    include_unset: bool | Unset = UNSET
    """ Include rows where the dimension has no value. Applies only to the `in` and `not_in` operators and
    dimensions that have an unset bucket. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        operator = self.operator

        value: float | list[float | str] | str
        if isinstance(self.value, list):
            value = []
            for value_type_2_item_data in self.value:
                value_type_2_item: float | str
                value_type_2_item = value_type_2_item_data
                value.append(value_type_2_item)

        else:
            value = self.value

        include_unset = self.include_unset

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "field": field,
                "operator": operator,
                "value": value,
            }
        )
        if include_unset is not UNSET:
            field_dict["include_unset"] = include_unset

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        if not isinstance(src_dict, Mapping):
            raise InvalidResponseBody(
                "", f"expected an object, got {json_type(src_dict)}"
            )
        try:
            _field = src_dict["field"]
        except KeyError:
            raise InvalidResponseBody("field", "required field is missing") from None
        field = _field
        if type(field) is not str:
            raise InvalidResponseBody(
                "field", f"expected a string, got {json_type(field)}"
            )

        try:
            _operator = src_dict["operator"]
        except KeyError:
            raise InvalidResponseBody("operator", "required field is missing") from None
        operator = _operator
        if type(operator) is not str:
            raise InvalidResponseBody(
                "operator", f"expected a string, got {json_type(operator)}"
            )

        try:
            _value = src_dict["value"]
        except KeyError:
            raise InvalidResponseBody("value", "required field is missing") from None

        def _parse_value(data: object) -> float | list[float | str] | str:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                value_type_2 = []
                _value_type_2 = data
                for value_type_2_item_data in _value_type_2:

                    def _parse_value_type_2_item(data: object) -> float | str:
                        return cast(float | str, data)

                    value_type_2_item = _parse_value_type_2_item(value_type_2_item_data)

                    value_type_2.append(value_type_2_item)

                return value_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[float | str] | str, data)

        value = _parse_value(_value)

        include_unset = src_dict.get("include_unset", UNSET)
        if include_unset is not UNSET and type(include_unset) is not bool:
            raise InvalidResponseBody(
                "include_unset", f"expected a boolean, got {json_type(include_unset)}"
            )

        query_filter = cls(
            field=field,
            operator=operator,
            value=value,
            include_unset=include_unset,
        )

        query_filter.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return query_filter

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
