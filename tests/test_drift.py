"""scripts/generate.py check (make check-drift): any difference from spec + generator fails loudly."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _makefile_upstream() -> Path:
    """The upstream document the Makefile names, so that this test follows every move of UPSTREAM."""
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("UPSTREAM ?="):
            return (ROOT / line.split("?=", 1)[1].strip()).resolve()
    raise AssertionError("the Makefile names no UPSTREAM")


UPSTREAM = _makefile_upstream()
PIPELINE = ("openapi.yaml", "generator-config.yml", "templates", "scripts", "generated")


def run_script(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=project, capture_output=True, text=True, check=False, timeout=120
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of everything the pipeline reads and writes, so the tests can change it freely."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in PIPELINE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    return copy


@pytest.fixture
def upstream_with_new_parameter(tmp_path: Path) -> Path:
    document = yaml.safe_load(UPSTREAM.read_text())
    document["paths"]["/activity"]["get"]["parameters"].append(
        {"name": "app_id", "in": "query", "required": False, "schema": {"type": "string"}}
    )
    path = tmp_path / "upstream-next.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def test_committed_output_has_no_drift(project: Path) -> None:
    result = run_script(project, "scripts/generate.py", "check", str(UPSTREAM))
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_changed_upstream_fails_until_regenerated(project: Path, upstream_with_new_parameter: Path) -> None:
    upstream = str(upstream_with_new_parameter)

    extracted = run_script(project, "scripts/extract_spec.py", upstream, "openapi.yaml")
    assert extracted.returncode == 0, extracted.stderr
    drifted = run_script(project, "scripts/generate.py", "check", upstream)
    assert drifted.returncode == 1
    assert "generated/openrouter_analytics_client/api/analytics/get_user_activity.py" in drifted.stderr
    assert "make update-spec && make generate" in drifted.stderr

    generated = run_script(project, "scripts/generate.py", "generate")
    assert generated.returncode == 0, generated.stderr
    assert (
        "app_id"
        in (project / "generated/openrouter_analytics_client/api/analytics/get_user_activity.py").read_text()
    )
    clean = run_script(project, "scripts/generate.py", "check", upstream)
    assert clean.returncode == 0, clean.stderr


def test_hand_edited_spec_is_reported(project: Path) -> None:
    spec = project / "openapi.yaml"
    spec.write_text(spec.read_text().replace("Filter by org member user ID.", "Filter by member."))
    result = run_script(project, "scripts/generate.py", "check", str(UPSTREAM))
    assert result.returncode == 1
    assert "openapi.yaml (differs from what" in result.stderr


def test_hand_edited_generated_file_is_reported(project: Path) -> None:
    model = project / "generated/openrouter_analytics_client/models/activity_item.py"
    model.write_text(model.read_text() + "\n# local tweak\n")
    (project / "generated/openrouter_analytics_client/stray.py").write_text("")
    result = run_script(project, "scripts/generate.py", "check", str(UPSTREAM))
    assert result.returncode == 1
    assert "generated/openrouter_analytics_client/models/activity_item.py" in result.stderr
    assert "stray.py (only in the committed copy)" in result.stderr


def test_regeneration_changes_no_byte(project: Path) -> None:
    before = {path: path.read_bytes() for path in (project / "generated").rglob("*") if path.is_file()}
    assert run_script(project, "scripts/generate.py", "generate").returncode == 0
    after = {path: path.read_bytes() for path in (project / "generated").rglob("*") if path.is_file()}
    assert after == before
