"""The accounting invariant of DESIGN.md, computed in SQL so it scales to a whole operation.

For every donation: copies received = accepted (incl. packed) + rejected + unsorted + corrections.
For every shipment: copies on it = copies in its crates (summed from the lots packed in them).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from books2iraq.crating.models import Crate
from books2iraq.extensions import db
from books2iraq.intake.models import CountCorrection, Donation, DonationLine, Lot, LotStatus


@dataclass(frozen=True)
class DonationAccount:
    donation_id: int
    received: int
    unsorted: int
    accepted: int  # waiting for a crate
    packed: int
    rejected: int
    corrections: int  # the sum of all count corrections (negative when copies were fewer)

    @property
    def balanced(self) -> bool:
        return self.received + self.corrections == self.unsorted + self.accepted + self.packed + self.rejected


def donation_accounts(donation_ids: list[int] | None = None) -> list[DonationAccount]:
    received = (
        sa.select(DonationLine.donation_id, sa.func.sum(DonationLine.quantity).label("n"))
        .group_by(DonationLine.donation_id)
        .subquery()
    )
    corrections = (
        sa.select(CountCorrection.donation_id, sa.func.sum(CountCorrection.delta).label("n"))
        .group_by(CountCorrection.donation_id)
        .subquery()
    )

    def in_status(status: LotStatus) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((Lot.status == status, Lot.quantity), else_=0)), 0)

    by_status = (
        sa.select(
            Lot.donation_id,
            in_status(LotStatus.RECEIVED).label("unsorted"),
            in_status(LotStatus.ACCEPTED).label("accepted"),
            in_status(LotStatus.PACKED).label("packed"),
            in_status(LotStatus.REJECTED).label("rejected"),
        )
        .group_by(Lot.donation_id)
        .subquery()
    )
    stmt = (
        sa.select(
            Donation.id,
            sa.func.coalesce(received.c.n, 0),
            sa.func.coalesce(by_status.c.unsorted, 0),
            sa.func.coalesce(by_status.c.accepted, 0),
            sa.func.coalesce(by_status.c.packed, 0),
            sa.func.coalesce(by_status.c.rejected, 0),
            sa.func.coalesce(corrections.c.n, 0),
        )
        .outerjoin(received, received.c.donation_id == Donation.id)
        .outerjoin(by_status, by_status.c.donation_id == Donation.id)
        .outerjoin(corrections, corrections.c.donation_id == Donation.id)
        .order_by(Donation.id)
    )
    if donation_ids is not None:
        stmt = stmt.where(Donation.id.in_(donation_ids))
    return [DonationAccount(*(int(v) for v in row)) for row in db.session.execute(stmt)]


def donation_account(donation: Donation) -> DonationAccount:
    return donation_accounts([donation.id])[0]


def crate_copies(crate_ids: list[int] | None = None) -> dict[int, int]:
    """Copies in each crate, from the lots packed in it."""
    stmt = (
        sa.select(Crate.id, sa.func.coalesce(sa.func.sum(Lot.quantity), 0))
        .outerjoin(Lot, Lot.crate_id == Crate.id)
        .group_by(Crate.id)
    )
    if crate_ids is not None:
        stmt = stmt.where(Crate.id.in_(crate_ids))
    return {crate_id: int(n) for crate_id, n in db.session.execute(stmt)}


def shipment_copies(shipment_id: int) -> int:
    stmt = (
        sa.select(sa.func.coalesce(sa.func.sum(Lot.quantity), 0))
        .join(Crate, Lot.crate_id == Crate.id)
        .where(Crate.shipment_id == shipment_id)
    )
    return int(db.session.scalar(stmt) or 0)


def pipeline_counts() -> dict[str, int]:
    """Copies in each state of a lot, for the dashboard."""
    rows = db.session.execute(sa.select(Lot.status, sa.func.sum(Lot.quantity)).group_by(Lot.status))
    counts = {status.value: 0 for status in LotStatus if status is not LotStatus.VOID}
    for status, n in rows:
        if status is not LotStatus.VOID:
            counts[status.value] = int(n or 0)
    return counts


def unbalanced_donations() -> list[DonationAccount]:
    return [a for a in donation_accounts() if not a.balanced]
