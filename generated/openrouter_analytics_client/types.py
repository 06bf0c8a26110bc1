"""Contains some shared types for properties"""

import gc
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from http import HTTPStatus
from operator import attrgetter
from typing import IO, Any, BinaryIO, Generic, Literal, TypeVar

import httpx
from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus | int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


# Looked up on every response: a dict is several times faster than calling the enum.
_STATUSES: dict[int, HTTPStatus] = {status.value: status for status in HTTPStatus}


def status_code_of(code: int) -> HTTPStatus | int:
    """The code as an HTTPStatus when the standard library knows it, else the plain int (e.g. 529)"""
    return _STATUSES.get(code, code)


# --- Decoding JSON bodies -------------------------------------------------------------------
#
# The reference is the standard library: json.loads, then the models' from_dict. Where msgspec is
# installed it goes first. It accepts less than json does (no NaN, no lone surrogates, no byte
# order mark, no number beyond the float range) and gives the same values for what it accepts,
# so a body it decodes comes out as the reference would make it. Whatever it refuses is decoded
# again the reference way, which gives the result or raises the error: one outcome on every path.

_accelerator: Any = None  # msgspec once looked up; False where it is not installed


def _msgspec() -> Any:
    """msgspec, imported on first use, or False"""
    global _accelerator
    if _accelerator is None:
        try:
            import msgspec
        except ImportError:  # where msgspec has no wheel
            _accelerator = False
        else:
            _accelerator = msgspec
    return _accelerator


def json_loads(content: bytes) -> Any:
    """Decode JSON bytes as json.loads does; raises ValueError when they are not JSON"""
    msgspec = _accelerator if _accelerator is not None else _msgspec()
    if msgspec:
        try:
            return msgspec.json.decode(content)
        except (msgspec.MsgspecError, ValueError):
            pass  # the standard library decides: its result, or its error
    import json

    return json.loads(content)


def json_body(response: httpx.Response) -> Any:
    """Decode a JSON body; raises ValueError when it is not JSON"""
    return json_loads(response.content)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while decoded values become models.

    Decoded JSON values cannot form cycles, so the collector has nothing to find in them, and
    running it again and again as thousands appear costs more than making them.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# A declared field of a model that decode_rows fills: JSON name, attribute, JSON type, required.
WireField = tuple[str, str, type, bool]

# JSON numbers without a fraction decode as int, so a float field takes both.
_WIRE_TYPES: dict[type, Any] = {str: str, int: int, float: int | float, bool: bool}
# How many undeclared keys a decoder keeps at each level (the body, its rows): a key past these
# makes it start again from that key alone. Decoding a body stops learning after as many tries,
# and leaves it to the reference way, which is quicker than learning more.
_MAX_EXTRA_KEYS = 16
_UNKNOWN_KEY = "Object contains unknown field `"


class _RowsDecoder:
    """msgspec's decoder for ``{"<key>": [row, ...], ...}``, which knows the undeclared keys seen so far.

    Rows decode into structs that check each declared field's JSON type and refuse any other key
    (learn() then makes a decoder that takes it too), so a body decodes with nothing dropped.
    """

    def __init__(
        self,
        key: str,
        fields: tuple[WireField, ...],
        body_extras: tuple[str, ...],
        row_extras: tuple[str, ...],
    ) -> None:
        msgspec = _accelerator
        self.key, self.fields = key, fields
        self.body_extras, self.row_extras = body_extras, row_extras
        self.row_slots = _slots(
            row_extras, {attribute for _, attribute, _, _ in fields}
        )
        self.body_slots = _slots(body_extras, {"rows"})
        row_spec: list[Any] = [
            (attribute, _WIRE_TYPES[kind])
            for _, attribute, kind, required in fields
            if required
        ]
        row_spec += [
            (attribute, _WIRE_TYPES[kind], UNSET)
            for _, attribute, kind, required in fields
            if not required
        ]
        row_spec += [(slot, Any, msgspec.UNSET) for slot in self.row_slots]
        row: Any = msgspec.defstruct(
            "Row",
            row_spec,
            rename={
                **{attribute: name for name, attribute, _, _ in fields},
                **dict(zip(self.row_slots, row_extras)),
            },
            forbid_unknown_fields=True,
            gc=False,
        )
        body = msgspec.defstruct(
            "Body",
            [
                ("rows", list[row]),
                *((slot, Any, msgspec.UNSET) for slot in self.body_slots),
            ],
            rename={"rows": key, **dict(zip(self.body_slots, body_extras))},
            forbid_unknown_fields=True,
        )
        self.decoder = msgspec.json.Decoder(body)

    def learn(self, message: str) -> "_RowsDecoder | None":
        """A decoder that also takes the key a refusal names, or None when that cannot help"""
        if not message.startswith(_UNKNOWN_KEY):
            return None  # a row or body that does not match: the reference way names the problem
        name, at, where = message[len(_UNKNOWN_KEY) :].rpartition("` - at `")
        row_path = f"$.{self.key}["
        if not at:
            name, in_row = message[len(_UNKNOWN_KEY) : -1], False  # the body's own keys
        elif (
            where.startswith(row_path)
            and where.endswith("]`")
            and where[len(row_path) : -2].isdigit()
        ):
            in_row = True
        else:
            return None
        known = self.row_extras if in_row else self.body_extras
        if name in known:
            return None
        extras = (*known, name) if len(known) < _MAX_EXTRA_KEYS else (name,)
        try:
            if in_row:
                return _RowsDecoder(self.key, self.fields, self.body_extras, extras)
            return _RowsDecoder(self.key, self.fields, extras, self.row_extras)
        except (TypeError, ValueError):  # a key msgspec cannot take as a field name
            return None


