"""history export and the files beside it at their edges: names from the server that a CSV writer
can break, output paths that are not what they should be, and what the files are made like."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
from demo_server import Record, month_of_activity, serve

from openrouter_analytics import Analytics
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
