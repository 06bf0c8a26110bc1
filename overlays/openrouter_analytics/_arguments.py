"""The arguments of each operation, checked and put in the form its generated function takes.

Every check raises InvalidParameterError naming the parameter (``filters[2].value``) before
anything is sent. What the spec leaves open (metric, dimension, granularity and operator names,
which ``/analytics/meta`` lists per account) is left to the server.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, cast

from ._constants import (
    MAX_CLASSIFIER_DIMENSION_NAMES,
    MAX_CLASSIFIER_FILTERS,
    MAX_QUERY_DIMENSIONS,
    MAX_QUERY_FILTERS,
    MAX_QUERY_ROWS,
)
from ._validation import (
    FIRST_DAY,
    LAST_DAY,
    check_api_key_hash,
    check_date,
    check_enum,
    check_user_id,
    check_uuid,
    describe,
)
from .errors import InvalidParameterError

if TYPE_CHECKING:
    from openrouter_analytics_client.models import AnalyticsQuery

__all__ = ["activity_arguments", "query_body"]

_SCALAR_OPERATORS = frozenset({"eq", "neq", "gt", "gte", "lt", "lte"})
_LIST_OPERATORS = frozenset({"in", "not_in"})
_CLASSIFIER_OPERATORS = frozenset({"eq", "neq", "in", "not_in"})
"""Classification values are strings, so the spec allows no ordered comparison on them."""


def activity_arguments(
    *, date: object, api_key_hash: object, user_id: object, group_by: object, workspace_id: object
) -> dict[str, Any]:
    """Keyword arguments of ``get_user_activity``: the given filters, each checked."""
    arguments: dict[str, Any] = {}
    if date is not None:
        arguments["date"] = check_date(date)
    if api_key_hash is not None:
        arguments["api_key_hash"] = check_api_key_hash(api_key_hash)
    if user_id is not None:
        arguments["user_id"] = check_user_id(user_id)
    if group_by is not None:
        from openrouter_analytics_client.models.activity_group_by import ACTIVITY_GROUP_BY_VALUES

        arguments["group_by"] = check_enum("group_by", group_by, ACTIVITY_GROUP_BY_VALUES)
    if workspace_id is not None:
        arguments["workspace_id"] = check_uuid("workspace_id", workspace_id)
    return arguments


def query_body(
    *,
    metrics: object,
    dimensions: object,
    filters: object,
    granularity: object,
    time_range: object,
    order_by: object,
    limit: object,
    group_limit: object,
    classifier_dimensions: object,
    classifier_filters: object,
) -> AnalyticsQuery:
    """The body of ``POST /analytics/query`` from the caller's arguments."""
    body: dict[str, Any] = {"metrics": _names("metrics", metrics, least=1)}
    if dimensions is not None:
        body["dimensions"] = _names("dimensions", dimensions, most=MAX_QUERY_DIMENSIONS)
    if filters is not None:
        body["filters"] = [
            _filter(f"filters[{index}]", item, _SCALAR_OPERATORS | _LIST_OPERATORS, ("include_unset",))
            for index, item in enumerate(_sequence("filters", filters, most=MAX_QUERY_FILTERS))
        ]
    if granularity is not None:
        body["granularity"] = _name("granularity", granularity)
    if time_range is not None:
        body["time_range"] = _time_range(time_range)
    if order_by is not None:
        fields = _fields("order_by", order_by, required=("field", "direction"))
        from openrouter_analytics_client.models.order_direction import ORDER_DIRECTION_VALUES

        body["order_by"] = {
            "field": _name("order_by.field", fields["field"]),
            "direction": check_enum("order_by.direction", fields["direction"], ORDER_DIRECTION_VALUES),
        }
    if limit is not None:
        body["limit"] = _row_count("limit", limit)
    if group_limit is not None:
        body["group_limit"] = _row_count("group_limit", group_limit)
    if classifier_dimensions is not None:
        body["classifier_dimensions"] = _classifier_dimensions(classifier_dimensions)
    if classifier_filters is not None:
        body["classifier_filters"] = _classifier_filters(classifier_filters)

    from openrouter_analytics_client.models import AnalyticsQuery

    return AnalyticsQuery.from_dict(body)


