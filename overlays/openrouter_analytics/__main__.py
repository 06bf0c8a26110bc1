"""``python -m openrouter_analytics``: the same as the ``openrouter-activity`` command."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
