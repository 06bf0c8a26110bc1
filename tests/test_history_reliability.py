"""Nothing is lost: real processes, real files. A sync killed while the server stalls or while it
writes, syncs at once, and files that cannot be used (a newer schema, not SQLite, a directory
that cannot be written, a full disk) each leave the history as it was, with an error saying
what to do."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import SECRET, tool_env
from fault_server import FaultServer, Reply, activity_json

from openrouter_analytics.history import SCHEMA_VERSION, connect

pytestmark = pytest.mark.slow

TODAY = dt.datetime.now(dt.UTC).date()
WINDOW = [(TODAY - dt.timedelta(days=offset)).isoformat() for offset in range(30, 0, -1)]

# Run the tool in a child process, after a few lines of set-up of its own.
_MAIN = "\nimport sys\nfrom openrouter_analytics.cli import main\nsys.exit(main(sys.argv[1:]))\n"
# Root ignores file permissions; dropping CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH makes it obey them.
NO_PERMISSION_OVERRIDE = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
header = (ctypes.c_uint32 * 2)(0x20080522, 0)
data = (ctypes.c_uint32 * 6)()
assert libc.capget(header, data) == 0
mask = ~((1 << 1) | (1 << 2)) & 0xFFFFFFFF
data[0] &= mask
data[1] &= mask
assert libc.capset(header, data) == 0
"""


def file_size_limit(limit: int) -> str:
    """Writes past ``limit`` bytes fail with EFBIG, as on a full disk (SIGXFSZ ignored)."""
    return (
        "import resource, signal\nsignal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
    )


def start_tool(*args: str, prelude: str = "") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", prelude + _MAIN, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=tool_env(OPENROUTER_API_KEY=SECRET),
    )


def run_tool(*args: str, prelude: str = "") -> tuple[int, str, str]:
    process = start_tool(*args, prelude=prelude)
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def rows(count_per_day: int, *, days: list[str] = WINDOW, usage: float = 0.25) -> bytes:
    """A 200 body: ``count_per_day`` rows on each of ``days``."""
    item = __import__("json").loads(activity_json())["data"][0]
    return activity_json(
        *(
            {**item, "date": day, "endpoint_id": f"endpoint-{index}", "usage": usage + index / 1e6}
            for day in days
            for index in range(count_per_day)
        )
    )


