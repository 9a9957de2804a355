"""Every signed-in user makes, lists and revokes their own API tokens on a page; tokens expire."""
from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from books2iraq.auth import services as user_services
from books2iraq.auth import tokens
from books2iraq.auth.roles import Role
from books2iraq.auth.tokens import ApiToken
from books2iraq.db import utcnow
from books2iraq.extensions import db

PAGE = "/auth/tokens"


def make(auth, name: str, days: str = "30"):
    response = auth.post(PAGE, {"name": name, "days": days})
    html = response.get_data(as_text=True)
    shown = re.search(r'<code class="token">(b2i_[^<]+)</code>', html)
    return response, html, shown.group(1) if shown else None


def api_status(client, token: str) -> int:
    return client.get("/api/v1/lots", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_user_makes_a_token_sees_it_once_and_it_works_until_its_date(app, client, auth, users):
    auth.login(Role.WAREHOUSE)
    response, html, token = make(auth, "scanner at Leeds")
    assert response.status_code == 201 and token is not None
    assert "Copy it now: it is shown only this once." in html
    assert api_status(client, token) == 200
    listing = client.get(PAGE).get_data(as_text=True)
    assert token not in listing and f"{token[:8]}…" in listing and "scanner at Leeds" in listing
    assert (date.today() + timedelta(days=30)).isoformat() in listing
    with app.app_context():
        [record] = db.session.scalars(sa.select(ApiToken)).all()
        record.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert api_status(client, token) == 401
    assert "expired" in client.get(PAGE).get_data(as_text=True)


def test_a_token_without_days_works_until_revoked_and_revoking_it_leaves_the_person_signed_in(app, client, auth, users):
    auth.login(Role.VOLUNTEER)
    _, _, token = make(auth, "spreadsheet", days="")
    assert "until revoked" in client.get(PAGE).get_data(as_text=True)
    with app.app_context():
        token_id = db.session.scalar(sa.select(ApiToken.id))
    response = auth.post(f"/auth/tokens/{token_id}/revoke", page=PAGE)
    assert response.status_code == 302
    assert api_status(client, token) == 401
    assert client.get("/").status_code == 200  # still signed in on the web
    assert "revoked" in client.get(PAGE).get_data(as_text=True)


def test_nobody_sees_or_revokes_anothers_tokens_and_bad_input_is_refused(app, client, auth, users):
    with app.app_context():
        other = user_services.find_by_email(users[Role.ADMIN])
        record, _ = tokens.create_token(other, "the admin's", actor=None)
        db.session.commit()
        token_id = record.id
    auth.login(Role.VOLUNTEER)
    assert "the admin" not in client.get(PAGE).get_data(as_text=True)
    assert auth.post_without_form(f"/auth/tokens/{token_id}/revoke", {}).status_code == 404
    for days in ("0", "2000", "ten"):
        response, _, token = make(auth, "bad", days=days)
        assert response.status_code == 200 and token is None, days
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 1
        assert db.session.get(ApiToken, token_id).revoked_at is None
