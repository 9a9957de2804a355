"""Receiving: the recipient checks in each crate of a shipment (received, damaged, missing), the
shipment becomes delivered when the last one is checked in, and the coordinator reads the
reconciliation: what was sent against what arrived, per crate and per title.

Checking in locks the shipment's row first (SHIPMENT.check), so two people scanning crates of one
shipment at once are served one after the other: a crate is never checked in twice by a race, and the
check-in that completes the shipment is the one that sees every other.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from flask_babel import gettext as _

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.crating.models import Crate
from books2iraq.crating.services import copies_of
from books2iraq.db import utcnow
from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import db
from books2iraq.intake.models import Lot, Title
from books2iraq.receiving.models import CrateOutcome, CrateReceipt, ReceiptLine
from books2iraq.shipping.models import Shipment, ShipmentEvent, ShipmentStatus
from books2iraq.shipping.services import SHIPMENT, shipment_totals

S = ShipmentStatus
NOTE_LENGTH = 1000

# The shipments a recipient sees: from the moment they leave the warehouse.
SEEN_BY_RECIPIENT = (S.DISPATCHED, S.IN_TRANSIT, S.AT_CUSTOMS, S.CLEARED, S.DELIVERED)


@dataclass(frozen=True)
class Where:
    """From where a check-in was made: the client's address and its browser, as the request says."""

    address: str | None = None
    device: str | None = None

    def kept(self) -> dict[str, str | None]:
        """As a receipt keeps them (its columns' lengths)."""
        return {"address": (self.address or "")[:64] or None, "device": (self.device or "")[:200] or None}


# --- Who sees which shipment ------------------------------------------------------------------------


def shipments_for(user: User) -> sa.Select[tuple[Shipment]]:
    """The shipments `user` may check in, newest first: a recipient's own institution's once they have
    left the warehouse; every such shipment for the staff who act for recipients."""
    stmt = sa.select(Shipment).where(Shipment.status.in_(SEEN_BY_RECIPIENT)).order_by(Shipment.id.desc())
    if user.role is Role.RECIPIENT:
        stmt = stmt.where(Shipment.recipient_id == user.recipient_id)
    return stmt


def shipment_for(user: User, ref: str) -> Shipment:
    """The shipment `ref` if `user` may see it; otherwise NotFound, as if there were none (a recipient
    learns nothing of other institutions' shipments)."""
    shipment = db.session.scalar(shipments_for(user).where(Shipment.ref == ref.strip().upper()))
    if shipment is None:
        raise NotFound(_("There is no shipment %(ref)s for you to check in.", ref=ref.strip()))
    return shipment


# --- Checking in ----------------------------------------------------------------------------------


def crate_on(shipment: Shipment, code: str) -> Crate:
    """The crate of `shipment` whose label was scanned or typed."""
    typed = (code or "").strip().upper()
    if not typed:
        raise DomainError(_("Scan or type the code on the crate's label."), field="code")
    crate = db.session.scalar(sa.select(Crate).where(Crate.code == typed))
    if crate is None:
        raise NotFound(_("There is no crate %(code)s.", code=typed), field="code")
    _must_be_on(crate, shipment)
    return crate


def receipt_of(crate: Crate) -> CrateReceipt | None:
    return db.session.scalar(sa.select(CrateReceipt).where(CrateReceipt.crate_id == crate.id))


def _must_be_on(crate: Crate, shipment: Shipment) -> None:
    if crate.shipment_id != shipment.id:
        raise DomainError(_("Crate %(code)s is not on shipment %(ref)s; put it aside and tell the coordinator.",
                            code=crate.code, ref=shipment.ref), field="code")


def titles_in(crate: Crate) -> list[tuple[Title, int]]:
    """The titles packed in a crate with their copies, by title."""
    stmt = (
        sa.select(Title, sa.func.sum(Lot.quantity))
        .join(Lot, Lot.title_id == Title.id)
        .where(Lot.crate_id == crate.id)
        .group_by(Title.id)
        .order_by(Title.title, Title.id)
    )
    return [(title, int(copies)) for title, copies in db.session.execute(stmt)]


