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


if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas
    import polars
    import pyarrow

    from ..models.analytics_meta import AnalyticsMeta
    from ..models.analytics_meta_response import AnalyticsMetaResponse


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

    def to_arrow(
        self,
        *,
        meta: AnalyticsMeta | AnalyticsMetaResponse | None = None,
        columns: Sequence[str] | None = None,
    ) -> pyarrow.Table:
        """The rows as a typed ``pyarrow.Table`` (the ``arrow`` extra); see ``openrouter_analytics.tables``. ``meta`` (from ``get_analytics_meta()``) types each metric by its display format; ``columns`` (the metrics and dimensions asked for) keeps them in an empty result."""
        from openrouter_analytics import tables

        return tables.to_arrow(self, meta=meta, columns=columns)

    def to_pandas(
        self,
        *,
        meta: AnalyticsMeta | AnalyticsMetaResponse | None = None,
        columns: Sequence[str] | None = None,
    ) -> pandas.DataFrame:
        """The rows as a typed ``pandas.DataFrame`` (the ``pandas`` extra), a view of ``to_arrow()``."""
        from openrouter_analytics import tables

        return tables.to_pandas(self, meta=meta, columns=columns)

    def to_polars(
        self,
        *,
        meta: AnalyticsMeta | AnalyticsMetaResponse | None = None,
        columns: Sequence[str] | None = None,
    ) -> polars.DataFrame:
        """The rows as a typed ``polars.DataFrame`` (the ``polars`` extra), a view of ``to_arrow()``."""
        from openrouter_analytics import tables

        return tables.to_polars(self, meta=meta, columns=columns)

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
