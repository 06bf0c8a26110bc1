"""Typed client and command-line tool for OpenRouter's Analytics API.

    from openrouter_analytics import Analytics, summarize

    with Analytics() as analytics:            # key from OPENROUTER_API_KEY
        report = analytics.get_user_activity()    # the last 30 completed UTC days
        meta = analytics.get_analytics_meta()     # what query_analytics() can ask for
        result = analytics.query_analytics(metrics=["total_usage"], dimensions=["model"])
    print(summarize(report, by="model").total.cost)
    print([metric.name for metric in meta.data.metrics])
    for row in result.data.data:              # rows are read-only mappings: dict(row)
        print(row["model"], row["total_usage"])

Every call is made inside the ``with`` block: leaving it closes the client.

Names are imported on first use, so ``import openrouter_analytics`` stays cheap for
short-lived scripts and command-line runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openrouter_analytics_client.models import (
        ActivityItem,
        ActivityResponse,
        AnalyticsMeta,
        AnalyticsMetaResponse,
        AnalyticsQuery,
        AnalyticsQueryMetadata,
        AnalyticsQueryResponse,
        AnalyticsQueryResult,
        AnalyticsQueryRow,
        ClassifierDimensions,
        ClassifierFilter,
        ClassifierFilters,
        MetaDimension,
        MetaGranularity,
        MetaMetric,
        MetaOperator,
        QueryFilter,
        QueryOrderBy,
        QueryTimeRange,
    )
    from openrouter_analytics_client.types import UNSET, Unset

    from . import errors
    from ._client import Analytics, AsyncAnalytics
    from ._response import APIResponse
    from ._types import NOT_GIVEN, NotGiven
    from .budget import BudgetCheck, GroupBudget, check_budget
    from .params import (
        ClassifierDimensionsParam,
        ClassifierFilterParam,
        ClassifierFiltersParam,
        OrderByParam,
        QueryFilterParam,
        TimeRangeParam,
    )
    from .query_rows import time_bucket
    from .spend import GroupCheck, SpendCheck, check_spend
    from .summary import Summary, SummaryRow, summarize

__version__ = "0.1.0"

# public name -> module that defines it ("" for a submodule of the same name)
_EXPORTS = {
    "Analytics": "._client",
    "AsyncAnalytics": "._client",
    "APIResponse": "._response",
    "NOT_GIVEN": "._types",
    "NotGiven": "._types",
    "errors": "",
    "summarize": ".summary",
    "Summary": ".summary",
    "SummaryRow": ".summary",
    "ClassifierDimensionsParam": ".params",
    "ClassifierFilterParam": ".params",
    "ClassifierFiltersParam": ".params",
    "OrderByParam": ".params",
    "QueryFilterParam": ".params",
    "TimeRangeParam": ".params",
    "check_spend": ".spend",
    "SpendCheck": ".spend",
    "GroupCheck": ".spend",
    "check_budget": ".budget",
    "BudgetCheck": ".budget",
    "GroupBudget": ".budget",
    "time_bucket": ".query_rows",
    "ActivityItem": "openrouter_analytics_client.models",
    "ActivityResponse": "openrouter_analytics_client.models",
    "AnalyticsMeta": "openrouter_analytics_client.models",
    "AnalyticsMetaResponse": "openrouter_analytics_client.models",
    "AnalyticsQuery": "openrouter_analytics_client.models",
    "AnalyticsQueryMetadata": "openrouter_analytics_client.models",
    "AnalyticsQueryResponse": "openrouter_analytics_client.models",
    "AnalyticsQueryResult": "openrouter_analytics_client.models",
    "AnalyticsQueryRow": "openrouter_analytics_client.models",
    "ClassifierDimensions": "openrouter_analytics_client.models",
    "ClassifierFilter": "openrouter_analytics_client.models",
    "ClassifierFilters": "openrouter_analytics_client.models",
    "MetaDimension": "openrouter_analytics_client.models",
    "MetaGranularity": "openrouter_analytics_client.models",
    "MetaMetric": "openrouter_analytics_client.models",
    "MetaOperator": "openrouter_analytics_client.models",
    "QueryFilter": "openrouter_analytics_client.models",
    "QueryOrderBy": "openrouter_analytics_client.models",
    "QueryTimeRange": "openrouter_analytics_client.models",
    "UNSET": "openrouter_analytics_client.types",
    "Unset": "openrouter_analytics_client.types",
}

__all__ = [
    "NOT_GIVEN",
    "UNSET",
    "APIResponse",
    "ActivityItem",
    "ActivityResponse",
    "Analytics",
    "AnalyticsMeta",
    "AnalyticsMetaResponse",
    "AnalyticsQuery",
    "AnalyticsQueryMetadata",
    "AnalyticsQueryResponse",
    "AnalyticsQueryResult",
    "AnalyticsQueryRow",
    "AsyncAnalytics",
    "BudgetCheck",
    "ClassifierDimensions",
    "ClassifierDimensionsParam",
    "ClassifierFilter",
    "ClassifierFilterParam",
    "ClassifierFilters",
    "ClassifierFiltersParam",
    "GroupBudget",
    "GroupCheck",
    "MetaDimension",
    "MetaGranularity",
    "MetaMetric",
    "MetaOperator",
    "NotGiven",
    "OrderByParam",
    "QueryFilter",
    "QueryFilterParam",
    "QueryOrderBy",
    "QueryTimeRange",
    "SpendCheck",
    "Summary",
    "SummaryRow",
    "TimeRangeParam",
    "Unset",
    "check_budget",
    "check_spend",
    "errors",
    "summarize",
    "time_bucket",
]


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if module_name == "":
        value: Any = importlib.import_module(f".{name}", __name__)
    else:
        value = getattr(importlib.import_module(module_name, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    # The public names only, once each, whether or not they were loaded yet.
    return sorted({*__all__, "__version__"})
