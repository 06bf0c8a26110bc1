"""Check a FOCUS file with the FinOps Foundation's focus-validator, in an environment of its own.

    python tools/focus-validator/run.py FILE.parquet|FILE.csv     prints a JSON summary

The validator needs Python 3.12 or newer and a pyarrow old enough for its numpy < 2, so it
cannot live in the project's environment. Its environment, tools/focus-validator/.venv, is
built with uv from requirements.txt (hash-pinned) and rebuilt only when that file or the
interpreter changes. The interpreter is $FOCUS_VALIDATOR_PYTHON, else the first Python 3.12 that runs
(python3.12 on PATH, or one installed by pyenv even if not the active version): the lock file
is compiled for 3.12, and numpy 1.26, which the validator pins, has no wheels for 3.13.

The validator exits 0 whatever it finds, so its console report is read here: the summary has
the totals and the id of every rule that failed. Offline: the rules bundled with the package
(`--block-download`), version 1.2. The applicability criteria are those that hold for
OpenRouter: usage is measured (tokens), and workspaces are sub accounts.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOCK_FILE = HERE / "requirements.txt"
ENV = HERE / ".venv"
STAMP = ENV / ".built-from"
FOCUS_VERSION = "1.2"
APPLICABILITY = ("USAGE_MEASUREMENT_SUPPORTED", "SUB_ACCOUNT_SUPPORTED")

_TOTALS = re.compile(r"Total: (\d+) \| Pass: (\d+) \| Fail: (\d+) \| Skipped: (\d+)")
_FAILED = re.compile(r"^\S+\s+([A-Za-z]+-[A-Z]-\d{3}-[A-Z]): FAIL\s+\((.*)\)\s*$")


def _runs(python: str) -> bool:
    try:
        done = subprocess.run(
            [python, "-c", "import sys; assert sys.version_info[:2] == (3, 12)"],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except OSError:
        return False
    return done.returncode == 0


def find_python() -> str:
    """A Python 3.12+ interpreter, or SystemExit saying what was tried."""
    tried = []
    chosen = os.environ.get("FOCUS_VALIDATOR_PYTHON")
    candidates = [chosen] if chosen else []
    candidates += [found for found in [shutil.which("python3.12")] if found]
    root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    candidates += sorted(glob.glob(f"{root}/versions/3.12*/bin/python3.12"), reverse=True)
    for candidate in candidates:
        tried.append(candidate)
        if _runs(candidate):
            return candidate
    raise SystemExit(
        "focus-validator's environment needs Python 3.12; none runs here (tried: "
        f"{', '.join(tried) or 'nothing found'}); set FOCUS_VALIDATOR_PYTHON to one"
    )


def uv() -> str:
    beside = Path(sys.executable).parent / "uv"
    found = str(beside) if beside.exists() else shutil.which("uv")
    if not found:
        raise SystemExit("focus-validator: uv not found; run `make setup` first")
    return found


def ensure_env() -> Path:
    """tools/focus-validator/.venv, built from the lock file unless it already was."""
    python = find_python()
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version)"], capture_output=True, text=True, check=True
    )
    wanted = hashlib.sha256(LOCK_FILE.read_bytes() + python.encode() + version.stdout.encode()).hexdigest()
    binary = ENV / "bin" / "focus-validator"
    lock_path = HERE / ".venv.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test workers build it once
        if STAMP.exists() and STAMP.read_text() == wanted and binary.exists():
            return binary
        shutil.rmtree(ENV, ignore_errors=True)
        env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
        subprocess.run([uv(), "venv", "--quiet", "--python", python, str(ENV)], check=True, env=env)
        install = [uv(), "pip", "install", "--quiet", "--python", str(ENV / "bin" / "python")]
        subprocess.run([*install, "--require-hashes", "-r", str(LOCK_FILE)], check=True, env=env)
        STAMP.write_text(wanted)
    return binary


def site_packages(binary: Path) -> str:
    done = subprocess.run(
        [
            str(binary.parent / "python"),
            "-c",
            "import focus_validator, os; print(os.path.dirname(os.path.dirname(focus_validator.__file__)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def validate(path: Path) -> dict[str, object]:
    """Run the validator on ``path`` and read its report."""
    binary = ensure_env()
    command = [
        str(binary),
        "--data-file", str(path.resolve()),
        "--validate-version", FOCUS_VERSION,
        "--block-download",
        "--output-type", "console",
        "--applicability-criteria", ",".join(APPLICABILITY),
    ]  # fmt: skip
    # It opens its currency list by a path relative to its site-packages directory.
    done = subprocess.run(command, capture_output=True, text=True, cwd=site_packages(binary), check=False)
    totals = _TOTALS.search(done.stdout)
    if done.returncode != 0 or totals is None:
        raise SystemExit(
            f"focus-validator did not run (exit {done.returncode}):\n"
            f"{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
    failed = {}
    for line in done.stdout.splitlines():
        match = _FAILED.match(line.strip())
        if match:
            failed[match.group(1)] = match.group(2)
    total, passed, failing, skipped = (int(group) for group in totals.groups())
    return {
        "file": str(path),
        "focus_version": FOCUS_VERSION,
        "applicability_criteria": list(APPLICABILITY),
        "total": total,
        "passed": passed,
        "failed": failing,
        "skipped": skipped,
        "failed_rules": failed,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        raise SystemExit(__doc__)
    print(json.dumps(validate(Path(argv[0])), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
