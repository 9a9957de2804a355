from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from flask_babel import gettext as _

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.concurrency import lock, lock_all
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.i18n import counted
from books2iraq.intake import lots, titles
from books2iraq.intake.models import (
    CountCorrection,
    Disposition,
    Donation,
    Lot,
    LotStatus,
    RejectReason,
    Title,
)
from books2iraq.reports import tallies

# What is usually done with rejected copies, by reason: what a quick reject (one key at the queue) does
# when nobody chose.
USUAL_DISPOSITION = {
    RejectReason.WATER_DAMAGED: Disposition.RECYCLE,
    RejectReason.MOULD: Disposition.DISCARD,
    RejectReason.TORN_OR_INCOMPLETE: Disposition.RECYCLE,
    RejectReason.OUTDATED: Disposition.RECYCLE,
    RejectReason.INAPPROPRIATE: Disposition.RECYCLE,
    RejectReason.NOT_WANTED: Disposition.DONATE_LOCALLY,
    RejectReason.SURPLUS: Disposition.DONATE_LOCALLY,
    RejectReason.OTHER: Disposition.RECYCLE,
}


def _waiting(site_id: int | None, donation_id: int | None, isbn13: str | None) -> sa.Select[Any]:
    waiting = sa.select(Lot).where(Lot.status == LotStatus.RECEIVED)
    if site_id is not None:
        waiting = waiting.join(Lot.donation).where(Donation.site_id == site_id)
    if donation_id is not None:
        waiting = waiting.where(Lot.donation_id == donation_id)
    if isbn13 is not None:
        waiting = waiting.join(Lot.title).where(Title.isbn13 == isbn13)
    return waiting


def waiting_total(site_id: int | None = None, *, donation_id: int | None = None, isbn13: str | None = None) -> int | None:
    """How many lots wait to be sorted at all sites, from the running totals (reports/tallies.py), not
    by counting 100,000 of them; None for a queue of one site, donation or ISBN (counted: it is short)."""
    if site_id is not None or donation_id is not None or isbn13 is not None:
        return None
    return tallies.of(tallies.LOTS).get(LotStatus.RECEIVED.value, 0)


def waiting_lots(
    site_id: int | None = None, *, donation_id: int | None = None, isbn13: str | None = None
) -> sa.Select[Any]:
    """The received lots waiting to be sorted (of one site, donation or ISBN), oldest first, with their
    titles and donations: a statement, for one page of the queue (paging.paginate)."""
    return (
        _waiting(site_id, donation_id, isbn13)
        .options(sa.orm.selectinload(Lot.title), sa.orm.selectinload(Lot.donation))
        .order_by(Lot.id)
    )


def accept_scanned(
    isbn: str, *, actor: User, site_id: int | None = None, donation_id: int | None = None
) -> Lot:
    """Accept the one copy in the sorter's hand: a copy of the oldest lot of that ISBN waiting to be
    sorted (in the donation being sorted, at the site, when given). Two sorters scanning the same
    book at once each take a copy, or the second is told none is left."""
    isbn13 = titles.normalise_isbn(isbn)
    for _attempt in range(3):  # a lot another sorter has just taken: the next one
        lot = db.session.scalars(_waiting(site_id, donation_id, isbn13).order_by(Lot.id).limit(1)).first()
        if lot is None:
            break
        lock(lot)  # its newest state, held until this transaction ends
        if lot.status is LotStatus.RECEIVED:
            return accept(lot, quantity=1, actor=actor)
    if donation_id is not None:
        raise DomainError(_("No copy of ISBN %(isbn)s is waiting to be sorted in this donation: nothing was accepted.",
                            isbn=isbn13))
    if site_id is not None:
        raise DomainError(_("No copy of ISBN %(isbn)s is waiting to be sorted at this site: nothing was accepted.",
                            isbn=isbn13))
    raise DomainError(_("No copy of ISBN %(isbn)s is waiting to be sorted: nothing was accepted.", isbn=isbn13))


def accept_donation(donation: Donation, *, actor: User) -> tuple[list[Lot], int]:
    """Accept every catalogued lot of a donation still waiting to be sorted, in one go; returns them
    and the number of copies left waiting because nobody has said which book they are (counted bags)."""
    waiting = lock_all(_waiting(None, donation.id, None).order_by(Lot.id))  # one statement, not one lock a lot
    ready = [lot for lot in waiting if lot.title_id is not None]
    if not ready:
        raise DomainError(_("Donation %(ref)s has no catalogued copies waiting to be sorted.", ref=donation.ref))
    accepted = [accept(lot, actor=actor) for lot in ready]
    return accepted, sum(lot.quantity for lot in waiting if lot.title_id is None)


