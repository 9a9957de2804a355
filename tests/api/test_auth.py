"""Who may call what: a bearer token of a user whose role includes the call's role, and nothing else."""
from __future__ import annotations

import pytest

from books2iraq.api.routing import OPERATIONS
from books2iraq.auth import services as user_services
from books2iraq.auth import tokens as api_tokens
from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from tests.api.conftest import error

ROLE_OF = {(op.method, op.rule): op.role for op in OPERATIONS}


def _url(rule: str) -> str:
    """The rule with every path parameter filled in (with something that does not exist)."""
    return (
        rule.replace("<int:lot_id>", "999999").replace("<code>", "B2I-C-999999").replace("<ref>", "X-1")
        .replace("<paper>", "manifest").replace("<int:revision>", "1").replace("<int:job_id>", "999999")
    )


def test_every_api_address_is_a_registered_operation(app):
    rules = {
        (method, rule.rule.removeprefix("/api/v1"))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert rules == set(ROLE_OF)


def test_the_roles_are_those_of_the_pages():
    expected = {
        Role.VOLUNTEER: {"/sites", "/donations", "/donations/<ref>", "/donations/<ref>/receipt.pdf"},
        Role.WAREHOUSE: {
            "/lots", "/lots/<int:lot_id>", "/lots/<int:lot_id>/sort", "/crates", "/crates/<code>", "/crates/<code>/lots",
            "/crates/<code>/seal", "/crates/<code>/label.pdf", "/crates/<code>/packing-list.pdf",
            "/shipments/<ref>/labels.pdf", "/shipments/<ref>/packing-list.pdf",
            "/jobs/<int:job_id>", "/jobs/<int:job_id>/pdf",  # a job's own document may need more (checked within)
        },
        Role.COORDINATOR: {
            "/donations/<ref>", "/donations/<ref>/lines", "/donations/<ref>/void",
            "/shipments", "/shipments/<ref>", "/shipments/<ref>/crates", "/shipments/<ref>/status",
            "/shipments/<ref>/manifest.pdf", "/shipments/<ref>/certificate-of-origin.pdf",
            "/shipments/<ref>/certificate-of-donation.pdf", "/shipments/<ref>/<paper>/<int:revision>.pdf",
            "/shipments/<ref>/papers/issue", "/stats",
        },
    }
    assert {role: {rule for (_, rule), r in ROLE_OF.items() if r is role} for role in expected} == expected


def test_role_matrix_over_every_call(api, tokens):
    for (method, rule), needed in ROLE_OF.items():
        url = _url(rule)
        status, code, _ = error(api.call(method, url, role=None, json={}))
        assert (status, code) == (401, "unauthorized"), (method, rule)
        assert api.call(method, url, role=None).headers["WWW-Authenticate"].startswith("Bearer")
        assert error(api.call(method, url, token="b2i_not-a-token"))[:2] == (401, "unauthorized"), (method, rule)
        for role in Role:
            response = api.call(method, url, role=role, json={})
            if role.includes(needed):
                assert response.status_code not in (401, 403, 500), (method, rule, role, response.get_json())
            else:
                status, code, message = error(response)
                assert (status, code) == (403, "forbidden"), (method, rule, role)
                assert message == f"This call needs the {needed.value} role; the token's user is {role.value}."


def test_the_session_cookie_of_the_pages_is_not_accepted(client, auth, api):
    auth.login(Role.ADMIN)
    assert client.get("/").status_code == 200  # signed in for the pages
    assert error(client.get("/api/v1/sites"))[:2] == (401, "unauthorized")
    assert error(client.post("/api/v1/crates", json={"site_id": 1}))[:2] == (401, "unauthorized")
    assert api.get("/sites").status_code == 200


def test_api_calls_set_no_cookie(api):
    for response in (api.get("/sites"), api.post("/crates", {"site_id": 999}), api.get("/sites", role=None)):
        assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("header", ["Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer   ", "b2i_x", "Token {token}"])
def test_only_a_bearer_token_authenticates(api, tokens, header):
    response = api.get("/sites", role=None, headers={"Authorization": header.format(token=tokens[Role.ADMIN])})
    assert error(response)[:2] == (401, "unauthorized")


def test_the_scheme_name_is_case_insensitive(api, tokens):
    assert api.get("/sites", role=None, headers={"Authorization": f"bearer {tokens[Role.VOLUNTEER]}"}).status_code == 200


def test_revoked_tokens_and_deactivated_users_are_refused(app, api, users):
    assert api.get("/sites", role=Role.VOLUNTEER).status_code == 200
    assert api.get("/sites", role=Role.WAREHOUSE).status_code == 200
    with app.app_context():
        admin, volunteer, warehouse = (user_services.find_by_email(users[r]) for r in (Role.ADMIN, Role.VOLUNTEER, Role.WAREHOUSE))
        [token] = api_tokens.tokens_of(volunteer)
        api_tokens.revoke_token(token, actor=admin)
        user_services.set_active(warehouse, False, actor=admin)
        db.session.commit()
    for role in (Role.VOLUNTEER, Role.WAREHOUSE):
        status, _, message = error(api.get("/sites", role=role))
        assert status == 401 and message == "This API token is unknown or revoked, or its user is deactivated."


def test_a_call_notes_when_its_token_was_last_used(app, api, users):
    with app.app_context():
        [token] = api_tokens.tokens_of(user_services.find_by_email(users[Role.WAREHOUSE]))
        assert token.last_used_at is None
    assert api.get("/lots/999999", role=Role.WAREHOUSE).status_code == 404  # kept even when the call fails
    with app.app_context():
        [token] = api_tokens.tokens_of(user_services.find_by_email(users[Role.WAREHOUSE]))
        assert token.last_used_at is not None
