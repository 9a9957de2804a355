from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.errors import DomainError
from books2iraq.extensions import db

MIN_PASSWORD_LENGTH = 10


class UserError(DomainError):
    pass


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise UserError(f"“{email}” is not a valid e-mail address: {exc}") from exc


def get_by_email(email: str) -> User | None:
    try:
        email = normalise_email(email)
    except UserError:
        return None
    return db.session.scalar(sa.select(User).where(User.email == email))


def create_user(
    *, email: str, name: str, password: str, role: Role, actor: User | None, site_id: int | None = None
) -> User:
    email = normalise_email(email)
    if get_by_email(email) is not None:
        raise UserError(f"A user with the e-mail address {email} already exists.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if not name.strip():
        raise UserError("Give the user's name.")
    user = User(email=email, name=name.strip(), role=role, site_id=site_id)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.created", user, role=role.value)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Records the login in the audit trail."""
    user = get_by_email(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = datetime.now(timezone.utc)
    audit.record(user, "user.logged_in", user)
    db.session.flush()
    return user
