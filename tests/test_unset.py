"""UNSET, the value of an optional field a body did not carry, is something users meet and name."""

from __future__ import annotations

import copy
import pickle

import openrouter_analytics
from openrouter_analytics import UNSET, ActivityItem, Unset
from openrouter_analytics_client import types

ROW = {
    "byok_usage_inference": 0.0,
    "cached_tokens": 10,
    "completion_tokens": 125,
    "date": "2025-08-24",
    "endpoint_id": "550e8400-e29b-41d4-a716-446655440000",
    "model": "openai/gpt-4.1",
    "model_permaslug": "openai/gpt-4.1-2025-04-14",
    "prompt_tokens": 50,
    "provider_name": "OpenAI",
    "reasoning_tokens": 0,
    "requests": 5,
    "usage": 0.015,
}


def workspace_of(item: ActivityItem) -> str:
    """What a caller writes to narrow ``str | Unset`` with the package's own names."""
    if isinstance(item.workspace_id, Unset):
        return "(no workspace)"
    return item.workspace_id


def test_the_package_exports_the_generated_sentinel_and_its_type() -> None:
    assert UNSET is types.UNSET
    assert Unset is types.Unset
    assert {"UNSET", "Unset"} <= set(openrouter_analytics.__all__)


def test_unset_reads_as_its_name() -> None:
    assert repr(UNSET) == str(UNSET) == "UNSET"
    assert not UNSET


def test_a_model_repr_shows_unset_not_an_object_address() -> None:
    text = repr(ActivityItem.from_dict(ROW))
    assert "workspace_id=UNSET," in text
    assert " object at 0x" not in text


def test_a_caller_narrows_an_optional_field_with_the_exported_type() -> None:
    assert workspace_of(ActivityItem.from_dict(ROW)) == "(no workspace)"
    ws = "9c1c3b8e-0d3a-4a55-b6c8-7b3f2f7a1e10"
    assert workspace_of(ActivityItem.from_dict({**ROW, "workspace_id": ws})) == ws


def test_unset_stays_the_one_instance_through_copy_and_pickle() -> None:
    item = ActivityItem.from_dict(ROW)
    for again in (copy.copy(item), copy.deepcopy(item), pickle.loads(pickle.dumps(item))):  # noqa: S301
        assert again.workspace_id is UNSET
        assert again == item
