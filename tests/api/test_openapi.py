"""The OpenAPI document: public, valid OpenAPI 3.1, made from the routes themselves, and true of the API."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from books2iraq import create_app
from books2iraq.api.routing import OPERATIONS
from books2iraq.auth import services as user_services
from books2iraq.auth import tokens as api_tokens
from books2iraq.auth.roles import Role
from books2iraq.extensions import db


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")  # no token
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi_3_1(document):
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "A per-user API token (b2i_…)."
    }
    assert document["security"] == [{"bearerAuth": []}]


def test_every_route_is_documented_with_its_role_and_answers(app, document):
    documented = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    served = {
        (method, rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace("<", "{").replace(">", "}"))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == served and len(documented) == len(OPERATIONS)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation["x-role"] in {r.value for r in Role}, (method, path)
            assert {"401", "403"} <= set(operation["responses"]), (method, path)
            if "requestBody" in operation:
                assert "400" in operation["responses"], (method, path)


def test_request_bodies_are_strict_and_closed(document):
    schemas = document["components"]["schemas"]
    bodies = [name for name in schemas if name.endswith("In")]
    assert {"DonationIn", "LineIn", "DonorIn", "AcceptIn", "RejectIn", "PackIn", "SealIn", "NewShipmentIn", "StatusIn"} <= set(bodies)
    assert all(schemas[name]["additionalProperties"] is False for name in bodies)
    line = schemas["LineIn"]["properties"]
    assert line["quantity"]["minimum"] == 1 and line["description"]["anyOf"][0]["maxLength"] == 500
    sort = document["paths"]["/lots/{lot_id}/sort"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert sort["discriminator"]["propertyName"] == "action"


def test_the_document_follows_the_registry(app, monkeypatch):
    """Adding a route to the registry adds it to the document: nothing is written twice."""
    from books2iraq.api import openapi

    [show_lot] = [op for op in OPERATIONS if op.endpoint == "show_lot"]
    monkeypatch.setattr(openapi, "OPERATIONS", [show_lot])
    openapi.document.cache_clear()
    try:
        only = openapi.document()
    finally:
        openapi.document.cache_clear()
    assert list(only["paths"]) == ["/lots/{lot_id}"]
    assert only["paths"]["/lots/{lot_id}"]["get"]["parameters"][0]["schema"]["type"] == "integer"


@pytest.fixture
def fuzzed_api(demo_url):
    """The demo operation (shared by this module's fuzzing), an admin token, and the API's schema
    loaded from the app itself."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": demo_url})
    with app.app_context():
        _, token = api_tokens.create_token(user_services.find_by_email("admin@example.org"), "fuzzing", actor=None)
        db.session.commit()
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash must come back as the 500 the checks look for
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    schema.config.headers = {"Authorization": f"Bearer {token}"}
    yield schema
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


fuzzed = schemathesis.pytest.from_fixture("fuzzed_api")


@pytest.mark.slow
@fuzzed.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_fuzzing_finds_no_server_error_and_no_undocumented_answer(case):
    case.call_and_validate(
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    )
