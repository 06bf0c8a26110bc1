"""The generated models check every row they decode, whichever way a body is decoded.

A body goes one of two ways. Where msgspec is installed, ``ActivityResponse._from_json`` (what
the operation calls on a body) makes the rows straight from the bytes (``types.decode_rows``);
without msgspec, and for anything it refuses, the standard library's ``json`` decodes the body
and ``from_dict`` checks it. Both must give the same models with the same unknown keys in the
same order, or raise the same error for the same place (``data[41].usage``). Every test in this
module runs both ways: ``way`` is "msgspec" or "stdlib" (msgspec taken away).
"""

from __future__ import annotations

import gc
import json
import math
import re
import sys
from collections.abc import Callable, Iterator
from itertools import cycle
from types import MappingProxyType
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openrouter_analytics_client import types
from openrouter_analytics_client.errors import InvalidResponseBody
from openrouter_analytics_client.models import (
    ActivityItem,
    ActivityResponse,
    AnalyticsQueryResponse,
    AnalyticsQueryRow,
)
from openrouter_analytics_client.models import activity_response as activity_response_module

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
    "cached_tokens": 10,
    "requests": 5,
    "usage": 0.015,
}
FIELDS = sorted(ROW)
STRINGS = ["date", "endpoint_id", "model", "model_permaslug", "provider_name"]
INTEGERS = ["cached_tokens", "completion_tokens", "prompt_tokens", "reasoning_tokens", "requests"]
NUMBERS = ["byok_usage_inference", "usage"]

pytestmark = pytest.mark.usefixtures("way")  # conftest.py: msgspec, then the standard library


def test_the_rows_here_and_in_the_property_carry_every_field_the_spec_requires() -> None:
    """A field the spec adds (cached_tokens in 2026-10) is dropped, retyped and checked here too."""
    spec = {name: kind for name, _, kind, required in activity_response_module._ROW_FIELDS if required}
    assert set(ROW) == set(FIELDS) == set(spec)
    assert {name: spec[name] for name in [*STRINGS, *INTEGERS, *NUMBERS]} == {
        **dict.fromkeys(STRINGS, str),
        **dict.fromkeys(INTEGERS, int),
        **dict.fromkeys(NUMBERS, float),
    }
    assert sorted([*STRINGS, *INTEGERS, *NUMBERS]) == FIELDS


def without(field: str) -> dict[str, Any]:
    return {key: value for key, value in ROW.items() if key != field}


def with_value(field: str, value: object) -> dict[str, Any]:
    return {**ROW, field: value}


def rows(count: int) -> list[dict[str, Any]]:
    return [{**ROW, "requests": i} for i in range(count)]


def body(data: list[Any], **extra: Any) -> bytes:
    return json.dumps({"data": data, **extra}).encode()


def reference(content: bytes) -> ActivityResponse:
    """What a body means: the standard library decodes it, less what JSON cannot mean (NaN,
    Infinity, a number beyond a double, half of a surrogate pair); from_dict checks it."""

    def refuse(text: str) -> float:
        raise ValueError(f"{text} is not a JSON number")

    def finite(text: str) -> float:
        number = float(text)
        return number if math.isfinite(number) else refuse(text)

    value = json.loads(content, parse_constant=refuse, parse_float=finite)
    json.dumps(value, ensure_ascii=False).encode()  # UnicodeEncodeError (a ValueError) for a lone surrogate
    return ActivityResponse.from_dict(value)


def outcome(decode: Callable[[], object]) -> str:
    """The result's repr (values with their types, unknown keys in order), the error's place and
    problem, or that the body is not JSON."""
    try:
        return repr(decode())
    except InvalidResponseBody as error:
        return f"InvalidResponseBody({error.location!r}, {error.problem!r})"
    except ValueError:
        return "not JSON"


def item_error(src: object) -> tuple[str, str]:
    with pytest.raises(InvalidResponseBody) as caught:
        ActivityItem.from_dict(src)  # type: ignore[arg-type]
    return caught.value.location, caught.value.problem


