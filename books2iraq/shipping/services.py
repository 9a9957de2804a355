from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from stdnum import iso6346
from stdnum.exceptions import ValidationError

from books2iraq import audit, refs
from books2iraq.auth.models import User
from books2iraq.concurrency import lock, lock_all, unique
from books2iraq.crating.models import Crate, CrateStatus
from books2iraq.crating.services import CRATE, WAITING, get_by_code
from books2iraq.dates import check_date
from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import db
from books2iraq.i18n import N_, number
from books2iraq.labels import label
from books2iraq.pallets.models import Pallet, PalletStatus
from books2iraq.pallets.services import PALLET
from books2iraq.pallets.services import get_by_code as get_pallet
from books2iraq.reports import tallies
from books2iraq.reports.accounting import copies_in_crates
from books2iraq.shipping.models import (
    ContainerSize,
    Governorate,
    Incoterm,
    Recipient,
    RecipientKind,
    Shipment,
    ShipmentEvent,
    ShipmentStatus,
    TransportMode,
)
from books2iraq.states import Move, StateMachine


def _has_sealed_crates(shipment: Shipment) -> None:
    if not shipment.crates:
        raise DomainError(_("Shipment %(ref)s has no crates; assign sealed crates first.", ref=shipment.ref))
    unsealed = [c.code for c in shipment.crates if c.status is not CrateStatus.SEALED]  # a pallet on it is sealed (CHECK)
    if unsealed:
        raise DomainError(_("These crates are open; seal them first: %(codes)s.", codes=_(", ").join(unsealed)))


def _within_capacity(shipment: Shipment) -> None:
    if load_of(shipment).over:
        raise DomainError(_("Shipment %(ref)s is loaded past its capacity; take crates off, or correct the capacity.",
                            ref=shipment.ref))


def _has_transport(shipment: Shipment) -> None:
    if shipment.mode is None:
        raise DomainError(_("Give the transport mode of %(ref)s before dispatching it.", ref=shipment.ref))
    if shipment.mode is TransportMode.SEA and not shipment.container_no:
        raise DomainError(_("Give the container number of %(ref)s before dispatching it by sea.", ref=shipment.ref))


S = ShipmentStatus


def _to(target: ShipmentStatus, *sources: ShipmentStatus, guards: tuple = ()) -> Move[ShipmentStatus]:
    refusal = LazyString(lambda: _("it cannot become %(status)s.", status=label(target)))
    return Move(frozenset(sources), target, refusal, guards)


# Where a shipment may be when its crates arrive: a truck may reach the recipient before anyone has
# said it is cleared.
RECEIVABLE = (S.DISPATCHED, S.IN_TRANSIT, S.AT_CUSTOMS, S.CLEARED)

SHIPMENT = StateMachine(
    lambda shipment: _("Shipment %(ref)s", ref=shipment.ref),
    {
        # A move per status it leads to, named after it, in the order of the flow.
        S.PLANNED.value: _to(S.PLANNED, S.PACKING),
        S.PACKING.value: _to(S.PACKING, S.PLANNED, S.READY),
        S.READY.value: _to(S.READY, S.PACKING, guards=(_has_sealed_crates, _within_capacity)),
        S.DISPATCHED.value: _to(S.DISPATCHED, S.READY, guards=(_has_transport,)),
        S.IN_TRANSIT.value: _to(S.IN_TRANSIT, S.DISPATCHED),
        S.AT_CUSTOMS.value: _to(S.AT_CUSTOMS, S.DISPATCHED, S.IN_TRANSIT),
        S.CLEARED.value: _to(S.CLEARED, S.AT_CUSTOMS),
        # Delivered when the recipient has checked in every crate (receiving/services.py), or when the
        # coordinator says so: the crates not checked in are then checked in as received, in their name.
        S.DELIVERED.value: _to(S.DELIVERED, *RECEIVABLE),
        S.CANCELLED.value: _to(S.CANCELLED, S.PLANNED, S.PACKING, S.READY),
        # Moves that change what a shipment holds or says, not its status.
        "change_crates": Move(frozenset({S.PLANNED, S.PACKING}), None, _l("its crates can no longer change.")),
        "edit": Move(frozenset(set(S) - {S.DELIVERED, S.CANCELLED}), None, _l("it can no longer change.")),
        # The recipient checks in its crates once they have left, and may correct a check-in after.
        "check_in": Move(frozenset({*RECEIVABLE, S.DELIVERED}), None,
                         _l("its crates are checked in once it has left the warehouse.")),
        # Customs papers are issued once its crates are fixed, and may be corrected until the end.
        "issue_papers": Move(
            frozenset(set(S) - {S.PLANNED, S.PACKING, S.CANCELLED}), None,
            _l("its customs papers are issued once it is ready (its crates fixed), never after it is cancelled."),
        ),
    },
)

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
    "incoterm_place",
    "planned_departure",
    "transport_doc_no",
    "truck_plate",
    "trailer_plate",
    "tir_ref",
    "freight",
    "insurance",
    "origin_country",
    "notify_party",
    "exemption_ref",
    "notes",
)
# The Incoterms 2020 rules under which the seller pays the main carriage, and also its insurance.
FREIGHT_PAID = frozenset({Incoterm.CPT, Incoterm.CIP, Incoterm.CFR, Incoterm.CIF})
INSURANCE_PAID = frozenset({Incoterm.CIP, Incoterm.CIF})
MAX_AMOUNT = Decimal("9999999999.99")


