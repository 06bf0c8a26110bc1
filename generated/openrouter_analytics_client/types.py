"""Contains some shared types for properties"""

from collections.abc import Callable, Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, Any, BinaryIO, Generic, Literal, TypeVar

import httpx
from attrs import define

_loads: Callable[[bytes], Any] | None = None


def _decoder() -> Callable[[bytes], Any]:
    """orjson's loads where orjson is installed, else the standard library's; imported on first use"""
    global _loads
    try:
        import orjson

        _loads = orjson.loads
    except ImportError:  # pragma: no cover - where orjson has no wheel
        import json

        _loads = json.loads
    return _loads


T = TypeVar("T")


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


# Looked up on every response: a dict is several times faster than calling the enum.
_STATUSES: dict[int, HTTPStatus] = {status.value: status for status in HTTPStatus}


def status_code_of(code: int) -> HTTPStatus | int:
    """The code as an HTTPStatus when the standard library knows it, else the plain int (e.g. 529)"""
    return _STATUSES.get(code, code)


def json_body(response: httpx.Response) -> Any:
    """Decode a JSON body; raises ValueError when it is not JSON"""
    return (_loads or _decoder())(response.content)


def json_loads(content: bytes) -> Any:
    """Decode JSON bytes; raises ValueError when they are not JSON"""
    return (_loads or _decoder())(content)


# Bodies larger than this are decoded piece by piece when they have the shape for it.
PIECE_BYTES = 1 << 20


def decode_array_in_pieces(
    content: bytes, key: str, convert: Callable[[list[Any]], list[T]]
) -> list[T] | None:
    """The converted elements of the array in a body that is exactly ``{"<key>":[...]}``, or None.

    Decoding a large body at once holds every element as a dict, and the parser's own copy of
    the document, until the last one is converted. This decodes about PIECE_BYTES of elements at
    a time and converts them straight away, so that peak memory stays near that of the result.
    Pieces end where an object ends and the next begins (``},{"``); a cut inside a string makes
    a piece that does not decode. None (decode the whole body instead, for the same result or
    the same error) when the body is small, has another shape, or any piece fails to decode or
    convert.
    """
    end = len(content) - 2
    if end < 2 * PIECE_BYTES:
        return None
    head = b'{"' + key.encode() + b'":['
    if not content.startswith(head) or not content.endswith(b"]}"):
        return None
    loads = _loads or _decoder()
    result: list[T] = []
    start = len(head)
    try:
        while start < end:
            cut = content.find(b'},{"', start + PIECE_BYTES, end)
            stop = end if cut < 0 else cut + 1
            piece = loads(b"[" + content[start:stop] + b"]")
            result += convert(piece)
            del piece
            start = stop + 1
    except Exception:  # noqa: BLE001 - any failure: the caller decodes the whole body instead
        return None
    return result


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus | int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


__all__ = [
    "UNSET",
    "File",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
    "decode_array_in_pieces",
    "json_body",
    "json_loads",
    "status_code_of",
]
