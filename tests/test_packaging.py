"""The distribution: both import packages, typed, with the console script and runtime dependencies."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    out = tmp_path_factory.mktemp("dist")
    uv = Path(sys.executable).parent / "uv"
    subprocess.run(
        [str(uv), "build", "--wheel", "--quiet", "--out-dir", str(out), str(ROOT)],
        check=True,
        timeout=300,
        capture_output=True,
    )
    (built,) = out.glob("openrouter_analytics-*.whl")
    with zipfile.ZipFile(built) as archive:
        yield archive


def test_wheel_holds_both_packages_marked_typed(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "openrouter_analytics/__init__.py" in names
    assert "openrouter_analytics/py.typed" in names
    assert "openrouter_analytics_client/py.typed" in names
    assert "openrouter_analytics_client/api/analytics/get_user_activity.py" in names
    assert not any(name.startswith(("overlays/", "generated/", "tests/")) for name in names)


def test_wheel_declares_console_script_and_runtime_dependencies(wheel: zipfile.ZipFile) -> None:
    dist_info = next(name.split("/")[0] for name in wheel.namelist() if name.endswith(".dist-info/METADATA"))
    metadata = wheel.read(f"{dist_info}/METADATA").decode()
    entry_points = wheel.read(f"{dist_info}/entry_points.txt").decode()
    assert "openrouter-activity = openrouter_analytics.cli:main" in entry_points
    requirements = {
        line.split(":", 1)[1].split()[0]
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:")
    }
    assert {"attrs>=23.2", "httpx<1,>=0.27", "python-dateutil>=2.8"} <= requirements
    assert "Requires-Python: >=3.11" in metadata


def test_dir_of_the_package_lists_each_public_name_once() -> None:
    import openrouter_analytics

    before = dir(openrouter_analytics)
    for name in openrouter_analytics.__all__:
        getattr(openrouter_analytics, name)
    after = dir(openrouter_analytics)
    assert before == after == sorted({*openrouter_analytics.__all__, "__version__"})
