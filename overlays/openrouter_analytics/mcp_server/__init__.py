"""``openrouter-activity mcp``: the library as a Model Context Protocol server, for agents.

Tools (all read-only): ``spend_report``, ``analytics_schema``, ``query_analytics``,
``check_spend``, ``check_budget``, ``history_report``, ``cost_advice``; a prompt,
``where-did-the-money-go``; a resource holding the ``/analytics/meta`` document. Built on the
official ``mcp`` SDK, the ``mcp`` extra (``pip install 'openrouter-analytics[mcp]'``), which is
imported only when a server is built:
without it, :class:`MCPUnavailableError` says what to install. The core never imports this
package. :func:`serve_stdio` and :func:`serve_http` serve it; the SDK's client can also talk
to it in-process::

    import asyncio
    import os

    from mcp import Client

    from openrouter_analytics import AsyncAnalytics
    from openrouter_analytics.mcp_server import build_server

    key = os.environ["OPENROUTER_API_KEY"]
    server = build_server(lambda: AsyncAnalytics(api_key=key), key=key)


    async def main() -> None:
        async with Client(server) as client:
            result = await client.call_tool("spend_report", {"group_by": "provider", "top": 3})
        print(result.structured_content["total"]["cost"])


    asyncio.run(main())
"""

from __future__ import annotations

from ._serve import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    CannotListenError,
    MCPUnavailableError,
    build_server,
    is_loopback,
    serve_http,
    serve_stdio,
)

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "CannotListenError",
    "MCPUnavailableError",
    "build_server",
    "is_loopback",
    "serve_http",
    "serve_stdio",
]
