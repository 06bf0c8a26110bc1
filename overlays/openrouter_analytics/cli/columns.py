"""The columns of a report, named once for the command line, the table and the files.

The names are :class:`~openrouter_analytics.summary.SummaryRow`'s fields and ``summarize()``'s
``sort`` keys, so the tool, the library and the output speak one vocabulary. Kept free of
imports so the command line can list its choices without loading the client.
"""

from __future__ import annotations

from typing import Final

# (SummaryRow field, header in the table, header in a tight table), in table order. The order
# is also that of CSV and JSON Lines columns: a new column goes last, so no existing one moves.
METRICS: Final[tuple[tuple[str, str, str], ...]] = (
    ("cost", "cost", "cost"),
    ("byok_cost", "BYOK", "BYOK"),
    ("requests", "requests", "requests"),
    ("prompt_tokens", "prompt", "prompt"),
    ("completion_tokens", "completion", "compl."),
    ("reasoning_tokens", "reasoning", "reas."),
    ("cached_tokens", "cached", "cached"),
)

MONEY_FIELDS: Final = frozenset({"cost", "byok_cost"})

TOKEN_FIELDS: Final = frozenset(field for field, _, _ in METRICS if field.endswith("_tokens"))
"""Counts a tight table writes as ``12.3M``."""

OPTIONAL_FIELDS: Final = ("cached_tokens", "reasoning_tokens", "byok_cost")
"""Columns a tight table may leave out when they hold only zeros, most dispensable first."""

SORT_CHOICES: Final[tuple[str, ...]] = ("key", *(field for field, _, _ in METRICS))
"""--sort and summarize(sort=): "key" A to Z, every number largest first."""

RECORD_FIELDS: Final[tuple[str, ...]] = (
    "group_by",
    "kind",
    "key",
    "label",
    *(field for field, _, _ in METRICS),
)
"""The columns of every CSV and JSON Lines report, whatever it is grouped by."""
