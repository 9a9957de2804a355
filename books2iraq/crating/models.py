from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from books2iraq.db import MeasuredMixin, TimestampMixin
from books2iraq.extensions import Model

if TYPE_CHECKING:
    from books2iraq.intake.models import Lot
    from books2iraq.pallets.models import Pallet
    from books2iraq.shipping.models import Recipient, Shipment
    from books2iraq.sites.models import Site


class CrateStatus(enum.StrEnum):
    OPEN = "open"
    SEALED = "sealed"


class Crate(MeasuredMixin, TimestampMixin, Model):
    __tablename__ = "crates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    sscc: Mapped[str | None] = mapped_column(sa.String(18), unique=True)
    status: Mapped[CrateStatus] = mapped_column(default=CrateStatus.OPEN, index=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), index=True)
    gross_kg: Mapped[Decimal | None]
    sealed_at: Mapped[datetime | None]
    shipment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("shipments.id"), index=True)
    # Packed for a recipient's wish-list (it prefers the copies earmarked for it), and where it waits.
    for_recipient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("recipients.id"), index=True)
    location: Mapped[str | None] = mapped_column(sa.String(60))  # bay, row or shelf in the warehouse
    # On a pallet (sealed, with its fellows): it travels with the pallet, on the pallet's shipment.
    pallet_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pallets.id"), index=True)

    site: Mapped[Site] = relationship()
    for_recipient: Mapped[Recipient | None] = relationship()
    lots: Mapped[list[Lot]] = relationship(back_populates="crate", order_by="Lot.id")
    shipment: Mapped[Shipment | None] = relationship(back_populates="crates")
    pallet: Mapped[Pallet | None] = relationship(back_populates="crates")

    __table_args__ = (
        sa.CheckConstraint("status = 'open' OR (gross_kg IS NOT NULL AND sealed_at IS NOT NULL)", name="sealed_weighed"),
        sa.CheckConstraint("gross_kg IS NULL OR gross_kg > 0", name="gross_kg_positive"),
        sa.CheckConstraint(
            "(length_cm IS NULL OR length_cm > 0) AND (width_cm IS NULL OR width_cm > 0)"
            " AND (height_cm IS NULL OR height_cm > 0)",
            name="dimensions_positive",
        ),
    )

    @property
    def copies(self) -> int:
        return sum(lot.quantity for lot in self.lots)

    def __repr__(self) -> str:
        return f"<Crate {self.code} {self.status}>"
