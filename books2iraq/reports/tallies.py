"""The dashboard's running totals, kept in the transaction that changes them, so that no page sums a
million lots: copies in each stage of the flow, copies received at each site and on each day, copies
rejected for each reason.

Each flush that changes a lot, a donation line, a crate's shipment, a shipment's status or a voided
donation adds rows of differences to `tallies` (name, key, delta): it only ever inserts, so two
volunteers recording donations at once never wait for each other on a counter. A total is the sum of
its rows; the change that takes the rows past FOLD_AFTER folds them into one row a total. `recount()`
works every total out again from the records, and `check-accounts` says if the two ever differ.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from books2iraq.crating.models import Crate
from books2iraq.extensions import db
from books2iraq.intake.models import Donation, DonationLine, Lot, LotStatus
from books2iraq.reports.accounting import STAGES, stage_of
from books2iraq.reports.models import Tally
from books2iraq.shipping.models import Shipment, ShipmentStatus

TABLE = cast(sa.Table, Tally.__table__)
STAGE, SITE, REASON, DAY = "stage", "site", "reason", "day"  # a day's key: its ISO date, 2026-11-25
FOLD_AFTER = 1_000  # rows: beyond, a reading folds them into one row a total

Key = tuple[str, str]


# -- what a lot counts for -----------------------------------------------------------------------------
def _lot_keys(status: LotStatus | None, quantity: int, reason: Any, shipment_status: ShipmentStatus | None) -> Counter[Key]:
    counted: Counter[Key] = Counter()
    if status is None or status is LotStatus.VOID or not quantity:
        return counted
    counted[(STAGE, stage_of(status, shipment_status))] += quantity
    if status is LotStatus.REJECTED and reason is not None:
        counted[(REASON, getattr(reason, "value", str(reason)))] += quantity
    return counted


def _before(obj: Any, name: str) -> Any:
    """An attribute's value before this flush (the current one when it did not change)."""
    history = sa.inspect(obj).attrs[name].history
    if history.deleted:
        return history.deleted[0]
    return history.unchanged[0] if history.unchanged else getattr(obj, name)


def _changed(obj: Any, name: str) -> bool:
    return bool(sa.inspect(obj).attrs[name].history.has_changes())


