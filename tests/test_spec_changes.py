"""scripts/spec_changes.py: what `make update-spec` reports, breaking changes marked BREAKING."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from spec_changes import compare, render

ROOT = Path(__file__).resolve().parent.parent
EXTRACT = ROOT / "scripts" / "extract_spec.py"
SPEC_CHANGES = ROOT / "scripts" / "spec_changes.py"
UPSTREAM_DIR = ROOT.parent / "shared" / "spec" / "upstream"
UPSTREAM_0801 = UPSTREAM_DIR / "openrouter-openapi-2026-08-01.yaml"
UPSTREAM_0822 = UPSTREAM_DIR / "openrouter-openapi-2026-08-22.yaml"

ADDITIONS_0801_TO_0822 = [
    "GET /activity (getUserActivity)",
    '  + query parameter group_by: string, optional, enum: "workspace"',
    "  + query parameter workspace_id: string, optional",
    "  + response 200 property data[].workspace_id: string, optional",
    "GET /analytics/meta (getAnalyticsMeta)",
    "  + operation",
    "  + status 200",
    "  + status 401: UnauthorizedResponse",
    "  + status 403: ForbiddenResponse",
    "  + status 500: InternalServerResponse",
    "POST /analytics/query (queryAnalytics)",
    "  + operation",
    "  + request body: object, required",
    "  + request property classifier_dimensions: object, optional",
    "  + request property classifier_filters: object, optional",
    "  + request property dimensions: array, optional",
    "  + request property filters: array, optional",
    "  + request property granularity: string, optional",
    "  + request property group_limit: integer, optional",
    "  + request property limit: integer, optional",
    "  + request property metrics: array, required",
    "  + request property order_by: object, optional",
    "  + request property time_range: object, optional",
    "  + status 200",
    "  + status 400: BadRequestResponse",
    "  + status 401: UnauthorizedResponse",
    "  + status 403: ForbiddenResponse",
    "  + status 408: RequestTimeoutResponse",
    "  + status 500: InternalServerResponse",
]


def run_script(script: Path, *args: Path | str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Analytics extractions of both upstream documents, in files of their own."""
    directory = tmp_path_factory.mktemp("extracted")
    paths = {}
    for name, upstream in (("0801", UPSTREAM_0801), ("0822", UPSTREAM_0822)):
        paths[name] = directory / f"openapi-{name}.yaml"
        result = run_script(EXTRACT, upstream, paths[name])
        assert result.returncode == 0, result.stderr
    return paths


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text())
    return document


