"""The migrations build the schema the models describe, on an empty database of either kind."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from books2iraq import create_app
from books2iraq.db import include_name
from books2iraq.extensions import db
from tests.conftest import in_schema, postgres_url_or_skip, reset_postgres_schema

SCHEMA = "migration_check"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/empty.sqlite"
    else:
        url = postgres_url_or_skip()
        reset_postgres_schema(url, SCHEMA)
        # A schema of its own, so this test never touches the shared test database.
        yield in_schema(url, SCHEMA)
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        engine.dispose()


def test_upgrade_head_on_an_empty_database_matches_the_models(empty_db_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_db_url})
    with app.app_context():
        assert sa.inspect(db.engine).get_table_names() == []
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations disagree; run `flask db migrate`: {diff}"

        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_the_latest_migration_goes_down_and_up_again_on_a_full_database(demo_url):
    """Real databases are upgraded full of records: SQLite rebuilds a table to change it, which must
    keep every row and every reference."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": demo_url})
    tables = ("donations", "lots", "crates", "shipments", "shipment_events", "audit_events")

    def rows() -> dict[str, int]:
        with db.engine.connect() as conn:
            return {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one() for t in tables}

    with app.app_context():
        before = rows()
        assert before["lots"] > 900
        downgrade(revision="-1")
        assert rows() == before
        upgrade()
        assert rows() == before
        db.engine.dispose()
