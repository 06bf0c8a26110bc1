"""What changed between two OpenAPI documents, as a caller of the API sees it.

Usage: python scripts/spec_changes.py OLD NEW

``compare(old, new)`` returns one ``Change`` per difference, sorted by operation; ``render``
turns them into lines for a terminal, grouped under each operation, and gives "" when
nothing changed. ``scripts/extract_spec.py`` prints the report after each extraction.

Compared per operation (method and path): its operationId, its parameters, the properties
of its JSON request body and of each JSON response (``$ref`` followed; nested properties
by dotted path, array items as ``[]``, additional properties as ``*``), its documented
statuses, and for each of those its type, whether it is required and its enum values.
Descriptions and examples are not compared.

A change is BREAKING when code written against the old document can fail against the new
one: a removed operation, parameter or property; a changed type (unless it only widens
what a request accepts or only narrows what a response holds); a new required parameter
or request property; a request parameter or property that became required; a response
property that became optional; a removed request enum value; a removed success status; a
renamed operationId or response schema (the generated names follow them). A new response
enum value is not breaking, nor a removed one: response enums are open in the client.

An added or removed property is one line: its nested properties come and go with it. An
added operation is listed with what its caller passes and what it may answer (parameters,
request body and its top-level properties, statuses); its response models are generated.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PARAMETER_LOCATIONS = ("path", "query", "header", "cookie")
SECTIONS = ("operation", "parameter", "request", "status", "response")

Section = Literal["operation", "parameter", "request", "status", "response"]
Kind = Literal["added", "removed", "changed"]
FieldPath = tuple[str, ...]
FieldKey = tuple[Section, str, FieldPath]  # section, parameter location or status, path
OPERATION: FieldKey = ("operation", "", ())
SIGNS: dict[Kind, str] = {"added": "+", "removed": "-", "changed": "~"}
ITEMS, EXTRA = "[]", "*"


@dataclass(frozen=True)
class Change:
    """One difference between two documents, in one operation."""

    endpoint: tuple[str, str]  # method, path
    operation_id: str
    where: FieldKey  # for a parameter the path starts with its name; () is a body itself
    kind: Kind
    detail: str = ""
    breaking: bool = False

    @property
    def operation(self) -> str:
        method, path = self.endpoint
        return f"{method.upper()} {path}"

    @property
    def subject(self) -> str:
        section, qualifier, path = self.where
        dotted = _dotted(path)
        if section == "parameter":
            return f"{qualifier} parameter {dotted}"
        if section == "request":
            return f"request property {dotted}" if dotted else "request body"
        if section == "response":
            return f"response {qualifier} " + (f"property {dotted}" if dotted else "body")
        if section == "status":
            return f"status {qualifier}"
        return "operation"

    def line(self) -> str:
        marker = "BREAKING " if self.breaking else ""
        text = f"{self.subject}: {self.detail}" if self.detail else self.subject
        return f"{SIGNS[self.kind]} {marker}{text}"


@dataclass(frozen=True)
class Field:
    """What a parameter, body or property is: its types, whether required, its enum."""

    types: frozenset[str]
    required: bool | None  # None for array items and additional properties
    enum: frozenset[str] | None  # JSON-encoded values; None when any value of the type goes

    def describe(self) -> str:
        parts = [_types_text(self.types)]
        if self.required is not None:
            parts.append("required" if self.required else "optional")
        if self.enum is not None:
            parts.append("enum: " + ", ".join(sorted(self.enum)))
        return ", ".join(parts)


@dataclass(frozen=True)
class Operation:
    """The parts of one operation that callers depend on."""

    operation_id: str
    fields: dict[FieldKey, Field]
    statuses: dict[str, str]  # status -> name of its response schema ("" when inline or none)


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every change from old to new, sorted by operation, then section and field."""
    old_operations, new_operations = operations(old), operations(new)
    changes: list[Change] = []
    for key in old_operations.keys() | new_operations.keys():
        before, after = old_operations.get(key), new_operations.get(key)
        if before is None and after is not None:
            changes.extend(_added_operation(key, after))
        elif after is None and before is not None:
            changes.append(Change(key, before.operation_id, OPERATION, "removed", breaking=True))
        elif before is not None and after is not None:
            changes.extend(_operation_changes(key, before, after))
    return sorted(changes, key=_sort_key)