def normalise_container_no(raw: str) -> str:
    text = "".join((raw or "").split()).upper()
    try:
        return iso6346.validate(text)
    except ValidationError as exc:
        raise DomainError(
            _("Container number “%(number)s” is not valid (ISO 6346: 4 letters, 6 digits and a check digit).", number=raw)
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
        raise DomainError(_("A recipient needs its name in English and Arabic, an address and a city."))
    if db.session.scalar(sa.select(Recipient.id).where(Recipient.name_en == name_en)) is not None:
        raise DomainError(_("A recipient called “%(name)s” already exists.", name=name_en))
    recipient = Recipient(
        name_en=name_en,
        name_ar=name_ar,
        address_en=address_en.strip(),
        city=city.strip(),
        governorate=governorate,
        kind=kind,
        **details,
    )
    with unique(_("A recipient called “%(name)s” already exists.", name=name_en)):
        db.session.add(recipient)
        db.session.flush()
    audit.record(actor, "recipient.created", recipient, governorate=governorate.value)
    return recipient


def get_by_ref(ref: str) -> Shipment:
    shipment = db.session.scalar(sa.select(Shipment).where(Shipment.ref == ref.strip().upper()))
    if shipment is None:
        raise NotFound(_("There is no shipment %(ref)s.", ref=ref))
    return shipment


def create_shipment(*, recipient: Recipient, actor: User, year: int | None = None, **transport: Any) -> Shipment:
    if not recipient.active:
        raise DomainError(_("%(name)s is no longer an active recipient.", name=recipient.name_en))
    shipment = Shipment(ref=refs.shipment_ref(year or date.today().year), recipient=recipient)
    db.session.add(shipment)
    _apply_transport(shipment, transport)
    shipment.events.append(ShipmentEvent(from_status=None, to_status=S.PLANNED, actor_id=actor.id, note="created"))
    db.session.flush()
    audit.record(actor, "shipment.created", shipment, recipient=recipient.name_en)
    return shipment


def update_transport(shipment: Shipment, *, actor: User, **transport: Any) -> Shipment:
    SHIPMENT.check(shipment, "edit")
    changed = _apply_transport(shipment, transport)
    db.session.flush()
    if changed:
        audit.record(actor, "shipment.transport_updated", shipment, **changed)
    return shipment


def _apply_transport(shipment: Shipment, transport: dict[str, Any]) -> dict[str, Any]:
    unknown = set(transport) - set(TRANSPORT_FIELDS)
    if unknown:
        raise DomainError(_("Unknown transport detail(s): %(fields)s.", fields=", ".join(sorted(unknown))))
    changed: dict[str, Any] = {}
    for field, value in transport.items():
        if isinstance(value, str):
            value = value.strip() or None
        if field == "container_no" and value is not None:
            value = normalise_container_no(value)
        if field == "mode" and value is not None:
            value = _choice(TransportMode, value, N_("“%(value)s” is not a transport mode; choose one of %(choices)s."))
        if field == "incoterm" and value is not None:
            value = _choice(Incoterm, value, N_("“%(value)s” is not an Incoterm; choose one of %(choices)s."))
        if field in ("freight", "insurance") and value is not None:
            value = _amount(value, field)
        if field == "planned_departure" and value is not None:
            if not isinstance(value, date):
                raise DomainError(_("The planned departure must be a date."))
            check_date(value, N_("The planned departure"), latest=date.today() + timedelta(days=5 * 366))
        if getattr(shipment, field) != value:
            setattr(shipment, field, value)
            changed[field] = value
    return changed


# What refuses an amount that is not a sum of money, for each amount a shipment has.
NOT_AN_AMOUNT = {
    "freight": N_("The freight amount must be a sum of money such as 1200.00, not “%(value)s”."),
    "insurance": N_("The insurance amount must be a sum of money such as 1200.00, not “%(value)s”."),
}


def _amount(value: Any, field: str) -> Decimal:
    """A sum of money in the customs currency: not negative, to the cent."""
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_(NOT_AN_AMOUNT[field], value=value))
    return amount.quantize(Decimal("0.01"))


