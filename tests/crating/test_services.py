from __future__ import annotations

from decimal import Decimal

import pytest

from books2iraq.audit import events_for
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.crating.models import CrateStatus
from books2iraq.errors import DomainError, InvalidTransition, NotFound
from books2iraq.extensions import db
from books2iraq.intake.models import LotStatus
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import ShipmentStatus, TransportMode
from tests.factories import (
    RecipientFactory,
    SiteFactory,
    UserFactory,
    WarehouseFactory,
    accepted_lot,
    donation,
)

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture
def packer():
    return UserFactory(role=Role.WAREHOUSE)


@pytest.fixture
def crate(packer):
    return crating.open_crate(site=WarehouseFactory(), actor=packer)


def test_crates_are_opened_at_a_warehouse_with_sequential_codes(packer):
    warehouse = WarehouseFactory()
    codes = [crating.open_crate(site=warehouse, actor=packer).code for _ in range(2)]
    assert codes == ["B2I-C-000001", "B2I-C-000002"]
    assert crating.get_by_code("b2i-c-000002").code == "B2I-C-000002"
    with pytest.raises(NotFound):
        crating.get_by_code("B2I-C-999999")
    with pytest.raises(DomainError, match="not a warehouse"):
        crating.open_crate(site=SiteFactory(), actor=packer)


def test_packing_part_of_a_lot_moves_only_those_copies(packer, crate):
    lot = accepted_lot(10, actor=packer)
    packed = crating.pack(lot, crate, quantity=4, actor=packer)
    assert (packed.status, packed.crate, packed.quantity) == (LotStatus.PACKED, crate, 4)
    assert (lot.status, lot.crate, lot.quantity) == (LotStatus.ACCEPTED, None, 6)
    assert crate.copies == 4 == dict(crating.crate_rows(db.session.execute(crating.crates())))[crate]


def test_only_accepted_books_go_into_open_crates(packer, crate):
    received = donation(5, actor=packer).lots[0]
    with pytest.raises(InvalidTransition, match="only accepted books"):
        crating.pack(received, crate, actor=packer)
    crating.pack(accepted_lot(2, actor=packer), crate, actor=packer)
    crating.seal(crate, gross_kg="3.2", actor=packer)
    with pytest.raises(InvalidTransition, match="reopen it"):
        crating.pack(accepted_lot(2, actor=packer), crate, actor=packer)


def test_sealing_needs_books_and_a_sane_weight(packer, crate):
    with pytest.raises(DomainError, match="is empty"):
        crating.seal(crate, gross_kg="10", actor=packer)
    crating.pack(accepted_lot(3, actor=packer), crate, actor=packer)
    for bad in ("0", "-2", "abc", "2000.01", "NaN", "Infinity"):
        with pytest.raises(DomainError):
            crating.seal(crate, gross_kg=bad, actor=packer)
    with pytest.raises(DomainError, match="all three dimensions"):
        crating.seal(crate, gross_kg="10", length_cm=60, actor=packer)
    assert crate.status is CrateStatus.OPEN
    crating.seal(crate, gross_kg="12.345", length_cm=60, width_cm=40, height_cm=40, actor=packer)
    assert crate.status is CrateStatus.SEALED and crate.gross_kg == Decimal("12.35")
    assert crate.volume_m3 == Decimal("0.096")
    assert [e.action for e in events_for(crate)] == ["crate.opened", "crate.sealed"]


def test_reopen_needs_a_reason_and_lets_books_out_again(packer, crate):
    lot = crating.pack(accepted_lot(3, actor=packer), crate, actor=packer)
    crating.seal(crate, gross_kg="4", actor=packer)
    with pytest.raises(InvalidTransition):
        crating.unpack(lot, actor=packer)
    with pytest.raises(DomainError, match="reason"):
        crating.reopen(crate, reason=" ", actor=packer)
    crating.reopen(crate, reason="wrong title packed", actor=packer)
    assert crate.status is CrateStatus.OPEN and crate.gross_kg is None
    crating.unpack(lot, actor=packer)
    assert lot.status is LotStatus.ACCEPTED and lot.crate is None and crate.copies == 0
    with pytest.raises(InvalidTransition, match="is open; only a sealed crate can be reopened"):
        crating.reopen(crate, reason="again", actor=packer)


def test_a_crate_on_a_dispatched_shipment_cannot_be_reopened(packer, crate):
    coordinator = UserFactory(role=Role.COORDINATOR)
    crating.pack(accepted_lot(3, actor=packer), crate, actor=packer)
    crating.seal(crate, gross_kg="4", actor=packer)
    shipment = shipping.create_shipment(recipient=RecipientFactory(), actor=coordinator, mode=TransportMode.ROAD)
    shipping.assign_crate(shipment, crate, actor=coordinator)
    for status in (ShipmentStatus.PACKING, ShipmentStatus.READY, ShipmentStatus.DISPATCHED):
        shipping.change_status(shipment, status, actor=coordinator)
    with pytest.raises(InvalidTransition, match="can no longer be reopened"):
        crating.reopen(crate, reason="check", actor=packer)
