from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..types import UNSET, Unset, json_loads, paused_gc

if TYPE_CHECKING:
    from ..models.classifier_dimensions import ClassifierDimensions
    from ..models.classifier_filters import ClassifierFilters
    from ..models.query_filter import QueryFilter
    from ..models.query_order_by import QueryOrderBy
    from ..models.query_time_range import QueryTimeRange


T = TypeVar("T", bound="AnalyticsQuery")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "metrics",
        "classifier_dimensions",
        "classifier_filters",
        "dimensions",
        "filters",
        "granularity",
        "group_limit",
        "limit",
        "order_by",
        "time_range",
    }
)


@_attrs_define
class AnalyticsQuery:
    metrics: list[str]
    classifier_dimensions: ClassifierDimensions | Unset = UNSET
    """ Group results by custom classifier tags, breaking down metrics by the specified dimension values. Requires
    an active classifier on the workspace. """
    classifier_filters: ClassifierFilters | Unset = UNSET
    """ Filter results to generations with specific classifier tag values. Can be combined with
    classifier_dimensions (must use the same classifier_id) or used independently with standard dimensions. """
    dimensions: list[str] | Unset = UNSET
    filters: list[QueryFilter] | Unset = UNSET
    granularity: str | Unset = UNSET
    """ Time granularity """
    group_limit: int | Unset = UNSET
    """ Maximum rows per distinct combination of dimensions. When omitted on time-series queries (granularity +
    dimensions), auto-computed to avoid truncating time windows. Explicit values override the default and may
    truncate time buckets if set lower than the number of buckets in the range. Ignored when no dimensions are
    specified. """
    limit: int | Unset = UNSET
    """ Maximum total rows returned. Defaults to 1000. On time-series queries with dimensions and no explicit
    group_limit, the server may raise this to accommodate the expected number of unique time-bucket/dimension
    combinations. """
    order_by: QueryOrderBy | Unset = UNSET
    time_range: QueryTimeRange | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        metrics = self.metrics

        classifier_dimensions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.classifier_dimensions, Unset):
            classifier_dimensions = self.classifier_dimensions.to_dict()

        classifier_filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.classifier_filters, Unset):
            classifier_filters = self.classifier_filters.to_dict()

        dimensions: list[str] | Unset = UNSET
        if not isinstance(self.dimensions, Unset):
            dimensions = self.dimensions

        filters: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = []
            for filters_item_data in self.filters:
                filters_item = filters_item_data.to_dict()
                filters.append(filters_item)

        granularity = self.granularity

        group_limit = self.group_limit

        limit = self.limit

        order_by: dict[str, Any] | Unset = UNSET
        if not isinstance(self.order_by, Unset):
            order_by = self.order_by.to_dict()

        time_range: dict[str, Any] | Unset = UNSET
        if not isinstance(self.time_range, Unset):
            time_range = self.time_range.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "metrics": metrics,
            }
        )
        if classifier_dimensions is not UNSET:
            field_dict["classifier_dimensions"] = classifier_dimensions
        if classifier_filters is not UNSET:
            field_dict["classifier_filters"] = classifier_filters
        if dimensions is not UNSET:
            field_dict["dimensions"] = dimensions
        if filters is not UNSET:
            field_dict["filters"] = filters
        if granularity is not UNSET:
            field_dict["granularity"] = granularity
        if group_limit is not UNSET:
            field_dict["group_limit"] = group_limit
        if limit is not UNSET:
            field_dict["limit"] = limit
        if order_by is not UNSET:
            field_dict["order_by"] = order_by
        if time_range is not UNSET:
            field_dict["time_range"] = time_range

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.classifier_dimensions import ClassifierDimensions
        from ..models.classifier_filters import ClassifierFilters
        from ..models.query_filter import QueryFilter
        from ..models.query_order_by import QueryOrderBy
        from ..models.query_time_range import QueryTimeRange

        if not isinstance(src_dict, Mapping):
            raise InvalidResponseBody(
                "", f"expected an object, got {json_type(src_dict)}"
            )
        try:
            _metrics = src_dict["metrics"]
        except KeyError:
            raise InvalidResponseBody("metrics", "required field is missing") from None
        if type(_metrics) is not list:
            raise InvalidResponseBody(
                "metrics", f"expected an array, got {json_type(_metrics)}"
            )
        metrics = cast(list[str], _metrics)

        if isinstance(metrics, list):
            for index, item in enumerate(metrics):
                if type(item) is not str:
                    raise InvalidResponseBody(
                        f"metrics[{index}]", f"expected a string, got {json_type(item)}"
                    )

        try:
            _classifier_dimensions = src_dict.get("classifier_dimensions", UNSET)
            classifier_dimensions: ClassifierDimensions | Unset
            if isinstance(_classifier_dimensions, Unset):
                classifier_dimensions = UNSET
            else:
                classifier_dimensions = ClassifierDimensions.from_dict(
                    _classifier_dimensions
                )

        except InvalidResponseBody as nested_error:
            raise nested_error.within("classifier_dimensions") from None

        try:
            _classifier_filters = src_dict.get("classifier_filters", UNSET)
            classifier_filters: ClassifierFilters | Unset
            if isinstance(_classifier_filters, Unset):
                classifier_filters = UNSET
            else:
                classifier_filters = ClassifierFilters.from_dict(_classifier_filters)

        except InvalidResponseBody as nested_error:
            raise nested_error.within("classifier_filters") from None

        _dimensions: Any = src_dict.get("dimensions", UNSET)
        if _dimensions is not UNSET and type(_dimensions) is not list:
            raise InvalidResponseBody(
                "dimensions", f"expected an array, got {json_type(_dimensions)}"
            )
        dimensions = cast(list[str], _dimensions)

        if isinstance(dimensions, list):
            for index, item in enumerate(dimensions):
                if type(item) is not str:
                    raise InvalidResponseBody(
                        f"dimensions[{index}]",
                        f"expected a string, got {json_type(item)}",
                    )

        _filters: Any = src_dict.get("filters", UNSET)
        if _filters is not UNSET and type(_filters) is not list:
            raise InvalidResponseBody(
                "filters", f"expected an array, got {json_type(_filters)}"
            )
        try:
            _filters = _filters
            filters: list[QueryFilter] | Unset = UNSET
            if _filters is not UNSET:
                filters = []
                for filters_item_data in _filters:
                    filters_item = QueryFilter.from_dict(filters_item_data)

                    filters.append(filters_item)

        except InvalidResponseBody as nested_error:
            raise nested_error.within("filters") from None

        granularity = src_dict.get("granularity", UNSET)
        if granularity is not UNSET and type(granularity) is not str:
            raise InvalidResponseBody(
                "granularity", f"expected a string, got {json_type(granularity)}"
            )

        group_limit = src_dict.get("group_limit", UNSET)
        if group_limit is not UNSET and type(group_limit) is not int:
            raise InvalidResponseBody(
                "group_limit", f"expected an integer, got {json_type(group_limit)}"
            )

        limit = src_dict.get("limit", UNSET)
        if limit is not UNSET and type(limit) is not int:
            raise InvalidResponseBody(
                "limit", f"expected an integer, got {json_type(limit)}"
            )

        try:
            _order_by = src_dict.get("order_by", UNSET)
            order_by: QueryOrderBy | Unset
            if isinstance(_order_by, Unset):
                order_by = UNSET
            else:
                order_by = QueryOrderBy.from_dict(_order_by)

        except InvalidResponseBody as nested_error:
            raise nested_error.within("order_by") from None

        try:
            _time_range = src_dict.get("time_range", UNSET)
            time_range: QueryTimeRange | Unset
            if isinstance(_time_range, Unset):
                time_range = UNSET
            else:
                time_range = QueryTimeRange.from_dict(_time_range)

        except InvalidResponseBody as nested_error:
            raise nested_error.within("time_range") from None

        analytics_query = cls(
            metrics=metrics,
            classifier_dimensions=classifier_dimensions,
            classifier_filters=classifier_filters,
            dimensions=dimensions,
            filters=filters,
            granularity=granularity,
            group_limit=group_limit,
            limit=limit,
            order_by=order_by,
            time_range=time_range,
        )

        analytics_query.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return analytics_query

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
