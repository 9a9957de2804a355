"""The dashboard's running totals, kept in the transaction that changes them, so that no page sums a
million lots: copies in each stage of the flow, copies received at each site and on each day, copies
rejected for each reason, copies packed on each shipment.

Each flush reads from the database what the lots, crates, shipments and donations it is about to
change count for, and reads them again once written (with the new lots and lines); the differences go
into `tallies` as rows (name, key, delta). It only ever inserts, so two volunteers recording
donations at once never wait for each other on a counter. A total is the sum of
its rows; the change that takes the rows past FOLD_AFTER folds them into one row a total. `recount()`
works every total out again from the records, and `check-accounts` says if the two ever differ.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
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
STAGE, SITE, REASON, DAY, SHIPMENT = "stage", "site", "reason", "day", "shipment"  # a day: 2026-11-25
SITE_MONTH = "site_month"  # copies received at a site in a month: "3:2026-11" (site 3, November 2026)
LOTS = "lots"  # lots (not copies) in each state: the sorting queue's length without counting 100,000
FOLD_AFTER = 1_000  # rows: beyond, a reading folds them into one row a total

Key = tuple[str, str]


# -- what a lot counts for -----------------------------------------------------------------------------
Place = tuple[int | None, ShipmentStatus | None]  # where a crate is: its shipment, and that shipment's status


def _lot_keys(status: LotStatus | None, quantity: int, reason: Any, place: Place, lots: int = 0) -> Counter[Key]:
    """What `lots` lots of `quantity` copies in all count for (copies in each total; lots in LOTS)."""
    counted: Counter[Key] = Counter()
    if status is None or status is LotStatus.VOID:
        return counted
    if lots:
        counted[(LOTS, status.value)] += lots
    if not quantity:
        return counted
    shipment_id, shipment_status = place
    counted[(STAGE, stage_of(status, shipment_status))] += quantity
    if status is LotStatus.REJECTED and reason is not None:
        counted[(REASON, getattr(reason, "value", str(reason)))] += quantity
    if status is LotStatus.PACKED and shipment_id is not None:
        counted[(SHIPMENT, str(shipment_id))] += quantity
    return counted


# -- keeping them: what the records a flush touches count for, read before it and after it ------------
_BEFORE = "books2iraq.tallies.before"


@dataclass(frozen=True)
class Touched:
    lots: frozenset[int]
    crates: frozenset[int]
    shipments: frozenset[int]
    donations: frozenset[int]


def _persistent_ids(objects: Any, model: type) -> frozenset[int]:
    ids = (getattr(o, "id", None) for o in objects if isinstance(o, model))
    return frozenset(int(i) for i in ids if i is not None)


# What a record counts for depends on these attributes alone: a flush that changes none of them (a
# donation's note, a crate's weight, a lot's version) cannot change a total, and reads nothing.
COUNTED_BY: dict[type, tuple[str, ...]] = {
    Lot: ("status", "quantity", "reject_reason", "crate_id", "crate"),
    Crate: ("shipment_id", "shipment"),
    Shipment: ("status",),
    Donation: ("voided_at", "site_id", "site", "received_on"),
}


def _recounted(objects: Any) -> list[Any]:
    """The dirty records among `objects` whose counted attributes changed (all deleted ones count)."""
    found = []
    for obj in objects:
        attributes = COUNTED_BY.get(type(obj))
        if attributes is None:
            continue
        state = sa.inspect(obj)
        if state.deleted or state.was_deleted or any(state.attrs[a].history.has_changes() for a in attributes):
            found.append(obj)
    return found


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    """What the records this flush will change count for now, read from the database before it writes."""
    changing = _recounted([*session.dirty, *session.deleted])
    touched = Touched(*(_persistent_ids(changing, model) for model in (Lot, Crate, Shipment, Donation)))
    if any((touched.lots, touched.crates, touched.shipments, touched.donations)):
        session.info[_BEFORE] = (touched, _counted(session.connection(), touched))
    else:
        session.info.pop(_BEFORE, None)


def _unplaced(lot: Lot) -> bool:
    """A new lot in no crate: what it counts for is in its own attributes, with nothing to read."""
    return lot.status is not None and lot.crate_id is None and lot.crate is None


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context: Any) -> None:
    """The same records (and the new ones) read again: the differences go in as rows."""
    touched, before = session.info.pop(_BEFORE, (Touched(frozenset(), frozenset(), frozenset(), frozenset()), Counter()))
    new = [o for o in session.new if isinstance(o, Lot)]
    new_lots = _persistent_ids([lot for lot in new if not _unplaced(lot)], Lot)
    new_lines = [o for o in session.new if isinstance(o, DonationLine)]
    if not (any((touched.lots, touched.crates, touched.shipments, touched.donations)) or new or new_lines):
        return
    connection = session.connection()
    reread = Touched(touched.lots | new_lots, touched.crates, touched.shipments, touched.donations)
    after = _counted(connection, reread) if any(vars(reread).values()) else Counter()
    for lot in new:
        if _unplaced(lot):
            after.update(_lot_keys(lot.status, lot.quantity, lot.reject_reason, (None, None), lots=1))
    # Lines of donations the flush did not change: new ones, counted at their donation's site and day.
    for line in new_lines:
        donation = line.donation
        if donation.id not in touched.donations and donation.voided_at is None:
            after[(SITE, str(donation.site_id))] += line.quantity
            after[(DAY, donation.received_on.isoformat())] += line.quantity
            after[(SITE_MONTH, site_month(donation.site_id, donation.received_on))] += line.quantity
    deltas = after
    deltas.subtract(before)
    rows = [{"name": name, "key": key, "delta": delta} for (name, key), delta in deltas.items() if delta]
    if rows:
        connection.execute(sa.insert(TABLE), rows)
        _added[0] += len(rows)
        if _added[0] >= FOLD_AFTER // 10:  # the rows are counted now and then, not at every change
            _added[0] = 0
            if (connection.scalar(sa.select(sa.func.count()).select_from(TABLE)) or 0) > FOLD_AFTER:
                fold(connection)  # in the transaction of a change, so that reading writes nothing


# Rows this process added since it last counted them: the table holds at most FOLD_AFTER rows and
# a tenth of them from each process (a reading sums them all).
_added = [0]


def _counted(connection: sa.Connection, touched: Touched) -> Counter[Key]:
    """What these records count for as the database has them: the lots themselves; the packed lots of
    the crates (but those lots); those of the shipments (but those crates); the donations' lines."""
    counted: Counter[Key] = Counter()
    lots = sorted(touched.lots)
    criteria: list[sa.ColumnElement[bool]] = []
    if lots:
        criteria.append(Lot.id.in_(lots))
    not_these = [Lot.id.not_in(lots)] if lots else []
    if touched.crates:
        criteria.append(sa.and_(Lot.crate_id.in_(sorted(touched.crates)), *not_these))
    if touched.shipments:
        others = [Crate.id.not_in(sorted(touched.crates))] if touched.crates else []
        on_them = sa.select(Crate.id).where(Crate.shipment_id.in_(sorted(touched.shipments)), *others)
        criteria.append(sa.and_(Lot.crate_id.in_(on_them), *not_these))
    for where in criteria:
        counted.update(_lots_count(connection, where))
    if touched.donations:
        counted.update(_lines_count(connection, Donation.id.in_(sorted(touched.donations))))
    return counted


