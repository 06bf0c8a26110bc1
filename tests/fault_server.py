"""A small scripted HTTP/1.1 server on 127.0.0.1 for fault tests.

Each test queues the replies it wants (status, headers, body, a delay before answering, or a
connection closed halfway through the body) and reads back the requests that arrived, with
their bodies (sent with a Content-Length, as httpx sends a JSON body).
Raw sockets rather than http.server, so a reply can break HTTP in the ways real servers do.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

ACTIVITY_ITEM: dict[str, Any] = {
    "date": "2025-08-24",
    "model": "openai/gpt-4.1",
    "model_permaslug": "openai/gpt-4.1-2025-04-14",
    "endpoint_id": "550e8400-e29b-41d4-a716-446655440000",
    "provider_name": "OpenAI",
    "usage": 0.015,
    "byok_usage_inference": 0.012,
    "requests": 5,
    "prompt_tokens": 50,
    "completion_tokens": 125,
    "reasoning_tokens": 25,
    "cached_tokens": 10,
}


def activity_json(*items: dict[str, Any]) -> bytes:
    """A 200 body: the given items, or one valid item."""
    return json.dumps({"data": list(items) if items else [ACTIVITY_ITEM]}).encode()


META_DATA: dict[str, Any] = {
    "metrics": [
        {"name": "total_usage", "display_label": "Spend", "is_rate": False, "display_format": "currency"},
        {"name": "latency_p50", "display_label": "Latency p50", "is_rate": True, "display_format": "latency"},
    ],
    "dimensions": [{"name": "model", "display_label": "Model"}],
    "operators": [{"name": "eq", "value_type": "scalar"}, {"name": "in", "value_type": "array"}],
    "granularities": [{"name": "day", "display_label": "Day"}],
}

QUERY_RESULT: dict[str, Any] = {
    "data": [{"model": "openai/gpt-4.1", "total_usage": 1.25}],
    "metadata": {"query_time_ms": 12.5, "row_count": 1, "truncated": False},
}


def meta_json(data: dict[str, Any] | None = None) -> bytes:
    """A 200 body of GET /analytics/meta: ``data``, or a valid one."""
    return json.dumps({"data": META_DATA if data is None else data}).encode()


def query_json(result: dict[str, Any] | None = None) -> bytes:
    """A 200 body of POST /analytics/query: ``result``, or a valid one."""
    return json.dumps({"data": QUERY_RESULT if result is None else result}).encode()


def envelope(code: int, message: str) -> bytes:
    """OpenRouter's JSON error envelope."""
    return json.dumps({"error": {"code": code, "message": message}}).encode()


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "application/json"
    delay: float = 0.0
    """Seconds to wait before answering."""
    cut_body_at: int | None = None
    """Send this many body bytes (of a larger Content-Length), then close the connection."""

    def head(self) -> bytes:
        try:
            phrase = HTTPStatus(self.status).phrase
        except ValueError:
            phrase = "Unknown"
        lines = [f"HTTP/1.1 {self.status} {phrase}"]
        headers = dict(self.headers)
        if self.content_type is not None:
            headers.setdefault("Content-Type", self.content_type)
        headers.setdefault("Content-Length", str(len(self.body)))
        lines += [f"{name}: {value}" for name, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def ok(body: bytes | None = None, **kwargs: Any) -> Reply:
    return Reply(200, activity_json() if body is None else body, **kwargs)


@dataclass
class Received:
    """One request as the server saw it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes = b""

    def json(self) -> Any:
        """The body, decoded as JSON."""
        return json.loads(self.body)

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query)


class FaultServer:
    """Answers each request with the next scripted reply (``fallback`` once the script runs out)."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._script: deque[Reply] = deque()
        self.fallback = Reply(599, b"no reply scripted", content_type="text/plain")
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._connections: list[socket.socket] = []
        self._acceptor = threading.Thread(target=self._accept, name="fault-server", daemon=True)
        self._acceptor.start()

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    def always(self, reply: Reply) -> None:
        """Answer every request (after any scripted ones) with ``reply``."""
        self.fallback = reply

    def _next(self) -> Reply:
        with self._lock:
            return self._script.popleft() if self._script else self.fallback

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self._stop.is_set():
                conn.close()
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.settimeout(0.1)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self._lock:
                self._connections.append(conn)
                self._threads.append(thread)
            thread.start()

    def _read_head(self, conn: socket.socket, buffer: bytearray) -> bytes | None:
        while b"\r\n\r\n" not in buffer:
            if self._stop.is_set():
                return None
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                continue
            if not chunk:
                return None
            buffer += chunk
        head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
        buffer[:] = rest
        return head

    def _read_body(self, conn: socket.socket, buffer: bytearray, length: int) -> bytes | None:
        while len(buffer) < length:
            if self._stop.is_set():
                return None
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                continue
            if not chunk:
                return None
            buffer += chunk
        body = bytes(buffer[:length])
        del buffer[:length]
        return body

    def _serve(self, conn: socket.socket) -> None:
        buffer = bytearray()
        with contextlib.suppress(OSError), conn:
            while True:
                head = self._read_head(conn, buffer)
                if head is None:
                    return
                request_line, *header_lines = head.decode("latin-1").split("\r\n")
                method, target, _ = request_line.split(" ", 2)
                headers = {}
                for line in header_lines:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = self._read_body(conn, buffer, int(headers.get("content-length", "0")))
                if body is None:
                    return
                with self._lock:
                    self.received.append(Received(method, target, headers, body))
                reply = self._next()
                if reply.delay and self._stop.wait(reply.delay):
                    return
                if reply.cut_body_at is not None:
                    conn.sendall(reply.head() + reply.body[: reply.cut_body_at])
                    return
                conn.sendall(reply.head() + reply.body)

    def close(self) -> None:
        self._stop.set()
        # Wake the acceptor and every connection thread now rather than at their next poll.
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
            pass
        self._acceptor.join(timeout=5)
        self._listener.close()
        with self._lock:
            threads, connections = list(self._threads), list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(timeout=5)
        for conn in connections:
            conn.close()


@contextlib.contextmanager
def running_server() -> Iterator[FaultServer]:
    server = FaultServer()
    try:
        yield server
    finally:
        server.close()


def refused_url() -> str:
    """A loopback URL where nothing listens: the port was free a moment ago and is closed now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
