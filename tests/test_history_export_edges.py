"""history export and the files beside it at their edges: names from the server that a CSV writer
can break, output paths that are not what they should be, and what the files are made like."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
import stat
import subprocess
from pathlib import Path

import pytest
from cli_support import TOOL, fifo_reader, linked_file, run_tool, tool_env
from demo_server import Record, month_of_activity, serve

from openrouter_analytics import Analytics
from openrouter_analytics.errors import InvalidParameterError
from openrouter_analytics.history import History

KEY = "sk-or-v1-history-edges-test-key-0123456789"
ANCHOR = dt.date(2026, 10, 1)
# A carriage return alone in a value: the csv module quotes only the characters of its own
# line ending ("\n" here), so this one would be left bare and split the row on reading.
RENAMED = {"openai/gpt-4.1": "evil/cr\rin the middle", "openai/gpt-4.1-mini": 'evil/quote",comma\nnewline'}


def renamed(records: list[Record]) -> list[Record]:
    out = []
    for record in records:
        name = RENAMED.get(record.item.get("model", ""))
        item = record.item if name is None else {**record.item, "model": name, "model_permaslug": name}
        out.append(dataclasses.replace(record, item=item))
    return out


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("edges") / "history.sqlite3"
    with (
        serve(renamed(month_of_activity(ANCHOR))) as url,
        Analytics(api_key=KEY, base_url=url, max_retries=0) as analytics,
        History(path) as history,
    ):
        history.sync(analytics, today=ANCHOR)
    return path


def test_a_csv_export_reads_back_every_name_as_the_server_sent_it(synced: Path, tmp_path: Path) -> None:
    out = tmp_path / "rows.csv"
    with History(synced) as history:
        count = history.export(out, "csv")
        kept = [item.model for item in history.activity().data]
    with out.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == count == len(kept)
    assert [row["model"] for row in rows] == kept
    assert set(RENAMED.values()) <= set(kept)


def test_a_focus_csv_reads_back_every_name_as_the_server_sent_it(synced: Path) -> None:
    from openrouter_analytics.tables.focus import focus_csv, focus_table

    with History(synced) as history:
        report = history.activity()
    table = focus_table(report)
    rows = list(csv.DictReader(io.StringIO(focus_csv(table), newline="")))
    assert len(rows) == table.num_rows
    assert [row["x_Model"] for row in rows] == table.column("x_Model").to_pylist()
    assert set(RENAMED.values()) <= {row["x_Model"] for row in rows}
    # A null stays a null (an empty field, not "") in the rows with a carriage return too, so
    # FOCUS readers (and its validator) read the same columns as null in every row.
    text = focus_csv(table)
    lines = [line for line in text.split("\n") if "cr\r" in line]
    assert lines
    invoice = list(table.column_names).index("InvoiceId")
    assert table.column("InvoiceId").null_count == table.num_rows
    for line in lines:
        assert '""' not in line.split(",")[invoice], line


@pytest.mark.parametrize(
    ("output", "export_format", "said"),
    [
        ("a-directory", "csv", "is a directory; a csv export is a file"),
        ("a-file/rows.jsonl", "jsonl", "is under"),
        ("a-file/months", "parquet", "is under"),
        ("", "csv", "must be the path of a file"),
        (5, "csv", "must be the path of a file"),
    ],
)
def test_an_output_no_export_could_be_written_to_is_refused_before_anything_is_written(
    synced: Path, tmp_path: Path, output: object, export_format: str, said: str
) -> None:
    (tmp_path / "a-directory").mkdir()
    (tmp_path / "a-file").write_text("mine")
    before = sorted(p.name for p in tmp_path.iterdir())
    target = tmp_path / output if isinstance(output, str) and output else output
    with History(synced) as history, pytest.raises(InvalidParameterError) as refused:
        history.export(target, export_format)  # type: ignore[arg-type]
    assert refused.value.parameter == "output"
    assert said in str(refused.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "a-file").read_text() == "mine"


@pytest.mark.parametrize("output", ["new-folder/", "a-file/"])
def test_a_file_export_to_a_path_ending_in_a_slash_is_refused(
    synced: Path, tmp_path: Path, output: str
) -> None:
    (tmp_path / "a-file").write_text("mine")
    with History(synced) as history, pytest.raises(InvalidParameterError) as refused:
        history.export(f"{tmp_path}/{output}", "csv")
    assert refused.value.parameter == "output"
    assert "ends in '/', a directory's path; a csv export is a file" in str(refused.value)
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]
    assert (tmp_path / "a-file").read_text() == "mine"


@pytest.mark.slow
def test_the_command_line_names_output_not_the_history_when_the_output_is_wrong(
    synced: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "a-directory"
    folder.mkdir()
    run = run_tool(
        "history", "export", "--db", str(synced), "--format", "csv", "--output", str(folder), key=None
    )  # fmt: skip
    assert run.code == 2
    assert run.stderr == (
        f"openrouter-activity: error: --output {tmp_path / 'a-directory'} is a directory; a csv export is a "
        "file: pass its path\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["a-directory"]


@pytest.mark.slow
def test_a_reader_that_stops_early_ends_an_export_to_stdout_quietly(synced: Path) -> None:
    export = subprocess.Popen(
        [str(TOOL), "history", "export", "--db", str(synced), "--format", "jsonl", "--output", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=tool_env(),
    )
    assert export.stdout is not None
    assert export.stderr is not None
    assert export.stdout.read(10)
    export.stdout.close()  # as `| head -c 10` does; the export is far longer than a pipe holds
    assert export.wait(timeout=60) == 0
    with export.stderr:
        assert export.stderr.read() == b""


def test_an_export_file_has_the_mode_a_plain_open_gives(synced: Path, tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        with History(synced) as history:
            history.export(tmp_path / "rows.csv", "csv")
            history.export(tmp_path / "rows.jsonl", "jsonl")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "rows.csv").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "rows.jsonl").stat().st_mode) == 0o644


def test_an_export_over_a_private_file_keeps_it_private(synced: Path, tmp_path: Path) -> None:
    out = tmp_path / "rows.csv"
    out.write_text("an earlier export\n")
    out.chmod(0o600)
    with History(synced) as history:
        history.export(out, "csv")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text().startswith("date,")


def test_an_export_through_a_link_or_to_a_pipe_keeps_the_link_and_the_pipe(
    synced: Path, tmp_path: Path
) -> None:
    real, link = linked_file(tmp_path, "an earlier export\n")
    fifo = tmp_path / "fifo"
    with fifo_reader(fifo) as received, History(synced) as history:
        history.export(link, "csv")
        history.export(fifo, "jsonl")

    assert link.is_symlink()
    assert real.read_text().startswith("date,")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received
    assert received[0].startswith(b'{"date"')
    assert sorted(path.name for path in tmp_path.iterdir()) == ["fifo", "latest.csv", "real.csv"]


def test_a_parquet_export_makes_the_folders_above_it_as_a_csv_export_does(
    synced: Path, tmp_path: Path
) -> None:
    out = tmp_path / "exports" / "openrouter"
    with History(synced) as history:
        count = history.export(out, "parquet")
        assert count == len(history.activity().data) > 0
    assert sorted(p.name for p in out.iterdir()) == ["month=2026-09"]
    assert [p.name for p in (tmp_path / "exports").iterdir()] == ["openrouter"]