def check_in(
    shipment: Shipment,
    crate: Crate,
    *,
    outcome: CrateOutcome,
    actor: User,
    damaged: int = 0,
    counts: Mapping[int, tuple[int, int]] | None = None,
    note: str | None = None,
    where: Where = Where(),
) -> CrateReceipt:
    """Record what arrived of `crate`: received whole, damaged (`damaged` copies), or missing; or, with
    `counts` ({title id: (received, damaged)}), title by title, the copies not counted being missing.
    A crate checked in before is checked in again (a correction), with its earlier figures in the audit.
    The last crate of a shipment checked in makes the shipment delivered."""
    SHIPMENT.check(shipment, "check_in")  # locks the shipment: one check-in of it at a time
    _must_be_on(crate, shipment)
    note = (note or "").strip() or None
    if note and len(note) > NOTE_LENGTH:
        raise DomainError(_("Keep the note under %(max)s characters.", max=NOTE_LENGTH), field="note")
    titles = titles_in(crate)
    sent = sum(copies for _title, copies in titles)
    receipt = receipt_of(crate)
    before = _figures(receipt) if receipt is not None else None
    if receipt is None:
        receipt = CrateReceipt(crate_id=crate.id, shipment_id=shipment.id)
        db.session.add(receipt)
    receipt.lines = []
    if counts is not None:
        outcome, received, damaged_total, lines = _counted(crate, titles, counts)
        receipt.lines = lines
    else:
        received, damaged_total = _whole(crate, outcome, sent, damaged)
    receipt.outcome = outcome
    receipt.copies_sent = sent
    receipt.copies_received = received
    receipt.copies_damaged = damaged_total
    receipt.copies_missing = sent - received - damaged_total
    receipt.counted = counts is not None
    receipt.note = note
    receipt.checked_by_id = actor.id
    receipt.checked_at = utcnow()
    for name, value in where.kept().items():
        setattr(receipt, name, value)
    db.session.flush()
    figures = _figures(receipt)
    detail = {"shipment": shipment.ref, **figures, "address": receipt.address, "device": receipt.device}
    if before is not None:
        detail["before"] = before
    audit.record(actor, "crate.checked_in_again" if before else "crate.checked_in", crate, **detail)
    audit.record(actor, "shipment.crate_checked_in", shipment, crate=crate.code, **figures)
    if shipment.status is not S.DELIVERED and not waiting(shipment):
        _delivered(shipment, actor, where)
    return receipt


def _figures(receipt: CrateReceipt) -> dict[str, Any]:
    return {"outcome": receipt.outcome.value, "sent": receipt.copies_sent, "received": receipt.copies_received,
            "damaged": receipt.copies_damaged, "missing": receipt.copies_missing}


def _whole(crate: Crate, outcome: CrateOutcome, sent: int, damaged: int) -> tuple[int, int]:
    """(received, damaged) of a crate checked in whole."""
    if outcome is CrateOutcome.MISSING:
        return 0, 0
    if outcome is CrateOutcome.RECEIVED:
        return sent, 0
    if not isinstance(damaged, int) or not 1 <= damaged <= sent:
        raise DomainError(_("Crate %(code)s holds %(sent)s copies: say how many of them are damaged (1 to %(sent)s).",
                            code=crate.code, sent=sent), field="damaged")
    return sent - damaged, damaged


def _counted(
    crate: Crate, titles: list[tuple[Title, int]], counts: Mapping[int, tuple[int, int]]
) -> tuple[CrateOutcome, int, int, list[ReceiptLine]]:
    """A crate counted title by title: its outcome, received and damaged copies, and its lines."""
    packed = {title.id: (title, copies) for title, copies in titles}
    strangers = set(counts) - set(packed)
    if strangers:
        raise DomainError(_("Crate %(code)s holds no copies of title no. %(id)s.", code=crate.code, id=min(strangers)))
    lines = []
    for title_id, (title, sent) in packed.items():
        received, damaged = counts.get(title_id, (0, 0))
        if received < 0 or damaged < 0 or received + damaged > sent:
            raise DomainError(_("“%(title)s”: %(sent)s copies were sent; the copies received and damaged cannot "
                                "be more than that, nor fewer than none.", title=title.title or title.isbn13, sent=sent))
        lines.append(ReceiptLine(title_id=title_id, sent=sent, received=received, damaged=damaged,
                                 missing=sent - received - damaged))
    received = sum(line.received for line in lines)
    damaged = sum(line.damaged for line in lines)
    sent = sum(line.sent for line in lines)
    outcome = CrateOutcome.RECEIVED if received == sent else CrateOutcome.DAMAGED
    return outcome, received, damaged, lines


def waiting(shipment: Shipment) -> int:
    """How many of the shipment's crates are not checked in yet."""
    checked = sa.select(CrateReceipt.crate_id).where(CrateReceipt.shipment_id == shipment.id)
    stmt = sa.select(sa.func.count()).select_from(Crate).where(
        Crate.shipment_id == shipment.id, Crate.id.not_in(checked))
    return int(db.session.scalar(stmt) or 0)


