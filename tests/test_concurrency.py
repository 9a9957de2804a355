"""A form that reads first (concurrency.reads_first) holds SQLite's write lock only while it writes:
another request can write while it reads, and what it read stays loaded when it starts writing."""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest
import sqlalchemy as sa
from flask import g

from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.concurrency import start_writing
from books2iraq.db import READING_FIRST
from books2iraq.extensions import db
from tests.conftest import csrf_from
from tests.factories import UserFactory


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_form_that_reads_first_takes_the_write_lock_only_when_it_starts_writing(app, db_url):
    with app.app_context():
        user_id = UserFactory(name="Layla").id
        db.session.commit()
    path = sa.make_url(db_url).database
    other = sqlite3.connect(path, timeout=0, isolation_level=None)  # another request, that never waits

    def other_writes() -> bool:
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
            return False
        other.execute("UPDATE users SET last_login_at = CURRENT_TIMESTAMP WHERE id = ?", (user_id,))
        other.execute("COMMIT")
        return True

    statements: list[str] = []
    with app.test_request_context("/intake/new", method="POST"):
        g.setdefault(READING_FIRST, True)
        user = db.session.get(User, user_id)  # the request reads: BEGIN, no write lock
        assert other_writes()
        sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        start_writing()
        assert user.name == "Layla" and statements == []  # what it read is still loaded: nothing read again
        user.name = "Layla Hassan"
        db.session.flush()  # the write lock, from BEGIN IMMEDIATE
        assert statements[0] == "BEGIN IMMEDIATE"
        assert not other_writes()
        db.session.commit()
    assert other_writes()
    other.close()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_post_that_does_not_read_first_takes_the_write_lock_at_once(app):
    with app.app_context():
        user_id = UserFactory().id
        db.session.commit()
    statements: list[str] = []
    with app.test_request_context("/auth/login", method="POST"):
        sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        db.session.get(User, user_id)
        start_writing()  # nothing to end: the request has been a writer from its first statement
        assert statements[0] == "BEGIN IMMEDIATE" and db.session().in_transaction()
        db.session.rollback()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_recording_a_donation_reads_before_it_takes_the_write_lock(app, client, auth):
    from tests.factories import SiteFactory

    with app.app_context():
        site_id = SiteFactory().id
        db.session.commit()
    auth.login(Role.VOLUNTEER)
    page = client.get("/intake/new").get_data(as_text=True)
    statements: list[str] = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    response = client.post("/intake/new", data={
        "csrf_token": csrf_from(page), "site": site_id, "received_on": date.today().isoformat(), "condition": "good",
        "donor_kind": "individual", "scans": "9780306406157",
    })
    assert response.status_code == 302
    begins = [s for s in statements if s.startswith("BEGIN")]
    assert begins == ["BEGIN", "BEGIN IMMEDIATE"]  # who is signed in and the sites, then the donation
    assert statements.index("BEGIN IMMEDIATE") > 1
