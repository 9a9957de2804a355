from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from stdnum import iso6346
from stdnum.exceptions import ValidationError

from books2iraq import audit, refs
from books2iraq.auth.models import User
from books2iraq.crating.models import Crate, CrateStatus
from books2iraq.errors import DomainError, InvalidIdentifier, InvalidTransition, NotFound
from books2iraq.extensions import db
from books2iraq.intake.models import Lot
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


# --- Recipients: edit, deactivate, look up -------------------------------------------------------

RECIPIENT_FIELDS = (
    "name_en",
    "name_ar",
    "kind",
    "address_en",
    "address_ar",
    "city",
    "governorate",
    "contact_name",
    "contact_phone",
    "contact_email",
    "wants_subjects",
    "wants_levels",
    "wants_languages",
)
_RECIPIENT_REQUIRED = ("name_en", "name_ar", "address_en", "city")


def update_recipient(recipient: Recipient, *, actor: User | None, **values: Any) -> Recipient:
    """Change a recipient's details; blank optional details are cleared."""
    unknown = set(values) - set(RECIPIENT_FIELDS)
    if unknown:
        raise ShippingError(f"Unknown recipient detail(s): {', '.join(sorted(unknown))}.")
    clean = {f: (v.replace("\r\n", "\n").strip() or None) if isinstance(v, str) else v for f, v in values.items()}
    if any(f in clean and not clean[f] for f in _RECIPIENT_REQUIRED):
        raise ShippingError("A recipient needs its name in English and Arabic, an address and a city.")
    if "kind" in clean:
        clean["kind"] = _choice(RecipientKind, clean["kind"], "a kind of recipient")
    if "governorate" in clean:
        clean["governorate"] = _choice(Governorate, clean["governorate"], "a governorate")
    if "name_en" in clean:
        taken = sa.select(Recipient.id).where(Recipient.name_en == clean["name_en"], Recipient.id != recipient.id)
        if db.session.scalar(taken) is not None:
            raise ShippingError(f"A recipient called “{clean['name_en']}” already exists.")
    changes = {f: [getattr(recipient, f), v] for f, v in clean.items() if getattr(recipient, f) != v}
    for field, (_, new) in changes.items():
        setattr(recipient, field, new)
    db.session.flush()
    if changes:
        audit.record(actor, "recipient.updated", recipient, changes=changes)
    return recipient


def set_recipient_active(recipient: Recipient, active: bool, *, actor: User | None) -> Recipient:
    """Deactivate a recipient (no new shipments to it; its records and shipments stay) or reactivate it."""
    if recipient.active != active:
        recipient.active = active
        db.session.flush()
        audit.record(actor, "recipient.reactivated" if active else "recipient.deactivated", recipient)
    return recipient


def get_recipient(recipient_id: int) -> Recipient:
    recipient = db.session.get(Recipient, recipient_id)
    if recipient is None:
        raise NotFound(f"There is no recipient number {recipient_id}.")
    return recipient


def list_recipients(*, active_only: bool = False) -> list[Recipient]:
    """Recipients by English name, active ones first."""
    stmt = sa.select(Recipient).order_by(Recipient.active.desc(), Recipient.name_en)
    if active_only:
        stmt = stmt.where(Recipient.active.is_(True))
    return list(db.session.scalars(stmt))


# --- Shipments: look-ups and totals, aggregated in SQL -------------------------------------------


@dataclass(frozen=True)
class ShipmentTotals:
    crates: int = 0
    copies: int = 0
    gross_kg: Decimal = Decimal("0.00")
    volume_m3: Decimal = Decimal("0.000")


def _copies_per_crate() -> sa.Subquery:
    return (
        sa.select(Lot.crate_id, sa.func.sum(Lot.quantity).label("copies"))
        .where(Lot.crate_id.is_not(None))
        .group_by(Lot.crate_id)
        .subquery()
    )


def _totals_per_shipment() -> sa.Subquery:
    copies = _copies_per_crate()
    cm3 = sa.cast(Crate.length_cm, sa.BigInteger) * Crate.width_cm * Crate.height_cm
    return (
        sa.select(
            Crate.shipment_id,
            sa.func.count(Crate.id).label("crates"),
            sa.func.sum(copies.c.copies).label("copies"),
            sa.func.sum(Crate.gross_kg).label("gross_kg"),
            sa.func.sum(cm3).label("cm3"),
        )
        .outerjoin(copies, copies.c.crate_id == Crate.id)
        .where(Crate.shipment_id.is_not(None))
        .group_by(Crate.shipment_id)
        .subquery()
    )


def _totals(crates: Any, copies: Any, gross_kg: Any, cm3: Any) -> ShipmentTotals:
    return ShipmentTotals(
        crates=int(crates or 0),
        copies=int(copies or 0),
        gross_kg=Decimal(str(gross_kg or 0)).quantize(Decimal("0.01")),
        volume_m3=(Decimal(int(cm3 or 0)) / Decimal(1_000_000)).quantize(Decimal("0.001")),
    )


def list_shipments(status: ShipmentStatus | None = None) -> list[tuple[Shipment, ShipmentTotals]]:
    """Shipments with their totals, newest first, in one query."""
    totals = _totals_per_shipment()
    stmt = (
        sa.select(Shipment, totals.c.crates, totals.c.copies, totals.c.gross_kg, totals.c.cm3)
        .outerjoin(totals, totals.c.shipment_id == Shipment.id)
        .options(sa.orm.joinedload(Shipment.recipient))
        .order_by(Shipment.id.desc())
    )
    if status is not None:
        stmt = stmt.where(Shipment.status == status)
    return [(shipment, _totals(*figures)) for shipment, *figures in db.session.execute(stmt)]


def shipment_totals(shipment: Shipment) -> ShipmentTotals:
    totals = _totals_per_shipment()
    row = db.session.execute(
        sa.select(totals.c.crates, totals.c.copies, totals.c.gross_kg, totals.c.cm3).where(
            totals.c.shipment_id == shipment.id
        )
    ).first()
    return _totals(*row) if row is not None else ShipmentTotals()


def _crates_with_copies(*criteria: Any) -> list[tuple[Crate, int]]:
    copies = _copies_per_crate()
    stmt = (
        sa.select(Crate, sa.func.coalesce(copies.c.copies, 0))
        .outerjoin(copies, copies.c.crate_id == Crate.id)
        .where(*criteria)
        .order_by(Crate.id)
    )
    return [(crate, int(n)) for crate, n in db.session.execute(stmt)]


def crates_on(shipment: Shipment) -> list[tuple[Crate, int]]:
    """The crates on a shipment with their copies, in packing order."""
    return _crates_with_copies(Crate.shipment_id == shipment.id)


def sealed_unassigned_crates() -> list[tuple[Crate, int]]:
    """Sealed crates not on any shipment yet, with their copies: what can be assigned."""
    return _crates_with_copies(Crate.status == CrateStatus.SEALED, Crate.shipment_id.is_(None))


def assign_crate_by_code(shipment: Shipment, code: str, *, actor: User) -> Crate:
    """Assign the crate whose code was scanned or typed."""
    crate = db.session.scalar(sa.select(Crate).where(Crate.code == code.strip().upper()))
    if crate is None:
        raise NotFound(f"There is no crate {code.strip()}.")
    assign_crate(shipment, crate, actor=actor)
    return crate


def next_statuses(shipment: Shipment) -> list[ShipmentStatus]:
    """The statuses a shipment may move to now, in the order of the flow."""
    return [status for status in ShipmentStatus if status in TRANSITIONS[shipment.status]]
