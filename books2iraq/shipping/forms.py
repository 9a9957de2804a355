"""Shipping forms: they check the shape of what was typed; the rules live in shipping.services."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from books2iraq.labels import choices
from books2iraq.shipping.models import (
    Governorate,
    Incoterm,
    RecipientKind,
    ShipmentStatus,
    TransportMode,
)
from books2iraq.shipping.services import RECIPIENT_FIELDS, TRANSPORT_FIELDS


def _short(label: str, max_length: int, **kwargs: Any) -> StringField:
    return StringField(label, validators=[Optional(), Length(max=max_length)], **kwargs)


class RecipientForm(FlaskForm):
    name_en = StringField("Name (English)", validators=[InputRequired(), Length(max=200)])
    name_ar = StringField("Name (Arabic)", validators=[InputRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=choices(RecipientKind), default=RecipientKind.UNIVERSITY, coerce=RecipientKind)
    address_en = TextAreaField("Address (English)", validators=[InputRequired(), Length(max=2000)])
    address_ar = TextAreaField("Address (Arabic)", validators=[Optional(), Length(max=2000)])
    city = StringField("City", validators=[InputRequired(), Length(max=120)])
    governorate = SelectField("Governorate", choices=choices(Governorate), coerce=Governorate)
    contact_name = _short("Contact name", 200)
    contact_phone = _short("Contact phone", 40)
    contact_email = EmailField("Contact e-mail", validators=[Optional(), Email(), Length(max=254)])
    tax_number = _short("Tax or registration number", 64, description="Printed on the customs papers")
    wants_subjects = TextAreaField("Subjects wanted", validators=[Optional(), Length(max=2000)])
    wants_levels = _short("Reading levels wanted", 200, description="e.g. university, secondary")
    wants_languages = _short("Languages wanted", 200, description="e.g. en, ar, ku")

    def values(self) -> dict[str, Any]:
        return {name: self[name].data or None for name in RECIPIENT_FIELDS}


class TransportForm(FlaskForm):
    mode = SelectField("Transport mode", choices=choices(TransportMode, blank="—"), default="")
    carrier = _short("Carrier", 200)
    container_no = _short("Container number", 20, description="ISO 6346, e.g. CSQU 305438 3")
    seal_no = _short("Seal number", 40)
    vessel = _short("Vessel", 120)
    voyage = _short("Voyage", 40)
    port_of_loading = _short("Port of loading", 120)
    port_of_discharge = _short("Port of discharge", 120)
    place_of_delivery = _short("Place of delivery", 200)
    incoterm = SelectField("Incoterm", choices=choices(Incoterm, blank="—"), default="")
    planned_departure = DateField("Planned departure", validators=[Optional()])
    incoterm_place = _short("Incoterm named place", 120, description="e.g. Umm Qasr for CIF Umm Qasr")
    transport_doc_no = _short("Bill of lading, CMR or air waybill number", 60)
    truck_plate = _short("Truck plate", 20)
    trailer_plate = _short("Trailer plate", 20)
    tir_ref = _short("TIR carnet or transit document", 40)
    freight = DecimalField("Freight", places=2, validators=[Optional(), NumberRange(min=0)],
                           description="Needed for CPT, CIP, CFR and CIF")
    insurance = DecimalField("Insurance", places=2, validators=[Optional(), NumberRange(min=0)],
                             description="Needed for CIP and CIF")
    origin_country = _short("Country of origin", 120,
                            description="Blank: the organisation's country. Or: various, see certificate of origin")
    notify_party = TextAreaField("Notify party (the clearing agent)", validators=[Optional(), Length(max=2000)],
                                 description="Name and address; blank: the consignee")
    exemption_ref = _short("Duty-exemption letter", 120, description="The consignee's letter: number and date")
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=4000)])

    def transport(self) -> dict[str, Any]:
        return {name: self[name].data for name in TRANSPORT_FIELDS}


class NewShipmentForm(TransportForm):
    recipient = SelectField("Recipient", coerce=int, validators=[InputRequired()])


class AssignCrateForm(FlaskForm):
    code = StringField("Scan or choose a sealed crate", validators=[InputRequired(), Length(max=32)])


class StatusForm(FlaskForm):
    # Any status is the right shape; which ones may come next is a rule of the service.
    to_status = SelectField("New status", choices=choices(ShipmentStatus), coerce=ShipmentStatus)
    location = _short("Where", 200, description="e.g. Felixstowe, Umm Qasr, Erbil")
    note = TextAreaField("Note", validators=[Optional(), Length(max=2000)])

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
