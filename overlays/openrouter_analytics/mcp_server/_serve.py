"""Serving the MCP server: over stdio (what desktop clients start) or streamable HTTP on loopback."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from mcp.server import MCPServer

    from openrouter_analytics._client import AsyncAnalytics

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "HTTP_PATH",
    "CannotListenError",
    "MCPUnavailableError",
    "build_server",
    "is_loopback",
    "serve_http",
    "serve_stdio",
]

DEFAULT_HOST: Final = "127.0.0.1"
"""The only address served unless another is asked for: the server holds a management key."""
DEFAULT_PORT: Final = 8765
HTTP_PATH: Final = "/mcp"
INSTALL: Final = "pip install 'openrouter-analytics[mcp]'"


class CannotListenError(OSError):
    """The HTTP server cannot listen where it was asked to (the port is taken, the address is
    not this machine's, ...)."""


class MCPUnavailableError(ImportError):
    """The ``mcp`` package, the ``mcp`` extra, is not installed."""

    def __init__(self) -> None:
        super().__init__(f"the MCP server needs the mcp package: {INSTALL}")


def build_server(
    connect: Callable[[], AsyncAnalytics], *, key: str, db: str | None = None, account: str | None = None
) -> MCPServer[Any]:
    """The MCP server (the SDK's ``MCPServer``): ``connect`` makes a client for each tool call,
    ``key`` is the key it holds, which is taken out of every error it returns; ``history_report``
    reads the local history at ``db`` (see ``database_path``), of ``account``.

    Raises :class:`MCPUnavailableError` when the ``mcp`` extra is not installed.
    """
    try:
        import mcp.server  # noqa: F401
    except ImportError:
        raise MCPUnavailableError from None
    from . import server

    return server.build_server(connect, key, db=db, account=account)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve_stdio(
    connect: Callable[[], AsyncAnalytics], *, key: str, db: str | None = None, account: str | None = None
) -> None:
    """Serve on stdin and stdout until stdin closes; ``connect`` makes a client per tool call."""
    import anyio

    server = build_server(connect, key=key, db=db, account=account)
    anyio.run(server.run_stdio_async)


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port`` (0: any free port); OSError when it cannot."""
    family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, protocol)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def serve_http(
    connect: Callable[[], AsyncAnalytics],
    *,
    key: str,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    listening: Callable[[str], None] | None = None,
    db: str | None = None,
    account: str | None = None,
) -> None:
    """Serve streamable HTTP at ``http://host:port/mcp`` until interrupted; ``listening`` is told
    the URL once the socket listens (the port it got when ``port`` is 0)."""
    server = build_server(connect, key=key, db=db, account=account)
    import anyio
    import uvicorn

    try:
        sock = listening_socket(host, port)
    except OSError as exc:
        raise CannotListenError(exc.strerror or str(exc)) from None
    bound_port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    # For a loopback host the SDK also refuses other Host and Origin headers (DNS rebinding).
    app = server.streamable_http_app(host=host, streamable_http_path=HTTP_PATH)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    if listening is not None:
        listening(f"http://{shown}:{bound_port}{HTTP_PATH}")
    try:
        anyio.run(lambda: uvicorn.Server(config).serve(sockets=[sock]))
    finally:
        sock.close()
