"""Taking the API key out of text that may be shown, logged or kept: one rule for the package."""

from __future__ import annotations

import functools
import re
from typing import Final

__all__ = ["REDACTED", "core", "redact"]

REDACTED: Final = "[redacted]"
_PREFIX: Final = "sk-or-v1-"
_SHORTEST: Final = 8
"""Text shorter than this is no key to hide: replacing it would only garble the message."""
_SHORTEST_PART: Final = 16


def core(key: str) -> str:
    """What every form of ``key`` holds, lower-cased: the part after ``sk-or-v1-`` where that is
    long enough to be the secret, else the whole key. Where text lacks it, there is nothing to hide."""
    if key.lower().startswith(_PREFIX) and len(key) - len(_PREFIX) >= _SHORTEST_PART:
        return key[len(_PREFIX) :].lower()
    return key.lower()


@functools.lru_cache(maxsize=8)
def _forms(key: str) -> re.Pattern[str]:
    """The key as sent, and its secret part alone, in any case: a server may echo either,
    upper-cased or not (``key=SK-OR-V1-...``, ``k=0123...``)."""
    return re.compile("|".join(re.escape(form) for form in dict.fromkeys([key, core(key)])), re.IGNORECASE)


def redact(text: str, key: str | None) -> str:
    """``text`` with every form of ``key`` replaced by :data:`REDACTED`."""
    if not key or len(key) < _SHORTEST:
        return text
    return _forms(key).sub(REDACTED, text)
