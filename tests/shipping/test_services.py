from __future__ import annotations

from datetime import date, timedelta

import pytest

from books2iraq.audit import events_for
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.errors import DomainError, InvalidTransition
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import Governorate, Incoterm, TransportMode
from books2iraq.shipping.models import ShipmentStatus as S
from tests.factories import (
    RecipientFactory,
    UserFactory,
    WarehouseFactory,
    sealed_crate,
)

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture
def coordinator():
    return UserFactory(role=Role.COORDINATOR)


@pytest.fixture
def shipment(coordinator):
    return shipping.create_shipment(recipient=RecipientFactory(), actor=coordinator, year=2026)


@pytest.mark.parametrize(("raw", "clean"), [("CSQU3054383", "CSQU3054383"), (" csqu 305438 3", "CSQU3054383")])
def test_container_numbers_are_checked_with_iso_6346(raw, clean):
    assert shipping.normalise_container_no(raw) == clean


@pytest.mark.parametrize("raw", ["CSQU3054384", "CSQ3054383", "1234567890A", ""])
def test_bad_container_numbers_are_refused(raw):
    with pytest.raises(DomainError, match="ISO 6346"):
        shipping.normalise_container_no(raw)


def test_recipients_need_both_languages(coordinator):
    recipient = shipping.create_recipient(
        name_en="University of Basrah",
        name_ar="جامعة البصرة",
        address_en="Garmat Ali",
        city="Basra",
        governorate=Governorate.BASRA,
        actor=coordinator,
    )
    assert recipient.name_ar == "جامعة البصرة" and not recipient.governorate.in_kurdistan_region
    assert Governorate.HALABJA.in_kurdistan_region
    with pytest.raises(DomainError, match="English and Arabic"):
        shipping.create_recipient(
            name_en="X", name_ar=" ", address_en="Y", city="Z", governorate=Governorate.DUHOK, actor=coordinator
        )
    with pytest.raises(DomainError, match="already exists"):
        shipping.create_recipient(
            name_en="University of Basrah", name_ar="ب", address_en="Y", city="Z", governorate=Governorate.BASRA,
            actor=coordinator,
        )


def test_a_shipment_goes_through_its_statuses_with_a_history(coordinator, shipment):
    assert shipment.ref == "S-2026-001"
    crate = sealed_crate(5, 7)
    shipping.update_transport(
        shipment, mode="sea", container_no="csqu3054383", incoterm="DAP", port_of_loading=" Felixstowe ",
        actor=coordinator,
    )
    assert (shipment.mode, shipment.container_no, shipment.incoterm, shipment.port_of_loading) == (
        TransportMode.SEA, "CSQU3054383", Incoterm.DAP, "Felixstowe",
    )
    path = [S.PACKING, S.READY, S.DISPATCHED, S.IN_TRANSIT, S.AT_CUSTOMS, S.CLEARED, S.DELIVERED]
    shipping.change_status(shipment, S.PACKING, actor=coordinator)
    shipping.assign_crate(shipment, crate, actor=coordinator)
    for status in path[1:]:
        shipping.change_status(shipment, status, actor=coordinator, location="Umm Qasr", note=f"now {status}")
    assert shipment.status is S.DELIVERED
    assert [(e.from_status, e.to_status) for e in shipment.events] == list(zip([None, S.PLANNED] + path[:-1], [S.PLANNED] + path, strict=True))
    assert shipment.events[-1].location == "Umm Qasr"
    assert shipping.shipment_totals(shipment).copies == 12
    actions = [e.action for e in events_for(shipment)]
    assert actions[:3] == ["shipment.created", "shipment.transport_updated", "shipment.status_changed"]
    assert actions.count("shipment.status_changed") == len(path)
    with pytest.raises(InvalidTransition):
        shipping.update_transport(shipment, carrier="late", actor=coordinator)


@pytest.mark.parametrize(
    ("path", "to"),
    [([], S.READY), ([], S.DISPATCHED), ([S.PACKING], S.DELIVERED), ([S.CANCELLED], S.PLANNED)],
)
def test_statuses_cannot_be_skipped_or_undone(coordinator, shipment, path, to):
    for status in path:
        shipping.change_status(shipment, status, actor=coordinator)
    with pytest.raises(InvalidTransition, match="cannot become"):
        shipping.change_status(shipment, to, actor=coordinator)


