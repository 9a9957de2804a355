from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional


class OpenCrateForm(FlaskForm):
    site = SelectField("Warehouse", coerce=int, validators=[InputRequired()])


class FindCrateForm(FlaskForm):
    code = StringField("Scan or type a crate code", validators=[InputRequired(), Length(max=32)])


class PackForm(FlaskForm):
    """A scan into a crate; a quantity key (x5) typed after a scan says that scan was 5 copies."""

    isbn = StringField("Scan a book (ISBN), or x5 for 5 of the last one", validators=[InputRequired(), Length(max=20)])
    quantity = IntegerField("Copies", default=1, validators=[InputRequired(), NumberRange(min=1, max=10_000)])
    last = HiddenField()  # the ISBN-13 the last scan packed, and how many copies it packed
    last_copies = HiddenField()


class SealForm(FlaskForm):
    gross_kg = DecimalField("Gross weight (kg)", places=2, validators=[InputRequired(), NumberRange(min=0.01, max=2000)])
    length_cm = IntegerField("Length (cm)", validators=[Optional(), NumberRange(min=1, max=1500)])
    width_cm = IntegerField("Width (cm)", validators=[Optional(), NumberRange(min=1, max=1500)])
    height_cm = IntegerField("Height (cm)", validators=[Optional(), NumberRange(min=1, max=1500)])


class ReopenForm(FlaskForm):
    reason = StringField("Why reopen it", validators=[InputRequired(), Length(max=500)])
