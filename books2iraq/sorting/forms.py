from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from books2iraq.intake.models import Disposition, ReadingLevel, RejectReason, TitleKind
from books2iraq.labels import choices

_QUANTITY = "Copies (empty: all of the lot)"


class AcceptForm(FlaskForm):
    quantity = IntegerField(_QUANTITY, validators=[Optional(), NumberRange(min=1)])


class RejectForm(FlaskForm):
    quantity = IntegerField(_QUANTITY, validators=[Optional(), NumberRange(min=1)])
    reason = SelectField("Reason", choices=choices(RejectReason), validators=[InputRequired()])
    disposition = SelectField("What happens to them", choices=choices(Disposition), validators=[InputRequired()])
    note = StringField("Note", validators=[Optional(), Length(max=500)])


class CatalogueForm(FlaskForm):
    quantity = IntegerField(_QUANTITY, validators=[Optional(), NumberRange(min=1)])
    isbn = StringField("ISBN", validators=[Optional(), Length(max=20)])
    title = StringField("Title", validators=[Optional(), Length(max=500)])
    authors = StringField("Authors", validators=[Optional(), Length(max=500)])
    language = StringField("Language (en, ar, ku …)", validators=[Optional(), Length(max=8)])
    level = SelectField("Reading level", choices=choices(ReadingLevel), default="general")
    kind = SelectField("Kind (for customs)", choices=choices(TitleKind), default="book")
    not_this_isbn = BooleanField("Not this ISBN: catalogue these copies by title alone")


class CorrectCountForm(FlaskForm):
    counted = IntegerField("Copies actually there", validators=[InputRequired(), NumberRange(min=0, max=10_000)])
    reason = StringField("Reason", validators=[InputRequired(), Length(max=500)])
