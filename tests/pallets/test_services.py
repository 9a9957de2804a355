"""Pallets: sealed crates stacked at their warehouse, sealed weighed and measured whole, loaded onto a
shipment whole; the loading and the totals count the pallet's weight and size for its crates'."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from books2iraq.audit import AuditEvent
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.errors import DomainError, InvalidTransition
from books2iraq.extensions import db
from books2iraq.pallets import services as pallets
from books2iraq.pallets.models import PalletStatus
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import ContainerSize
from books2iraq.shipping.models import ShipmentStatus as S
from tests.factories import RecipientFactory, UserFactory, WarehouseFactory, advance, sealed_crate, shipment_of


@pytest.fixture
def packer(ctx):
    return UserFactory(role=Role.WAREHOUSE)


@pytest.fixture
def coordinator(ctx):
    return UserFactory(role=Role.COORDINATOR)


@pytest.fixture
def warehouse(ctx):
    return WarehouseFactory()


def stacked(warehouse, packer, *weights: str, gross: str, height: int = 100):
    """A sealed pallet of crates of these weights (3 copies each, 60×40×40 cm), weighed `gross` kg, 120×80×`height` cm."""
    pallet = pallets.open_pallet(site=warehouse, actor=packer)
    for kg in weights:
        pallets.put_on(pallet, sealed_crate(3, gross_kg=kg, site=warehouse, dims=(60, 40, 40), actor=packer), actor=packer)
    return pallets.seal(pallet, gross_kg=gross, length_cm=120, width_cm=80, height_cm=height, actor=packer)


def actions(subject_type: str) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.subject_type == subject_type)
                                   .order_by(AuditEvent.id)))


def test_a_pallet_is_built_sealed_and_reopened_with_its_history(packer, warehouse):
    pallet = pallets.open_pallet(site=warehouse, actor=packer)
    assert pallet.code == "B2I-P-000001" and pallet.status is PalletStatus.OPEN and pallet.sscc is None
    with pytest.raises(DomainError, match="Pallet B2I-P-000001 is empty; put sealed crates on it before sealing it."):
        pallets.seal(pallet, gross_kg="30", length_cm=120, width_cm=80, height_cm=100, actor=packer)
    first, second = (sealed_crate(4, gross_kg="20.5", site=warehouse, actor=packer) for _ in range(2))
    pallets.put_on(pallet, first, actor=packer)
    pallets.put_on(pallet, second, actor=packer)
    pallets.take_off(pallet, second, actor=packer)
    pallets.put_on(pallet, second, actor=packer)
    assert pallets.stacks_of([pallet.id])[pallet.id] == pallets.Stack(crates=2, copies=8, crates_kg=Decimal("41.00"))
    with pytest.raises(DomainError, match=r"weighs at least its crates, 41\.00 kg; you gave 40\.00 kg\."):
        pallets.seal(pallet, gross_kg="40", length_cm=120, width_cm=80, height_cm=100, actor=packer)
    with pytest.raises(DomainError, match="Give the pallet's length, width and height"):
        pallets.seal(pallet, gross_kg="65", length_cm=120, width_cm=80, height_cm=None, actor=packer)
    with pytest.raises(DomainError, match="at most 4,000 kg"):
        pallets.seal(pallet, gross_kg="4000.01", length_cm=120, width_cm=80, height_cm=100, actor=packer)
    assert pallet.status is PalletStatus.OPEN
    pallets.seal(pallet, gross_kg="65", length_cm=120, width_cm=80, height_cm=110, actor=packer)
    assert (pallet.status, pallet.gross_kg, pallet.volume_m3) == (PalletStatus.SEALED, Decimal("65.00"), Decimal("1.056"))
    with pytest.raises(InvalidTransition, match="Pallet B2I-P-000001 is sealed; reopen it before putting crates on"):
        pallets.take_off(pallet, first, actor=packer)
    with pytest.raises(DomainError, match="Give the reason for reopening the pallet."):
        pallets.reopen(pallet, reason=" ", actor=packer)
    pallets.reopen(pallet, reason="a crate to recount", actor=packer)
    assert (pallet.status, pallet.gross_kg) == (PalletStatus.OPEN, None)
    assert actions("Pallet") == ["pallet.opened", "pallet.crate_added", "pallet.crate_added", "pallet.crate_removed",
                                 "pallet.crate_added", "pallet.sealed", "pallet.reopened"]
    sealed = db.session.scalar(sa.select(AuditEvent.detail).where(AuditEvent.action == "pallet.sealed"))
    assert sealed == {"gross_kg": "65.00", "dimensions_cm": [120, 80, 110], "crates": [first.code, second.code]}


def test_only_a_sealed_crate_waiting_at_the_pallets_warehouse_goes_on(packer, coordinator, warehouse):
    pallet = pallets.open_pallet(site=warehouse, actor=packer)
    open_crate = crating.open_crate(site=warehouse, actor=packer)
    with pytest.raises(InvalidTransition, match="is open; seal it before putting it on a pallet."):
        pallets.put_on(pallet, open_crate, actor=packer)
    elsewhere = sealed_crate(2, actor=packer)
    with pytest.raises(DomainError, match=f"Crate {elsewhere.code} waits at .*; pallet B2I-P-000001 is built at {warehouse.name}."):
        pallets.put_on(pallet, elsewhere, actor=packer)
    shipped = sealed_crate(2, site=warehouse, actor=packer)
    shipment = shipment_of(shipped, actor=coordinator)
    with pytest.raises(DomainError, match=f"is on shipment {shipment.ref}; take it off the shipment first."):
        pallets.put_on(pallet, shipped, actor=packer)
    crate = sealed_crate(2, site=warehouse, actor=packer)
    pallets.put_on(pallet, crate, actor=packer)
    other = pallets.open_pallet(site=warehouse, actor=packer)
    with pytest.raises(DomainError, match=f"Crate {crate.code} is on pallet B2I-P-000001 already."):
        pallets.put_on(other, crate, actor=packer)
    # Crates packed for two recipients never share a pallet.
    duhok, basra = RecipientFactory(), RecipientFactory()
    for_duhok, for_basra = (sealed_crate(2, site=warehouse, actor=packer) for _ in range(2))
    crating.pack_for(for_duhok, duhok, actor=packer)
    crating.pack_for(for_basra, basra, actor=packer)
    pallets.put_on(other, for_duhok, actor=packer)
    with pytest.raises(DomainError, match="is packed for another recipient than the crates on pallet B2I-P-000002."):
        pallets.put_on(other, for_basra, actor=packer)
    # On a pallet, a crate stays sealed: it comes off the (open) pallet first.
    with pytest.raises(InvalidTransition, match=f"Crate {crate.code} is on pallet B2I-P-000001; take it off the pallet first."):
        crating.reopen(crate, reason="recount", actor=packer)
    assert [c.code for c in pallet.crates] == [crate.code] and elsewhere.pallet is None and shipped.pallet is None


def test_a_shipment_takes_a_pallet_whole_and_its_totals_count_the_pallet_for_its_crates(packer, coordinator, warehouse):
    pallet = stacked(warehouse, packer, "20", "30", "25", gross="99.50", height=100)  # 75 kg of crates
    loose = sealed_crate(5, gross_kg="12.25", site=warehouse, dims=(50, 40, 30), actor=packer)
    shipment = shipment_of(loose, actor=coordinator)
    loaded = shipping.assign_by_code(shipment, f" {pallet.code.lower()} ", actor=coordinator)
    assert loaded is pallet and all(c.shipment_id == shipment.id for c in pallet.crates)
    totals = shipping.shipment_totals(shipment)
    # 4 crates, 3 of them on the pallet: 2 packages; 99.50 + 12.25 kg; 0.960 + 0.060 m³; 3 × 3 + 5 copies.
    assert totals == shipping.ShipmentTotals(crates=4, copies=14, gross_kg=Decimal("111.75"),
                                             volume_m3=Decimal("1.020"), pallets=1, loose=1)
    assert totals.packages == 2
    on_it = pallet.crates[0]
    with pytest.raises(DomainError, match=f"Crate {on_it.code} is on pallet {pallet.code}: take the pallet off"):
        shipping.remove_crate(shipment, on_it, actor=coordinator)
    with pytest.raises(InvalidTransition, match=f"Pallet {pallet.code} is on shipment {shipment.ref}; take it off"):
        pallets.reopen(pallet, reason="one more", actor=packer)
    other = shipment_of(actor=coordinator)
    with pytest.raises(DomainError, match=f"Pallet {pallet.code} is already on shipment {shipment.ref}."):
        shipping.assign_pallet(other, pallet, actor=coordinator)
    with pytest.raises(DomainError, match=f"Crate {on_it.code} is on pallet {pallet.code}: load the pallet"):
        shipping.assign_crate(other, on_it, actor=coordinator)
    shipping.remove_pallet(shipment, pallet, actor=coordinator)
    assert pallet.shipment is None and all(c.shipment_id is None for c in pallet.crates)
    assert shipping.shipment_totals(shipment) == shipping.ShipmentTotals(
        crates=1, copies=5, gross_kg=Decimal("12.25"), volume_m3=Decimal("0.060"), pallets=0, loose=1)
    # A crate on a pallet is loaded with its pallet, never alone.
    with pytest.raises(DomainError, match=f"Crate {on_it.code} is on pallet {pallet.code}: load the pallet, which carries it."):
        shipping.assign_crate(other, on_it, actor=coordinator)
    assert [e for e in actions("Shipment") if "pallet" in e] == ["shipment.pallet_assigned", "shipment.pallet_removed"]
    assigned = db.session.scalar(sa.select(AuditEvent.detail).where(AuditEvent.action == "pallet.assigned"))
    assert assigned == {"shipment": shipment.ref, "crates": [c.code for c in pallet.crates]}


def test_an_open_pallet_cannot_be_loaded_and_a_cancelled_shipment_lets_its_pallets_go(packer, coordinator, warehouse):
    pallet = pallets.open_pallet(site=warehouse, actor=packer)
    pallets.put_on(pallet, sealed_crate(2, site=warehouse, actor=packer), actor=packer)
    shipment = shipment_of(actor=coordinator)
    with pytest.raises(InvalidTransition, match="Pallet B2I-P-000001 is open; seal it before loading it onto a shipment."):
        shipping.assign_pallet(shipment, pallet, actor=coordinator)
    pallets.seal(pallet, gross_kg="45", length_cm=120, width_cm=80, height_cm=60, actor=packer)
    shipping.assign_pallet(shipment, pallet, actor=coordinator)
    advance(shipment, S.PACKING, S.READY, actor=coordinator)
    with pytest.raises(InvalidTransition, match="its crates can no longer change"):
        shipping.remove_pallet(shipment, pallet, actor=coordinator)
    shipping.change_status(shipment, S.CANCELLED, actor=coordinator)
    assert pallet.shipment is None and pallet.crates[0].shipment is None
    released = db.session.scalar(sa.select(AuditEvent.detail).where(AuditEvent.action == "shipment.status_changed",
                                                                      AuditEvent.detail["to_status"].as_string() == "cancelled"))
    assert released["released"] == ["B2I-P-000001", pallet.crates[0].code]


def test_a_pallet_that_would_load_a_container_past_its_capacity_is_refused(packer, coordinator, warehouse):
    shipment = shipment_of(actor=coordinator)
    shipping.set_container(shipment, size=None, capacity_kg=Decimal("200"), capacity_m3=Decimal("2"), actor=coordinator)
    first = stacked(warehouse, packer, "40", "40", gross="100", height=100)  # 0.96 m³
    heavy = stacked(warehouse, packer, "50", "50", gross="120", height=50)
    tall = stacked(warehouse, packer, "20", gross="30", height=120)  # 1.152 m³
    shipping.assign_pallet(shipment, first, actor=coordinator)
    with pytest.raises(DomainError) as by_weight:
        shipping.assign_pallet(shipment, heavy, actor=coordinator)
    assert str(by_weight.value) == (f"Pallet {heavy.code} (120.00 kg) would load {shipment.ref} past its capacity: "
                                    "220.00 of 200.00 kg.")
    with pytest.raises(DomainError) as by_volume:
        shipping.assign_pallet(shipment, tall, actor=coordinator)
    assert str(by_volume.value) == (f"Pallet {tall.code} (1.152 m³) would load {shipment.ref} past its capacity: "
                                    "2.112 of 2.00 m³.")
    assert heavy.shipment is None and tall.shipment is None and all(c.shipment is None for c in heavy.crates)
    load = shipping.load_of(shipment)
    assert (load.kg, load.m3) == (Decimal("100.00"), Decimal("0.960"))


def test_a_pallet_taller_than_the_containers_door_is_refused(packer, coordinator, warehouse):
    shipment = shipment_of(actor=coordinator)
    shipping.set_container(shipment, size=ContainerSize.FT20, actor=coordinator)  # a door 228 cm high
    tall = stacked(warehouse, packer, "20", gross="30", height=229)
    with pytest.raises(DomainError) as refused:
        shipping.assign_pallet(shipment, tall, actor=coordinator)
    assert str(refused.value) == (f"Pallet {tall.code} is 229 cm high; the door of a 20-ft container is 228 cm: "
                                  "build it lower.")
    shipping.set_container(shipment, size=ContainerSize.FT40_HIGH_CUBE, actor=coordinator)  # 258 cm
    shipping.assign_pallet(shipment, tall, actor=coordinator)
    assert tall.shipment is shipment


def test_a_pallets_sscc_has_its_own_extension_digit(app, packer, warehouse):
    app.config["GS1_COMPANY_PREFIX"] = "5060123"
    pallet = pallets.open_pallet(site=warehouse, actor=packer)
    crate = crating.open_crate(site=warehouse, actor=packer)
    # Extension 1 for pallets, 0 for crates; the same serial 1; GS1 check digits worked out by hand.
    assert pallet.sscc == "150601230000000013"
    assert crate.sscc == "050601230000000016"
