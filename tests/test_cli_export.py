"""--output, --format parquet and --format focus, end to end: the installed tool against the demo
server, files read back with pyarrow, FOCUS files checked by the FinOps Foundation's validator."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest
from cli_support import SECRET, TOOL, fifo_reader, linked_file, run_tool, tool_env
from demo_server import API_KEYS, serve
from fault_server import ACTIVITY_ITEM, FaultServer, activity_json, ok

from openrouter_analytics import Analytics, summarize
from openrouter_analytics.cli import export

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
VALIDATOR = ROOT / "tools" / "focus-validator" / "run.py"

# FOCUS 1.2's mandatory columns of the cost and usage dataset, as its specification lists them.
MANDATORY = {
    "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd",
    "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargePeriodEnd",
    "ChargePeriodStart", "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost",
    "PricingCategory", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName",
    "ServiceCategory", "ServiceName",
}  # fmt: skip

# The validator checks InvoiceId against two rules at once: C-004 "MUST be null" and C-005
# "MUST NOT be null", each with no condition, so any InvoiceId column fails one of them.
CONTRADICTORY = {"InvoiceId-C-005-C", "InvoiceId-C-004-C"}


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    with serve() as url:
        yield url


@pytest.fixture(scope="module")
def rows_per_workspace(demo_url: str) -> list[dict[str, Any]]:
    answer = httpx.get(
        f"{demo_url}/activity", params={"group_by": "workspace"}, headers={"Authorization": "Bearer x"}
    )
    rows: list[dict[str, Any]] = answer.json()["data"]
    return rows


@pytest.fixture(scope="module")
def focus_files(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("focus")
    files = {}
    for suffix in ("parquet", "csv"):
        path = folder / f"openrouter-focus.{suffix}"
        done = run_tool("report", "--base-url", demo_url, "--format", "focus", "--output", str(path))
        assert done.code == 0, done.stderr
        assert done.stdout == ""
        files[suffix] = path
    return files


def close(actual: float, expected: float) -> bool:
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)


# --- FOCUS ----------------------------------------------------------------------------------------


def test_focus_files_pass_the_finops_foundations_validator(focus_files: dict[str, Path]) -> None:
    # The two files in parallel: each run takes a while.
    runs = {
        suffix: subprocess.Popen(
            [sys.executable, str(VALIDATOR), str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for suffix, path in focus_files.items()
    }
    for suffix, run in runs.items():
        stdout, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, f"{suffix}: {stderr[-2000:]}"
        report = json.loads(stdout)
        assert report["focus_version"] == "1.2"
        assert report["passed"] > 150, report
        assert set(report["failed_rules"]) <= CONTRADICTORY, (suffix, report["failed_rules"])
        assert report["failed"] == len(report["failed_rules"])


def test_focus_has_every_mandatory_column_and_one_charge_per_row_and_byok_spend(
    focus_files: dict[str, Path], rows_per_workspace: list[dict[str, Any]]
) -> None:
    rows = rows_per_workspace
    byok_rows = [row for row in rows if row["byok_usage_inference"] != 0]
    assert byok_rows, "the demo month has BYOK traffic"
    for table in (pq.read_table(focus_files["parquet"]), _read_focus_csv(focus_files["csv"])):
        assert set(table.column_names) >= MANDATORY
        assert all(
            name in MANDATORY or not name.startswith("x_") or name[2:3].isupper()
            for name in table.column_names
        )
        charges = table.to_pylist()
        assert len(charges) == len(rows) + len(byok_rows)
        billed = [c for c in charges if c["InvoiceIssuerName"] == "OpenRouter"]
        elsewhere = [c for c in charges if c["InvoiceIssuerName"] != "OpenRouter"]
        assert len(billed) == len(rows)
        assert close(math.fsum(c["BilledCost"] for c in billed), math.fsum(row["usage"] for row in rows))
        assert close(math.fsum(c["EffectiveCost"] for c in billed), math.fsum(row["usage"] for row in rows))
        byok_total = math.fsum(row["byok_usage_inference"] for row in rows)
        assert close(math.fsum(c["BilledCost"] for c in elsewhere), byok_total)
        assert {c["InvoiceIssuerName"] for c in elsewhere} == {row["provider_name"] for row in byok_rows}
        assert all(c["x_Byok"] for c in elsewhere)
        assert {c["ChargeCategory"] for c in charges} == {"Usage"}
        assert {c["BillingCurrency"] for c in charges} == {"USD"}
        first = charges[0]
        day = dt.date.fromisoformat(rows[0]["date"])
        start = dt.datetime.combine(day, dt.time(), dt.UTC)
        assert first["ChargePeriodStart"] == start
        assert first["ChargePeriodEnd"] == start + dt.timedelta(days=1)
        assert first["BillingPeriodStart"] == start.replace(day=1)
        assert first["ConsumedQuantity"] == rows[0]["prompt_tokens"] + rows[0]["completion_tokens"]
        assert first["ConsumedUnit"] == "Tokens"
        assert first["x_Model"] == rows[0]["model"]
        assert first["x_EndpointId"] == rows[0]["endpoint_id"]
        assert first["SubAccountId"] == rows[0]["workspace_id"]
        assert sum(c["x_CachedTokens"] for c in billed) == sum(row["cached_tokens"] for row in rows)


def _read_focus_csv(path: Path) -> pa.Table:
    options = pcsv.ConvertOptions(
        column_types={
            "BillingPeriodStart": pa.timestamp("s", tz="UTC"),
            "BillingPeriodEnd": pa.timestamp("s", tz="UTC"),
            "ChargePeriodStart": pa.timestamp("s", tz="UTC"),
            "ChargePeriodEnd": pa.timestamp("s", tz="UTC"),
            "SubAccountId": pa.string(),
            "x_ApiKeyHash": pa.string(),
        },
        strings_can_be_null=True,
    )
    return pcsv.read_csv(path, convert_options=options)


def test_focus_keeps_the_row_filters_and_names_the_key(demo_url: str, tmp_path: Path) -> None:
    path = tmp_path / "claude.csv"
    key_hash = API_KEYS[0].hash
    done = run_tool(
        "report", "--base-url", demo_url, "--format", "focus", "--output", str(path),
        "--since", "2026-09-10", "--model", "claude", "--api-key-hash", key_hash,
    )  # fmt: skip
    assert done.code == 0, done.stderr
    table = _read_focus_csv(path)
    assert table.num_rows > 0
    assert all("claude" in model for model in table.column("x_Model").to_pylist())
    assert min(table.column("ChargePeriodStart").to_pylist()) >= dt.datetime(2026, 9, 10, tzinfo=dt.UTC)
    assert set(table.column("x_ApiKeyHash").to_pylist()) == {key_hash}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--format", "focus"], "--format focus writes a file: add --output FILE"),
        (["--format", "focus", "--output", "x.txt"], "FILE.csv or FILE.parquet"),
        (
            ["--format", "focus", "--output", "x.csv", "--top", "3"],
            "--group-by, --top and --sort do not apply",
        ),
        (
            ["--format", "focus", "--output", "x.csv", "--group-by", "provider"],
            "--group-by, --top and --sort do",
        ),
        (["--format", "parquet"], "--format parquet writes a file: add --output FILE"),
    ],
)
def test_file_formats_refuse_what_cannot_work(arguments: list[str], message: str) -> None:
    done = run_tool("report", "--base-url", "http://127.0.0.1:9", *arguments)
    assert done.code == 2
    assert message in done.stderr


# --- Parquet --------------------------------------------------------------------------------------


def test_report_parquet_reads_back_as_the_summarys_table(demo_url: str, tmp_path: Path) -> None:
    path = tmp_path / "report.parquet"
    done = run_tool(
        "report",
        "--base-url",
        demo_url,
        "--group-by",
        "provider",
        "--top",
        "3",
        "--format",
        "parquet",
        "--output",
        str(path),
    )
    assert done.code == 0, done.stderr
    with Analytics(api_key=SECRET, base_url=demo_url) as analytics:
        summary = summarize(analytics.get_user_activity(), by="provider", top=3)
    table = pq.read_table(path)
    assert table.equals(export.summary_records(summary))
    assert table.column("kind").to_pylist() == ["group"] * 3 + ["other"]
    assert close(sum(table.column("cost").to_pylist()), summary.total.cost)
    # The row --top left out is labelled as in the CSV.
    csv_done = run_tool(
        "report", "--base-url", demo_url, "--group-by", "provider", "--top", "3", "--format", "csv"
    )
    assert table.column("label").to_pylist() == [
        row["label"] for row in csv.DictReader(io.StringIO(csv_done.stdout))
    ]
    assert table.column("label").to_pylist()[-1] == f"({summary.other_groups} others)"


def test_query_parquet_is_typed_by_the_metric_formats(demo_url: str, tmp_path: Path) -> None:
    path = tmp_path / "query.parquet"
    done = run_tool(
        "query", "--base-url", demo_url, "--metrics", "total_usage,request_count",
        "--dimensions", "model", "--granularity", "day", "--format", "parquet", "--output", str(path),
    )  # fmt: skip
    assert done.code == 0, done.stderr
    with Analytics(api_key=SECRET, base_url=demo_url) as analytics:
        meta = analytics.get_analytics_meta()
        result = analytics.query_analytics(
            metrics=["total_usage", "request_count"], dimensions=["model"], granularity="day"
        )
    table = pq.read_table(path)
    assert table.equals(
        result.to_arrow(meta=meta, columns=["date__day", "model", "total_usage", "request_count"])
    )
    assert table.schema.field("date__day").type == pa.timestamp("ms", tz="UTC")
    assert table.schema.field("request_count").type == pa.int64()


def test_a_count_parquet_cannot_hold_is_refused_naming_the_formats_that_can(
    server: FaultServer, tmp_path: Path
) -> None:
    big = {**ACTIVITY_ITEM, "requests": 2**62}
    server.script(ok(activity_json(big, big)), ok(activity_json(big, big)))
    target = tmp_path / "report.parquet"
    run = run_tool("report", "--base-url", server.url, "--format", "parquet", "--output", str(target))
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == (
        "openrouter-activity: error: --format parquet cannot hold this answer: requests of "
        "'openai/gpt-4.1' adds up to 9223372036854775808, which does not fit int64; --format json or "
        "csv keep every value\n"
    )
    assert not target.exists()
    run = run_tool("report", "--base-url", server.url, "--format", "json")
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)["total"]["requests"] == 2**63


def test_parquet_without_pyarrow_is_a_usage_error_naming_the_extra(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['pyarrow'] = None  # as if not installed\n"
        "from openrouter_analytics.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    for command in (["report"], ["query", "--metrics", "total_usage"]):
        done = subprocess.run(
            [sys.executable, "-c", code, *command, "--base-url", "http://127.0.0.1:9", "--format", "parquet",
             "--output", str(tmp_path / "x.parquet")],
            capture_output=True, text=True, env=tool_env(OPENROUTER_API_KEY=SECRET), timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert "pip install 'openrouter-analytics[arrow]'" in done.stderr
        assert not (tmp_path / "x.parquet").exists()


# --- --output, whole or not at all ----------------------------------------------------------------


def test_output_writes_every_format_to_the_file_and_nothing_to_stdout(demo_url: str, tmp_path: Path) -> None:
    for fmt in ("table", "csv", "json", "jsonl"):
        path = tmp_path / f"report.{fmt}"
        done = run_tool("report", "--base-url", demo_url, "--format", fmt, "--output", str(path))
        assert done.code == 0, done.stderr
        assert done.stdout == ""
        piped = run_tool("report", "--base-url", demo_url, "--format", fmt)
        assert path.read_text() == piped.stdout
        assert oct(path.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_output_over_a_private_file_keeps_it_private(demo_url: str, tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_text("old")
    path.chmod(0o600)
    done = run_tool("report", "--base-url", demo_url, "--format", "csv", "--output", str(path))
    assert done.code == 0, done.stderr
    assert path.read_text() != "old"
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)


def test_the_umask_is_read_without_setting_it() -> None:
    """Setting the umask to read it would leave a file another thread creates meanwhile open to all."""
    code = (
        "import os\n"
        "os.umask(0o027)\n"
        "def refuse(mask): raise AssertionError('the umask was set')\n"
        "os.umask = refuse\n"
        "from openrouter_analytics._files import umask\n"
        "print(oct(umask()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "0o27"), done.stderr


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def test_a_failed_write_leaves_the_old_file_whole(demo_url: str, tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_text("the old report\n")

    def small_disk() -> None:
        # Files of this process and its children may not grow past 100 bytes, as on a full disk.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))

    done = subprocess.run(
        [str(TOOL), "report", "--base-url", demo_url, "--format", "csv", "--output", str(path)],
        capture_output=True, text=True, env=tool_env(OPENROUTER_API_KEY=SECRET), timeout=60,
        preexec_fn=small_disk, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert f"cannot write --output {path}" in done.stderr
    assert "the file is as it was" in done.stderr
    assert path.read_text() == "the old report\n"
    assert _leftovers(tmp_path) == []


def test_a_failed_call_leaves_the_old_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "report.parquet"
    path.write_bytes(b"the old report")
    done = run_tool(
        "report",
        "--base-url",
        "http://127.0.0.1:9",
        "--max-retries",
        "0",
        "--format",
        "parquet",
        "--output",
        str(path),
    )
    assert done.code == 5, done.stderr
    assert path.read_bytes() == b"the old report"
    assert _leftovers(tmp_path) == []


def test_an_output_in_a_missing_folder_is_a_clear_error(demo_url: str, tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "report.csv"
    done = run_tool("report", "--base-url", demo_url, "--format", "csv", "--output", str(path))
    assert done.code == 2
    assert f"cannot write --output {path}" in done.stderr


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("a-directory", "it is a directory; pass the path of a file"),
        ("no-such-folder/report.csv", "the directory {tmp}/no-such-folder does not exist"),
        ("a-file/report.csv", "{tmp}/a-file is not a directory"),
        ("new-folder/", "a path ending in '/' is a directory's; pass the path of a file"),
        ("a-file/", "a path ending in '/' is a directory's; pass the path of a file"),
    ],
)
@pytest.mark.parametrize("command", [["report"], ["query", "--metrics", "total_usage"]])
def test_an_output_no_file_can_be_written_to_is_refused_before_any_request(
    tmp_path: Path, command: list[str], output: str, message: str
) -> None:
    (tmp_path / "a-directory").mkdir()
    (tmp_path / "a-file").write_text("mine")
    # Nothing listens on port 9: a request would end in exit code 5, not 2.
    done = run_tool(
        *command, "--base-url", "http://127.0.0.1:9", "--format", "csv", "--output", f"{tmp_path}/{output}"
    )
    assert (done.code, done.stdout) == (2, "")
    assert done.stderr.startswith(f"openrouter-activity: error: cannot write --output {tmp_path}/{output}: ")
    assert message.format(tmp=tmp_path) in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-directory", "a-file"]
    assert (tmp_path / "a-file").read_text() == "mine"


def test_output_dash_is_stdout_for_text_and_refused_for_parquet(demo_url: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(TOOL), "report", "--base-url", demo_url, "--format", "jsonl", "--output", "-"],
        capture_output=True, text=True, env=tool_env(OPENROUTER_API_KEY=SECRET), timeout=60, cwd=tmp_path,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    kinds = {json.loads(line)["kind"] for line in done.stdout.splitlines()}
    assert kinds == {"group"}
    assert list(tmp_path.iterdir()) == []
    done = subprocess.run(
        [str(TOOL), "report", "--base-url", "http://127.0.0.1:9", "--format", "parquet", "--output", "-"],
        capture_output=True, text=True, env=tool_env(OPENROUTER_API_KEY=SECRET), timeout=60, cwd=tmp_path,
        check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert (
        done.stderr
        == "openrouter-activity: error: --format parquet writes a file, not stdout: pass --output FILE\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_output_through_a_symbolic_link_writes_the_file_it_names_and_keeps_the_link(
    demo_url: str, tmp_path: Path
) -> None:
    real, link = linked_file(tmp_path, "old\n")

    run = run_tool("report", "--base-url", demo_url, "--format", "csv", "--output", str(link))

    assert run.code == 0, run.stderr
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_text().startswith("group_by,kind,key,")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["latest.csv", "real.csv"]


def test_output_to_a_pipe_or_a_device_writes_to_it_and_leaves_it_what_it_was(
    demo_url: str, tmp_path: Path
) -> None:
    """A FIFO, a device and a process's stdout are written to as a shell's > would; replacing
    them by a file lost what was written (a reader of the FIFO got nothing) and, as root, the
    device. The devices are reached through links of the test's own, so that a tool that
    replaced what it writes to would replace a link here, never /dev/null itself."""
    import stat

    fifo = tmp_path / "fifo"
    null, stdout = tmp_path / "null", tmp_path / "stdout"
    null.symlink_to("/dev/null")
    stdout.symlink_to("/proc/self/fd/1")
    with fifo_reader(fifo) as received:
        to_fifo = run_tool("report", "--base-url", demo_url, "--format", "csv", "--output", str(fifo))
    to_null = run_tool("report", "--base-url", demo_url, "--format", "csv", "--output", str(null))
    to_stdout = run_tool("report", "--base-url", demo_url, "--format", "csv", "--output", str(stdout))

    assert (to_fifo.code, to_null.code, to_stdout.code) == (0, 0, 0), to_fifo.stderr + to_null.stderr
    assert received
    assert received[0].decode().startswith("group_by,kind,key,")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert (os.readlink(null), os.readlink(stdout)) == ("/dev/null", "/proc/self/fd/1")
    assert to_stdout.stdout.startswith("group_by,kind,key,")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["fifo", "null", "stdout"]