@event.listens_for(Session, "after_flush")
def _tally(session: Session, flush_context: Any) -> None:
    new, dirty, deleted = set(session.new), set(session.dirty), set(session.deleted)
    lots = [o for o in (*new, *dirty, *deleted) if isinstance(o, Lot)]
    lines = [o for o in new if isinstance(o, DonationLine)]
    moved_shipments = [o for o in dirty if isinstance(o, Shipment) and _changed(o, "status")]
    moved_crates = [o for o in dirty if isinstance(o, Crate) and _changed(o, "shipment_id")]
    voided = [o for o in dirty if isinstance(o, Donation) and _changed(o, "voided_at") and o.voided_at is not None]
    redated = [o for o in dirty if isinstance(o, Donation) and _changed(o, "received_on") and o not in voided]
    if not (lots or lines or moved_shipments or moved_crates or voided or redated):
        return
    connection = session.connection()
    deltas: Counter[Key] = Counter()

    # Where every crate involved is shipped now, and where it was before this flush.
    crate_ids = {lot.crate_id for lot in lots} | {_before(lot, "crate_id") for lot in lots if lot not in new}
    crate_ids |= {crate.id for crate in moved_crates}
    crate_ids.discard(None)
    now: dict[int, ShipmentStatus | None] = {}
    if crate_ids:
        found = connection.execute(
            sa.select(Crate.id, Shipment.status).outerjoin(Shipment, Shipment.id == Crate.shipment_id)
            .where(Crate.id.in_(crate_ids))
        )
        now = {crate_id: ShipmentStatus(status) if status else None for crate_id, status in found}
    shipment_before = {s.id: _before(s, "status") for s in moved_shipments}
    crate_shipment_before = {c.id: _before(c, "shipment_id") for c in moved_crates}

    def status_before(crate_id: int | None) -> ShipmentStatus | None:
        if crate_id is None:
            return None
        if crate_id in crate_shipment_before:
            shipment_id = crate_shipment_before[crate_id]
            if shipment_id is None:
                return None
            return shipment_before.get(shipment_id) or connection.scalar(
                sa.select(Shipment.status).where(Shipment.id == shipment_id))
        crate = session.get(Crate, crate_id)
        if crate is not None and crate.shipment_id in shipment_before:
            return shipment_before[crate.shipment_id]
        return now.get(crate_id)

    # Lots: what each counted for before the flush out, what it counts for now in.
    for lot in lots:
        if lot not in new:
            deltas.subtract(_lot_keys(_before(lot, "status"), _before(lot, "quantity"), _before(lot, "reject_reason"),
                                      status_before(_before(lot, "crate_id"))))
        if lot not in deleted:
            deltas.update(_lot_keys(lot.status, lot.quantity, lot.reject_reason, now.get(lot.crate_id) if lot.crate_id is not None else None))

    # Packed copies this flush did not touch, moved by their crate's shipment or their shipment's status.
    touched = [lot.id for lot in lots if lot.id is not None]
    for crate in moved_crates:
        copies = _packed(connection, Lot.crate_id == crate.id, touched)
        deltas[(STAGE, stage_of(LotStatus.PACKED, status_before(crate.id)))] -= copies
        deltas[(STAGE, stage_of(LotStatus.PACKED, now.get(crate.id)))] += copies
    moved_crate_ids = [crate.id for crate in moved_crates]
    for shipment in moved_shipments:
        on_it = sa.select(Crate.id).where(Crate.shipment_id == shipment.id, Crate.id.not_in(moved_crate_ids))
        copies = _packed(connection, Lot.crate_id.in_(on_it), touched)
        deltas[(STAGE, stage_of(LotStatus.PACKED, shipment_before[shipment.id]))] -= copies
        deltas[(STAGE, stage_of(LotStatus.PACKED, shipment.status))] += copies

    # Copies received at each site and on each day: new lines in, a voided donation's lines out, a
    # donation whose date was corrected moved from one day to the other.
    for line in lines:
        deltas[(SITE, str(line.donation.site_id))] += line.quantity
        if line.donation not in voided:
            deltas[(DAY, line.donation.received_on.isoformat())] += line.quantity
    new_lines = [line.id for line in lines]
    for donation in voided:
        received = _received(connection, donation, new_lines)
        deltas[(SITE, str(donation.site_id))] -= received
        deltas[(DAY, _before(donation, "received_on").isoformat())] -= received
    for donation in redated:
        received = _received(connection, donation, new_lines)
        deltas[(DAY, _before(donation, "received_on").isoformat())] -= received
        deltas[(DAY, donation.received_on.isoformat())] += received

    rows = [{"name": name, "key": key, "delta": delta} for (name, key), delta in deltas.items() if delta]
    if rows:
        connection.execute(sa.insert(TABLE), rows)
        if (connection.scalar(sa.select(sa.func.count()).select_from(TABLE)) or 0) > FOLD_AFTER:
            fold(connection)  # now and then, in the transaction of a change: reading writes nothing


def _received(connection: sa.Connection, donation: Donation, leaving_out: list[int]) -> int:
    """The copies of a donation's lines as they were before this flush (its new lines left out)."""
    stmt = sa.select(sa.func.coalesce(sa.func.sum(DonationLine.quantity), 0)).where(DonationLine.donation_id == donation.id)
    if leaving_out:
        stmt = stmt.where(DonationLine.id.not_in(leaving_out))
    return int(connection.scalar(stmt) or 0)