def _name(name: str, value: object) -> str:
    if isinstance(value, str) and value.strip():
        return value
    raise InvalidParameterError(name, f"{name} must be a non-empty string, {describe(value)}")


def _sequence(name: str, value: object, *, least: int = 0, most: int | None = None) -> Sequence[object]:
    # A string is a sequence too, but never the list of names or filters a caller meant.
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise InvalidParameterError(name, f"{name} must be a list, {describe(value)}")
    if len(value) < least:
        raise InvalidParameterError(name, f"{name} must have at least {least} item(s), got {len(value)}")
    if most is not None and len(value) > most:
        raise InvalidParameterError(name, f"{name} takes at most {most} item(s), got {len(value)}")
    return value


def _names(name: str, value: object, *, least: int = 0, most: int | None = None) -> list[str]:
    example = " e.g. ['total_usage', 'request_count']" if name == "metrics" else ""
    if isinstance(value, str):
        raise InvalidParameterError(
            name, f"{name} must be a list of names, not one string:{example or ' use [value]'}"
        )
    items = _sequence(name, value, least=least, most=most)
    return [_name(f"{name}[{index}]", item) for index, item in enumerate(items)]


def _fields(
    name: str, value: object, *, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A mapping (or a generated model) with exactly the spec's keys: all of ``required``."""
    if not isinstance(value, Mapping) and type(value).__module__.startswith("openrouter_analytics_client."):
        value = cast(Any, value).to_dict()  # a generated model: its JSON form has the spec's keys
    if not isinstance(value, Mapping):
        raise InvalidParameterError(
            name, f"{name} must be a mapping with the keys {', '.join(required)}, {describe(value)}"
        )
    known = (*required, *optional)
    unknown = [key for key in value if key not in known]
    if unknown:
        raise InvalidParameterError(
            name, f"{name} has an unknown key {unknown[0]!r}; its keys are {', '.join(known)}"
        )
    for key in required:
        if key not in value:
            raise InvalidParameterError(f"{name}.{key}", f"{name} needs the key {key!r}")
    return dict(value)


def _scalar(name: str, value: object) -> str | float:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        pass
    elif isinstance(value, int):
        if _INT_LEAST <= value <= _INT_MOST:  # what a JSON body can carry
            return value
    elif isinstance(value, float) and math.isfinite(value):
        return value
    raise InvalidParameterError(
        name, f"{name} must be a string or a finite number (a whole one within 64 bits), {describe(value)}"
    )


_INT_LEAST, _INT_MOST = -(2**63), 2**64 - 1


def _filter(name: str, value: object, operators: frozenset[str], optional: tuple[str, ...]) -> dict[str, Any]:
    fields = _fields(name, value, required=("field", "operator", "value"), optional=optional)
    result: dict[str, Any] = {
        "field": _name(f"{name}.field", fields["field"]),
        "operator": _name(f"{name}.operator", fields["operator"]),
    }
    operator = result["operator"]
    if operator not in operators and operator in _SCALAR_OPERATORS | _LIST_OPERATORS:
        allowed = ", ".join(sorted(operators))
        raise InvalidParameterError(
            f"{name}.operator", f"{name}.operator {operator!r} is not allowed here; use {allowed}"
        )
    raw = fields["value"]
    where = f"{name}.value"
    if operator in _LIST_OPERATORS or (
        operator not in _SCALAR_OPERATORS and not isinstance(raw, str | int | float)
    ):
        if isinstance(raw, str) or not isinstance(raw, Sequence):
            raise InvalidParameterError(
                where,
                f"{where} must be a non-empty list for {operator!r}, e.g. ['OpenAI', 'Anthropic'], "
                f"{describe(raw)}",
            )
        items = _sequence(where, raw, least=1)
        result["value"] = [_scalar(f"{where}[{index}]", item) for index, item in enumerate(items)]
    else:
        result["value"] = _scalar(where, raw)
    for key in optional:
        if key in fields:
            if not isinstance(fields[key], bool):
                raise InvalidParameterError(
                    f"{name}.{key}", f"{name}.{key} must be True or False, {describe(fields[key])}"
                )
            result[key] = fields[key]
    return result


def _instant(name: str, value: object) -> str:
    """An RFC 3339 instant in UTC from an aware datetime, a date (midnight UTC) or such a string."""
    moment: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(), dt.UTC)
    elif isinstance(value, str) and _INSTANT_TEXT.fullmatch(value):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and len(value) == 10:  # "2025-01-01": a day, midnight UTC
            moment = moment.replace(tzinfo=dt.UTC)
    if moment is None:
        raise InvalidParameterError(
            name,
            f"{name} must be an aware datetime or a date, e.g. datetime(2025, 1, 1, tzinfo=UTC), "
            f"{describe(value)}",
        )
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidParameterError(
            name,
            f"{name} is a naive datetime, which names no instant; give it a tzinfo "
            "(e.g. tzinfo=UTC) or pass a date",
        )
    try:
        day = moment.astimezone(dt.UTC).date()
    except OverflowError:  # year 1 a few hours east of UTC
        day = dt.date.min
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidParameterError(
            name, f"{name} must be an instant from {FIRST_DAY} to {LAST_DAY} (UTC), {describe(value)}"
        )
    from openrouter_analytics_client.types import format_datetime

    return format_datetime(moment)