def _choice(enum_cls: type[Any], value: Any, refusal: str) -> Any:
    """The member of `enum_cls` whose value is `value`, else a DomainError: `refusal` (marked with N_ where
    it is written) with the value given and the values allowed (codes, the same in every language)."""
    try:
        return enum_cls(value)
    except ValueError:
        choices = ", ".join(m.value for m in enum_cls)
        raise DomainError(_(refusal, value=value, choices=choices)) from None


def assign_crate(shipment: Shipment, crate: Crate, *, actor: User) -> None:
    SHIPMENT.check(shipment, "change_crates")
    CRATE.check(crate, "ship")
    if crate.shipment is not None:
        raise DomainError(_("Crate %(code)s is already on shipment %(ref)s.", code=crate.code, ref=crate.shipment.ref))
    if crate.for_recipient_id is not None and crate.for_recipient_id != shipment.recipient_id:
        raise DomainError(_("Crate %(code)s is packed for %(name)s, not for %(recipient)s.", code=crate.code,
                            name=crate.for_recipient.name_en if crate.for_recipient else "?",
                            recipient=shipment.recipient.name_en))
    _room_for(shipment, _("Crate %(code)s", code=crate.code), crate.gross_kg, crate.volume_m3)
    crate.shipment = shipment
    db.session.flush()
    audit.record(actor, "shipment.crate_assigned", shipment, crate=crate.code)
    audit.record(actor, "crate.assigned", crate, shipment=shipment.ref)


def remove_crate(shipment: Shipment, crate: Crate, *, actor: User) -> None:
    if crate.shipment_id != shipment.id:
        raise DomainError(_("Crate %(code)s is not on shipment %(ref)s.", code=crate.code, ref=shipment.ref))
    SHIPMENT.check(shipment, "change_crates")
    if crate.pallet is not None:
        raise DomainError(_("Crate %(code)s is on pallet %(pallet)s: take the pallet off, which carries it.",
                            code=crate.code, pallet=crate.pallet.code))
    crate.shipment = None
    db.session.flush()
    audit.record(actor, "shipment.crate_removed", shipment, crate=crate.code)
    audit.record(actor, "crate.unassigned", crate, shipment=shipment.ref)


def assign_pallet(shipment: Shipment, pallet: Pallet, *, actor: User) -> Pallet:
    """Load a sealed pallet whole: it and every crate on it go on the shipment."""
    SHIPMENT.check(shipment, "change_crates")
    PALLET.check(pallet, "ship")
    if pallet.shipment is not None:
        raise DomainError(_("Pallet %(code)s is already on shipment %(ref)s.", code=pallet.code, ref=pallet.shipment.ref),
                          field="code")
    crates = lock_all(sa.select(Crate).where(Crate.pallet_id == pallet.id).order_by(Crate.id))
    strangers = [c.code for c in crates if c.for_recipient_id is not None and c.for_recipient_id != shipment.recipient_id]
    if strangers:
        raise DomainError(_("Pallet %(code)s carries crates packed for another recipient: %(crates)s.",
                            code=pallet.code, crates=_(", ").join(strangers)), field="code")
    size = shipment.container_size
    if size is not None and (pallet.height_cm or 0) > DOOR_CM[size]:
        raise DomainError(_("Pallet %(code)s is %(height)s cm high; the door of a %(size)s is %(door)s cm: build it lower.",
                            code=pallet.code, height=number(pallet.height_cm), size=label(size),
                            door=number(DOOR_CM[size])), field="code")
    _room_for(shipment, _("Pallet %(code)s", code=pallet.code), pallet.gross_kg, pallet.volume_m3)
    _carry(pallet, crates, shipment, on=shipment, actor=actor)
    return pallet


