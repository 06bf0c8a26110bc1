"""Group an activity report and add it up: the numbers behind ``openrouter-activity``.

    from openrouter_analytics import Analytics, summarize

    with Analytics() as analytics:
        report = analytics.get_user_activity()
    summary = summarize(report, by="model", top=5)
    for row in summary.rows:
        print(f"{row.key:40} ${row.cost:.4f}")
    print(f"{'total':40} ${summary.total.cost:.4f}")

Costs are added with :func:`math.fsum`, so a sum is the float nearest the exact sum of the
reported values whatever their order; token and request counts are exact integers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, cast, get_args

import attrs

from ._validation import check_enum, describe, parse_day
from .errors import InvalidParameterError

if TYPE_CHECKING:
    import pandas
    import polars
    import pyarrow

    from openrouter_analytics_client.models import ActivityItem, ActivityResponse

__all__ = ["GROUP_BY", "SORT_KEYS", "GroupBy", "SortKey", "Summary", "SummaryRow", "summarize"]

GroupBy = Literal["date", "model", "provider", "endpoint", "workspace", "none"]
"""What the rows are grouped by; ``"none"`` adds everything into one row. ``"workspace"`` needs
a report fetched with ``group_by="workspace"``, whose rows carry their ``workspace_id``."""

SortKey = Literal[
    "key",
    "cost",
    "byok_cost",
    "requests",
    "prompt_tokens",
    "completion_tokens",
    "reasoning_tokens",
    "cached_tokens",
]
"""A :class:`SummaryRow` field to sort by: ``"key"`` ascending, every number largest first."""

GROUP_BY: Final[tuple[GroupBy, ...]] = get_args(GroupBy)
SORT_KEYS: Final[tuple[SortKey, ...]] = get_args(SortKey)

_ALL_KEY: Final = "all"


@attrs.frozen
class SummaryRow:
    """The activity of one group, added up.

    ``key`` is the value grouped by: a ``YYYY-MM-DD`` date, a model slug, a provider name, an
    endpoint id, a workspace id, or ``"all"``. ``label`` is what a person reads: the key itself, except for
    endpoints, where it is ``"<model> via <provider>"``.
    """

    key: str
    label: str
    cost: float
    """Cost in USD (OpenRouter credits spent): the sum of the rows' ``usage``."""
    byok_cost: float
    """Cost in USD of inference paid with your own provider keys (BYOK): the sum of the rows'
    ``byok_usage_inference``."""
    requests: int
    prompt_tokens: int
    completion_tokens: int
    reasoning_tokens: int
    cached_tokens: int
    """Prompt tokens read from the provider's prompt cache: the sum of the rows' ``cached_tokens``.
    Usually part of ``prompt_tokens``; replayed response-cache hits can make it larger."""
    activity_rows: int
    """How many rows of the report were added into this one."""

    @property
    def cache_hit_rate(self) -> float | None:
        """The share of prompt tokens served from cache, ``cached_tokens / prompt_tokens``, as the
        query API's ``cache_hit_rate`` metric defines it (``None`` without prompt tokens). Not
        capped: replayed response-cache hits can take it above 1."""
        return self.cached_tokens / self.prompt_tokens if self.prompt_tokens else None

    def to_dict(self) -> dict[str, Any]:
        """This row as plain JSON types: its fields by name."""
        return attrs.asdict(self)


