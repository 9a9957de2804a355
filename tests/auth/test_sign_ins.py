"""Sign-ins live on the server: signing out, a new password, deactivation and an admin's "sign out
everywhere" end the sessions and "keep me signed in" cookies issued before them."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from books2iraq.auth import services as user_services
from books2iraq.auth.roles import Role
from books2iraq.auth.sign_ins import SignIn
from books2iraq.db import utcnow
from books2iraq.extensions import db
from tests.conftest import PASSWORD, AuthActions, csrf_from

COOKIES = ("session", "remember_token")


def signed_in_client(app: Flask, users_by_role, role: Role, *, remember: bool = True) -> FlaskClient:
    client = app.test_client()
    token_page = client.get("/auth/login").get_data(as_text=True)
    data = {"email": users_by_role[role], "password": PASSWORD, "csrf_token": csrf_from(token_page)}
    if remember:
        data["remember"] = "y"
    assert client.post("/auth/login", data=data).status_code == 302
    return client


def cookies_of(client: FlaskClient) -> dict[str, str]:
    return {name: cookie.value for name in COOKIES if (cookie := client.get_cookie(name)) is not None}


def client_with(app: Flask, cookies: dict[str, str]) -> FlaskClient:
    """A new browser that presents these cookies (as someone who copied them would)."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def is_signed_in(client: FlaskClient) -> bool:
    response = client.get("/")
    return response.status_code == 200


def test_signing_out_ends_the_session_and_the_remember_cookie_issued_before(app, users):
    client = signed_in_client(app, users, Role.VOLUNTEER)
    copied = cookies_of(client)
    assert set(copied) == set(COOKIES)
    assert AuthActions(client, users).logout().status_code == 302
    assert not is_signed_in(client_with(app, copied))
    assert not is_signed_in(client_with(app, {"remember_token": copied["remember_token"]}))


def test_each_sign_in_has_its_own_remember_cookie_and_ending_one_leaves_the_other(app, users):
    phone, desk = signed_in_client(app, users, Role.VOLUNTEER), signed_in_client(app, users, Role.VOLUNTEER)
    assert cookies_of(phone)["remember_token"] != cookies_of(desk)["remember_token"]
    AuthActions(phone, users).logout()
    assert not is_signed_in(phone) and is_signed_in(desk)


def test_a_password_reset_deactivation_or_reactivation_signs_the_user_out_everywhere(app, users):
    for change in (
        lambda user, admin: user_services.reset_password(user, "a brand new long password", actor=admin),
        lambda user, admin: user_services.set_active(user, False, actor=admin),
        lambda user, admin: (user_services.set_active(user, False, actor=admin), user_services.set_active(user, True, actor=admin)),
        lambda user, admin: user_services.sign_out_everywhere(user, actor=admin),
    ):
        client = signed_in_client(app, users, Role.WAREHOUSE)
        remembered = {"remember_token": cookies_of(client)["remember_token"]}
        with app.app_context():
            change(user_services.find_by_email(users[Role.WAREHOUSE]), user_services.find_by_email(users[Role.ADMIN]))
            db.session.commit()
        assert not is_signed_in(client) and not is_signed_in(client_with(app, remembered))
        with app.app_context():
            user = user_services.find_by_email(users[Role.WAREHOUSE])
            if not user.active:
                user_services.set_active(user, True, actor=None)
            user.set_password(PASSWORD)
            db.session.commit()


