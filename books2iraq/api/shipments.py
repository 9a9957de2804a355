"""Shipments: crates to one recipient in Iraq, with transport details and a status history."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from books2iraq.api.auth import api_user
from books2iraq.api.routing import load, route, run
from books2iraq.api.schemas import Id, In, Kilograms, Money, Out, Text, Timestamp
from books2iraq.auth.roles import Role
from books2iraq.crating.models import CrateStatus
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import (
    Governorate,
    Incoterm,
    RecipientKind,
    Shipment,
    ShipmentStatus,
    TransportMode,
)


class Transport(BaseModel):
    """A shipment's transport details, each optional."""

    mode: TransportMode | None = None
    carrier: Annotated[str, Text(200)] | None = None
    container_no: Annotated[str, Text(20)] | None = Field(default=None, description="ISO 6346, e.g. CSQU 305438 3.")
    seal_no: Annotated[str, Text(40)] | None = None
    vessel: Annotated[str, Text(120)] | None = None
    voyage: Annotated[str, Text(40)] | None = None
    port_of_loading: Annotated[str, Text(120)] | None = None
    port_of_discharge: Annotated[str, Text(120)] | None = None
    place_of_delivery: Annotated[str, Text(200)] | None = None
    incoterm: Incoterm | None = None
    planned_departure: date | None = None
    incoterm_place: Annotated[str, Text(120)] | None = Field(default=None, description="e.g. Umm Qasr, for CIF Umm Qasr.")
    transport_doc_no: Annotated[str, Text(60)] | None = Field(default=None, description="Bill of lading, CMR or air waybill number.")
    truck_plate: Annotated[str, Text(20)] | None = None
    trailer_plate: Annotated[str, Text(20)] | None = None
    tir_ref: Annotated[str, Text(40)] | None = Field(default=None, description="TIR carnet or other transit document.")
    freight: Money | None = Field(default=None, description="Freight paid, in the customs currency (CPT, CIP, CFR, CIF).")
    insurance: Money | None = Field(default=None, description="Insurance paid, in the customs currency (CIP, CIF).")
    origin_country: Annotated[str, Text(120)] | None = Field(default=None, description="Blank: the organisation's country.")
    notify_party: Annotated[str, Text(2000)] | None = Field(default=None, description="Name and address; blank: the consignee.")
    exemption_ref: Annotated[str, Text(120)] | None = Field(default=None, description="The consignee's duty-exemption letter.")
    notes: Annotated[str, Text(4000)] | None = None


class NewShipmentIn(Transport, In):
    recipient_id: Id


class AssignCrateIn(In):
    code: Annotated[str, Text(32, min_length=1)] = Field(description="The code of a sealed crate, as scanned or typed.")


class StatusIn(In):
    status: ShipmentStatus = Field(description="The next status; which may follow which is a rule of the service.")
    location: Annotated[str, Text(200)] | None = None
    note: Annotated[str, Text(2000)] | None = None


class RecipientOut(Out):
    id: int
    name_en: str
    name_ar: str
    kind: RecipientKind
    city: str
    governorate: Governorate


class ShipmentCrateOut(Out):
    code: str
    status: CrateStatus
    copies: int
    gross_kg: Kilograms | None
    length_cm: int | None
    width_cm: int | None
    height_cm: int | None
    volume_m3: Decimal | None


class TotalsOut(Out):
    crates: int
    copies: int
    gross_kg: Kilograms
    volume_m3: Decimal


class EventOut(Out):
    from_status: ShipmentStatus | None
    to_status: ShipmentStatus
    at: Timestamp
    by: str | None
    location: str | None
    note: str | None


class ShipmentOut(Transport, Out):
    ref: str
    status: ShipmentStatus
    recipient: RecipientOut
    crates: list[ShipmentCrateOut]
    totals: TotalsOut
    events: list[EventOut]
    next_statuses: list[ShipmentStatus] = Field(description="The statuses the shipment may move to now.")

    @classmethod
    def of(cls, shipment: Shipment) -> ShipmentOut:
        return cls.of_record(
            shipment,
            crates=[ShipmentCrateOut.of_record(crate, copies=copies) for crate, copies in shipping.crates_on(shipment)],
            totals=shipping.shipment_totals(shipment),
            events=[EventOut.of_record(e, by=e.actor.name if e.actor else None) for e in shipment.events],
            next_statuses=shipping.next_statuses(shipment),
        )


def _shipment(ref: str) -> Shipment:
    return load(shipping.get_by_ref, ref)


@route(
    "POST", "/shipments", role=Role.COORDINATOR, summary="Plan a shipment", body=NewShipmentIn, response=ShipmentOut,
    status=201, refusals=(422,),
)
def create_shipment(body: NewShipmentIn) -> ShipmentOut:
    """The shipment starts as planned; give the transport details now or later."""
    transport = body.model_dump(exclude={"recipient_id"}, exclude_unset=True)
    shipment = run(
        lambda: shipping.create_shipment(recipient=shipping.get_recipient(body.recipient_id), actor=api_user(), **transport)
    )
    return ShipmentOut.of(shipment)


@route(
    "GET", "/shipments/<ref>", role=Role.COORDINATOR, response=ShipmentOut,
    summary="Show a shipment with its crates and totals",
)
def show_shipment(ref: str) -> ShipmentOut:
    return ShipmentOut.of(_shipment(ref))


@route(
    "POST", "/shipments/<ref>/crates", role=Role.COORDINATOR, body=AssignCrateIn, response=ShipmentOut,
    summary="Put a sealed crate on a shipment",
)
def assign_crate(ref: str, body: AssignCrateIn) -> ShipmentOut:
    shipment = _shipment(ref)
    run(lambda: shipping.assign_by_code(shipment, body.code, actor=api_user()))
    return ShipmentOut.of(shipment)


@route(
    "POST", "/shipments/<ref>/status", role=Role.COORDINATOR, body=StatusIn, response=ShipmentOut,
    summary="Move a shipment to its next status",
)
def change_status(ref: str, body: StatusIn) -> ShipmentOut:
    shipment = _shipment(ref)
    run(lambda: shipping.change_status(shipment, body.status, location=body.location, note=body.note, actor=api_user()))
    return ShipmentOut.of(shipment)
