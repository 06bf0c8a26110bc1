"""A month of ``openrouter-activity budget`` runs, one per day, as cron would make them.

For each day of November 2026 and the 1st of December, the demo data server serves the 30
completed days before that day (as the API would on it), and the installed tool runs
``budget --today DAY --notify ...`` against it with one history file for the whole month. Two
destinations are told through Apprise's generic JSON webhook (``json://``) on a local receiver:
``/ops``, always up, and ``/finance``, which answers 500 on one day to show that a failed
delivery is not recorded and is tried again the next day. Prints, as Markdown, each day's
verdict and exit code, and the receiver's log of what arrived.

    python scripts/budget_month.py [--monthly 950] [--warn-at 50,80,100] [--down 2026-11-24]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from demo import DEMO_KEY
from demo_server import month_of_activity, serve

TOOL = Path(sys.executable).parent / "openrouter-activity"
FIRST = dt.date(2026, 11, 1)
LAST = dt.date(2026, 12, 1)


class Receiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.log: list[tuple[str, int, dict[str, Any]]] = []
        self.day = ""
        self.down: set[tuple[str, str]] = set()
        """(day, path) pairs answered with 500."""


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        status = 500 if (self.server.day, self.path) in self.server.down else 200
        self.server.log.append((f"{self.server.day} {self.path}", status, body))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--monthly", default="950")
    parser.add_argument("--warn-at", default="50,80,100")
    parser.add_argument("--down", default="2026-11-24", help="the day /finance answers 500")
    args = parser.parse_args()

    # October and November, each day's numbers the same whichever day serves them.
    records = month_of_activity(dt.date(2026, 12, 1), days=61)
    receiver = Receiver()
    receiver.down.add((args.down, "/finance"))
    port = receiver.server_address[1]
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    env = {**os.environ, "OPENROUTER_API_KEY": DEMO_KEY}

    print(f"`budget --monthly {args.monthly} --warn-at {args.warn_at}`, run once a day; ", end="")
    print(f"`/finance` answers 500 on {args.down}\n")
    print("| day | exit | stdout | stderr |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as directory:
        db = Path(directory) / "history.sqlite3"
        day = FIRST
        while day <= LAST:
            window = {(day - dt.timedelta(days=n)).isoformat() for n in range(1, 31)}
            served = [record for record in records if record.item["date"] in window]
            receiver.day = day.isoformat()
            with serve(served, api_key=DEMO_KEY) as url:
                done = subprocess.run(
                    [
                        str(TOOL), "budget", "--base-url", url, "--monthly", args.monthly,
                        "--warn-at", args.warn_at, "--today", day.isoformat(), "--db", str(db),
                        "--notify", f"json://127.0.0.1:{port}/ops",
                        "--notify", f"json://127.0.0.1:{port}/finance",
                    ],
                    capture_output=True, text=True, env=env, check=False, timeout=120,
                )  # fmt: skip
            stderr = "<br>".join(
                line.removeprefix("openrouter-activity: ") for line in done.stderr.splitlines()
            )
            print(f"| {day} | {done.returncode} | {done.stdout.strip()} | {stderr} |")
            day += dt.timedelta(days=1)

    receiver.shutdown()
    print("\nWhat the receiver got (day the tool ran, path, status it answered):\n")
    for where, status, body in receiver.log:
        print(f"**{where}** answered {status}: {body['title']}\n")
        print("```\n" + body["message"] + "\n```\n")


if __name__ == "__main__":
    main()
