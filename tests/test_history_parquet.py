"""history export --format parquet: a directory partitioned by month that DuckDB and Polars read
back as one table, day for day the rows of the history, with the columns and types of
``ActivityResponse.to_arrow()``; written beside the directory and renamed into place. Also
``report --history`` to Parquet and FOCUS files."""

from __future__ import annotations

import csv
import datetime as dt
import math
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa
import pytest
from cli_support import SECRET, run_tool, tool_env
from demo_server import month_of_activity, serve
from pyarrow import parquet

from openrouter_analytics import Analytics
from openrouter_analytics.errors import InvalidParameterError
from openrouter_analytics.history import History, HistoryFileError

pytestmark = pytest.mark.slow

# Two syncs: 2026-08-11 to 2026-09-09, then 2026-09-16 to 2026-10-15 (a gap between them).
ANCHORS = (dt.date(2026, 9, 10), dt.date(2026, 10, 16))
MONTHS = ["month=2026-08", "month=2026-09", "month=2026-10"]

Totals = dict[str, tuple[int, float, int, int]]


def per_day(rows: Iterable[dict[str, Any]]) -> Totals:
    """Per day: rows, the sum of usage (fsum), of requests and of cached tokens."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[str(row["date"])].append(row)
    return {
        day: (
            len(group),
            math.fsum(row["usage"] for row in group),
            sum(row["requests"] for row in group),
            sum(row["cached_tokens"] for row in group),
        )
        for day, group in sorted(grouped.items())
    }


def assert_same_days(got: Totals, expected: Totals) -> None:
    assert list(got) == list(expected)
    for day, (rows, usage, requests, cached) in expected.items():
        assert got[day][0] == rows, day
        assert got[day][1] == pytest.approx(usage, rel=1e-12), day
        assert got[day][2:] == (requests, cached), day


def history_rows(db: Path, since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
    with History(db) as history:
        return [item.to_dict() for item in history.activity(since, until).data]


def export(db: Path, out: Path, *extra: str) -> Any:
    return run_tool(
        "history", "export", "--db", str(db), "--format", "parquet", "--output", str(out), *extra, key=None
    )


def duckdb_rows(out: Path) -> list[dict[str, Any]]:
    query = f"SELECT * FROM read_parquet('{out}/**/*.parquet', hive_partitioning = true)"  # noqa: S608 - ours
    relation = duckdb.sql(query)
    assert relation is not None
    return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


def leftovers(folder: Path, name: str) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir() if entry.name.startswith(f".{name}"))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("parquet") / "history.sqlite3"
    for anchor in ANCHORS:
        with (
            serve(month_of_activity(anchor)) as url,
            Analytics(api_key=SECRET, base_url=url) as analytics,
            History(path) as history,
        ):
            history.sync(analytics, today=anchor)
    return path


@pytest.fixture(scope="module")
def exported(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "activity"
    run = export(db, out)
    assert run.code == 0, run.stderr
    notes = run.stderr.splitlines()
    assert notes[-1] == f"openrouter-activity: note: {len(history_rows(db)):,} rows written to {out}"
    # The syncs' windows leave a gap between them: the export says so, as report --history does.
    assert notes[:-1] == [
        "openrouter-activity: note: the history has a gap: no data for 2026-09-10 to 2026-09-15 (6 days, "
        "fetched by no sync before they left the API's window); these days are not in the export"
    ]
    return out


def test_the_months_are_hive_partitions_of_one_file_each(exported: Path) -> None:
    assert sorted(entry.name for entry in exported.iterdir()) == MONTHS
    assert sorted(p.relative_to(exported).as_posix() for p in exported.rglob("*.parquet")) == [
        f"{month}/part-0.parquet" for month in MONTHS
    ]
    assert leftovers(exported.parent, exported.name) == []


def test_duckdb_reads_the_export_as_the_historys_rows_day_for_day(db: Path, exported: Path) -> None:
    rows = duckdb_rows(exported)
    expected = history_rows(db)
    assert_same_days(per_day(rows), per_day(expected))
    assert all(row["month"] == str(row["date"])[:7] for row in rows)
    assert {str(row["date"])[:7] for row in rows} == {"2026-08", "2026-09", "2026-10"}

    # Every value of every row, not only the sums.
    def normal(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(str(row[name]) if name == "date" else row[name] for name in expected[0])

    assert sorted(map(normal, rows), key=lambda r: str(r[:5])) == sorted(
        map(normal, expected), key=lambda r: str(r[:5])
    )
    types = dict(
        duckdb.sql(  # type: ignore[union-attr]
            f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "  # noqa: S608 - ours
            f"read_parquet('{exported}/**/*.parquet', hive_partitioning = true))"
        ).fetchall()
    )
    assert types["month"] == "VARCHAR"
    assert types["date"] == "DATE"
    assert (types["usage"], types["requests"], types["cached_tokens"]) == ("DOUBLE", "BIGINT", "BIGINT")


def test_each_file_has_the_columns_and_types_of_to_arrow(db: Path, exported: Path) -> None:
    with History(db) as history:
        schema = history.activity("2026-09-01", "2026-09-30").to_arrow().schema
    for month in MONTHS:
        written = parquet.read_schema(exported / month / "part-0.parquet")
        assert written.remove_metadata() == schema.remove_metadata()
        assert "month" not in written.names  # the month is the path's alone
    assert schema.field("date").type == pa.date32()


def test_polars_scans_the_export_as_one_table(db: Path, exported: Path) -> None:
    frame = pl.scan_parquet(str(exported / "**" / "*.parquet"), hive_partitioning=True).collect()
    assert frame.height == len(history_rows(db))
    rows = frame.with_columns(pl.col("date").cast(pl.String)).to_dicts()
    assert_same_days(per_day(rows), per_day(history_rows(db)))
    assert {row["month"] for row in rows} == {"2026-08", "2026-09", "2026-10"}


def test_since_and_until_limit_the_rows_and_months(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "range"
    run = export(db, out, "--since", "2026-09-05", "--until", "2026-10-03")
    assert run.code == 0, run.stderr
    assert sorted(entry.name for entry in out.iterdir()) == ["month=2026-09", "month=2026-10"]
    rows = duckdb_rows(out)
    assert_same_days(per_day(rows), per_day(history_rows(db, "2026-09-05", "2026-10-03")))
    assert (min(str(r["date"]) for r in rows), max(str(r["date"]) for r in rows)) == (
        "2026-09-05",
        "2026-10-03",
    )
    # The library: the same, and the count returned.
    library = tmp_path / "library"
    with History(db) as history:
        count = history.export(library, "parquet", since="2026-10-01", until=dt.date(2026, 10, 2))
    assert sorted(entry.name for entry in library.iterdir()) == ["month=2026-10"]
    assert count == len(history_rows(db, "2026-10-01", "2026-10-02")) == len(duckdb_rows(library)) > 0


def test_an_earlier_export_is_replaced_as_a_whole(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "activity"
    with History(db) as history:
        assert history.export(out, "parquet") == len(history_rows(db))
    assert sorted(entry.name for entry in out.iterdir()) == MONTHS
    run = export(db, out, "--since", "2026-10-10")
    assert run.code == 0, run.stderr
    assert sorted(entry.name for entry in out.iterdir()) == ["month=2026-10"]
    assert_same_days(per_day(duckdb_rows(out)), per_day(history_rows(db, "2026-10-10")))
    assert leftovers(tmp_path, "activity") == []


def test_a_directory_that_is_not_an_export_is_refused_untouched(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    run = export(db, out)
    assert run.code != 0
    assert f"{out} holds notes.txt, not only month=YYYY-MM directories" in run.stderr
    assert "Traceback" not in run.stderr
    assert [entry.name for entry in out.iterdir()] == ["notes.txt"]
    assert leftovers(tmp_path, "mine") == []
    afile = tmp_path / "file.parquet"
    afile.write_bytes(b"old")
    with History(db) as history, pytest.raises(HistoryFileError, match="is not a directory"):
        history.export(afile, "parquet")
    assert afile.read_bytes() == b"old"


def test_a_failed_export_leaves_the_old_directory_as_it_was(
    db: Path, exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "activity"
    with History(db) as history:
        history.export(out, "parquet")
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    written: list[Any] = []
    real_write = parquet.write_table

    def disk_full_on_the_second_month(table: pa.Table, where: Any, **options: Any) -> None:
        if written:
            raise OSError(28, "No space left on device")
        written.append(where)
        real_write(table, where, **options)

    monkeypatch.setattr(parquet, "write_table", disk_full_on_the_second_month)
    with History(db) as history, pytest.raises(HistoryFileError, match="the disk is full"):
        history.export(out, "parquet", since="2026-09-01")
    assert written  # one month was written before the failure
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert leftovers(tmp_path, "activity") == []


def test_parquet_wants_a_directory_not_stdout(db: Path) -> None:
    run = run_tool("history", "export", "--db", str(db), "--format", "parquet", "--output", "-", key=None)
    assert run.code == 2
    assert "a Parquet export is a directory of months: pass --output DIR" in run.stderr
    with History(db) as history, pytest.raises(InvalidParameterError, match="pass output=PATH"):
        history.export(None, "parquet")


def test_without_pyarrow_the_error_names_the_arrow_extra(db: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['pyarrow'] = None  # as if not installed\n"
        "from openrouter_analytics.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    out = tmp_path / "export"
    done = subprocess.run(
        [sys.executable, "-c", code, "history", "export", "--db", str(db), "--format", "parquet",
         "--output", str(out)],
        capture_output=True, text=True, env=tool_env(), timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "--format parquet needs pyarrow, which is not installed" in done.stderr
    assert "pip install 'openrouter-analytics[arrow]'" in done.stderr
    assert not out.exists()
    # The library says the same.
    library = (
        "import sys\n"
        "sys.modules['pyarrow'] = None\n"
        "from openrouter_analytics.history import History\n"
        f"History({str(db)!r}).export({str(out)!r}, 'parquet')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", library],
        capture_output=True,
        text=True,
        env=tool_env(),
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "ImportError: history export --format parquet needs pyarrow" in done.stderr
    assert "pip install 'openrouter-analytics[arrow]'" in done.stderr
    assert not out.exists()


def test_report_from_the_history_writes_parquet_and_focus_files(db: Path, tmp_path: Path) -> None:
    rows = history_rows(db)
    total = math.fsum(row["usage"] for row in rows)
    models: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        models[row["model"]].append(row["usage"])

    summary_file = tmp_path / "models.parquet"
    run = run_tool(
        "report", "--history", "--db", str(db), "--group-by", "model", "--format", "parquet",
        "--output", str(summary_file), key=None,
    )  # fmt: skip
    assert run.code == 0, run.stderr
    assert run.stdout == ""
    table = parquet.read_table(summary_file).to_pylist()
    groups = {row["key"]: row for row in table if row["kind"] == "group"}
    assert set(groups) == set(models)
    for model, usages in models.items():
        assert groups[model]["cost"] == pytest.approx(math.fsum(usages), rel=1e-12)
    assert math.fsum(row["cost"] for row in groups.values()) == pytest.approx(total, rel=1e-12)

    focus_file = tmp_path / "focus.csv"
    run = run_tool(
        "report", "--history", "--db", str(db), "--format", "focus", "--output", str(focus_file), key=None
    )
    assert run.code == 0, run.stderr
    with focus_file.open(newline="") as file:
        charges = list(csv.DictReader(file))
    billed = [c for c in charges if c["InvoiceIssuerName"] == "OpenRouter"]
    assert len(billed) == len(rows)
    assert math.fsum(float(c["BilledCost"]) for c in billed) == pytest.approx(total, rel=1e-12)
    assert {c["ChargePeriodStart"][:10] for c in billed} == {row["date"] for row in rows}


def test_a_file_of_the_users_inside_an_earlier_exports_month_is_refused_untouched(
    db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "activity"
    with History(db) as history:
        history.export(out, "parquet", since="2026-10-01")
    notes = out / "month=2026-10" / "notes.txt"
    notes.write_text("keep me")
    stray = out / "month=2026-11"
    stray.write_text("a file, not a month of ours")
    run = export(db, out)
    assert run.code == 2
    assert f"{out} holds month=2026-10/notes.txt, month=2026-11, not only month=YYYY-MM" in run.stderr
    assert notes.read_text() == "keep me"
    assert stray.read_text() == "a file, not a month of ours"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "month=2026-10",
        "month=2026-10/notes.txt",
        "month=2026-10/part-0.parquet",
        "month=2026-11",
    ]
    assert leftovers(tmp_path, "activity") == []


def test_months_whose_undeclared_fields_differ_are_read_as_one_table(tmp_path: Path) -> None:
    import json

    import httpx
    import pyarrow.dataset as ds
    from fault_server import ACTIVITY_ITEM

    def rows(today: dt.date, extra: dict[str, Any]) -> bytes:
        days = [today - dt.timedelta(days=offset) for offset in range(30, 0, -1)]
        return json.dumps(
            {"data": [{**ACTIVITY_ITEM, "date": day.isoformat(), **extra} for day in days]}
        ).encode()

    answers = [
        rows(dt.date(2026, 10, 1), {"tier": 1, "score": 1}),  # September
        rows(dt.date(2026, 10, 31), {"tier": "gold", "score": 1.5, "new_field": 2.5}),  # October
    ]
    transport = httpx.MockTransport(
        lambda request: httpx.Response(
            200, content=answers.pop(0), headers={"content-type": "application/json"}
        )
    )
    path = tmp_path / "h.sqlite3"
    with (
        Analytics(api_key=SECRET, http_client=httpx.Client(transport=transport)) as analytics,
        History(path) as history,
    ):
        history.sync(analytics, today="2026-10-01")
        history.sync(analytics, today="2026-10-31")
    out = tmp_path / "export"
    run = export(path, out)
    assert run.code == 0, run.stderr
    schemas = {parquet.read_schema(part).remove_metadata() for part in out.glob("month=*/part-0.parquet")}
    assert len(schemas) == 1
    (schema,) = schemas
    assert (schema.field("tier").type, schema.field("score").type) == (pa.string(), pa.float64())

    found = sorted({(row["month"], row["tier"], row["score"], row["new_field"]) for row in duckdb_rows(out)})
    assert found == [("2026-09", "1", 1.0, None), ("2026-10", '"gold"', 1.5, 2.5)]
    assert pl.scan_parquet(f"{out}/**/*.parquet", hive_partitioning=True).collect().height == 60
    assert ds.dataset(out, format="parquet", partitioning="hive").to_table().num_rows == 60