def body_error(data: list[object], **extra: Any) -> tuple[str, str]:
    """The error for a body, which must be the same from the bytes and from the decoded dict."""
    content = body(data, **extra)
    with pytest.raises(InvalidResponseBody) as from_bytes:
        ActivityResponse._from_json(content)
    with pytest.raises(InvalidResponseBody) as from_dict:
        reference(content)
    assert (from_bytes.value.location, from_bytes.value.problem) == (
        from_dict.value.location,
        from_dict.value.problem,
    )
    assert str(from_bytes.value) == f"{from_bytes.value.location}: {from_bytes.value.problem}"
    return from_bytes.value.location, from_bytes.value.problem


def decoded(content: bytes) -> ActivityResponse:
    """_from_json, checked against the reference."""
    result = ActivityResponse._from_json(content)
    assert repr(result) == repr(reference(content))
    return result


class TestAcceptedRows:
    def test_a_complete_row_decodes_to_its_fields(self) -> None:
        item = ActivityItem.from_dict(ROW)
        assert {field: getattr(item, field) for field in FIELDS} == ROW
        assert item.additional_properties == {}
        assert decoded(body([ROW])).data == [item]

    def test_the_array_gives_the_same_items_as_from_dict_on_each(self) -> None:
        assert decoded(body(rows(50))).data == [ActivityItem.from_dict(row) for row in rows(50)]

    @pytest.mark.parametrize("field", NUMBERS)
    def test_an_integer_is_accepted_for_a_number_and_stays_an_integer(self, field: str) -> None:
        assert type(getattr(ActivityItem.from_dict(with_value(field, 0)), field)) is int
        value = getattr(decoded(body([with_value(field, 3)])).data[0], field)
        assert (value, type(value)) == (3, int)

    def test_unknown_keys_are_kept_in_order_in_additional_properties(self) -> None:
        extra = {"cache_write_tokens": 7, **ROW, "app_id": "app_1", "zeta": None}
        expected = [("cache_write_tokens", 7), ("app_id", "app_1"), ("zeta", None)]
        assert list(ActivityItem.from_dict(extra).additional_properties.items()) == expected
        data = decoded(body([extra, {**ROW, "cache_write_tokens": 1}, ROW])).data
        assert list(data[0].additional_properties.items()) == expected
        assert data[1].additional_properties == {"cache_write_tokens": 1}
        assert data[2].additional_properties == {}

    def test_rows_with_different_unknown_keys_each_keep_their_own(self) -> None:
        data = [{**ROW, "a": 1}, {**ROW, "b": [2]}, {**ROW, "b": {"c": 3}}, {"b": 5, **ROW, "a": 4}]
        assert [item.additional_properties for item in decoded(body(data)).data] == [
            {"a": 1},
            {"b": [2]},
            {"b": {"c": 3}},
            {"b": 5, "a": 4},
        ]

    def test_each_row_has_its_own_dict_of_unknown_keys(self) -> None:
        first, second = decoded(body([ROW, ROW])).data
        first["note"] = "x"
        assert "note" not in second

    def test_a_key_given_twice_counts_once_with_its_last_value(self) -> None:
        row = json.dumps(ROW)[1:-1]
        content = (
            f'{{"data": [{{"usage": "first", "cache_write_tokens": 1, {row}, '
            f'"cache_write_tokens": 2}}]}}'.encode()
        )
        item = decoded(content).data[0]
        assert (item.usage, item.additional_properties) == (0.015, {"cache_write_tokens": 2})

    def test_the_body_keeps_its_own_unknown_keys(self) -> None:
        assert decoded(body([], meta={"page": 1})).additional_properties == {"meta": {"page": 1}}
        two = decoded(b'{"next": null, "data": [], "meta": {"page": 1}}')
        assert list(two.additional_properties) == ["next", "meta"]

    def test_an_optional_field_is_kept_when_present(self) -> None:
        first, second = decoded(body([{**ROW, "workspace_id": "ws_1"}, ROW])).data
        assert first.workspace_id == "ws_1"
        assert second.workspace_id is types.UNSET

    def test_decoding_leaves_the_source_untouched(self) -> None:
        source = {"data": rows(3), "meta": 1}
        snapshot = {"data": [dict(row) for row in source["data"]], "meta": 1}
        ActivityResponse.from_dict(source)
        assert source == snapshot


