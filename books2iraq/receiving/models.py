"""What the recipient found when each crate arrived, and the signed note it sent back."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from books2iraq.db import utcnow
from books2iraq.extensions import Model

if TYPE_CHECKING:
    from books2iraq.auth.models import User
    from books2iraq.crating.models import Crate
    from books2iraq.intake.models import Title


class CrateOutcome(enum.StrEnum):
    RECEIVED = "received"  # arrived, every copy in it fit for the shelf
    DAMAGED = "damaged"  # arrived, some copies damaged (or short, when its titles were counted)
    MISSING = "missing"  # never arrived


class CrateReceipt(Model):
    """One crate checked in: its copies as sent, and how many were received, damaged and missing. They
    always add up (copies sent = received + damaged + missing), so a shipment's account balances by
    construction and `check-accounts` checks that what was sent is what its crates hold."""

    __tablename__ = "crate_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    crate_id: Mapped[int] = mapped_column(sa.ForeignKey("crates.id"), unique=True)
    shipment_id: Mapped[int] = mapped_column(sa.ForeignKey("shipments.id"), index=True)
    outcome: Mapped[CrateOutcome]
    copies_sent: Mapped[int]
    copies_received: Mapped[int]
    copies_damaged: Mapped[int]
    copies_missing: Mapped[int]
    counted: Mapped[bool] = mapped_column(default=False)  # its titles counted one by one (ReceiptLine)
    note: Mapped[str | None] = mapped_column(sa.Text)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # From where: the client's address and browser as the request gave them, or how it was recorded.
    address: Mapped[str | None] = mapped_column(sa.String(64))
    device: Mapped[str | None] = mapped_column(sa.String(200))

    crate: Mapped[Crate] = relationship()
    checked_by: Mapped[User | None] = relationship()
    lines: Mapped[list[ReceiptLine]] = relationship(
        back_populates="receipt", order_by="ReceiptLine.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint("copies_received >= 0 AND copies_damaged >= 0 AND copies_missing >= 0",
                           name="copies_not_negative"),
        sa.CheckConstraint("copies_received + copies_damaged + copies_missing = copies_sent", name="copies_add_up"),
        sa.CheckConstraint("outcome <> 'missing' OR copies_missing = copies_sent", name="missing_is_whole"),
        sa.CheckConstraint("outcome <> 'received' OR copies_received = copies_sent", name="received_is_whole"),
    )

    @property
    def discrepant(self) -> bool:
        return self.copies_received != self.copies_sent

    def __repr__(self) -> str:
        return f"<CrateReceipt crate={self.crate_id} {self.outcome}>"


class ReceiptLine(Model):
    """One title of a crate whose titles were counted: sent, received, damaged, missing."""

    __tablename__ = "receipt_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(sa.ForeignKey("crate_receipts.id"), index=True)
    title_id: Mapped[int] = mapped_column(sa.ForeignKey("titles.id"), index=True)
    sent: Mapped[int]
    received: Mapped[int]
    damaged: Mapped[int]
    missing: Mapped[int]

    receipt: Mapped[CrateReceipt] = relationship(back_populates="lines")
    title: Mapped[Title] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("receipt_id", "title_id"),
        sa.CheckConstraint("received >= 0 AND damaged >= 0 AND missing >= 0", name="counts_not_negative"),
        sa.CheckConstraint("received + damaged + missing = sent", name="counts_add_up"),
    )


class ReceivedNote(Model):
    """The goods received note as the recipient signed and stamped it: a photo or a PDF, kept in the
    upload folder (outside the web root) under its digest."""

    __tablename__ = "received_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(sa.ForeignKey("shipments.id"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))  # as it was sent, for the download's name
    media_type: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    uploaded_by: Mapped[User | None] = relationship()
