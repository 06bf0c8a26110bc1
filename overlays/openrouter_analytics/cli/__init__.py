"""``openrouter-activity``, the command-line tool: where the money goes on OpenRouter.

A part of its own beside the SDK: parsing, commands and rendering live here, and a library user
imports none of it. Everything past argument parsing is imported when it is needed, so
``--help`` stays quick.

    export OPENROUTER_API_KEY=sk-or-v1-...        # a management key
    openrouter-activity                           # cost per model over the last 30 days
    openrouter-activity --group-by date --chart   # cost per day as a bar chart
    openrouter-activity --format csv > activity.csv
"""

from __future__ import annotations

from .main import main

__all__ = ["main"]
