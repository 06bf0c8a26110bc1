from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..types import UNSET, Unset, json_loads, paused_gc

if TYPE_CHECKING:
    from ..models.internal_server_response_error_data_metadata_type_0 import (
        InternalServerResponseErrorDataMetadataType0,
    )


T = TypeVar("T", bound="InternalServerResponseErrorData")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "code",
        "message",
        "metadata",
    }
)


@_attrs_define
class InternalServerResponseErrorData:
    """Error data for InternalServerResponse

    Example:
        {'code': 500, 'message': 'Internal Server Error'}

    """

    code: int
    message: str
    metadata: InternalServerResponseErrorDataMetadataType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.internal_server_response_error_data_metadata_type_0 import (
            InternalServerResponseErrorDataMetadataType0,
        )

        code = self.code

        message = self.message

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, InternalServerResponseErrorDataMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.internal_server_response_error_data_metadata_type_0 import (
            InternalServerResponseErrorDataMetadataType0,
        )

        if not isinstance(src_dict, Mapping):
            raise InvalidResponseBody(
                "", f"expected an object, got {json_type(src_dict)}"
            )
        try:
            _code = src_dict["code"]
        except KeyError:
            raise InvalidResponseBody("code", "required field is missing") from None
        code = _code
        if type(code) is not int:
            raise InvalidResponseBody(
                "code", f"expected an integer, got {json_type(code)}"
            )

        try:
            _message = src_dict["message"]
        except KeyError:
            raise InvalidResponseBody("message", "required field is missing") from None
        message = _message
        if type(message) is not str:
            raise InvalidResponseBody(
                "message", f"expected a string, got {json_type(message)}"
            )

        def _parse_metadata(
            data: object,
        ) -> InternalServerResponseErrorDataMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = (
                    InternalServerResponseErrorDataMetadataType0.from_dict(data)
                )

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                InternalServerResponseErrorDataMetadataType0 | None | Unset, data
            )

        metadata = _parse_metadata(src_dict.get("metadata", UNSET))

        internal_server_response_error_data = cls(
            code=code,
            message=message,
            metadata=metadata,
        )

        internal_server_response_error_data.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return internal_server_response_error_data

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