def _carry(pallet: Pallet, crates: list[Crate], shipment: Shipment, *, on: Shipment | None, actor: User) -> None:
    """Put a pallet and its (locked) crates on a shipment, or take them off it (`on` None); audited on both."""
    pallet.shipment = on
    for crate in crates:
        crate.shipment = on
    db.session.flush()
    codes = [c.code for c in crates]
    verb = ("pallet_assigned", "assigned") if on is not None else ("pallet_removed", "unassigned")
    audit.record(actor, f"shipment.{verb[0]}", shipment, pallet=pallet.code, crates=codes)
    audit.record(actor, f"pallet.{verb[1]}", pallet, shipment=shipment.ref, crates=codes)


def remove_pallet(shipment: Shipment, pallet: Pallet, *, actor: User) -> None:
    """Take a pallet off a shipment, with every crate on it: they wait at the warehouse, still sealed."""
    if pallet.shipment_id != shipment.id:
        raise DomainError(_("Pallet %(code)s is not on shipment %(ref)s.", code=pallet.code, ref=shipment.ref))
    SHIPMENT.check(shipment, "change_crates")
    lock(pallet)
    _carry(pallet, lock_all(sa.select(Crate).where(Crate.pallet_id == pallet.id).order_by(Crate.id)), shipment,
           on=None, actor=actor)


def change_status(
    shipment: Shipment,
    to: ShipmentStatus,
    *,
    actor: User,
    location: str | None = None,
    note: str | None = None,
) -> ShipmentEvent:
    if to is S.DELIVERED:  # the crates the recipient has not checked in: received whole, on the coordinator's word
        from books2iraq.receiving.services import deliver_the_rest

        SHIPMENT.check(shipment, to.value)
        deliver_the_rest(shipment, actor=actor)
    current = SHIPMENT.move(shipment, to.value)
    released: list[str] = []
    if to is S.CANCELLED:
        released = [p.code for p in shipment.pallets] + [c.code for c in shipment.crates]
        for pallet in list(shipment.pallets):
            pallet.shipment = None
        for crate in list(shipment.crates):
            crate.shipment = None
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
    "tax_number",
    "wants_subjects",
    "wants_levels",
    "wants_languages",
)
_RECIPIENT_REQUIRED = ("name_en", "name_ar", "address_en", "city")


def update_recipient(recipient: Recipient, *, actor: User | None, **values: Any) -> Recipient:
    """Change a recipient's details; blank optional details are cleared."""
    unknown = set(values) - set(RECIPIENT_FIELDS)
    if unknown:
        raise DomainError(_("Unknown recipient detail(s): %(fields)s.", fields=", ".join(sorted(unknown))))
    clean = {f: (v.replace("\r\n", "\n").strip() or None) if isinstance(v, str) else v for f, v in values.items()}
    if any(f in clean and not clean[f] for f in _RECIPIENT_REQUIRED):
        raise DomainError(_("A recipient needs its name in English and Arabic, an address and a city."))
    if "kind" in clean:
        clean["kind"] = _choice(RecipientKind, clean["kind"], N_("“%(value)s” is not a kind of recipient; choose one of %(choices)s."))
    if "governorate" in clean:
        clean["governorate"] = _choice(Governorate, clean["governorate"], N_("“%(value)s” is not a governorate; choose one of %(choices)s."))
    if "name_en" in clean:
        taken = sa.select(Recipient.id).where(Recipient.name_en == clean["name_en"], Recipient.id != recipient.id)
        if db.session.scalar(taken) is not None:
            raise DomainError(_("A recipient called “%(name)s” already exists.", name=clean["name_en"]))
    changes = {f: [getattr(recipient, f), v] for f, v in clean.items() if getattr(recipient, f) != v}
    for field, (_old, new) in changes.items():
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
        raise NotFound(_("There is no recipient number %(id)s.", id=recipient_id))
    return recipient