class TestRejectedRows:
    @pytest.mark.parametrize("field", FIELDS)
    def test_a_missing_required_field_is_named_with_its_row(self, field: str) -> None:
        assert item_error(without(field)) == (field, "required field is missing")
        assert body_error([*rows(3), without(field)]) == (f"data[3].{field}", "required field is missing")

    @pytest.mark.parametrize("field", STRINGS)
    @pytest.mark.parametrize(("value", "kind"), [(1, "a number"), (None, "null"), ([], "an array")])
    def test_a_string_field_rejects_other_types(self, field: str, value: object, kind: str) -> None:
        assert item_error(with_value(field, value)) == (field, f"expected a string, got {kind}")
        assert body_error([with_value(field, value)]) == (
            f"data[0].{field}",
            f"expected a string, got {kind}",
        )

    @pytest.mark.parametrize("field", INTEGERS)
    @pytest.mark.parametrize(
        ("value", "kind"),
        [(True, "a boolean"), (1.5, "a number"), (1.0, "a number"), ("1", "a string"), (None, "null")],
    )
    def test_an_integer_field_rejects_bools_floats_and_strings(
        self, field: str, value: object, kind: str
    ) -> None:
        assert item_error(with_value(field, value)) == (field, f"expected an integer, got {kind}")
        assert body_error([with_value(field, value)]) == (
            f"data[0].{field}",
            f"expected an integer, got {kind}",
        )

    @pytest.mark.parametrize("field", NUMBERS)
    @pytest.mark.parametrize(("value", "kind"), [(False, "a boolean"), ("0.5", "a string"), (None, "null")])
    def test_a_number_field_rejects_bools_and_strings(self, field: str, value: object, kind: str) -> None:
        assert item_error(with_value(field, value)) == (field, f"expected a number, got {kind}")
        assert body_error([with_value(field, value)]) == (
            f"data[0].{field}",
            f"expected a number, got {kind}",
        )

    @pytest.mark.parametrize(
        ("value", "kind"), [([], "an array"), ("row", "a string"), (None, "null"), (3, "a number")]
    )
    def test_a_row_that_is_not_an_object_is_rejected(self, value: object, kind: str) -> None:
        assert item_error(value) == ("", f"expected an object, got {kind}")
        assert (
            str(InvalidResponseBody("", f"expected an object, got {kind}"))
            == f"expected an object, got {kind}"
        )
        assert body_error([ROW, value]) == ("data[1]", f"expected an object, got {kind}")

    def test_the_first_problem_in_field_order_is_reported(self) -> None:
        # date comes before usage in the model: its wrong type wins over the missing usage.
        row = {**without("usage"), "date": 20250824}
        assert item_error(row) == ("date", "expected a string, got a number")
        assert body_error([row]) == ("data[0].date", "expected a string, got a number")

    @pytest.mark.parametrize(
        "bad",
        [without("model"), with_value("requests", True), with_value("usage", "0.1"), ["not", "a", "row"]],
    )
    def test_one_bad_row_among_ten_thousand_is_found(self, bad: object) -> None:
        data: list[object] = [*rows(10_000)]
        data[6_789] = bad
        location, problem = item_error(bad)
        assert body_error(data, meta=1) == ("data[6789]" + ("." + location if location else ""), problem)

    def test_a_missing_array_is_named(self) -> None:
        assert outcome(lambda: ActivityResponse._from_json(b'{"rows": []}')) == (
            "InvalidResponseBody('data', 'required field is missing')"
        )

    @pytest.mark.parametrize("data", ['""', "{}", "5", "null"])
    def test_data_that_is_not_an_array_is_named(self, data: str) -> None:
        got = outcome(lambda: ActivityResponse._from_json(f'{{"data": {data}}}'.encode()))
        assert got.startswith("InvalidResponseBody('data', 'expected an array, got ")

    @pytest.mark.parametrize(
        "content", [b"", b"{", b'{"data": [}', b"<html>", b'{"data": []} x', b'{"data": ["\xff"]}']
    )
    def test_a_body_that_is_not_json_raises_what_json_raises(self, content: bytes) -> None:
        with pytest.raises((json.JSONDecodeError, UnicodeDecodeError)) as from_json:
            json.loads(content)
        with pytest.raises(type(from_json.value), match=re.escape(str(from_json.value))):
            ActivityResponse._from_json(content)


