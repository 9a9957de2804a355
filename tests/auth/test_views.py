from __future__ import annotations

import pytest
from flask import Blueprint

from books2iraq.audit import AuditEvent
from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from tests.conftest import csrf_from


def test_login_with_the_right_password_signs_in_and_is_audited(client, auth, app):
    response = auth.login(Role.VOLUNTEER)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Copies in the pipeline" in home.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="user.logged_in").count() == 1


def test_wrong_password_gets_a_clear_message_and_no_session(client, auth):
    response = auth.login(Role.VOLUNTEER, password="wrong password!")
    assert response.status_code == 401
    assert "do not match an active account" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_without_csrf_token_is_refused(client, users):
    response = client.post("/auth/login", data={"email": users[Role.ADMIN], "password": "x"})
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)


def test_login_never_redirects_off_site(client, users):
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    from tests.conftest import PASSWORD

    response = client.post(
        "/auth/login?next=//evil.example/x",
        data={"email": users[Role.VOLUNTEER], "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_logout_needs_post_with_csrf(client, auth):
    auth.login(Role.WAREHOUSE)
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout", data={}).status_code == 400
    assert client.get("/").status_code == 200  # still signed in
    auth.logout()
    assert client.get("/").status_code == 302


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


@pytest.fixture
def guarded(app):
    """A route per role, to prove role_required over the whole matrix."""
    bp = Blueprint("guarded", __name__)
    for role in Role:
        bp.add_url_rule(f"/guarded/{role.value}", f"only_{role.value}", role_required(role)(lambda: "ok"))
    app.register_blueprint(bp)
    return app


@pytest.mark.parametrize("user_role", list(Role))
def test_role_required_allows_exactly_the_roles_that_include_it(guarded, client, auth, user_role):
    auth.login(user_role)
    for required in Role:
        response = client.get(f"/guarded/{required.value}")
        expected = 200 if user_role.includes(required) else 403
        assert response.status_code == expected, (user_role, required)


def test_inactive_user_is_signed_out_on_the_next_request(client, auth, app, users):
    auth.login(Role.VOLUNTEER)
    with app.app_context():
        from books2iraq.auth.services import find_by_email

        find_by_email(users[Role.VOLUNTEER]).active = False
        db.session.commit()
    assert client.get("/").status_code == 302


def test_sign_in_attempts_are_rate_limited(db_url, users):
    from books2iraq import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"})
    client = app.test_client()
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    data = {"email": users[Role.ADMIN], "password": "wrong password!", "csrf_token": token}
    assert [client.post("/auth/login", data=data).status_code for _ in range(4)] == [401, 401, 401, 429]
    assert "Too many tries" in client.post("/auth/login", data=data).get_data(as_text=True)
    assert client.get("/auth/login").status_code == 200  # reading the page is not limited