def render(changes: Iterable[Change], title: str) -> str:
    """The report for a terminal, one change per line; "" when there is none."""
    changes = sorted(changes, key=_sort_key)
    if not changes:
        return ""
    breaking = sum(change.breaking for change in changes)
    counted = f"{len(changes)} change{'s' if len(changes) != 1 else ''}"
    lines = [f"{title}: {counted}, " + (f"{breaking} BREAKING" if breaking else "none breaking")]
    heading = ""
    for change in changes:
        operation = f"{change.operation} ({change.operation_id})"
        if operation != heading:
            heading = operation
            lines.append(heading)
        lines.append("  " + change.line())
    return "\n".join(lines) + "\n"


def operations(document: Mapping[str, Any]) -> dict[tuple[str, str], Operation]:
    """Each operation of the document, by (method, path)."""
    found: dict[tuple[str, str], Operation] = {}
    for path, raw in _mapping(document.get("paths")).items():
        item = _resolve(document, raw)
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                found[(method, str(path))] = _operation(document, item, operation)
    return found


def _operation(document: Mapping[str, Any], item: dict[str, Any], operation: dict[str, Any]) -> Operation:
    fields: dict[FieldKey, Field] = {}
    parameters: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*_list(item.get("parameters")), *_list(operation.get("parameters"))]:
        parameter = _resolve(document, raw)
        if "name" in parameter and "in" in parameter:
            parameters[(str(parameter["in"]), str(parameter["name"]))] = parameter
    for (location, name), parameter in parameters.items():
        required = bool(parameter.get("required")) or location == "path"
        schema = parameter.get("schema", _content_schema(document, parameter))
        _flatten(document, schema, required, ("parameter", location, (name,)), fields)

    if "requestBody" in operation:
        body = _resolve(document, operation["requestBody"])
        schema = _content_schema(document, body)
        _flatten(document, schema, bool(body.get("required")), ("request", "", ()), fields)

    statuses: dict[str, str] = {}
    for status, raw in _mapping(operation.get("responses")).items():
        response = _resolve(document, raw)
        schema = _content_schema(document, response)
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        statuses[str(status)] = ref.rsplit("/", 1)[-1] if isinstance(ref, str) else ""
        if schema is not None:
            _flatten(document, schema, None, ("response", str(status), ()), fields)
    return Operation(str(operation.get("operationId", "")), fields, statuses)


def _added_operation(key: tuple[str, str], operation: Operation) -> list[Change]:
    operation_id = operation.operation_id
    changes = [Change(key, operation_id, OPERATION, "added")]
    for where, value in operation.fields.items():
        section, _, path = where
        if (section == "parameter" and len(path) == 1) or (section == "request" and len(path) <= 1):
            changes.append(Change(key, operation_id, where, "added", value.describe()))
    for status, schema in operation.statuses.items():
        changes.append(Change(key, operation_id, ("status", status, ()), "added", schema))
    return changes


def _operation_changes(key: tuple[str, str], old: Operation, new: Operation) -> list[Change]:
    changes: list[Change] = []

    def add(where: FieldKey, kind: Kind, detail: str, breaking: bool) -> None:
        changes.append(Change(key, new.operation_id, where, kind, detail, breaking))

    if old.operation_id != new.operation_id:
        add(OPERATION, "changed", f"operationId {old.operation_id} -> {new.operation_id}", True)

    for status in old.statuses.keys() | new.statuses.keys():
        where: FieldKey = ("status", status, ())
        if status not in old.statuses:
            add(where, "added", new.statuses[status], False)
        elif status not in new.statuses:
            add(where, "removed", old.statuses[status], status.startswith("2"))
        elif old.statuses[status] != new.statuses[status]:
            renamed = f"schema {old.statuses[status] or 'inline'} -> {new.statuses[status] or 'inline'}"
            add(where, "changed", renamed, True)

    for where in old.fields.keys() | new.fields.keys():
        before, after = old.fields.get(where), new.fields.get(where)
        request_side = where[0] != "response"
        if after is not None and before is None:
            if not _covered(where, new, old):
                add(where, "added", after.describe(), request_side and bool(after.required))
        elif before is not None and after is None:
            if not _covered(where, old, new):
                add(where, "removed", before.describe(), True)
        elif before is not None and after is not None:
            for kind, detail, breaking in _field_changes(before, after, request_side):
                add(where, kind, detail, breaking)
    return changes


