from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from books2iraq.auth.roles import Role
from books2iraq.db import TimestampMixin
from books2iraq.extensions import Model

if TYPE_CHECKING:
    from books2iraq.shipping.models import Recipient
    from books2iraq.sites.models import Site


class User(UserMixin, TimestampMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(default=Role.VOLUNTEER)
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sites.id"))
    last_login_at: Mapped[datetime | None]
    language: Mapped[str | None] = mapped_column(sa.String(8))  # of the interface (i18n.LANGUAGES); none: the browser's
    recipient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("recipients.id"), index=True)  # a recipient's own

    site: Mapped[Site | None] = relationship()
    recipient: Mapped[Recipient | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
        sa.CheckConstraint("(role = 'recipient') = (recipient_id IS NOT NULL)", name="recipient_has_institution"),
    )

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember cookie: the user and the sign-in
        (the key of the sign-in this object was loaded for, set by auth/sign_ins.py; not a column)."""
        key = getattr(self, "_sign_in_key", None)
        return f"{self.id}:{key}" if key else str(self.id)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, role: Role) -> bool:
        return self.role.includes(role)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