@attrs.frozen
class Summary:
    """A grouped report: ``rows`` in order, what ``top`` left out in ``other``, and ``total``.

    ``total`` covers every row that passed the filters, so it equals the sum of ``rows`` and
    ``other``. ``first_date`` and ``last_date`` bound the dates of those rows (``None`` when
    no row passed).
    """

    by: GroupBy
    rows: tuple[SummaryRow, ...]
    total: SummaryRow
    other: SummaryRow | None = None
    other_groups: int = 0
    """How many groups ``other`` adds up (0 when ``top`` left nothing out)."""
    first_date: str | None = None
    last_date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The summary as one JSON document (``json.dumps`` keeps every float exactly):
        ``{"by", "rows": [row, ...], "total", "other", "other_groups", "first_date",
        "last_date"}``, each row as :meth:`SummaryRow.to_dict` gives it (``other``: ``None``
        when ``top`` left nothing out)."""
        document = attrs.asdict(self, recurse=False)
        document["rows"] = [row.to_dict() for row in self.rows]
        document["total"] = self.total.to_dict()
        document["other"] = None if self.other is None else self.other.to_dict()
        return document

    def to_arrow(self) -> pyarrow.Table:
        """``rows`` (then ``other``) as a typed ``pyarrow.Table`` (the ``arrow`` extra)."""
        from . import tables

        return tables.to_arrow(self)

    def to_pandas(self) -> pandas.DataFrame:
        """``to_arrow()`` as a ``pandas.DataFrame`` (the ``pandas`` extra)."""
        from . import tables

        return tables.to_pandas(self)

    def to_polars(self) -> polars.DataFrame:
        """``to_arrow()`` as a ``polars.DataFrame`` (the ``polars`` extra)."""
        from . import tables

        return tables.to_polars(self)

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow PyCapsule stream of ``to_arrow()``."""
        from . import tables

        return tables.arrow_c_stream(self, requested_schema)


def _check_date(name: str, value: dt.date | str | None) -> str | None:
    return None if value is None else parse_day(value, name)


def _key_function(by: GroupBy) -> Callable[[ActivityItem], str]:
    if by == "date":
        return lambda item: item.date[:10]  # the day, as the since/until filter reads it
    if by == "model":
        return lambda item: item.model
    if by == "provider":
        return lambda item: item.provider_name
    if by == "endpoint":
        return lambda item: item.endpoint_id
    if by == "workspace":
        return _workspace_of
    return lambda _item: _ALL_KEY


def _workspace_of(item: ActivityItem) -> str:
    if isinstance(item.workspace_id, str):
        return item.workspace_id
    raise InvalidParameterError(
        "by",
        f"by='workspace' needs rows that carry a workspace_id, and the row of {item.date} for "
        f"{item.model} has none: fetch the report with get_user_activity(group_by='workspace')",
    )


def money_sum(costs: Iterable[float], what: str) -> float:
    """``math.fsum`` of ``costs``; costs that add up beyond a double (each one a double, or a
    whole number JSON wrote with 400 digits) refused as a report no summary can hold."""
    try:
        return math.fsum(costs)
    except OverflowError:
        raise InvalidParameterError(
            "report", f"{what} adds up beyond a double's range (1.8e308): the rows' costs cannot be summed"
        ) from None


def _add_up(key: str, label: str, items: list[ActivityItem]) -> SummaryRow:
    return SummaryRow(
        key=key,
        label=label,
        cost=money_sum((item.usage for item in items), f"the usage of {key!r}"),
        byok_cost=money_sum((item.byok_usage_inference for item in items), f"the BYOK usage of {key!r}"),
        requests=sum(item.requests for item in items),
        prompt_tokens=sum(item.prompt_tokens for item in items),
        completion_tokens=sum(item.completion_tokens for item in items),
        reasoning_tokens=sum(item.reasoning_tokens for item in items),
        cached_tokens=sum(item.cached_tokens for item in items),
        activity_rows=len(items),
    )


def _sort_key(sort: SortKey) -> Callable[[SummaryRow], tuple[float, str]]:
    if sort == "key":
        return lambda row: (0.0, row.key)
    # Largest first; ties in key order, so the output is the same on every run.
    return lambda row: (-float(getattr(row, sort)), row.key)


def _check_top(value: object) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
        return value
    raise InvalidParameterError("top", f"top must be a whole number of 1 or more, or None, {describe(value)}")


