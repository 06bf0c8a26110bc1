"""scripts/extract_spec.py: the Analytics part of a full OpenRouter document, and nothing else."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "extract_spec.py"
UPSTREAM_DIR = ROOT.parent / "shared" / "spec" / "upstream"
UPSTREAM_0801 = UPSTREAM_DIR / "openrouter-openapi-2026-08-01.yaml"
UPSTREAM_0822 = UPSTREAM_DIR / "openrouter-openapi-2026-08-22.yaml"
UPSTREAM_1010 = UPSTREAM_DIR / "openrouter-openapi-2026-10-10.yaml"
SENTINEL = "existing content that must survive a failed extraction\n"


def run_extract(upstream: Path, output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(upstream), str(output)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.fixture(scope="module")
def upstream_0801() -> dict[str, Any]:
    return yaml.safe_load(UPSTREAM_0801.read_text())


def write_yaml(path: Path, document: Any) -> Path:
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def assert_failed_cleanly(result: subprocess.CompletedProcess[str], output: Path, needle: str) -> None:
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("extract_spec: error: ")
    assert needle in lines[0]
    assert output.read_text() == SENTINEL


def test_committed_spec_is_the_extraction_of_the_default_upstream(tmp_path: Path) -> None:
    output = tmp_path / "openapi.yaml"
    assert run_extract(UPSTREAM_1010, output).returncode == 0
    assert output.read_bytes() == (ROOT / "openapi.yaml").read_bytes()


def test_extraction_is_byte_identical_when_repeated(tmp_path: Path) -> None:
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    assert run_extract(UPSTREAM_0822, first).returncode == 0
    assert run_extract(UPSTREAM_0822, second).returncode == 0
    assert first.read_bytes() == second.read_bytes()


def test_extraction_keeps_only_analytics_operations_and_what_they_reference(tmp_path: Path) -> None:
    output = tmp_path / "openapi.yaml"
    assert run_extract(UPSTREAM_0801, output).returncode == 0
    spec = yaml.safe_load(output.read_text())

    assert list(spec) == ["openapi", "info", "servers", "security", "paths", "components"]
    assert list(spec["paths"]) == ["/activity"]
    parameters = [parameter["name"] for parameter in spec["paths"]["/activity"]["get"]["parameters"]]
    assert parameters == ["date", "api_key_hash", "user_id"]
    assert set(spec["paths"]["/activity"]["get"]["responses"]) == {"200", "400", "401", "403", "404", "500"}
    assert set(spec["components"]) == {"schemas", "securitySchemes"}
    assert set(spec["components"]["securitySchemes"]) == {"apiKey"}
    schemas = set(spec["components"]["schemas"])
    assert {"ActivityResponse", "ActivityItem", "ForbiddenResponseErrorData"} <= schemas
    assert "ChatGenerationParams" not in schemas


def test_every_reference_in_the_extraction_resolves_inside_it(tmp_path: Path) -> None:
    output = tmp_path / "openapi.yaml"
    assert run_extract(UPSTREAM_0822, output).returncode == 0
    text = output.read_text()
    spec = yaml.safe_load(text)
    refs = {line.split("$ref:")[1].strip().strip("'\"") for line in text.splitlines() if "$ref:" in line}
    assert refs
    for ref in refs:
        _, _, section, name = ref.split("/")
        assert name in spec["components"][section], ref


def test_newer_upstream_with_more_operations_and_parameters_extracts(tmp_path: Path) -> None:
    output = tmp_path / "openapi.yaml"
    result = run_extract(UPSTREAM_0822, output)
    assert result.returncode == 0, result.stderr
    spec = yaml.safe_load(output.read_text())
    assert set(spec["paths"]) == {"/activity", "/analytics/meta", "/analytics/query"}
    activity_parameters = {parameter["name"] for parameter in spec["paths"]["/activity"]["get"]["parameters"]}
    assert {"date", "api_key_hash", "user_id"} < activity_parameters
    assert "post" in spec["paths"]["/analytics/query"]


def test_missing_upstream_file_fails_and_leaves_output_untouched(tmp_path: Path) -> None:
    output = tmp_path / "openapi.yaml"
    output.write_text(SENTINEL)
    result = run_extract(tmp_path / "does-not-exist.yaml", output)
    assert_failed_cleanly(result, output, "no such file")


def test_non_openapi_document_fails_and_leaves_output_untouched(tmp_path: Path) -> None:
    output = tmp_path / "openapi.yaml"
    output.write_text(SENTINEL)
    upstream = write_yaml(tmp_path / "swagger.yaml", {"swagger": "2.0", "paths": {}})
    result = run_extract(upstream, output)
    assert_failed_cleanly(result, output, "not an OpenAPI 3.x document")


def test_document_without_analytics_operations_fails(tmp_path: Path, upstream_0801: dict[str, Any]) -> None:
    document = copy.deepcopy(upstream_0801)
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "tags" in operation:
                operation["tags"] = [tag for tag in operation["tags"] if tag != "Analytics"]
    output = tmp_path / "openapi.yaml"
    output.write_text(SENTINEL)
    result = run_extract(write_yaml(tmp_path / "upstream.yaml", document), output)
    assert_failed_cleanly(result, output, "no operations tagged 'Analytics'")


def test_unresolvable_reference_fails(tmp_path: Path, upstream_0801: dict[str, Any]) -> None:
    document = copy.deepcopy(upstream_0801)
    del document["components"]["schemas"]["ActivityItem"]
    output = tmp_path / "openapi.yaml"
    output.write_text(SENTINEL)
    result = run_extract(write_yaml(tmp_path / "upstream.yaml", document), output)
    assert_failed_cleanly(result, output, "'#/components/schemas/ActivityItem' does not resolve")


def test_extraction_that_is_not_valid_openapi_is_refused(
    tmp_path: Path, upstream_0801: dict[str, Any]
) -> None:
    document = copy.deepcopy(upstream_0801)
    document["paths"]["/activity"]["get"]["parameters"][0]["in"] = "body"  # not a 3.x location
    output = tmp_path / "openapi.yaml"
    output.write_text(SENTINEL)
    result = run_extract(write_yaml(tmp_path / "upstream.yaml", document), output)
    assert_failed_cleanly(result, output, "not valid OpenAPI")


def test_invalid_yaml_fails_with_one_line(tmp_path: Path) -> None:
    output = tmp_path / "openapi.yaml"
    output.write_text(SENTINEL)
    upstream = tmp_path / "broken.yaml"
    upstream.write_text("openapi: 3.1.0\npaths: [unclosed\n")
    result = run_extract(upstream, output)
    assert_failed_cleanly(result, output, "not valid YAML or JSON")
