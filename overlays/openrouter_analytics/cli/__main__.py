"""``python -m openrouter_analytics.cli``: the same as the ``openrouter-activity`` command."""

from __future__ import annotations

from .main import main

if __name__ == "__main__":
    raise SystemExit(main())
