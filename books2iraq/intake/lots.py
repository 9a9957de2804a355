"""Lots: the state machine every copy moves through, and the split that never creates or loses one."""
from __future__ import annotations

import sqlalchemy as sa

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.errors import InvalidQuantity, InvalidTransition, NotFound
from books2iraq.extensions import db
from books2iraq.intake.models import Lot, LotStatus

TRANSITIONS: dict[LotStatus, frozenset[LotStatus]] = {
    LotStatus.RECEIVED: frozenset({LotStatus.ACCEPTED, LotStatus.REJECTED, LotStatus.VOID}),
    LotStatus.ACCEPTED: frozenset({LotStatus.PACKED, LotStatus.REJECTED, LotStatus.VOID}),
    LotStatus.PACKED: frozenset({LotStatus.ACCEPTED}),
    LotStatus.REJECTED: frozenset(),
    LotStatus.VOID: frozenset(),
}


def get(lot_id: int) -> Lot:
    lot = db.session.get(Lot, lot_id)
    if lot is None:
        raise NotFound(f"There is no lot {lot_id}.")
    return lot


def transition(lot: Lot, to: LotStatus) -> None:
    if to not in TRANSITIONS[lot.status]:
        raise InvalidTransition(f"Lot {lot.id} is {lot.status.value}; it cannot become {to.value}.")
    lot.status = to


def check_quantity(lot: Lot, quantity: int | None) -> int:
    """The number of copies to act on: all of the lot when None, else 1..lot.quantity."""
    if quantity is None:
        return lot.quantity
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise InvalidQuantity("The number of copies must be a whole number of at least 1.")
    if quantity > lot.quantity:
        raise InvalidQuantity(f"Lot {lot.id} has only {lot.quantity} copies; you asked for {quantity}.")
    return quantity


def split(lot: Lot, quantity: int, *, actor: User | None) -> Lot:
    """Move `quantity` copies of `lot` into a new lot in the same state; the total stays the same."""
    if not 0 < quantity < lot.quantity:
        raise InvalidQuantity(f"Lot {lot.id} of {lot.quantity} copies cannot be split into {quantity} + the rest.")
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


def lots_of(donation_id: int) -> list[Lot]:
    return list(db.session.scalars(sa.select(Lot).where(Lot.donation_id == donation_id).order_by(Lot.id)))
