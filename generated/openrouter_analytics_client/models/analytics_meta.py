from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..types import json_loads, paused_gc

if TYPE_CHECKING:
    from ..models.meta_dimension import MetaDimension
    from ..models.meta_granularity import MetaGranularity
    from ..models.meta_metric import MetaMetric
    from ..models.meta_operator import MetaOperator


T = TypeVar("T", bound="AnalyticsMeta")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "dimensions",
        "granularities",
        "metrics",
        "operators",
    }
)


@_attrs_define
class AnalyticsMeta:
    dimensions: list[MetaDimension]
    granularities: list[MetaGranularity]
    metrics: list[MetaMetric]
    operators: list[MetaOperator]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dimensions = []
        for dimensions_item_data in self.dimensions:
            dimensions_item = dimensions_item_data.to_dict()
            dimensions.append(dimensions_item)

        granularities = []
        for granularities_item_data in self.granularities:
            granularities_item = granularities_item_data.to_dict()
            granularities.append(granularities_item)

        metrics = []
        for metrics_item_data in self.metrics:
            metrics_item = metrics_item_data.to_dict()
            metrics.append(metrics_item)

        operators = []
        for operators_item_data in self.operators:
            operators_item = operators_item_data.to_dict()
            operators.append(operators_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dimensions": dimensions,
                "granularities": granularities,
                "metrics": metrics,
                "operators": operators,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.meta_dimension import MetaDimension
        from ..models.meta_granularity import MetaGranularity
        from ..models.meta_metric import MetaMetric
        from ..models.meta_operator import MetaOperator

        if not isinstance(src_dict, Mapping):
            raise InvalidResponseBody(
                "", f"expected an object, got {json_type(src_dict)}"
            )
        try:
            _dimensions = src_dict["dimensions"]
        except KeyError:
            raise InvalidResponseBody(
                "dimensions", "required field is missing"
            ) from None
        if type(_dimensions) is not list:
            raise InvalidResponseBody(
                "dimensions", f"expected an array, got {json_type(_dimensions)}"
            )
        try:
            dimensions = MetaDimension._from_dict_list(_dimensions)
        except InvalidResponseBody as nested_error:
            raise nested_error.within("dimensions") from None

        try:
            _granularities = src_dict["granularities"]
        except KeyError:
            raise InvalidResponseBody(
                "granularities", "required field is missing"
            ) from None
        if type(_granularities) is not list:
            raise InvalidResponseBody(
                "granularities", f"expected an array, got {json_type(_granularities)}"
            )
        try:
            granularities = MetaGranularity._from_dict_list(_granularities)
        except InvalidResponseBody as nested_error:
            raise nested_error.within("granularities") from None

        try:
            _metrics = src_dict["metrics"]
        except KeyError:
            raise InvalidResponseBody("metrics", "required field is missing") from None
        if type(_metrics) is not list:
            raise InvalidResponseBody(
                "metrics", f"expected an array, got {json_type(_metrics)}"
            )
        try:
            metrics = MetaMetric._from_dict_list(_metrics)
        except InvalidResponseBody as nested_error:
            raise nested_error.within("metrics") from None

        try:
            _operators = src_dict["operators"]
        except KeyError:
            raise InvalidResponseBody(
                "operators", "required field is missing"
            ) from None
        if type(_operators) is not list:
            raise InvalidResponseBody(
                "operators", f"expected an array, got {json_type(_operators)}"
            )
        try:
            operators = MetaOperator._from_dict_list(_operators)
        except InvalidResponseBody as nested_error:
            raise nested_error.within("operators") from None

        analytics_meta = cls(
            dimensions=dimensions,
            granularities=granularities,
            metrics=metrics,
            operators=operators,
        )

        analytics_meta.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return analytics_meta

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
