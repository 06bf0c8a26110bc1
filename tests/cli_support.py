"""Shared by the command-line tests: the installed tool, a way to run it, and small local servers."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOOL = Path(sys.executable).parent / "openrouter-activity"
SECRET = "sk-or-v1-NEVER-PRINT-ME-7f3a9c2e5b8d1f4a6c0e"
"""A distinctive fake key: it must appear in no output of the tool."""


_DROPPED_VARIABLES = frozenset(
    {"OPENROUTER_API_KEY", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "PYTHONIOENCODING"}
)


def tool_env(**extra: str) -> dict[str, str]:
    """The environment for a run: ours without the key, colour, width, encoding or proxy
    settings, plus ``extra``."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _DROPPED_VARIABLES and not name.lower().endswith("_proxy")
    }
    env.update(extra)
    return env


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_tool(*args: str, key: str | None = SECRET, env: Mapping[str, str] | None = None) -> Run:
    """Run the installed ``openrouter-activity`` with ``args``; the key goes in OPENROUTER_API_KEY."""
    environment = tool_env(**({"OPENROUTER_API_KEY": key} if key is not None else {}))
    environment.update(env or {})
    done = subprocess.run(
        [str(TOOL), *args], capture_output=True, text=True, env=environment, timeout=60, check=False
    )
    return Run(done.returncode, done.stdout, done.stderr)


def table_parts(table: str) -> tuple[list[str], str, list[str]]:
    """A report table's group lines, its totals line, and the lines under it (the cache note).

    The groups are the lines between the two rules; the totals line follows the second rule.
    """
    lines = table.splitlines()
    rules = [i for i, line in enumerate(lines) if line and not line.strip("─- ")]
    assert len(rules) == 2, table
    return lines[rules[0] + 1 : rules[1]], lines[rules[1] + 1], lines[rules[1] + 2 :]


def item(**fields: Any) -> dict[str, Any]:
    """An activity row as the API sends it; ``fields`` override the defaults."""
    row: dict[str, Any] = {
        "date": "2025-08-24",
        "model": "openai/gpt-4.1",
        "model_permaslug": "openai/gpt-4.1-2025-04-14",
        "endpoint_id": "550e8400-e29b-41d4-a716-446655440000",
        "provider_name": "OpenAI",
        "usage": 0.0,
        "byok_usage_inference": 0.0,
        "requests": 0,
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "reasoning_tokens": 0,
        "cached_tokens": 0,
    }
    row.update(fields)
    return row


@contextlib.contextmanager
def scripted_server(
    status: int, body: Any, *, delay: float = 0.0, headers: Mapping[str, str] | None = None
) -> Iterator[str]:
    """Answer every request with ``status``, ``headers`` and JSON ``body`` after ``delay`` seconds;
    yield the URL."""
    payload = json.dumps(body).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            time.sleep(delay)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def refused_url() -> Iterator[str]:
    """A loopback URL that refuses connections: its port is held by a socket that never listens,
    so no other server can take it while the test runs."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def error_body(code: int, message: str) -> dict[str, Any]:
    """OpenRouter's JSON error envelope."""
    return {"error": {"code": code, "message": message}}


@dataclass
class Received:
    """A request as the server saw it: method, path, query parameters, JSON body, headers."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]


Answer = tuple[int, Any] | tuple[int, Any, Mapping[str, str]]
"""What a route answers: status and JSON document, optionally with headers."""


@contextlib.contextmanager
def api_server(routes: Mapping[str, Any]) -> Iterator[tuple[str, list[Received]]]:
    """A local API: ``routes`` maps "METHOD /path" to an Answer or to a function of the Received
    request returning one; every request is recorded. Yields the base URL and the record.
    """
    received: list[Received] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            request = Received(
                self.command,
                url.path,
                {name: values[-1] for name, values in parse_qs(url.query).items()},
                json.loads(raw) if raw else None,
                {name.lower(): value for name, value in self.headers.items()},
            )
            received.append(request)
            route = routes.get(f"{self.command} {url.path}")
            if route is None:
                answer: Answer = (404, error_body(404, f"No route for {self.command} {url.path}"))
            else:
                answer = route(request) if callable(route) else route
            status, document, *rest = answer
            payload = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (rest[0] if rest else {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = _answer
        do_POST = _answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def linked_file(folder: Path, text: str) -> tuple[Path, Path]:
    """``folder``/real.csv holding ``text``, and ``folder``/latest.csv, a symbolic link to it."""
    real = folder / "real.csv"
    real.write_text(text)
    link = folder / "latest.csv"
    link.symlink_to(real)
    return real, link


@contextlib.contextmanager
def fifo_reader(path: Path) -> Iterator[list[bytes]]:
    """A FIFO at ``path`` read whole by a thread until the block ends: its bytes, once read."""
    os.mkfifo(path)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(path.read_bytes()))
    reader.start()
    try:
        yield received
    finally:
        reader.join(30)