def test_ready_needs_sealed_crates_and_dispatch_needs_transport(coordinator, shipment):
    packer = UserFactory(role=Role.WAREHOUSE)
    shipping.change_status(shipment, S.PACKING, actor=coordinator)
    with pytest.raises(DomainError, match="has no crates"):
        shipping.change_status(shipment, S.READY, actor=coordinator)
    crate = sealed_crate(3, actor=packer)
    shipping.assign_crate(shipment, crate, actor=coordinator)
    crating.reopen(crate, reason="add a dictionary", actor=packer)
    with pytest.raises(DomainError, match="open; seal them first: B2I-C-"):
        shipping.change_status(shipment, S.READY, actor=coordinator)
    crating.seal(crate, gross_kg="5", actor=packer)
    shipping.change_status(shipment, S.READY, actor=coordinator)
    with pytest.raises(DomainError, match="transport mode"):
        shipping.change_status(shipment, S.DISPATCHED, actor=coordinator)
    shipping.update_transport(shipment, mode=TransportMode.SEA, actor=coordinator)
    with pytest.raises(DomainError, match="container number"):
        shipping.change_status(shipment, S.DISPATCHED, actor=coordinator)
    with pytest.raises(InvalidTransition, match="is ready; its crates can no longer change"):
        shipping.assign_crate(shipment, sealed_crate(1), actor=coordinator)


def test_crates_must_be_sealed_and_on_one_shipment_only(coordinator, shipment):
    open_crate = crating.open_crate(site=WarehouseFactory(), actor=coordinator)
    with pytest.raises(InvalidTransition, match="is open; seal it before putting it on a shipment"):
        shipping.assign_crate(shipment, open_crate, actor=coordinator)
    crate = sealed_crate(2)
    shipping.assign_crate(shipment, crate, actor=coordinator)
    other = shipping.create_shipment(recipient=RecipientFactory(), actor=coordinator)
    with pytest.raises(DomainError, match="already on shipment S-"):
        shipping.assign_crate(other, crate, actor=coordinator)
    with pytest.raises(DomainError, match="is not on shipment"):
        shipping.remove_crate(other, crate, actor=coordinator)
    shipping.remove_crate(shipment, crate, actor=coordinator)
    shipping.assign_crate(other, crate, actor=coordinator)
    assert crate.shipment is other
    assert [e.action for e in events_for(crate)][-3:] == ["crate.assigned", "crate.unassigned", "crate.assigned"]


def test_cancelling_releases_the_crates(coordinator, shipment):
    crate = sealed_crate(2)
    shipping.assign_crate(shipment, crate, actor=coordinator)
    shipping.change_status(shipment, S.CANCELLED, actor=coordinator, note="vessel withdrawn")
    assert crate.shipment is None and shipment.crates == []
    assert events_for(shipment)[-1].detail["released"] == [crate.code]


def test_unknown_transport_details_are_refused(coordinator, shipment):
    with pytest.raises(DomainError, match="Unknown transport detail"):
        shipping.update_transport(shipment, colour="blue", actor=coordinator)
    with pytest.raises(DomainError, match="“XYZ” is not an Incoterm; choose one of EXW"):
        shipping.update_transport(shipment, incoterm="XYZ", actor=coordinator)
    with pytest.raises(DomainError, match="not a transport mode"):
        shipping.update_transport(shipment, mode="rail", actor=coordinator)
    shipping.update_transport(shipment, planned_departure=date(2027, 1, 5), actor=coordinator)
    assert shipment.planned_departure == date(2027, 1, 5)


@pytest.mark.parametrize("planned", [date(1926, 5, 1), date(9999, 1, 1), date.today() + timedelta(days=6 * 366)])
def test_a_planned_departure_outside_the_operation_is_refused(ctx, planned):
    coordinator = UserFactory(role=Role.COORDINATOR)
    shipment = shipping.create_shipment(recipient=RecipientFactory(), actor=coordinator)
    with pytest.raises(DomainError, match="The planned departure must be between 01 January 2000 and"):
        shipping.update_transport(shipment, planned_departure=planned, actor=coordinator)
    assert shipment.planned_departure is None
