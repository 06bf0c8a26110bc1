"""The facade keeps up with the spec: every operation, parameter and documented status of
openapi.yaml is reachable through both clients, and this test names whatever is not.

After ``make update-spec && make generate`` brings a new operation, parameter or status, this
test fails until the facade has caught up. ``OPENROUTER_ANALYTICS_SPEC`` points it at another
copy of the spec, which is how the tests below prove that it does fail.
"""

from __future__ import annotations

import copy
import inspect
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from openrouter_analytics import Analytics, AsyncAnalytics, errors

ROOT = Path(__file__).resolve().parent.parent
SPEC = Path(os.environ.get("OPENROUTER_ANALYTICS_SPEC", ROOT / "openapi.yaml"))
KEYWORD_ONLY = inspect.Parameter.KEYWORD_ONLY
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def snake_case(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def keywords_of(spec: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    """What the spec lets a caller send: parameters (but headers) and top-level body properties."""
    names = [
        snake_case(parameter["name"])
        for parameter in (resolve(spec, p) for p in operation.get("parameters", []))
        if parameter["in"] in ("query", "path")
    ]
    body = resolve(spec, operation.get("requestBody", {}))
    for media in body.get("content", {}).values():
        names.extend(
            snake_case(name) for name in resolve(spec, media.get("schema", {})).get("properties", {})
        )
    return names


def facade_gaps(spec: dict[str, Any], clients: Iterable[type] = (Analytics, AsyncAnalytics)) -> list[str]:
    """Everything in ``spec`` the clients do not offer, one line each."""
    gaps: list[str] = []
    for method, path, operation in operations(spec):
        name = snake_case(operation["operationId"])
        wanted = keywords_of(spec, operation)
        for client in clients:
            for attribute in (name, f"{name}_with_response"):
                function = getattr(client, attribute, None)
                if function is None:
                    gaps.append(f"{client.__name__}.{attribute} is missing ({method} {path})")
                    continue
                parameters = inspect.signature(function).parameters
                gaps.extend(
                    f"{client.__name__}.{attribute} has no keyword {keyword!r} ({method} {path})"
                    for keyword in wanted
                    if keyword not in parameters
                    or parameters[keyword].kind is not inspect.Parameter.KEYWORD_ONLY
                )
        for status, response in operation.get("responses", {}).items():
            if not status.isdigit() or 200 <= int(status) < 300:
                continue
            schema_ref = next(
                (media["schema"].get("$ref", "") for media in response.get("content", {}).values()), ""
            )
            expected = schema_ref.rsplit("/", 1)[-1] + "Error" if schema_ref else None
            error_class = errors.STATUS_ERRORS.get(int(status))
            if error_class is None:
                gaps.append(f"status {status} of {method} {path} has no class in errors.STATUS_ERRORS")
            elif expected is not None and error_class.__name__ != expected:
                gaps.append(
                    f"status {status} of {method} {path} maps to {error_class.__name__}, expected {expected}"
                )
    return gaps


def load_spec() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(SPEC.read_text())
    return document


def test_the_facade_covers_every_operation_parameter_and_status_of_the_spec() -> None:
    gaps = facade_gaps(load_spec())
    assert not gaps, "The facade is behind openapi.yaml:\n" + "\n".join(gaps)


def test_every_error_class_of_the_table_is_exported_and_an_api_error() -> None:
    for status, error_class in errors.STATUS_ERRORS.items():
        assert issubclass(error_class, errors.APIError)
        assert getattr(errors, error_class.__name__) is error_class
        assert error_class.__name__ in errors.__all__
        assert f"{error_class.__name__}" in (errors.__doc__ or ""), f"{status} is not in the error tree"


# -- proof that the coverage test fails when the spec moves ahead of the facade --------------


def spec_with(change: str) -> dict[str, Any]:
    spec = copy.deepcopy(load_spec())
    activity = spec["paths"]["/activity"]["get"]
    if change == "parameter":
        activity["parameters"].append(
            {"name": "app_id", "in": "query", "required": False, "schema": {"type": "string"}}
        )
    elif change == "body property":
        query = spec["paths"]["/analytics/query"]["post"]
        query["requestBody"]["content"]["application/json"]["schema"]["properties"]["timezone"] = {
            "type": "string"
        }
    elif change == "operation":
        spec["paths"]["/analytics/export"] = {
            "get": {"operationId": "getAnalyticsExport", "responses": {"200": {"description": "ok"}}}
        }
    elif change == "status":
        spec["components"]["schemas"]["ConflictResponse"] = {"type": "object"}
        activity["responses"]["409"] = {
            "description": "Conflict",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConflictResponse"}}},
        }
    return spec


@pytest.mark.parametrize(
    ("change", "gap"),
    [
        ("parameter", "Analytics.get_user_activity has no keyword 'app_id' (GET /activity)"),
        ("body property", "AsyncAnalytics.query_analytics_with_response has no keyword 'timezone'"),
        ("operation", "Analytics.get_analytics_export is missing (GET /analytics/export)"),
        ("status", "status 409 of GET /activity has no class in errors.STATUS_ERRORS"),
    ],
)
def test_a_spec_ahead_of_the_facade_is_named(change: str, gap: str) -> None:
    gaps = facade_gaps(spec_with(change))
    assert any(line.startswith(gap) for line in gaps), gaps


def test_the_check_passes_once_the_facade_gains_the_parameter() -> None:
    spec = spec_with("parameter")

    class Extended(Analytics):
        def get_user_activity(self, *, app_id: str | None = None, **kwargs: Any) -> Any:  # type: ignore[override]
            raise NotImplementedError

        def get_user_activity_with_response(self, *, app_id: str | None = None, **kwargs: Any) -> Any:  # type: ignore[override]
            raise NotImplementedError

    gaps = facade_gaps(spec, clients=(Extended,))
    assert not [line for line in gaps if "app_id" in line], gaps
    # The **kwargs above do not stand in for the spec's own keywords.
    assert any("'date'" in line for line in gaps)


@pytest.mark.parametrize("change", ["parameter", "operation", "status"])
def test_make_test_fails_on_a_spec_with_one_more_thing(tmp_path: Path, change: str) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(yaml.safe_dump(spec_with(change), sort_keys=False))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"{__file__}::test_the_facade_covers_every_operation_parameter_and_status_of_the_spec",
        ],
        env={**os.environ, "OPENROUTER_ANALYTICS_SPEC": str(spec)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "The facade is behind openapi.yaml" in result.stdout