class TestWhatJSONCannotMean:
    """NaN, Infinity, 1e400 and lone surrogates: json reads them, msgspec does not, and no sum,
    table or text could hold them: on every path the body is not JSON (ValueError)."""

    ODD: ClassVar = [
        ("NaN", "NaN is not a JSON number"),
        ("Infinity", "Infinity is not a JSON number"),
        ("-Infinity", "-Infinity is not a JSON number"),
        ("1e400", "the number 1e400 is beyond a double's range"),
        ("-2.5e999", "the number -2.5e999 is beyond a double's range"),
        ('"\\ud800"', "half of a UTF-16 surrogate pair"),
        ('"a\\udfffb"', "half of a UTF-16 surrogate pair"),
        ("[" * 5000 + "]" * 5000, "nested deeper than Python can read"),
        ('{"a":' * 5000 + "1" + "}" * 5000, "nested deeper than Python can read"),
    ]

    @pytest.mark.parametrize(("value", "words"), ODD)
    @pytest.mark.parametrize("key", ["odd", "usage", "model"])
    def test_in_a_field_or_an_unknown_key(self, key: str, value: str, words: str) -> None:
        content = b'{"data": [%s]}' % json.dumps({**ROW, key: "x"}).replace('"x"', value).encode()
        with pytest.raises(ValueError, match=re.escape(words)):
            ActivityResponse._from_json(content)

    def test_a_surrogate_pair_is_one_character(self) -> None:
        pair = '"a\\ud83d\\ude00"'
        content = b'{"data": [%s]}' % json.dumps({**ROW, "model": "x"}).replace('"x"', pair).encode()
        assert decoded(content).data[0].model == "a\U0001f600"

    def test_a_large_integer_beyond_64_bits_in_an_unknown_key_stays_exact(self) -> None:
        content = b'{"data": [%s]}' % json.dumps({**ROW, "odd": 123456789012345678901234567890}).encode()
        assert decoded(content).data[0].additional_properties == {"odd": 123456789012345678901234567890}

    def test_a_large_integer_stays_exact(self) -> None:
        content = body([with_value("prompt_tokens", 2**70)])
        assert decoded(content).data[0].prompt_tokens == 2**70

    def test_a_byte_order_mark_and_another_encoding(self) -> None:
        content = body(rows(2))
        assert decoded(b"\xef\xbb\xbf" + content).data == decoded(content).data
        assert decoded(content.decode().encode("utf-16")).data == decoded(content).data


