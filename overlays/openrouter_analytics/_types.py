"""Small shared types: the "not given" sentinel and the accepted timeout forms."""

from __future__ import annotations

from typing import Final, Literal, TypeAlias, final

import httpx


@final
class NotGiven:
    """Marks an argument the caller did not pass, where ``None`` has a meaning of its own.

    ``timeout=None`` turns timeouts off; leaving ``timeout`` out keeps the client's setting.
    """

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

TimeoutTypes: TypeAlias = float | httpx.Timeout | None
"""Seconds for every phase of an attempt, an ``httpx.Timeout``, or ``None`` for no timeout."""