def _check_text(name: str, value: object, example: str) -> str | None:
    """A filter's text: None, or a string with something in it, returned case-folded."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return value.casefold()
    raise InvalidParameterError(
        name,
        f"{name} must be a non-blank string such as {example!r}, or None for all, {describe(value)}",
    )


def _check_report(report: object) -> Iterable[object]:
    from openrouter_analytics_client.models import ActivityResponse

    if isinstance(report, ActivityResponse):
        return report.data
    if isinstance(report, Iterable) and not isinstance(report, str | bytes | Mapping):
        return report
    raise InvalidParameterError(
        "report",
        "report must be the ActivityResponse of get_user_activity() or an iterable of its ActivityItem "
        f"rows, {describe(report)}",
    )


def _not_an_item(index: int, value: object) -> InvalidParameterError:
    return InvalidParameterError(
        "report",
        f"report[{index}] must be an ActivityItem, {describe(value)}; "
        "ActivityItem.from_dict(row) makes one from a row of the API's JSON",
    )


def summarize(
    report: ActivityResponse | Iterable[ActivityItem],
    by: GroupBy = "model",
    *,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    model: str | None = None,
    provider: str | None = None,
    sort: SortKey | None = None,
    top: int | None = None,
) -> Summary:
    """Filter the rows of an activity report, group them ``by`` a column and add them up.

    ``since`` and ``until`` keep rows dated within them, both days included (``YYYY-MM-DD``
    strings or :class:`datetime.date`); ``model`` keeps rows whose model slug or permaslug
    contains it, and ``provider`` rows whose provider name contains it, both ignoring case.

    Rows come sorted by ``sort``: by default by date for ``by="date"`` and by cost, largest
    first, otherwise. ``top`` keeps the ``top`` largest groups (by ``sort``, or by cost when
    sorting by key, so ``by="date", top=3`` keeps the three dearest days, in date order) and
    adds up the rest in ``Summary.other``.

    Raises :class:`~openrouter_analytics.errors.InvalidParameterError` (a ``ValueError``)
    naming the parameter for a report that is not one, an unknown ``by`` or ``sort``, a
    malformed date, ``since`` after ``until``, a blank ``model`` or ``provider``, or a ``top``
    that is not a whole number of 1 or more.
    """
    items = _check_report(report)
    group_by = cast(GroupBy, check_enum("by", by, GROUP_BY))
    order = cast(SortKey, check_enum("sort", sort, SORT_KEYS)) if sort is not None else None
    if order is None:
        order = "key" if group_by == "date" else "cost"
    keep = _check_top(top)
    first = _check_date("since", since)
    last = _check_date("until", until)
    if first is not None and last is not None and first > last:
        raise InvalidParameterError("since", f"since ({first}) is after until ({last})")
    model_part = _check_text("model", model, "claude")
    provider_part = _check_text("provider", provider, "google")

    # Imported here: a summary added up by the history's SQL needs no HTTP client.
    from openrouter_analytics_client.models import ActivityItem

    key_of = _key_function(group_by)
    groups: dict[str, list[ActivityItem]] = {}
    labels: dict[str, str] = {}
    kept: list[ActivityItem] = []
    for index, item in enumerate(items):
        if not isinstance(item, ActivityItem):
            raise _not_an_item(index, item)
        day = item.date[:10]
        if (first is not None and day < first) or (last is not None and day > last):
            continue
        if model_part is not None and not (
            model_part in item.model.casefold() or model_part in item.model_permaslug.casefold()
        ):
            continue
        if provider_part is not None and provider_part not in item.provider_name.casefold():
            continue
        key = key_of(item)
        if key not in groups:
            groups[key] = []
            labels[key] = f"{item.model} via {item.provider_name}" if group_by == "endpoint" else key
        groups[key].append(item)
        kept.append(item)

    rows = [_add_up(key, labels[key], group) for key, group in groups.items()]
    other: SummaryRow | None = None
    other_groups = 0
    if keep is not None and len(rows) > keep:
        # The largest groups stay, whatever order they are then shown in.
        rows.sort(key=_sort_key("cost" if order == "key" else order))
        left_out = rows[keep:]
        rows = rows[:keep]
        other_groups = len(left_out)
        other = _add_up("other", "other", [item for row in left_out for item in groups[row.key]])
    rows.sort(key=_sort_key(order))
    dates = [item.date[:10] for item in kept]
    return Summary(
        by=group_by,
        rows=tuple(rows),
        total=_add_up("total", "total", kept),
        other=other,
        other_groups=other_groups,
        first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None,
    )
