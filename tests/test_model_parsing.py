"""The generated models check every row they decode, whichever path decodes it.

``ActivityItem.from_dict`` decodes one object; ``ActivityResponse.from_dict`` decodes the array
through the faster ``ActivityItem._from_dict_list``, and ``ActivityResponse._from_json`` (what
the operation calls on a body) decodes a large body piece by piece. All must accept and reject
exactly the same rows with exactly the same errors.
"""

from __future__ import annotations

import gc
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openrouter_analytics_client.errors import InvalidResponseBody
from openrouter_analytics_client.models import ActivityItem, ActivityResponse
from openrouter_analytics_client.types import PIECE_BYTES, decode_array_in_pieces

ROW: dict[str, Any] = {
    "byok_usage_inference": 0.012,
    "completion_tokens": 125,
    "date": "2025-08-24",
    "endpoint_id": "550e8400-e29b-41d4-a716-446655440000",
    "model": "openai/gpt-4.1",
    "model_permaslug": "openai/gpt-4.1-2025-04-14",
    "prompt_tokens": 50,
    "provider_name": "OpenAI",
    "reasoning_tokens": 25,
    "requests": 5,
    "usage": 0.015,
}
FIELDS = sorted(ROW)
STRINGS = ["date", "endpoint_id", "model", "model_permaslug", "provider_name"]
INTEGERS = ["completion_tokens", "prompt_tokens", "reasoning_tokens", "requests"]
NUMBERS = ["byok_usage_inference", "usage"]


def without(field: str) -> dict[str, Any]:
    return {key: value for key, value in ROW.items() if key != field}


def with_value(field: str, value: object) -> dict[str, Any]:
    return {**ROW, field: value}


def rows(count: int) -> list[dict[str, Any]]:
    return [{**ROW, "requests": i} for i in range(count)]


def item_error(src: object) -> InvalidResponseBody:
    with pytest.raises(InvalidResponseBody) as caught:
        ActivityItem.from_dict(src)  # type: ignore[arg-type]
    return caught.value


def list_error(src: list[object]) -> InvalidResponseBody:
    with pytest.raises(InvalidResponseBody) as caught:
        ActivityResponse.from_dict({"data": src})
    return caught.value


def same_error(first: InvalidResponseBody, second: InvalidResponseBody) -> tuple[str, str]:
    assert (first.location, first.problem) == (second.location, second.problem)
    return first.location, first.problem


class TestAcceptedRows:
    def test_a_complete_row_decodes_to_its_fields(self) -> None:
        item = ActivityItem.from_dict(ROW)
        assert {field: getattr(item, field) for field in FIELDS} == ROW
        assert item.additional_properties == {}

    def test_the_array_path_gives_the_same_items(self) -> None:
        decoded = ActivityResponse.from_dict({"data": rows(50)}).data
        assert decoded == [ActivityItem.from_dict(row) for row in rows(50)]

    @pytest.mark.parametrize("field", NUMBERS)
    def test_an_integer_is_accepted_for_a_number(self, field: str) -> None:
        assert getattr(ActivityItem.from_dict(with_value(field, 0)), field) == 0
        assert getattr(ActivityResponse.from_dict({"data": [with_value(field, 3)]}).data[0], field) == 3

    def test_unknown_keys_are_kept_in_order_in_additional_properties(self) -> None:
        extra = {"cached_tokens": 7, **ROW, "app_id": "app_1", "zeta": None}
        expected = {"cached_tokens": 7, "app_id": "app_1", "zeta": None}
        item = ActivityItem.from_dict(extra)
        assert list(item.additional_properties.items()) == list(expected.items())
        decoded = ActivityResponse.from_dict({"data": [extra, {**ROW, "cached_tokens": 1}, ROW]}).data
        assert list(decoded[0].additional_properties.items()) == list(expected.items())
        assert decoded[1].additional_properties == {"cached_tokens": 1}
        assert decoded[2].additional_properties == {}

    def test_rows_with_different_extra_keys_each_keep_their_own(self) -> None:
        data = [{**ROW, "a": 1}, {**ROW, "b": 2}, {**ROW, "b": 3}, {**ROW, "a": 4, "b": 5}]
        decoded = ActivityResponse.from_dict({"data": data}).data
        assert [item.additional_properties for item in decoded] == [
            {"a": 1},
            {"b": 2},
            {"b": 3},
            {"a": 4, "b": 5},
        ]

    def test_extras_are_a_fresh_dict_per_row(self) -> None:
        first, second = ActivityResponse.from_dict({"data": [ROW, ROW]}).data
        first["note"] = "x"
        assert "note" not in second

    def test_the_response_keeps_its_own_extras(self) -> None:
        response = ActivityResponse.from_dict({"data": [], "meta": {"page": 1}})
        assert response.additional_properties == {"meta": {"page": 1}}

    def test_decoding_leaves_the_source_untouched(self) -> None:
        source = {"data": rows(3), "meta": 1}
        snapshot = {"data": [dict(row) for row in source["data"]], "meta": 1}
        ActivityResponse.from_dict(source)
        assert source == snapshot


