"""Counting the SQL statements a page costs: a page whose statements grow with the data is a bug."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from books2iraq.extensions import db


def statements_for(app: Flask, client: FlaskClient, url: str) -> int:
    """The number of SQL statements that a GET of `url` runs (it must answer 200)."""
    return len(statements_of(app, client, url))


def statements_of(app: Flask, client: FlaskClient, url: str) -> list[str]:
    """The SQL statements that a GET of `url` runs (it must answer 200)."""
    statements: list[str] = []

    def listen(*args: object) -> None:
        statements.append(str(args[2]))

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", listen)
        try:
            assert client.get(url).status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listen)
    return statements
