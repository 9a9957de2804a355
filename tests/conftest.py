"""Fixtures: every test that takes `app` runs on SQLite and on PostgreSQL, both built by the migrations.

PostgreSQL comes from TEST_POSTGRES_URL. Without it those runs skip, unless REQUIRE_POSTGRES=1
(as in CI), where a missing database fails the run.
"""
from __future__ import annotations

import itertools
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from books2iraq import create_app
from books2iraq.auth.roles import Role
from books2iraq.catalogue.models import OutdatedRule
from books2iraq.catalogue.outdated import DEFAULT_RULES
from books2iraq.db import utcnow
from books2iraq.extensions import db
from books2iraq.i18n import compile_catalogues
from books2iraq.search import index as search_index

ROLES = list(Role)
PASSWORD = "correct horse battery staple"


def pytest_sessionstart(session: pytest.Session) -> None:
    """The translations compiled as `make test` compiles them, for a pytest run without make."""
    compile_catalogues()


def postgres_url_or_skip() -> str:
    """The PostgreSQL database of this test process: TEST_POSTGRES_URL's, or with several processes
    (pytest-xdist's workers, `-n`), a database of each worker's own beside it, made on first use."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not configured (set TEST_POSTGRES_URL)")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    name = f"{sa.make_url(url).database}_{worker}"
    if name not in _made:
        admin = _postgres_admin(url)
        with admin.connect() as conn:
            if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        _made.add(name)
    return other_database(url, name)


_made: set[str] = set()


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
    tables = ", ".join([f'"{t.name}"' for t in db.metadata.sorted_tables] + [search_index.TABLE])
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        # What the migrations put in, as a fresh database has it (SQLite's tests copy a migrated file).
        conn.execute(OutdatedRule.__table__.insert(), [{"words": w, "years": y, "created_at": utcnow()} for w, y in DEFAULT_RULES])
    engine.dispose()


def in_schema(url: str, schema: str) -> str:
    """The same PostgreSQL database, with `schema` first on the search path."""
    return sa.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


# The day every demo of a run ends on: a run that crosses midnight seeds the same operation on both databases.
DEMO_DAY = date.today()


def seed_demo(url: str) -> None:
    from books2iraq import demo

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        demo.seed(password=PASSWORD, today=DEMO_DAY)
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="session")
def demo_sqlite(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo operation (`seed-demo`), seeded once per run; tests take copies."""
    path = tmp_path_factory.mktemp("demo") / "books2iraq.sqlite"
    shutil.copyfile(sqlite_template, path)
    seed_demo(f"sqlite:///{path}")
    return path


def _postgres_admin(url: str) -> sa.Engine:
    return sa.create_engine(url, isolation_level="AUTOCOMMIT")


def other_database(url: str, name: str) -> str:
    return sa.make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def demo_postgres() -> Iterator[str]:
    """A PostgreSQL database holding the demo operation, seeded once per run: the template each test
    module's copy is made from (CREATE DATABASE … TEMPLATE, which copies its files; it needs a role
    that may create databases, as the throwaway server's has)."""
    base = postgres_url_or_skip()
    name = f"{sa.make_url(base).database}_demo"
    admin = _postgres_admin(base)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = other_database(base, name)
    migrate_to_head(url)
    seed_demo(url)
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


