"""Run Prism (pinned in package-lock.json) on 127.0.0.1 for tests and the demo.

``mock`` serves the examples in a spec and validates every request against it;
``proxy`` forwards to an upstream server and, with ``--errors``, answers with an
error whenever a request or a response does not conform to the spec.

A proxy also answers some requests itself, and not only with errors: when the upstream
answers 501, Prism "remocks" the call and serves the spec's example with a 200 (prism-core's
``factory.js``, on ``UPSTREAM_NOT_IMPLEMENTED``; no option turns this off). So
:func:`run_checked_proxy` puts :func:`upstream_only` in front of it: the upstream marks each
of its answers with a header and a per-run token, Prism passes upstream headers on, and an
answer without the mark reaches the client as a 502 in OpenRouter's JSON error envelope,
saying what Prism did. Whatever passes has been given by the upstream and checked by Prism.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PRISM = ROOT / "node_modules" / ".bin" / "prism"
START_TIMEOUT_SECONDS = 60.0
FORWARD_TIMEOUT_SECONDS = 60.0
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
        "content-encoding",
        "accept-encoding",
    }
)


class PrismError(RuntimeError):
    """Prism is missing, or did not start listening in time."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def run_prism(spec: Path, *, upstream: str | None = None) -> Iterator[str]:
    """Start Prism on a free loopback port; yield its base URL; stop it on exit.

    With ``upstream`` Prism runs as a validating proxy in front of that server.
    """
    if not PRISM.exists():
        raise PrismError(f"{PRISM} not found: run `make setup` (npm ci) first")
    port = free_port()
    mode = ["proxy", str(spec), upstream, "--errors"] if upstream else ["mock", str(spec)]
    command = [str(PRISM), *mode, "--host", "127.0.0.1", "--port", str(port)]
    output: list[str] = []
    ready = threading.Event()

    def read_output() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if "Prism is listening" in line:
                ready.set()

    reader = threading.Thread(target=read_output, daemon=True)
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # so the whole node process group can be stopped
        env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"},
    )
    # Nothing between starting Prism and the try: an interrupt must still stop it.
    try:
        reader.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not ready.wait(0.1):
            if process.poll() is not None or time.monotonic() > deadline:
                raise PrismError("Prism did not start:\n" + "".join(output[-20:]))
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if reader.ident is not None:
            reader.join(timeout=5)
        if process.stdout is not None:
            process.stdout.close()


@contextlib.contextmanager
def upstream_only(target: str, *, header: str, value: str) -> Iterator[str]:
    """Forward every request to ``target`` (a Prism proxy) from a loopback port; yield its URL.

    An answer carrying ``header: value`` is passed on as it is. Any other answer was made by
    Prism, not by the upstream server (an example served after a 501, a violation report, a
    route it does not know), and becomes a 502 in OpenRouter's JSON error envelope whose
    message says what Prism answered and why; Prism's ``sl-violations`` header is kept.
    """
    client = httpx.Client(timeout=FORWARD_TIMEOUT_SECONDS, trust_env=False)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def __getattr__(self, name: str) -> Callable[[], None]:
            if name.startswith("do_"):  # every method, not only those with a do_<METHOD>
                return self._forward
            raise AttributeError(name)

        def _forward(self) -> None:
            length = self.headers.get("Content-Length", "0").strip()
            if not length.isdigit() or not self.path.startswith("/"):
                self.close_connection = True
                self._reply(400, _envelope(400, "Send a Content-Length and a path starting with /"), {})
                return
            body = self.rfile.read(int(length))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            try:
                answer = client.request(self.command, target + self.path, content=body, headers=headers)
            except httpx.HTTPError as exc:
                self._reply(502, _envelope(502, f"Prism did not answer: {exc}"), {})
                return
            if answer.headers.get(header) == value:
                kept = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP_BY_HOP}
                self._reply(answer.status_code, answer.content, kept)
                return
            violations = answer.headers.get("sl-violations")
            message = (
                f"Prism answered {self.command} {self.path.split('?')[0]} with {answer.status_code} itself "
                f"instead of passing on the data server's answer{_prism_reason(answer)}"
            )
            self._reply(502, _envelope(502, message), {"sl-violations": violations} if violations else {})

        def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, header_value in headers.items():
                self.send_header(name, header_value)
            if not any(name.lower() == "content-type" for name in headers):
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="upstream-only", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        client.close()


@contextlib.contextmanager
def run_checked_proxy(spec: Path, upstream: str, *, header: str, value: str) -> Iterator[str]:
    """Prism validating ``upstream``'s answers against ``spec``, behind :func:`upstream_only`."""
    with (
        run_prism(spec, upstream=upstream) as prism_url,
        upstream_only(prism_url, header=header, value=value) as url,
    ):
        yield url


def _envelope(code: int, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message}}).encode()


def _prism_reason(answer: httpx.Response) -> str:
    """What Prism said about its own answer: its violations, its problem, or that it is a mock."""
    violations = answer.headers.get("sl-violations")
    if violations:
        with contextlib.suppress(ValueError, TypeError, AttributeError, KeyError):
            return ": " + "; ".join(v["message"] for v in json.loads(violations))
    if answer.headers.get("content-type", "").startswith("application/problem+json"):
        with contextlib.suppress(ValueError, AttributeError, TypeError, KeyError):
            problem = answer.json()
            found = "; ".join(v["message"] for v in problem.get("validation", []))
            return f": {problem.get('title')}" + (f": {found}" if found else f": {problem.get('detail')}")
    return " (an answer made from the spec's examples, as Prism serves when the upstream answers 501)"
