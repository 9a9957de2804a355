from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from stdnum import iso6346
from stdnum.exceptions import ValidationError

from books2iraq import audit, refs
from books2iraq.auth.models import User
from books2iraq.crating.models import Crate, CrateStatus
from books2iraq.errors import DomainError, InvalidIdentifier, InvalidTransition, NotFound
from books2iraq.extensions import db
from books2iraq.shipping.models import (
    Governorate,
    Incoterm,
    Recipient,
    RecipientKind,
    Shipment,
    ShipmentEvent,
    ShipmentStatus,
    TransportMode,
)

S = ShipmentStatus
TRANSITIONS: dict[ShipmentStatus, frozenset[ShipmentStatus]] = {
    S.PLANNED: frozenset({S.PACKING, S.CANCELLED}),
    S.PACKING: frozenset({S.PLANNED, S.READY, S.CANCELLED}),
    S.READY: frozenset({S.PACKING, S.DISPATCHED, S.CANCELLED}),
    S.DISPATCHED: frozenset({S.IN_TRANSIT, S.AT_CUSTOMS}),
    S.IN_TRANSIT: frozenset({S.AT_CUSTOMS}),
    S.AT_CUSTOMS: frozenset({S.CLEARED}),
    S.CLEARED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
}

TRANSPORT_FIELDS = (
    "mode",
    "carrier",
    "container_no",
    "seal_no",
    "vessel",
    "voyage",
    "port_of_loading",
    "port_of_discharge",
    "place_of_delivery",
    "incoterm",
    "planned_departure",
    "notes",
)


class ShippingError(DomainError):
    pass


def normalise_container_no(raw: str) -> str:
    text = "".join((raw or "").split()).upper()
    try:
        return iso6346.validate(text)
    except ValidationError as exc:
        raise InvalidIdentifier(
            f"Container number “{raw}” is not valid (ISO 6346: 4 letters, 6 digits and a check digit)."
        ) from exc


def create_recipient(
    *,
    name_en: str,
    name_ar: str,
    address_en: str,
    city: str,
    governorate: Governorate,
    actor: User | None,
    kind: RecipientKind = RecipientKind.UNIVERSITY,
    **details: Any,
) -> Recipient:
    name_en, name_ar = name_en.strip(), name_ar.strip()
    if not (name_en and name_ar and address_en.strip() and city.strip()):
        raise ShippingError("A recipient needs its name in English and Arabic, an address and a city.")
    if db.session.scalar(sa.select(Recipient.id).where(Recipient.name_en == name_en)) is not None:
        raise ShippingError(f"A recipient called “{name_en}” already exists.")
    recipient = Recipient(
        name_en=name_en,
        name_ar=name_ar,
        address_en=address_en.strip(),
        city=city.strip(),
        governorate=governorate,
        kind=kind,
        **details,
    )
    db.session.add(recipient)
    db.session.flush()
    audit.record(actor, "recipient.created", recipient, governorate=governorate.value)
    return recipient


def get_by_ref(ref: str) -> Shipment:
    shipment = db.session.scalar(sa.select(Shipment).where(Shipment.ref == ref.strip().upper()))
    if shipment is None:
        raise NotFound(f"There is no shipment {ref}.")
    return shipment


def create_shipment(*, recipient: Recipient, actor: User, year: int | None = None, **transport: Any) -> Shipment:
    if not recipient.active:
        raise ShippingError(f"{recipient.name_en} is no longer an active recipient.")
    shipment = Shipment(ref=refs.shipment_ref(year or date.today().year), recipient=recipient)
    db.session.add(shipment)
    _apply_transport(shipment, transport)
    shipment.events.append(ShipmentEvent(from_status=None, to_status=S.PLANNED, actor_id=actor.id, note="created"))
    db.session.flush()
    audit.record(actor, "shipment.created", shipment, recipient=recipient.name_en)
    return shipment


def update_transport(shipment: Shipment, *, actor: User, **transport: Any) -> Shipment:
    if shipment.status in (S.DELIVERED, S.CANCELLED):
        raise InvalidTransition(f"Shipment {shipment.ref} is {shipment.status.value}; it can no longer change.")
    changed = _apply_transport(shipment, transport)
    db.session.flush()
    if changed:
        audit.record(actor, "shipment.transport_updated", shipment, **changed)
    return shipment