class TestRejectedRows:
    @pytest.mark.parametrize("field", FIELDS)
    def test_a_missing_required_field_is_named(self, field: str) -> None:
        error = same_error(item_error(without(field)), list_error([without(field)]))
        assert error == (f"ActivityItem.{field}", "required field is missing")

    @pytest.mark.parametrize("field", STRINGS)
    @pytest.mark.parametrize(("value", "kind"), [(1, "int"), (None, "NoneType"), ([], "list")])
    def test_a_string_field_rejects_other_types(self, field: str, value: object, kind: str) -> None:
        error = same_error(item_error(with_value(field, value)), list_error([with_value(field, value)]))
        assert error == (f"ActivityItem.{field}", f"expected a string, got {kind}")

    @pytest.mark.parametrize("field", INTEGERS)
    @pytest.mark.parametrize(
        ("value", "kind"), [(True, "bool"), (1.5, "float"), (1.0, "float"), ("1", "str"), (None, "NoneType")]
    )
    def test_an_integer_field_rejects_bools_floats_and_strings(
        self, field: str, value: object, kind: str
    ) -> None:
        error = same_error(item_error(with_value(field, value)), list_error([with_value(field, value)]))
        assert error == (f"ActivityItem.{field}", f"expected an integer, got {kind}")

    @pytest.mark.parametrize("field", NUMBERS)
    @pytest.mark.parametrize(("value", "kind"), [(False, "bool"), ("0.5", "str"), (None, "NoneType")])
    def test_a_number_field_rejects_bools_and_strings(self, field: str, value: object, kind: str) -> None:
        error = same_error(item_error(with_value(field, value)), list_error([with_value(field, value)]))
        assert error == (f"ActivityItem.{field}", f"expected a number, got {kind}")

    @pytest.mark.parametrize(
        ("value", "kind"), [([], "list"), ("row", "str"), (None, "NoneType"), (3, "int")]
    )
    def test_a_row_that_is_not_an_object_is_rejected(self, value: object, kind: str) -> None:
        error = same_error(item_error(value), list_error([value]))
        assert error == ("ActivityItem", f"expected an object, got {kind}")

    def test_the_first_problem_in_field_order_is_reported(self) -> None:
        # date comes before usage: its wrong type wins over the missing usage.
        row = {**without("usage"), "date": 20250824}
        assert same_error(item_error(row), list_error([row])) == (
            "ActivityItem.date",
            "expected a string, got int",
        )

    @pytest.mark.parametrize(
        "bad",
        [without("model"), with_value("requests", True), with_value("usage", "0.1"), ["not", "a", "row"]],
    )
    def test_one_bad_row_among_ten_thousand_is_found(self, bad: object) -> None:
        data: list[object] = [*rows(10_000)]
        data[6_789] = bad
        expected = item_error(bad)
        assert same_error(list_error(data), expected)

    def test_a_missing_array_is_named(self) -> None:
        with pytest.raises(InvalidResponseBody) as caught:
            ActivityResponse.from_dict({"rows": []})
        assert (caught.value.location, caught.value.problem) == (
            "ActivityResponse.data",
            "required field is missing",
        )