def state(path: Path) -> tuple[Any, ...]:
    """What a history holds, to compare: every day with its digest and time, and the rows' totals."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        days = connection.execute(
            "SELECT series_id, date, fetched_at, rows, digest FROM days ORDER BY 1, 2"
        ).fetchall()
        totals = connection.execute("SELECT count(*), total(usage), total(requests) FROM activity").fetchone()
        per_day = connection.execute(
            "SELECT d.date, d.rows, count(a.row) FROM days d LEFT JOIN activity a USING (series_id, date) "
            "GROUP BY d.series_id, d.date"
        ).fetchall()
    assert all(kept == counted for _, kept, counted in per_day), "a day is half-written"
    return tuple(days), totals


def sync_args(path: Path, url: str) -> list[str]:
    return ["sync", "--db", str(path), "--base-url", url, "--timeout", "60", "--max-retries", "0"]


@pytest.fixture
def history(tmp_path: Path, server: FaultServer) -> Path:
    """A history with the window synced once, two rows a day."""
    path = tmp_path / "history.sqlite3"
    server.script(Reply(200, rows(2)))
    code, _, err = run_tool(*sync_args(path, server.url))
    assert code == 0, err
    return path


# -- killed -----------------------------------------------------------------------------------


@contextlib.contextmanager
def stalling_server(body: bytes) -> Iterator[tuple[str, threading.Event]]:
    """Answers with the headers and half of ``body``, then says nothing more until closed."""
    listener = socket.create_server(("127.0.0.1", 0))
    sent_half = threading.Event()
    stop = threading.Event()

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            data = b""
            while b"\r\n\r\n" not in data:
                data += connection.recv(65536)
            head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            connection.sendall(head.encode() + body[: len(body) // 2])
            sent_half.set()
            stop.wait(30)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", sent_half
    finally:
        stop.set()
        listener.close()
        thread.join(5)


def _stopped(child: subprocess.Popen[str], how: signal.Signals) -> None:
    """``child`` sent ``how``: killed, or interrupted as by Ctrl-C (exit code 130, said on stderr)."""
    child.send_signal(how)
    _, err = child.communicate(timeout=30)
    if how == signal.SIGINT:
        assert child.returncode == 130, err
        assert err.endswith("openrouter-activity: interrupted\n"), err


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_sync_killed_while_the_server_stalls_leaves_the_history_as_it_was(
    history: Path, server: FaultServer, how: signal.Signals
) -> None:
    before = state(history)
    with stalling_server(rows(3, usage=9.0)) as (url, sent_half):
        child = start_tool(*sync_args(history, url))
        assert sent_half.wait(30)
        time.sleep(0.2)
        _stopped(child, how)
    assert state(history) == before
    server.script(Reply(200, rows(3, usage=9.0)))
    code, out, err = run_tool(*sync_args(history, server.url))
    assert (code, err) == (0, "")
    assert out.startswith("30 days: 0 new, 30 updated, 0 unchanged;")
    assert state(history)[1][0] == 90


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_sync_killed_while_it_writes_leaves_each_day_as_before_or_as_after(
    history: Path, server: FaultServer, how: signal.Signals
) -> None:
    before = state(history)
    wal = Path(f"{history}-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0
    big = rows(1500, usage=5.0)  # 45,000 rows: more than SQLite's page cache, so the write reaches the WAL
    server.always(Reply(200, big))
    child = start_tool(*sync_args(history, server.url))
    deadline = time.monotonic() + 60
    while (not wal.exists() or wal.stat().st_size <= wal_before + 256 * 1024) and time.monotonic() < deadline:
        time.sleep(0.001)
    _stopped(child, how)
    after_kill = state(history)  # also checks that no day is half-written
    assert after_kill == before or after_kill[1][0] == 45_000
    code, _, err = run_tool(*sync_args(history, server.url))
    assert (code, err) == (0, "")
    assert state(history)[1][0] == 45_000


# -- at once ----------------------------------------------------------------------------------


def test_syncs_at_once_all_finish_without_a_duplicate_row(tmp_path: Path, server: FaultServer) -> None:
    path = tmp_path / "history.sqlite3"
    server.always(Reply(200, rows(400)))
    children = [start_tool(*sync_args(path, server.url)) for _ in range(3)]
    results = [(child.wait(120), child.stdout.read(), child.stderr.read()) for child in children]  # type: ignore[union-attr]
    for child in children:
        child.stdout.close()  # type: ignore[union-attr]
        child.stderr.close()  # type: ignore[union-attr]
    assert [(code, err) for code, _, err in results] == [(0, "")] * 3
    changes = sorted(out.split(";")[0] for _, out, _ in results)
    assert changes == ["30 days: 0 new, 0 updated, 30 unchanged"] * 2 + [
        "30 days: 30 new, 0 updated, 0 unchanged"
    ]
    days, totals = state(path)
    assert len(days) == 30
    assert totals[0] == 30 * 400
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert SECRET.encode() not in stored
    assert hashlib.sha256(SECRET.encode()).hexdigest().encode() not in stored


# -- files that cannot be used ----------------------------------------------------------------


def test_a_history_of_a_newer_schema_is_refused(history: Path, server: FaultServer) -> None:
    with contextlib.closing(sqlite3.connect(history)) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        raw.commit()
    before = history.read_bytes()
    server.always(Reply(200, rows(2, usage=7.0)))
    code, out, err = run_tool(*sync_args(history, server.url))
    assert code == 2
    assert out == ""
    assert f"{history} was written by a newer openrouter-analytics" in err
    assert "pip install --upgrade openrouter-analytics" in err
    assert history.read_bytes() == before
    assert not server.received[1:], "the API was asked though the file cannot take the answer"


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path, server: FaultServer) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_text("my notes, not a database\n")
    server.always(Reply(200, rows(2)))
    code, _, err = run_tool(*sync_args(path, server.url))
    assert code == 2
    assert f"{path} is not a SQLite file" in err
    assert "--db" in err
    assert path.read_text() == "my notes, not a database\n"
    code, _, err = run_tool("history", "--db", str(path))
    assert code == 2
    assert "is not a SQLite file" in err


def test_a_directory_that_cannot_be_written_is_refused(tmp_path: Path, server: FaultServer) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    path = locked / "history.sqlite3"
    server.always(Reply(200, rows(2)))
    code, _, err = run_tool(*sync_args(path, server.url), prelude=NO_PERMISSION_OVERRIDE)
    assert code == 2
    assert f"cannot write the history {path}" in err
    assert "not writable" in err
    assert "--db" in err
    assert list(locked.iterdir()) == []
    assert server.received == []  # refused before the API was asked


def test_a_read_only_history_names_the_files_beside_it_whose_permissions_to_fix(
    history: Path, server: FaultServer
) -> None:
    """SQLite makes -wal and -shm with the file's permissions: after a refused sync, fixing the
    file's alone does not do."""
    history.chmod(0o444)
    server.always(Reply(200, rows(3)))
    code, _, err = run_tool(*sync_args(history, server.url), prelude=NO_PERMISSION_OVERRIDE)
    assert code == 2
    beside = [name for name in ("-wal", "-shm") if Path(f"{history}{name}").exists()]
    assert beside, "SQLite left its files beside the read-only one"
    named = " and ".join(f"{history.name}{name}" for name in beside)
    assert f"fix the permissions (and of {named} beside it)" in err
    history.chmod(0o644)
    for name in beside:
        Path(f"{history}{name}").chmod(0o644)
    code, _, err = run_tool(*sync_args(history, server.url), prelude=NO_PERMISSION_OVERRIDE)
    assert code == 0, err


