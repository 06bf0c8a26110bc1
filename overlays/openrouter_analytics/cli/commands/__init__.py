"""The subcommands of ``openrouter-activity``, in the order ``--help`` lists them.

Adding one: a module here defining ``COMMAND`` (see :class:`..command.Command`), and its name below.
"""

from __future__ import annotations

import importlib
from typing import Final

from openrouter_analytics.cli.command import Command

__all__ = ["COMMANDS", "DEFAULT", "load"]

COMMANDS: Final = ("report", "meta", "query", "check", "budget", "sync", "history", "mcp")
DEFAULT: Final = "report"
"""What runs when the command line names no subcommand."""


def load(name: str) -> Command:
    """The command defined by the module ``name``."""
    command: Command = importlib.import_module(f".{name}", __name__).COMMAND
    return command
