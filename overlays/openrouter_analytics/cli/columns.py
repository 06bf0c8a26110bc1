"""The columns of a summary, named once for the command line, the table and the files.

Kept free of imports so the command line can list its choices without loading the client.
"""

from __future__ import annotations

from typing import Final

# (SummaryRow field, name on the command line and in the table's header, header in a tight
# table), in table order.
METRICS: Final[tuple[tuple[str, str, str], ...]] = (
    ("usage", "cost", "cost"),
    ("byok_usage_inference", "BYOK", "BYOK"),
    ("requests", "requests", "requests"),
    ("prompt_tokens", "prompt", "prompt"),
    ("completion_tokens", "completion", "compl."),
    ("reasoning_tokens", "reasoning", "reas."),
)

# --sort NAME -> SummaryRow field; "name" sorts by the group's key.
SORT_CHOICES: Final[dict[str, str]] = {"name": "key", **{name.lower(): field for field, name, _ in METRICS}}

# What a row's key is called in CSV and JSON, per --group-by.
KEY_NAMES: Final[dict[str, str]] = {
    "date": "date",
    "model": "model",
    "provider": "provider",
    "endpoint": "endpoint_id",
    "none": "group",
}