def catalogue(lot: Lot, title: Title, *, actor: User, quantity: int | None = None) -> Lot:
    """Say which title `quantity` copies of a received lot are (all of it by default)."""
    lots.LOT.check(lot, "catalogue")
    piece = lots.take(lot, quantity, actor=actor)
    previous = piece.title_id
    piece.title = title
    db.session.flush()
    audit.record(actor, "lot.catalogued", piece, title_id=title.id, previous_title_id=previous)
    return piece


def accept(lot: Lot, *, actor: User, quantity: int | None = None) -> Lot:
    """Accept `quantity` copies (all by default) as fit to send; the rest stays to be sorted."""
    lots.LOT.check(lot, "accept")
    piece = lots.take(lot, quantity, actor=actor)
    lots.LOT.move(piece, "accept")
    db.session.flush()
    audit.record(actor, "lot.accepted", piece, quantity=piece.quantity)
    return piece


def reject(
    lot: Lot,
    *,
    reason: RejectReason,
    actor: User,
    disposition: Disposition | None = None,
    quantity: int | None = None,
    note: str | None = None,
) -> Lot:
    """Reject `quantity` copies (all by default) with a reason and what is done with them (by default,
    what is usually done for that reason)."""
    disposition = disposition or USUAL_DISPOSITION[reason]
    note = (note or "").strip() or None
    if reason is RejectReason.OTHER and not note:
        raise DomainError(_("Say why the copies are rejected when the reason is “other”."))
    lots.LOT.check(lot, "reject")
    piece = lots.take(lot, quantity, actor=actor)
    lots.LOT.move(piece, "reject")
    piece.reject_reason = reason
    piece.disposition = disposition
    piece.reject_note = note
    db.session.flush()
    audit.record(
        actor, "lot.rejected", piece, quantity=piece.quantity, reason=reason.value, disposition=disposition.value
    )
    return piece


def correct_count(lot: Lot, *, counted: int, reason: str, actor: User) -> CountCorrection:
    """Record that a lot really holds `counted` copies (0 voids it), with the reason why."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for correcting the count."))
    if isinstance(counted, bool) or not isinstance(counted, int) or counted < 0:
        raise DomainError(_("The counted number of copies must be a whole number, 0 or more."))
    lots.LOT.check(lot, "recount")
    delta = counted - lot.quantity
    if delta == 0:
        raise DomainError(_nothing_to_correct(lot, counted))
    correction = CountCorrection(
        lot_id=lot.id, donation_id=lot.donation_id, delta=delta, reason=reason[:500], actor_id=actor.id
    )
    lot.quantity = counted
    if counted == 0:
        lots.LOT.move(lot, "void")
    db.session.add(correction)
    db.session.flush()
    audit.record(actor, "lot.count_corrected", lot, delta=delta, counted=counted, reason=reason)
    return correction


def _nothing_to_correct(lot: Lot, copies: int) -> str:
    return counted(copies, "Lot %(lot)s already has %(num)s copy; nothing to correct.",
                   "Lot %(lot)s already has %(num)s copies; nothing to correct.", lot=lot.id)


def catalogue_as(
    lot: Lot,
    *,
    actor: User,
    isbn: str | None = None,
    title: str | None = None,
    quantity: int | None = None,
    not_this_isbn: bool = False,
    **details: object,
) -> Lot:
    """Catalogue copies of a lot by ISBN (found or added to the catalogue) or, without one, by title.
    Copies that carry an ISBN keep it when only a title is typed, unless the sorter says they are
    not that book (`not_this_isbn`)."""
    isbn = (isbn or "").strip() or None
    known = lot.title
    carried = known.isbn13 if known is not None else None
    if known is not None and carried is not None and isbn is None and not not_this_isbn:
        typed = (title or "").strip()
        if known.title and typed and typed != known.title:
            raise DomainError(_(
                "These copies carry ISBN %(isbn)s, catalogued as “%(title)s”. To correct that record for every "
                "copy, edit it in the catalogue; if these copies are another book, scan its ISBN, or tick “Not "
                "this ISBN” to catalogue them by title alone.", isbn=carried, title=known.title,
            ))
        isbn = carried
    if isbn:
        record = titles.title_for_isbn(isbn, actor=actor, title=title, **details)
    else:
        record = titles.create_title(title=title, actor=actor, **details)  # type: ignore[arg-type]
    return catalogue(lot, record, quantity=quantity, actor=actor)


def catalogue_scanned(bag: Lot, isbn: str, *, actor: User, accept_it: bool = True) -> Lot:
    """One book of a counted bag, scanned: one copy of the bag becomes that book (and is accepted). The
    bag's last copy makes the bag's own lot that book."""
    if bag.title_id is not None:
        raise DomainError(_("Lot %(lot)s is already catalogued as %(title)s: books are scanned one by one into a "
                            "counted bag (a lot with no title yet).", lot=bag.id, title=bag.label))
    piece = catalogue_as(bag, isbn=isbn, quantity=1, actor=actor)
    return accept(piece, actor=actor) if accept_it else piece