class TestRowsFromBytes:
    """With msgspec, rows are made from the bytes, whatever the layout; nothing falls back to dicts."""

    @pytest.fixture
    def no_reference(self, way: str, monkeypatch: pytest.MonkeyPatch) -> None:
        if way == "stdlib":
            pytest.skip("the reference way is the only way without msgspec")

        def refuse(content: bytes) -> Any:
            raise AssertionError("decoded the reference way")

        monkeypatch.setattr(activity_response_module, "json_loads", refuse)

    @pytest.mark.parametrize(
        "dump",
        [
            lambda value: json.dumps(value, separators=(",", ":")),
            json.dumps,
            lambda value: json.dumps(value, indent=2),
            lambda value: json.dumps(value, indent="\t", ensure_ascii=False),
        ],
        ids=["compact", "spaced", "indented", "tabs"],
    )
    @pytest.mark.usefixtures("no_reference")
    def test_any_layout_and_key_order(self, dump: Callable[[object], str]) -> None:
        data = [dict(reversed(list({**row, "cache_write_tokens": 3}.items()))) for row in rows(40)]
        data[7] = {**ROW, "model": "méta/llama-4 ✓"}
        content = dump({"meta": {"next": None}, "data": data}).encode()
        result = ActivityResponse._from_json(content)
        assert repr(result) == repr(reference(content))
        assert result.data[0].additional_properties == {"cache_write_tokens": 3}

    @pytest.mark.usefixtures("no_reference")
    def test_what_is_learned_about_unknown_keys_is_kept_for_the_next_body(self) -> None:
        ActivityResponse._from_json(body([{**ROW, "cache_write_tokens": 1}], meta=2))
        learned = [d for (key, _), d in types._rows_decoders.items() if key == "data"]
        assert [(d.body_extra, d.row_extra) for d in learned] == [("meta", "cache_write_tokens")]
        assert ActivityResponse._from_json(body(rows(2))).data == [ActivityItem.from_dict(r) for r in rows(2)]

    def test_rows_with_different_unknown_keys_and_a_body_with_two(self) -> None:
        data = [{**ROW, "a": 1}, *rows(3000), {**ROW, "b": 2}, {**ROW, "a": 3}]
        assert [item.additional_properties for item in decoded(body(data)).data[-3:]] == [
            {},
            {"b": 2},
            {"a": 3},
        ]
        assert list(decoded(body(rows(2), z=1, a=2)).additional_properties.items()) == [("z", 1), ("a", 2)]

    @pytest.mark.usefixtures("no_reference")
    def test_rows_of_a_large_array_share_the_strings_they_repeat(self) -> None:
        data = [{**row, "endpoint_id": f"ep-{i}", "model": f"m{i % 3}"} for i, row in enumerate(rows(2000))]
        content = body(data)
        result = ActivityResponse._from_json(content)
        assert repr(result) == repr(reference(content))
        first, second, fourth = result.data[0], result.data[1], result.data[3]
        assert first.date is second.date
        assert first.model is fourth.model
        assert (first.model, second.model) == ("m0", "m1")
        assert len({id(item.endpoint_id) for item in result.data}) == 2000  # all different: not shared

    def test_two_unknown_keys_in_one_row_keep_their_order(self) -> None:
        data = [{**ROW, "a": 1, "b": 2}, {"b": 3, **ROW, "a": 4}]
        assert [list(item.additional_properties) for item in decoded(body(data)).data] == [
            ["a", "b"],
            ["b", "a"],
        ]

    @pytest.mark.parametrize("key", ["", 'a"b', "a\\b", "tab\there", "` - at `$.data[0]", "x` - at `$"])
    def test_unknown_keys_of_any_spelling(self, key: str) -> None:
        assert decoded(body([{**ROW, key: 1}])).data[0].additional_properties == {key: 1}
        assert decoded(body([ROW], **{key: 2})).additional_properties == {key: 2}

    def test_many_different_unknown_keys(self) -> None:
        data = [{**ROW, f"new_{i}": i} for i in range(3 * types._MAX_TRIES)]
        assert [item.additional_properties for item in decoded(body(data)).data] == [
            {f"new_{i}": i} for i in range(3 * types._MAX_TRIES)
        ]


class TestFreeFormRows:
    """Query rows declare no fields: each is its object, copied, with the same errors as from_dict."""

    def test_each_row_is_a_copy_of_its_object(self) -> None:
        data: list[Any] = [
            {"model": "a", "total_cost": 0.5, "date__day": None},
            {},
            MappingProxyType({"x": 1}),
        ]
        made = AnalyticsQueryRow._from_dict_list(data)
        assert [row.additional_properties for row in made] == [dict(row) for row in data]
        assert made == [AnalyticsQueryRow.from_dict(row) for row in data]
        made[0].additional_properties["model"] = "b"
        assert data[0]["model"] == "a"

    @pytest.mark.parametrize(("value", "kind"), [(5, "a number"), ([], "an array"), (None, "null")])
    def test_a_row_that_is_not_an_object_is_named_with_its_index(self, value: object, kind: str) -> None:
        content = json.dumps(
            {
                "data": {
                    "data": [{"a": 1}, value],
                    "metadata": {"query_time_ms": 1, "row_count": 2, "truncated": False},
                }
            }
        ).encode()
        with pytest.raises(InvalidResponseBody) as caught:
            AnalyticsQueryResponse._from_json(content)
        assert (caught.value.location, caught.value.problem) == (
            "data.data[1]",
            f"expected an object, got {kind}",
        )


