"""API tokens: only their hash is kept; revoked tokens and deactivated users are refused; audited."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from books2iraq import audit
from books2iraq.auth import services as user_services
from books2iraq.auth.roles import Role
from books2iraq.auth.tokens import (
    ApiToken,
    create_token,
    revoke_token,
    tokens_of,
    user_for_token,
)
from books2iraq.db import utcnow
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from tests.factories import UserFactory


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(ctx):
    admin, user = UserFactory(role=Role.ADMIN), UserFactory(role=Role.WAREHOUSE)
    token, plaintext = create_token(user, "  scanner at Leeds ", actor=admin)
    assert plaintext.startswith("b2i_") and len(plaintext) > 40
    assert token.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert token.prefix == plaintext[:8] and token.name == "scanner at Leeds"
    stored = db.session.execute(sa.select(ApiToken.__table__)).one()
    assert plaintext not in [str(value) for value in stored]
    [event] = audit.events_for(token)
    assert (event.action, event.actor) == ("api_token.created", admin)
    assert event.detail == {"user": user.email, "prefix": token.prefix, "expires_at": str(token.expires_at)}
    assert timedelta(days=364) < token.expires_at - utcnow() <= timedelta(days=365)  # a year unless told
    assert create_token(user, "another", actor=admin)[1] != plaintext
    assert [t.name for t in tokens_of(user)] == ["another", "scanner at Leeds"]


def test_a_token_finds_its_user_and_nothing_else_does(ctx):
    user = UserFactory()
    _, plaintext = create_token(user, "phone", actor=None)
    assert user_for_token(plaintext) is user
    for wrong in ("", plaintext[:-1], plaintext + "x", "b2i_" + "A" * 43, "x" * 10_000):
        assert user_for_token(wrong) is None


def test_revoked_tokens_and_deactivated_users_are_refused(ctx):
    admin, user = UserFactory(role=Role.ADMIN), UserFactory()
    revoked, revoked_text = create_token(user, "old", actor=admin)
    _, live_text = create_token(user, "new", actor=admin)
    revoke_token(revoked, actor=admin)
    assert user_for_token(revoked_text) is None and user_for_token(live_text) is user
    assert [e.action for e in audit.events_for(revoked)] == ["api_token.created", "api_token.revoked"]
    with pytest.raises(DomainError, match="already revoked"):
        revoke_token(revoked, actor=admin)
    user_services.set_active(user, False, actor=admin)
    assert user_for_token(live_text) is None
    with pytest.raises(DomainError, match="deactivated"):
        create_token(user, "one more", actor=admin)


@pytest.mark.parametrize(("name", "message"), [("  ", "Give the token a name"), ("x" * 121, "at most 120")])
def test_a_token_needs_a_short_name(ctx, name, message):
    with pytest.raises(DomainError, match=message):
        create_token(UserFactory(), name, actor=None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_the_last_use_is_noted_at_most_once_a_minute(ctx):
    token, plaintext = create_token(UserFactory(), "sheet", actor=None)
    assert token.last_used_at is None
    user_for_token(plaintext)
    first = token.last_used_at
    assert first is not None
    user_for_token(plaintext)
    assert token.last_used_at == first
    token.last_used_at = utcnow() - timedelta(minutes=2)
    db.session.commit()  # read back from the database (naive on SQLite)
    user_for_token(plaintext)
    assert token.last_used_at > utcnow() - timedelta(seconds=5)


def test_create_token_command_prints_a_working_token(app, runner, users):
    result = runner.invoke(args=["create-token", users[Role.WAREHOUSE], "--name", "scanner"])
    assert result.exit_code == 0, result.output
    plaintext = result.stdout.strip().splitlines()[-1]
    assert plaintext.startswith("b2i_")
    response = app.test_client().get("/api/v1/lots", headers={"Authorization": f"Bearer {plaintext}"})
    assert response.status_code == 200
    with app.app_context():
        [token] = db.session.scalars(sa.select(ApiToken)).all()
        assert (token.name, token.user.email, token.prefix) == ("scanner", users[Role.WAREHOUSE], plaintext[:8])

    result = runner.invoke(args=["create-token", "nobody@test.example"])
    assert result.exit_code == 1 and "There is no user with the e-mail address nobody@test.example" in result.output


def test_create_token_command_refuses_a_deactivated_user(app, runner, users):
    with app.app_context():
        user_services.set_active(user_services.find_by_email(users[Role.VOLUNTEER]), False, actor=None)
        db.session.commit()
    result = runner.invoke(args=["create-token", users[Role.VOLUNTEER]])
    assert result.exit_code == 1 and "is deactivated; reactivate the user before giving them a token." in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_a_token_is_listed_and_revoked_from_the_command_line_and_then_refused(app, runner, users):
    email = users[Role.WAREHOUSE]
    plaintext = runner.invoke(args=["create-token", email, "--name", "scanner at Leeds"]).stdout.strip().splitlines()[-1]
    runner.invoke(args=["create-token", email, "--name", "spreadsheet"])
    listed = runner.invoke(args=["tokens", email])
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.strip().splitlines()
    assert len(lines) == 2 and "spreadsheet" in lines[0] and "scanner at Leeds" in lines[1]
    assert lines[1].startswith(f"{plaintext[:8]}…") and "never used  live, expires " in lines[1]

    revoked = runner.invoke(args=["revoke-token", email, f"{plaintext[:8]}…"])
    assert revoked.exit_code == 0 and "“scanner at Leeds” of warehouse@test.example is revoked" in revoked.output
    assert app.test_client().get("/api/v1/lots", headers={"Authorization": f"Bearer {plaintext}"}).status_code == 401
    assert "revoked" in runner.invoke(args=["tokens", email]).stdout.strip().splitlines()[1]
    again = runner.invoke(args=["revoke-token", email, plaintext[:8]])
    assert again.exit_code == 1 and "is already revoked" in again.output
    assert runner.invoke(args=["revoke-token", email, "b2i_"]).exit_code == 1  # both tokens start so: say which
    with app.app_context():
        events = db.session.scalars(sa.select(audit.AuditEvent.action).where(audit.AuditEvent.action == "api_token.revoked")).all()
    assert events == ["api_token.revoked"]
