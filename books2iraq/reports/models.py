from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from books2iraq.extensions import Model


class Tally(Model):
    """One difference to a running total of the dashboard (reports/tallies.py): rows are only ever
    added, and folded into one row a total when they are many."""

    __tablename__ = "tallies"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(16))  # stage, site or reason
    key: Mapped[str] = mapped_column(sa.String(40))
    delta: Mapped[int] = mapped_column(sa.BigInteger)