def test_a_path_under_a_file_is_refused_before_the_api_is_asked(tmp_path: Path, server: FaultServer) -> None:
    (tmp_path / "a-file").write_text("mine")
    path = tmp_path / "a-file" / "history.sqlite3"
    server.always(Reply(200, rows(2)))
    code, _, err = run_tool(*sync_args(path, server.url))
    assert code == 2
    # Whole, with what to do at its end, however long the temporary path.
    assert err == (
        f"openrouter-activity: error: cannot create the history {path}: {tmp_path / 'a-file'} is not a "
        "directory; pass --db with another path (or set OPENROUTER_ANALYTICS_DB); nothing was changed\n"
    )
    assert (tmp_path / "a-file").read_text() == "mine"
    assert server.received == []


def test_a_full_disk_is_a_clear_error_and_the_history_stays_whole(history: Path, server: FaultServer) -> None:
    before = state(history)
    sizes = [Path(f"{history}{suffix}") for suffix in ("", "-wal", "-shm")]
    limit = max(p.stat().st_size for p in sizes if p.exists()) + 64 * 1024
    server.always(Reply(200, rows(300, usage=3.0)))
    code, out, err = run_tool(*sync_args(history, server.url), prelude=file_size_limit(limit))
    assert code == 2, err
    assert out == ""
    assert f"cannot write the history {history}: the disk is full" in err
    assert "nothing was changed" in err
    assert state(history) == before
    code, _, err = run_tool(*sync_args(history, server.url))
    assert (code, err) == (0, "")
    assert state(history)[1][0] == 30 * 300


def test_connect_is_how_others_open_the_file(tmp_path: Path) -> None:
    """The budgets keep notifications_sent in the same file, in a transaction of their own."""
    path = tmp_path / "history.sqlite3"
    connection = connect(path)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("CREATE TABLE IF NOT EXISTS notifications_sent (rule TEXT PRIMARY KEY)")
    connection.execute("INSERT INTO notifications_sent VALUES ('daily')")
    connection.execute("COMMIT")
    connection.close()
    again = connect(path)
    assert again.execute("SELECT rule FROM notifications_sent").fetchall() == [("daily",)]
    assert again.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    again.close()
    os.chmod(path, 0o644)