def _delivered(shipment: Shipment, actor: User, where: Where) -> ShipmentEvent:
    """Every crate is checked in: the shipment is delivered (its discrepancies, if any, in the note)."""
    current = SHIPMENT.move(shipment, S.DELIVERED.value)
    short = discrepancies(shipment)
    event = ShipmentEvent(
        from_status=current, to_status=S.DELIVERED, actor_id=actor.id, location=where.address,
        note="every crate checked in, with discrepancies" if short else "every crate checked in",
    )
    shipment.events.append(event)
    db.session.flush()
    audit.record(actor, "shipment.status_changed", shipment, from_status=current.value, to_status=S.DELIVERED.value,
                 released=[], discrepancies=short)
    return event


def deliver_the_rest(shipment: Shipment, *, actor: User, where: Where = Where()) -> int:
    """The coordinator marks a shipment delivered: every crate not checked in yet is checked in as
    received whole, in their name (the recipient confirmed it another way). Returns how many."""
    checked = set(db.session.scalars(sa.select(CrateReceipt.crate_id).where(CrateReceipt.shipment_id == shipment.id)))
    rest = [crate for crate in shipment.crates if crate.id not in checked]
    held = copies_of([crate.id for crate in rest])  # in one statement, not one a crate
    for crate in rest:
        sent = held.get(crate.id, 0)
        db.session.add(CrateReceipt(
            crate_id=crate.id, shipment_id=shipment.id, outcome=CrateOutcome.RECEIVED, copies_sent=sent,
            copies_received=sent, copies_damaged=0, copies_missing=0, checked_by_id=actor.id,
            note="confirmed by the coordinator when marking the shipment delivered", **where.kept(),
        ))
        audit.record(actor, "crate.checked_in", crate, shipment=shipment.ref, outcome="received", sent=sent,
                     received=sent, damaged=0, missing=0, by_coordinator=True)
    db.session.flush()
    return len(rest)


# --- What arrived against what was sent ----------------------------------------------------------


def discrepancies(shipment: Shipment) -> int:
    """Copies of the shipment checked in as damaged or missing."""
    stmt = sa.select(sa.func.coalesce(sa.func.sum(CrateReceipt.copies_damaged + CrateReceipt.copies_missing), 0)).where(
        CrateReceipt.shipment_id == shipment.id)
    return int(db.session.scalar(stmt) or 0)


@dataclass
class Totals:
    sent: int = 0
    received: int = 0
    damaged: int = 0
    missing: int = 0
    waiting: int = 0  # copies in crates not checked in yet

    def add(self, sent: int, received: int, damaged: int, missing: int, waiting: int = 0) -> None:
        self.sent += sent
        self.received += received
        self.damaged += damaged
        self.missing += missing
        self.waiting += waiting


@dataclass(frozen=True)
class CrateRow:
    crate: Crate
    sent: int
    receipt: CrateReceipt | None


@dataclass
class TitleRow:
    title: Title
    totals: Totals = field(default_factory=Totals)
    uncounted_damage: int = 0  # copies of damaged crates not counted by title: which titles, nobody said

    @property
    def whole(self) -> bool:
        """Every copy of it sent arrived fit for the shelf."""
        return self.totals.received == self.totals.sent


@dataclass
class Reconciliation:
    shipment: Shipment
    crates: list[CrateRow]
    titles: list[TitleRow]
    totals: Totals

    @property
    def discrepant(self) -> list[CrateRow]:
        return [row for row in self.crates if row.receipt is not None and row.receipt.discrepant]


def _on(shipment: Shipment) -> Any:
    """Lots in the shipment's crates (read from the lots' index by crate)."""
    return Lot.crate_id.in_(sa.select(Crate.id).where(Crate.shipment_id == shipment.id))