def _covered(key: FieldKey, present: Operation, absent: Operation) -> bool:
    """Whether the change to this field is already told by a parent or status that came or went."""
    section, qualifier, path = key
    if section == "response" and qualifier not in absent.statuses:
        return True
    for depth in range(1 if section == "parameter" else 0, len(path)):
        parent = (section, qualifier, path[:depth])
        if parent in present.fields and parent not in absent.fields:
            return True
    return False


def _field_changes(old: Field, new: Field, request_side: bool) -> list[tuple[Kind, str, bool]]:
    found: list[tuple[Kind, str, bool]] = []
    if old.types != new.types:
        # A request may accept more than before, a response may hold less; nothing else is safe.
        safe = _types_cover(new.types, old.types) if request_side else _types_cover(old.types, new.types)
        found.append(("changed", f"type {_types_text(old.types)} -> {_types_text(new.types)}", not safe))
    if old.required is not None and new.required is not None and old.required != new.required:
        flip = "optional -> required" if new.required else "required -> optional"
        found.append(("changed", flip, new.required if request_side else old.required))
    if old.enum is not None and new.enum is not None:
        found.extend(("added", f"enum value {value}", False) for value in new.enum - old.enum)
        found.extend(("removed", f"enum value {value}", request_side) for value in old.enum - new.enum)
    elif old.enum is None and new.enum is not None:
        found.append(("changed", "now limited to enum: " + ", ".join(sorted(new.enum)), request_side))
    elif old.enum is not None and new.enum is None:
        found.append(("changed", "no longer limited to an enum", False))
    return found


