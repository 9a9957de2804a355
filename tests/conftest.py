"""Fixtures: every test that takes `app` runs on SQLite and on PostgreSQL, both built by the migrations.

PostgreSQL comes from TEST_POSTGRES_URL. Without it those runs skip, unless REQUIRE_POSTGRES=1
(as in CI), where a missing database fails the run.
"""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from books2iraq import create_app
from books2iraq.auth.roles import Role
from books2iraq.extensions import db

ROLES = list(Role)
PASSWORD = "correct horse battery staple"


def postgres_url_or_skip() -> str:
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not configured (set TEST_POSTGRES_URL)")
    return url


def reset_postgres_schema(url: str, schema: str = "public") -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()


def migrate_to_head(url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once; every test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "books2iraq.sqlite"
    migrate_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The PostgreSQL test database, emptied and migrated to head once per run."""
    url = postgres_url_or_skip()
    reset_postgres_schema(url)
    migrate_to_head(url)
    return url


def _truncate_all(url: str) -> None:
    engine = sa.create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "books2iraq.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
        yield url
        _truncate_all(url)


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url})
    app.instance_path = str(tmp_path / "instance")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """An application context, for tests that call services directly."""
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def users(app: Flask) -> dict[Role, str]:
    """One committed user per role; returns their e-mail addresses."""
    from tests.factories import UserFactory

    with app.app_context():
        emails = {role: UserFactory(role=role, email=f"{role.value}@test.example").email for role in ROLES}
        db.session.commit()
    return emails


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


class AuthActions:
    def __init__(self, client: FlaskClient, users: dict[Role, str]):
        self.client = client
        self.users = users

    def login(self, role: Role, password: str = PASSWORD):
        page = self.client.get("/auth/login")
        token = csrf_from(page.get_data(as_text=True))
        return self.client.post(
            "/auth/login", data={"email": self.users[role], "password": password, "csrf_token": token}
        )

    def post(self, url: str, data: dict | None = None, *, page: str | None = None, **kwargs):
        """POST a form the way a browser does: take the CSRF token from `page` (default: `url`)."""
        token = csrf_from(self.client.get(page or url).get_data(as_text=True))
        return self.client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)

    def logout(self):
        token = csrf_from(self.client.get("/").get_data(as_text=True))
        return self.client.post("/auth/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient, users: dict[Role, str]) -> AuthActions:
    return AuthActions(client, users)
