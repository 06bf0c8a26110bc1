"""Argument types for argparse: each turns a word of the command line into a value, or explains
in one line what a good value looks like.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

__all__ = ["date", "names", "seconds", "text", "whole_number"]


def date(text: str) -> str:
    """A ``YYYY-MM-DD`` day, by the package's one definition of a valid day."""
    from openrouter_analytics._validation import parse_day
    from openrouter_analytics.errors import InvalidParameterError

    try:
        return parse_day(text, "date")
    except InvalidParameterError as exc:
        if "is not a day of activity" in str(exc):
            raise argparse.ArgumentTypeError(str(exc).removeprefix("date ")) from None
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2025-08-24") from None


def whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: an integer of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of {minimum} or more")
        return value

    return parse


def seconds(text: str) -> float:
    """A positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0, e.g. 30")
    return value


def text(text: str) -> str:
    """Text with something in it: an empty filter would be silently ignored, so it is refused."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty; leave the option out to keep everything")
    return text


def names(text: str) -> list[str]:
    """A comma-separated list of names, none of them empty."""
    items = [item.strip() for item in text.split(",")]
    if not all(items):
        raise argparse.ArgumentTypeError(
            f"{text!r} has an empty name; separate names with single commas, e.g. a,b"
        )
    return items