class TestGarbageCollector:
    def test_collection_resumes_after_decoding(self) -> None:
        assert gc.isenabled()
        decoded(body(rows(100)))
        assert gc.isenabled()

    def test_collection_resumes_after_a_rejected_row(self) -> None:
        body_error([*rows(10), without("date")])
        assert gc.isenabled()

    def test_collection_stays_off_when_the_caller_turned_it_off(self) -> None:
        gc.disable()
        try:
            decoded(body(rows(10)))
            assert not gc.isenabled()
        finally:
            gc.enable()


def test_msgspec_is_looked_up_once_and_missing_is_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(types, "_accelerator", None)
    monkeypatch.setitem(sys.modules, "msgspec", None)  # import msgspec raises ImportError
    assert types._msgspec() is False
    assert decoded(body(rows(2))).data == [ActivityItem.from_dict(row) for row in rows(2)]
    monkeypatch.delitem(sys.modules, "msgspec")
    assert types._msgspec() is False


# --- the property: any layout, any key order, any values --------------------------------------

ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=4),
    st.just([]),
    st.just({"k": [1.5, None]}),
)
UNKNOWN_KEYS = st.sampled_from(
    ["cache_write_tokens", "cachedTokens", "é", 'q"uote', "workspace", "data", "usage "]
)


@st.composite
def activity_bodies(draw: st.DrawFn) -> dict[str, Any]:
    """A body: rows mostly right, some with a wrong, missing or unknown key, keys in any order."""
    data = []
    for _ in range(draw(st.integers(0, 5))):
        row: dict[str, Any] = dict(ROW)
        for field in draw(st.lists(st.sampled_from(FIELDS), max_size=2, unique=True)):
            if draw(st.booleans()):
                del row[field]
            else:
                row[field] = draw(ODD_VALUES)
        if draw(st.booleans()):
            row["workspace_id"] = draw(st.one_of(st.text(max_size=3), ODD_VALUES))
        for key in draw(st.lists(UNKNOWN_KEYS, max_size=2, unique=True)):
            row[key] = draw(ODD_VALUES)
        data.append(dict(draw(st.permutations(list(row.items())))))
    result: dict[str, Any] = {"data": data}
    for key in draw(st.lists(st.sampled_from(["meta", "next", "dáta"]), max_size=2, unique=True)):
        result[key] = draw(ODD_VALUES)
    return dict(draw(st.permutations(list(result.items()))))


def escape_all(text: str) -> str:
    """Every character as a \\u escape, non-BMP ones as surrogate pairs."""
    units = text.encode("utf-16-be")
    return '"' + "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2)) + '"'


def render(
    value: object, gaps: Iterator[str], string: Callable[[str], str], number: Callable[[float], str]
) -> str:
    """JSON text for value with the given whitespace between tokens and spelling of strings and numbers."""
    if isinstance(value, dict):
        members = [
            f"{next(gaps)}{string(key)}{next(gaps)}:{next(gaps)}{render(item, gaps, string, number)}"
            + next(gaps)
            for key, item in value.items()
        ]
        return "{" + (",".join(members) or next(gaps)) + "}"
    if isinstance(value, list):
        elements = [f"{next(gaps)}{render(item, gaps, string, number)}{next(gaps)}" for item in value]
        return "[" + (",".join(elements) or next(gaps)) + "]"
    if isinstance(value, str):
        return string(value)
    if isinstance(value, float):
        return number(value)
    return json.dumps(value)


LAYOUTS = st.tuples(
    st.lists(st.sampled_from(["", " ", "  ", "\n", "\n  ", "\t", "\r\n"]), min_size=1, max_size=6),
    st.sampled_from(
        [
            json.dumps,
            lambda text: json.dumps(text, ensure_ascii=False),
            escape_all,
        ]
    ),
    st.sampled_from(
        [json.dumps, lambda value: f"{value:.17g}" if math.isfinite(value) else json.dumps(value)]
    ),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(activity_bodies(), LAYOUTS)
def test_any_layout_and_key_order_give_what_from_dict_gives(
    value: dict[str, Any], layout: tuple[list[str], Callable[[str], str], Callable[[float], str]]
) -> None:
    gaps, string, number = layout
    content = render(value, cycle(gaps), string, number).encode()
    assert json.loads(content) == value  # the rendering means the value
    assert outcome(lambda: ActivityResponse._from_json(content)) == outcome(lambda: reference(content))
