"""Bearer-token authentication of API calls. The session cookie of the pages is never looked at."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request
from flask_babel import gettext as _

from books2iraq.api.errors import ApiError
from books2iraq.auth import tokens
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.labels import label

F = TypeVar("F", bound=Callable[..., Any])
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="books2iraq API"'}


def bearer_token() -> str | None:
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def api_role(role: Role) -> Callable[[F], F]:
    """Only calls with a live token of an active user whose role includes `role` reach the view (else 401/403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            token = bearer_token()
            if token is None:
                raise ApiError(401, _("Send an API token: Authorization: Bearer <token>."), headers=CHALLENGE)
            user = tokens.user_for_token(token)
            db.session.commit()  # the token's last use is kept even when the call itself is then refused
            if user is None:
                raise ApiError(401, _("This API token is unknown or revoked, or its user is deactivated."), headers=CHALLENGE)
            if not user.has_role(role):
                raise ApiError(403, _("This call needs the %(role)s role; the token's user is %(users_role)s.",
                                      role=label(role), users_role=label(user.role)))
            g.api_user = user
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def api_user() -> User:
    """The user whose token authenticated the current call."""
    return g.api_user