def _title_rows(shipment: Shipment, receipts: dict[int, CrateReceipt],
                titles: sa.Select[Any] | None = None) -> tuple[dict[int, TitleRow], dict[int, int]]:
    """Per title of the shipment (of the title ids `titles` selects, when given): its figures; and the
    copies sent in each crate (of those titles). `receipts`: every receipt of the shipment, by crate."""
    only = [] if titles is None else [Lot.title_id.in_(titles)]
    per_crate_title = db.session.execute(
        sa.select(Lot.crate_id, Lot.title_id, sa.func.sum(Lot.quantity)).where(_on(shipment), *only)
        .group_by(Lot.crate_id, Lot.title_id)
    ).all()
    counted_lines = {(line.receipt_id, line.title_id): line for line in db.session.scalars(
        sa.select(ReceiptLine).join(CrateReceipt).where(CrateReceipt.shipment_id == shipment.id, *(
            [] if titles is None else [ReceiptLine.title_id.in_(titles)])))}
    title_ids = {title_id for _crate, title_id, _n in per_crate_title if title_id is not None}
    known = {t.id: t for t in db.session.scalars(sa.select(Title).where(Title.id.in_(title_ids)))} if title_ids else {}
    sent_per_crate: dict[int, int] = defaultdict(int)
    rows: dict[int, TitleRow] = {}
    for crate_id, title_id, n in per_crate_title:
        n = int(n)
        sent_per_crate[crate_id] += n
        row = rows.setdefault(title_id, TitleRow(known[title_id]))
        receipt = receipts.get(crate_id)
        if receipt is None:
            row.totals.add(n, 0, 0, 0, waiting=n)
        elif receipt.counted:
            line = counted_lines[(receipt.id, title_id)]
            row.totals.add(line.sent, line.received, line.damaged, line.missing)
        elif receipt.outcome is CrateOutcome.MISSING:
            row.totals.add(n, 0, 0, n)
        elif receipt.outcome is CrateOutcome.RECEIVED:
            row.totals.add(n, n, 0, 0)
        else:  # damaged, not counted by title: received or damaged, nobody said which title
            row.totals.add(n, 0, 0, 0)
            row.uncounted_damage += n
    return rows, sent_per_crate


def _by_shortfall(rows: Iterable[TitleRow]) -> list[TitleRow]:
    return sorted(rows, key=lambda r: (-(r.totals.damaged + r.totals.missing + r.uncounted_damage),
                                       r.title.title or "", r.title.id))


def reconciliation(shipment: Shipment) -> Reconciliation:
    """Sent against received, every crate and every title (the goods received note prints them all),
    in five statements whatever the shipment's size.

    Per title: a crate counted title by title gives its lines; a crate received whole or missing gives
    every title in it as received or missing; the damaged copies of a crate not counted by title are
    shown apart, as "damaged, title not known"."""
    crates = list(db.session.scalars(sa.select(Crate).where(Crate.shipment_id == shipment.id).order_by(Crate.id)))
    receipts = {r.crate_id: r for r in db.session.scalars(
        sa.select(CrateReceipt).where(CrateReceipt.shipment_id == shipment.id)
        .options(sa.orm.selectinload(CrateReceipt.checked_by)))}
    rows, sent_per_crate = _title_rows(shipment, receipts)
    totals = Totals()
    crate_rows = []
    for crate in crates:
        receipt = receipts.get(crate.id)
        sent = sent_per_crate.get(crate.id, 0)
        if receipt is None:
            totals.add(sent, 0, 0, 0, waiting=sent)
        else:
            totals.add(receipt.copies_sent, receipt.copies_received, receipt.copies_damaged, receipt.copies_missing)
        crate_rows.append(CrateRow(crate, sent, receipt))
    return Reconciliation(shipment, crate_rows, _by_shortfall(rows.values()), totals)


# --- The same, a page at a time (a container holds 1,200 crates) ----------------------------------


@dataclass(frozen=True)
class Progress:
    crates: int
    checked: int
    short: int  # crates checked in that did not all arrive fit
    totals: Totals


def progress(shipment: Shipment) -> Progress:
    """How far the check-in has got: crates, and copies sent (the running totals), received, damaged and
    missing (the receipts), in three statements."""
    shipped = shipment_totals(shipment)
    short = sa.case((CrateReceipt.copies_received != CrateReceipt.copies_sent, 1), else_=0)
    checked, sent, received, damaged, missing, shorts = db.session.execute(
        sa.select(sa.func.count(CrateReceipt.id), *(sa.func.coalesce(sa.func.sum(c), 0) for c in (
            CrateReceipt.copies_sent, CrateReceipt.copies_received, CrateReceipt.copies_damaged,
            CrateReceipt.copies_missing, short))).where(CrateReceipt.shipment_id == shipment.id)).one()
    totals = Totals(shipped.copies, int(received), int(damaged), int(missing), waiting=shipped.copies - int(sent))
    return Progress(shipped.crates, int(checked), int(shorts), totals)


