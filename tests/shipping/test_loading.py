"""Loading a container: what carries a shipment and how much it takes, a running total of its crates'
weight and volume against it, a warning when it is nearly full, and no crate that would take it past."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from books2iraq.audit import AuditEvent
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import ContainerSize, Shipment, ShipmentStatus
from tests.factories import UserFactory, sealed_crate, shipment_of


def test_a_size_fills_in_its_capacity_and_the_carriers_own_figures_replace_it(ctx):
    coordinator = UserFactory(role=Role.COORDINATOR)
    shipment = shipment_of(sealed_crate(5))
    shipping.set_container(shipment, size=ContainerSize.FT40, actor=coordinator)
    assert (shipment.capacity_kg, shipment.capacity_m3) == (Decimal("26700"), Decimal("67.7"))
    shipping.set_container(shipment, size=ContainerSize.FT20, capacity_kg=Decimal("21700"), actor=coordinator)
    assert (shipment.container_size, shipment.capacity_kg, shipment.capacity_m3) == (ContainerSize.FT20, Decimal("21700"), Decimal("33.2"))
    shipping.set_container(shipment, size=None, actor=coordinator)
    assert (shipment.capacity_kg, shipment.capacity_m3) == (None, None)
    events = db.session.scalars(sa.select(AuditEvent.detail).where(AuditEvent.action == "shipment.container_set")).all()
    assert [(e["size"], e["capacity_kg"]) for e in events] == [("40ft", "26700"), ("20ft", "21700"), (None, None)]
    with pytest.raises(DomainError, match="A capacity must be more than 0 and at most 99,999,999."):
        shipping.set_container(shipment, size=None, capacity_kg=Decimal("-5"), actor=coordinator)


def test_a_crate_that_would_load_a_shipment_past_its_capacity_is_refused(ctx):
    coordinator = UserFactory(role=Role.COORDINATOR)
    first, second, third = (sealed_crate(3, gross_kg="40") for _ in range(3))
    shipment = shipment_of(first)
    shipping.set_container(shipment, size=None, capacity_kg=Decimal("100"), actor=coordinator)
    shipping.assign_crate(shipment, second, actor=coordinator)  # 80 of 100 kg
    with pytest.raises(DomainError) as refused:
        shipping.assign_crate(shipment, third, actor=coordinator)
    assert str(refused.value) == (f"Crate {third.code} (40.00 kg) would load {shipment.ref} past its capacity: "
                                  "120.00 of 100.00 kg.")
    assert third.shipment_id is None
    load = shipping.load_of(shipment)
    assert (load.kg, load.share_kg, load.nearly_full, load.over) == (Decimal("80.00"), Decimal("0.8"), False, False)


def test_a_crate_too_big_for_the_space_left_is_refused_too(ctx):
    coordinator = UserFactory(role=Role.COORDINATOR)
    boxes = []
    for _ in range(2):
        crate = sealed_crate(2, gross_kg="10")
        crating.reopen(crate, reason="measure it", actor=coordinator)
        boxes.append(crating.seal(crate, gross_kg="10", length_cm=100, width_cm=100, height_cm=100, actor=coordinator))  # 1 m³
    shipment = shipment_of(boxes[0])
    shipping.set_container(shipment, size=None, capacity_m3=Decimal("1.5"), actor=coordinator)
    with pytest.raises(DomainError, match=re.escape(f"would load {shipment.ref} past its capacity: 2.000 of 1.50 m³.")):
        shipping.assign_crate(shipment, boxes[1], actor=coordinator)


def test_a_shipment_loaded_past_a_capacity_corrected_later_is_not_ready(ctx):
    coordinator = UserFactory(role=Role.COORDINATOR)
    shipment = shipment_of(sealed_crate(3, gross_kg="90"), sealed_crate(3, gross_kg="20"))
    shipping.change_status(shipment, ShipmentStatus.PACKING, actor=coordinator)
    shipping.set_container(shipment, size=None, capacity_kg=Decimal("100"), actor=coordinator)  # the carrier's smaller truck
    assert shipping.load_of(shipment).over
    with pytest.raises(DomainError, match=f"Shipment {shipment.ref} is loaded past its capacity"):
        shipping.change_status(shipment, ShipmentStatus.READY, actor=coordinator)
    shipping.set_container(shipment, size=None, capacity_kg=Decimal("120"), actor=coordinator)
    shipping.change_status(shipment, ShipmentStatus.READY, actor=coordinator)


def test_the_shipment_page_shows_its_loading_and_says_when_it_is_nearly_full(app, client, auth):
    with app.app_context():
        shipment = shipment_of(sealed_crate(3, gross_kg="40"), sealed_crate(3, gross_kg="47.5"))
        db.session.commit()
        ref = shipment.ref
    auth.login(Role.COORDINATOR)
    page = f"/shipping/{ref}"
    assert "Say what carries it" in client.get(page).get_data(as_text=True)
    # A size, its capacities left blank: the size's own.
    assert auth.post(f"{page}/container", {"container_size": "20ft"}, page=page).status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "20-ft container" in html
    assert "88 of 28,200 kg (0%)" in html and "data-nearly-full" not in html
    # Another size, the capacities sent as the form showed them: the new size's own.
    assert auth.post(f"{page}/container", {"container_size": "40ft", "capacity_kg": "28200", "capacity_m3": "33.2"},
                     page=page).status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(Shipment.capacity_kg).where(Shipment.ref == ref)).one() == Decimal("26700")
    # The carrier's own figure: 92 kg, of which 87.5 are loaded (95%).
    assert auth.post(f"{page}/container", {"container_size": "40ft", "capacity_kg": "92", "capacity_m3": "67.7"},
                     page=page).status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "88 of 92 kg (95%)" in html and "data-nearly-full" in html
    refused = auth.post(f"{page}/container", {"container_size": "", "capacity_kg": "-1"}, page=page)
    assert refused.status_code == 400


def test_loading_reads_in_arabic(app, client, auth):
    with app.app_context():
        shipment = shipment_of(sealed_crate(3, gross_kg="40"))
        shipping.set_container(shipment, size=ContainerSize.TRAILER, capacity_kg=Decimal("50"), actor=UserFactory(role=Role.COORDINATOR))
        db.session.commit()
        ref = shipment.ref
    auth.login(Role.COORDINATOR)
    html = client.get(f"/shipping/{ref}", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "٤٠ من ٥٠ كغ (٨٠٪)" in html