def _lots_count(connection: sa.Connection, *where: Any) -> Counter[Key]:
    """What the lots `where` selects count for, grouped in SQL by state and by where their crate is."""
    counted: Counter[Key] = Counter()
    stmt = (
        sa.select(Lot.status, Lot.reject_reason, Shipment.id, Shipment.status, sa.func.sum(Lot.quantity), sa.func.count())
        .outerjoin(Crate, Lot.crate_id == Crate.id)
        .outerjoin(Shipment, Crate.shipment_id == Shipment.id)
        .where(*where)
        .group_by(Lot.status, Lot.reject_reason, Shipment.id, Shipment.status)
    )
    for status, reason, shipment_id, shipment_status, copies, lots in connection.execute(stmt):
        place = (shipment_id, ShipmentStatus(shipment_status) if shipment_status else None)
        counted.update(_lot_keys(LotStatus(status), int(copies or 0), reason, place, lots=int(lots)))
    return counted


def _lines_count(connection: sa.Connection, *where: Any) -> Counter[Key]:
    """The copies of the donation lines `where` selects, at their site and on their day (voided ones out)."""
    counted: Counter[Key] = Counter()
    stmt = (
        sa.select(Donation.site_id, Donation.received_on, sa.func.sum(DonationLine.quantity))
        .join(DonationLine, DonationLine.donation_id == Donation.id)
        .where(Donation.voided_at.is_(None), *where)
        .group_by(Donation.site_id, Donation.received_on)
    )
    for site_id, day, copies in connection.execute(stmt):
        counted[(SITE, str(site_id))] += int(copies or 0)
        counted[(DAY, _iso(day))] += int(copies or 0)
        counted[(SITE_MONTH, site_month(site_id, day))] += int(copies or 0)
    return counted


def site_month(site_id: int, day: Any) -> str:
    """The key of SITE_MONTH: "3:2026-11"."""
    return f"{site_id}:{_iso(day)[:7]}"


def _iso(day: Any) -> str:
    return (day if isinstance(day, date) else date.fromisoformat(str(day))).isoformat()


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
    """The totals of one name, key -> copies: from `totals` when given, else read from its rows alone."""
    if totals is not None:
        return {key: n for (kind, key), n in totals.items() if kind == name}
    rows = db.session.execute(sa.select(TABLE.c.key, sa.func.sum(TABLE.c.delta)).where(TABLE.c.name == name)
                              .group_by(TABLE.c.key))
    return {key: int(total) for key, total in rows if total}


# -- working them out again ----------------------------------------------------------------------------
def recount(connection: sa.Connection | None = None) -> dict[Key, int]:
    """Every total worked out from the records themselves (what `read` must always equal)."""
    connection = connection or db.session.connection()
    totals = _lots_count(connection) + _lines_count(connection)
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

