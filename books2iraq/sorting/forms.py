from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from books2iraq.intake.forms import _choices
from books2iraq.intake.models import Disposition, ReadingLevel, RejectReason, TitleKind

_QUANTITY = "Copies (empty: all of the lot)"


class AcceptForm(FlaskForm):
    quantity = IntegerField(_QUANTITY, validators=[Optional(), NumberRange(min=1)])


class RejectForm(FlaskForm):
    quantity = IntegerField(_QUANTITY, validators=[Optional(), NumberRange(min=1)])
    reason = SelectField("Reason", choices=_choices(RejectReason), validators=[InputRequired()])
    disposition = SelectField("What happens to them", choices=_choices(Disposition), validators=[InputRequired()])
    note = StringField("Note", validators=[Optional(), Length(max=500)])


class CatalogueForm(FlaskForm):
    quantity = IntegerField(_QUANTITY, validators=[Optional(), NumberRange(min=1)])
    isbn = StringField("ISBN", validators=[Optional(), Length(max=20)])
    title = StringField("Title", validators=[Optional(), Length(max=500)])
    authors = StringField("Authors", validators=[Optional(), Length(max=500)])
    language = StringField("Language (en, ar, ku …)", validators=[Optional(), Length(max=8)])
    level = SelectField("Reading level", choices=_choices(ReadingLevel), default="general")
    kind = SelectField("Kind (for customs)", choices=_choices(TitleKind), default="book")


class CorrectCountForm(FlaskForm):
    counted = IntegerField("Copies actually there", validators=[InputRequired(), NumberRange(min=0, max=10_000)])
    reason = StringField("Reason", validators=[InputRequired(), Length(max=500)])