def recipients(*, active_only: bool = False) -> sa.Select[tuple[Recipient]]:
    """Recipients by English name, active ones first."""
    stmt = sa.select(Recipient).order_by(Recipient.active.desc(), Recipient.name_en, Recipient.id)
    if active_only:
        stmt = stmt.where(Recipient.active.is_(True))
    return stmt


def list_recipients(*, active_only: bool = False) -> list[Recipient]:
    return list(db.session.scalars(recipients(active_only=active_only)))


# --- Shipments: look-ups and totals, aggregated in SQL -------------------------------------------


@dataclass(frozen=True)
class ShipmentTotals:
    """A shipment's crates (on pallets or not) and copies; its packages (pallets and loose crates), and what
    they weigh and take: a pallet's own weight and size stand for those of the crates on it."""

    crates: int = 0
    copies: int = 0
    gross_kg: Decimal = Decimal("0.00")
    volume_m3: Decimal = Decimal("0.000")
    pallets: int = 0
    loose: int = 0  # crates on no pallet

    @property
    def packages(self) -> int:
        return self.pallets + self.loose


def _cm3(model: Any) -> Any:
    return sa.cast(model.length_cm, sa.BigInteger) * model.width_cm * model.height_cm


def _crates_per_shipment(shipment_ids: Sequence[int]) -> sa.Select[Any]:
    """(shipment_id, crates, loose crates, their gross_kg, their cm3) of these shipments, from their own crates."""
    loose = Crate.pallet_id.is_(None)
    return (
        sa.select(Crate.shipment_id, sa.func.count(Crate.id), sa.func.count(sa.case((loose, Crate.id))),
                  sa.func.sum(sa.case((loose, Crate.gross_kg))), sa.func.sum(sa.case((loose, _cm3(Crate)))))
        .where(Crate.shipment_id.in_(shipment_ids))
        .group_by(Crate.shipment_id)
    )


def _pallets_per_shipment(shipment_ids: Sequence[int]) -> sa.Select[Any]:
    """(shipment_id, pallets, their gross_kg, their cm3) of these shipments."""
    return (
        sa.select(Pallet.shipment_id, sa.func.count(Pallet.id), sa.func.sum(Pallet.gross_kg), sa.func.sum(_cm3(Pallet)))
        .where(Pallet.shipment_id.in_(shipment_ids))
        .group_by(Pallet.shipment_id)
    )


def shipments(status: ShipmentStatus | None = None) -> sa.Select[Any]:
    """Shipments newest first: a statement for a page of the list or all of them (with shipment_rows,
    which adds each one's totals)."""
    stmt = sa.select(Shipment).options(sa.orm.joinedload(Shipment.recipient)).order_by(Shipment.id.desc())
    if status is not None:
        stmt = stmt.where(Shipment.status == status)
    return stmt


def totals_of(shipment_ids: Sequence[int]) -> dict[int, ShipmentTotals]:
    """The totals of these shipments: crates, weight and volume from their crates, copies from the
    running totals (reports/tallies.py), so no list sums every packed lot."""
    if not shipment_ids:
        return {}
    copies = tallies.of(tallies.SHIPMENT)
    pallets = {row[0]: row[1:] for row in db.session.execute(_pallets_per_shipment(shipment_ids))}
    totals = {}
    for shipment_id, crates, loose, crates_kg, crates_cm3 in db.session.execute(_crates_per_shipment(shipment_ids)):
        on_pallets, pallets_kg, pallets_cm3 = pallets.get(shipment_id, (0, 0, 0))
        totals[shipment_id] = ShipmentTotals(
            crates=int(crates or 0),
            copies=int(copies.get(str(shipment_id), 0)),
            gross_kg=(Decimal(str(crates_kg or 0)) + Decimal(str(pallets_kg or 0))).quantize(Decimal("0.01")),
            volume_m3=(Decimal(int(crates_cm3 or 0) + int(pallets_cm3 or 0)) / Decimal(1_000_000)).quantize(Decimal("0.001")),
            pallets=int(on_pallets or 0),
            loose=int(loose or 0),
        )
    return totals


