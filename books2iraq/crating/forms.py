from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from books2iraq.forms import AppForm

ANYONE = 0  # the "for any recipient" choice


class OpenCrateForm(AppForm):
    site = SelectField(_l("Warehouse"), coerce=int, validators=[InputRequired()])
    for_recipient = SelectField(_l("Packed for"), coerce=int, default=ANYONE)  # choices: set by the view


class PlanCrateForm(AppForm):
    """Whom a crate is packed for, and where it waits in the warehouse."""

    for_recipient = SelectField(_l("Packed for"), coerce=int, default=ANYONE)  # choices: set by the view
    location = StringField(_l("Where it waits (bay, shelf)"), validators=[Optional(), Length(max=60)])


class FindCrateForm(AppForm):
    code = StringField(_l("Scan or type a crate code"), validators=[InputRequired(), Length(max=32)])


class PackForm(AppForm):
    """A scan into a crate; a quantity key (x5) typed after a scan says that scan was 5 copies."""

    isbn = StringField(_l("Scan a book (ISBN), or x5 for 5 of the last one"), validators=[InputRequired(), Length(max=20)])
    quantity = IntegerField(_l("Copies"), default=1, validators=[InputRequired(), NumberRange(min=1, max=10_000)])
    last = HiddenField()  # the ISBN-13 the last scan packed, and how many copies it packed
    last_copies = HiddenField()


class SealForm(AppForm):
    gross_kg = DecimalField(_l("Gross weight (kg)"), places=2, validators=[InputRequired(), NumberRange(min=0.01, max=2000)])
    length_cm = IntegerField(_l("Length (cm)"), validators=[Optional(), NumberRange(min=1, max=1500)])
    width_cm = IntegerField(_l("Width (cm)"), validators=[Optional(), NumberRange(min=1, max=1500)])
    height_cm = IntegerField(_l("Height (cm)"), validators=[Optional(), NumberRange(min=1, max=1500)])


class ReopenForm(AppForm):
    reason = StringField(_l("Why reopen it"), validators=[InputRequired(), Length(max=500)])