def _synced_into_one_file(path: Path, server: FaultServer) -> Path:
    """A history of 300 rows a day, its log checkpointed: every page in the file itself."""
    server.always(Reply(200, rows(300)))
    code, _, err = run_tool(*sync_args(path, server.url))
    assert code == 0, err
    with contextlib.closing(sqlite3.connect(path)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def test_a_damaged_history_is_an_error_naming_the_file_and_what_to_do(
    tmp_path: Path, server: FaultServer
) -> None:
    path = _synced_into_one_file(tmp_path / "history.sqlite3", server)
    # The pages at the end of the file hold rows: zeroed, as by a disk that lost them.
    damaged = bytearray(path.read_bytes())
    damaged[-len(damaged) // 4 :] = bytes(len(damaged) // 4)
    path.write_bytes(bytes(damaged))
    reads = (["report", "--history", "--group-by", "model"], ["check", "--history", "--max-cost", "1"])
    for command in reads:
        code, out, err = run_tool(*command, "--db", str(path))
        assert (code, out) == (2, ""), err
        assert f"the history {path} is damaged" in err
        assert "restore it from a backup" in err
        assert "internal error" not in err
    assert path.read_bytes() == bytes(damaged)


def test_a_sync_that_would_touch_no_damaged_page_still_refuses_a_damaged_history(
    tmp_path: Path, server: FaultServer
) -> None:
    """Every day unchanged: the sync would write only when each day was fetched, and say all is
    well while every report of the file fails."""
    path = _synced_into_one_file(tmp_path / "history.sqlite3", server)
    with contextlib.closing(sqlite3.connect(path)) as raw:
        (root,) = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'activity_data'").fetchone()
    damaged = bytearray(path.read_bytes())
    page_size = int.from_bytes(damaged[16:18], "big")
    damaged[(root - 1) * page_size : root * page_size] = b"\xff" * page_size
    path.write_bytes(bytes(damaged))
    asked = len(server.received)

    code, out, err = run_tool(*sync_args(path, server.url))

    assert (code, out) == (2, ""), err
    assert f"the history {path} is damaged (quick_check: " in err
    assert "restore it from a backup" in err
    assert len(server.received) == asked, "refused before the API is asked"
    assert path.read_bytes() == bytes(damaged)


def test_a_history_damaged_past_its_first_page_is_an_error_for_sync_and_export_too(
    tmp_path: Path, server: FaultServer
) -> None:
    """Every page but the header's zeroed: the accounts and series a sync or an export looks up
    first are gone, not only the rows."""
    path = _synced_into_one_file(tmp_path / "history.sqlite3", server)
    damaged = bytearray(path.read_bytes())
    page_size = int.from_bytes(damaged[16:18], "big")
    damaged[page_size:] = bytes(len(damaged) - page_size)
    path.write_bytes(bytes(damaged))
    commands = (
        sync_args(path, server.url),
        ["history", "export", "--format", "csv", "--output", str(tmp_path / "out.csv"), "--db", str(path)],
        ["history", "export", "--format", "jsonl", "--output", "-", "--db", str(path)],
        ["report", "--history", "--db", str(path)],
    )
    for command in commands:
        code, out, err = run_tool(*command)
        assert (code, out) == (2, ""), err
        assert f"the history {path} is damaged" in err
    assert path.read_bytes() == bytes(damaged)
    assert not (tmp_path / "out.csv").exists()


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def test_a_history_deleted_while_the_sync_fetches_is_started_again_at_its_path(
    history: Path, server: FaultServer
) -> None:
    """The sync opened the file before asking the API (to check the account); the file was
    deleted during the fetch: the window is written to a new file at the path, not to the
    deleted one, which no one could read."""
    server.script(Reply(200, rows(3), delay=1.5))
    asked_before = len(server.received)
    process = start_tool(*sync_args(history, server.url))
    deadline = time.monotonic() + 30
    while len(server.received) == asked_before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(server.received) > asked_before, "the sync asked the API"
    _remove(history)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert out.startswith("30 days: 30 new, 0 updated, 0 unchanged")
    assert state(history)[1][0] == 30 * 3


@pytest.mark.parametrize("meanwhile", ["deleted", "replaced"])
def test_a_history_deleted_or_replaced_while_the_sync_commits_is_an_error_and_a_restored_file_stays_itself(
    history: Path, server: FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, meanwhile: str
) -> None:
    import contextlib as contexts

    from openrouter_analytics import Analytics
    from openrouter_analytics.history import History, HistoryFileError, _store

    backup = tmp_path / "backup.sqlite3"
    source, copy = sqlite3.connect(history), sqlite3.connect(backup)
    with contexts.closing(source), contexts.closing(copy):
        source.backup(copy)
    restored = state(backup)
    committing = _store.transaction

    @contexts.contextmanager
    def then_taken_away(connection: sqlite3.Connection, path: Path, **options: Any) -> Any:
        with committing(connection, path, **options):
            yield
        # by another process, right after the COMMIT, before the sync looks again
        if meanwhile == "deleted":
            _remove(history)
        else:
            os.replace(backup, history)

    monkeypatch.setattr(_store, "transaction", then_taken_away)
    server.always(Reply(200, rows(3, usage=0.5)))
    with Analytics(api_key=SECRET, base_url=server.url, max_retries=0) as analytics, History(history) as kept:
        with pytest.raises(HistoryFileError, match="was moved, replaced or deleted while the sync committed"):
            kept.sync(analytics)
        if meanwhile == "replaced":
            assert state(history) == restored  # not this sync's pages, from a log left at the path
        monkeypatch.setattr(_store, "transaction", committing)
        result = kept.sync(analytics)
    assert result.rows == 90
    assert state(history)[1][0] == 90


def test_a_history_deleted_while_the_sync_writes_is_an_error_and_the_next_sync_completes(
    history: Path, server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openrouter_analytics import Analytics
    from openrouter_analytics.history import History, HistoryFileError, _writing

    write_window = _writing.write_window

    def deleted_meanwhile(*args: Any, **kwargs: Any) -> Any:
        written = write_window(*args, **kwargs)
        _remove(history)  # by another process, as the transaction ends
        return written

    monkeypatch.setattr(_writing, "write_window", deleted_meanwhile)
    server.always(Reply(200, rows(3)))
    with Analytics(api_key=SECRET, base_url=server.url, max_retries=0) as analytics, History(history) as kept:
        with pytest.raises(
            HistoryFileError, match="was moved or deleted while the sync wrote it; nothing was"
        ):
            kept.sync(analytics)
        monkeypatch.setattr(_writing, "write_window", write_window)
        result = kept.sync(analytics)
    assert (len(result.added), result.rows) == (30, 90)
    assert state(history)[1][0] == 90


# -- a reader who cannot write beside the file ------------------------------------------------------

_NOBODY = 65534


def _as_a_reader(command: list[str]) -> list[str] | None:
    """``command`` run by a user who cannot write the directory: this one, or, for root (who
    writes anywhere), nobody by setpriv; None where nobody cannot run this Python."""
    if os.geteuid() != 0:
        return command
    drop = ["setpriv", f"--reuid={_NOBODY}", f"--regid={_NOBODY}", "--clear-groups"]
    try:
        probe = subprocess.run(
            [*drop, sys.executable, "-c", "import openrouter_analytics"],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except FileNotFoundError:
        return None
    return [*drop, *command] if probe.returncode == 0 else None


def test_a_reader_who_cannot_write_the_directory_is_told_why_in_reading_words(server: FaultServer) -> None:
    """SQLite reads a file in WAL mode only where it may create its -shm file beside it."""
    shared = Path(tempfile.mkdtemp(prefix="shared-history-"))
    try:
        path = shared / "history.sqlite3"
        server.always(Reply(200, rows(2)))
        code, _, err = run_tool(*sync_args(path, server.url))
        assert code == 0, err
        before = path.read_bytes()
        command = _as_a_reader(
            [sys.executable, "-m", "openrouter_analytics.cli", "report", "--history", "--db", str(path)]
        )
        if command is None:
            pytest.skip("no user here can be kept from writing the directory")
        shared.chmod(0o555)
        done = subprocess.run(
            command, capture_output=True, text=True, env=tool_env(), timeout=60, check=False
        )
        after = path.read_bytes()
    finally:
        shared.chmod(0o755)
        shutil.rmtree(shared, ignore_errors=True)
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert done.stderr.startswith(
        f"openrouter-activity: error: cannot read the history {path}: SQLite reads it only"
    )
    assert f"this user cannot write to {shared}; let this user write there" in done.stderr
    assert "cannot write the history" not in done.stderr
    assert after == before


@pytest.mark.parametrize("format_", ["csv", "parquet"])
def test_an_output_directory_that_cannot_be_written_is_refused_before_the_api_is_asked(
    tmp_path: Path, server: FaultServer, format_: str
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    server.always(Reply(200, rows(2)))
    output = locked / f"report.{format_}"
    code, out, err = run_tool(
        "report",
        "--base-url",
        server.url,
        "--format",
        format_,
        "--output",
        str(output),
        prelude=NO_PERMISSION_OVERRIDE,
    )
    assert (code, out) == (2, ""), err
    assert f"cannot write --output {output}: the directory {locked} is not writable" in err
    assert server.received == []
    assert list(locked.iterdir()) == []


def _stopped_at_rename(signum: int, call: int) -> str:
    """A prelude: the tool gets ``signum`` as it makes its ``call``-th rename, where a file or
    directory written beside its place is moved there."""
    return (
        "import os, signal\n"
        "_replace, _calls = os.replace, []\n"
        "def _stopping(*args, **kwargs):\n"
        "    _calls.append(args)\n"
        f"    if len(_calls) == {call}:\n"
        f"        os.kill(os.getpid(), {signum})\n"
        "    return _replace(*args, **kwargs)\n"
        "os.replace = _stopping\n"
    )


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
@pytest.mark.parametrize(
    ("command", "call"),
    [
        (["history", "export", "--format", "csv", "--output"], 1),
        (["history", "export", "--format", "parquet", "--output"], 1),
        (["history", "export", "--format", "parquet", "--output"], 2),
        (["report", "--history", "--format", "csv", "--output"], 1),
    ],
)
def test_a_stopped_export_leaves_the_old_one_and_no_stray_file(
    history: Path, tmp_path: Path, command: list[str], call: int, how: signal.Signals
) -> None:
    output = tmp_path / "out"
    code, _, err = run_tool(*command, str(output), "--db", str(history))
    assert code == 0, err
    before = (
        sorted(
            (path.relative_to(tmp_path), path.read_bytes() if path.is_file() else b"")
            for path in output.rglob("*")
        )
        if output.is_dir()
        else output.read_bytes()
    )
    listing = sorted(path.name for path in tmp_path.iterdir())

    code, _, err = run_tool(
        *command, str(output), "--db", str(history), prelude=_stopped_at_rename(how, call)
    )

    expected = 130 if how == signal.SIGINT else 128 + how
    assert code == expected, err
    assert err.endswith("interrupted\n" if how == signal.SIGINT else f"stopped by {how.name}\n")
    after = (
        sorted(
            (path.relative_to(tmp_path), path.read_bytes() if path.is_file() else b"")
            for path in output.rglob("*")
        )
        if output.is_dir()
        else output.read_bytes()
    )
    assert after == before
    assert sorted(path.name for path in tmp_path.iterdir()) == listing


def test_of_two_syncs_at_once_the_answer_asked_for_later_stays(tmp_path: Path, server: FaultServer) -> None:
    """A sync whose answer is slow (a manual run beside cron) commits after one that asked the
    API a second later: the later answer, which may hold late corrections, is what the days keep."""
    from cli_support import TOOL

    from openrouter_analytics.history import History

    today = dt.datetime.now(dt.UTC).date()
    days = [(today - dt.timedelta(days=offset)).isoformat() for offset in range(30, 0, -1)]
    item = {**json.loads(activity_json())["data"][0]}

    def answer(usage: float, delay: float) -> Reply:
        return Reply(
            200, activity_json(*({**item, "date": day, "usage": usage} for day in days)), delay=delay
        )

    server.script(answer(2.0, 3.0), answer(3.0, 0.0))
    path = tmp_path / "h.sqlite3"
    command = [str(TOOL), "sync", "--db", str(path), "--base-url", server.url, "--format", "json"]
    environment = tool_env(OPENROUTER_API_KEY=SECRET)
    slow = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )
    time.sleep(1.5)  # the slow one has asked, a second (the stamps' unit) and more before the other
    quick = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=60, check=False)
    slow_out, slow_err = slow.communicate(timeout=60)
    assert (quick.returncode, slow.returncode) == (0, 0), (quick.stderr, slow_err)
    assert json.loads(quick.stdout)["added"] == days
    assert json.loads(slow_out)["kept_newer"] == days
    assert "kept as another sync wrote them, from an answer asked for after this one's" in slow_err
    with History(path) as history:
        assert {row.usage for row in history.activity().data} == {3.0}
