"""Reading the history: rows back as the API's models, and summaries added up in SQL."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import itertools
import json
import operator
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, NamedTuple, cast

from ._schema import NUMBERS

if TYPE_CHECKING:
    from openrouter_analytics.summary import GroupBy, SortKey, Summary, SummaryRow
    from openrouter_analytics_client.models import ActivityItem, ActivityResponse

__all__ = [
    "COLUMNS",
    "SummaryQuestion",
    "checked_range",
    "checked_workspace",
    "range_clause",
    "read_activity",
    "summary_in_sql",
    "summary_question",
]

COLUMNS: Final = (
    "date",
    "model",
    "model_permaslug",
    "endpoint_id",
    "provider_name",
    "workspace_id",
    *NUMBERS,
    "extra",
)
"""The columns of ``activity`` a reader gets back, in this order."""


def checked_range(since: dt.date | str | None, until: dt.date | str | None) -> tuple[str | None, str | None]:
    """``since`` and ``until`` as ISO days (None: open), checked before the file is read."""
    from openrouter_analytics._validation import parse_day
    from openrouter_analytics.errors import InvalidParameterError

    first = None if since is None else parse_day(since, "since")
    last = None if until is None else parse_day(until, "until")
    if first is not None and last is not None and first > last:
        raise InvalidParameterError("since", f"since ({first}) is after until ({last})")
    return first, last


def checked_workspace(workspace_id: object) -> str | None:
    """A workspace filter as the API would take it (a UUID, in its canonical form), or None."""
    from openrouter_analytics._validation import check_uuid

    return None if workspace_id is None else check_uuid("workspace_id", workspace_id)


def range_clause(
    series_id: int, first: str | None, last: str | None, workspace_id: str | None
) -> tuple[str, list[Any]]:
    """``WHERE`` for one series, a range of days (of :func:`checked_range`) and a workspace."""
    # The range is on the primary key (series_id, date, row): one sequential scan.
    clause = "series_id = ? AND date BETWEEN ? AND ?"
    values: list[Any] = [series_id, first or "0000-00-00", last or "9999-99-99"]
    if workspace_id is not None:
        # Kept as the API spelled it; the filter is canonical (lower case), as a UUID is compared.
        clause += " AND lower(workspace_id) = ?"
        values.append(str(workspace_id).lower())
    return clause, values


def read_activity(
    connection: sqlite3.Connection,
    series_id: int,
    first: str | None,
    last: str | None,
    workspace_id: str | None,
) -> ActivityResponse:
    from openrouter_analytics_client.models import ActivityResponse
    from openrouter_analytics_client.types import paused_gc

    clause, values = range_clause(series_id, first, last, workspace_id)
    with paused_gc():
        return ActivityResponse(data=_items(connection, clause, values))


def _items(connection: sqlite3.Connection, clause: str, values: list[Any]) -> list[ActivityItem]:
    from openrouter_analytics_client.models import ActivityItem
    from openrouter_analytics_client.types import UNSET

    items = []
    for (
        date,
        model,
        permaslug,
        endpoint,
        provider,
        workspace,
        usage,
        byok,
        requests,
        prompt,
        completion,
        reasoning,
        cached,
        extra,
    ) in connection.execute(
        f"SELECT {', '.join(COLUMNS)} FROM activity WHERE {clause} ORDER BY series_id, date, row",  # noqa: S608
        values,
    ):
        item = ActivityItem(
            byok_usage_inference=byok,
            cached_tokens=cached,
            completion_tokens=completion,
            date=date,
            endpoint_id=endpoint,
            model=model,
            model_permaslug=permaslug,
            prompt_tokens=prompt,
            provider_name=provider,
            reasoning_tokens=reasoning,
            requests=requests,
            usage=usage,
            workspace_id=UNSET if workspace is None else workspace,
        )
        if extra is not None:
            item.additional_properties = json.loads(extra)
        items.append(item)
    return items


_USAGE_COSTS: Final = operator.itemgetter(1)


class _Costs:
    """A SQLite aggregate that keeps a group's costs, so that Python adds them with math.fsum
    exactly as summarize() does (SQLite's sum() rounds at every step). Its ``step`` is the
    list's own ``append``: SQLite hands each row's cost to C code, not to a Python function.
    ``finalize`` gives the list's index in ``kept``, the list of the query's groups."""

    __slots__ = ("index", "step")

    def __init__(self, kept: list[list[float]]) -> None:
        costs: list[float] = []
        self.step = costs.append
        self.index = len(kept)
        kept.append(costs)

    def finalize(self) -> int:
        return self.index


Dimension = tuple[Any, ...]
"""A dimension's (endpoint_id, model, model_permaslug, provider_name, workspace_id), each None
where the question did not need it."""

_DIMENSION_COLUMNS: Final = ("endpoint_id", "model", "model_permaslug", "provider_name", "workspace_id")

# What each grouping reads of a dimension: its key, and the model that names a dimension without
# a workspace_id in the error of a grouping by workspace, or an endpoint in its label.
_NEEDED_BY: Final[dict[str, frozenset[str]]] = {
    "model": frozenset({"model"}),
    "provider": frozenset({"provider_name"}),
    "endpoint": frozenset({"endpoint_id", "model", "provider_name"}),
    "workspace": frozenset({"workspace_id", "model"}),
    "none": frozenset(),
    "date": frozenset(),
}


def _dimensions(connection: sqlite3.Connection, needed: frozenset[str]) -> dict[int, Dimension]:
    """Each dimension by its id, the columns not ``needed`` read as None: the names of a large
    organization's 36,000 dimensions of a year take a twentieth of its report to read."""
    columns = ", ".join(name if name in needed else "NULL" for name in _DIMENSION_COLUMNS)
    found = connection.execute(f"SELECT dimension_id, {columns} FROM dimensions").fetchall()  # noqa: S608
    ids = map(operator.itemgetter(0), found)
    return dict(zip(ids, map(operator.itemgetter(slice(1, None)), found), strict=True))


# The key of a dimension (endpoint_id, model, model_permaslug, provider_name, workspace_id) per grouping.
_KEY_OF: Final[dict[str, Callable[[Dimension], str | None]]] = {
    "model": lambda dimension: dimension[1],
    "provider": lambda dimension: dimension[3],
    "endpoint": lambda dimension: dimension[0],
    "workspace": lambda dimension: dimension[4],
    "none": lambda dimension: "all",
}


class SummaryQuestion(NamedTuple):
    """The arguments of a summary, checked (by :func:`summary_question`)."""

    group_by: GroupBy
    order: SortKey
    keep: int | None
    first: str | None
    last: str | None
    model_part: str | None
    provider_part: str | None


def summary_question(
    by: GroupBy,
    *,
    since: dt.date | str | None,
    until: dt.date | str | None,
    model: str | None,
    provider: str | None,
    sort: SortKey | None,
    top: int | None,
) -> SummaryQuestion:
    """summarize()'s arguments checked by its own rules, before the file is read."""
    from openrouter_analytics import summary as summaries
    from openrouter_analytics._validation import check_enum

    group_by = cast("GroupBy", check_enum("by", by, summaries.GROUP_BY))
    order = cast("SortKey", check_enum("sort", sort, summaries.SORT_KEYS)) if sort is not None else None
    if order is None:
        order = "key" if group_by == "date" else "cost"
    keep = summaries._check_top(top)
    first, last = checked_range(since, until)
    model_part = summaries._check_text("model", model, "claude")
    provider_part = summaries._check_text("provider", provider, "google")
    return SummaryQuestion(group_by, order, keep, first, last, model_part, provider_part)


def summary_in_sql(
    connection: sqlite3.Connection, series_id: int, question: SummaryQuestion, workspace_id: str | None
) -> Summary:
    """summarize() of the rows, with SQLite adding up the counts per day or per dimension and
    keeping the costs for math.fsum; the few dimensions are grouped and filtered in Python, by
    summarize()'s own rules."""
    costs: list[list[float]] = []
    connection.create_aggregate("kept_costs", 1, functools.partial(_Costs, costs))
    # A year's groups keep 70,000 lists of costs, which form no cycles: the collector, run again
    # and again as they appear, finds nothing in them and costs a twentieth of the report.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _summary_in_sql(connection, series_id, question, workspace_id, costs)
    finally:
        # The connection holds on to the aggregate, and so to this list, until the next summary.
        costs.clear()
        if collecting:
            gc.enable()


def _summary_in_sql(
    connection: sqlite3.Connection,
    series_id: int,
    question: SummaryQuestion,
    workspace_id: str | None,
    costs: list[list[float]],
) -> Summary:
    from openrouter_analytics import summary as summaries

    group_by, order, keep, first, last, model_part, provider_part = question
    clause, values = range_clause(series_id, first, last, None)
    needed = _NEEDED_BY[group_by].union(
        {"model", "model_permaslug"} if model_part is not None else (),
        {"provider_name"} if provider_part is not None else (),
        {"workspace_id"} if workspace_id is not None else (),
    )
    dimensions = _dimensions(connection, needed)
    if model_part is not None or provider_part is not None or workspace_id is not None:
        wanted = None if workspace_id is None else str(workspace_id).lower()
        kept_ids = [
            dimension_id
            for dimension_id, (_, slug, permaslug, name, workspace) in dimensions.items()
            if (model_part is None or model_part in slug.casefold() or model_part in permaslug.casefold())
            and (provider_part is None or provider_part in name.casefold())
            and (wanted is None or (workspace is not None and workspace.lower() == wanted))
        ]
        clause += " AND dimension_id IN (SELECT value FROM json_each(?))"
        values.append(json.dumps(kept_ids))

    column = "date" if group_by == "date" else "dimension_id"
    # No min(date) or max(date) per group: comparing every row's date costs a fifth of the
    # query; the range's first and last day, and the first day of a dimension where a label
    # depends on it, are looked up on their own.
    found = connection.execute(
        f"SELECT {column}, kept_costs(usage), sum(requests), sum(prompt_tokens), "  # noqa: S608
        f"sum(completion_tokens), sum(reasoning_tokens), count(*), sum(cached_tokens), "
        # summarize() adds the BYOK costs that are not 0 (None: a group without any).
        f"kept_costs(byok_usage_inference) FILTER (WHERE byok_usage_inference <> 0) "
        f"FROM activity_data WHERE {clause} GROUP BY 1",
        values,
    ).fetchall()

    if group_by == "date":
        groups = {row[0]: [row] for row in found}
        labels = {row[0]: row[0] for row in found}
    else:
        groups, labels = _by_dimension(
            connection, clause, values, group_by=group_by, dimensions=dimensions, found=found
        )

    def add_up(group: str, name: str, rows: list[tuple[Any, ...]]) -> SummaryRow:
        # map() with item getters: the columns of a year's dimensions added up without a Python step each.
        requests, prompt, completion, reasoning, count, cached = (
            sum(map(operator.itemgetter(index), rows)) for index in range(2, 8)
        )
        return summaries.SummaryRow(
            key=group,
            label=name,
            cost=summaries.money_sum(
                itertools.chain.from_iterable(map(costs.__getitem__, map(_USAGE_COSTS, rows))),
                f"the usage of {group!r}",
            ),
            byok_cost=summaries.money_sum(
                itertools.chain.from_iterable(costs[row[8]] for row in rows if row[8] is not None),
                f"the BYOK usage of {group!r}",
            ),
            requests=requests,
            prompt_tokens=prompt,
            completion_tokens=completion,
            reasoning_tokens=reasoning,
            cached_tokens=cached,
            activity_rows=count,
        )

    rows = [add_up(key, labels[key], group) for key, group in groups.items()]
    other = None
    other_groups = 0
    if keep is not None and len(rows) > keep:
        rows.sort(key=summaries._sort_key("cost" if order == "key" else order))
        left_out = rows[keep:]
        rows = rows[:keep]
        other_groups = len(left_out)
        other = add_up("other", "other", [row for summed in left_out for row in groups[summed.key]])
    rows.sort(key=summaries._sort_key(order))
    return summaries.Summary(
        by=group_by,
        rows=tuple(rows),
        total=add_up("total", "total", found),
        other=other,
        other_groups=other_groups,
        first_date=_end_day(connection, clause, values, "ASC") if found else None,
        last_date=_end_day(connection, clause, values, "DESC") if found else None,
    )


def _by_dimension(
    connection: sqlite3.Connection,
    clause: str,
    values: list[Any],
    *,
    group_by: str,
    dimensions: dict[int, Dimension],
    found: list[tuple[Any, ...]],
) -> tuple[dict[str, list[tuple[Any, ...]]], dict[str, str]]:
    """The rows of ``found`` (one per dimension) per group of ``group_by``, and each group's label."""
    from openrouter_analytics.errors import InvalidParameterError

    groups: dict[str, list[tuple[Any, ...]]] = {}
    labels: dict[str, str] = {}
    key_of = _KEY_OF[group_by]
    in_order = sorted(found, key=lambda row: row[0])
    if group_by == "endpoint" and _labels_differ(dimensions, in_order):
        # Each group's label from its earliest dimension, as summarize() takes it from its first row.
        first_days = _first_days(connection, clause, values)
        in_order.sort(key=lambda row: (first_days[row[0]], row[0]))
    for row in in_order:
        dimension = dimensions[row[0]]
        key = key_of(dimension)
        if key is None:
            raise InvalidParameterError(
                "by",
                f"by='workspace' needs rows that carry a workspace_id, and rows of {dimension[1]} "
                "kept in the history have none",
            )
        if key not in groups:
            groups[key] = []
            labels[key] = f"{dimension[1]} via {dimension[3]}" if group_by == "endpoint" else key
        groups[key].append(row)
    return groups, labels


def _end_day(connection: sqlite3.Connection, clause: str, values: list[Any], direction: str) -> str:
    """The first (ASC) or last (DESC) day with a row in the range: a walk along the primary key."""
    (day,) = connection.execute(
        f"SELECT date FROM activity_data WHERE {clause} ORDER BY series_id, date {direction} LIMIT 1",  # noqa: S608
        values,
    ).fetchone()
    return str(day)


def _labels_differ(dimensions: dict[int, Dimension], found: list[tuple[Any, ...]]) -> bool:
    """Whether two dimensions of one endpoint name another model or provider: then the one that
    came first gives the label."""
    labels: dict[str, tuple[str, str]] = {}
    for row in found:
        endpoint, model, _, provider, _ = dimensions[row[0]]
        if labels.setdefault(endpoint, (model, provider)) != (model, provider):
            return True
    return False


def _first_days(connection: sqlite3.Connection, clause: str, values: list[Any]) -> dict[int, str]:
    return dict(
        connection.execute(
            f"SELECT dimension_id, min(date) FROM activity_data WHERE {clause} GROUP BY 1",  # noqa: S608
            values,
        ).fetchall()
    )
