from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from books2iraq.db import TimestampMixin
from books2iraq.extensions import Model


class SiteKind(enum.StrEnum):
    DROP_OFF = "drop_off"
    WAREHOUSE = "warehouse"


class Site(TimestampMixin, Model):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[SiteKind]
    city: Mapped[str] = mapped_column(sa.String(120))
    address: Mapped[str | None] = mapped_column(sa.Text)
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    def __repr__(self) -> str:
        return f"<Site {self.name}>"