def crates_as_found(shipment: Shipment, *, short_first: bool = False) -> sa.Select[Any]:
    """The shipment's crates with their receipts, for one page of them (paging.paginate with crate_rows):
    the crates still to check in first; or, with `short_first`, those that arrived short, then those
    still to check in."""
    waiting = CrateReceipt.id.is_(None)
    first = sa.case((CrateReceipt.copies_received != CrateReceipt.copies_sent, 0), (waiting, 1), else_=2) \
        if short_first else sa.case((waiting, 0), else_=1)
    return (sa.select(Crate, CrateReceipt).outerjoin(CrateReceipt, CrateReceipt.crate_id == Crate.id)
            .where(Crate.shipment_id == shipment.id).options(sa.orm.joinedload(CrateReceipt.checked_by))
            .order_by(first, Crate.id))


def crate_rows(result: sa.Result[Any]) -> list[CrateRow]:
    """A page of crates_as_found with the copies each crate holds."""
    pairs = result.all()
    held = copies_of([crate.id for crate, _receipt in pairs])
    return [CrateRow(crate, held.get(crate.id, 0), receipt) for crate, receipt in pairs]


def short_titles(shipment: Shipment) -> tuple[list[TitleRow], int]:
    """The titles checked in short (damaged, missing, or in a damaged crate not counted by title), the
    most short first, and how many titles arrived whole once every crate is checked in (else 0). Only
    the titles of the crates checked in short are gone through: a shipment on its way costs nothing."""
    short_crates = sa.select(CrateReceipt.crate_id).where(
        CrateReceipt.shipment_id == shipment.id,
        sa.or_(CrateReceipt.counted.is_(True), CrateReceipt.outcome != CrateOutcome.RECEIVED))
    suspects = sa.select(Lot.title_id).where(Lot.crate_id.in_(short_crates)).distinct()
    receipts = {r.crate_id: r for r in db.session.scalars(sa.select(CrateReceipt).where(CrateReceipt.shipment_id == shipment.id))}
    rows, _sent = _title_rows(shipment, receipts, suspects)
    short = [row for row in rows.values() if row.totals.damaged or row.totals.missing or row.uncounted_damage]
    if waiting(shipment):
        return _by_shortfall(short), 0
    titles = int(db.session.scalar(sa.select(sa.func.count(sa.distinct(Lot.title_id))).where(_on(shipment))) or 0)
    return _by_shortfall(short), titles - len(short)


# --- The accounting invariant ---------------------------------------------------------------------


@dataclass(frozen=True)
class ShipmentAccount:
    ref: str
    problem: str


def unbalanced_shipments() -> list[ShipmentAccount]:
    """Shipments whose receipts do not account for what they carried: for every shipment, copies
    shipped = received + damaged + missing once it is delivered, each crate's receipt counts the copies
    the crate holds, and no receipt names a crate that is not on its shipment."""
    copies = (
        sa.select(Lot.crate_id, sa.func.sum(Lot.quantity).label("copies"))
        .where(Lot.crate_id.is_not(None)).group_by(Lot.crate_id).subquery()
    )
    problems: list[ShipmentAccount] = []
    receipts = db.session.execute(
        sa.select(Shipment.ref, Crate.code, Crate.shipment_id, CrateReceipt.shipment_id, CrateReceipt.copies_sent,
                  CrateReceipt.copies_received + CrateReceipt.copies_damaged + CrateReceipt.copies_missing,
                  sa.func.coalesce(copies.c.copies, 0))
        .join(Crate, CrateReceipt.crate_id == Crate.id)
        .join(Shipment, CrateReceipt.shipment_id == Shipment.id)
        .outerjoin(copies, copies.c.crate_id == Crate.id)
    )
    for ref, code, on, receipt_on, sent, accounted, held in receipts:
        if on != receipt_on:
            problems.append(ShipmentAccount(ref, f"crate {code} is checked in but no longer on this shipment"))
        if sent != accounted:
            problems.append(ShipmentAccount(ref, f"crate {code}: {sent} sent, {accounted} received, damaged or missing"))
        if sent != held:
            problems.append(ShipmentAccount(ref, f"crate {code}: {sent} checked in as sent, {held} packed in it"))
    unchecked = db.session.execute(
        sa.select(Shipment.ref, Crate.code)
        .join(Crate, Crate.shipment_id == Shipment.id)
        .outerjoin(CrateReceipt, CrateReceipt.crate_id == Crate.id)
        .where(Shipment.status == S.DELIVERED, CrateReceipt.id.is_(None))
    )
    problems += [ShipmentAccount(ref, f"delivered, but crate {code} was never checked in") for ref, code in unchecked]
    return problems
