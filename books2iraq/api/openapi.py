"""The OpenAPI 3.1 document, generated from the route registry and the pydantic models."""
from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from flask import Response, current_app, json
from pydantic import TypeAdapter

from books2iraq.api.routing import OPERATIONS, PDF, Operation
from books2iraq.api.schemas import MAX_ID, ErrorOut

REF = "#/components/schemas/{model}"
FLOW = ("sites", "donations", "lots", "crates", "shipments", "documents", "stats")  # the document follows a book
JSON = "application/json"
ERRORS = {
    400: ("InvalidRequest", "The body or the query is not the right shape; `details` names each field."),
    401: ("Unauthorized", "No token, or a token that is unknown, revoked, or whose user is deactivated."),
    403: ("Forbidden", "The token's user does not have the role this call needs."),
    404: ("NotFound", "Nothing has the reference or number in the address."),
    409: ("Conflict", "The thing is not in a state that allows this (for example a sealed crate); the message says why."),
    422: ("Refused", "A rule refused the call (for example a bad ISBN or too few copies); the message says why."),
}
INTRO = """The JSON API of books2iraq, for scanners, spreadsheets and partners.

Every call but this document needs a token of a user: `Authorization: Bearer b2i_…` (an admin creates one
with `flask --app wsgi create-token EMAIL`). Roles are cumulative (admin ⊇ coordinator ⊇ warehouse ⊇ volunteer);
each call names the role it needs in `x-role`. A call that changes something is one transaction: it is
recorded whole, with its audit trail, or not at all. Errors are `{"error": {"code", "message", "details"?}}`."""


@cache
def document() -> dict[str, Any]:
    operations = sorted(OPERATIONS, key=lambda op: FLOW.index(op.tag) if op.tag in FLOW else len(FLOW))
    inputs: list[tuple[tuple[str, str], Any, TypeAdapter[Any]]] = [
        (("error", "out"), "serialization", TypeAdapter(ErrorOut))
    ]
    for op in operations:
        parts = ((op.body, "body", "validation"), (op.query, "query", "validation"), (op.response, "out", "serialization"))
        inputs += [((op.endpoint, kind), mode, TypeAdapter(part)) for part, kind, mode in parts if part is not None]
    generated, top = TypeAdapter.json_schemas(inputs, ref_template=REF)
    schemas = top.get("$defs", {})
    refs = {key: schema for (key, _mode), schema in generated.items()}

    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(_path(op), {})[op.method.lower()] = _operation(op, refs, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "books2iraq API", "version": "1.0.0", "description": INTRO},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": tag} for tag in dict.fromkeys(op.tag for op in operations)],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                name: {"description": text, "content": {JSON: {"schema": refs[("error", "out")]}}}
                | ({"headers": {"WWW-Authenticate": {"schema": {"type": "string"}}}} if status == 401 else {})
                for status, (name, text) in ERRORS.items()
            },
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "description": "A per-user API token (b2i_…)."}
            },
        },
    }


def _path(op: Operation) -> str:
    path = op.rule
    for name, converter in op.path_parameters:
        path = path.replace(f"<{converter}:{name}>" if converter else f"<{name}>", f"{{{name}}}")
    return path


def _operation(op: Operation, refs: dict[tuple[str, str], Any], schemas: dict[str, Any]) -> dict[str, Any]:
    description = f"{op.description}\n\n" if op.description else ""
    operation: dict[str, Any] = {
        "operationId": op.endpoint,
        "summary": op.summary,
        "description": f"{description}Needs the {op.role.value} role (or a role above it).",
        "tags": [op.tag],
        "x-role": op.role.value,
        "parameters": [_path_parameter(op, name, converter) for name, converter in op.path_parameters],
    }
    if op.query is not None:
        model = _resolve(refs[(op.endpoint, "query")], schemas)
        operation["parameters"] += [
            {"name": name, "in": "query", "required": name in model.get("required", ()), "schema": _not_null(schema)}
            for name, schema in model["properties"].items()
        ]
    if op.body is not None:
        operation["requestBody"] = {"required": True, "content": {JSON: {"schema": refs[(op.endpoint, "body")]}}}
    def content(status: int) -> dict[str, Any]:
        return {PDF: {}} if op.response is None or status == op.pdf_status else {JSON: {"schema": refs[(op.endpoint, "out")]}}

    operation["responses"] = {
        **{str(status): {"description": _success(op, status), "content": content(status)} for status in op.statuses},
        **{str(status): {"$ref": f"#/components/responses/{ERRORS[status][0]}"} for status in op.error_statuses},
    }
    return operation


def _success(op: Operation, status: int) -> str:
    if op.response is None or status == op.pdf_status:
        return "The PDF."
    if status == 202:
        return "Accepted: the job that draws it, also at the Location given."
    if status == 201:
        return "Created."
    return "Already recorded; nothing new was created." if 201 in op.statuses else "OK."


def _path_parameter(op: Operation, name: str, converter: str | None) -> dict[str, Any]:
    schema = (
        {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        if converter == "int"
        else {"type": "string", "pattern": "^[A-Za-z0-9-]+$", "maxLength": 32}
    )
    parameter = {"name": name, "in": "path", "required": True, "schema": schema}
    example = _examples().get(op.rule.split("/")[1])
    return parameter | ({"example": example} if example is not None else {})


def _examples() -> dict[str, str | int]:
    """What the references in addresses look like, by the resource they name."""
    year = date.today().year
    return {"donations": f"D-{year}-000001", "lots": 1, "crates": "B2I-C-000001", "shipments": f"S-{year}-001"}


def _resolve(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    return schemas[schema["$ref"].rpartition("/")[2]] if "$ref" in schema else schema


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is left out rather than sent as null."""
    schema = {k: v for k, v in schema.items() if k not in ("default", "title") or v is not None}
    options = [s for s in schema.pop("anyOf", []) if s.get("type") != "null"]
    return (options[0] | schema) if len(options) == 1 else schema | ({"anyOf": options} if options else {})


def openapi_json() -> Response:
    return current_app.response_class(json.dumps(document()), mimetype=JSON)
