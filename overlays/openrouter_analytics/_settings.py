"""The frozen configuration of a client, and the options of one call."""

from __future__ import annotations

from typing import Final, NamedTuple, final

import httpx
from httpx._client import UseClientDefault  # the type of httpx.USE_CLIENT_DEFAULT

__all__ = ["CallOptions", "Secret", "Settings"]


@final
class Secret:
    """A string that never shows itself: ``repr`` and ``str`` print a mask.

    ``reveal()`` is the one way to read it, so every use of the key is easy to find.
    """

    __slots__ = ("_value",)
    MASK: Final = "**********"

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({self.MASK!r})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("a Secret is not pickled, so the key cannot end up on disk by accident")


# Named tuples rather than attrs classes: they are as immutable, and importing the client
# stays cheap (attrs loads with the first call instead).
class Settings(NamedTuple):
    """What a client was built with, after validation."""

    api_key: Secret
    base_url: str
    timeout: httpx.Timeout | None
    max_retries: int
    http_referer: str | None
    app_title: str | None
    default_headers: tuple[tuple[str, str], ...]
    allow_insecure_http: bool


class CallOptions(NamedTuple):
    """How one call is sent: its timeout, retries and extra headers.

    ``timeout`` is ``httpx.USE_CLIENT_DEFAULT`` when the underlying httpx client already carries
    the right timeout, so the common call passes nothing extra to httpx.
    """

    timeout: httpx.Timeout | UseClientDefault | None
    max_retries: int
    headers: httpx.Headers | None
