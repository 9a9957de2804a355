from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from books2iraq.db import TimestampMixin
from books2iraq.extensions import Model

ORGANISATION_ID = 1


class Organisation(TimestampMixin, Model):
    """The operation's own details, printed as consignor and signatory on the documents. One row."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=ORGANISATION_ID)
    name: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str | None] = mapped_column(sa.Text)
    country: Mapped[str | None] = mapped_column(sa.String(120))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    website: Mapped[str | None] = mapped_column(sa.String(200))
    registration_number: Mapped[str | None] = mapped_column(sa.String(64))
    eori_number: Mapped[str | None] = mapped_column(sa.String(17))
    signatory_name: Mapped[str | None] = mapped_column(sa.String(120))
    signatory_title: Mapped[str | None] = mapped_column(sa.String(120))
    receipt_thanks: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (sa.CheckConstraint(f"id = {ORGANISATION_ID}", name="single_row"),)

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"