class TestGarbageCollector:
    def test_collection_resumes_after_decoding(self) -> None:
        assert gc.isenabled()
        ActivityResponse.from_dict({"data": rows(100)})
        assert gc.isenabled()

    def test_collection_resumes_after_a_rejected_row(self) -> None:
        list_error([*rows(10), without("date")])
        assert gc.isenabled()

    def test_collection_stays_off_when_the_caller_turned_it_off(self) -> None:
        gc.disable()
        try:
            ActivityResponse.from_dict({"data": rows(10)})
            assert not gc.isenabled()
        finally:
            gc.enable()


def body(data: list[Any], **extra: Any) -> bytes:
    return json.dumps({"data": data, **extra}, separators=(",", ":")).encode()


def whole(content: bytes) -> ActivityResponse:
    """The reference: decode everything, then convert."""
    return ActivityResponse.from_dict(json.loads(content))


class TestLargeBodies:
    """Bodies over a couple of MiB are decoded piece by piece, with the same results and errors."""

    def test_a_large_body_gives_the_same_items_as_decoding_it_whole(self) -> None:
        content = body(rows(12_000))
        assert len(content) > 2 * PIECE_BYTES
        assert decode_array_in_pieces(content, "data", ActivityItem._from_dict_list) is not None
        assert ActivityResponse._from_json(content) == whole(content)

    def test_a_split_marker_inside_strings_does_not_change_the_result(self) -> None:
        # A string ending in "},{" is followed by its closing quote: the marker, inside a row.
        data = [{**row, "model": "x},{", "note": "},{"} for row in rows(12_000)]
        content = body(data)
        assert content.count(b'},{"') >= 3 * 12_000 - 1
        assert ActivityResponse._from_json(content) == whole(content)

    def test_other_top_level_keys_are_kept(self) -> None:
        content = body(rows(12_000), meta={"next": None})
        result = ActivityResponse._from_json(content)
        assert result == whole(content)
        assert result.additional_properties == {"meta": {"next": None}}

    def test_spaced_out_json_gives_the_same_items(self) -> None:
        content = json.dumps({"data": rows(9_000)}, indent=1).encode()
        assert ActivityResponse._from_json(content) == whole(content)

    @pytest.mark.parametrize("bad", [without("model"), with_value("requests", True), "row"])
    def test_a_bad_row_deep_in_a_large_body_raises_the_same_error(self, bad: object) -> None:
        data: list[object] = [*rows(12_000)]
        data[9_876] = bad
        content = body(data)
        with pytest.raises(InvalidResponseBody) as piecewise:
            ActivityResponse._from_json(content)
        with pytest.raises(InvalidResponseBody) as reference:
            whole(content)
        same_error(piecewise.value, reference.value)

    def test_a_truncated_large_body_is_not_json_even_when_an_earlier_row_is_bad(self) -> None:
        data: list[object] = [*rows(12_000)]
        data[10] = without("date")
        content = body(data)[:-100] + b"]}"
        with pytest.raises(json.JSONDecodeError):
            ActivityResponse._from_json(content)


ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=3), st.just([])
)
ROWS = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            **{field: st.one_of(st.just(ROW[field]), ODD_VALUES) for field in FIELDS},
            "cached_tokens": st.integers(),
            "workspace_id": st.text(max_size=3),
        },
    ).map(lambda row: {**ROW, **row} if len(row) % 3 else row),
    max_size=6,
)


def outcome_of_each(data: list[dict[str, Any]]) -> object:
    """The reference: from_dict on each row in turn, stopping at the first error."""
    items = []
    for row in data:
        try:
            items.append(ActivityItem.from_dict(row))
        except InvalidResponseBody as error:
            return (error.location, error.problem)
    return [(item, list(item.additional_properties.items())) for item in items]


def outcome_of_the_array(data: list[dict[str, Any]]) -> object:
    try:
        items = ActivityItem._from_dict_list(data)
    except InvalidResponseBody as error:
        return (error.location, error.problem)
    return [(item, list(item.additional_properties.items())) for item in items]


@given(ROWS)
def test_decoding_an_array_matches_from_dict_on_each_row(data: list[dict[str, Any]]) -> None:
    assert outcome_of_the_array(data) == outcome_of_each(data)
