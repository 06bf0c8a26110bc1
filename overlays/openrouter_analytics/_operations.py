"""One descriptor per operation of the API: what the engine in ``_base.py`` needs to run it.

After a spec change adds an operation, it takes an entry here and its thin methods on the two
clients in ``_client.py``; ``tests/test_facade_coverage.py`` fails until both are there.
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from ._constants import QUERY_READ_TIMEOUT

if TYPE_CHECKING:
    from openrouter_analytics_client.models import (
        ActivityResponse,
        AnalyticsMetaResponse,
        AnalyticsQueryResponse,
    )

__all__ = ["GET_ANALYTICS_META", "GET_USER_ACTIVITY", "QUERY_ANALYTICS", "Operation"]

T = TypeVar("T")

_API = "openrouter_analytics_client.api.analytics."
_MODELS = "openrouter_analytics_client.models"


@functools.cache
def _load(module_name: str, success: str) -> tuple[ModuleType, Any]:
    # Loaded on first use, so that importing the clients does not import every operation.
    module = importlib.import_module(_API + module_name)
    return module, getattr(importlib.import_module(_MODELS), success)


class Operation(NamedTuple, Generic[T]):
    """A generated operation as the engine runs it.

    Attributes:
        name: the generated module, the operationId in snake_case (``get_user_activity``).
        success: the generated model of its 200 answer.
        read_only: whether it only reads, which decides how it is retried (see ``_retry.py``).
        read_timeout: its own default read timeout, for operations that legitimately take
            longer than the client's default; used only when the client was given no timeout.
    """

    name: str
    success: str
    read_only: bool = True
    read_timeout: float | None = None

    @property
    def module(self) -> ModuleType:
        """The generated module, with ``sync_detailed`` and ``asyncio_detailed``."""
        return _load(self.name, self.success)[0]

    @property
    def success_type(self) -> type[T]:
        return _load(self.name, self.success)[1]  # type: ignore[no-any-return]


GET_USER_ACTIVITY: Operation[ActivityResponse] = Operation("get_user_activity", "ActivityResponse")
GET_ANALYTICS_META: Operation[AnalyticsMetaResponse] = Operation(
    "get_analytics_meta", "AnalyticsMetaResponse"
)
QUERY_ANALYTICS: Operation[AnalyticsQueryResponse] = Operation(
    "query_analytics", "AnalyticsQueryResponse", read_timeout=QUERY_READ_TIMEOUT
)
