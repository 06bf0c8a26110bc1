"""``openrouter-activity mcp``: the tool's answers for agents, as a Model Context Protocol server.

The server is :mod:`openrouter_analytics.mcp_server`; this module reads the options and the key
and starts it, over stdio or streamable HTTP.
"""

from __future__ import annotations

import argparse
from typing import Final

from openrouter_analytics.cli import options
from openrouter_analytics.cli.command import Command
from openrouter_analytics.cli.exits import EXIT_OK, UsageError
from openrouter_analytics.cli.session import PROG, Session

# Written out so that --help does not import the server (tests compare them with its own).
DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8765

_DESCRIPTION: Final = """\
Serve the Model Context Protocol, so that an agent (Claude Desktop, Claude Code,
Cursor, VS Code, ...) can ask where the money went: read-only tools for the
report, the analytics catalogue and queries, the spend check, the monthly
budget, cost advice and the local history (--db), with the same numbers as the
other commands. Over
stdio by default (what a desktop client starts); --http serves streamable
HTTP on 127.0.0.1 instead.
Needs the mcp extra: pip install 'openrouter-analytics[mcp]'."""

_EXAMPLES: Final = f"""\
examples:
  {PROG} mcp                            stdio, for a client that starts it
  {PROG} mcp --api-key-file ~/.config/openrouter/key
  {PROG} mcp --db ~/spend/history.sqlite3    history_report reads this file
  {PROG} mcp --http                     http://127.0.0.1:{DEFAULT_PORT}/mcp
  {PROG} mcp --http --port 0            any free port, printed on stderr
  claude mcp add openrouter-analytics -e OPENROUTER_API_KEY=sk-or-v1-... \\
      -- {PROG} mcp

The server holds a management key, which reads the whole account's analytics:
it listens on 127.0.0.1 only, unless --host names another address."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from openrouter_analytics.cli.commands.sync import add_history_options

    add_history_options(parser)  # what history_report reads
    serving = parser.add_argument_group("transport")
    serving.add_argument(
        "--http", action="store_true", help="serve streamable HTTP instead of stdio, at http://HOST:PORT/mcp"
    )
    serving.add_argument(
        "--port",
        type=options.whole_number(0),
        metavar="PORT",
        help=f"with --http: the TCP port, 0 for any free one (default: {DEFAULT_PORT})",
    )
    serving.add_argument(
        "--host",
        type=options.text,
        metavar="ADDRESS",
        help=f"with --http: the address to listen on (default: {DEFAULT_HOST}); any other than "
        "loopback lets other machines use the management key the server holds",
    )


def check(args: argparse.Namespace) -> None:
    for flag, value in (("--port", args.port), ("--host", args.host)):
        if value is not None and not args.http:
            raise UsageError(f"{flag} applies to --http only; over stdio the client starts the server")
    if args.port is not None and args.port > 65535:
        raise UsageError(f"--port {args.port} is not a TCP port; use 0 to 65535")
    try:
        import mcp  # noqa: F401
    except ImportError:
        from openrouter_analytics.mcp_server import MCPUnavailableError

        raise UsageError(str(MCPUnavailableError())) from None


def run(args: argparse.Namespace, session: Session) -> int:
    import contextlib
    import logging
    import sys

    from openrouter_analytics._client import Analytics, AsyncAnalytics
    from openrouter_analytics._constants import LOGGER_NAME
    from openrouter_analytics.cli.log import request_log
    from openrouter_analytics.mcp_server import (
        CannotListenError,
        MCPUnavailableError,
        is_loopback,
        serve_http,
        serve_stdio,
    )

    client_options = session.client_options()
    key: str = client_options["api_key"]
    with Analytics(**client_options):  # refuses a bad --base-url or --timeout before serving
        pass

    def connect() -> AsyncAnalytics:
        return AsyncAnalytics(**client_options)

    log = request_log(key) if args.verbose else contextlib.nullcontext()
    # The SDK gives the root logger a handler of its own, which would print each line again.
    logging.getLogger(LOGGER_NAME).propagate = False
    try:
        with log:
            if not args.http:
                serve_stdio(connect, key=key, db=args.db, account=args.account)
                return EXIT_OK
            host = args.host if args.host is not None else DEFAULT_HOST
            if not is_loopback(host):
                session.warn(
                    f"--host {host} serves beyond this machine: whoever reaches it can read this "
                    "account's analytics with the management key the server holds"
                )

            def listening(url: str) -> None:
                session.note(f"serving MCP over streamable HTTP at {url} (Ctrl-C stops)")
                sys.stderr.flush()

            port = args.port if args.port is not None else DEFAULT_PORT
            try:
                serve_http(
                    connect,
                    key=key,
                    host=host,
                    port=port,
                    listening=listening,
                    db=args.db,
                    account=args.account,
                )
            except CannotListenError as exc:
                raise UsageError(f"cannot listen on {host} port {port}: {exc}") from None
    except MCPUnavailableError as exc:
        raise UsageError(str(exc)) from None
    return EXIT_OK


COMMAND: Final = Command(
    name="mcp",
    summary="serve the Model Context Protocol, for agents (stdio, or --http on 127.0.0.1)",
    description=_DESCRIPTION,
    examples=_EXAMPLES,
    add_arguments=add_arguments,
    run=run,
    check=check,
)
