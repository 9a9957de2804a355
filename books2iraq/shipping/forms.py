"""Shipping forms: they check the shape of what was typed; the rules live in shipping.services."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DecimalField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from books2iraq.forms import AppForm
from books2iraq.labels import choices
from books2iraq.shipping.models import (
    ContainerSize,
    Governorate,
    Incoterm,
    RecipientKind,
    ShipmentStatus,
    TransportMode,
)
from books2iraq.shipping.services import RECIPIENT_FIELDS, TRANSPORT_FIELDS


def _short(label: Any, max_length: int, **kwargs: Any) -> StringField:
    return StringField(label, validators=[Optional(), Length(max=max_length)], **kwargs)


class RecipientForm(AppForm):
    name_en = StringField(_l("Name (English)"), validators=[InputRequired(), Length(max=200)])
    name_ar = StringField(_l("Name (Arabic)"), validators=[InputRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices(RecipientKind), default=RecipientKind.UNIVERSITY, coerce=RecipientKind)
    address_en = TextAreaField(_l("Address (English)"), validators=[InputRequired(), Length(max=2000)])
    address_ar = TextAreaField(_l("Address (Arabic)"), validators=[Optional(), Length(max=2000)])
    city = StringField(_l("City"), validators=[InputRequired(), Length(max=120)])
    governorate = SelectField(_l("Governorate"), choices=choices(Governorate), coerce=Governorate)
    contact_name = _short(_l("Contact name"), 200)
    contact_phone = _short(_l("Contact phone"), 40)
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Email(), Length(max=254)])
    tax_number = _short(_l("Tax or registration number"), 64, description=_l("Printed on the customs papers"))
    wants_subjects = TextAreaField(_l("Subjects wanted"), validators=[Optional(), Length(max=2000)])
    wants_levels = _short(_l("Reading levels wanted"), 200, description=_l("e.g. university, secondary"))
    wants_languages = _short(_l("Languages wanted"), 200, description=_l("e.g. en, ar, ku"))

    def values(self) -> dict[str, Any]:
        return {name: self[name].data or None for name in RECIPIENT_FIELDS}


class TransportForm(AppForm):
    mode = SelectField(_l("Transport mode"), choices=choices(TransportMode, blank="—"), default="")
    carrier = _short(_l("Carrier"), 200)
    container_no = _short(_l("Container number"), 20, description=_l("ISO 6346, e.g. CSQU 305438 3"))
    seal_no = _short(_l("Seal number"), 40)
    vessel = _short(_l("Vessel"), 120)
    voyage = _short(_l("Voyage"), 40)
    port_of_loading = _short(_l("Port of loading"), 120)
    port_of_discharge = _short(_l("Port of discharge"), 120)
    place_of_delivery = _short(_l("Place of delivery"), 200)
    incoterm = SelectField(_l("Incoterm"), choices=choices(Incoterm, blank="—"), default="")
    planned_departure = DateField(_l("Planned departure"), validators=[Optional()])
    incoterm_place = _short(_l("Incoterm named place"), 120, description=_l("e.g. Umm Qasr for CIF Umm Qasr"))
    transport_doc_no = _short(_l("Bill of lading, CMR or air waybill number"), 60)
    truck_plate = _short(_l("Truck plate"), 20)
    trailer_plate = _short(_l("Trailer plate"), 20)
    tir_ref = _short(_l("TIR carnet or transit document"), 40)
    freight = DecimalField(_l("Freight"), places=2, validators=[Optional(), NumberRange(min=0)],
                           description=_l("Needed for CPT, CIP, CFR and CIF"))
    insurance = DecimalField(_l("Insurance"), places=2, validators=[Optional(), NumberRange(min=0)],
                             description=_l("Needed for CIP and CIF"))
    origin_country = _short(_l("Country of origin"), 120,
                            description=_l("Blank: the organisation's country. Or: various, see certificate of origin"))
    notify_party = TextAreaField(_l("Notify party (the clearing agent)"), validators=[Optional(), Length(max=2000)],
                                 description=_l("Name and address; blank: the consignee"))
    exemption_ref = _short(_l("Duty-exemption letter"), 120, description=_l("The consignee's letter: number and date"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])

    def transport(self) -> dict[str, Any]:
        return {name: self[name].data for name in TRANSPORT_FIELDS}


class NewShipmentForm(TransportForm):
    recipient = SelectField(_l("Recipient"), coerce=int, validators=[InputRequired()])


class ContainerForm(AppForm):
    """What carries the shipment and how much it takes; a capacity left blank is the size's."""

    container_size = SelectField(_l("Loaded into"), choices=choices(ContainerSize, blank="—"), default="")
    capacity_kg = DecimalField(_l("Payload, kg"), places=0, validators=[Optional(), NumberRange(min=1, max=99_999_999)])
    capacity_m3 = DecimalField(_l("Inside volume, m³"), places=1, validators=[Optional(), NumberRange(min=0.1, max=999_999)])

    def size(self) -> ContainerSize | None:
        return ContainerSize(self.container_size.data) if self.container_size.data else None


class AssignCrateForm(AppForm):
    code = StringField(_l("Scan or choose a sealed crate or pallet"), validators=[InputRequired(), Length(max=32)])


class StatusForm(AppForm):
    # Any status is the right shape; which ones may come next is a rule of the service.
    to_status = SelectField(_l("New status"), choices=choices(ShipmentStatus), coerce=ShipmentStatus)
    location = _short(_l("Where"), 200, description=_l("e.g. Felixstowe, Umm Qasr, Erbil"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])

    def offer(self, statuses: list[ShipmentStatus], current: ShipmentStatus) -> None:
        """Show only the statuses the shipment may move to now: the next step forward first, and
        chosen; steps back and cancelling after it, never chosen for the coordinator."""
        flow = list(ShipmentStatus)

        def order(status: ShipmentStatus) -> tuple[int, int]:
            if status == ShipmentStatus.CANCELLED:
                return (2, 0)
            return (0, flow.index(status)) if flow.index(status) > flow.index(current) else (1, -flow.index(status))

        offered = sorted((value for value, _ in self.to_status.choices if value in statuses), key=order)
        labels = dict(self.to_status.choices)
        self.to_status.choices = [(value, labels[value]) for value in offered]
        if offered and self.to_status.data not in offered:
            self.to_status.data = offered[0]