def shipment_rows(result: sa.Result[Any]) -> list[tuple[Shipment, ShipmentTotals]]:
    page = list(result.scalars())
    totals = totals_of([s.id for s in page])
    return [(shipment, totals.get(shipment.id, ShipmentTotals())) for shipment in page]


def list_shipments(status: ShipmentStatus | None = None) -> list[tuple[Shipment, ShipmentTotals]]:
    """Every shipment with its totals, newest first, in two statements."""
    return shipment_rows(db.session.execute(shipments(status)))


def shipment_totals(shipment: Shipment) -> ShipmentTotals:
    return totals_of([shipment.id]).get(shipment.id, ShipmentTotals())


# -- loading: a running total of weight and volume against what carries the shipment ---------------------
# Payload and inside volume of each size: ISO 668 general-purpose containers with a typical tare, and a
# 13.6 m road semi-trailer. A start, which the coordinator corrects to the carrier's own figures.
CAPACITIES = {
    ContainerSize.FT20: (Decimal("28200"), Decimal("33.2")),
    ContainerSize.FT40: (Decimal("26700"), Decimal("67.7")),
    ContainerSize.FT40_HIGH_CUBE: (Decimal("26500"), Decimal("76.3")),
    ContainerSize.TRAILER: (Decimal("24000"), Decimal("90")),
}
# The height of each size's door opening (ISO 668 containers as usually built; a semi-trailer's loading
# height): a pallet taller than it cannot go in, whatever room is left.
DOOR_CM = {ContainerSize.FT20: 228, ContainerSize.FT40: 228, ContainerSize.FT40_HIGH_CUBE: 258, ContainerSize.TRAILER: 270}
NEARLY_FULL = Decimal("0.9")  # the page warns from this share of a capacity on
MAX_CAPACITY_KG, MAX_CAPACITY_M3 = Decimal("99999999"), Decimal("999999")


@dataclass(frozen=True)
class Load:
    """A shipment's crates' weight and volume, against its capacity (None: not given)."""

    kg: Decimal
    m3: Decimal
    capacity_kg: Decimal | None = None
    capacity_m3: Decimal | None = None

    @property
    def share_kg(self) -> Decimal | None:
        return self.kg / self.capacity_kg if self.capacity_kg else None

    @property
    def share_m3(self) -> Decimal | None:
        return self.m3 / self.capacity_m3 if self.capacity_m3 else None

    def nearly(self, capacity: Decimal) -> Decimal:
        """Where "nearly full" starts for a capacity (the page's gauges turn there)."""
        return capacity * NEARLY_FULL

    @property
    def over(self) -> bool:
        return any(share is not None and share > 1 for share in (self.share_kg, self.share_m3))

    @property
    def nearly_full(self) -> bool:
        return any(share is not None and share >= NEARLY_FULL for share in (self.share_kg, self.share_m3))


def load_of(shipment: Shipment, totals: ShipmentTotals | None = None) -> Load:
    totals = totals or shipment_totals(shipment)
    return Load(totals.gross_kg, totals.volume_m3, shipment.capacity_kg, shipment.capacity_m3)


def _capacity(value: Decimal | None, most: Decimal, field: str) -> Decimal | None:
    if value is None:
        return None
    if not Decimal(0) < value <= most:
        raise DomainError(_("A capacity must be more than 0 and at most %(most)s.", most=number(most)), field=field)
    return value


def set_container(shipment: Shipment, *, size: ContainerSize | None, capacity_kg: Decimal | None = None,
                  capacity_m3: Decimal | None = None, actor: User) -> Shipment:
    """Say what carries a shipment, and how much it takes: a size's capacity, or the figures given (the
    carrier's own). A capacity left out is the size's, and so is one left as it was when the size changes
    (the form showed the old size's)."""
    SHIPMENT.check(shipment, "edit")
    if size != shipment.container_size:
        capacity_kg = None if capacity_kg == shipment.capacity_kg else capacity_kg
        capacity_m3 = None if capacity_m3 == shipment.capacity_m3 else capacity_m3
    preset = CAPACITIES.get(size) if size else None
    kg = _capacity(capacity_kg, MAX_CAPACITY_KG, "capacity_kg") or (preset[0] if preset else None)
    m3 = _capacity(capacity_m3, MAX_CAPACITY_M3, "capacity_m3") or (preset[1] if preset else None)
    before = (shipment.container_size, shipment.capacity_kg, shipment.capacity_m3)
    shipment.container_size, shipment.capacity_kg, shipment.capacity_m3 = size, kg, m3
    db.session.flush()
    if before != (size, kg, m3):
        audit.record(actor, "shipment.container_set", shipment, size=size.value if size else None,
                     capacity_kg=kg, capacity_m3=m3, before=[b.value if isinstance(b, ContainerSize) else b for b in before])
    return shipment


