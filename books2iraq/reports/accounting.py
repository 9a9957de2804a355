"""Where every copy is, computed in SQL so it scales to a whole operation: the one place for the
copies received per donation, in each crate, and in each stage of the flow, and for the accounting
invariant of DESIGN.md.

For every donation: copies received = accepted (incl. packed) + rejected + unsorted + corrections.
For every shipment: copies on it = copies in its crates (summed from the lots packed in them).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from books2iraq.crating.models import Crate
from books2iraq.extensions import db
from books2iraq.i18n import N_
from books2iraq.intake.models import (
    CountCorrection,
    Donation,
    DonationLine,
    Lot,
    LotStatus,
)
from books2iraq.shipping.models import Shipment, ShipmentStatus

# Where a copy is now; each copy is in exactly one stage, so the stages add up to all copies held.
# Their words are marked for the catalogues and translated where they are shown.
STAGES: list[tuple[str, str]] = [
    ("received", N_("Received, not sorted yet")),
    ("accepted", N_("Accepted, waiting for a crate")),
    ("packed", N_("Packed, not shipped yet")),
    ("shipped", N_("Shipped, on the way")),
    ("delivered", N_("Delivered")),
    ("rejected", N_("Rejected")),
]
# The shipment statuses whose copies are on the way; before them they are packed, after them delivered.
ON_THE_WAY = frozenset({ShipmentStatus.DISPATCHED, ShipmentStatus.IN_TRANSIT, ShipmentStatus.AT_CUSTOMS, ShipmentStatus.CLEARED})


def copies_received(donation_ids: Sequence[int] | None = None) -> sa.Subquery:
    """(donation_id, copies): the copies of each donation as they were handed over (of these
    donations only, when given: the sum then reads their lines alone, not the whole table)."""
    stmt = sa.select(DonationLine.donation_id, sa.func.sum(DonationLine.quantity).label("copies"))
    if donation_ids is not None:
        stmt = stmt.where(DonationLine.donation_id.in_(donation_ids))
    return stmt.group_by(DonationLine.donation_id).subquery()


def copies_in_crates(crate_ids: Sequence[int] | sa.Select[Any] | None = None) -> sa.Subquery:
    """(crate_id, copies): the copies packed in each crate that holds any (of these crates only,
    when given: the sum then reads their lots alone)."""
    stmt = sa.select(Lot.crate_id, sa.func.sum(Lot.quantity).label("copies"))
    stmt = stmt.where(Lot.crate_id.is_not(None) if crate_ids is None else Lot.crate_id.in_(crate_ids))
    return stmt.group_by(Lot.crate_id).subquery()


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
    """The accounts of these donations (all, by default). Each sum is filtered to the donations asked
    for before it groups: SQLite does not push a filter into a grouped subquery by itself, and a
    donation's page then summed a million lots (178 ms) to show one account."""

    def only(stmt: sa.Select[Any], column: Any) -> sa.Select[Any]:
        return stmt if donation_ids is None else stmt.where(column.in_(donation_ids))

    received = copies_received(donation_ids)
    corrections = only(
        sa.select(CountCorrection.donation_id, sa.func.sum(CountCorrection.delta).label("n")),
        CountCorrection.donation_id,
    ).group_by(CountCorrection.donation_id).subquery()

    def in_status(status: LotStatus) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((Lot.status == status, Lot.quantity), else_=0)), 0)

    by_status = only(
        sa.select(
            Lot.donation_id,
            in_status(LotStatus.RECEIVED).label("unsorted"),
            in_status(LotStatus.ACCEPTED).label("accepted"),
            in_status(LotStatus.PACKED).label("packed"),
            in_status(LotStatus.REJECTED).label("rejected"),
        ),
        Lot.donation_id,
    ).group_by(Lot.donation_id).subquery()
    stmt = (
        sa.select(
            Donation.id,
            sa.func.coalesce(received.c.copies, 0),
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


def stage_of(lot_status: LotStatus, shipment_status: ShipmentStatus | None) -> str:
    """The stage of STAGES that copies in this state are in."""
    if lot_status is LotStatus.PACKED and shipment_status in ON_THE_WAY:
        return "shipped"
    if lot_status is LotStatus.PACKED and shipment_status is ShipmentStatus.DELIVERED:
        return "delivered"
    return lot_status.value


def copies_per_stage() -> dict[str, int]:
    """Copies in each stage of STAGES (void lots hold none)."""
    stmt = (
        sa.select(Lot.status, Shipment.status, sa.func.sum(Lot.quantity))
        .outerjoin(Crate, Lot.crate_id == Crate.id)
        .outerjoin(Shipment, Crate.shipment_id == Shipment.id)
        .where(Lot.status != LotStatus.VOID)
        .group_by(Lot.status, Shipment.status)
    )
    counts = {key: 0 for key, _ in STAGES}
    for lot_status, shipment_status, n in db.session.execute(stmt):
        counts[stage_of(lot_status, shipment_status)] += int(n or 0)
    return counts


def unbalanced_donations() -> list[DonationAccount]:
    return [a for a in donation_accounts() if not a.balanced]
