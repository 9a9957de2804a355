"""Fixtures for the API: a bearer token per role, and a client that sends one."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from books2iraq.auth import services as user_services
from books2iraq.auth import tokens as api_tokens
from books2iraq.auth.roles import Role
from books2iraq.extensions import db


@pytest.fixture
def tokens(app: Flask, users: dict[Role, str]) -> dict[Role, str]:
    """A live token for the user of each role (the users of the `users` fixture)."""
    with app.app_context():
        made = {role: api_tokens.create_token(user_services.find_by_email(email), "tests", actor=None)[1] for role, email in users.items()}
        db.session.commit()
    return made


class Api:
    """Calls /api/v1 as the user of a role (admin unless told), or with no token (`role=None`)."""

    def __init__(self, client: FlaskClient, tokens: dict[Role, str]) -> None:
        self.client, self.tokens = client, tokens

    def call(self, method: str, path: str, role: Role | None = Role.ADMIN, token: str | None = None, **kwargs: Any):
        headers = kwargs.pop("headers", {})
        token = token or (self.tokens[role] if role is not None else None)
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    def get(self, path: str, role: Role | None = Role.ADMIN, **kwargs: Any):
        return self.call("GET", path, role, **kwargs)

    def post(self, path: str, json: Any = None, role: Role | None = Role.ADMIN, **kwargs: Any):
        return self.call("POST", path, role, json=json, **kwargs)


@pytest.fixture
def api(client: FlaskClient, tokens: dict[Role, str]) -> Api:
    return Api(client, tokens)


def error(response) -> tuple[int, str, str]:
    """(status, code, message) of an API error answer, checking its shape on the way."""
    assert response.mimetype == "application/json", response.data[:200]
    body = response.get_json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    return response.status_code, body["error"]["code"], body["error"]["message"]


def row_counts(app: Flask) -> dict[str, int]:
    """Rows in every table: equal before and after a refused call when nothing was written."""
    with app.app_context():
        return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in db.metadata.sorted_tables}