def lines(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The report without its title line."""
    return render(compare(old, new), "openapi.yaml").splitlines()[1:]


# The 2026-08-01 -> 2026-08-22 upstream change


def test_0801_to_0822_lists_exactly_the_additions(extracted: dict[str, Path]) -> None:
    changes = compare(load(extracted["0801"]), load(extracted["0822"]))
    assert lines(load(extracted["0801"]), load(extracted["0822"])) == ADDITIONS_0801_TO_0822
    assert not any(change.breaking for change in changes)
    assert {change.kind for change in changes} == {"added"}


def test_report_title_counts_changes_and_breaking_ones(extracted: dict[str, Path]) -> None:
    old, new = load(extracted["0801"]), load(extracted["0822"])
    assert render(compare(old, new), "openapi.yaml").splitlines()[0] == (
        "openapi.yaml: 26 changes, none breaking"
    )
    assert render(compare(new, old), "openapi.yaml").splitlines()[0] == "openapi.yaml: 5 changes, 5 BREAKING"


def test_0822_back_to_0801_marks_every_removal_breaking(extracted: dict[str, Path]) -> None:
    assert lines(load(extracted["0822"]), load(extracted["0801"])) == [
        "GET /activity (getUserActivity)",
        '  - BREAKING query parameter group_by: string, optional, enum: "workspace"',
        "  - BREAKING query parameter workspace_id: string, optional",
        "  - BREAKING response 200 property data[].workspace_id: string, optional",
        "GET /analytics/meta (getAnalyticsMeta)",
        "  - BREAKING operation",
        "POST /analytics/query (queryAnalytics)",
        "  - BREAKING operation",
    ]


def test_identical_documents_give_no_changes_and_an_empty_report(extracted: dict[str, Path]) -> None:
    document = load(extracted["0822"])
    assert compare(document, copy.deepcopy(document)) == []
    assert render([], "openapi.yaml") == ""


# One change to the 2026-08-22 extraction at a time

Mutation = Callable[[dict[str, Any]], object]


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def activity_parameter(document: dict[str, Any], name: str) -> dict[str, Any]:
    parameters = document["paths"]["/activity"]["get"]["parameters"]
    return next(parameter for parameter in parameters if parameter["name"] == name)


def query_body(document: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = document["paths"]["/analytics/query"]["post"]["requestBody"]
    schema: dict[str, Any] = body["content"]["application/json"]["schema"]
    return schema


def meta_data(document: dict[str, Any]) -> dict[str, Any]:
    response = document["paths"]["/analytics/meta"]["get"]["responses"]["200"]
    data: dict[str, Any] = response["content"]["application/json"]["schema"]["properties"]["data"]
    return data


def granularity_names(document: dict[str, Any]) -> list[str]:
    names: list[str] = meta_data(document)["properties"]["granularities"]["items"]["properties"]["name"][
        "enum"
    ]
    return names


def add_required_order_by_property(document: dict[str, Any]) -> None:
    order_by = query_body(document)["properties"]["order_by"]
    order_by["properties"]["nulls"] = {"type": "string", "enum": ["first"]}
    order_by["required"].append("nulls")


SINGLE_CHANGES: list[tuple[str, Mutation, str]] = [
    (
        "removed response property",
        lambda d: schemas(d)["ActivityItem"]["properties"].pop("model"),
        "GET /activity: - BREAKING response 200 property data[].model: string, required",
    ),
    (
        "parameter became required",
        lambda d: activity_parameter(d, "date").update(required=True),
        "GET /activity: ~ BREAKING query parameter date: optional -> required",
    ),
    (
        "response property changed type",
        lambda d: schemas(d)["ActivityItem"]["properties"]["requests"].update(type="string"),
        "GET /activity: ~ BREAKING response 200 property data[].requests: type integer -> string",
    ),
    (
        "response property became nullable",
        lambda d: schemas(d)["ActivityItem"]["properties"]["requests"].update(type=["integer", "null"]),
        "GET /activity: ~ BREAKING response 200 property data[].requests: type integer -> integer | null",
    ),
    (
        "string gained a format",
        lambda d: schemas(d)["ActivityItem"]["properties"]["date"].update(format="date"),
        "GET /activity: ~ BREAKING response 200 property data[].date: type string -> string(date)",
    ),
    (
        "removed operation",
        lambda d: d["paths"].pop("/analytics/meta"),
        "GET /analytics/meta: - BREAKING operation",
    ),
    (
        "removed request enum value",
        lambda d: query_body(d)["properties"]["order_by"]["properties"]["direction"]["enum"].remove("desc"),
        'POST /analytics/query: - BREAKING request property order_by.direction: enum value "desc"',
    ),
    (
        "removed parameter enum value",
        lambda d: activity_parameter(d, "group_by")["schema"].update(enum=[]),
        'GET /activity: - BREAKING query parameter group_by: enum value "workspace"',
    ),
    (
        "added required request property",
        add_required_order_by_property,
        'POST /analytics/query: + BREAKING request property order_by.nulls: string, required, enum: "first"',
    ),
    (
        "removed request property with nested ones, one line",
        lambda d: query_body(d)["properties"].pop("time_range"),
        "POST /analytics/query: - BREAKING request property time_range: object, optional",
    ),
    (
        "response property became optional",
        lambda d: schemas(d)["ActivityItem"]["required"].remove("model"),
        "GET /activity: ~ BREAKING response 200 property data[].model: required -> optional",
    ),
    (
        "request property became required",
        lambda d: query_body(d)["required"].append("limit"),
        "POST /analytics/query: ~ BREAKING request property limit: optional -> required",
    ),
    (
        "request property changed type",
        lambda d: query_body(d)["properties"]["limit"].update(type="string"),
        "POST /analytics/query: ~ BREAKING request property limit: type integer -> string",
    ),
    (
        "renamed operationId",
        lambda d: d["paths"]["/activity"]["get"].update(operationId="getActivity"),
        "GET /activity: ~ BREAKING operation: operationId getUserActivity -> getActivity",
    ),
    (
        "renamed error schema",
        lambda d: d["paths"]["/activity"]["get"]["responses"]["400"]["content"]["application/json"].update(
            schema={"$ref": "#/components/schemas/NotFoundResponse"}
        ),
        "GET /activity: ~ BREAKING status 400: schema BadRequestResponse -> NotFoundResponse",
    ),
    (
        "removed success status",
        lambda d: d["paths"]["/activity"]["get"]["responses"].pop("200"),
        "GET /activity: - BREAKING status 200: ActivityResponse",
    ),
    (
        "added required parameter",
        lambda d: d["paths"]["/activity"]["get"]["parameters"].append(
            {"name": "page", "in": "query", "required": True, "schema": {"type": "integer"}}
        ),
        "GET /activity: + BREAKING query parameter page: integer, required",
    ),
    (
        "parameter limited to an enum",
        lambda d: activity_parameter(d, "workspace_id")["schema"].update(enum=["default"]),
        'GET /activity: ~ BREAKING query parameter workspace_id: now limited to enum: "default"',
    ),
    # Not breaking for a caller of this SDK:
    (
        "parameter no longer limited to an enum",
        lambda d: activity_parameter(d, "group_by")["schema"].pop("enum"),
        "GET /activity: ~ query parameter group_by: no longer limited to an enum",
    ),
    (
        "removed response enum value",
        lambda d: granularity_names(d).remove("minute"),
        'GET /analytics/meta: - response 200 property data.granularities[].name: enum value "minute"',
    ),
    (
        "added response enum value",
        lambda d: granularity_names(d).append("quarter"),
        'GET /analytics/meta: + response 200 property data.granularities[].name: enum value "quarter"',
    ),
    (
        "added request enum value",
        lambda d: query_body(d)["properties"]["order_by"]["properties"]["direction"]["enum"].append("random"),
        'POST /analytics/query: + request property order_by.direction: enum value "random"',
    ),
    (
        "added optional request property",
        lambda d: query_body(d)["properties"].update(cursor={"type": "string"}),
        "POST /analytics/query: + request property cursor: string, optional",
    ),
    (
        "request property became optional",
        lambda d: query_body(d)["required"].remove("metrics"),
        "POST /analytics/query: ~ request property metrics: required -> optional",
    ),
    (
        "request type widened",
        lambda d: query_body(d)["properties"]["limit"].update(type=["integer", "null"]),
        "POST /analytics/query: ~ request property limit: type integer -> integer | null",
    ),
    (
        "response type narrowed",
        lambda d: schemas(d)["ActivityItem"]["properties"]["usage"].update(type="integer", format=None),
        "GET /activity: ~ response 200 property data[].usage: type number -> integer",
    ),
    (
        "removed error status",
        lambda d: d["paths"]["/activity"]["get"]["responses"].pop("404"),
        "GET /activity: - status 404: NotFoundResponse",
    ),
    (
        "added status",
        lambda d: d["paths"]["/activity"]["get"]["responses"].update(
            {"408": d["paths"]["/analytics/query"]["post"]["responses"]["408"]}
        ),
        "GET /activity: + status 408: RequestTimeoutResponse",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [pytest.param(mutate, expected, id=name) for name, mutate, expected in SINGLE_CHANGES],
)
def test_one_change_gives_one_line_marked_breaking_when_it_breaks_callers(
    extracted: dict[str, Path], mutate: Mutation, expected: str
) -> None:
    old = load(extracted["0822"])
    new = copy.deepcopy(old)
    mutate(new)
    changes = compare(old, new)
    assert [f"{change.operation}: {change.line()}" for change in changes] == [expected]
    report = render(changes, "openapi.yaml")
    assert ("BREAKING" in report.splitlines()[-1]) == (" BREAKING " in expected)


def test_a_change_in_a_shared_schema_is_listed_under_every_operation_using_it(
    extracted: dict[str, Path],
) -> None:
    old = load(extracted["0822"])
    new = copy.deepcopy(old)
    schemas(new)["BadRequestResponseErrorData"]["properties"].pop("metadata")
    assert lines(old, new) == [
        "GET /activity (getUserActivity)",
        "  - BREAKING response 400 property error.metadata: object | null, optional",
        "POST /analytics/query (queryAnalytics)",
        "  - BREAKING response 400 property error.metadata: object | null, optional",
    ]


# Schemas built by hand for what the upstream documents do not exercise


def document(operation: dict[str, Any], schemas: dict[str, Any], **path_item: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {**path_item, "get": operation}},
        "components": {"schemas": schemas},
    }


def json_response(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def test_recursive_schema_is_followed_once_and_its_changes_found() -> None:
    children = {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
    node = {"type": "object", "properties": {"name": {"type": "string"}, "children": children}}
    operation = {"operationId": "tree", "responses": json_response({"$ref": "#/components/schemas/Node"})}
    old = document(operation, {"Node": node})
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Node"]["properties"]["size"] = {"type": "integer"}
    assert lines(old, new) == ["GET /things (tree)", "  + response 200 property size: integer, optional"]


def test_all_of_members_and_any_of_alternatives_are_folded_into_one_property_set() -> None:
    schema = {
        "allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"type": "object", "properties": {"value": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}},
        ]
    }
    base = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
    old = document({"operationId": "things", "responses": json_response(schema)}, {"Base": base})
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Base"]["properties"].pop("id")
    new["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["allOf"][1][
        "properties"
    ]["value"]["anyOf"].pop()
    assert lines(old, new) == [
        "GET /things (things)",
        "  - BREAKING response 200 property id: string, required",
        "  ~ response 200 property value: type integer | string -> string",
    ]


def test_additional_properties_are_compared_as_star() -> None:
    totals = {"type": "object", "additionalProperties": {"type": "integer"}}
    schema = {"type": "object", "properties": {"totals": totals}}
    old = document({"operationId": "things", "responses": json_response(schema)}, {})
    new = copy.deepcopy(old)
    new["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"][
        "totals"
    ]["additionalProperties"]["type"] = "string"
    assert lines(old, new) == [
        "GET /things (things)",
        "  ~ BREAKING response 200 property totals.*: type integer -> string",
    ]


def test_referenced_and_path_level_parameters_are_compared() -> None:
    operation = {"operationId": "things", "responses": json_response({"type": "object"})}
    old = document(operation, {}, parameters=[{"$ref": "#/components/parameters/Page"}])
    old["components"]["parameters"] = {
        "Page": {"name": "page", "in": "query", "required": False, "schema": {"type": "integer"}}
    }
    new = copy.deepcopy(old)
    new["components"]["parameters"]["Page"]["required"] = True
    assert lines(old, new) == [
        "GET /things (things)",
        "  ~ BREAKING query parameter page: optional -> required",
    ]


# The command line and `make update-spec`


def test_command_line_prints_the_report_and_exits_0(extracted: dict[str, Path]) -> None:
    result = run_script(SPEC_CHANGES, extracted["0801"], extracted["0822"])
    assert result.returncode == 0, result.stderr
    expected = render(
        compare(load(extracted["0801"]), load(extracted["0822"])),
        f"{extracted['0801']} -> {extracted['0822']}",
    )
    assert result.stdout == expected
    assert result.stdout.splitlines()[1:] == ADDITIONS_0801_TO_0822


def test_command_line_prints_nothing_for_identical_documents(extracted: dict[str, Path]) -> None:
    result = run_script(SPEC_CHANGES, extracted["0822"], extracted["0822"])
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_command_line_refuses_a_file_that_is_not_openapi(tmp_path: Path, extracted: dict[str, Path]) -> None:
    other = tmp_path / "other.yaml"
    other.write_text("swagger: '2.0'\n")
    result = run_script(SPEC_CHANGES, other, extracted["0822"])
    assert result.returncode == 1
    assert result.stderr.startswith("spec_changes: error: ")
    assert "not an OpenAPI 3.x document" in result.stderr
    assert result.stdout == ""


def test_extraction_over_an_older_spec_prints_the_report(tmp_path: Path, extracted: dict[str, Path]) -> None:
    output = tmp_path / "openapi.yaml"
    shutil.copyfile(extracted["0801"], output)
    result = run_script(EXTRACT, UPSTREAM_0822, output)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{output}: 26 changes, none breaking",
        *ADDITIONS_0801_TO_0822,
    ]
    assert output.read_bytes() == extracted["0822"].read_bytes()


def test_extraction_over_a_newer_spec_prints_breaking_lines(
    tmp_path: Path, extracted: dict[str, Path]
) -> None:
    output = tmp_path / "openapi.yaml"
    shutil.copyfile(extracted["0822"], output)
    result = run_script(EXTRACT, UPSTREAM_0801, output)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"{output}: 5 changes, 5 BREAKING"
    assert "  - BREAKING operation" in result.stdout.splitlines()


def test_extracting_the_same_upstream_twice_prints_nothing(tmp_path: Path) -> None:
    output = tmp_path / "openapi.yaml"
    first = run_script(EXTRACT, UPSTREAM_0822, output)
    second = run_script(EXTRACT, UPSTREAM_0822, output)
    assert (first.returncode, first.stdout, first.stderr) == (0, "", "")
    assert (second.returncode, second.stdout, second.stderr) == (0, "", "")


def test_unreadable_previous_output_is_replaced_with_a_warning_and_no_report(
    tmp_path: Path, extracted: dict[str, Path]
) -> None:
    output = tmp_path / "openapi.yaml"
    output.write_text("paths: [unclosed\n")
    result = run_script(EXTRACT, UPSTREAM_0822, output)
    assert result.returncode == 0
    assert result.stdout == ""
    warning = result.stderr.strip().splitlines()
    assert len(warning) == 1
    assert warning[0].startswith("extract_spec: warning: cannot compare with the previous output: ")
    assert output.read_bytes() == extracted["0822"].read_bytes()


def test_failed_extraction_prints_no_report(tmp_path: Path, extracted: dict[str, Path]) -> None:
    output = tmp_path / "openapi.yaml"
    shutil.copyfile(extracted["0801"], output)
    result = run_script(EXTRACT, tmp_path / "missing.yaml", output)
    assert result.returncode == 1
    assert result.stdout == ""
    assert output.read_bytes() == extracted["0801"].read_bytes()
