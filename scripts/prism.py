"""Run Prism (pinned in package-lock.json) on 127.0.0.1 for tests and the demo.

``mock`` serves the examples in a spec and validates every request against it;
``proxy`` forwards to an upstream server and, with ``--errors``, answers with an
error whenever a request or a response does not conform to the spec.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRISM = ROOT / "node_modules" / ".bin" / "prism"
START_TIMEOUT_SECONDS = 60.0


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
