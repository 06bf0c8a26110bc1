"""``openrouter-activity mcp``: the library as a Model Context Protocol server, for agents.

    from openrouter_analytics import AsyncAnalytics
    from openrouter_analytics.mcp_server import serve_stdio

    serve_stdio(lambda: AsyncAnalytics(api_key=key), key=key)

Tools (all read-only): ``spend_report``, ``analytics_schema``, ``query_analytics``,
``check_spend``, ``cost_advice``; a prompt, ``where-did-the-money-go``; a resource holding the
``/analytics/meta`` document. Built on the official ``mcp`` SDK, the ``mcp`` extra
(``pip install 'openrouter-analytics[mcp]'``), which is imported only when serving: without
it, :class:`MCPUnavailableError` says what to install. The core never imports this package.
"""

from __future__ import annotations

from ._serve import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    CannotListenError,
    MCPUnavailableError,
    is_loopback,
    serve_http,
    serve_stdio,
)

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "CannotListenError",
    "MCPUnavailableError",
    "is_loopback",
    "serve_http",
    "serve_stdio",
]
