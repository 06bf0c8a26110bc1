"""Contains all the data models used in inputs/outputs

Each model's module is imported the first time its name is used, so that importing one model
(or an operation, which needs only the model of its success response up front) does not pay
for all of them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .activity_group_by import ActivityGroupBy
    from .activity_item import ActivityItem
    from .activity_response import ActivityResponse
    from .analytics_meta import AnalyticsMeta
    from .analytics_meta_response import AnalyticsMetaResponse
    from .analytics_query import AnalyticsQuery
    from .analytics_query_metadata import AnalyticsQueryMetadata
    from .analytics_query_response import AnalyticsQueryResponse
    from .analytics_query_result import AnalyticsQueryResult
    from .analytics_query_row import AnalyticsQueryRow
    from .bad_request_response import BadRequestResponse
    from .bad_request_response_error_data import BadRequestResponseErrorData
    from .bad_request_response_error_data_metadata_type_0 import (
        BadRequestResponseErrorDataMetadataType0,
    )
    from .bad_request_response_openrouter_metadata_type_0 import (
        BadRequestResponseOpenrouterMetadataType0,
    )
    from .classifier_dimensions import ClassifierDimensions
    from .classifier_filter import ClassifierFilter
    from .classifier_filters import ClassifierFilters
    from .display_format import DisplayFormat
    from .forbidden_response import ForbiddenResponse
    from .forbidden_response_error_data import ForbiddenResponseErrorData
    from .forbidden_response_error_data_metadata_type_0 import (
        ForbiddenResponseErrorDataMetadataType0,
    )
    from .forbidden_response_openrouter_metadata_type_0 import (
        ForbiddenResponseOpenrouterMetadataType0,
    )
    from .granularity_name import GranularityName
    from .internal_server_response import InternalServerResponse
    from .internal_server_response_error_data import InternalServerResponseErrorData
    from .internal_server_response_error_data_metadata_type_0 import (
        InternalServerResponseErrorDataMetadataType0,
    )
    from .internal_server_response_openrouter_metadata_type_0 import (
        InternalServerResponseOpenrouterMetadataType0,
    )
    from .meta_dimension import MetaDimension
    from .meta_granularity import MetaGranularity
    from .meta_metric import MetaMetric
    from .meta_operator import MetaOperator
    from .not_found_response import NotFoundResponse
    from .not_found_response_error_data import NotFoundResponseErrorData
    from .not_found_response_error_data_metadata_type_0 import (
        NotFoundResponseErrorDataMetadataType0,
    )
    from .not_found_response_openrouter_metadata_type_0 import (
        NotFoundResponseOpenrouterMetadataType0,
    )
    from .operator_name import OperatorName
    from .operator_value_type import OperatorValueType
    from .order_direction import OrderDirection
    from .query_filter import QueryFilter
    from .query_order_by import QueryOrderBy
    from .query_time_range import QueryTimeRange
    from .request_timeout_response import RequestTimeoutResponse
    from .request_timeout_response_error_data import RequestTimeoutResponseErrorData
    from .request_timeout_response_error_data_metadata_type_0 import (
        RequestTimeoutResponseErrorDataMetadataType0,
    )
    from .request_timeout_response_openrouter_metadata_type_0 import (
        RequestTimeoutResponseOpenrouterMetadataType0,
    )
    from .unauthorized_response import UnauthorizedResponse
    from .unauthorized_response_error_data import UnauthorizedResponseErrorData
    from .unauthorized_response_error_data_metadata_type_0 import (
        UnauthorizedResponseErrorDataMetadataType0,
    )
    from .unauthorized_response_openrouter_metadata_type_0 import (
        UnauthorizedResponseOpenrouterMetadataType0,
    )

# model name -> the module under this package that defines it
_MODULES = {
    "ActivityGroupBy": ".activity_group_by",
    "ActivityItem": ".activity_item",
    "ActivityResponse": ".activity_response",
    "AnalyticsMeta": ".analytics_meta",
    "AnalyticsMetaResponse": ".analytics_meta_response",
    "AnalyticsQuery": ".analytics_query",
    "AnalyticsQueryMetadata": ".analytics_query_metadata",
    "AnalyticsQueryResponse": ".analytics_query_response",
    "AnalyticsQueryResult": ".analytics_query_result",
    "AnalyticsQueryRow": ".analytics_query_row",
    "BadRequestResponse": ".bad_request_response",
    "BadRequestResponseErrorData": ".bad_request_response_error_data",
    "BadRequestResponseErrorDataMetadataType0": ".bad_request_response_error_data_metadata_type_0",
    "BadRequestResponseOpenrouterMetadataType0": ".bad_request_response_openrouter_metadata_type_0",
    "ClassifierDimensions": ".classifier_dimensions",
    "ClassifierFilter": ".classifier_filter",
    "ClassifierFilters": ".classifier_filters",
    "DisplayFormat": ".display_format",
    "ForbiddenResponse": ".forbidden_response",
    "ForbiddenResponseErrorData": ".forbidden_response_error_data",
    "ForbiddenResponseErrorDataMetadataType0": ".forbidden_response_error_data_metadata_type_0",
    "ForbiddenResponseOpenrouterMetadataType0": ".forbidden_response_openrouter_metadata_type_0",
    "GranularityName": ".granularity_name",
    "InternalServerResponse": ".internal_server_response",
    "InternalServerResponseErrorData": ".internal_server_response_error_data",
    "InternalServerResponseErrorDataMetadataType0": ".internal_server_response_error_data_metadata_type_0",
    "InternalServerResponseOpenrouterMetadataType0": ".internal_server_response_openrouter_metadata_type_0",
    "MetaDimension": ".meta_dimension",
    "MetaGranularity": ".meta_granularity",
    "MetaMetric": ".meta_metric",
    "MetaOperator": ".meta_operator",
    "NotFoundResponse": ".not_found_response",
    "NotFoundResponseErrorData": ".not_found_response_error_data",
    "NotFoundResponseErrorDataMetadataType0": ".not_found_response_error_data_metadata_type_0",
    "NotFoundResponseOpenrouterMetadataType0": ".not_found_response_openrouter_metadata_type_0",
    "OperatorName": ".operator_name",
    "OperatorValueType": ".operator_value_type",
    "OrderDirection": ".order_direction",
    "QueryFilter": ".query_filter",
    "QueryOrderBy": ".query_order_by",
    "QueryTimeRange": ".query_time_range",
    "RequestTimeoutResponse": ".request_timeout_response",
    "RequestTimeoutResponseErrorData": ".request_timeout_response_error_data",
    "RequestTimeoutResponseErrorDataMetadataType0": ".request_timeout_response_error_data_metadata_type_0",
    "RequestTimeoutResponseOpenrouterMetadataType0": ".request_timeout_response_openrouter_metadata_type_0",
    "UnauthorizedResponse": ".unauthorized_response",
    "UnauthorizedResponseErrorData": ".unauthorized_response_error_data",
    "UnauthorizedResponseErrorDataMetadataType0": ".unauthorized_response_error_data_metadata_type_0",
    "UnauthorizedResponseOpenrouterMetadataType0": ".unauthorized_response_openrouter_metadata_type_0",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})


__all__ = (
    "ActivityGroupBy",
    "ActivityItem",
    "ActivityResponse",
    "AnalyticsMeta",
    "AnalyticsMetaResponse",
    "AnalyticsQuery",
    "AnalyticsQueryMetadata",
    "AnalyticsQueryResponse",
    "AnalyticsQueryResult",
    "AnalyticsQueryRow",
    "BadRequestResponse",
    "BadRequestResponseErrorData",
    "BadRequestResponseErrorDataMetadataType0",
    "BadRequestResponseOpenrouterMetadataType0",
    "ClassifierDimensions",
    "ClassifierFilter",
    "ClassifierFilters",
    "DisplayFormat",
    "ForbiddenResponse",
    "ForbiddenResponseErrorData",
    "ForbiddenResponseErrorDataMetadataType0",
    "ForbiddenResponseOpenrouterMetadataType0",
    "GranularityName",
    "InternalServerResponse",
    "InternalServerResponseErrorData",
    "InternalServerResponseErrorDataMetadataType0",
    "InternalServerResponseOpenrouterMetadataType0",
    "MetaDimension",
    "MetaGranularity",
    "MetaMetric",
    "MetaOperator",
    "NotFoundResponse",
    "NotFoundResponseErrorData",
    "NotFoundResponseErrorDataMetadataType0",
    "NotFoundResponseOpenrouterMetadataType0",
    "OperatorName",
    "OperatorValueType",
    "OrderDirection",
    "QueryFilter",
    "QueryOrderBy",
    "QueryTimeRange",
    "RequestTimeoutResponse",
    "RequestTimeoutResponseErrorData",
    "RequestTimeoutResponseErrorDataMetadataType0",
    "RequestTimeoutResponseOpenrouterMetadataType0",
    "UnauthorizedResponse",
    "UnauthorizedResponseErrorData",
    "UnauthorizedResponseErrorDataMetadataType0",
    "UnauthorizedResponseOpenrouterMetadataType0",
)
