"""A local HTTP server with canned responses, fast enough to stay out of the way.

    python bench/server.py '{"activity": {"compact": [1, 100000], "spaced": [100000]},
                             "shapes": {"declared": [1]}, "query": [10000]}'

serves, on 127.0.0.1 and a free port, which it prints as `PORT <n>` once it is ready:
    GET  /<layout>/rows/<count>/activity      (any query) an activity body of `count` rows
    GET  /<shape>/rows/<count>/activity       (any query) a compact body of `count` rows in a
                                              shape other than the API's usual one
    POST /query/<count>/analytics/query       (any body) an analytics query body of `count` rows
for each layout and count given (see payload.py). It stops when its standard input closes, so
it never outlives the run that started it.

Every response is one precomputed `sendall` (status line, headers and body together) on a
socket with TCP_NODELAY: a response written in pieces, or held back by Nagle's algorithm,
makes each keep-alive call wait for the client's delayed ACK (40 ms on Linux) and the
benchmark would measure that instead of the clients.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from payload import body, query_body

NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
MAX_HEADER_BYTES = 65536


def canned(payload: bytes) -> bytes:
    """One complete 200 response, ready to send."""
    head = (
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    ).encode()
    return head + payload


def content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def serve_connection(conn: socket.socket, responses: dict[bytes, bytes]) -> None:
    """Answer requests on one keep-alive connection until the client closes it."""
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buffer = b""
    with conn:
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > MAX_HEADER_BYTES:
                    return
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buffer += chunk
                continue
            head = buffer[:end]
            # A request body (the POSTed query) is read and dropped before the next request.
            size = content_length(head)
            while len(buffer) < end + 4 + size:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buffer += chunk
            buffer = buffer[end + 4 + size :]
            target = head.split(b"\r\n", 1)[0].split(b" ")[1].split(b"?", 1)[0]
            conn.sendall(responses.get(target, NOT_FOUND))


def responses_for(spec: dict[str, object]) -> dict[bytes, bytes]:
    responses: dict[bytes, bytes] = {}
    activity = spec.get("activity", {})
    assert isinstance(activity, dict)
    for layout, counts in activity.items():
        for count in counts:
            responses[f"/{layout}/rows/{count}/activity".encode()] = canned(body(count, layout))
    shapes = spec.get("shapes", {})
    assert isinstance(shapes, dict)
    for shape, counts in shapes.items():
        for count in counts:
            responses[f"/{shape}/rows/{count}/activity".encode()] = canned(body(count, shape=shape))
    queries = spec.get("query", [])
    assert isinstance(queries, list)
    for count in queries:
        responses[f"/query/{count}/analytics/query".encode()] = canned(query_body(count))
    return responses


def main(spec: dict[str, object]) -> None:
    responses = responses_for(spec)
    listener = socket.create_server(("127.0.0.1", 0), backlog=1024)
    port = listener.getsockname()[1]

    def accept_forever() -> None:
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=serve_connection, args=(conn, responses), daemon=True).start()

    threading.Thread(target=accept_forever, daemon=True).start()
    print(f"PORT {port}", flush=True)
    sys.stdin.read()  # returns when the parent closes our stdin or exits


if __name__ == "__main__":
    main(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {"activity": {"compact": [1]}})
