"""Lots: the state machine every copy moves through, and the split that never creates or loses one."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import db
from books2iraq.i18n import counted, number
from books2iraq.intake.models import Lot, LotStatus
from books2iraq.states import Move, StateMachine

L = LotStatus


def _catalogued(lot: Lot) -> None:
    if lot.title_id is None and lot.title is None:
        raise DomainError(_("Lot %(lot)s is not catalogued yet; say which title it is before accepting it.", lot=lot.id))


LOT = StateMachine(
    lambda lot: _("Lot %(lot)s", lot=lot.id),
    {
        "catalogue": Move(frozenset({L.RECEIVED}), None, _l("only received lots are catalogued.")),
        "accept": Move(frozenset({L.RECEIVED}), L.ACCEPTED, _l("only received lots can be accepted."), (_catalogued,)),
        "reject": Move(frozenset({L.RECEIVED, L.ACCEPTED}), L.REJECTED, _l("it cannot be rejected now.")),
        "recount": Move(frozenset({L.RECEIVED, L.ACCEPTED}), None, _l("only received or accepted lots can be recounted.")),
        "void": Move(frozenset({L.RECEIVED, L.ACCEPTED}), L.VOID, _l("only received or accepted lots can be voided.")),
        "pack": Move(frozenset({L.ACCEPTED}), L.PACKED, _l("only accepted books can be packed.")),
        "unpack": Move(frozenset({L.PACKED}), L.ACCEPTED, _l("it is not in a crate.")),
    },
    outer=lambda lot: [lot.crate.shipment, lot.crate] if lot.crate is not None else [],
)


def get(lot_id: int) -> Lot:
    lot = db.session.get(Lot, lot_id)
    if lot is None:
        raise NotFound(_("There is no lot %(lot)s.", lot=lot_id))
    return lot


def check_quantity(lot: Lot, quantity: int | None) -> int:
    """The number of copies to act on: all of the lot when None, else 1..lot.quantity."""
    if quantity is None:
        return lot.quantity
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise DomainError(_("The number of copies must be a whole number of at least 1."))
    if quantity > lot.quantity:
        raise DomainError(counted(lot.quantity, "Lot %(lot)s has only %(num)s copy; you asked for %(asked)s.",
                                  "Lot %(lot)s has only %(num)s copies; you asked for %(asked)s.", lot=lot.id,
                                  asked=number(quantity)))
    return quantity


def split(lot: Lot, quantity: int, *, actor: User | None) -> Lot:
    """Move `quantity` copies of `lot` into a new lot in the same state; the total stays the same."""
    if not 0 < quantity < lot.quantity:
        raise DomainError(counted(lot.quantity, "Lot %(lot)s of %(num)s copy cannot be split into %(asked)s + the rest.",
                                  "Lot %(lot)s of %(num)s copies cannot be split into %(asked)s + the rest.",
                                  lot=lot.id, asked=number(quantity)))
    piece = Lot(
        donation_id=lot.donation_id,
        line_id=lot.line_id,
        parent_id=lot.id,
        title_id=lot.title_id,
        description=lot.description,
        quantity=quantity,
        condition=lot.condition,
        status=lot.status,
        reject_reason=lot.reject_reason,
        disposition=lot.disposition,
        reject_note=lot.reject_note,
        crate_id=lot.crate_id,
        earmarked_for_id=lot.earmarked_for_id,
    )
    lot.quantity -= quantity
    db.session.add(piece)
    db.session.flush()
    audit.record(actor, "lot.split", lot, new_lot=piece.id, quantity=quantity, remaining=lot.quantity)
    return piece


def take(lot: Lot, quantity: int | None, *, actor: User | None) -> Lot:
    """The lot itself when acting on all of it, else a piece split off with `quantity` copies."""
    quantity = check_quantity(lot, quantity)
    if quantity == lot.quantity:
        return lot
    return split(lot, quantity, actor=actor)
