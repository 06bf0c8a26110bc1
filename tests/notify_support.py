"""A local webhook receiver for notification tests: Apprise's ``json://127.0.0.1:PORT/path``
URLs post to it, and it keeps what arrived."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Arrival:
    """One POST as the receiver saw it."""

    path: str
    body: dict[str, Any]
    raw: bytes
    status: int
    """What the receiver answered: 200 means delivered."""


@dataclass
class Receiver:
    """What arrived, and the statuses to answer with: ``statuses[path]`` is used up one per
    request (then 200); a path in ``failing`` always answers 500."""

    port: int
    arrivals: list[Arrival] = field(default_factory=list)
    statuses: dict[str, list[int]] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)
    delays: dict[str, float] = field(default_factory=dict)
    """Seconds to wait before answering a path, as a slow service does."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        """The Apprise URL that posts JSON to ``path`` here."""
        return f"json://127.0.0.1:{self.port}{path}"

    def at(self, path: str) -> list[Arrival]:
        """What was delivered to ``path``: the POSTs answered 200."""
        with self.lock:
            return [arrival for arrival in self.arrivals if arrival.path == path and arrival.status == 200]

    def reset(self) -> None:
        with self.lock:
            self.arrivals.clear()
            self.statuses.clear()
            self.failing.clear()
            self.delays.clear()


@contextlib.contextmanager
def receiver() -> Iterator[Receiver]:
    """A receiver on 127.0.0.1 and a free port, stopped on exit."""
    state: Receiver | None = None

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            assert state is not None
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            time.sleep(state.delays.get(self.path, 0.0))
            with state.lock:
                planned = state.statuses.get(self.path)
                if self.path in state.failing:
                    status = 500
                elif planned:
                    status = planned.pop(0)
                else:
                    status = 200
                state.arrivals.append(Arrival(self.path, json.loads(raw or b"{}"), raw, status))
            payload = b'{"ok": true}' if status == 200 else b'{"error": "down"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state = Receiver(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
