"""Contains some shared types for properties"""

import datetime
import gc
import math
import operator
import os
import re
import threading
from collections.abc import Callable, Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, Any, BinaryIO, Generic, Literal, TypeVar

import httpx
from attrs import define


class Unset:
    """The type of UNSET: an optional field the body did not carry, or an argument not given"""

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self) -> str:
        # Pickled and copied as the name of the one instance, so `is UNSET` holds afterwards too.
        return "UNSET"


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


def format_datetime(value: datetime.datetime) -> str:
    """An aware datetime as RFC 3339 in UTC, as the API asks: ``2026-09-01T00:00:00Z``

    Seconds always; the fraction only when there is one, as the datetime holds it, in
    microseconds (``.120000Z``: trailing zeros are kept, so every fraction has six digits).
    A naive datetime names no instant and is written as it is, without an offset.
    """
    if value.tzinfo is not None and value.utcoffset() is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return (
            value.isoformat(
                timespec="seconds" if not value.microsecond else "microseconds"
            )
            + "Z"
        )
    return value.isoformat()


# --- Decoding JSON bodies -------------------------------------------------------------------
#
# The reference is the standard library: json.loads, then the models' from_dict. Where msgspec is
# installed it goes first. It accepts less than json.loads does (no byte order mark, and no NaN,
# no lone surrogates, no 1e400, which json_loads refuses too, as JSON cannot mean them) and gives
# the same values for what it accepts,
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
    """Decode JSON bytes as json.loads does; raises ValueError when they are not JSON, and
    where they hold what JSON cannot mean: NaN or Infinity, a number with a fraction or exponent
    beyond a double's range (1e400), a string with half of a UTF-16 surrogate pair (which no text can hold)"""
    msgspec = _accelerator if _accelerator is not None else _msgspec()
    if msgspec:
        try:
            return msgspec.json.decode(content)
        except (msgspec.MsgspecError, ValueError, RecursionError):
            pass  # the standard library decides: its result, or its error
    import json

    try:
        value = json.loads(
            content, parse_constant=_not_a_number, parse_float=_finite_float
        )
    except RecursionError:
        raise ValueError(
            "arrays or objects nested deeper than Python can read"
        ) from None
    if _SURROGATE_ESCAPE.search(content) is not None:
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(
                "a string holds half of a UTF-16 surrogate pair, which is not text"
            ) from None
    return value


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _not_a_number(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON number")


def _finite_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"the number {text[:40]} is beyond a double's range")
    return number


def json_body(response: httpx.Response) -> Any:
    """Decode a JSON body; raises ValueError when it is not JSON"""
    return json_loads(response.content)


class paused_gc:
    """Pauses the cyclic garbage collector, in a with block, while decoded values become models.

    Decoded JSON values cannot form cycles, so the collector has nothing to find in them, and
    running it again and again as thousands appear costs more than making them.
    """

    __slots__ = ("collecting",)

    def __enter__(self) -> None:
        self.collecting = gc.isenabled()
        if self.collecting:
            gc.disable()

    def __exit__(self, *exc_info: object) -> None:
        if self.collecting:
            gc.enable()


# A declared field of a model that decode_rows fills: JSON name, attribute, JSON type, required.
WireField = tuple[str, str, type, bool]

# JSON numbers without a fraction decode as int, so a float field takes both.
_WIRE_TYPES: dict[type, Any] = {str: str, int: int, float: int | float, bool: bool}
_UNKNOWN_KEY = "Object contains unknown field `"
# Decoding one body tries at most this many times (learning an undeclared key each time) before
# it leaves the body to the reference way.
_MAX_TRIES = 8
# Rows of a report repeat many string values (days, models, providers). From this many rows on,
# a string field whose values repeat in the first _SAMPLE_ROWS keeps one copy of each value.
_SHARE_FROM_ROWS = 1024
_SAMPLE_ROWS = 256


