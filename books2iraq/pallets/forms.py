from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from books2iraq.forms import AppForm
from books2iraq.pallets.services import EURO_PALLET_CM, MAX_GROSS_KG, MAX_SIDE_CM


class OpenPalletForm(AppForm):
    site = SelectField(_l("Warehouse"), coerce=int, validators=[InputRequired()])


class FindPalletForm(AppForm):
    code = StringField(_l("Scan or type a pallet code"), validators=[InputRequired(), Length(max=32)])


class StackForm(AppForm):
    code = StringField(_l("Scan a sealed crate to put it on"), validators=[InputRequired(), Length(max=32)])


class SealPalletForm(AppForm):
    """A wrapped pallet weighed and measured whole: the footprint of a Euro pallet is offered."""

    gross_kg = DecimalField(_l("Gross weight with the pallet (kg)"), places=2,
                            validators=[InputRequired(), NumberRange(min=0.01, max=float(MAX_GROSS_KG))])
    length_cm = IntegerField(_l("Length (cm)"), default=EURO_PALLET_CM[0],
                             validators=[InputRequired(), NumberRange(min=1, max=MAX_SIDE_CM)])
    width_cm = IntegerField(_l("Width (cm)"), default=EURO_PALLET_CM[1],
                            validators=[InputRequired(), NumberRange(min=1, max=MAX_SIDE_CM)])
    height_cm = IntegerField(_l("Height with the crates (cm)"), validators=[InputRequired(), NumberRange(min=1, max=MAX_SIDE_CM)])


class ReopenPalletForm(AppForm):
    reason = StringField(_l("Why reopen it"), validators=[InputRequired(), Length(max=500)])
