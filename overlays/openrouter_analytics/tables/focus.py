"""An activity report as a FOCUS 1.2 cost and usage dataset (the FinOps Foundation's billing format).

    from openrouter_analytics.tables.focus import focus_table

    table = focus_table(analytics.get_user_activity(group_by="workspace"))
    pyarrow.parquet.write_table(table, "openrouter-focus.parquet")

One charge row per activity row (a UTC day of one model through one provider endpoint), for
the cost OpenRouter bills: ``usage``. Inference paid with the account's own provider key (BYOK,
``byok_usage_inference``) is billed by that provider, not by OpenRouter: FOCUS records a cost by
the party that invoices it, so such spend is a charge row of its own whose ``InvoiceIssuerName``
and ``ProviderName`` are the upstream provider. A FinOps tool that also loads that provider's
own FOCUS data can drop these rows (``InvoiceIssuerName <> 'OpenRouter'``) to count them once.

The README's "FOCUS" section maps every column. Columns are built from the typed activity
table (:mod:`.schemas`) with Arrow, column by column.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from typing import Final

from . import require

try:
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError:  # raised again, naming the extra that installs it
    require("pyarrow", "openrouter_analytics.tables.focus")
    raise

from openrouter_analytics_client.models import ActivityResponse

from . import schemas
from ._build import activity_table

__all__ = ["FOCUS_VERSION", "OPENROUTER", "SCHEMA", "focus_csv", "focus_table"]

FOCUS_VERSION: Final = "1.2"
OPENROUTER: Final = "OpenRouter"
_TIME: Final = pa.timestamp("s", tz="UTC")
_TEXT: Final = pa.string()
_MONEY: Final = pa.float64()
_QUANTITY: Final = pa.float64()

SCHEMA: Final = pa.schema(
    [
        # FOCUS 1.2 columns, mandatory ones and those that apply to OpenRouter.
        ("BilledCost", _MONEY),
        ("BillingAccountId", _TEXT),
        ("BillingAccountName", _TEXT),
        ("BillingCurrency", _TEXT),
        ("BillingPeriodStart", _TIME),
        ("BillingPeriodEnd", _TIME),
        ("ChargeCategory", _TEXT),
        ("ChargeClass", _TEXT),
        ("ChargeDescription", _TEXT),
        ("ChargeFrequency", _TEXT),
        ("ChargePeriodStart", _TIME),
        ("ChargePeriodEnd", _TIME),
        ("CommitmentDiscountStatus", _TEXT),
        ("ConsumedQuantity", _QUANTITY),
        ("ConsumedUnit", _TEXT),
        ("ContractedCost", _MONEY),
        ("EffectiveCost", _MONEY),
        ("InvoiceId", _TEXT),
        ("InvoiceIssuerName", _TEXT),
        ("ListCost", _MONEY),
        ("PricingCategory", _TEXT),
        ("PricingQuantity", _QUANTITY),
        ("PricingUnit", _TEXT),
        ("ProviderName", _TEXT),
        ("PublisherName", _TEXT),
        ("ServiceCategory", _TEXT),
        ("ServiceSubcategory", _TEXT),
        ("ServiceName", _TEXT),
        ("SubAccountId", _TEXT),
        ("SubAccountName", _TEXT),
        # Ours: the dimensions and counts of the activity row.
        ("x_Model", _TEXT),
        ("x_ModelPermaslug", _TEXT),
        ("x_UpstreamProvider", _TEXT),
        ("x_EndpointId", _TEXT),
        ("x_WorkspaceId", _TEXT),
        ("x_ApiKeyHash", _TEXT),
        ("x_Byok", pa.bool_()),
        ("x_Requests", pa.int64()),
        ("x_PromptTokens", pa.int64()),
        ("x_CompletionTokens", pa.int64()),
        ("x_ReasoningTokens", pa.int64()),
        ("x_CachedTokens", pa.int64()),
    ]
)
"""The columns of :func:`focus_table`, in order."""


def focus_table(
    report: ActivityResponse,
    *,
    billing_account_id: str = OPENROUTER,
    billing_account_name: str | None = None,
    api_key_hash: str | None = None,
) -> pa.Table:
    """The report's rows as FOCUS 1.2 charges: one per activity row, plus one per row with BYOK spend.

    ``billing_account_id`` (and ``billing_account_name``, the id by default) name the OpenRouter
    account in ``BillingAccountId``; ``api_key_hash`` is recorded in ``x_ApiKeyHash`` (in lower
    case, as the API takes it) when the report was fetched for one key. ``SubAccountId`` is the
    row's workspace: fetch the report with ``group_by="workspace"`` (as the tool does), else it
    is null.

    The activity row's own counts (``x_Requests``, ``x_PromptTokens``, ...) are on its
    OpenRouter charge only, null on its BYOK charge, so that they add up to the report's; the
    FOCUS quantities (``ConsumedQuantity``, ``PricingQuantity``) are on both, as FOCUS records
    the quantity of each charge.
    """
    from openrouter_analytics._validation import check_api_key_hash

    api_key_hash = check_api_key_hash(api_key_hash)
    activity = activity_table(report.data)
    # Any BYOK spend, a refund (negative) too: nothing the server sent is left out of the costs.
    byok = pc.not_equal(activity.column("byok_usage_inference"), 0.0)
    billed = _charges(
        activity,
        cost=activity.column("usage"),
        issuer=pa.repeat(pa.scalar(OPENROUTER), activity.num_rows),
        is_byok=False,
    )
    paid_elsewhere = activity.filter(byok)
    byok_rows = _charges(
        paid_elsewhere,
        cost=paid_elsewhere.column("byok_usage_inference"),
        issuer=_plain(paid_elsewhere.column("provider_name")),
        is_byok=True,
    )
    table = pa.concat_tables([billed, byok_rows])
    account_name = billing_account_name or billing_account_id
    return _fill(
        table, BillingAccountId=billing_account_id, BillingAccountName=account_name, x_ApiKeyHash=api_key_hash
    )


def _plain(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return column.cast(_TEXT)


def _charges(
    activity: pa.Table, *, cost: pa.ChunkedArray, issuer: pa.Array | pa.ChunkedArray, is_byok: bool
) -> pa.Table:
    rows = activity.num_rows
    days = activity.column("date")
    starts = days.cast(_TIME)
    ends = pc.add(starts, pa.scalar(dt.timedelta(days=1), pa.duration("s")))
    months = _month_starts(days)
    next_months = _next_month_starts(days)
    # Added as doubles: two counts near int64's end would wrap around as integers (to a negative
    # quantity), and a sum beyond 2**53 is a quantity to the nearest double, as FOCUS keeps it.
    tokens = pc.add(
        activity.column("prompt_tokens").cast(_QUANTITY, safe=False),
        activity.column("completion_tokens").cast(_QUANTITY, safe=False),
    )
    model = _plain(activity.column("model"))
    provider = _plain(activity.column("provider_name"))
    what = "BYOK inference, billed by the provider" if is_byok else "OpenRouter usage"
    description = pc.binary_join_element_wise(
        pa.repeat(pa.scalar(f"{what}: "), rows), model, pa.repeat(pa.scalar(" via "), rows), provider, ""
    )
    seller = issuer if is_byok else pa.repeat(pa.scalar(OPENROUTER), rows)
    columns = {
        "BilledCost": cost,
        "BillingCurrency": _same("USD", rows),
        "BillingPeriodStart": months,
        "BillingPeriodEnd": next_months,
        "ChargeCategory": _same("Usage", rows),
        "ChargeClass": pa.nulls(rows, _TEXT),
        "ChargeDescription": description,
        "ChargeFrequency": _same("Usage-Based", rows),
        "ChargePeriodStart": starts,
        "ChargePeriodEnd": ends,
        "ConsumedQuantity": tokens,
        "ConsumedUnit": _same("Tokens", rows),
        "ContractedCost": cost,
        "EffectiveCost": cost,
        "InvoiceIssuerName": issuer,
        "ListCost": cost,
        "PricingCategory": _same("Standard", rows),
        "PricingQuantity": tokens,
        "PricingUnit": _same("Tokens", rows),
        "ProviderName": seller,
        "PublisherName": seller,
        "ServiceCategory": _same("AI and Machine Learning", rows),
        "ServiceSubcategory": _same("Generative AI", rows),
        "ServiceName": _same("OpenRouter" if not is_byok else "OpenRouter BYOK inference", rows),
        "SubAccountId": _plain(activity.column("workspace_id")),
        "SubAccountName": _plain(activity.column("workspace_id")),
        "x_Model": model,
        "x_ModelPermaslug": _plain(activity.column("model_permaslug")),
        "x_UpstreamProvider": provider,
        "x_EndpointId": activity.column("endpoint_id"),
        "x_WorkspaceId": _plain(activity.column("workspace_id")),
        "x_Byok": pa.repeat(pa.scalar(is_byok), rows),
    }
    if not is_byok:  # the row's own counts once, on its OpenRouter charge: they add up to the report's
        columns.update(
            x_Requests=activity.column("requests"),
            x_PromptTokens=activity.column("prompt_tokens"),
            x_CompletionTokens=activity.column("completion_tokens"),
            x_ReasoningTokens=activity.column("reasoning_tokens"),
            x_CachedTokens=activity.column("cached_tokens"),
        )
    arrays = [columns.get(field.name, pa.nulls(rows, field.type)) for field in SCHEMA]
    return pa.Table.from_arrays(
        [_as(array, field.type) for array, field in zip(arrays, SCHEMA, strict=True)], schema=SCHEMA
    )


def _same(text: str, rows: int) -> pa.Array:
    return pa.repeat(pa.scalar(text), rows)


def _as(array: pa.Array | pa.ChunkedArray, wanted: pa.DataType) -> pa.Array | pa.ChunkedArray:
    return array if array.type == wanted else array.cast(wanted)


def _month_starts(days: pa.ChunkedArray) -> pa.Array:
    firsts = [None if day is None else day.replace(day=1) for day in days.to_pylist()]
    return pa.array(firsts, schemas.DAY).cast(_TIME)


def _next_month_starts(days: pa.ChunkedArray) -> pa.Array:
    nexts = []
    for day in days.to_pylist():
        first = day.replace(day=1)
        nexts.append(
            first.replace(year=first.year + 1, month=1)
            if first.month == 12
            else first.replace(month=first.month + 1)
        )
    return pa.array(nexts, schemas.DAY).cast(_TIME)


def _fill(table: pa.Table, **values: str | None) -> pa.Table:
    for name, value in values.items():
        index = table.schema.get_field_index(name)
        column = pa.repeat(pa.scalar(value, _TEXT), table.num_rows)
        table = table.set_column(index, SCHEMA.field(name), column)
    return table


def focus_csv(table: pa.Table) -> str:
    """A FOCUS table as CSV: ISO 8601 UTC times (``2026-09-01T00:00:00Z``), decimals with their
    point and without an exponent (``1234.0``, ``0.00005``: FOCUS's numeric format; a reader
    types quantities as decimals, not integers), empty for null. A cost that is not a number
    (NaN or infinite, which only a report made by hand can hold) raises
    :class:`~openrouter_analytics.tables.UnrepresentableValueError`.
    """
    import io

    from openrouter_analytics._csv import write_rows

    columns = [
        _csv_column(name, column) for name, column in zip(table.column_names, table.columns, strict=True)
    ]
    carriage = any(
        pc.any(pc.match_substring(column, "\r")).as_py()
        for column in table.columns
        if pa.types.is_string(column.type)
    )
    buffer = io.StringIO()
    write_rows(buffer, [table.column_names, *zip(*columns, strict=True)], carriage_returns=carriage)
    return buffer.getvalue()


def _csv_column(name: str, column: pa.ChunkedArray) -> list[object]:
    """A column's CSV cells, made a column at a time: times and booleans as text by Arrow,
    numbers each by :func:`_decimal`, empty for null."""
    if pa.types.is_floating(column.type):
        return ["" if value is None else _decimal(name, value) for value in column.to_pylist()]
    if pa.types.is_timestamp(column.type):
        column = pc.strftime(column.cast(_TIME), format="%Y-%m-%dT%H:%M:%SZ")
    elif pa.types.is_boolean(column.type):
        column = pc.if_else(column, "true", "false")
    values: list[object] = column.to_pylist()
    return values if column.null_count == 0 else ["" if value is None else value for value in values]


def _decimal(name: str, value: float) -> str:
    """The shortest digits that read back as ``value``, written out in full: FOCUS's numbers
    have no exponent (``repr`` gives ``5e-05`` for 0.00005 and ``1e+16`` from 10**16 on)."""
    text = repr(value)
    if not math.isfinite(value):
        from . import UnrepresentableValueError

        raise UnrepresentableValueError(f"{name}: {text} is not a number a FOCUS file can hold")
    if "e" not in text:
        return text
    written = format(decimal.Decimal(text), "f")
    return written if "." in written else f"{written}.0"