def _room_for(shipment: Shipment, what: str, gross_kg: Decimal | None, volume_m3: Decimal | None) -> None:
    """Refuse a crate or pallet (`what`: "Crate B2I-C-000012") that would load a shipment past its
    capacity, by weight or by volume."""
    if shipment.capacity_kg is None and shipment.capacity_m3 is None:
        return
    load = load_of(shipment)
    kg, m3 = load.kg + (gross_kg or 0), load.m3 + (volume_m3 or 0)
    if shipment.capacity_kg is not None and kg > shipment.capacity_kg:
        raise DomainError(_("%(what)s (%(kg)s kg) would load %(ref)s past its capacity: %(total)s of %(capacity)s kg.",
                            what=what, kg=number(gross_kg, places=2), ref=shipment.ref,
                            total=number(kg, places=2), capacity=number(shipment.capacity_kg, places=2)), field="code")
    if shipment.capacity_m3 is not None and m3 > shipment.capacity_m3:
        raise DomainError(_("%(what)s (%(m3)s m³) would load %(ref)s past its capacity: %(total)s of %(capacity)s m³.",
                            what=what, m3=number(volume_m3, places=3), ref=shipment.ref,
                            total=number(m3, places=3), capacity=number(shipment.capacity_m3, places=2)), field="code")


def _crates_with_copies(*criteria: Any) -> list[tuple[Crate, int]]:
    copies = copies_in_crates(sa.select(Crate.id).where(*criteria))  # their own lots only
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


def crates_of(shipment: Shipment) -> sa.Select[Any]:
    """The crates on a shipment in packing order: a statement for one page of them (paging.paginate
    with crating's crate_rows, which adds each one's copies)."""
    return sa.select(Crate).where(Crate.shipment_id == shipment.id).order_by(Crate.id)




def sealed_unassigned_crates(limit: int | None = None) -> list[tuple[Crate, int]]:
    """Sealed crates not on any shipment yet, with their copies: what can be assigned (the `limit`
    sealed last, when given)."""
    if limit is None:
        return _crates_with_copies(*WAITING)
    newest = sa.select(Crate.id).where(*WAITING).order_by(Crate.id.desc()).limit(limit)
    return _crates_with_copies(Crate.id.in_(newest.scalar_subquery()))


def count_unassigned_crates() -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(Crate).where(*WAITING)) or 0)


def assign_by_code(shipment: Shipment, code: str, *, actor: User) -> Crate | Pallet:
    """Load the crate or the pallet whose code was scanned or typed."""
    if code.strip().upper().startswith(refs.PALLET):
        return assign_pallet(shipment, get_pallet(code), actor=actor)
    crate = get_by_code(code)
    assign_crate(shipment, crate, actor=actor)
    return crate


def pallets_on(shipment: Shipment) -> list[Pallet]:
    """The pallets on a shipment, in the order they were built."""
    return list(db.session.scalars(sa.select(Pallet).where(Pallet.shipment_id == shipment.id).order_by(Pallet.id)))


def sealed_unassigned_pallets(limit: int) -> list[Pallet]:
    """Sealed pallets on no shipment, the `limit` sealed last: what a shipment can take whole."""
    return list(db.session.scalars(
        sa.select(Pallet).where(Pallet.status == PalletStatus.SEALED, Pallet.shipment_id.is_(None))
        .order_by(Pallet.id.desc()).limit(limit)))


def next_statuses(shipment: Shipment) -> list[ShipmentStatus]:
    """The statuses a shipment may move to now, in the order of the flow."""
    targets = SHIPMENT.transitions()[shipment.status]
    return [status for status in ShipmentStatus if status in targets]


def allows_crate_changes(shipment: Shipment) -> bool:
    return SHIPMENT.allows(shipment, "change_crates")
