"""What a subcommand is: its name, its help, its options and how it runs."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .session import Session

__all__ = ["Command"]


@dataclass(frozen=True)
class Command:
    """One verb of ``openrouter-activity``; a module under ``commands/`` defines one as ``COMMAND``.

    ``add_arguments`` must stay cheap (no httpx, no client), since ``--help`` builds every
    command's options. ``check`` refuses bad combinations before the key is read; ``run``
    does the work and returns the exit code; ``hint`` may add a hint of its own to an error
    (else the general one applies).
    """

    name: str
    summary: str
    description: str
    examples: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Session], int]
    check: Callable[[argparse.Namespace], None] = lambda _args: None
    hint: Callable[[BaseException, argparse.Namespace], str | None] = lambda _exc, _args: None