def _apply_transport(shipment: Shipment, transport: dict[str, Any]) -> dict[str, Any]:
    unknown = set(transport) - set(TRANSPORT_FIELDS)
    if unknown:
        raise ShippingError(f"Unknown transport detail(s): {', '.join(sorted(unknown))}.")
    changed: dict[str, Any] = {}
    for field, value in transport.items():
        if isinstance(value, str):
            value = value.strip() or None
        if field == "container_no" and value is not None:
            value = normalise_container_no(value)
        if field == "mode" and value is not None:
            value = _choice(TransportMode, value, "a transport mode")
        if field == "incoterm" and value is not None:
            value = _choice(Incoterm, value, "an Incoterm")
        if field == "planned_departure" and value is not None and not isinstance(value, date):
            raise ShippingError("The planned departure must be a date.")
        if getattr(shipment, field) != value:
            setattr(shipment, field, value)
            changed[field] = value
    return changed


def _choice(enum_cls: type[Any], value: Any, what: str) -> Any:
    try:
        return enum_cls(value)
    except ValueError:
        choices = ", ".join(m.value for m in enum_cls)
        raise ShippingError(f"“{value}” is not {what}; choose one of {choices}.") from None


def assign_crate(shipment: Shipment, crate: Crate, *, actor: User) -> None:
    if not shipment.allows_crate_changes:
        raise InvalidTransition(f"Shipment {shipment.ref} is {shipment.status.value}; crates can no longer be added.")
    if crate.status is not CrateStatus.SEALED:
        raise ShippingError(f"Crate {crate.code} is not sealed; seal it before putting it on a shipment.")
    if crate.shipment is not None:
        raise ShippingError(f"Crate {crate.code} is already on shipment {crate.shipment.ref}.")
    crate.shipment = shipment
    db.session.flush()
    audit.record(actor, "shipment.crate_assigned", shipment, crate=crate.code)
    audit.record(actor, "crate.assigned", crate, shipment=shipment.ref)


def remove_crate(shipment: Shipment, crate: Crate, *, actor: User) -> None:
    if crate.shipment_id != shipment.id:
        raise ShippingError(f"Crate {crate.code} is not on shipment {shipment.ref}.")
    if not shipment.allows_crate_changes:
        raise InvalidTransition(f"Shipment {shipment.ref} is {shipment.status.value}; its crates can no longer change.")
    crate.shipment = None
    db.session.flush()
    audit.record(actor, "shipment.crate_removed", shipment, crate=crate.code)
    audit.record(actor, "crate.unassigned", crate, shipment=shipment.ref)


def change_status(
    shipment: Shipment,
    to: ShipmentStatus,
    *,
    actor: User,
    location: str | None = None,
    note: str | None = None,
) -> ShipmentEvent:
    current = shipment.status
    if to not in TRANSITIONS[current]:
        raise InvalidTransition(f"Shipment {shipment.ref} is {current.value}; it cannot become {to.value}.")
    if to is S.READY:
        if not shipment.crates:
            raise ShippingError(f"Shipment {shipment.ref} has no crates; assign sealed crates first.")
        unsealed = [c.code for c in shipment.crates if c.status is not CrateStatus.SEALED]
        if unsealed:
            raise ShippingError(f"These crates are open; seal them first: {', '.join(unsealed)}.")
    if to is S.DISPATCHED:
        if shipment.mode is None:
            raise ShippingError(f"Give the transport mode of {shipment.ref} before dispatching it.")
        if shipment.mode is TransportMode.SEA and not shipment.container_no:
            raise ShippingError(f"Give the container number of {shipment.ref} before dispatching it by sea.")
    released: list[str] = []
    if to is S.CANCELLED:
        released = [c.code for c in shipment.crates]
        for crate in list(shipment.crates):
            crate.shipment = None
    shipment.status = to
    event = ShipmentEvent(
        from_status=current,
        to_status=to,
        actor_id=actor.id,
        location=(location or "").strip() or None,
        note=(note or "").strip() or None,
    )
    shipment.events.append(event)
    db.session.flush()
    audit.record(
        actor, "shipment.status_changed", shipment, from_status=current.value, to_status=to.value, released=released
    )
    return event
