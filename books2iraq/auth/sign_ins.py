"""Sign-ins kept on the server, so that they can be ended.

Each sign-in has a random key, stored only as its SHA-256 hash. The key travels in the session
cookie and in the "keep me signed in" cookie (both signed by the app), as part of the id Flask-Login
keeps: `<user id>:<key>`. A cookie is honoured only while its sign-in is open and not expired:
signing out ends it; a password change, a reset, deactivation and an admin's "sign out everywhere"
end all of a user's sign-ins, so every cookie issued before them stops working.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from books2iraq.db import aware, utcnow
from books2iraq.extensions import Model, db

if TYPE_CHECKING:
    from books2iraq.auth.models import User


class SignIn(Model):
    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(user: User, lifetime: timedelta) -> str:
    """A new sign-in for the user, open for `lifetime`; returns its key (kept nowhere but the cookie)."""
    key = secrets.token_urlsafe(32)
    db.session.add(SignIn(user_id=user.id, key_hash=_hash(key), expires_at=utcnow() + lifetime))
    db.session.flush()
    user._sign_in_key = key  # read by User.get_id
    return key


def user_for(cookie_id: str) -> User | None:
    """The active user of an open, unexpired sign-in named by `<user id>:<key>`, or None."""
    from books2iraq.auth.models import User

    user_id, _, key = (cookie_id or "").partition(":")
    if not user_id.isdigit() or not key or len(key) > 100:
        return None
    stmt = (
        sa.select(User)
        .join(SignIn, SignIn.user_id == User.id)
        .where(User.id == int(user_id), SignIn.key_hash == _hash(key), SignIn.ended_at.is_(None))
        .add_columns(SignIn.expires_at)
    )
    row = db.session.execute(stmt).first()
    if row is None:
        return None
    user, expires_at = row
    if aware(expires_at) <= utcnow() or not user.active:
        return None
    user._sign_in_key = key  # read by User.get_id
    return user


def end(user: User) -> None:
    """End the sign-in the user's current cookie names (signing out)."""
    key = getattr(user, "_sign_in_key", None)
    if key:
        db.session.execute(
            sa.update(SignIn).where(SignIn.key_hash == _hash(key), SignIn.ended_at.is_(None)).values(ended_at=utcnow())
        )


def end_all(user: User, *, keep_current: bool = False) -> int:
    """End every open sign-in of the user (but the one in use when `keep_current`); returns how many."""
    stmt = sa.update(SignIn).where(SignIn.user_id == user.id, SignIn.ended_at.is_(None)).values(ended_at=utcnow())
    key = getattr(user, "_sign_in_key", None)
    if keep_current and key:
        stmt = stmt.where(SignIn.key_hash != _hash(key))
    result = cast("sa.CursorResult[Any]", db.session.execute(stmt))
    return result.rowcount or 0


def open_count(user: User) -> int:
    stmt = sa.select(sa.func.count()).select_from(SignIn).where(
        SignIn.user_id == user.id, SignIn.ended_at.is_(None), SignIn.expires_at > utcnow()
    )
    return int(db.session.scalar(stmt) or 0)