def _slots(keys: tuple[str, ...], taken: set[str]) -> list[str]:
    """Attribute names for undeclared keys, clear of the declared ones"""
    slots = []
    for index in range(len(keys)):
        slot = f"extra_{index}"
        while slot in taken:
            slot = "_" + slot
        slots.append(slot)
    return slots


_rows_decoders: dict[tuple[str, int], _RowsDecoder] = {}


def decode_rows(
    content: bytes,
    key: str,
    fields: tuple[WireField, ...],
    make_rows: Callable[[list[Any]], list[T]],
) -> tuple[list[T], dict[str, Any]] | None:
    """The rows of a body ``{"<key>": [...], ...}`` made straight into models, and the body's other keys.

    msgspec decodes each row into a struct that holds its checked field values and any other keys;
    make_rows turns those into models, and the other keys are added to their additional_properties.
    No row exists as a dict on the way. None (decode the reference way instead, for the same result
    or the error) where msgspec is missing or refuses the body, or when a row or the body has two or
    more undeclared keys, whose order the structs do not keep.
    """
    msgspec = _accelerator if _accelerator is not None else _msgspec()
    if not msgspec:
        return None
    decoder = _rows_decoders.get((key, id(fields)))
    if decoder is None or decoder.fields is not fields:
        decoder = _rows_decoders[key, id(fields)] = _RowsDecoder(key, fields, (), ())
    with paused_gc():
        for _ in range(_MAX_EXTRA_KEYS):
            try:
                body = decoder.decoder.decode(content)
                break
            except msgspec.ValidationError as refusal:
                learned = decoder.learn(str(refusal))
                if learned is None:
                    return None
                decoder = _rows_decoders[key, id(fields)] = learned
            except (msgspec.MsgspecError, ValueError):
                return None
        else:
            return None
        wires = body.rows
        rows = make_rows(wires)
        if decoder.row_slots and not _add_extras(
            rows, wires, decoder.row_slots, decoder.row_extras
        ):
            return None
    absent = msgspec.UNSET
    extras = {
        name: value
        for slot, name in zip(decoder.body_slots, decoder.body_extras)
        if (value := getattr(body, slot)) is not absent
    }
    if len(extras) > 1:
        return None
    return rows, extras


def _add_extras(
    rows: list[Any], wires: list[Any], slots: list[str], names: tuple[str, ...]
) -> bool:
    """Put each row's undeclared key in its additional_properties; False if a row has more than one"""
    absent = _accelerator.UNSET
    if len(slots) == 1:
        name = names[0]
        for row, value in zip(rows, map(attrgetter(slots[0]), wires)):
            if value is not absent:
                row.additional_properties[name] = value
        return True
    for row, values in zip(rows, map(attrgetter(*slots), wires)):
        present = [
            (name, value) for name, value in zip(names, values) if value is not absent
        ]
        if len(present) > 1:
            return False
        if present:
            row.additional_properties.update(present)
    return True


__all__ = [
    "UNSET",
    "File",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
    "WireField",
    "decode_rows",
    "json_body",
    "json_loads",
    "paused_gc",
    "status_code_of",
]
