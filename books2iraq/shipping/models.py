from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from books2iraq.db import TimestampMixin, enum_column, utcnow
from books2iraq.extensions import Model

if TYPE_CHECKING:
    from books2iraq.auth.models import User
    from books2iraq.crating.models import Crate
    from books2iraq.pallets.models import Pallet


class Governorate(enum.StrEnum):
    ANBAR = "anbar"
    BABIL = "babil"
    BAGHDAD = "baghdad"
    BASRA = "basra"
    DHI_QAR = "dhi_qar"
    DIYALA = "diyala"
    DUHOK = "duhok"
    ERBIL = "erbil"
    HALABJA = "halabja"
    KARBALA = "karbala"
    KIRKUK = "kirkuk"
    MAYSAN = "maysan"
    MUTHANNA = "muthanna"
    NAJAF = "najaf"
    NINEVEH = "nineveh"
    QADISIYYAH = "qadisiyyah"
    SALADIN = "saladin"
    SULAYMANIYAH = "sulaymaniyah"
    WASIT = "wasit"

    @property
    def in_kurdistan_region(self) -> bool:
        return self in {Governorate.DUHOK, Governorate.ERBIL, Governorate.HALABJA, Governorate.SULAYMANIYAH}


class RecipientKind(enum.StrEnum):
    UNIVERSITY = "university"
    SCHOOL = "school"
    LIBRARY = "library"
    OTHER = "other"


class Recipient(TimestampMixin, Model):
    __tablename__ = "recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(sa.String(200), unique=True)
    name_ar: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[RecipientKind] = mapped_column(default=RecipientKind.UNIVERSITY)
    address_en: Mapped[str] = mapped_column(sa.Text)
    address_ar: Mapped[str | None] = mapped_column(sa.Text)
    city: Mapped[str] = mapped_column(sa.String(120))
    governorate: Mapped[Governorate]
    contact_name: Mapped[str | None] = mapped_column(sa.String(200))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    tax_number: Mapped[str | None] = mapped_column(sa.String(64))  # tax or registration number, for customs
    wants_subjects: Mapped[str | None] = mapped_column(sa.Text)
    wants_levels: Mapped[str | None] = mapped_column(sa.String(200))
    wants_languages: Mapped[str | None] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())


class ShipmentStatus(enum.StrEnum):
    PLANNED = "planned"
    PACKING = "packing"
    READY = "ready"
    DISPATCHED = "dispatched"
    IN_TRANSIT = "in_transit"
    AT_CUSTOMS = "at_customs"
    CLEARED = "cleared"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class TransportMode(enum.StrEnum):
    SEA = "sea"
    ROAD = "road"
    AIR = "air"


class Incoterm(enum.StrEnum):
    EXW = "EXW"
    FCA = "FCA"
    CPT = "CPT"
    CIP = "CIP"
    DAP = "DAP"
    DPU = "DPU"
    DDP = "DDP"
    FAS = "FAS"
    FOB = "FOB"
    CFR = "CFR"
    CIF = "CIF"


class ContainerSize(enum.StrEnum):
    """What carries a shipment, for its loading: each size fills in a capacity, which stays editable."""

    FT20 = "20ft"
    FT40 = "40ft"
    FT40_HIGH_CUBE = "40ft_hc"
    TRAILER = "trailer"  # a road semi-trailer


class Shipment(TimestampMixin, Model):
    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(sa.String(32), unique=True)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("recipients.id"), index=True)
    status: Mapped[ShipmentStatus] = mapped_column(default=ShipmentStatus.PLANNED, index=True)
    mode: Mapped[TransportMode | None]
    carrier: Mapped[str | None] = mapped_column(sa.String(200))
    container_no: Mapped[str | None] = mapped_column(sa.String(11))
    seal_no: Mapped[str | None] = mapped_column(sa.String(40))
    vessel: Mapped[str | None] = mapped_column(sa.String(120))
    voyage: Mapped[str | None] = mapped_column(sa.String(40))
    port_of_loading: Mapped[str | None] = mapped_column(sa.String(120))
    port_of_discharge: Mapped[str | None] = mapped_column(sa.String(120))
    place_of_delivery: Mapped[str | None] = mapped_column(sa.String(200))
    incoterm: Mapped[Incoterm | None]
    planned_departure: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(sa.Text)
    # What customs asks of the papers beyond the transport itself.
    incoterm_place: Mapped[str | None] = mapped_column(sa.String(120))  # the Incoterm's named place
    transport_doc_no: Mapped[str | None] = mapped_column(sa.String(60))  # bill of lading, CMR or air waybill
    truck_plate: Mapped[str | None] = mapped_column(sa.String(20))
    trailer_plate: Mapped[str | None] = mapped_column(sa.String(20))
    tir_ref: Mapped[str | None] = mapped_column(sa.String(40))  # TIR carnet or other transit document
    freight: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))  # in the customs currency
    insurance: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    origin_country: Mapped[str | None] = mapped_column(sa.String(120))  # blank: the organisation's country
    notify_party: Mapped[str | None] = mapped_column(sa.Text)  # blank: the consignee
    exemption_ref: Mapped[str | None] = mapped_column(sa.String(120))  # the consignee's duty-exemption letter
    # What it is loaded into, and how much that takes (payload and inside volume): a running total of
    # its crates' weight and volume is kept against them.
    container_size: Mapped[ContainerSize | None]
    capacity_kg: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    capacity_m3: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    # Set when its customs papers are issued. A unique index, not a constraint: SQLite adds it in place.
    invoice_no: Mapped[str | None] = mapped_column(sa.String(20), unique=True, index=True)

    recipient: Mapped[Recipient] = relationship()
    crates: Mapped[list[Crate]] = relationship(back_populates="shipment", order_by="Crate.id")
    pallets: Mapped[list[Pallet]] = relationship(back_populates="shipment", order_by="Pallet.id")
    events: Mapped[list[ShipmentEvent]] = relationship(
        back_populates="shipment", order_by="ShipmentEvent.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint("container_no IS NULL OR length(container_no) = 11", name="container_no_length"),
        sa.CheckConstraint("freight IS NULL OR freight >= 0", name="freight_not_negative"),
        sa.CheckConstraint("insurance IS NULL OR insurance >= 0", name="insurance_not_negative"),
        sa.CheckConstraint("(capacity_kg IS NULL OR capacity_kg > 0) AND (capacity_m3 IS NULL OR capacity_m3 > 0)",
                           name="capacity_positive"),
    )

    def __repr__(self) -> str:
        return f"<Shipment {self.ref} {self.status}>"


class ShipmentEvent(Model):
    """One step of a shipment's status history: who, when, where, note."""

    __tablename__ = "shipment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(sa.ForeignKey("shipments.id"), index=True)
    from_status: Mapped[ShipmentStatus | None] = mapped_column(enum_column(ShipmentStatus, "from_status"))
    to_status: Mapped[ShipmentStatus] = mapped_column(enum_column(ShipmentStatus, "to_status"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    location: Mapped[str | None] = mapped_column(sa.String(200))
    note: Mapped[str | None] = mapped_column(sa.Text)

    shipment: Mapped[Shipment] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