class _RowsDecoder:
    """msgspec's decoder for ``{"<key>": [row, ...], ...}``, taking the undeclared keys last seen.

    Rows decode into structs that check each declared field's JSON type. The structs of the rows
    and of the body each have one more field, `_extra` (generated attributes never start with an
    underscore), for one key the spec does not list (a field newer than the spec, the usual case);
    until one is seen it takes the key "". Any other key is refused, so none is ever dropped:
    decode_rows makes a decoder that takes it instead, and decodes again.
    """

    def __init__(
        self, key: str, fields: tuple[WireField, ...], body_extra: str, row_extra: str
    ):
        msgspec = _accelerator
        self.key, self.fields, self.body_extra, self.row_extra = (
            key,
            fields,
            body_extra,
            row_extra,
        )
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
        row: Any = msgspec.defstruct(
            "Row",
            [*row_spec, ("_extra", Any, UNSET)],
            rename={
                **{attribute: name for name, attribute, _, _ in fields},
                "_extra": row_extra,
            },
            forbid_unknown_fields=True,
            gc=False,
        )
        body = msgspec.defstruct(
            "Body",
            [("rows", list[row]), ("_extra", Any, UNSET)],
            rename={"rows": key, "_extra": body_extra},
            forbid_unknown_fields=True,
        )
        self.decoder = msgspec.json.Decoder(body)

    def taking(self, unknown: tuple[bool, str]) -> "_RowsDecoder | None":
        """A decoder that takes this key in rows (True) or in the body (False), instead of the one before"""
        in_row, name = unknown
        try:
            if in_row:
                return _RowsDecoder(self.key, self.fields, self.body_extra, name)
            return _RowsDecoder(self.key, self.fields, name, self.row_extra)
        except (TypeError, ValueError):  # a key msgspec cannot take as a field name
            return None


def _unknown_key(message: str, key: str) -> tuple[bool, str] | None:
    """(in a row?, the key) when msgspec refused a body for a key its struct does not declare"""
    if not message.startswith(_UNKNOWN_KEY):
        return None  # a row or body that does not match: the reference way names the problem
    rest = message[len(_UNKNOWN_KEY) :]
    name, at, where = rest.rpartition("` - at `")
    if not at:
        return (False, rest[:-1]) if rest.endswith("`") else None
    rows = f"$.{key}["
    if (
        where.startswith(rows)
        and where.endswith("]`")
        and where[len(rows) : -2].isdigit()
    ):
        return True, name
    return None


_rows_decoders: dict[tuple[str, int], _RowsDecoder] = {}

# make_rows(structs, the key of their _extra, for some string fields a function keeping one copy of each value)
RowMaker = Callable[[list[Any], str, dict[str, Callable[[Any, Any], Any]]], list[T]]
R = TypeVar("R")


class PendingRows(Generic[T]):
    """Rows decode_rows decoded and checked, kept as its structs until they are first read.

    Each struct has the model's attribute names, and `_extra` for the value of the one key the spec
    does not list (UNSET where absent), whose name is extra_key. A reader that wants columns rather
    than models (a table) reads the structs as they are (`read`); `make` makes the models, once.
    """

    __slots__ = ("extra_key", "fields", "make_rows", "readers", "structs")

    def __init__(
        self,
        structs: list[Any],
        extra_key: str,
        fields: tuple[WireField, ...],
        make_rows: RowMaker[T],
    ):
        # structs is None once making has begun: making frees them, so one that was stopped part
        # way (Ctrl-C, a fork) leaves too few to be read again.
        self.structs: list[Any] | None = structs
        self.extra_key, self.fields, self.make_rows = extra_key, fields, make_rows
        self.readers = (
            0  # reads of the structs under way in the thread that holds _making_rows
        )

    def make(self) -> list[T]:
        """The models; the structs are freed as they go, so they add nothing to the peak"""
        structs, self.structs = self.structs, None
        if structs is None:
            raise RuntimeError(
                "the rows of this report were lost when making them was interrupted; fetch it again"
            )
        if self.readers:
            structs = (
                structs.copy()
            )  # a read below in this thread still walks them: free a copy's
        with paused_gc():
            return self.make_rows(
                structs, self.extra_key, _shared_strings(structs, self.fields)
            )


# Models whose rows are pending make them under this lock: making frees the structs as it goes, so
# no other thread may make or read them at the same time. It is reentrant because a read runs
# under it, and code run by the read (a debugger showing a report, a finalizer) may read rows.
_making_rows = threading.RLock()


def _new_making_rows_lock() -> None:
    # A forked child has only the thread that forked: a lock another thread held stays held.
    global _making_rows
    _making_rows = threading.RLock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_making_rows_lock)


def rows_made(model: Any, name: str) -> Any:
    """The attribute `name` of `model`, made from `model._pending_rows` if it is not set yet"""
    with _making_rows:
        try:
            return object.__getattribute__(model, name)
        except AttributeError:
            pending: PendingRows[Any] | None = model._pending_rows
            if pending is None:
                raise
        rows = pending.make()
        # Past attrs' on_setattr: a Python call there would allocate, and the first allocation
        # after the models were made starts a collection over all of them.
        object.__setattr__(model, name, rows)
        object.__setattr__(model, "_pending_rows", None)
        return rows


