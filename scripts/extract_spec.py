"""Extract the Analytics part of a full OpenRouter OpenAPI document.

Usage: python scripts/extract_spec.py UPSTREAM OUTPUT

Keeps every operation tagged ``Analytics``, every component they reference
(transitively), and the document's ``openapi``, ``info``, ``servers``,
``security`` and the security schemes in use. The output is validated before it
is written, and written atomically: on any error the existing OUTPUT is left as
it was and the script exits 1 with a one-line message.

When OUTPUT existed, what changed for callers of the API is printed on stdout
(see scripts/spec_changes.py); nothing is printed when nothing did.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import spec_changes
import yaml

TAG = "Analytics"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PATH_LEVEL_KEYS = ("summary", "description", "servers", "parameters")
COMPONENT_REF_PREFIX = "#/components/"


class ExtractionError(Exception):
    """The upstream document cannot be turned into an Analytics spec."""


def load_document(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExtractionError(f"no such file: {path}") from None
    except OSError as exc:
        raise ExtractionError(f"cannot read {path}: {exc.strerror}") from None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        document = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise ExtractionError(f"{path} is not valid YAML or JSON: {exc}".splitlines()[0]) from None
    version = document.get("openapi") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith("3."):
        raise ExtractionError(f"{path} is not an OpenAPI 3.x document (no 'openapi: 3.x' field)")
    spec: dict[str, Any] = document
    return spec


def iter_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from iter_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from iter_refs(item)


def resolve_component(document: dict[str, Any], ref: str) -> tuple[str, str, Any]:
    if not ref.startswith(COMPONENT_REF_PREFIX):
        raise ExtractionError(f"unsupported $ref {ref!r}: only local '#/components/...' references work")
    parts = ref[len(COMPONENT_REF_PREFIX) :].split("/")
    if len(parts) != 2:
        raise ExtractionError(f"unsupported $ref {ref!r}: expected '#/components/<section>/<name>'")
    section, name = (part.replace("~1", "/").replace("~0", "~") for part in parts)
    try:
        return section, name, document["components"][section][name]
    except (KeyError, TypeError):
        raise ExtractionError(f"$ref {ref!r} does not resolve") from None


def select_operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    selected: dict[str, dict[str, Any]] = {}
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        operations = {
            method: operation
            for method, operation in item.items()
            if method in HTTP_METHODS and isinstance(operation, dict) and TAG in (operation.get("tags") or [])
        }
        if operations:
            shared = {key: item[key] for key in PATH_LEVEL_KEYS if key in item}
            selected[path] = {**shared, **operations}
    if not selected:
        raise ExtractionError(f"no operations tagged {TAG!r}")
    return selected


def collect_components(document: dict[str, Any], roots: Any) -> dict[str, dict[str, Any]]:
    components: dict[str, dict[str, Any]] = {}
    pending = list(iter_refs(roots))
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        section, name, value = resolve_component(document, ref)
        components.setdefault(section, {})[name] = value
        pending.extend(iter_refs(value))
    return components


def security_scheme_names(document: dict[str, Any], paths: dict[str, dict[str, Any]]) -> set[str]:
    requirements = list(document.get("security") or [])
    for item in paths.values():
        for method in HTTP_METHODS:
            requirements.extend((item.get(method) or {}).get("security") or [])
    return {name for requirement in requirements for name in requirement}


def extract(document: dict[str, Any]) -> dict[str, Any]:
    """Return the Analytics-only document, its keys and components in a stable order."""
    paths = select_operations(document)
    components = collect_components(document, paths)
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    used_schemes = security_scheme_names(document, paths)
    missing = sorted(used_schemes - set(schemes))
    if missing:
        raise ExtractionError(
            f"security scheme(s) {', '.join(missing)} missing from components.securitySchemes"
        )
    if used_schemes:
        components["securitySchemes"] = {name: schemes[name] for name in used_schemes}

    result: dict[str, Any] = {}
    for key in ("openapi", "info", "servers", "security"):
        if key in document:
            result[key] = document[key]
    result["paths"] = dict(sorted(paths.items()))
    result["components"] = {
        section: dict(sorted(entries.items())) for section, entries in sorted(components.items())
    }
    return result


def validate(document: dict[str, Any]) -> None:
    from openapi_spec_validator import validate as validate_spec
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    try:
        validate_spec(document)
    except OpenAPIValidationError as exc:
        # One line: some validator back ends add the failing schema and instance below it.
        first_line = exc.message.strip().splitlines()[0]
        where = "/".join(str(part) for part in exc.absolute_path)
        raise ExtractionError(
            f"extracted document is not valid OpenAPI: {first_line}" + (f" (at {where})" if where else "")
        ) from None


def render(document: dict[str, Any]) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(
        document, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: extract_spec.py UPSTREAM OUTPUT", file=sys.stderr)
        return 2
    upstream, output = Path(argv[0]), Path(argv[1])
    try:
        extracted = extract(load_document(upstream))
        validate(extracted)
        previous = previous_document(output)
        write_atomically(output, render(extracted))
    except ExtractionError as exc:
        print(f"extract_spec: error: {exc}", file=sys.stderr)
        return 1
    if previous is not None:
        print(spec_changes.render(spec_changes.compare(previous, extracted), str(output)), end="")
    return 0


def previous_document(output: Path) -> dict[str, Any] | None:
    """The document about to be replaced, or None when there is none to compare with."""
    if not output.exists():
        return None
    try:
        return load_document(output)
    except ExtractionError as exc:
        print(f"extract_spec: warning: cannot compare with the previous output: {exc}", file=sys.stderr)
        return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
