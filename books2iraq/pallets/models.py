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
    from books2iraq.crating.models import Crate
    from books2iraq.shipping.models import Shipment
    from books2iraq.sites.models import Site


class PalletStatus(enum.StrEnum):
    OPEN = "open"  # crates go on and come off
    SEALED = "sealed"  # wrapped, weighed and measured: it travels whole


class Pallet(MeasuredMixin, TimestampMixin, Model):
    """Sealed crates stacked and wrapped together at a warehouse: one package on the papers, with its own
    label, weight (crates, pallet and wrap) and size. Its crates travel on its shipment."""

    __tablename__ = "pallets"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    sscc: Mapped[str | None] = mapped_column(sa.String(18), unique=True)
    status: Mapped[PalletStatus] = mapped_column(default=PalletStatus.OPEN, index=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), index=True)
    gross_kg: Mapped[Decimal | None]
    sealed_at: Mapped[datetime | None]
    shipment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("shipments.id"), index=True)

    site: Mapped[Site] = relationship()
    crates: Mapped[list[Crate]] = relationship(back_populates="pallet", order_by="Crate.id")
    shipment: Mapped[Shipment | None] = relationship(back_populates="pallets")

    __table_args__ = (
        # Sealed: weighed and measured, all three sizes (its height is what a container's loading turns on).
        sa.CheckConstraint(
            "status = 'open' OR (gross_kg IS NOT NULL AND sealed_at IS NOT NULL AND length_cm IS NOT NULL"
            " AND width_cm IS NOT NULL AND height_cm IS NOT NULL)",
            name="sealed_weighed_measured",
        ),
        sa.CheckConstraint("status = 'sealed' OR shipment_id IS NULL", name="shipped_sealed"),
        sa.CheckConstraint("gross_kg IS NULL OR gross_kg > 0", name="gross_kg_positive"),
        sa.CheckConstraint(
            "(length_cm IS NULL OR length_cm > 0) AND (width_cm IS NULL OR width_cm > 0)"
            " AND (height_cm IS NULL OR height_cm > 0)",
            name="dimensions_positive",
        ),
    )

    def __repr__(self) -> str:
        return f"<Pallet {self.code} {self.status}>"