_copies = itertools.count(1)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database holding the demo operation, a copy of its own for each test module, for tests that
    read a realistic operation (and may change it: no other module sees the change)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("demo") / "books2iraq.sqlite"
        shutil.copyfile(request.getfixturevalue("demo_sqlite"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("demo_postgres")
    name = f"{sa.make_url(template).database}_{next(_copies)}"
    admin = _postgres_admin(postgres_url_or_skip())  # not the template: a copy is refused while it has a connection
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{sa.make_url(template).database}"'))
    yield other_database(template, name)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


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


def _new_app(config: dict[str, Any]) -> Flask:
    """create_app, once more when CPython 3.11 trips over its own bug: werkzeug compiles each URL rule
    with ast.parse, whose recursion count is shared by the threads of the process (python/cpython#106905),
    so a test's server thread parsing at the same moment can make it raise "AST constructor recursion depth
    mismatch" (seen once in a full run). The count is reset at each parse: the second one is sound."""
    try:
        return create_app(config)
    except SystemError as exc:
        if "AST constructor recursion depth mismatch" not in str(exc):
            raise
        return create_app(config)


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = _new_app({"SQLALCHEMY_DATABASE_URI": db_url})
    app.instance_path = str(tmp_path / "instance")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def site_id(app: Flask) -> int:
    """An open drop-off point of its own, for tests that record donations."""
    from tests.factories import SiteFactory

    with app.app_context():
        site = SiteFactory(name="Leeds drop-off")
        db.session.commit()
        return site.id


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
    """The first CSRF token anywhere in `html`, whatever form it is in (for tests that build requests by hand)."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


@dataclass
class HtmlForm:
    """One <form> of a page, with the <input> fields a browser would submit from it."""

    method: str
    action: str | None
    id: str | None
    line: int
    fields: list[tuple[str, str]] = field(default_factory=list)

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.fields if key == name]


class _FormParser(HTMLParser):
    """Collects the forms of a page and their <input> fields, as a browser's parser associates them:
    a <form> inside an open form is ignored, and `form="id"` ties a field to the form with that id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self._open: HtmlForm | None = None
        self._by_id: list[tuple[str, tuple[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            if self._open is None:  # browsers drop a nested <form> tag
                self._open = HtmlForm(
                    method=(a.get("method") or "get").strip().lower(),
                    action=a.get("action"),
                    id=a.get("id"),
                    line=self.getpos()[0],
                )
                self.forms.append(self._open)
        elif tag == "input" and a.get("name") and "disabled" not in a:
            pair = (a["name"] or "", a.get("value") or "")
            if a.get("form"):
                self._by_id.append((a["form"] or "", pair))
            elif self._open is not None:
                self._open.fields.append(pair)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None

    def close(self) -> None:
        super().close()
        for form_id, pair in self._by_id:
            for form in self.forms:
                if form.id == form_id:
                    form.fields.append(pair)
                    break


def forms_in(html: str) -> list[HtmlForm]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


_ORIGIN = "http://localhost"


def _resolved(url: str, base: str) -> tuple[str, str, str, str]:
    """`url` made absolute against `base`, without its fragment (a browser never sends one)."""
    parts = urlsplit(urljoin(base, url))
    return parts.scheme, parts.netloc, parts.path, parts.query


def form_csrf_token(html: str, *, page: str, action: str) -> str:
    """The CSRF token a browser would send when submitting, from `page`, the POST form whose action is `action`.

    The form's action is resolved against the page URL (no action, or an empty one, means the page itself);
    fails the test if the page has no such form, or if the form carries no csrf_token field.
    """
    base = urljoin(_ORIGIN, page)
    target = _resolved(action, base)
    forms = forms_in(html)
    posting = [f for f in forms if f.method == "post"]
    matching = [f for f in posting if _resolved(f.action or "", base) == target]
    if not matching:
        offered = ", ".join(sorted({urljoin(base, f.action or "").removeprefix(_ORIGIN) for f in posting})) or "none"
        pytest.fail(
            f"page {page} has no <form method=\"post\"> whose action is {action} "
            f"(its POST forms go to: {offered})"
        )
    for form in matching:
        tokens = form.values("csrf_token")
        if not tokens or not tokens[0]:
            pytest.fail(
                f"page {page}: its <form method=\"post\"> for {action} (line {form.line} of the page's HTML) "
                "has no csrf_token field"
            )
    return matching[0].values("csrf_token")[0]


class OpenPage:
    """A page as a browser tab holds it once loaded: its forms can be submitted later, even after the
    app's state has moved on (a second tab, a page left open)."""

    def __init__(self, client: FlaskClient, url: str, html: str):
        self.client = client
        self.url = url
        self.html = html

    def post(self, url: str, data: dict | None = None, **kwargs):
        """Submit this page's <form method="post"> whose action is `url`, with the CSRF token from inside it."""
        token = form_csrf_token(self.html, page=self.url, action=url)
        return self.client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)


def answer_yes(client: FlaskClient, question, **kwargs):
    """Press the button of a confirmation page (web.ask_first) as a browser does: send its one POST
    form with every hidden field in it (the CSRF token, what was typed before, confirm=1)."""
    assert question.status_code == 422, question.status_code
    forms = [f for f in forms_in(question.get_data(as_text=True)) if f.method == "post" and f.values("confirm") == ["1"]]
    assert len(forms) == 1, "the page asks no question"
    data: dict[str, list[str]] = {}
    for name, value in forms[0].fields:
        data.setdefault(name, []).append(value)
    return client.post(forms[0].action, data=data, **kwargs)


class AuthActions:
    def __init__(self, client: FlaskClient, users: dict[Role, str]):
        self.client = client
        self.users = users

    def open(self, page: str) -> OpenPage:
        """GET `page` (it must answer 200) and keep it, to submit one of its forms now or later."""
        response = self.client.get(page)
        if response.status_code != 200:
            location = response.headers.get("Location")
            pytest.fail(
                f"cannot open page {page} to submit one of its forms: it answered {response.status_code}"
                + (f" (redirect to {location})" if location else "")
            )
        return OpenPage(self.client, page, response.get_data(as_text=True))

    def login(self, role: Role, password: str = PASSWORD):
        """Fill in and submit the sign-in form of /auth/login."""
        data = {"email": self.users[role], "password": password}
        return self.open("/auth/login").post("/auth/login", data)

    def post(self, url: str, data: dict | None = None, *, page: str | None = None, **kwargs):
        """POST a form the way a browser does: open `page` (default: `url`), find the <form method="post">
        whose action resolves to `url`, and send the CSRF token from inside that form. Fails the test if
        the page does not answer 200, has no such form, or the form has no csrf_token field."""
        return self.open(page or url).post(url, data, **kwargs)

    def post_without_form(self, url: str, data: dict | None = None, **kwargs):
        """POST to `url` with this session's valid CSRF token but through no form: a hand-made request,
        for URLs that no page offers this user (a role that may not use them, a record that does not
        exist, an action the record's state does not offer). The token comes from the sign-out form of
        the home page, or from the sign-in form when signed out."""
        home, page = self.client.get("/"), "/"
        if home.status_code == 302 and not home.headers["Location"].startswith("/auth/login"):
            page = home.headers["Location"]  # a recipient's home: its shipments
            home = self.client.get(page)
        if home.status_code == 200:
            token = form_csrf_token(home.get_data(as_text=True), page=page, action="/auth/logout")
        else:
            token = form_csrf_token(self.open("/auth/login").html, page="/auth/login", action="/auth/login")
        return self.client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)

    def logout(self):
        """Submit the sign-out form of the navigation bar (on the home page, or a recipient's)."""
        home = self.client.get("/")
        page = home.headers["Location"] if home.status_code == 302 else "/"
        return self.open(page).post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient, users: dict[Role, str]) -> AuthActions:
    return AuthActions(client, users)


def pytest_unconfigure(config: pytest.Config) -> None:
    """One line at the very end when the PostgreSQL half did not run, saying why."""
    terminalreporter = config.pluginmanager.get_plugin("terminalreporter")
    if terminalreporter is not None and not os.environ.get("TEST_POSTGRES_URL"):
        terminalreporter.write_line(
            "PostgreSQL half skipped: no PostgreSQL server here (Debian: apt-get install postgresql; "
            "`make test` then starts one for the run) and TEST_POSTGRES_URL is not set.",
            yellow=True,
        )