def _types_cover(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    if not wide:  # no type stated: any value
        return True
    return bool(narrow) and all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _flatten(
    document: Mapping[str, Any],
    schema: Any,
    required: bool | None,
    key: FieldKey,
    out: dict[FieldKey, Field],
    *,
    expanding: frozenset[str] = frozenset(),
) -> None:
    """Record the field at key and, below it, every nested property, item and extra property."""
    shape = _shape(document, schema, expanding)
    section, qualifier, path = key
    out[key] = Field(frozenset(shape.types), required, shape.enum)
    if shape.cycle:
        return
    for name, child in sorted(shape.properties.items()):
        child_key: FieldKey = (section, qualifier, (*path, name))
        _flatten(document, child, name in shape.required, child_key, out, expanding=shape.expanding)
    for segment, schemas in ((ITEMS, shape.items), (EXTRA, shape.extra)):
        if schemas:
            child = schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
            _flatten(
                document, child, None, (section, qualifier, (*path, segment)), out, expanding=shape.expanding
            )


@dataclass
class _Shape:
    """A schema with its $refs, allOf, anyOf and oneOf folded into one level."""

    expanding: frozenset[str]  # the $refs followed to get here, to stop at a recursive one
    types: set[str] = field(default_factory=set)
    enum: frozenset[str] | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    items: list[Any] = field(default_factory=list)
    extra: list[Any] = field(default_factory=list)
    cycle: bool = False


def _shape(document: Mapping[str, Any], schema: Any, expanding: frozenset[str]) -> _Shape:
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        ref = schema["$ref"]
        if ref in expanding:
            return _Shape(expanding, types={f"recursive {ref.rsplit('/', 1)[-1]}"}, cycle=True)
        expanding = expanding | {ref}
        target = _pointer(document, ref)
        if target is None:
            return _Shape(expanding, types={f"unresolved {ref}"}, cycle=True)
        schema = target
    shape = _Shape(expanding)
    if not isinstance(schema, dict):
        return shape

    shape.types = _own_types(schema)
    if "enum" in schema or "const" in schema:
        values = _list(schema["enum"]) if "enum" in schema else [schema["const"]]
        shape.enum = frozenset(json.dumps(value, sort_keys=True) for value in values)
    shape.properties = dict(_mapping(schema.get("properties")))
    shape.required = {name for name in _list(schema.get("required")) if isinstance(name, str)}
    if isinstance(schema.get("items"), dict):
        shape.items.append(schema["items"])
    if isinstance(schema.get("additionalProperties"), dict) and schema["additionalProperties"]:
        shape.extra.append(schema["additionalProperties"])

    for member in _list(schema.get("allOf")):
        _merge(shape, _shape(document, member, expanding), every=True)
    alternatives = [_shape(document, member, expanding) for member in _list(schema.get("anyOf"))]
    alternatives += [_shape(document, member, expanding) for member in _list(schema.get("oneOf"))]
    if alternatives:
        _merge_alternatives(shape, alternatives)

    if not shape.types and shape.properties:
        shape.types.add("object")
    if not shape.types and shape.items:
        shape.types.add("array")
    return shape


def _own_types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type")
    names = [declared] if isinstance(declared, str) else [t for t in _list(declared) if isinstance(t, str)]
    types = set(names)
    if schema.get("nullable") is True:
        types.add("null")
    # A string's format is part of its type: date, date-time and uuid become other Python types.
    if isinstance(schema.get("format"), str) and "string" in types:
        types = (types - {"string"}) | {f"string({schema['format']})"}
    return types


def _merge(shape: _Shape, member: _Shape, every: bool) -> None:
    shape.expanding |= member.expanding
    shape.types |= member.types
    if member.enum is not None:
        shape.enum = member.enum if shape.enum is None else shape.enum & member.enum
    for name, schema in member.properties.items():
        shape.properties.setdefault(name, schema)
    if every:
        shape.required |= member.required
    shape.items.extend(member.items)
    shape.extra.extend(member.extra)
    shape.cycle = shape.cycle or member.cycle


def _merge_alternatives(shape: _Shape, alternatives: list[_Shape]) -> None:
    """anyOf/oneOf: any member's types and properties; required only where every object requires it."""
    objects = [member for member in alternatives if member.properties]
    values = [member for member in alternatives if member.types != {"null"}]
    closed = bool(values) and all(member.enum is not None for member in values)
    own_enum = shape.enum
    for member in alternatives:
        _merge(shape, member, every=False)
    shape.enum = own_enum
    if closed:
        enum = frozenset(value for member in values for value in member.enum or ())
        shape.enum = enum if own_enum is None else own_enum & enum
    if objects:
        shape.required |= set.intersection(*(member.required for member in objects))


def _content_schema(document: Mapping[str, Any], holder: Mapping[str, Any]) -> Any:
    content = _mapping(holder.get("content"))
    media = next((name for name in content if "json" in str(name)), next(iter(content), None))
    return _mapping(content.get(media)).get("schema") if media is not None else None


def _resolve(document: Mapping[str, Any], node: Any) -> dict[str, Any]:
    """A parameter, body, response or path item, through its $ref if it has one."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen.add(node["$ref"])
        node = _pointer(document, node["$ref"])
    return node if isinstance(node, dict) else {}


def _pointer(document: Mapping[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        return None
    node: Any = document
    for escaped in ref[2:].split("/"):
        part = escaped.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _mapping(node: Any) -> dict[str, Any]:
    return node if isinstance(node, dict) else {}


def _list(node: Any) -> list[Any]:
    return node if isinstance(node, list) else []


def _types_text(types: frozenset[str]) -> str:
    return " | ".join(sorted(types, key=lambda t: (t == "null", t))) or "any type"


def _dotted(path: FieldPath) -> str:
    text = ""
    for segment in path:
        text += segment if segment == ITEMS or not text else f".{segment}"
    return text


def _sort_key(change: Change) -> tuple[Any, ...]:
    method, path = change.endpoint
    section, qualifier, field_path = change.where
    locations = PARAMETER_LOCATIONS
    location = locations.index(qualifier) if qualifier in locations else len(locations)
    kind = ("removed", "changed", "added").index(change.kind)
    return (
        path,
        HTTP_METHODS.index(method),
        SECTIONS.index(section),
        location,
        qualifier,
        field_path,
        kind,
        change.detail,
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: spec_changes.py OLD NEW", file=sys.stderr)
        return 2
    from extract_spec import ExtractionError, load_document

    try:
        old, new = (load_document(Path(name)) for name in argv)
    except ExtractionError as exc:
        print(f"spec_changes: error: {exc}", file=sys.stderr)
        return 1
    print(render(compare(old, new), f"{argv[0]} -> {argv[1]}"), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
