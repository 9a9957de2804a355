from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_babel import gettext
from flask_login import current_user

from books2iraq.auth.roles import Role
from books2iraq.extensions import login_manager
from books2iraq.web import error_response, wants_json

F = TypeVar("F", bound=Callable[..., Any])


def role_required(role: Role) -> Callable[[F], F]:
    """Only logged-in users whose role includes `role` may call the view (else login, or a 401 for a
    script that asked for JSON; 403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if wants_json():  # a page's script (the intake page's outbox): it keeps what it sent
                    return error_response(401, gettext("You are signed out: sign in again."))
                return login_manager.unauthorized()
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
