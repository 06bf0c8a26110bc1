from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..types import UNSET, Unset, json_loads, paused_gc

if TYPE_CHECKING:
    from ..models.not_found_response_error_data import NotFoundResponseErrorData
    from ..models.not_found_response_openrouter_metadata_type_0 import (
        NotFoundResponseOpenrouterMetadataType0,
    )


T = TypeVar("T", bound="NotFoundResponse")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "error",
        "openrouter_metadata",
        "user_id",
    }
)


@_attrs_define
class NotFoundResponse:
    """Not Found - Resource does not exist

    Example:
        {'error': {'code': 404, 'message': 'Resource not found'}}

    """

    error: NotFoundResponseErrorData
    """ Error data for NotFoundResponse """
    openrouter_metadata: None | NotFoundResponseOpenrouterMetadataType0 | Unset = UNSET
    user_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.not_found_response_openrouter_metadata_type_0 import (
            NotFoundResponseOpenrouterMetadataType0,
        )

        error = self.error.to_dict()

        openrouter_metadata: dict[str, Any] | None | Unset
        if isinstance(self.openrouter_metadata, Unset):
            openrouter_metadata = UNSET
        elif isinstance(
            self.openrouter_metadata, NotFoundResponseOpenrouterMetadataType0
        ):
            openrouter_metadata = self.openrouter_metadata.to_dict()
        else:
            openrouter_metadata = self.openrouter_metadata

        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        else:
            user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "error": error,
            }
        )
        if openrouter_metadata is not UNSET:
            field_dict["openrouter_metadata"] = openrouter_metadata
        if user_id is not UNSET:
            field_dict["user_id"] = user_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.not_found_response_error_data import NotFoundResponseErrorData
        from ..models.not_found_response_openrouter_metadata_type_0 import (
            NotFoundResponseOpenrouterMetadataType0,
        )

        if not isinstance(src_dict, Mapping):
            raise InvalidResponseBody(
                "", f"expected an object, got {json_type(src_dict)}"
            )
        try:
            _error = src_dict["error"]
        except KeyError:
            raise InvalidResponseBody("error", "required field is missing") from None
        try:
            error = NotFoundResponseErrorData.from_dict(_error)

        except InvalidResponseBody as nested_error:
            raise nested_error.within("error") from None

        def _parse_openrouter_metadata(
            data: object,
        ) -> None | NotFoundResponseOpenrouterMetadataType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                openrouter_metadata_type_0 = (
                    NotFoundResponseOpenrouterMetadataType0.from_dict(data)
                )

                return openrouter_metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | NotFoundResponseOpenrouterMetadataType0 | Unset, data)

        openrouter_metadata = _parse_openrouter_metadata(
            src_dict.get("openrouter_metadata", UNSET)
        )

        def _parse_user_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_id = _parse_user_id(src_dict.get("user_id", UNSET))

        not_found_response = cls(
            error=error,
            openrouter_metadata=openrouter_metadata,
            user_id=user_id,
        )

        not_found_response.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return not_found_response

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