def _packed(connection: sa.Connection, where: Any, leaving_out: list[int]) -> int:
    stmt = sa.select(sa.func.coalesce(sa.func.sum(Lot.quantity), 0)).where(where, Lot.status == LotStatus.PACKED)
    if leaving_out:
        stmt = stmt.where(Lot.id.not_in(leaving_out))
    return int(connection.scalar(stmt) or 0)


# -- reading -------------------------------------------------------------------------------------------
def read() -> dict[Key, int]:
    """Every running total, (name, key) -> copies: a sum over at most FOLD_AFTER rows and the latest."""
    rows = db.session.execute(sa.select(TABLE.c.name, TABLE.c.key, sa.func.sum(TABLE.c.delta)).group_by(
        TABLE.c.name, TABLE.c.key))
    return {(name, key): int(total) for name, key, total in rows if total}


def fold(connection: sa.Connection) -> None:
    """Replace the rows of differences by one row a total. The rows deleted are the rows summed (DELETE …
    RETURNING), so a difference another transaction adds meanwhile is neither lost nor counted twice."""
    gone = connection.execute(sa.delete(TABLE).returning(TABLE.c.name, TABLE.c.key, TABLE.c.delta)).all()
    totals: Counter[Key] = Counter()
    for name, key, delta in gone:
        totals[(name, key)] += delta
    rows = [{"name": name, "key": key, "delta": delta} for (name, key), delta in totals.items() if delta]
    if rows:
        connection.execute(sa.insert(TABLE), rows)


def of(name: str, totals: dict[Key, int] | None = None) -> dict[str, int]:
    totals = read() if totals is None else totals
    return {key: n for (kind, key), n in totals.items() if kind == name}


# -- working them out again ----------------------------------------------------------------------------
def recount(connection: sa.Connection | None = None) -> dict[Key, int]:
    """Every total worked out from the records themselves (what `read` must always equal)."""
    connection = connection or db.session.connection()
    totals: Counter[Key] = Counter()
    by_stage = (
        sa.select(Lot.status, Lot.reject_reason, Shipment.status, sa.func.sum(Lot.quantity))
        .outerjoin(Crate, Lot.crate_id == Crate.id)
        .outerjoin(Shipment, Crate.shipment_id == Shipment.id)
        .group_by(Lot.status, Lot.reject_reason, Shipment.status)
    )
    for status, reason, shipment_status, copies in connection.execute(by_stage):
        totals.update(_lot_keys(LotStatus(status), int(copies or 0), reason,
                                ShipmentStatus(shipment_status) if shipment_status else None))
    by_site = (
        sa.select(Donation.site_id, sa.func.sum(DonationLine.quantity))
        .join(DonationLine, DonationLine.donation_id == Donation.id)
        .where(Donation.voided_at.is_(None))
        .group_by(Donation.site_id)
    )
    for site_id, copies in connection.execute(by_site):
        totals[(SITE, str(site_id))] += int(copies or 0)
    by_day = (
        sa.select(Donation.received_on, sa.func.sum(DonationLine.quantity))
        .join(DonationLine, DonationLine.donation_id == Donation.id)
        .where(Donation.voided_at.is_(None))
        .group_by(Donation.received_on)
    )
    for day, copies in connection.execute(by_day):
        totals[(DAY, (day if isinstance(day, date) else date.fromisoformat(str(day))).isoformat())] += int(copies or 0)
    return {key: n for key, n in totals.items() if n}


def rebuild(connection: sa.Connection) -> None:
    """Start the running totals again from a recount (the migration that makes them; a mend)."""
    connection.execute(sa.delete(TABLE))
    rows = [{"name": name, "key": key, "delta": n} for (name, key), n in recount(connection).items()]
    if rows:
        connection.execute(sa.insert(TABLE), rows)


def stages(totals: dict[Key, int] | None = None) -> dict[str, int]:
    """Copies in each stage of STAGES."""
    counted = of(STAGE, totals)
    return {key: counted.get(key, 0) for key, _ in STAGES}

