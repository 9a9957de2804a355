"""The three state machines as fixed tables: every move tried from every state, through the services.

The expected tables are written out here, not read from the code: an extra allowed move fails a
test as surely as a missing one.
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

import pytest

from books2iraq.admin.services import update_organisation
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.crating.models import CrateStatus as C
from books2iraq.documents import issuing
from books2iraq.errors import InvalidTransition
from books2iraq.extensions import db
from books2iraq.intake import lots
from books2iraq.intake.models import Disposition, RejectReason
from books2iraq.intake.models import LotStatus as L
from books2iraq.pallets import services as pallets
from books2iraq.pallets.models import PalletStatus as P
from books2iraq.receiving import services as receiving
from books2iraq.receiving.models import CrateOutcome
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import ShipmentStatus as S
from books2iraq.sorting import services as sorting
from tests.factories import (
    TitleFactory,
    UserFactory,
    WarehouseFactory,
    accepted_lot,
    donation,
    sealed_crate,
    shipment_of,
)

LOT_CHANGES = {
    L.RECEIVED: {L.ACCEPTED, L.REJECTED, L.VOID},
    L.ACCEPTED: {L.PACKED, L.REJECTED, L.VOID},
    L.PACKED: {L.ACCEPTED},
    L.REJECTED: set(),
    L.VOID: set(),
}
CRATE_CHANGES = {C.OPEN: {C.SEALED}, C.SEALED: {C.OPEN}}
PALLET_CHANGES = {P.OPEN: {P.SEALED}, P.SEALED: {P.OPEN}}
SHIPMENT_CHANGES = {
    S.PLANNED: {S.PACKING, S.CANCELLED},
    S.PACKING: {S.PLANNED, S.READY, S.CANCELLED},
    S.READY: {S.PACKING, S.DISPATCHED, S.CANCELLED},
    S.DISPATCHED: {S.IN_TRANSIT, S.AT_CUSTOMS, S.DELIVERED},
    S.IN_TRANSIT: {S.AT_CUSTOMS, S.DELIVERED},
    S.AT_CUSTOMS: {S.CLEARED, S.DELIVERED},
    S.CLEARED: {S.DELIVERED},
    S.DELIVERED: set(),
    S.CANCELLED: set(),
}
# The lot states in which each sorting and packing action is allowed.
LOT_ACTIONS = {
    "catalogue": {L.RECEIVED},
    "accept": {L.RECEIVED},
    "reject": {L.RECEIVED, L.ACCEPTED},
    "correct_count": {L.RECEIVED, L.ACCEPTED},
    "pack": {L.ACCEPTED},
    "unpack": {L.PACKED},
}
CRATE_ACTIONS = {"pack": {C.OPEN}, "seal": {C.OPEN}, "reopen": {C.SEALED}, "assign": {C.SEALED}, "stack": {C.SEALED}}
# Crates go on and come off an open pallet; a sealed one is reopened or loaded.
PALLET_ACTIONS = {"put_on": {P.OPEN}, "take_off": {P.OPEN}, "seal": {P.OPEN}, "reopen": {P.SEALED}, "load": {P.SEALED}}
# The shipment states in which its crates may change (assign, remove, reopen one) and its details be edited.
CRATES_MAY_CHANGE = {S.PLANNED, S.PACKING}
DETAILS_MAY_CHANGE = set(S) - {S.DELIVERED, S.CANCELLED}
# Its customs papers are issued (or corrected) once its crates are fixed, never once it is cancelled.
PAPERS_MAY_BE_ISSUED = {S.READY, S.DISPATCHED, S.IN_TRANSIT, S.AT_CUSTOMS, S.CLEARED, S.DELIVERED}
# Its crates are checked in by the recipient once it has left the warehouse (and corrected after).
CRATES_MAY_BE_CHECKED_IN = {S.DISPATCHED, S.IN_TRANSIT, S.AT_CUSTOMS, S.CLEARED, S.DELIVERED}
PATH_TO = {
    S.PLANNED: (),
    S.PACKING: (S.PACKING,),
    S.READY: (S.PACKING, S.READY),
    S.DISPATCHED: (S.PACKING, S.READY, S.DISPATCHED),
    S.IN_TRANSIT: (S.PACKING, S.READY, S.DISPATCHED, S.IN_TRANSIT),
    S.AT_CUSTOMS: (S.PACKING, S.READY, S.DISPATCHED, S.AT_CUSTOMS),
    S.CLEARED: (S.PACKING, S.READY, S.DISPATCHED, S.AT_CUSTOMS, S.CLEARED),
    S.DELIVERED: (S.PACKING, S.READY, S.DISPATCHED, S.AT_CUSTOMS, S.CLEARED, S.DELIVERED),
    S.CANCELLED: (S.CANCELLED,),
}


def test_the_machines_allow_exactly_the_changes_of_state_in_the_tables():
    assert lots.LOT.transitions() == LOT_CHANGES
    assert crating.CRATE.transitions() == CRATE_CHANGES
    assert pallets.PALLET.transitions() == PALLET_CHANGES
    assert shipping.SHIPMENT.transitions() == SHIPMENT_CHANGES


def outcome(action: Callable[[], Any]) -> bool:
    """True when the action is allowed, False when it is refused as a wrong move; nothing is kept."""
    savepoint = db.session.begin_nested()
    try:
        action()
        return True
    except InvalidTransition:
        return False
    finally:
        savepoint.rollback()


def lot_in(status: L, sorter, crate):
    if status is L.RECEIVED:
        return donation(6, actor=sorter).lots[0]
    lot = accepted_lot(6, actor=sorter)
    if status is L.REJECTED:
        return sorting.reject(lot, reason=RejectReason.MOULD, disposition=Disposition.RECYCLE, actor=sorter)
    if status is L.PACKED:
        return crating.pack(lot, crate, actor=sorter)
    if status is L.VOID:
        sorting.correct_count(lot, counted=0, reason="empty bag", actor=sorter)
    return lot


def test_every_lot_action_from_every_lot_state(ctx):
    sorter = UserFactory(role=Role.WAREHOUSE)
    crate = crating.open_crate(site=WarehouseFactory(), actor=sorter)
    other_crate = crating.open_crate(site=WarehouseFactory(), actor=sorter)
    title = TitleFactory()
    actions = {
        "catalogue": lambda lot: sorting.catalogue(lot, title, actor=sorter),
        "accept": lambda lot: sorting.accept(lot, actor=sorter),
        "reject": lambda lot: sorting.reject(lot, reason=RejectReason.MOULD, disposition=Disposition.RECYCLE, actor=sorter),
        "correct_count": lambda lot: sorting.correct_count(lot, counted=lot.quantity + 1, reason="found one", actor=sorter),
        "pack": lambda lot: crating.pack(lot, other_crate, actor=sorter),
        "unpack": lambda lot: crating.unpack(lot, actor=sorter),
    }
    by_status = {status: lot_in(status, sorter, crate) for status in L}
    assert {status: lot.status for status, lot in by_status.items()} == {status: status for status in L}
    allowed = {name: {s for s, lot in by_status.items() if outcome(partial(act, lot))} for name, act in actions.items()}
    assert allowed == LOT_ACTIONS


def test_every_crate_action_from_every_crate_state(ctx):
    packer = UserFactory(role=Role.WAREHOUSE)
    shipment = shipment_of()
    crates = {C.OPEN: crating.open_crate(site=WarehouseFactory(), actor=packer), C.SEALED: sealed_crate(3)}
    crating.pack(accepted_lot(2, actor=packer), crates[C.OPEN], actor=packer)
    pallet = pallets.open_pallet(site=crates[C.SEALED].site, actor=packer)
    actions = {
        "pack": lambda crate: crating.pack(accepted_lot(1, actor=packer), crate, actor=packer),
        "seal": lambda crate: crating.seal(crate, gross_kg=Decimal("9"), actor=packer),
        "reopen": lambda crate: crating.reopen(crate, reason="recount", actor=packer),
        "assign": lambda crate: shipping.assign_crate(shipment, crate, actor=packer),
        "stack": lambda crate: pallets.put_on(pallet, crate, actor=packer),
    }
    allowed = {name: {s for s, crate in crates.items() if outcome(partial(act, crate))} for name, act in actions.items()}
    assert allowed == CRATE_ACTIONS


def test_every_pallet_action_from_every_pallet_state(ctx):
    packer = UserFactory(role=Role.WAREHOUSE)
    site = WarehouseFactory()
    shipment = shipment_of()
    by_status = {}
    for status in P:
        pallet = pallets.open_pallet(site=site, actor=packer)
        pallets.put_on(pallet, sealed_crate(2, site=site, actor=packer), actor=packer)
        if status is P.SEALED:
            pallets.seal(pallet, gross_kg="30", length_cm=120, width_cm=80, height_cm=50, actor=packer)
        by_status[status] = pallet
    actions = {
        "put_on": lambda pallet: pallets.put_on(pallet, sealed_crate(1, site=site, actor=packer), actor=packer),
        "take_off": lambda pallet: pallets.take_off(pallet, pallet.crates[0], actor=packer),
        "seal": lambda pallet: pallets.seal(pallet, gross_kg="30", length_cm=120, width_cm=80, height_cm=50, actor=packer),
        "reopen": lambda pallet: pallets.reopen(pallet, reason="recount", actor=packer),
        "load": lambda pallet: shipping.assign_pallet(shipment, pallet, actor=packer),
    }
    allowed = {name: {s for s, pallet in by_status.items() if outcome(partial(act, pallet))} for name, act in actions.items()}
    assert allowed == PALLET_ACTIONS


def shipment_in(status: S, coordinator):
    crate = sealed_crate(4)
    shipment = shipment_of(crate, mode="sea", container_no="CSQU3054383", actor=coordinator)
    for step in PATH_TO[status]:
        shipping.change_status(shipment, step, actor=coordinator)
    assert shipment.status is status
    return shipment, crate


def test_every_change_of_status_from_every_shipment_status(ctx):
    coordinator = UserFactory(role=Role.COORDINATOR)
    allowed = {}
    for status in S:
        shipment, _ = shipment_in(status, coordinator)
        allowed[status] = {to for to in S if outcome(partial(shipping.change_status, shipment, to, actor=coordinator))}
        assert set(shipping.next_statuses(shipment)) == SHIPMENT_CHANGES[status]
    assert allowed == SHIPMENT_CHANGES


@pytest.mark.parametrize("status", list(S))
def test_what_may_change_on_a_shipment_in_each_status(ctx, status):
    coordinator = UserFactory(role=Role.COORDINATOR)
    shipment, crate = shipment_in(status, coordinator)
    on_it = crate if crate.shipment is shipment else None
    assert outcome(lambda: shipping.assign_crate(shipment, sealed_crate(1), actor=coordinator)) == (status in CRATES_MAY_CHANGE)
    pallet = pallets.open_pallet(site=crate.site, actor=coordinator)
    pallets.put_on(pallet, sealed_crate(1, site=crate.site), actor=coordinator)
    pallets.seal(pallet, gross_kg="30", length_cm=120, width_cm=80, height_cm=50, actor=coordinator)
    assert outcome(lambda: shipping.assign_pallet(shipment, pallet, actor=coordinator)) == (status in CRATES_MAY_CHANGE)
    if on_it is not None:
        assert outcome(lambda: shipping.remove_crate(shipment, on_it, actor=coordinator)) == (status in CRATES_MAY_CHANGE)
        assert outcome(lambda: crating.reopen(on_it, reason="one more book", actor=coordinator)) == (status in CRATES_MAY_CHANGE)
    else:
        assert status is S.CANCELLED  # cancelling released the crate
    assert outcome(lambda: shipping.update_transport(shipment, carrier="Other Lines", actor=coordinator)) == (
        status in DETAILS_MAY_CHANGE
    )
    update_organisation(actor=None, address="1 Main St", phone="+44 20 0000", signatory_name="A. Signer")
    assert outcome(lambda: issuing.issue_papers(shipment, actor=coordinator)) == (status in PAPERS_MAY_BE_ISSUED)
    if on_it is not None:
        assert outcome(lambda: receiving.check_in(shipment, on_it, outcome=CrateOutcome.RECEIVED, actor=coordinator)) == (
            status in CRATES_MAY_BE_CHECKED_IN
        )
