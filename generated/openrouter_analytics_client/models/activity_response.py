from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..types import (
    UNSET,
    PendingRows,
    WireField,
    decode_rows,
    forget_pending_rows,
    json_loads,
    paused_gc,
    read_pending_rows,
    rows_made,
)

if TYPE_CHECKING:
    from ..models.activity_item import ActivityItem


if TYPE_CHECKING:
    import pandas
    import polars
    import pyarrow


T = TypeVar("T", bound="ActivityResponse")
R = TypeVar("R")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "data",
    }
)

# The fields of each row of `data`, for types.decode_rows: JSON name, attribute, JSON type, required.
_ROW_FIELDS: tuple[WireField, ...] = (
    ("byok_usage_inference", "byok_usage_inference", float, True),
    ("cached_tokens", "cached_tokens", int, True),
    ("completion_tokens", "completion_tokens", int, True),
    ("date", "date", str, True),
    ("endpoint_id", "endpoint_id", str, True),
    ("model", "model", str, True),
    ("model_permaslug", "model_permaslug", str, True),
    ("prompt_tokens", "prompt_tokens", int, True),
    ("provider_name", "provider_name", str, True),
    ("reasoning_tokens", "reasoning_tokens", int, True),
    ("requests", "requests", int, True),
    ("usage", "usage", float, True),
    ("workspace_id", "workspace_id", str, False),
)


@_attrs_define
class ActivityResponse:
    """
    Example:
        {'data': [{'byok_usage_inference': 0.012, 'cached_tokens': 10, 'completion_tokens': 125, 'date': '2025-08-24',
            'endpoint_id': '550e8400-e29b-41d4-a716-446655440000', 'model': 'openai/gpt-4.1', 'model_permaslug':
            'openai/gpt-4.1-2025-04-14', 'prompt_tokens': 50, 'provider_name': 'OpenAI', 'reasoning_tokens': 25, 'requests':
            5, 'usage': 0.015}]}

    """

    data: list[ActivityItem] = _attrs_field(on_setattr=forget_pending_rows)
    """ List of activity items """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The rows of a decoded body until `data` is first read (see __getattr__).
    _pending_rows: PendingRows[ActivityItem] | None = _attrs_field(
        init=False, default=None, eq=False, repr=False
    )

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
            data = ActivityItem._from_dict_list(_data)
        except InvalidResponseBody as nested_error:
            raise nested_error.within("data") from None

        activity_response = cls(
            data=data,
        )

        activity_response.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return activity_response

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
        """from_dict of the decoded JSON content; the rows are made without a dict per row."""
        decoded = decode_rows(content, "data", _ROW_FIELDS, cls._rows_from_wires)
        if decoded is not None:
            # `data` stays unset: its rows are made when first read, and a table reads them as decoded.
            activity_response = object.__new__(cls)
            # Past the class's __setattr__ (attrs', for the on_setattr of `data`): one call less per response.
            object.__setattr__(activity_response, "_pending_rows", decoded[0])
            object.__setattr__(activity_response, "additional_properties", decoded[1])
            return activity_response
        return cls.from_dict(json_loads(content))

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # Reached only for an attribute that is not set: `data` of a decoded body, made now.
            if name == "data":
                return rows_made(self, name)
            if name == "_pending_rows":
                # Unset in a report unpickled from a release before rows were pending.
                return None
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}",
                name=name,
                obj=self,
            )

    def _read_pending_rows(self, read: Callable[[list[Any], str], R]) -> R | None:
        """read(structs, extra_key) of the decoded rows while `data` is unread (see types.PendingRows), else None."""
        return read_pending_rows(self, "data", read)

    @staticmethod
    def _rows_from_wires(
        wires: list[Any], extra_key: str, shared: dict[str, Callable[[Any, Any], Any]]
    ) -> list[ActivityItem]:
        """ActivityItems from the rows types.decode_rows decoded and checked against _ROW_FIELDS."""
        from ..models.activity_item import ActivityItem

        share_date = shared.get("date")
        share_endpoint_id = shared.get("endpoint_id")
        share_model = shared.get("model")
        share_model_permaslug = shared.get("model_permaslug")
        share_provider_name = shared.get("provider_name")
        share_workspace_id = shared.get("workspace_id")
        result: list[ActivityItem] = []
        append = result.append
        new = object.__new__
        for index, wire in enumerate(wires):
            # Each struct is freed once its values have moved, so its memory serves the next rows.
            wires[index] = None
            item = new(ActivityItem)
            item.byok_usage_inference = wire.byok_usage_inference
            item.cached_tokens = wire.cached_tokens
            item.completion_tokens = wire.completion_tokens
            item.date = (
                wire.date if share_date is None else share_date(wire.date, wire.date)
            )
            item.endpoint_id = (
                wire.endpoint_id
                if share_endpoint_id is None
                else share_endpoint_id(wire.endpoint_id, wire.endpoint_id)
            )
            item.model = (
                wire.model
                if share_model is None
                else share_model(wire.model, wire.model)
            )
            item.model_permaslug = (
                wire.model_permaslug
                if share_model_permaslug is None
                else share_model_permaslug(wire.model_permaslug, wire.model_permaslug)
            )
            item.prompt_tokens = wire.prompt_tokens
            item.provider_name = (
                wire.provider_name
                if share_provider_name is None
                else share_provider_name(wire.provider_name, wire.provider_name)
            )
            item.reasoning_tokens = wire.reasoning_tokens
            item.requests = wire.requests
            item.usage = wire.usage
            item.workspace_id = (
                wire.workspace_id
                if share_workspace_id is None
                else share_workspace_id(wire.workspace_id, wire.workspace_id)
            )
            extra = (
                wire._extra
            )  # the value of the one key the spec does not list, or UNSET
            item.additional_properties = {} if extra is UNSET else {extra_key: extra}
            append(item)
        return result

    def to_arrow(self) -> pyarrow.Table:
        """The rows as a typed ``pyarrow.Table`` (the ``arrow`` extra); see ``openrouter_analytics.tables``."""
        from openrouter_analytics import tables

        return tables.to_arrow(self)

    def to_pandas(self) -> pandas.DataFrame:
        """The rows as a typed ``pandas.DataFrame`` (the ``pandas`` extra), a view of ``to_arrow()``."""
        from openrouter_analytics import tables

        return tables.to_pandas(self)

    def to_polars(self) -> polars.DataFrame:
        """The rows as a typed ``polars.DataFrame`` (the ``polars`` extra), a view of ``to_arrow()``."""
        from openrouter_analytics import tables

        return tables.to_polars(self)

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow PyCapsule stream of ``to_arrow()``: ``polars.DataFrame(result)``, DuckDB and pandas read it."""
        from openrouter_analytics import tables

        return tables.arrow_c_stream(self, requested_schema)

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