def read_pending_rows(
    model: Any, name: str, read: Callable[[list[Any], str], R]
) -> R | None:
    """read(structs, extra_key) while the attribute `name` of `model` is still pending, else None"""
    with _making_rows:
        try:
            object.__getattribute__(model, name)
        except AttributeError:
            pending: PendingRows[Any] | None = model._pending_rows
            if pending is not None and pending.structs is not None:
                pending.readers += 1
                try:
                    return read(pending.structs, pending.extra_key)
                finally:
                    pending.readers -= 1
        return None


def undeclared_of(structs: list[Any], extra_key: str) -> list[dict[str, Any]] | None:
    """Each struct's undeclared field as its model's additional_properties holds it ({} where it
    has none), or None where no struct has one: the usual case, found without a Python step per struct"""
    values = list(map(_EXTRA_OF_STRUCT, structs))
    if values.count(UNSET) == len(values):
        return None
    return [{} if value is UNSET else {extra_key: value} for value in values]


_EXTRA_OF_STRUCT = operator.attrgetter("_extra")


def forget_pending_rows(model: Any, attribute: Any, value: T) -> T:
    """attrs' on_setattr of a field whose rows may be pending: a value set replaces those rows"""
    object.__setattr__(model, "_pending_rows", None)
    return value


def decode_rows(
    content: bytes, key: str, fields: tuple[WireField, ...], make_rows: RowMaker[T]
) -> tuple[PendingRows[T], dict[str, Any]] | None:
    """The rows of a body ``{"<key>": [...], ...}``, decoded and checked, and the body's other keys.

    msgspec decodes each row into a struct holding its checked field values and, in `_extra`, its
    value for the one key the spec does not list (UNSET where absent): no row exists as a dict on
    the way. The rows come back pending (see PendingRows): make_rows(structs, that key, shared)
    makes the models when they are first read; shared has, for string fields whose values repeat,
    a function (a dict's setdefault) to keep one copy of each value.

    None (decode the reference way instead, for the same result or the error) where msgspec is
    missing or refuses the body, or where rows or the body hold more than one undeclared key.
    """
    msgspec = _accelerator if _accelerator is not None else _msgspec()
    if not msgspec:
        return None
    decoder = _rows_decoders.get((key, id(fields)))
    if decoder is None or decoder.fields is not fields:
        decoder = _rows_decoders[key, id(fields)] = _RowsDecoder(key, fields, "", "")
    tried: set[tuple[bool, str]] = set()
    with paused_gc():
        for _ in range(_MAX_TRIES):
            try:
                body = decoder.decoder.decode(content)
                break
            except msgspec.ValidationError as refusal:
                tried |= {(True, decoder.row_extra), (False, decoder.body_extra)}
                unknown = _unknown_key(str(refusal), key)
                if unknown is None or unknown in tried:
                    return None  # a mismatch, or two undeclared keys at one level of this body
                tried.add(unknown)
                taking = decoder.taking(unknown)
                if taking is None:
                    return None
                decoder = _rows_decoders[key, id(fields)] = taking
            except (msgspec.MsgspecError, ValueError, RecursionError):
                return None
        else:
            return None
    rows = PendingRows(body.rows, decoder.row_extra, fields, make_rows)
    return rows, {} if body._extra is UNSET else {decoder.body_extra: body._extra}


def _shared_strings(
    structs: list[Any], fields: tuple[WireField, ...]
) -> dict[str, Callable[[Any, Any], Any]]:
    """For each string field whose values repeat (4 times each on average in the first rows of a
    large array), a dict's setdefault, to keep one copy of each value"""
    if len(structs) < _SHARE_FROM_ROWS:
        return {}
    sample = structs[:_SAMPLE_ROWS]
    shared: dict[str, Callable[[Any, Any], Any]] = {}
    for _, attribute, kind, _ in fields:
        if kind is str:
            values = {getattr(struct, attribute) for struct in sample}
            if 4 * len(values) <= len(sample) and values != {UNSET}:
                shared[attribute] = {}.setdefault
    return shared


__all__ = [
    "UNSET",
    "File",
    "FileTypes",
    "PendingRows",
    "RequestFiles",
    "Response",
    "Unset",
    "WireField",
    "decode_rows",
    "forget_pending_rows",
    "format_datetime",
    "json_body",
    "json_loads",
    "paused_gc",
    "read_pending_rows",
    "rows_made",
    "status_code_of",
    "undeclared_of",
]
