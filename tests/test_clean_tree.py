"""A test run leaves ``git status`` clean: every cache the tools write in the working tree is ignored."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Written by: schemathesis (its cache of crashes and examples), hypothesis, pytest, mypy, ruff.
CACHES = (".schemathesis", ".hypothesis", ".pytest_cache", ".mypy_cache", ".ruff_cache")


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout"
)
@pytest.mark.parametrize("cache", CACHES)
def test_each_cache_a_test_run_writes_is_ignored_by_git(cache: str) -> None:
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", f"{cache}/some/file"],
        cwd=ROOT,
        capture_output=True,
        timeout=30,
        check=False,
    )

    assert done.returncode == 0, f"{cache}/ is not in .gitignore: a test run would leave it untracked"


def test_make_clean_removes_them_too() -> None:
    clean = next(
        line for line in (ROOT / "Makefile").read_text().splitlines() if line.strip().startswith("rm -rf")
    )

    assert all(cache in clean.split() for cache in CACHES)
