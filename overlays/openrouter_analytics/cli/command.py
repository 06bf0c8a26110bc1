"""What a subcommand is: its name, its help, its options and how it runs."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .session import Session

__all__ = ["Command"]


def _no_check(args: argparse.Namespace) -> None:
    return None


def _no_hint(exc: BaseException, args: argparse.Namespace) -> str | None:
    return None


def _needs_key(args: argparse.Namespace) -> bool:
    return True


class Command(NamedTuple):
    """One verb of ``openrouter-activity``; a module under ``commands/`` defines one as ``COMMAND``.

    ``add_arguments`` must stay cheap (no httpx, no client), since ``--help`` builds every
    command's options. ``check`` refuses bad combinations before the key is read; ``run``
    does the work and returns the exit code; ``hint`` may add a hint of its own to an error
    (else the general one applies). A NamedTuple, not a dataclass, to keep ``--help`` quick.
    """

    name: str
    summary: str
    description: str
    examples: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Session], int]
    check: Callable[[argparse.Namespace], None] = _no_check
    hint: Callable[[BaseException, argparse.Namespace], str | None] = _no_hint
    needs_key: Callable[[argparse.Namespace], bool] = _needs_key
    """Whether this run reads the key (a run that reads only the local history does not)."""
