"""API tokens: per-user bearer tokens for scanners, spreadsheets and partners.

Only the SHA-256 of a token is stored; the token itself is shown once, when it is created.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.db import TimestampMixin, aware, utcnow
from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import Model, db
from books2iraq.i18n import counted, number

TOKEN_PREFIX = "b2i_"
MAX_NAME_LENGTH = 120
MAX_TOKEN_LENGTH = 200
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiToken(TimestampMixin, Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(MAX_NAME_LENGTH))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(8))  # shown in lists, so people can tell tokens apart
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]  # None: until revoked

    user: Mapped[User] = relationship()

    __table_args__ = (sa.CheckConstraint("length(token_hash) = 64", name="token_hash_length"),)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and aware(self.expires_at) <= utcnow()

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}… of user {self.user_id}>"


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8", "surrogatepass")).hexdigest()


DEFAULT_DAYS = 365
MAX_DAYS = 5 * 366


def create_token(
    user: User, name: str, *, actor: User | None, days: int | None = DEFAULT_DAYS
) -> tuple[ApiToken, str]:
    """A new token for `user`, good for `days` (None: until revoked); returns the record and the
    token itself, which is not kept anywhere."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name, such as the scanner or spreadsheet that will use it."))
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError(counted(MAX_NAME_LENGTH, "A token's name may have at most %(num)s character.",
                                  "A token's name may have at most %(num)s characters."))
    if not user.active:
        raise DomainError(_("%(email)s is deactivated; reactivate the user before giving them a token.", email=user.email))
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS):
        raise DomainError(_("A token lasts from %(min)s to %(max)s days.", min=number(1), max=number(MAX_DAYS)))
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(days=days) if days is not None else None
    token = ApiToken(user=user, name=name, token_hash=hash_token(plaintext), prefix=plaintext[:8], expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    audit.record(actor, "api_token.created", token, user=user.email, prefix=token.prefix, expires_at=expires_at)
    return token, plaintext


def revoke_token(token: ApiToken, *, actor: User | None) -> ApiToken:
    """Refuse the token from now on; the record stays, for the audit trail."""
    if token.revoked:
        raise DomainError(_("Token %(prefix)s… (%(name)s) is already revoked.", prefix=token.prefix, name=token.name))
    token.revoked_at = utcnow()
    db.session.flush()
    audit.record(actor, "api_token.revoked", token, user=token.user.email, prefix=token.prefix)
    return token


def user_for_token(plaintext: str) -> User | None:
    """The active user a live token belongs to, or None. Notes the token's use, at most once a minute.

    The token is looked up by its hash, so no comparison ever runs on the secret itself.
    """
    if not plaintext or len(plaintext) > MAX_TOKEN_LENGTH:
        return None
    digest = hash_token(plaintext)
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if token.revoked or token.expired or not token.user.active:
        return None
    now = utcnow()
    last = aware(token.last_used_at) if token.last_used_at is not None else None
    if last is None or now - last >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.flush()
    return token.user


def tokens_of(user: User) -> list[ApiToken]:
    """A user's tokens, newest first."""
    stmt = sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(db.session.scalars(stmt))


def own_token(user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens (someone else's is as good as missing)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("You have no token number %(id)s.", id=token_id))
    return token