def test_an_expired_sign_in_is_refused_by_the_server_whatever_the_cookie_says(app, users):
    client = signed_in_client(app, users, Role.VOLUNTEER)
    with app.app_context():
        db.session.execute(sa.update(SignIn).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert not is_signed_in(client)


def test_changing_ones_own_password_signs_out_the_other_devices_only(app, users):
    here, elsewhere = signed_in_client(app, users, Role.VOLUNTEER), signed_in_client(app, users, Role.VOLUNTEER)
    auth = AuthActions(here, users)
    wrong = auth.post("/auth/password", {"current": "not it", "new": "x" * 20, "repeat": "x" * 20})
    assert wrong.status_code == 422 and "The current password is not right" in wrong.get_data(as_text=True)
    changed = auth.post("/auth/password", {"current": PASSWORD, "new": "a new passphrase of mine", "repeat": "a new passphrase of mine"})
    assert changed.status_code == 302
    assert is_signed_in(here) and not is_signed_in(elsewhere)
    with app.app_context():
        user = user_services.find_by_email(users[Role.VOLUNTEER])
        assert user.check_password("a new passphrase of mine")


def test_the_admin_signs_a_user_out_everywhere_from_the_users_page(app, users):
    victim = signed_in_client(app, users, Role.COORDINATOR)
    admin = signed_in_client(app, users, Role.ADMIN)
    with app.app_context():
        user_id = user_services.find_by_email(users[Role.COORDINATOR]).id
    page = f"/admin/users/{user_id}"
    assert "Sign out on every device (1 open)" in admin.get(page).get_data(as_text=True)
    response = AuthActions(admin, users).post(f"{page}/sign-out", page=page)
    assert response.status_code == 302 and not is_signed_in(victim) and is_signed_in(admin)


def test_a_session_brought_back_by_the_remember_cookie_must_sign_in_again_to_change_passwords_or_roles(app, users):
    admin = signed_in_client(app, users, Role.ADMIN)
    remembered = client_with(app, {"remember_token": cookies_of(admin)["remember_token"]})
    assert is_signed_in(remembered)  # reading goes on
    for url in ("/auth/password", "/admin/users/1"):
        response = remembered.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login"), url
    assert "Please sign in again to do that." in remembered.get("/auth/login").get_data(as_text=True)


def test_cookies_and_caching_of_signed_in_pages(app, users):
    client = signed_in_client(app, users, Role.VOLUNTEER)
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert "no-store" not in (app.test_client().get("/auth/login").headers.get("Cache-Control") or "")
    login = app.test_client()
    page = login.get("/auth/login").get_data(as_text=True)
    answer = login.post(
        "/auth/login", data={"email": users[Role.VOLUNTEER], "password": PASSWORD, "remember": "y", "csrf_token": csrf_from(page)}
    )
    remember = next(h for h in answer.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
    assert "SameSite=Lax" in remember and "HttpOnly" in remember


def test_production_cookies_are_bound_to_the_host_over_https(monkeypatch):
    import importlib

    import config

    monkeypatch.delenv("B2I_INSECURE_COOKIES", raising=False)
    try:
        production = importlib.reload(config).ProductionConfig
        assert (production.SESSION_COOKIE_NAME, production.REMEMBER_COOKIE_NAME) == ("__Host-session", "__Host-remember")
        assert production.SESSION_COOKIE_SECURE and production.REMEMBER_COOKIE_SECURE
    finally:
        monkeypatch.undo()
        importlib.reload(config)


def test_failed_sign_ins_are_audited_and_an_account_is_shut_after_a_hundred_in_an_hour(app, users):
    from books2iraq.audit import AuditEvent

    client = app.test_client()

    def sign_in(email: str, password: str):
        page = client.get("/auth/login").get_data(as_text=True)
        return client.post("/auth/login", data={"email": email, "password": password, "csrf_token": csrf_from(page)})

    assert sign_in(users[Role.VOLUNTEER], "wrong password!").status_code == 401
    assert sign_in("Nobody@Example.org", "wrong password!").status_code == 401
    with app.app_context():
        failed = db.session.execute(
            sa.select(AuditEvent.subject_type, AuditEvent.subject_ref).where(AuditEvent.action == "user.sign_in_failed")
        ).all()
        assert failed == [("User", users[Role.VOLUNTEER]), ("SignInAttempt", "nobody@example.org")]
        user = user_services.find_by_email(users[Role.VOLUNTEER])
        for _ in range(98):  # 99 in the last hour: one more try is still allowed
            db.session.add(AuditEvent(action="user.sign_in_failed", subject_type="User", subject_id=user.id, subject_ref=user.email))
        db.session.add(AuditEvent(action="user.sign_in_failed", subject_type="User", subject_id=user.id,
                                  subject_ref=user.email, at=utcnow() - timedelta(hours=2)))  # too old to count
        db.session.commit()
    assert sign_in(users[Role.VOLUNTEER], "wrong password!").status_code == 401  # the 100th
    shut = sign_in(users[Role.VOLUNTEER], PASSWORD)  # even the right password, now
    assert shut.status_code == 429 and "Too many failed sign-ins for this account" in shut.get_data(as_text=True)
    assert sign_in(users[Role.WAREHOUSE], PASSWORD).status_code == 302  # other accounts are not affected


def test_an_address_with_fifty_failed_sign_ins_in_an_hour_is_refused_whatever_the_account(app, users):
    from books2iraq.audit import AuditEvent

    def sign_in(address: str, email: str, password: str):
        client = app.test_client()
        page = client.get("/auth/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True)
        data = {"email": email, "password": password, "csrf_token": csrf_from(page)}
        return client.post("/auth/login", data=data, environ_base={"REMOTE_ADDR": address})

    for n in range(49):  # many accounts tried from one address; one of them recorded through the page
        if n == 0:
            assert sign_in("203.0.113.9", users[Role.VOLUNTEER], "wrong password!").status_code == 401
        else:
            with app.app_context():
                db.session.add(AuditEvent(action="user.sign_in_failed", subject_type="SignInAttempt",
                                          subject_ref=f"guess{n}@example.org", detail={"address": "203.0.113.9"}))
                db.session.commit()
    assert sign_in("203.0.113.9", "guess-last@example.org", "wrong password!").status_code == 401  # the 50th
    refused = sign_in("203.0.113.9", users[Role.WAREHOUSE], PASSWORD)
    assert refused.status_code == 429 and "Too many failed sign-ins from this device" in refused.get_data(as_text=True)
    assert sign_in("198.51.100.7", users[Role.WAREHOUSE], PASSWORD).status_code == 302  # another device is not held