# A day, or a day and a time (RFC 3339's forms): not the week dates and basic forms that
# datetime.fromisoformat() also reads.
_INSTANT_TEXT: Final = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}.*)?", re.ASCII | re.DOTALL)


def _time_range(value: object) -> dict[str, str]:
    fields = _fields("time_range", value, required=("start", "end"))
    start = _instant("time_range.start", fields["start"])
    end = _instant("time_range.end", fields["end"])
    if dt.datetime.fromisoformat(start) >= dt.datetime.fromisoformat(end):
        raise InvalidParameterError(
            "time_range", f"time_range.start ({start}) must be before time_range.end ({end})"
        )
    return {"start": start, "end": end}


def _row_count(name: str, value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_QUERY_ROWS:
        return value
    raise InvalidParameterError(
        name, f"{name} must be a whole number from 1 to {MAX_QUERY_ROWS:,}, {describe(value)}"
    )


def _classifier_dimensions(value: object) -> dict[str, Any]:
    name = "classifier_dimensions"
    fields = _fields(name, value, required=("classifier_id",), optional=("dimension_names", "include_nulls"))
    result: dict[str, Any] = {"classifier_id": check_uuid(f"{name}.classifier_id", fields["classifier_id"])}
    if fields.get("dimension_names") is not None:
        result["dimension_names"] = _names(
            f"{name}.dimension_names", fields["dimension_names"], most=MAX_CLASSIFIER_DIMENSION_NAMES
        )
    if "include_nulls" in fields:
        if not isinstance(fields["include_nulls"], bool):
            raise InvalidParameterError(
                f"{name}.include_nulls",
                f"{name}.include_nulls must be True or False, {describe(fields['include_nulls'])}",
            )
        result["include_nulls"] = fields["include_nulls"]
    return result


def _classifier_filters(value: object) -> dict[str, Any]:
    name = "classifier_filters"
    fields = _fields(name, value, required=("classifier_id", "filters"))
    items = _sequence(f"{name}.filters", fields["filters"], least=1, most=MAX_CLASSIFIER_FILTERS)
    return {
        "classifier_id": check_uuid(f"{name}.classifier_id", fields["classifier_id"]),
        "filters": [
            _filter(f"{name}.filters[{index}]", item, _CLASSIFIER_OPERATORS, ())
            for index, item in enumerate(items)
        ],
    }
